//! The text of a send's error, by version: what kind of failure it names (a timeout, a late
//! echo, another failure) and its words, for `stats`' error list.

use super::line::names_send_method;

/// What the text of an error says about a send, by version:
/// - `发送超时` (3.x `ntqqapi/api/msg.ts`),
/// - `ntqq api timeout …sendMsg` (3.x-4.x `ntqqapi/ntcall.ts`),
/// - `Timeout: NTEvent EventName:…sendMsg` (3.28.4-3.31.x `common/utils/eventTask.ts`) and
///   NapCat's `Timeout: NTEvent serviceAndMethod:…sendMsg` (`napcat-core/helper/event.ts`),
/// - `invoke timeout, wrapperSession.getMsgService().sendMsg` and the rich-media upload of a send,
///   `…getRichMediaService().uploadRMFileWithoutMsg` (5.x-7.x `ntqqapi/ntcall.ts`, 7.12
///   `main/pmhq/base.ts`),
/// - `Command MessageSvc.PbSendMsg timed out after …ms` (8.x headless `qqProtocol/direct-lib/client.ts`),
/// - `waitForSelfEcho timeout` (8.x `ntqqapi/api/msg.ts`): sent, only the echo was late,
/// - `发送消息失败 (code=…)` (8.x), `消息发送失败` (3.31+ `SendMsg.ts`), NapCat's
///   `EventChecker Failed: NTEvent serviceAndMethod:…sendMsg`: a send that failed otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrKind {
    SendTimeout,
    /// A timeout the implementation's own code knows was delivered.
    EchoTimeout,
    SendFailed,
    Other,
}

/// The head of an error's message: spaces, the `[` of an error Node prints without its stack
/// (`[Error: x]`) and the names of error classes (`Error: `, `DetailedError: `) removed.
pub fn error_message(text: &[u8]) -> &[u8] {
    let mut t = text.trim_ascii_start();
    t = t.strip_prefix(b"[").unwrap_or(t);
    loop {
        let n = t
            .iter()
            .take(48)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if n >= 5 && t[..n].ends_with(b"Error") && t.get(n..n + 2) == Some(b": ") {
            t = &t[n + 2..];
        } else {
            return t;
        }
    }
}

/// `a, b, c` → the field after `skip` separators `, `, up to the next `,` or space.
fn field(r: &[u8], skip: usize) -> &[u8] {
    let mut r = r;
    for _ in 0..skip {
        match memchr::memmem::find(r, b", ") {
            Some(k) => r = &r[k + 2..],
            None => return &[],
        }
    }
    let end = r
        .iter()
        .position(|&b| b == b',' || b == b' ')
        .unwrap_or(r.len());
    &r[..end]
}

/// Is this the function of a send or of the upload a send waits for?
fn send_function(f: &[u8]) -> bool {
    names_send_method(f) || memchr::memmem::find(f, b"uploadRMFileWithoutMsg").is_some()
}

/// An IPC-level timeout at the head of a message, and whether it was a send's:
/// `ntqq api timeout <channel>, <event>, <method>…` (3.x-4.x `ntqqapi/ntcall.ts`) and
/// `Timeout: NTEvent EventName:<method> …` / `serviceAndMethod:<method>` (3.28.4-3.31.x
/// `common/utils/eventTask.ts`, NapCat `napcat-core/helper/event.ts`).
pub(super) fn ipc_timeout(head: &[u8]) -> Option<bool> {
    if let Some(r) = head.strip_prefix(b"ntqq api timeout ") {
        return Some(names_send_method(field(r, 2)));
    }
    let r = head.strip_prefix(b"Timeout: NTEvent ")?;
    Some(names_send_method(ntevent_method(r)))
}

/// `EventName:x ` or `serviceAndMethod:x `: x.
fn ntevent_method(r: &[u8]) -> &[u8] {
    let Some(colon) = r.iter().take(32).position(|&b| b == b':') else {
        return &[];
    };
    let r = &r[colon + 1..];
    &r[..r.iter().position(|&b| b == b' ').unwrap_or(r.len())]
}

/// What an error says about a send, by the words it starts with (never by a text it quotes:
/// an error whose payload holds a chat message can hold any words).
pub fn error_kind(text: &[u8]) -> ErrKind {
    let m = error_message(text);
    let is = |w: &str| m.starts_with(w.as_bytes());
    if is("发送超时") {
        return ErrKind::SendTimeout;
    }
    if is("waitForSelfEcho timeout") {
        return ErrKind::EchoTimeout;
    }
    if let Some(send) = ipc_timeout(m) {
        return if send {
            ErrKind::SendTimeout
        } else {
            ErrKind::Other
        };
    }
    let send_kind = |send: bool, kind: ErrKind| if send { kind } else { ErrKind::Other };
    if let Some(r) = m.strip_prefix(b"invoke timeout, ") {
        return send_kind(send_function(field(r, 0)), ErrKind::SendTimeout);
    }
    if let Some(r) = m.strip_prefix(b"Command ") {
        let cmd = field(r, 0);
        let timed_out = r[cmd.len()..].starts_with(b" timed out after");
        return send_kind(timed_out && names_send_method(cmd), ErrKind::SendTimeout);
    }
    if is("发送消息失败") || is("消息发送失败") {
        return ErrKind::SendFailed;
    }
    if let Some(r) = m.strip_prefix(b"EventChecker Failed: NTEvent ") {
        return send_kind(names_send_method(ntevent_method(r)), ErrKind::SendFailed);
    }
    if let Some(r) = m.strip_prefix(b"invoke failed, ") {
        return send_kind(send_function(field(r, 0)), ErrKind::SendFailed);
    }
    ErrKind::Other
}

/// Does the text of a `发生错误` line say a send timed out?
pub fn error_is_send_timeout(text: &[u8]) -> bool {
    matches!(
        error_kind(text),
        ErrKind::SendTimeout | ErrKind::EchoTimeout
    )
}

/// The words of an error for the list of the most common ones: the text after `发生错误` up to
/// its first line end, `Error: ` removed, at most 120 bytes cut on a character boundary.
pub fn error_words(text: &[u8]) -> String {
    let mut t = text.trim_ascii_start();
    t = t.strip_prefix(b"Error: ").unwrap_or(t);
    let end = t
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(t.len());
    let mut t = &t[..end];
    if t.len() > 120 {
        let mut cut = 120;
        while cut > 0 && (t[cut] & 0xC0) == 0x80 {
            cut -= 1;
        }
        t = &t[..cut];
    }
    String::from_utf8_lossy(t.trim_ascii_end()).into_owned()
}
