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
