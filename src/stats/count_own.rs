//! The account's own messages: NapCat's sends (`发送 -> …`, logged when QQ takes the message,
//! so a failed send has one too) and 3.x's `message_sent` events, which can show that a timed-out
//! send was delivered.

use super::{Counter, ECHO_WINDOW, Ev, NAPCAT_SEND_WINDOW, within};
use crate::stats::family::Stack;

impl Counter {
    /// NapCat logs no requests: a failed send is a send, unless it is the send of an own
    /// message line already counted (`called`: the failure came from QQ's send call, which
    /// logs that line first).
    pub(super) fn napcat_failed(&mut self, ev: Ev, called: bool) {
        if let Some(at) = ev.at {
            while self
                .napcat_sent
                .front()
                .is_some_and(|t| t.is_some_and(|t| at.0 - t.0 > NAPCAT_SEND_WINDOW as i64))
            {
                self.napcat_sent.pop_front();
            }
        }
        if called
            && let Some(k) = self.napcat_sent.iter().rposition(|t| match (t, ev.at) {
                (Some(t), Some(at)) => *t <= at,
                _ => true,
            })
        {
            self.napcat_sent.remove(k);
            return;
        }
        self.count(ev, |c| c.sends += 1);
    }

    /// The account's own message in a chat: NapCat's send (`发送 -> …`), or 3.x's
    /// `message_sent` event, which may show a timed-out send was delivered.
    pub(super) fn self_sent(&mut self, ev: Ev, target: u64) {
        if ev.stack == Stack::Napcat {
            self.count(ev, |c| c.sends += 1);
            if self.napcat_sent.len() >= 256 {
                self.napcat_sent.pop_front();
            }
            self.napcat_sent.push_back(ev.at);
            return;
        }
        let Some(at) = ev.at else {
            return;
        };
        while self
            .awaiting
            .front()
            .is_some_and(|&(_, t, _)| !within(t, at, ECHO_WINDOW))
        {
            self.awaiting.pop_front();
        }
        if target != 0
            && let Some(k) = self.awaiting.iter().position(|&(_, _, g)| g == target)
            && let Some((tev, _, _)) = self.awaiting.remove(k)
        {
            self.count(tev, |c| c.delivered += 1);
            return;
        }
        if target != 0 {
            if self.recent_self.len() >= 256 {
                self.recent_self.pop_front();
            }
            self.recent_self.push_back((at, target));
        }
    }
}
