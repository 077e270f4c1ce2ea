//! The counting state: what the lines that matter add up to, in file order.
//!
//! - One failed send counts once: an IPC send timeout (3.x-4.x log it before the action fails)
//!   waits up to [`PAIR_WINDOW`] for the `发生错误` line that follows and the pair is one
//!   timeout; a 3.x WebSocket reply repeating an error adds nothing.
//! - Delivered anyway: `waitForSelfEcho timeout` (8.x: the message was sent, only its echo was
//!   late), or a timeout of a send to a group followed or preceded within [`ECHO_WINDOW`] by the
//!   account's own message event in that group (3.x `ws 消息上报` of a `message_sent` event with
//!   `reportSelfMessage` on; NapCat's `发送 -> 群聊 [name(group)]`).
//! - Each event is charged to its day, its account (the `uin` of the line, else the file's), and
//!   the attachment size of its send where the size was logged (3.x up to 3.29.3).
//!
//! Memory stays bounded: the queues are capped, the error texts kept are at most [`MAX_ERRORS`].

use std::collections::{BTreeMap, VecDeque};

use super::family::Stack;
use super::line::{ErrKind, Stamp};
use super::tally::Listed;
pub use super::tally::{Counts, SIZE_BOUNDS, SIZE_LABELS, Sizes, Tally, TimeoutsSet};

/// An IPC timeout and the action error it causes are logged within this many seconds of each
/// other; an IPC timeout with no error line this long after it is counted on its own.
pub const PAIR_WINDOW: u64 = 120;
/// A WebSocket reply follows the error line of its action within this many seconds.
pub const REPLY_WINDOW: u64 = 60;
/// A send's own message event and its timeout are logged within this many seconds of each other
/// (the longest send timeout of a 10 MB file in 3.29.4-7.x is 10 s + 40 s).
pub const ECHO_WINDOW: u64 = 60;
/// NapCat logs a message the account sends (`发送 -> …`) when QQ takes it, before it is sent:
/// a send that then fails has logged its line already, up to this many seconds before its
/// error (NapCat's send timeouts are configurable, a few minutes at most in its defaults).
pub const NAPCAT_SEND_WINDOW: u64 = 600;
/// How many WebSocket continuation lines may carry a request's `action`.
pub const WS_LOOKAHEAD: u32 = 200;
/// Distinct error texts kept for the top-10 list; later new texts count as "other".
pub const MAX_ERRORS: usize = 512;

/// Where an event is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ev {
    pub at: Option<Stamp>,
    pub stack: Stack,
    pub acct: u64,
    pub size: Option<u8>,
}

/// How an action error was counted, until the WebSocket reply to it (3.x) is seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    Timeout,
    /// A send error, and where its text went in the list of errors.
    Error(Listed),
    NotASend,
}

/// What a line that counts says, read by the first pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    /// A OneBot request; `send` when its action is one of [`super::line::SEND_ACTIONS`].
    Request {
        send: bool,
    },
    /// A WebSocket request whose `action` is not on this line.
    WsWaiting,
    AttachmentSize(u64),
    TimeoutSet(u64),
    /// An IPC timeout of a send method, and the group it names (0: none).
    ApiTimeoutSend {
        target: u64,
    },
    /// An action error.
    Error {
        what: ErrKind,
        target: u64,
    },
    /// A failed WebSocket reply; `timeout` when it names a send timeout.
    FailedReply {
        timeout: bool,
    },
    /// The account's own message in a chat (0: not known); a send in NapCat's logs.
    SelfSent {
        target: u64,
    },
}

/// Per-file facts the counting needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileCtx {
    pub stack: Stack,
    /// The account of the file's lines that name none.
    pub account: u64,
}

pub struct Counter {
    pub since: Option<Stamp>,
    pub tally: Tally,
    pub file: FileCtx,
    /// IPC send timeouts waiting for the action error that follows them.
    pending: VecDeque<(Ev, u64)>,
    /// Was the latest request a send? An action error is charged to it.
    last_request_send: bool,
    /// The attachment size bucket of the latest send, when logged.
    size: Option<u8>,
    /// When the latest send was requested: an own message before it belongs to an earlier send.
    last_send_at: Option<Stamp>,
    /// Action errors whose WebSocket reply may still come.
    open: VecDeque<(Ev, Counted)>,
    /// A WebSocket request whose `action` was not on its first line.
    ws_waiting: Option<(Ev, u32)>,
    /// The account's own recent messages (time, group).
    recent_self: VecDeque<(Stamp, u64)>,
    /// Timeouts of sends to a group, waiting for the account's own message there.
    awaiting: VecDeque<(Ev, Stamp, u64)>,
    /// NapCat: the times of its own messages (each counted as a send) that no failed send has
    /// claimed yet.
    napcat_sent: VecDeque<Option<Stamp>>,
    /// The day and the account counted last, with what was counted for them and is not yet in
    /// `tally`: a log's lines are mostly of one day and one account, and this saves two map
    /// lookups a line. Added to the maps when another comes, and by [`Counter::finish`].
    day_now: Option<(i64, Counts)>,
    account_now: Option<((Stack, u64), Counts)>,
}

/// The counts of `key`, kept in `cache` while `key` stays the same; the counts of the key
/// before are added to `map` when it changes.
fn now<'a, K: Ord + Copy>(
    cache: &'a mut Option<(K, Counts)>,
    key: K,
    map: &mut BTreeMap<K, Counts>,
) -> &'a mut Counts {
    if cache.as_ref().is_some_and(|(k, _)| *k != key)
        && let Some((k, c)) = cache.take()
    {
        map.entry(k).or_default().add(c);
    }
    &mut cache.get_or_insert((key, Counts::default())).1
}

fn bucket(n: u64) -> u8 {
    SIZE_BOUNDS.iter().take_while(|&&b| n >= b).count() as u8
}

fn within(a: Stamp, b: Stamp, secs: u64) -> bool {
    a.0.abs_diff(b.0) <= secs
}

impl Counter {
    pub fn new(since: Option<Stamp>) -> Counter {
        Counter {
            since,
            tally: Tally::default(),
            file: FileCtx {
                stack: Stack::Unknown,
                account: 0,
            },
            pending: VecDeque::new(),
            last_request_send: false,
            size: None,
            last_send_at: None,
            open: VecDeque::new(),
            ws_waiting: None,
            recent_self: VecDeque::new(),
            awaiting: VecDeque::new(),
            napcat_sent: VecDeque::new(),
            day_now: None,
            account_now: None,
        }
    }

    pub fn ev(&self, at: Option<Stamp>, uin: u64) -> Ev {
        Ev {
            at,
            stack: self.file.stack,
            acct: if uin != 0 { uin } else { self.file.account },
            size: self.size,
        }
    }

    fn wanted(&self, at: Option<Stamp>) -> bool {
        match (at, self.since) {
            (_, None) => true,
            (Some(t), Some(s)) => t >= s,
            (None, Some(_)) => false,
        }
    }

    fn count(&mut self, ev: Ev, f: impl Fn(&mut Counts)) {
        if !self.wanted(ev.at) {
            return;
        }
        let t = &mut self.tally;
        match ev.at {
            Some(at) => f(now(&mut self.day_now, at.day(), &mut t.days)),
            None => f(&mut t.undated),
        }
        f(&mut t.total);
        f(now(
            &mut self.account_now,
            (ev.stack, ev.acct),
            &mut t.accounts,
        ));
        if let Some(b) = ev.size {
            f(&mut t.sizes[usize::from(b.min(3))]);
        }
    }

    /// A send that timed out, to `target` (a group; 0: not known); `delivered` when its own
    /// code says it was sent anyway.
    fn timeout(&mut self, ev: Ev, target: u64, delivered: bool) {
        self.count(ev, |c| c.timeouts += 1);
        if ev.stack == Stack::Napcat {
            self.napcat_failed(ev, true);
        }
        if delivered {
            self.count(ev, |c| c.delivered += 1);
            return;
        }
        // NapCat's own messages are logged before the send (see NAPCAT_SEND_WINDOW): they
        // tell nothing of delivery.
        let (Some(at), true, false) = (ev.at, target != 0, ev.stack == Stack::Napcat) else {
            return;
        };
        // An own message logged before the timeout counts only if it came after the send was
        // requested.
        if let Some(from) = self.last_send_at
            && let Some(k) = self
                .recent_self
                .iter()
                .rposition(|&(t, g)| g == target && within(t, at, ECHO_WINDOW) && t >= from)
        {
            self.recent_self.remove(k);
            self.count(ev, |c| c.delivered += 1);
            return;
        }
        if self.awaiting.len() >= 256 {
            self.awaiting.pop_front();
        }
        self.awaiting.push_back((ev, at, target));
    }

    /// IPC timeouts whose error line never came: each is one failed send.
    fn expire_pending(&mut self, now: Option<Stamp>) {
        while let Some(&(front, target)) = self.pending.front() {
            let stale = match (front.at, now) {
                // Either way: files need not come in time order.
                (Some(f), Some(n)) => n.0.abs_diff(f.0) > PAIR_WINDOW,
                _ => self.pending.len() > 64,
            };
            if !stale {
                break;
            }
            self.pending.pop_front();
            self.timeout(front, target, false);
        }
    }

    pub fn request(&mut self, ev: Ev, send: bool) {
        if self.wanted(ev.at) {
            self.tally.requests += 1;
        }
        self.last_request_send = send;
        self.size = None;
        if send {
            self.last_send_at = ev.at;
        }
        // NapCat counts its sends by their own message lines.
        if send && ev.stack != Stack::Napcat {
            self.count(Ev { size: None, ..ev }, |c| c.sends += 1);
        }
    }

    /// Lists the text of a send error counted at `ev`.
    fn error_text(&mut self, ev: Ev, line: &[u8]) -> Listed {
        if !self.wanted(ev.at) {
            return Listed::No;
        }
        let marker = "发生错误".as_bytes();
        let text = memchr::memmem::find(line, marker).map_or(line, |k| &line[k + marker.len()..]);
        self.tally.list_error(super::line::error_words(text))
    }

    /// A line that counts, with the account it names (0: none) and its text.
    pub fn event(&mut self, at: Option<Stamp>, uin: u64, d: Digest, line: &[u8]) {
        let ev = self.ev(at, uin);
        match d {
            Digest::Request { send } => self.request(ev, send),
            Digest::WsWaiting => self.ws_waiting = Some((ev, WS_LOOKAHEAD)),
            Digest::AttachmentSize(n) => {
                let b = bucket(n);
                self.size = Some(b);
                if self.wanted(at) {
                    let s = &mut self.tally.attachments;
                    s.count += 1;
                    s.with_files += u64::from(n > 0);
                    s.total = s.total.saturating_add(n);
                    s.max = s.max.max(n);
                    self.tally.sizes[usize::from(b)].sends += 1;
                }
            }
            Digest::TimeoutSet(n) => {
                if self.wanted(at) {
                    let t = &mut self.tally.timeouts_set;
                    if t.count == 0 {
                        t.min = n;
                        t.max = n;
                    }
                    t.count += 1;
                    t.min = t.min.min(n);
                    t.max = t.max.max(n);
                }
            }
            Digest::ApiTimeoutSend { target } => self.pending.push_back((ev, target)),
            Digest::Error { what, target } => {
                // One failed send logs its IPC timeout and then this line: count it once,
                // on the first line's time.
                let counted = if let Some((first, t)) = self.pending.pop_front() {
                    let target = if t != 0 { t } else { target };
                    // 4.x logs the IPC timeout without the account, the error with it.
                    let first = if first.acct == 0 {
                        Ev {
                            acct: ev.acct,
                            ..first
                        }
                    } else {
                        first
                    };
                    self.timeout(first, target, what == ErrKind::EchoTimeout);
                    (first, Counted::Timeout)
                } else {
                    match what {
                        ErrKind::SendTimeout | ErrKind::EchoTimeout => {
                            self.timeout(ev, target, what == ErrKind::EchoTimeout);
                            (ev, Counted::Timeout)
                        }
                        ErrKind::SendFailed => {
                            self.count(ev, |c| c.errors += 1);
                            if ev.stack == Stack::Napcat {
                                self.napcat_failed(ev, true);
                            }
                            let listed = self.error_text(ev, line);
                            (ev, Counted::Error(listed))
                        }
                        ErrKind::Other if self.last_request_send => {
                            self.count(ev, |c| c.errors += 1);
                            if ev.stack == Stack::Napcat {
                                // Failed before QQ took the message: no own line of its own.
                                self.napcat_failed(ev, false);
                            }
                            let listed = self.error_text(ev, line);
                            (ev, Counted::Error(listed))
                        }
                        ErrKind::Other => {
                            if self.wanted(at) {
                                self.tally.other_errors += 1;
                            }
                            (ev, Counted::NotASend)
                        }
                    }
                };
                if self.open.len() >= 64 {
                    self.open.pop_front();
                }
                self.open.push_back(counted);
            }
            Digest::FailedReply { timeout } => self.failed_reply(ev, timeout),
            Digest::SelfSent { target } => self.self_sent(ev, target),
        }
    }

    /// A failed WebSocket reply answers the oldest open action error: it adds nothing, except
    /// that an error it calls a send timeout becomes one. With no error line before it (a
    /// version that did not log one), a send timeout in the reply counts on its own.
    fn failed_reply(&mut self, ev: Ev, timeout: bool) {
        while let Some(t) = self.open.front().map(|(t, _)| *t) {
            let stale = matches!((t.at, ev.at), (Some(t), Some(a)) if !within(a, t, REPLY_WINDOW));
            if !stale {
                break;
            }
            self.open.pop_front();
        }
        match self.open.pop_front() {
            Some((t, Counted::Error(listed))) if timeout => {
                self.count(t, |c| {
                    c.errors = c.errors.saturating_sub(1);
                    c.timeouts += 1;
                });
                self.tally.unlist(listed);
            }
            Some(_) => {}
            None if timeout => self.timeout(ev, 0, false),
            None => {}
        }
    }

    /// A line with a timestamp, and what it says if it counts.
    pub fn dated(&mut self, stamp: Stamp, uin: u64, d: Option<Digest>, line: &[u8]) {
        if let Some((ev, _)) = self.ws_waiting.take() {
            // Its action never showed: a request, but not one known to send.
            self.request(ev, false);
        }
        if !self.pending.is_empty() {
            self.expire_pending(Some(stamp));
        }
        if let Some(d) = d {
            self.event(Some(stamp), uin, d, line);
        }
    }

    /// A text line without a timestamp, when a WebSocket request waits for its action.
    /// Returns false when nothing waits.
    pub fn ws_continuation(&mut self, l: &[u8]) -> bool {
        let Some((ev, left)) = self.ws_waiting else {
            return false;
        };
        if let Some(a) = super::line::ws_action(l) {
            self.ws_waiting = None;
            self.request(ev, super::line::is_send_action(a));
        } else if left > 1 {
            self.ws_waiting = Some((ev, left - 1));
        } else {
            self.ws_waiting = None;
            self.request(ev, false);
        }
        true
    }

    /// Does the state wait for the next timestamp, whatever line it is on?
    pub fn waiting(&self) -> bool {
        !self.pending.is_empty() || self.ws_waiting.is_some()
    }

    /// Widens the span of times seen to `first..=last`.
    pub fn seen(&mut self, first: Stamp, last: Stamp) {
        let t = &mut self.tally;
        t.first = Some(t.first.map_or(first, |f| f.min(first)));
        t.last = t.last.max(Some(last));
    }

    /// Counts what is still waiting and returns the totals.
    pub fn finish(mut self) -> Tally {
        if let Some((ev, _)) = self.ws_waiting.take() {
            self.request(ev, false);
        }
        while let Some((p, target)) = self.pending.pop_front() {
            self.timeout(p, target, false);
        }
        let t = &mut self.tally;
        if let Some((day, c)) = self.day_now.take() {
            t.days.entry(day).or_default().add(c);
        }
        if let Some((account, c)) = self.account_now.take() {
            t.accounts.entry(account).or_default().add(c);
        }
        self.tally
    }
}

#[path = "count_own.rs"]
mod own;

#[cfg(test)]
#[path = "count_tests.rs"]
mod tests;
