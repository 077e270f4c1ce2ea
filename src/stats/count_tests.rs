//! Tests of the counting state: own messages that confirm a send, and the size buckets.

use super::*;

fn group_send(c: &mut Counter, t: i64) {
    c.event(Some(Stamp(t)), 1, Digest::Request { send: true }, b"");
}

fn own_message(c: &mut Counter, t: i64, group: u64) {
    c.event(Some(Stamp(t)), 1, Digest::SelfSent { target: group }, b"");
}

fn timeout(c: &mut Counter, t: i64, group: u64) {
    let d = Digest::Error {
        what: ErrKind::SendTimeout,
        target: group,
    };
    c.event(Some(Stamp(t)), 1, d, b"");
}

#[test]
fn an_own_message_confirms_only_its_own_send() {
    // Echo after the timeout, same group: delivered.
    let mut c = Counter::new(None);
    group_send(&mut c, 100);
    timeout(&mut c, 110, 7);
    own_message(&mut c, 112, 7);
    assert_eq!((c.tally.total.timeouts, c.tally.total.delivered), (1, 1));
    // Echo while the send waited (before the timeout line), same group: delivered.
    let mut c = Counter::new(None);
    group_send(&mut c, 100);
    own_message(&mut c, 101, 7);
    timeout(&mut c, 110, 7);
    assert_eq!(c.tally.total.delivered, 1);
    // The echo of an earlier send, or of another group, or too late: not this one.
    let mut c = Counter::new(None);
    own_message(&mut c, 99, 7);
    group_send(&mut c, 100);
    timeout(&mut c, 110, 7);
    own_message(&mut c, 111, 8);
    own_message(&mut c, 200, 7);
    assert_eq!((c.tally.total.timeouts, c.tally.total.delivered), (1, 0));
}

#[test]
fn buckets() {
    assert_eq!(bucket(0), 0);
    assert_eq!(bucket(100 * 1024), 1);
    assert_eq!(bucket(1 << 20), 2);
    assert_eq!(bucket(u64::MAX), 3);
}

/// Sends of two accounts over two days, in an order that goes back and forth: each day and
/// each account gets exactly its own (the latest day and account are kept aside until another
/// comes or the count ends).
#[test]
fn days_and_accounts_going_back_and_forth_add_up() {
    let day = 86_400;
    let mut c = Counter::new(None);
    c.file.stack = Stack::Llbot;
    let sends = [
        (0, 1),
        (10, 1),
        (day, 2),
        (20, 1),
        (day + 5, 1),
        (30, 2),
        (day + 9, 2),
    ];
    for (t, uin) in sends {
        c.event(Some(Stamp(t)), uin, Digest::Request { send: true }, b"");
    }
    let t = c.finish();
    let per_day: Vec<(i64, u64)> = t.days.iter().map(|(d, c)| (*d, c.sends)).collect();
    assert_eq!(per_day, [(0, 4), (1, 3)]);
    let per_account: Vec<(u64, u64)> = t.accounts.iter().map(|((_, a), c)| (*a, c.sends)).collect();
    assert_eq!(per_account, [(1, 4), (2, 3)]);
    assert_eq!(t.total.sends, 7);
}
