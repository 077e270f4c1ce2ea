//! One log line, as bytes: its timestamp, where LLOneBot's own words start, and which of the
//! lines `stats` cares about it is. Nothing here allocates or validates UTF-8; every check is a
//! prefix comparison or a short byte search, so a line that matters costs a few comparisons and
//! a line that does not costs less.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::error_text::ipc_timeout;

pub use super::error_text::{
    ErrKind, error_is_send_timeout, error_kind, error_message, error_words,
};
pub use super::fields::{http_action, number, self_message_target, timeout_target, ws_action};
pub use super::stamp::{
    Clock, Lead, Stamp, YearHint, date_order, days_from_civil, lead, lead_at, lead_in, same_bytes,
    same_lead,
};

/// The first `): ` in `head` (as `memmem::find` would, without building a searcher per line).
fn find_paren_colon(head: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b')', head).find(|&k| head.get(k + 1..k + 3) == Some(b": "))
}

/// A searcher built once: `memmem::find` builds one per call, which costs more than the search
/// on a short line.
pub(super) struct Needle(pub(super) LazyLock<Finder<'static>>);

impl Needle {
    pub(super) const fn new(f: fn() -> Finder<'static>) -> Needle {
        Needle(LazyLock::new(f))
    }
    pub(super) fn find(&self, hay: &[u8]) -> Option<usize> {
        self.0.find(hay)
    }
    pub(super) fn find_iter<'h>(&'h self, hay: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
        self.0.find_iter(hay)
    }
}

static SEND_MSG: Needle = Needle::new(|| Finder::new(b"sendMsg"));
static FORWARD_MSG: Needle = Needle::new(|| Finder::new(b"orwardMsg"));
static PB_SEND_MSG: Needle = Needle::new(|| Finder::new(b"PbSendMsg"));
static STATUS_FAILED: Needle = Needle::new(|| Finder::new(br#""status":"failed""#));

/// Where the implementation's message may start in the text after the timestamp, and the
/// account the line names. Callers try the starts in order; the layouts, by version:
/// `nick(uin): msg` (3.x), `[type] nick(uin) | name msg` (3.31-4.x), `| name msg` and `msg` (4.x
/// legacy), `| msg` (5.x-7.11), `[I] name msg` (7.12+, 8.x), `[level] nick | msg` (NapCat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Starts {
    pub at: [usize; 3],
    pub n: usize,
    /// The account (`nick(uin)`) the line names; 0 when none.
    pub uin: u64,
    /// The message starts right after `nick(uin): ` (3.x): then `at[0]` is its only start, and
    /// it is decided by the bytes from `rest` up to it alone.
    pub nick: bool,
}

impl Starts {
    fn push(&mut self, k: usize) {
        if self.n < 3 && !self.at[..self.n].contains(&k) {
            self.at[self.n] = k;
            self.n += 1;
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.at[..self.n].iter().copied()
    }
}

/// `(digits)` at the end of `b`: the uin of `nick(uin)`.
pub(super) fn trailing_uin(b: &[u8]) -> Option<u64> {
    let b = b.strip_suffix(b")")?;
    let open = b.iter().rposition(|&c| c == b'(')?;
    let digits = &b[open + 1..];
    if digits.is_empty() || digits.len() > 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // At most 12 digits: no overflow.
    Some(
        digits
            .iter()
            .fold(0u64, |v, &d| v * 10 + u64::from(d - b'0')),
    )
}

/// A logger name: a short ASCII word and a space; returns where the text after it starts.
/// One pass that stops at the first byte that is no name byte: most heads start with a nick in
/// CJK or a marker, which end it on the first byte.
fn logger_name(head: &[u8]) -> Option<usize> {
    for (n, &b) in head.iter().take(41).enumerate() {
        if b == b' ' {
            return (n > 0).then_some(n + 1);
        }
        if HEAD_BYTES[usize::from(b)] & NAME_BYTE == 0 {
            return None;
        }
    }
    None
}

/// A byte of a logger name: ASCII letters and digits, `_ - . /`.
const NAME_BYTE: u8 = 1;
/// A payload's bracket or quote: none comes before the bar of `nick | `.
const PAYLOAD_BYTE: u8 = 2;
/// The classes of the bytes the head of a line is scanned for, one lookup a byte: the message
/// starts are read on every dated line, and a chain of comparisons per byte cost more.
static HEAD_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/') {
            t[b] |= NAME_BYTE;
        }
        if matches!(c, b'{' | b'\'' | b'"' | b'[') {
            t[b] |= PAYLOAD_BYTE;
        }
        b += 1;
    }
    t
};

/// The level words loggers put in brackets: cordis' letters (7.12+: `[I]`, `[E]`), the words
/// of 3.3x-4.x and NapCat (`[info]`, `[error]`), and the other usual names, any case.
fn is_level_word(w: &[u8]) -> bool {
    const LEVELS: [&[u8]; 16] = [
        b"i", b"w", b"e", b"d", b"s", b"info", b"warn", b"warning", b"error", b"err", b"debug",
        b"fatal", b"trace", b"success", b"verbose", b"log",
    ];
    w.len() <= 7 && LEVELS.iter().any(|l| l.eq_ignore_ascii_case(w))
}

pub fn message_starts(line: &[u8], rest: usize) -> Starts {
    let mut st = Starts {
        at: [0; 3],
        n: 0,
        uin: 0,
        nick: false,
    };
    let mut p = rest.min(line.len());
    let skip_spaces = |p: &mut usize| {
        while line.get(*p) == Some(&b' ') {
            *p += 1;
        }
    };
    skip_spaces(&mut p);
    // `| msg` (5.x-7.11, 4.x legacy) or a level tag (3.3x-4.x, 7.12+, NapCat): layouts that
    // never name the account as 3.x's `nick(uin): `. There a `(uin): ` further on is the
    // payload's (a relayed message, `张三(12345): 你好`), and taking it for the account made
    // the line's message start inside the payload: the request went uncounted.
    let mut not_3x = false;
    if line.get(p) == Some(&b'|') {
        p += 1;
        skip_spaces(&mut p);
        not_3x = true;
    }
    // `[I] `, `[info] `, `[error] ` level tag (a 3.x nick may start with `[BOT] ` too).
    if line.get(p) == Some(&b'[')
        && let Some(close) = line[p..].iter().take(10).position(|&b| b == b']')
        && line.get(p + close + 1) == Some(&b' ')
    {
        not_3x |= is_level_word(&line[p + 1..p + close]);
        p += close + 2;
        skip_spaces(&mut p);
    }
    let head = &line[p..line.len().min(p + 256)];
    if !not_3x
        && let Some(k) = find_paren_colon(head)
        && let Some(uin) = trailing_uin(&head[..=k])
    {
        // `nick(uin): ` (3.x).
        st.uin = uin;
        st.nick = true;
        st.push(p + k + 3);
        return st;
    }
    if head.starts_with(b": ") {
        // 3.x with no account logged in yet: `${time} : message`.
        st.push(p + 2);
        return st;
    }
    if head.starts_with(b"| ") {
        // 3.31-4.x before login: `[info]  | name msg`.
        let q = p + 2;
        st.push(q);
        if let Some(n) = logger_name(&line[q..line.len().min(q + 64)]) {
            st.push(q + n);
        }
        return st;
    }
    st.push(p);
    if let Some(n) = logger_name(head) {
        st.push(p + n);
    }
    // `nick(uin) | name msg` (3.31-4.x) or `nick | msg` (NapCat): a short prefix that is no
    // payload (no brackets or quotes before the bar).
    let short = &head[..head.len().min(96)];
    if let Some(k) = memchr::memchr_iter(b'|', short)
        .find(|&k| k > 0 && short[k - 1] == b' ' && short.get(k + 1) == Some(&b' '))
        .map(|k| k - 1)
        && !head[..k]
            .iter()
            .any(|&b| HEAD_BYTES[usize::from(b)] & PAYLOAD_BYTE != 0)
    {
        st.uin = trailing_uin(&head[..k]).unwrap_or(0);
        let q = p + k + 3;
        // 3.31-4.x: the cordis logger's name comes next.
        if st.uin != 0
            && let Some(n) = logger_name(&line[q..line.len().min(q + 64)])
        {
            st.push(q + n);
        }
        st.push(q);
    }
    st
}

/// A message received or sent, as LLOneBot 5.x-8.x (`[收-群] 群名(gid) 发送者(uin)：`, `[发-私] …`,
/// `ntqqapi/log.ts`) and NapCat (`接收 <- 群聊 […] …`, `napcat-core/helper/log.ts`) log it: most
/// entries of a busy bot's log, and none that counts (NapCat's own `发送 -> ` lines do).
fn is_chat_summary(line: &[u8], rest: usize) -> bool {
    let head = &line[rest.min(line.len())..line.len().min(rest + 48)];
    // Every summary has a `-` at a fixed place (`[收-`, `[发-`, `接收 <- `), and `-` is rare
    // after the timestamp: a few hits a line, each one or two comparisons.
    memchr::memchr_iter(b'-', head).any(|k| {
        (k >= 4 && {
            let h = &head[k - 4..=k];
            h == "[收-".as_bytes() || h == "[发-".as_bytes()
        }) || (k >= 8 && head.get(k - 8..k + 2) == Some("接收 <- ".as_bytes()))
    })
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
    /// `发送 -> 群聊 [name(group)] ...`: NapCat logs each message the account sent
    /// (`logMessage`, `packages/napcat-core/helper/log.ts`).
    SelfSent(&'a [u8]),
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
const SELF_SENT: &[u8] = "发送 -> ".as_bytes();
/// NapCat's reverse WebSocket client: `[OneBot] [WebSocket Client] 收到正向Websocket消息 {…}`
/// (`packages/napcat-onebot/network/websocket-client.ts`, v2.0 to v4.18).
const NAPCAT_WS_CLIENT: &[u8] = b"[OneBot] [WebSocket Client] ";

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

/// Is this the name of a send method of QQ's message service (`sendMsg`, `forwardMsg`,
/// `multiForwardMsgWithComment`, `MessageSvc.PbSendMsg`)?
pub fn names_send_method(b: &[u8]) -> bool {
    SEND_MSG.find(b).is_some() || FORWARD_MSG.find(b).is_some() || PB_SEND_MSG.find(b).is_some()
}

/// Which line this is, when LLOneBot's message starts at `m`.
#[inline(always)]
pub fn kind_at(m: &[u8]) -> Option<Kind<'_>> {
    // Every marker starts with one of these characters: reject most lines on the first one.
    match m.get(..3)? {
        b"\xE6\x94\xB6" => {
            // 收
            for h in HTTP {
                if let Some(r) = strip(m, h) {
                    return Some(Kind::Http(r));
                }
            }
            ws_marker(m).map(Kind::Ws)
        }
        b"\xE5\x8F\x91" => {
            // 发
            if let Some(r) = strip(m, ATTACHMENT) {
                Some(Kind::AttachmentSize(r))
            } else if let Some(r) = strip(m, ERROR) {
                Some(Kind::Error(r))
            } else if let Some(r) = strip(m, SELF_SENT) {
                Some(Kind::SelfSent(r))
            } else {
                strip(m, SEND_TIMEOUT).map(|_| Kind::ApiTimeout(true))
            }
        }
        // 设
        b"\xE8\xAE\xBE" => strip(m, TIMEOUT_SET).map(Kind::TimeoutSet),
        [b'w', ..] => strip(m, WS_REPLY).map(Kind::WsReply),
        [b'n' | b'E' | b'T', ..] => {
            let head = error_message(m);
            ipc_timeout(head).map(Kind::ApiTimeout)
        }
        // NapCat's reverse WebSocket client logs each request it receives (at debug level).
        [b'[', ..] => strip(m, NAPCAT_WS_CLIENT).and_then(ws_marker).map(Kind::Ws),
        _ => None,
    }
}

/// The kind of a dated line: tries each place the message may start.
pub fn classify(line: &[u8], rest: usize) -> Option<Kind<'_>> {
    classify_with_uin(line, rest).0
}

/// [`classify`], and the account the line names (0 when none, and when the line is none of
/// the kinds, unless it names it as `nick(uin): `).
pub fn classify_with_uin(line: &[u8], rest: usize) -> (Option<Kind<'_>>, u64) {
    let (kind, uin, _) = classify_nick(line, rest);
    (kind, uin)
}

/// [`classify_with_uin`], and when the line names its account as `nick(uin): ` (3.x), how many
/// bytes after `rest` that prefix takes: every line with the same bytes after its own `rest`
/// starts its message at the same distance and names the same account ([`Starts::nick`]).
pub fn classify_nick(line: &[u8], rest: usize) -> (Option<Kind<'_>>, u64, Option<usize>) {
    let st = message_starts(line, rest);
    if st.nick {
        // The prefix read here is reused for the lines after ([`Starts::nick`]): never from a
        // chat summary.
        if is_chat_summary(line, rest) {
            return (None, 0, None);
        }
        let kind = kind_at(&line[st.at[0]..]);
        return (kind, st.uin, Some(st.at[0] - rest));
    }
    // A chat summary counts for nothing: asked only of the lines that would count.
    match st.iter().find_map(|p| kind_at(&line[p..])) {
        Some(kind) if !is_chat_summary(line, rest) => (Some(kind), st.uin, None),
        _ => (None, 0, None),
    }
}

/// The `"message"` of a WebSocket reply's JSON: what its action's error said.
pub fn reply_message(rest: &[u8]) -> &[u8] {
    let key = br#""message":""#;
    let Some(k) =
        memchr::memmem::find_iter(rest, key).find(|&k| k > 0 && matches!(rest[k - 1], b'{' | b','))
    else {
        return &[];
    };
    let v = &rest[k + key.len()..];
    let mut i = 0;
    while i < v.len() && v[i] != b'"' {
        i += if v[i] == b'\\' { 2 } else { 1 };
    }
    &v[..i.min(v.len())]
}

/// Is this WebSocket reply a failure (`"status":"failed"` at the top level of its JSON)?
pub fn reply_failed(rest: &[u8]) -> bool {
    STATUS_FAILED
        .find_iter(rest)
        .any(|k| k > 0 && matches!(rest[k - 1], b'{' | b','))
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

#[cfg(test)]
#[path = "line_tests.rs"]
mod tests;
