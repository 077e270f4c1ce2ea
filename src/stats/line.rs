//! One log line, as bytes: its timestamp, where LLOneBot's own words start, and which of the
//! lines `stats` cares about it is. Nothing here allocates or validates UTF-8; every check is a
//! prefix comparison or a short byte search, so a line that matters costs a few comparisons and
//! a line that does not costs less.

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// A wall-clock time as the log wrote it (local time, no zone): seconds since 1970-01-01 00:00:00
/// of that same clock. Only compared with other log times and with `--since`, never with UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp(pub i64);

impl Stamp {
    pub fn from_parts(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Stamp {
        Stamp(days_from_civil(y, m, d) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss))
    }

    /// Days since 1970-01-01 on the log's clock.
    pub fn day(self) -> i64 {
        self.0.div_euclid(86_400)
    }
}

/// How a line begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// A timestamp LLOneBot wrote; the text after it starts at `rest`.
    Dated { stamp: Stamp, rest: usize },
    /// Starts like a date (`2024/13/45 ...`) that is not one: a garbled line.
    BadDate,
    /// No timestamp: a continuation of a multi-line entry, or a format not known here.
    Undated,
}

/// (year, month, day) → days since 1970-01-01, proleptic Gregorian (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Reads 1 to `max` ASCII digits at `*i`.
fn digits(b: &[u8], i: &mut usize, max: usize) -> Option<(u32, usize)> {
    let start = *i;
    let mut v: u32 = 0;
    while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
        v = v * 10 + u32::from(b[*i] - b'0');
        *i += 1;
    }
    let n = *i - start;
    (n > 0).then_some((v, n))
}

/// A date and time at the start of `b`, as JavaScript's `toLocaleString()` writes it in the
/// locales QQ runs in, or as LLOneBot 5+ formats it itself:
/// `2024/8/2 15:03:13` (zh-CN), `2025-03-01 10:00:00`, `2024-08-02T15:03:13`,
/// `8/2/2024, 3:03:13 PM` (en-US), `02/08/2024, 15:03:13` (en-GB), `2.8.2024, 15:03:13` (de).
/// Returns the time and the bytes used; `Err(())` when it starts like a date but is not one.
fn datetime(b: &[u8]) -> Result<Option<(Stamp, usize)>, ()> {
    let mut i = 0;
    let Some((f1, n1)) = digits(b, &mut i, 4) else {
        return Ok(None);
    };
    let sep = match b.get(i) {
        Some(&s @ (b'/' | b'-' | b'.')) => s,
        _ => return Ok(None),
    };
    i += 1;
    let Some((f2, n2)) = digits(b, &mut i, 2) else {
        return Ok(None);
    };
    if b.get(i) != Some(&sep) {
        return Ok(None);
    }
    i += 1;
    let Some((f3, n3)) = digits(b, &mut i, 4) else {
        return Ok(None);
    };
    // From here on it looks like a date: anything wrong is a garbled line, not another format.
    if b.get(i) == Some(&b',') {
        i += 1;
    }
    match b.get(i) {
        Some(b' ' | b'T') => i += 1,
        _ => return Err(()),
    }
    let (hh, _) = digits(b, &mut i, 2).ok_or(())?;
    if b.get(i) != Some(&b':') {
        return Err(());
    }
    i += 1;
    let (mm, nm) = digits(b, &mut i, 2).ok_or(())?;
    if b.get(i) != Some(&b':') || nm != 2 {
        return Err(());
    }
    i += 1;
    let (ss, ns) = digits(b, &mut i, 2).ok_or(())?;
    if ns != 2 {
        return Err(());
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        digits(b, &mut i, 9).ok_or(())?;
    }
    // AM/PM (en-US).
    let mut ampm = None;
    if b.get(i) == Some(&b' ') {
        let next = b.get(i + 1..i + 3).map(|s| s.to_ascii_uppercase());
        if matches!(next.as_deref(), Some(b"AM") | Some(b"PM"))
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            ampm = Some(b[i + 1].eq_ignore_ascii_case(&b'P'));
            i += 3;
        }
    }
    let (y, m, d) = if n1 == 4 && n2 <= 2 && n3 <= 2 {
        (i64::from(f1), f2, f3)
    } else if n3 == 4 && n1 <= 2 {
        // Year last: month first in en-US (which also writes AM/PM), day first elsewhere;
        // a field above 12 settles it either way.
        let month_first = if f1 > 12 {
            false
        } else if f2 > 12 {
            true
        } else {
            ampm.is_some()
        };
        if month_first {
            (i64::from(f3), f1, f2)
        } else {
            (i64::from(f3), f2, f1)
        }
    } else {
        return Err(());
    };
    let hh = match ampm {
        Some(pm) => {
            if !(1..=12).contains(&hh) {
                return Err(());
            }
            hh % 12 + if pm { 12 } else { 0 }
        }
        None => hh,
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 60
    {
        return Err(());
    }
    Ok(Some((Stamp::from_parts(y, m, d, hh, mm, ss.min(59)), i)))
}

/// Reads the timestamp a line starts with, after the `[level] | ` some versions put first.
pub fn lead(line: &[u8]) -> Lead {
    let mut i = 0;
    if line.first() == Some(&b'[')
        && let Some(close) = line.iter().take(16).position(|&b| b == b']')
        && line[close + 1..].starts_with(b" | ")
    {
        i = close + 4;
    }
    if !line.get(i).is_some_and(u8::is_ascii_digit) {
        return Lead::Undated;
    }
    match datetime(&line[i..]) {
        Ok(Some((stamp, used))) => Lead::Dated {
            stamp,
            rest: i + used,
        },
        Ok(None) => Lead::Undated,
        Err(()) => Lead::BadDate,
    }
}

/// Whether `line` starts with the timestamp `prev` starts with, so that [`lead`] would read the
/// same `Dated { stamp, rest }` from it as it read from `prev` (given as that `rest`), without
/// parsing it again: consecutive lines of a log mostly share their second.
///
/// `lead` decides from the bytes before `rest` and, after the seconds, from the next one or
/// four (a fraction, an AM/PM). So: `rest` must end right after the seconds of `prev` (`:ss`,
/// no fraction, no AM/PM), the bytes before it must be equal, and the byte at `rest` in `line`
/// must start neither a fraction nor an AM/PM.
pub fn same_lead(line: &[u8], prev: &[u8], rest: usize) -> bool {
    rest >= 3
        && prev.len() >= rest
        && prev[rest - 3] == b':'
        && line.len() > rest
        && line[..rest] == prev[..rest]
        && match line[rest] {
            b'.' => false,
            b' ' => !matches!(line.get(rest + 1), Some(b'A' | b'a' | b'P' | b'p')),
            _ => true,
        }
}

/// The first `): ` in `head` (as `memmem::find` would, without building a searcher per line).
fn find_paren_colon(head: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b')', head).find(|&k| head.get(k + 1..k + 3) == Some(b": "))
}

/// A searcher built once: `memmem::find` builds one per call, which costs more than the search
/// on a short line.
struct Needle(LazyLock<Finder<'static>>);

impl Needle {
    const fn new(f: fn() -> Finder<'static>) -> Needle {
        Needle(LazyLock::new(f))
    }
    fn find(&self, hay: &[u8]) -> Option<usize> {
        self.0.find(hay)
    }
    fn find_iter<'h>(&'h self, hay: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
        self.0.find_iter(hay)
    }
}

static SEND_MSG: Needle = Needle::new(|| Finder::new(b"sendMsg"));
static FORWARD_MSG: Needle = Needle::new(|| Finder::new(b"orwardMsg"));
static SEND_TIMEOUT_N: Needle = Needle::new(|| Finder::new("发送超时".as_bytes()));
static NTQQ_TIMEOUT: Needle = Needle::new(|| Finder::new(b"ntqq api timeout"));
static NTEVENT_TIMEOUT: Needle = Needle::new(|| Finder::new(b"Timeout: NTEvent"));
static STATUS_FAILED: Needle = Needle::new(|| Finder::new(br#""status":"failed""#));
static ACTION: Needle = Needle::new(|| Finder::new(b"action"));
static ANYWHERE: [Needle; 5] = [
    Needle::new(|| Finder::new("收到".as_bytes())),
    Needle::new(|| Finder::new("发送消息总大小".as_bytes())),
    Needle::new(|| Finder::new("设置消息超时时间".as_bytes())),
    Needle::new(|| Finder::new("发生错误".as_bytes())),
    Needle::new(|| Finder::new(b"ntqq api timeout")),
];

/// Where LLOneBot's message may start in the text after the timestamp. The first offset is
/// right after the separators (` | `, `[I] `); the second skips what some formats put before the
/// message: `nick(uin): ` (3.x) or a logger name (4.x and later). Callers try them in order.
pub fn message_starts(line: &[u8], rest: usize) -> (usize, Option<usize>) {
    let mut p = rest.min(line.len());
    let skip_spaces = |p: &mut usize| {
        while line.get(*p) == Some(&b' ') {
            *p += 1;
        }
    };
    skip_spaces(&mut p);
    if line.get(p) == Some(&b'|') {
        p += 1;
        skip_spaces(&mut p);
    }
    // `[I] ` / `[W] ` level tag of LLOneBot 6+.
    if line.get(p) == Some(&b'[')
        && let Some(close) = line[p..].iter().take(10).position(|&b| b == b']')
        && line.get(p + close + 1) == Some(&b' ')
    {
        p += close + 2;
    }
    let head = &line[p..line.len().min(p + 256)];
    if let Some(k) = find_paren_colon(head) {
        // `nick(uin): ` — the uin is digits.
        if let Some(open) = head[..k].iter().rposition(|&b| b == b'(')
            && head[open + 1..k].iter().all(u8::is_ascii_digit)
        {
            return (p, Some(p + k + 3));
        }
    }
    if head.starts_with(b": ") {
        // 3.x with no account logged in yet: `${time} : message`.
        return (p + 2, None);
    }
    // A logger name: a short ASCII word.
    let tok = head.iter().take(41).position(|&b| b == b' ').filter(|&n| {
        n > 0
            && head[..n]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
    });
    (p, tok.map(|n| p + n + 1))
}

/// The lines that matter, with the text after their fixed words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'a> {
    /// `收到http请求 /send_msg {...}` (3.x) or `收到 HTTP 请求 /send_msg?... {...}` (4.x+).
    Http(&'a [u8]),
    /// `收到正向Websocket消息 {...}`, `收到反向Websocket消息`, `收到正向 Websocket 消息` (4.x+).
    Ws(&'a [u8]),
    /// `发送消息总大小 N bytes` (3.x up to 3.29.3).
    AttachmentSize(&'a [u8]),
    /// `设置消息超时时间 N` (same versions).
    TimeoutSet(&'a [u8]),
    /// `发生错误 ...`: a OneBot action failed (BaseAction, every version).
    Error(&'a [u8]),
    /// `ntqq api timeout ...` logged by the IPC layer before the action fails; `true` when it
    /// was a send (`sendMsg`, `forwardMsgWithComment`, `multiForwardMsgWithComment`).
    ApiTimeout(bool),
    /// `ws 消息上报 <url> <json>`: 3.x logs every WebSocket reply, failures included.
    WsReply(&'a [u8]),
}

const HTTP: [&[u8]; 3] = [
    "收到http请求".as_bytes(),
    "收到 HTTP 请求".as_bytes(),
    "收到HTTP请求".as_bytes(),
];
const RECEIVED: &[u8] = "收到".as_bytes();
const ATTACHMENT: &[u8] = "发送消息总大小".as_bytes();
const TIMEOUT_SET: &[u8] = "设置消息超时时间".as_bytes();
const ERROR: &[u8] = "发生错误".as_bytes();
const SEND_TIMEOUT: &[u8] = "发送超时".as_bytes();
const WS_REPLY: &[u8] = "ws 消息上报".as_bytes();
const API_TIMEOUTS: [&[u8]; 4] = [
    b"ntqq api timeout",
    b"Error: ntqq api timeout",
    b"Timeout: NTEvent",
    b"Error: Timeout: NTEvent",
];

fn strip<'a>(b: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    b.strip_prefix(prefix)
}

/// `收到` + optional `正向`/`反向` + optional space + `websocket` (any case) + optional space + `消息`.
fn ws_marker(m: &[u8]) -> Option<&[u8]> {
    let mut r = strip(m, RECEIVED)?;
    for dir in ["正向", "反向"] {
        if let Some(x) = strip(r, dir.as_bytes()) {
            r = x;
            break;
        }
    }
    r = r.strip_prefix(b" ").unwrap_or(r);
    let word = r.get(..9)?;
    if !word.eq_ignore_ascii_case(b"websocket") {
        return None;
    }
    r = &r[9..];
    r = r.strip_prefix(b" ").unwrap_or(r);
    strip(r, "消息".as_bytes())
}

/// Is this the name of a send method of QQ's message service?
pub fn names_send_method(b: &[u8]) -> bool {
    SEND_MSG.find(b).is_some() || FORWARD_MSG.find(b).is_some()
}

/// Which line this is, when LLOneBot's message starts at `m`.
pub fn kind_at(m: &[u8]) -> Option<Kind<'_>> {
    // Every marker starts with one of these bytes: reject most lines on the first one.
    match m.first()? {
        0xE6 => {
            for h in HTTP {
                if let Some(r) = strip(m, h) {
                    return Some(Kind::Http(r));
                }
            }
            ws_marker(m).map(Kind::Ws)
        }
        0xE5 => {
            if let Some(r) = strip(m, ATTACHMENT) {
                Some(Kind::AttachmentSize(r))
            } else if let Some(r) = strip(m, ERROR) {
                Some(Kind::Error(r))
            } else {
                strip(m, SEND_TIMEOUT).map(|_| Kind::ApiTimeout(true))
            }
        }
        0xE8 => strip(m, TIMEOUT_SET).map(Kind::TimeoutSet),
        b'w' => strip(m, WS_REPLY).map(Kind::WsReply),
        b'n' | b'E' | b'T' => API_TIMEOUTS
            .iter()
            .find_map(|p| strip(m, p))
            .map(|r| Kind::ApiTimeout(names_send_method(r))),
        _ => None,
    }
}

/// The kind of a dated line: tries each place the message may start.
pub fn classify(line: &[u8], rest: usize) -> Option<Kind<'_>> {
    let (p, alt) = message_starts(line, rest);
    kind_at(&line[p..]).or_else(|| alt.and_then(|a| kind_at(&line[a..])))
}

/// For a line with no timestamp in a known format: the earliest marker in its first bytes.
/// Only used for lines that do not look like a continuation.
pub fn classify_anywhere(line: &[u8]) -> Option<Kind<'_>> {
    let head = &line[..line.len().min(256)];
    let best = ANYWHERE.iter().filter_map(|n| n.find(head)).min();
    kind_at(&line[best?..])
}

/// Does the text of a `发生错误` line say a send timed out?
pub fn error_is_send_timeout(text: &[u8]) -> bool {
    if SEND_TIMEOUT_N.find(text).is_some() {
        return true;
    }
    let api_timeout = NTQQ_TIMEOUT.find(text).is_some() || NTEVENT_TIMEOUT.find(text).is_some();
    api_timeout && names_send_method(text)
}

/// Is this WebSocket reply a failure (`"status":"failed"` at the top level of its JSON)?
pub fn reply_failed(rest: &[u8]) -> bool {
    STATUS_FAILED
        .find_iter(rest)
        .any(|k| k > 0 && matches!(rest[k - 1], b'{' | b','))
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

/// The OneBot actions that send a message.
pub const SEND_ACTIONS: [&str; 6] = [
    "send_msg",
    "send_group_msg",
    "send_private_msg",
    "send_forward_msg",
    "send_group_forward_msg",
    "send_private_forward_msg",
];

pub fn is_send_action(name: &[u8]) -> bool {
    SEND_ACTIONS.iter().any(|a| a.as_bytes() == name)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(line: &str) -> (Stamp, usize) {
        match lead(line.as_bytes()) {
            Lead::Dated { stamp, rest } => (stamp, rest),
            other => panic!("{line:?}: {other:?}"),
        }
    }

    fn kind(line: &str) -> Option<Kind<'_>> {
        let (_, rest) = dated(line);
        classify(line.as_bytes(), rest)
    }

    #[test]
    fn timestamps_in_every_known_shape() {
        let want = Stamp::from_parts(2024, 8, 2, 15, 3, 13);
        for line in [
            "2024/8/2 15:03:13 空(1511954122): x",
            "2024/08/02 15:03:13 x",
            "2024-08-02 15:03:13 | x",
            "2024-08-02T15:03:13.123Z x",
            "8/2/2024, 3:03:13 PM x",
            "02/08/2024, 15:03:13 x",
            "2.8.2024, 15:03:13 x",
            "[info] | 2024-08-02 15:03:13 | x",
        ] {
            assert_eq!(dated(line).0, want, "{line}");
        }
        assert_eq!(want.day(), days_from_civil(2024, 8, 2));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            dated("8/2/2024, 12:00:01 AM x").0,
            Stamp::from_parts(2024, 8, 2, 0, 0, 1)
        );
        assert_eq!(
            dated("2024/2/29 23:59:59 x").0,
            Stamp::from_parts(2024, 2, 29, 23, 59, 59)
        );
    }

    #[test]
    fn not_dates_and_bad_dates() {
        for line in [
            "",
            "    at foo (bar.js:1:2)",
            "{}",
            "Error: x",
            "12345 apples",
            "1.5 x",
        ] {
            assert_eq!(lead(line.as_bytes()), Lead::Undated, "{line:?}");
        }
        for line in [
            "2024/13/2 15:03:13 x",
            "2023/2/29 10:00:00 x",
            "2024/8/2 25:03:13 x",
            "2024/8/2 15:3 x",
            "2024/8/2",
            "2024/8/2 15:03:13 AM x",
        ] {
            // The last one: 15 o'clock with AM.
            assert_eq!(lead(line.as_bytes()), Lead::BadDate, "{line:?}");
        }
    }

    #[test]
    fn the_3_27_3_sample_lines() {
        let l = "2024/8/2 15:03:08 空(1511954122): 收到http请求 /send_group_msg {\"group_id\":194167989} ";
        let Some(Kind::Http(r)) = kind(l) else {
            panic!("{:?}", kind(l))
        };
        assert_eq!(http_action(r), Some(&b"send_group_msg"[..]));
        let l = "2024/8/2 15:03:08 空(1511954122): 发送消息总大小 0 bytes ";
        let Some(Kind::AttachmentSize(r)) = kind(l) else {
            panic!()
        };
        assert_eq!(number(r), Some(0));
        let l = "2024/8/2 15:03:08 空(1511954122): 设置消息超时时间 5000 ";
        let Some(Kind::TimeoutSet(r)) = kind(l) else {
            panic!()
        };
        assert_eq!(number(r), Some(5000));
        let l = "2024/8/2 15:03:13 空(1511954122): ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg [\"x\"] ";
        assert_eq!(kind(l), Some(Kind::ApiTimeout(true)));
        let l = "2024/8/2 15:03:13 空(1511954122): 发生错误 发送超时";
        let Some(Kind::Error(r)) = kind(l) else {
            panic!()
        };
        assert!(error_is_send_timeout(r));
    }

    #[test]
    fn later_formats() {
        // 4.x: legacy log() without the account, and the cordis logger with its name.
        let l = "2024/11/3 10:00:01 ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/getUserDetailInfo [] ";
        assert_eq!(kind(l), Some(Kind::ApiTimeout(false)));
        let l = "2024/11/3 10:00:01 | onebot 收到 HTTP 请求 /send_private_msg?access_token=abc { user_id: 1 }";
        let Some(Kind::Http(r)) = kind(l) else {
            panic!()
        };
        assert_eq!(http_action(r), Some(&b"send_private_msg"[..]));
        let l = "2024/11/3 10:00:01 | onebot 收到正向 Websocket 消息 { action: 'send_group_forward_msg', params: {} }";
        let Some(Kind::Ws(r)) = kind(l) else { panic!() };
        assert_eq!(ws_action(r), Some(&b"send_group_forward_msg"[..]));
        // 5.x: `[level] | time | content`; 6.x: `time [I] name content`.
        let l = "[error] | 2025-01-05 10:00:00 | 发生错误 Error: ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg, []";
        let Some(Kind::Error(r)) = kind(l) else {
            panic!()
        };
        assert!(error_is_send_timeout(r));
        let l = "2025-06-01 09:00:00 [I] llbot 收到反向Websocket消息 {\"echo\":1,\"action\":\"send_msg\"}";
        let Some(Kind::Ws(r)) = kind(l) else { panic!() };
        assert_eq!(ws_action(r), Some(&b"send_msg"[..]));
        // 3.x with no account yet.
        let l = "2024/8/2 15:03:13 : 发生错误 {}";
        assert!(matches!(kind(l), Some(Kind::Error(_))));
    }

    #[test]
    fn replies_and_chat_text_are_not_errors() {
        for l in [
            // Someone typing the words in a group.
            "2024/8/2 15:03:13 空(1): 收到消息 {\"raw_message\":\"发生错误 发送超时\"}",
            "2024/8/2 15:03:13 | onebot WebSocket 事件上报 ws://x message",
            "2024/8/2 15:03:13 消息发送 12345 ",
        ] {
            assert_eq!(kind(l), None, "{l}");
        }
        // The WebSocket reply to a failed send repeats the error: its own kind, not an error.
        let l = "2024/8/2 15:03:13 空(1): ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"} ";
        let Some(Kind::WsReply(r)) = kind(l) else {
            panic!()
        };
        assert!(reply_failed(r) && error_is_send_timeout(r));
        assert!(!reply_failed(
            br#"{"post_type":"message","raw_message":"{\"status\":\"failed\"}"}"#
        ));
    }

    #[test]
    fn actions() {
        assert_eq!(
            ws_action(br#"{"params":{"message":"{\"action\":\"x\"}"},"action":"send_msg"}"#),
            Some(&b"send_msg"[..])
        );
        assert_eq!(
            ws_action(br#"{"action": "get_status"}"#),
            Some(&b"get_status"[..])
        );
        assert_eq!(ws_action(b"{ transaction: 'x' }"), None);
        assert_eq!(ws_action(b"{\"params\":{}"), None);
        assert_eq!(http_action(b" /send_msg/ {}"), Some(&b"send_msg"[..]));
        assert_eq!(http_action(b" / {}"), None);
        assert!(is_send_action(b"send_private_forward_msg"));
        assert!(!is_send_action(b"send_like"));
        assert_eq!(number(b" 5195.6"), Some(5196));
        assert_eq!(number(b" 12 bytes"), Some(12));
        assert_eq!(number(b" x"), None);
        assert_eq!(number(b" 99999999999999999999999"), None);
    }

    #[test]
    fn never_panics_on_junk() {
        let junk: [&[u8]; 6] = [
            b"\xff\xfe\x00\x01",
            b"2024/8/2 15:03:13",
            b"2024/8/2 15:03:13 ",
            "2024/8/2 15:03:13 收".as_bytes(),
            b"[info] | ",
            b"2024/8/2 15:03:13 \xe5\x8f",
        ];
        for j in junk {
            if let Lead::Dated { rest, .. } = lead(j) {
                let _ = classify(j, rest);
            }
            let _ = classify_anywhere(j);
        }
    }

    #[test]
    fn a_shared_timestamp_reads_the_same() {
        let lines: [&[u8]; 16] = [
            "2024/8/2 15:03:13 空(1): 收到http请求 /send_msg {}".as_bytes(),
            b"2024/8/2 15:03:13 x",
            b"2024/8/2 15:03:13",
            b"2024/8/2 15:03:13 ",
            b"2024/8/2 15:03:13.5 x",
            b"2024/8/2 15:03:13. x",
            b"2024/8/2 15:03:13 PM",
            b"2024/8/2 15:03:13 pmx",
            b"2024/8/2 15:03:13 Ax",
            b"2024/8/2 15:03:134",
            b"2024/8/2 15:03:13,",
            b"8/2/2024, 3:03:13 PM x",
            b"8/2/2024, 3:03:13 PM",
            b"[info] | 2025-01-05 10:00:00 | x",
            b"[error] | 2025-01-05 10:00:00 | x",
            b"2024-08-02T15:03:13.123Z x",
        ];
        for prev in lines {
            let Lead::Dated { rest, .. } = lead(prev) else {
                continue;
            };
            for line in lines {
                if same_lead(line, prev, rest) {
                    assert_eq!(
                        lead(line),
                        lead(prev),
                        "{:?} after {:?}",
                        String::from_utf8_lossy(line),
                        String::from_utf8_lossy(prev)
                    );
                }
            }
        }
        let a = b"2024/8/2 15:03:13 x";
        assert!(same_lead(b"2024/8/2 15:03:13 y", a, 17));
        assert!(!same_lead(b"2024/8/2 15:03:14 y", a, 17));
    }

    proptest::proptest! {
        #[test]
        fn same_lead_agrees_with_lead(
            date in "(2024/8/2 |2024-08-02 |8/2/2024, |\\[info\\] \\| 2025-01-05 )1[0-9]:0[0-9]:[0-5][0-9]",
            prev_tail in "[ .APpamx0-9]{0,4}",
            tail in "[ .APpamx0-9,]{0,4}",
        ) {
            let prev = format!("{date}{prev_tail}");
            let line = format!("{date}{tail}");
            if let Lead::Dated { rest, .. } = lead(prev.as_bytes())
                && same_lead(line.as_bytes(), prev.as_bytes(), rest)
            {
                proptest::prop_assert_eq!(lead(line.as_bytes()), lead(prev.as_bytes()));
            }
        }
    }
}
