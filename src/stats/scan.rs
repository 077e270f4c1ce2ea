//! The streaming scanner: reads a log in large chunks, splits lines with `memchr`, and counts
//! sends, timeouts and errors without ever holding a whole file or validating whole lines.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead, BufReader, Read};

use super::line::{self, Kind, Lead, Stamp};

/// Read size: large enough that syscalls and buffer bookkeeping are noise.
pub const CHUNK: usize = 256 * 1024;
/// A line longer than this is cut: its first `MAX_LINE` bytes are judged, the rest ignored.
/// (A send with a base64 image can log megabytes on one line; a crash can leave a run of NULs.)
pub const MAX_LINE: usize = 1024 * 1024;
/// An IPC timeout and the action error it causes are logged within this many seconds of each
/// other; an IPC timeout with no error line this long after it is counted on its own.
const PAIR_WINDOW: u64 = 120;
/// How many continuation lines may carry the `action` of a pretty-printed WebSocket request.
const WS_LOOKAHEAD: u32 = 200;
/// A WebSocket reply follows the error line of its action within this many seconds.
const REPLY_WINDOW: u64 = 60;

/// How an action error was counted, until the WebSocket reply to it (3.x) is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    Timeout,
    Error,
    NotASend,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub sends: u64,
    pub timeouts: u64,
    pub errors: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Sends whose total attachment size was logged.
    pub count: u64,
    /// Of those, sends that carried files (size above 0).
    pub with_files: u64,
    pub total: u64,
    pub max: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeoutsSet {
    pub count: u64,
    pub min: u64,
    pub max: u64,
}

/// Everything counted, over all files fed to one scanner.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub lines: u64,
    /// Lines that could not be read as log text: binary, invalid UTF-8, control bytes, or a
    /// timestamp that is not a date.
    pub skipped_lines: u64,
    /// Text lines without a timestamp: continuations of multi-line entries (stack traces,
    /// pretty-printed JSON), or a format this tool does not know.
    pub undated_lines: u64,
    /// Every OneBot request seen (any action).
    pub requests: u64,
    pub total: Counts,
    /// Per day (days since 1970-01-01 on the log's clock).
    pub days: BTreeMap<i64, Counts>,
    /// Events on lines whose time could not be read (counted in `total` only without --since).
    pub undated: Counts,
    /// Action errors that followed a request that was not a send.
    pub other_errors: u64,
    pub attachments: Sizes,
    pub timeouts_set: TimeoutsSet,
}

/// What one file contributed, for the report's file list.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileTally {
    pub bytes: u64,
    pub lines: u64,
    pub skipped_lines: u64,
    /// The file did not end with a newline (cut short, or still being written).
    pub truncated: bool,
}

pub struct Scanner {
    since: Option<Stamp>,
    tally: Tally,
    /// IPC send timeouts waiting for the action error that follows them.
    pending: VecDeque<Option<Stamp>>,
    /// Was the latest request a send? An action error is charged to it.
    last_request_send: bool,
    /// Action errors whose WebSocket reply may still come: 3.x logs an `Error` object as `{}`,
    /// and only the reply tells that it was a timeout.
    open: VecDeque<(Option<Stamp>, Counted)>,
    /// A WebSocket request whose `action` was not on its first line.
    ws_waiting: Option<(Option<Stamp>, u32)>,
    /// Has the current file shown a timestamp yet? Until then, undated lines are searched for
    /// markers anywhere (a format not known here); after, they are continuations.
    file_dated: bool,
}

fn is_garbled(line: &[u8]) -> bool {
    line.iter().any(|&b| b < 0x20 && b != b'\t') || std::str::from_utf8(line).is_err()
}

impl Scanner {
    /// `since`: ignore events before this time (on the log's clock).
    pub fn new(since: Option<Stamp>) -> Scanner {
        Scanner {
            since,
            tally: Tally::default(),
            pending: VecDeque::new(),
            open: VecDeque::new(),
            last_request_send: false,
            ws_waiting: None,
            file_dated: false,
        }
    }

    fn counts_for(&mut self, at: Option<Stamp>) -> Option<&mut Counts> {
        match (at, self.since) {
            (None, Some(_)) => None,
            (Some(t), Some(s)) if t < s => None,
            (Some(t), _) => Some(self.tally.days.entry(t.day()).or_default()),
            (None, None) => Some(&mut self.tally.undated),
        }
    }

    fn wanted(&self, at: Option<Stamp>) -> bool {
        match (at, self.since) {
            (_, None) => true,
            (Some(t), Some(s)) => t >= s,
            (None, Some(_)) => false,
        }
    }

    fn count(&mut self, at: Option<Stamp>, f: impl Fn(&mut Counts)) {
        if let Some(c) = self.counts_for(at) {
            f(c);
            f(&mut self.tally.total);
        }
    }

    fn timeout(&mut self, at: Option<Stamp>) {
        self.count(at, |c| c.timeouts += 1);
    }

    /// IPC timeouts whose error line never came (older versions, or a lost line): each is one
    /// failed send.
    fn expire_pending(&mut self, now: Option<Stamp>) {
        while let Some(&front) = self.pending.front() {
            let stale = match (front, now) {
                // Either way: files need not come in time order.
                (Some(f), Some(n)) => n.0.abs_diff(f.0) > PAIR_WINDOW,
                _ => self.pending.len() > 64,
            };
            if !stale {
                break;
            }
            self.pending.pop_front();
            self.timeout(front);
        }
    }

    fn request(&mut self, at: Option<Stamp>, action: Option<&[u8]>) {
        let send = action.is_some_and(line::is_send_action);
        if self.wanted(at) {
            self.tally.requests += 1;
        }
        self.last_request_send = send;
        if send {
            self.count(at, |c| c.sends += 1);
        }
    }

    fn event(&mut self, at: Option<Stamp>, kind: Kind<'_>) {
        match kind {
            Kind::Http(rest) => self.request(at, line::http_action(rest)),
            Kind::Ws(rest) => match line::ws_action(rest) {
                Some(a) => self.request(at, Some(a)),
                None => self.ws_waiting = Some((at, WS_LOOKAHEAD)),
            },
            Kind::AttachmentSize(rest) => {
                if let Some(n) = line::number(rest)
                    && self.wanted(at)
                {
                    let s = &mut self.tally.attachments;
                    s.count += 1;
                    s.with_files += u64::from(n > 0);
                    s.total = s.total.saturating_add(n);
                    s.max = s.max.max(n);
                }
            }
            Kind::TimeoutSet(rest) => {
                if let Some(n) = line::number(rest)
                    && self.wanted(at)
                {
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
            Kind::ApiTimeout(send) => {
                if send {
                    self.pending.push_back(at);
                }
            }
            Kind::Error(text) => {
                // One failed send logs its IPC timeout and then this line: count it once,
                // on the first line's time.
                let counted = if let Some(first) = self.pending.pop_front() {
                    self.timeout(first);
                    (first, Counted::Timeout)
                } else if line::error_is_send_timeout(text) {
                    self.timeout(at);
                    (at, Counted::Timeout)
                } else if self.last_request_send {
                    self.count(at, |c| c.errors += 1);
                    (at, Counted::Error)
                } else {
                    if self.wanted(at) {
                        self.tally.other_errors += 1;
                    }
                    (at, Counted::NotASend)
                };
                if self.open.len() >= 64 {
                    self.open.pop_front();
                }
                self.open.push_back(counted);
            }
            Kind::WsReply(rest) => {
                if line::reply_failed(rest) {
                    self.failed_reply(at, line::error_is_send_timeout(rest));
                }
            }
        }
    }

    /// A failed WebSocket reply answers the oldest open action error: it adds nothing, except
    /// that an error it calls a send timeout becomes one. With no error line before it (a
    /// version that did not log one), a send timeout in the reply counts on its own.
    fn failed_reply(&mut self, at: Option<Stamp>, timeout: bool) {
        while let Some(&(t, _)) = self.open.front() {
            let stale = matches!((t, at), (Some(t), Some(a)) if a.0.abs_diff(t.0) > REPLY_WINDOW);
            if !stale {
                break;
            }
            self.open.pop_front();
        }
        match self.open.pop_front() {
            Some((t, Counted::Error)) if timeout => {
                if let Some(c) = self.counts_for(t) {
                    c.errors = c.errors.saturating_sub(1);
                    c.timeouts += 1;
                    let total = &mut self.tally.total;
                    total.errors = total.errors.saturating_sub(1);
                    total.timeouts += 1;
                }
            }
            Some(_) => {}
            None if timeout => self.timeout(at),
            None => {}
        }
    }

    /// Feeds one line (without its newline).
    pub fn line(&mut self, raw: &[u8]) {
        self.tally.lines += 1;
        let l = raw.strip_suffix(b"\r").unwrap_or(raw);
        if l.iter().all(|&b| b == b' ' || b == b'\t') {
            return;
        }
        match line::lead(l) {
            Lead::Dated { stamp, rest } => {
                self.file_dated = true;
                if let Some((at, _)) = self.ws_waiting.take() {
                    // Its action never showed: a request, but not one known to send.
                    self.request(at, None);
                }
                if !self.pending.is_empty() {
                    self.expire_pending(Some(stamp));
                }
                if let Some(kind) = line::classify(l, rest) {
                    self.event(Some(stamp), kind);
                }
            }
            Lead::BadDate => self.tally.skipped_lines += 1,
            Lead::Undated => {
                if is_garbled(l) {
                    self.tally.skipped_lines += 1;
                    return;
                }
                self.tally.undated_lines += 1;
                if let Some((at, left)) = self.ws_waiting {
                    if let Some(a) = line::ws_action(l) {
                        self.ws_waiting = None;
                        self.request(at, Some(a));
                    } else if left > 1 {
                        self.ws_waiting = Some((at, left - 1));
                    } else {
                        self.ws_waiting = None;
                        self.request(at, None);
                    }
                    return;
                }
                if !self.file_dated
                    && let Some(kind) = line::classify_anywhere(l)
                {
                    self.event(None, kind);
                }
            }
        }
    }

    /// Reads one file (or any reader) to its end. Lines are cut at [`MAX_LINE`]; a last line
    /// without a newline is still read.
    pub fn scan<R: Read>(&mut self, reader: R) -> io::Result<FileTally> {
        let before = (self.tally.lines, self.tally.skipped_lines);
        let mut ft = FileTally::default();
        self.file_dated = false;
        let mut r = BufReader::with_capacity(CHUNK, reader);
        let mut carry: Vec<u8> = Vec::new();
        let mut first = true;
        loop {
            let buf = match r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            let n = buf.len();
            ft.bytes += n as u64;
            let mut pos = 0;
            if first {
                first = false;
                if buf.starts_with(b"\xEF\xBB\xBF") {
                    pos = 3;
                }
            }
            let base = pos;
            for nl in memchr::memchr_iter(b'\n', &buf[base..]) {
                let end = base + nl;
                if carry.is_empty() {
                    self.line(&buf[pos..end]);
                } else {
                    let room = MAX_LINE.saturating_sub(carry.len());
                    carry.extend_from_slice(&buf[pos..end.min(pos + room)]);
                    self.line(&carry);
                    carry.clear();
                }
                pos = end + 1;
            }
            if pos < n {
                let room = MAX_LINE.saturating_sub(carry.len());
                carry.extend_from_slice(&buf[pos..n.min(pos + room)]);
                if room == 0 && carry.capacity() > MAX_LINE * 2 {
                    carry.shrink_to(MAX_LINE);
                }
            }
            r.consume(n);
        }
        if !carry.is_empty() {
            ft.truncated = true;
            self.line(&carry);
        }
        ft.lines = self.tally.lines - before.0;
        ft.skipped_lines = self.tally.skipped_lines - before.1;
        Ok(ft)
    }

    /// Counts what is still waiting and returns the totals.
    pub fn finish(mut self) -> Tally {
        if let Some((at, _)) = self.ws_waiting.take() {
            self.request(at, None);
        }
        while let Some(p) = self.pending.pop_front() {
            self.timeout(p);
        }
        self.tally
    }
}

/// The first timestamp in the first bytes of a log (to put files in time order).
pub fn first_stamp<R: Read>(reader: R) -> Option<Stamp> {
    let mut head = Vec::with_capacity(64 * 1024);
    reader.take(64 * 1024).read_to_end(&mut head).ok()?;
    head.split(|&b| b == b'\n')
        .find_map(|l| match line::lead(l) {
            Lead::Dated { stamp, .. } => Some(stamp),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &[u8], since: Option<Stamp>) -> Tally {
        let mut s = Scanner::new(since);
        s.scan(text).expect("in-memory read");
        s.finish()
    }

    const SAMPLE: &str = "2024/8/2 15:03:08 空(1511954122): 收到http请求 /send_group_msg {\"group_id\":194167989,\"message\":[{\"type\":\"text\",\"data\":{\"text\":\"Hello, World!\"}}]} \n\n\
2024/8/2 15:03:08 空(1511954122): 发送消息总大小 0 bytes \n\n\
2024/8/2 15:03:08 空(1511954122): 设置消息超时时间 5000 \n\n\
2024/8/2 15:03:13 空(1511954122): ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg [\"nodeIKernelMsgService/sendMsg\",{}] \n\n\
2024/8/2 15:03:13 空(1511954122): 发生错误 发送超时";

    #[test]
    fn one_failed_send_is_one_timeout() {
        let t = scan(SAMPLE.as_bytes(), None);
        assert_eq!(t.lines, 9);
        assert_eq!(t.skipped_lines, 0);
        assert_eq!(
            t.total,
            Counts {
                sends: 1,
                timeouts: 1,
                errors: 0
            }
        );
        let day = line::days_from_civil(2024, 8, 2);
        assert_eq!(t.days.get(&day), Some(&t.total));
        assert_eq!(t.attachments.count, 1);
        assert_eq!(t.attachments.with_files, 0);
        assert_eq!(t.timeouts_set.min, 5000);
    }

    #[test]
    fn an_ipc_timeout_alone_still_counts_once() {
        let log = "2024/8/2 15:00:00 ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg []\n\
2024/8/2 15:10:00 收到http请求 /get_status {}\n";
        assert_eq!(scan(log.as_bytes(), None).total.timeouts, 1);
        // Still waiting at the end of the input.
        let log = "2024/8/2 15:00:00 ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg []\n";
        assert_eq!(scan(log.as_bytes(), None).total.timeouts, 1);
    }

    #[test]
    fn errors_are_charged_to_the_latest_request() {
        let log = "2024/8/2 15:00:00 收到http请求 /get_group_member_info {}\n\
2024/8/2 15:00:00 发生错误 {}\n\
2024/8/2 15:00:01 收到http请求 /send_private_msg {}\n\
2024/8/2 15:00:01 发生错误 Error: 消息体无法解析，请检查是否发送了不支持的消息类型\n";
        let t = scan(log.as_bytes(), None);
        assert_eq!(t.requests, 2);
        assert_eq!(t.total.sends, 1);
        assert_eq!(t.total.errors, 1);
        assert_eq!(t.other_errors, 1);
    }

    #[test]
    fn since_and_days() {
        let log = "2024/8/1 23:59:59 收到http请求 /send_msg {}\n\
2024/8/2 0:00:00 收到http请求 /send_msg {}\n\
2024/8/2 0:00:01 发生错误 发送超时\n";
        let t = scan(log.as_bytes(), None);
        assert_eq!(t.days.len(), 2);
        let since = Stamp::from_parts(2024, 8, 2, 0, 0, 0);
        let t = scan(log.as_bytes(), Some(since));
        assert_eq!(t.total.sends, 1);
        assert_eq!(t.total.timeouts, 1);
        assert_eq!(t.days.len(), 1);
    }

    #[test]
    fn websocket_replies_refine_errors_and_add_nothing() {
        // 3.x: the IPC timeout, the error, then the reply repeating it: one timeout.
        let log = "2024/8/2 15:00:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:00:05 ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg []\n\
2024/8/2 15:00:05 发生错误 发送超时\n\
2024/8/2 15:00:05 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"}\n";
        let t = scan(log.as_bytes(), None);
        assert_eq!((t.total.sends, t.total.timeouts, t.total.errors), (1, 1, 0));
        // An Error object logs as `{}`; the reply says it was a timeout.
        let log = "2024/8/2 15:00:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:00:10 发生错误 {}\n\
2024/8/2 15:00:10 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"Error: Timeout: NTEvent EventName:NodeIKernelMsgService/sendMsg ListenerName:x EventRet:\\n{}\\n\"}\n\
2024/8/2 15:01:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:01:00 发生错误 {}\n\
2024/8/2 15:01:00 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"群不存在\"}\n";
        let t = scan(log.as_bytes(), None);
        assert_eq!((t.total.sends, t.total.timeouts, t.total.errors), (2, 1, 1));
        let day = line::days_from_civil(2024, 8, 2);
        assert_eq!(
            t.days.get(&day).map(|c| (c.timeouts, c.errors)),
            Some((1, 1))
        );
    }

    #[test]
    fn files_out_of_time_order_do_not_pair_across_periods() {
        let later = "2025-01-05 10:00:00 | 收到 HTTP 请求 /get_msg {}\n2025-01-05 10:00:00 | 发生错误 Error: x\n\
2025-01-05 10:00:09 ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg []\n";
        let earlier = "2024/8/2 15:00:00 收到正向Websocket消息 {\"action\":\"send_msg\"}\n\
2024/8/2 15:00:10 发生错误 {}\n\
2024/8/2 15:00:10 ws 消息上报 undefined {\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"}\n";
        let mut s = Scanner::new(None);
        s.scan(later.as_bytes()).expect("read");
        s.scan(earlier.as_bytes()).expect("read");
        let t = s.finish();
        // The 2025 IPC timeout stands alone; the 2024 `{}` error is a timeout by its reply.
        assert_eq!((t.total.sends, t.total.timeouts, t.total.errors), (1, 2, 0));
        assert_eq!(t.other_errors, 1);
        assert_eq!(t.days.len(), 2);
    }

    #[test]
    fn pretty_printed_websocket_request() {
        let log = "2024/8/2 15:00:00 收到正向Websocket消息 {\n  \"params\": {},\n  \"action\": \"send_group_msg\"\n}\n";
        let t = scan(log.as_bytes(), None);
        assert_eq!(t.total.sends, 1);
        assert_eq!(t.undated_lines, 3);
    }

    #[test]
    fn garbage_is_skipped_and_the_rest_still_counts() {
        let mut log = Vec::new();
        log.extend_from_slice(b"\xEF\xBB\xBF2024/8/2 15:00:00 \xe6\x94\xb6\xe5\x88\xb0http\xe8\xaf\xb7\xe6\xb1\x82 /send_msg {}\r\n");
        log.extend_from_slice(b"\x00\x00\x00\x00\n");
        log.extend_from_slice(b"\xff\xfe garbage \xc3\x28\n");
        log.extend_from_slice(b"2024/99/99 15:00:00 x\n");
        log.extend_from_slice(&[0u8; 3 * MAX_LINE]);
        log.extend_from_slice(b"\n2024/8/2 15:00:01 \xe5\x8f\x91\xe7\x94\x9f\xe9\x94\x99\xe8\xaf\xaf \xe5\x8f\x91\xe9\x80\x81\xe8\xb6\x85\xe6\x97\xb6");
        let mut s = Scanner::new(None);
        let ft = s.scan(&log[..]).expect("read");
        assert!(ft.truncated);
        let t = s.finish();
        assert_eq!(t.lines, 6);
        assert_eq!(t.skipped_lines, 4);
        assert_eq!(t.total.sends, 1);
        assert_eq!(t.total.timeouts, 1);
    }

    #[test]
    fn lines_across_chunk_boundaries() {
        let line = "2024/8/2 15:00:00 收到http请求 /send_msg {\"message\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n";
        let text = line.repeat(CHUNK / line.len() * 3 + 7);
        let t = scan(text.as_bytes(), None);
        assert_eq!(t.total.sends, (CHUNK / line.len() * 3 + 7) as u64);
        assert_eq!(t.skipped_lines, 0);
    }
}
