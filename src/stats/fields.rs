//! The fields read out of a line that counts: the action of a request, the group a send timeout
//! or an own message names, a logged number. Like the rest of the line reading, no allocation and
//! no UTF-8 validation.

use memchr::memmem::Finder;

use super::line::{Needle, trailing_uin};

static ACTION: Needle = Needle::new(|| Finder::new(b"action"));
static PEER_UID: Needle = Needle::new(|| Finder::new(b"peerUid"));
static POST_SENT: Needle = Needle::new(|| Finder::new(br#""post_type":"message_sent""#));
static POST_MESSAGE: Needle = Needle::new(|| Finder::new(br#""post_type":"message""#));
static SELF_ID: Needle = Needle::new(|| Finder::new(br#""self_id""#));
static USER_ID: Needle = Needle::new(|| Finder::new(br#""user_id""#));
static GROUP_ID: Needle = Needle::new(|| Finder::new(br#""group_id""#));
static TARGET_ID: Needle = Needle::new(|| Finder::new(br#""target_id""#));

/// The digits after `key` and its quote, colon, spaces and opening quote: `"peerUid":"123"`,
/// `peerUid: '123'`, `"group_id":123`. 0 when absent or not digits.
fn number_after(b: &[u8], key: &Needle) -> u64 {
    let Some(k) = key.find(b) else { return 0 };
    let mut i = k + key.0.needle().len();
    while b
        .get(i)
        .is_some_and(|c| matches!(c, b'"' | b'\'' | b':' | b' '))
    {
        i += 1;
    }
    let mut v: u64 = 0;
    let start = i;
    while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(u64::from(d - b'0'));
        i += 1;
    }
    if i == start || i - start > 15 { 0 } else { v }
}

/// The group a send timeout names (`peerUid` of the send's arguments, a group number; a private
/// chat's peer is a `u_…` id and gives none): 0 when not logged.
pub fn timeout_target(text: &[u8]) -> u64 {
    number_after(&text[..text.len().min(4096)], &PEER_UID)
}

/// The chat of a message the account itself sent, as an event shows it: 3.x `ws 消息上报` of a
/// `message_sent` event (or a `message` whose `user_id` is the `self_id`) gives its `group_id`
/// (`target_id` for a private one); NapCat's `发送 -> 群聊 [name(group)]`, `私聊 (uin)`. 0 when
/// the line is no such event.
pub fn self_message_target(rest: &[u8], napcat: bool) -> u64 {
    let head = &rest[..rest.len().min(4096)];
    if napcat {
        // `群聊 [name(123)] [nick(456)] …` / `私聊 (123) …`: the first `(digits)`.
        let mut from = 0;
        while let Some(k) = memchr::memchr(b'(', &head[from..]) {
            let open = from + k;
            let n = head[open + 1..]
                .iter()
                .take(16)
                .take_while(|c| c.is_ascii_digit())
                .count();
            if n > 0 && head.get(open + 1 + n) == Some(&b')') {
                return trailing_uin(&head[open..open + 2 + n]).unwrap_or(0);
            }
            from = open + 1;
        }
        return 0;
    }
    let sent = POST_SENT.find(head).is_some()
        || (POST_MESSAGE.find(head).is_some() && {
            let me = number_after(head, &SELF_ID);
            me != 0 && me == number_after(head, &USER_ID)
        });
    if !sent {
        return 0;
    }
    match number_after(head, &GROUP_ID) {
        0 => number_after(head, &TARGET_ID),
        g => g,
    }
}

/// The OneBot action of an HTTP request line: the path after the marker, slashes and query
/// string removed (`/send_msg?access_token=x` → `send_msg`).
pub fn http_action(rest: &[u8]) -> Option<&[u8]> {
    let start = rest.iter().position(|&b| b != b' ')?;
    let r = &rest[start..];
    let end = r
        .iter()
        .position(|&b| matches!(b, b' ' | b'?' | b'#' | b'\t'))
        .unwrap_or(r.len());
    let path = &r[..end];
    let path = path.strip_suffix(b"/").unwrap_or(path);
    let name = match path.iter().rposition(|&b| b == b'/') {
        Some(k) => &path[k + 1..],
        None => path,
    };
    valid_action(name).then_some(name)
}

fn valid_action(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
}

/// The `action` of a WebSocket request logged as JSON (`"action":"send_msg"`, 3.x) or as
/// Node's `inspect` (`action: 'send_msg'`, 4.x and later). The first well-formed key wins; an
/// escaped key inside a string (`\"action\"`) does not count.
pub fn ws_action(rest: &[u8]) -> Option<&[u8]> {
    for pos in ACTION.find_iter(rest) {
        let quoted = pos > 0 && rest[pos - 1] == b'"';
        let ok_before = if quoted {
            pos < 2 || rest[pos - 2] != b'\\'
        } else {
            pos == 0 || matches!(rest[pos - 1], b' ' | b'{' | b',' | b'\t')
        };
        if !ok_before {
            continue;
        }
        let mut i = pos + 6;
        if quoted {
            if rest.get(i) != Some(&b'"') {
                continue;
            }
            i += 1;
        }
        while rest.get(i) == Some(&b' ') {
            i += 1;
        }
        if rest.get(i) != Some(&b':') {
            continue;
        }
        i += 1;
        while rest.get(i) == Some(&b' ') {
            i += 1;
        }
        let q = match rest.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => continue,
        };
        i += 1;
        let Some(len) = rest[i..].iter().take(65).position(|&b| b == q) else {
            continue;
        };
        let name = &rest[i..i + len];
        if valid_action(name) {
            return Some(name);
        }
    }
    None
}

/// The first number in `rest` (after spaces): `0 bytes` → 0, `5195.3125` → 5195 (rounded).
pub fn number(rest: &[u8]) -> Option<u64> {
    let start = rest.iter().position(|&b| b != b' ')?;
    let r = &rest[start..];
    let mut i = 0;
    let mut v: u64 = 0;
    while i < r.len() && r[i].is_ascii_digit() {
        v = v.checked_mul(10)?.checked_add(u64::from(r[i] - b'0'))?;
        i += 1;
    }
    if i == 0 {
        return None;
    }
    if r.get(i) == Some(&b'.') && r.get(i + 1).is_some_and(|d| (b'5'..=b'9').contains(d)) {
        v = v.checked_add(1)?;
    }
    Some(v)
}
