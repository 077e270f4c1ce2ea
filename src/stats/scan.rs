//! The streaming scanner: reads a log in large blocks, splits lines with `memchr`, and counts
//! sends, timeouts and errors without ever holding a whole file or validating whole lines.
//!
//! It works in two passes, so that a big log keeps every core busy:
//! - the first pass reads each line on its own: its timestamp, which line it is, and what it says
//!   (the action of a request, a size, whether an error names a send timeout). It needs nothing
//!   from the lines before, so the blocks of a file go to worker threads while this thread
//!   reads the next ones. Most lines end there: only the lines that count for something, and the
//!   lines without a timestamp, are kept for the second pass.
//! - the second pass, on this thread and in file order, feeds what the first kept through the
//!   state that pairs an IPC timeout with its error line, charges errors to the latest request
//!   and follows a WebSocket request whose action comes on a later line. While that state waits
//!   for the next timestamp (an IPC timeout waiting for its error, a WebSocket request for its
//!   action), the lines in between are read again, so the counts are exactly those of reading
//!   line by line ([`Scanner::line`]).

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read};
use std::sync::{Mutex, mpsc};
use std::thread;

use super::line::{self, Kind, Lead, Stamp};

/// Block size: the unit of reading and of work for the worker threads.
pub const CHUNK: usize = 512 * 1024;
/// A line longer than this is cut: its first `MAX_LINE` bytes are judged, the rest ignored.
/// (A send with a base64 image can log megabytes on one line; a crash can leave a run of NULs.)
pub const MAX_LINE: usize = 1024 * 1024;
/// A block buffer: room for a cut line and a block after it.
const CAP: usize = MAX_LINE + CHUNK;
// The bytes carried over to the next block (an unfinished line) stay under one block.
const _: () = assert!(MAX_LINE >= 2 * CHUNK);
/// Worker threads for the first pass, at most: past this, reading is the limit.
const MAX_WORKERS: usize = 4;
/// An IPC timeout and the action error it causes are logged within this many seconds of each
/// other; an IPC timeout with no error line this long after it is counted on its own.
const PAIR_WINDOW: u64 = 120;
/// How many continuation lines may carry the `action` of a pretty-printed WebSocket request.
const WS_LOOKAHEAD: u32 = 200;
/// A WebSocket reply follows the error line of its action within this many seconds.
const REPLY_WINDOW: u64 = 60;
const BOM: &[u8] = b"\xEF\xBB\xBF";

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// What a line that counts says, read by the first pass. Lines whose kind adds nothing (a
/// WebSocket reply that did not fail, a size that is no number) have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Digest {
    /// A OneBot request; `send` when its action is one of [`line::SEND_ACTIONS`].
    Request {
        send: bool,
    },
    /// A WebSocket request whose `action` is not on this line.
    WsWaiting,
    AttachmentSize(u64),
    TimeoutSet(u64),
    /// An IPC timeout of a send method.
    ApiTimeoutSend,
    /// An action error; `send_timeout` when its text names a send timeout.
    Error {
        send_timeout: bool,
    },
    /// A failed WebSocket reply; `timeout` when it names a send timeout.
    FailedReply {
        timeout: bool,
    },
}

fn digest(kind: Kind<'_>) -> Option<Digest> {
    match kind {
        Kind::Http(rest) => Some(Digest::Request {
            send: line::http_action(rest).is_some_and(line::is_send_action),
        }),
        Kind::Ws(rest) => Some(match line::ws_action(rest) {
            Some(a) => Digest::Request {
                send: line::is_send_action(a),
            },
            None => Digest::WsWaiting,
        }),
        Kind::AttachmentSize(rest) => line::number(rest).map(Digest::AttachmentSize),
        Kind::TimeoutSet(rest) => line::number(rest).map(Digest::TimeoutSet),
        Kind::ApiTimeout(send) => send.then_some(Digest::ApiTimeoutSend),
        Kind::Error(text) => Some(Digest::Error {
            send_timeout: line::error_is_send_timeout(text),
        }),
        Kind::WsReply(rest) => line::reply_failed(rest).then(|| Digest::FailedReply {
            timeout: line::error_is_send_timeout(rest),
        }),
    }
}

/// One line as the first pass sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// Empty, or only spaces and tabs.
    Blank,
    /// Not log text: binary, invalid UTF-8, or a timestamp that is no date.
    Skipped,
    Dated(Stamp, Option<Digest>),
    /// Text without a timestamp.
    Text,
}

fn is_garbled(line: &[u8]) -> bool {
    line.iter().any(|&b| b < 0x20 && b != b'\t') || std::str::from_utf8(line).is_err()
}

/// A line as it is judged: cut at [`MAX_LINE`], without its `\r`.
fn judged(raw: &[u8]) -> &[u8] {
    let raw = &raw[..raw.len().min(MAX_LINE)];
    raw.strip_suffix(b"\r").unwrap_or(raw)
}

/// The first pass over one (judged) line, with its timestamp already read.
fn look_with(l: &[u8], lead: Lead) -> Look {
    match lead {
        Lead::Dated { stamp, rest } => Look::Dated(stamp, line::classify(l, rest).and_then(digest)),
        Lead::BadDate => Look::Skipped,
        Lead::Undated if is_garbled(l) => Look::Skipped,
        Lead::Undated => Look::Text,
    }
}

fn is_blank(l: &[u8]) -> bool {
    l.iter().all(|&b| b == b' ' || b == b'\t')
}

fn look(l: &[u8]) -> Look {
    if is_blank(l) {
        return Look::Blank;
    }
    look_with(l, line::lead(l))
}

/// A line the second pass needs, by its place in the block.
#[derive(Debug, Clone, Copy)]
struct Kept {
    start: u32,
    /// End of the judged line.
    end: u32,
    /// Start of the next line.
    next: u32,
    what: What,
}

/// Why the second pass needs a line.
#[derive(Debug, Clone, Copy)]
enum What {
    Dated(Stamp, Digest),
    Text,
}

/// What the first pass found in one block.
#[derive(Debug, Default)]
struct Found {
    lines: u64,
    skipped: u64,
    undated: u64,
    /// Where the first dated line starts, if any (the file has shown a timestamp from there).
    first_dated: Option<u32>,
    kept: Vec<Kept>,
}

/// The first pass over a block of whole lines (the last one may lack its newline).
fn first_pass(block: &[u8], found: &mut Found) {
    found.lines = 0;
    found.skipped = 0;
    found.undated = 0;
    found.first_dated = None;
    found.kept.clear();
    // The latest dated line and where its timestamp ends, to reuse its time on the next lines.
    let mut prev: Option<(usize, usize, Stamp)> = None;
    let mut start = 0;
    let mut one =
        |start: usize, end: usize, next: usize, prev: &mut Option<(usize, usize, Stamp)>| {
            found.lines += 1;
            let l = judged(&block[start..end]);
            if is_blank(l) {
                return;
            }
            let lead = match *prev {
                Some((p, rest, stamp)) if line::same_lead(l, &block[p..], rest) => {
                    Lead::Dated { stamp, rest }
                }
                _ => {
                    let lead = line::lead(l);
                    if let Lead::Dated { stamp, rest } = lead {
                        *prev = Some((start, rest, stamp));
                    }
                    lead
                }
            };
            let (what, end) = match look_with(l, lead) {
                Look::Blank => return,
                Look::Skipped => {
                    found.skipped += 1;
                    return;
                }
                Look::Dated(stamp, d) => {
                    found.first_dated.get_or_insert(start as u32);
                    match d {
                        Some(d) => (What::Dated(stamp, d), start + l.len()),
                        None => return,
                    }
                }
                Look::Text => {
                    found.undated += 1;
                    (What::Text, start + l.len())
                }
            };
            found.kept.push(Kept {
                start: start as u32,
                end: end as u32,
                next: next as u32,
                what,
            });
        };
    for nl in memchr::memchr_iter(b'\n', block) {
        one(start, nl, nl + 1, &mut prev);
        start = nl + 1;
    }
    if start < block.len() {
        one(start, block.len(), block.len(), &mut prev);
    }
}

/// A block on its way through the passes.
struct Work {
    buf: Vec<u8>,
    /// The block: `buf[..len]`.
    len: usize,
    found: Found,
}

impl Work {
    fn new() -> Work {
        Work {
            buf: vec![0; CAP],
            len: 0,
            found: Found::default(),
        }
    }
}

/// The reading shared by the worker threads.
struct Reading<'a, R> {
    src: &'a mut Source<R>,
    /// The start of the next line, from the end of the block read last.
    carried: Vec<u8>,
    next_seq: u64,
    ended: bool,
    error: Option<io::Error>,
}

/// Reads the next block into a free buffer; `None` at the end of the input or after an error.
fn next_block<R: Read>(
    reading: &Mutex<Reading<'_, R>>,
    free: &Mutex<mpsc::Receiver<Work>>,
    give_back: &mpsc::SyncSender<Work>,
) -> Option<(u64, Work)> {
    let mut w = free.lock().ok()?.recv().ok()?;
    let Ok(mut r) = reading.lock() else {
        let _ = give_back.send(w);
        return None;
    };
    if r.ended {
        let _ = give_back.send(w);
        return None;
    }
    let carried = r.carried.len();
    w.buf[..carried].copy_from_slice(&r.carried);
    match r.src.fill(&mut w.buf, carried) {
        Ok(f) => {
            w.len = f.len;
            r.carried.clear();
            r.carried.extend_from_slice(&w.buf[f.len..f.filled]);
            r.ended = f.last;
            let seq = r.next_seq;
            r.next_seq += 1;
            Some((seq, w))
        }
        Err(e) => {
            r.error = Some(e);
            r.ended = true;
            let _ = give_back.send(w);
            None
        }
    }
}

/// Reads a log into blocks of whole lines, cutting lines at [`MAX_LINE`].
struct Source<R> {
    reader: R,
    first_read: bool,
    eof: bool,
    bytes: u64,
}

/// One filled block: `buf[..len]` are whole lines, `buf[len..filled]` the start of the next
/// line, carried over; `last` when the input has ended (the block then holds everything left).
struct Filled {
    len: usize,
    filled: usize,
    last: bool,
}

impl<R: Read> Source<R> {
    fn read(&mut self, buf: &mut [u8], at: usize, to: usize) -> io::Result<usize> {
        let n = loop {
            match self.reader.read(&mut buf[at..to]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.bytes += n as u64;
        if n == 0 {
            self.eof = true;
        }
        if self.first_read && n > 0 {
            self.first_read = false;
            if buf[at..at + n].starts_with(BOM) {
                buf.copy_within(at + BOM.len()..at + n, at);
                return Ok(n - BOM.len());
            }
        }
        Ok(n)
    }

    /// Fills `buf` (holding `carried` bytes of an unfinished line at its start).
    fn fill(&mut self, buf: &mut [u8], carried: usize) -> io::Result<Filled> {
        let mut filled = carried;
        // Bytes before this point hold no newline.
        let mut searched = 0;
        while filled < CHUNK && !self.eof {
            filled += self.read(buf, filled, CHUNK)?;
        }
        loop {
            if let Some(k) = memchr::memrchr(b'\n', &buf[searched..filled]) {
                return Ok(Filled {
                    len: searched + k + 1,
                    filled,
                    last: false,
                });
            }
            searched = filled;
            if self.eof {
                return Ok(Filled {
                    len: filled,
                    filled,
                    last: true,
                });
            }
            if filled < MAX_LINE {
                filled += self.read(buf, filled, MAX_LINE)?;
                continue;
            }
            // One line of at least MAX_LINE bytes: keep its start, skip the rest of it.
            loop {
                let n = self.read(buf, MAX_LINE, CAP)?;
                if n == 0 {
                    return Ok(Filled {
                        len: MAX_LINE,
                        filled: MAX_LINE,
                        last: true,
                    });
                }
                if let Some(j) = memchr::memchr(b'\n', &buf[MAX_LINE..MAX_LINE + n]) {
                    buf.copy_within(MAX_LINE + j..MAX_LINE + n, MAX_LINE);
                    filled = MAX_LINE + n - j;
                    break;
                }
            }
            searched = MAX_LINE;
        }
    }
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
    /// Block buffers, kept from file to file.
    spare: Vec<Work>,
    /// Worker threads for the first pass (1: none, all on this thread).
    workers: usize,
}

impl Scanner {
    /// `since`: ignore events before this time (on the log's clock).
    pub fn new(since: Option<Stamp>) -> Scanner {
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        Scanner {
            since,
            tally: Tally::default(),
            pending: VecDeque::new(),
            open: VecDeque::new(),
            last_request_send: false,
            ws_waiting: None,
            file_dated: false,
            spare: Vec::new(),
            workers: cores.min(MAX_WORKERS),
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

    fn request(&mut self, at: Option<Stamp>, send: bool) {
        if self.wanted(at) {
            self.tally.requests += 1;
        }
        self.last_request_send = send;
        if send {
            self.count(at, |c| c.sends += 1);
        }
    }

    fn event(&mut self, at: Option<Stamp>, d: Digest) {
        match d {
            Digest::Request { send } => self.request(at, send),
            Digest::WsWaiting => self.ws_waiting = Some((at, WS_LOOKAHEAD)),
            Digest::AttachmentSize(n) => {
                if self.wanted(at) {
                    let s = &mut self.tally.attachments;
                    s.count += 1;
                    s.with_files += u64::from(n > 0);
                    s.total = s.total.saturating_add(n);
                    s.max = s.max.max(n);
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
            Digest::ApiTimeoutSend => self.pending.push_back(at),
            Digest::Error { send_timeout } => {
                // One failed send logs its IPC timeout and then this line: count it once,
                // on the first line's time.
                let counted = if let Some(first) = self.pending.pop_front() {
                    self.timeout(first);
                    (first, Counted::Timeout)
                } else if send_timeout {
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
            Digest::FailedReply { timeout } => self.failed_reply(at, timeout),
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

    /// A line with a timestamp, and what it says if it counts.
    fn dated(&mut self, stamp: Stamp, d: Option<Digest>) {
        self.file_dated = true;
        if let Some((at, _)) = self.ws_waiting.take() {
            // Its action never showed: a request, but not one known to send.
            self.request(at, false);
        }
        if !self.pending.is_empty() {
            self.expire_pending(Some(stamp));
        }
        if let Some(d) = d {
            self.event(Some(stamp), d);
        }
    }

    /// A text line without a timestamp (already counted as undated).
    fn text(&mut self, l: &[u8]) {
        if let Some((at, left)) = self.ws_waiting {
            if let Some(a) = line::ws_action(l) {
                self.ws_waiting = None;
                self.request(at, line::is_send_action(a));
            } else if left > 1 {
                self.ws_waiting = Some((at, left - 1));
            } else {
                self.ws_waiting = None;
                self.request(at, false);
            }
            return;
        }
        if !self.file_dated
            && let Some(d) = line::classify_anywhere(l).and_then(digest)
        {
            self.event(None, d);
        }
    }

    /// Does the state wait for the next timestamp, whatever line it is on?
    fn waiting(&self) -> bool {
        !self.pending.is_empty() || self.ws_waiting.is_some()
    }

    /// Lines the first pass did not keep (dated lines that count for nothing, and lines that
    /// are not text), read again for their timestamps while the state waits for one.
    fn reread(&mut self, lines: &[u8]) {
        for raw in lines.split(|&b| b == b'\n') {
            if !self.waiting() {
                break;
            }
            if let Lead::Dated { stamp, .. } = line::lead(judged(raw)) {
                self.dated(stamp, None);
            }
        }
    }

    /// Feeds one line (without its newline).
    pub fn line(&mut self, raw: &[u8]) {
        self.tally.lines += 1;
        let l = judged(raw);
        match look(l) {
            Look::Blank => {}
            Look::Skipped => self.tally.skipped_lines += 1,
            Look::Dated(stamp, d) => self.dated(stamp, d),
            Look::Text => {
                self.tally.undated_lines += 1;
                self.text(l);
            }
        }
    }

    /// The second pass over a block the first pass has read.
    fn second_pass(&mut self, w: &Work) {
        let f = &w.found;
        let block = &w.buf[..w.len];
        self.tally.lines += f.lines;
        self.tally.skipped_lines += f.skipped;
        self.tally.undated_lines += f.undated;
        let mut from = 0;
        for k in &f.kept {
            let (start, end) = (k.start as usize, k.end as usize);
            if self.waiting() {
                self.reread(&block[from..start]);
            }
            match k.what {
                What::Dated(stamp, d) => self.dated(stamp, Some(d)),
                What::Text => {
                    if f.first_dated.is_some_and(|d| (d as usize) < start) {
                        self.file_dated = true;
                    }
                    self.text(&block[start..end]);
                }
            }
            from = k.next as usize;
        }
        if self.waiting() {
            self.reread(&block[from..]);
        }
        if f.first_dated.is_some() {
            self.file_dated = true;
        }
    }

    fn spare_work(&mut self) -> Work {
        self.spare.pop().unwrap_or_else(Work::new)
    }

    /// Reads one file (or any reader) to its end. Lines are cut at [`MAX_LINE`]; a last line
    /// without a newline is still read. Blocks go through the first pass on worker threads
    /// when the input is longer than one block and the machine has more than one core.
    pub fn scan<R: Read + Send>(&mut self, reader: R) -> io::Result<FileTally> {
        let before = (self.tally.lines, self.tally.skipped_lines);
        self.file_dated = false;
        let mut src = Source {
            reader,
            first_read: true,
            eof: false,
            bytes: 0,
        };
        let mut w = self.spare_work();
        let result = match src.fill(&mut w.buf, 0) {
            Ok(f) if f.last || self.workers < 2 => self.scan_here(&mut src, w, f),
            Ok(f) => self.scan_parallel(&mut src, w, f),
            Err(e) => {
                self.spare.push(w);
                Err(e)
            }
        };
        let truncated = result?;
        Ok(FileTally {
            bytes: src.bytes,
            lines: self.tally.lines - before.0,
            skipped_lines: self.tally.skipped_lines - before.1,
            truncated,
        })
    }

    /// Both passes on this thread, block after block. Returns whether the last line had no
    /// newline.
    fn scan_here<R: Read>(
        &mut self,
        src: &mut Source<R>,
        mut w: Work,
        mut f: Filled,
    ) -> io::Result<bool> {
        let mut next = self.spare_work();
        let result = loop {
            w.len = f.len;
            let carried = f.filled - f.len;
            next.buf[..carried].copy_from_slice(&w.buf[f.len..f.filled]);
            first_pass(&w.buf[..w.len], &mut w.found);
            self.second_pass(&w);
            if f.last {
                break Ok(w.len > 0 && w.buf[w.len - 1] != b'\n');
            }
            std::mem::swap(&mut w, &mut next);
            match src.fill(&mut w.buf, carried) {
                Ok(filled) => f = filled,
                Err(e) => break Err(e),
            }
        };
        self.spare.push(w);
        self.spare.push(next);
        result
    }

    /// The worker threads read the blocks in turn (one at a time, under a lock) and run the
    /// first pass on them; this thread runs the second pass in block order. Reading is
    /// copying from the page cache, as costly as the first pass: the workers share it.
    fn scan_parallel<R: Read + Send>(
        &mut self,
        src: &mut Source<R>,
        first: Work,
        f: Filled,
    ) -> io::Result<bool> {
        let workers = self.workers;
        // Block buffers in use at a time: the workers take one before reading, this thread
        // gives it back after the second pass.
        let in_use = workers * 2 + 1;
        let (give_back, free) = mpsc::sync_channel::<Work>(in_use);
        for _ in 1..in_use {
            let w = self.spare_work();
            if give_back.send(w).is_err() {
                break;
            }
        }
        let mut first = first;
        first.len = f.len;
        let reading = Mutex::new(Reading {
            src,
            carried: first.buf[f.len..f.filled].to_vec(),
            next_seq: 1,
            ended: f.last,
            error: None,
        });
        let free = Mutex::new(free);
        let (done_tx, done) = mpsc::channel::<(u64, Work)>();
        let mut last_block_truncated = false;
        thread::scope(|s| {
            for _ in 0..workers {
                let done_tx = done_tx.clone();
                let give_back = give_back.clone();
                let (reading, free) = (&reading, &free);
                s.spawn(move || {
                    while let Some((seq, mut w)) = next_block(reading, free, &give_back) {
                        first_pass(&w.buf[..w.len], &mut w.found);
                        if done_tx.send((seq, w)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done_tx);
            // The first block, already read, while the workers read the next ones.
            first_pass(&first.buf[..first.len], &mut first.found);
            let mut ready: BTreeMap<u64, Work> = BTreeMap::new();
            ready.insert(0, first);
            let mut next = 0u64;
            loop {
                while let Some(w) = ready.remove(&next) {
                    self.second_pass(&w);
                    last_block_truncated = w.len > 0 && w.buf[w.len - 1] != b'\n';
                    next += 1;
                    // Back to the workers (the channel holds every buffer: never full).
                    if let Err(mpsc::SendError(w)) = give_back.send(w) {
                        self.spare.push(w);
                    }
                }
                match done.recv() {
                    Ok((seq, w)) => {
                        ready.insert(seq, w);
                    }
                    Err(_) => break,
                }
            }
        });
        drop(give_back);
        if let Ok(free) = free.into_inner() {
            self.spare.extend(free.try_iter());
        }
        let reading = reading
            .into_inner()
            .map_err(|_| io::Error::other("a stats worker thread failed"))?;
        match reading.error {
            Some(e) => Err(e),
            None => Ok(last_block_truncated),
        }
    }

    /// Counts what is still waiting and returns the totals.
    pub fn finish(mut self) -> Tally {
        if let Some((at, _)) = self.ws_waiting.take() {
            self.request(at, false);
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

    /// The reference: the line-by-line reading of the first version (a small buffer, lines
    /// carried over and cut at MAX_LINE), each line through `Scanner::line`.
    fn scan_by_lines(s: &mut Scanner, input: &[u8]) -> (u64, u64, u64, bool) {
        let before = (s.tally.lines, s.tally.skipped_lines);
        s.file_dated = false;
        let mut carry: Vec<u8> = Vec::new();
        let mut first = true;
        for buf in input.chunks(4096) {
            let mut pos = 0;
            if first {
                first = false;
                if buf.starts_with(BOM) {
                    pos = 3;
                }
            }
            let base = pos;
            for nl in memchr::memchr_iter(b'\n', &buf[base..]) {
                let end = base + nl;
                if carry.is_empty() {
                    s.line(&buf[pos..end]);
                } else {
                    let room = MAX_LINE.saturating_sub(carry.len());
                    carry.extend_from_slice(&buf[pos..end.min(pos + room)]);
                    s.line(&carry);
                    carry.clear();
                }
                pos = end + 1;
            }
            if pos < buf.len() {
                let room = MAX_LINE.saturating_sub(carry.len());
                carry.extend_from_slice(&buf[pos..buf.len().min(pos + room)]);
            }
        }
        let truncated = !carry.is_empty();
        if truncated {
            s.line(&carry);
        }
        (
            input.len() as u64,
            s.tally.lines - before.0,
            s.tally.skipped_lines - before.1,
            truncated,
        )
    }

    /// Lines of every kind the state cares about, with times that jump back and forth.
    fn random_log(seed: u64, min_len: usize) -> Vec<u8> {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut out = Vec::new();
        if next(4) == 0 {
            out.extend_from_slice(BOM);
        }
        let mut t = 15 * 3600;
        while out.len() < min_len {
            t = (t + next(200) as i64 - 60).clamp(0, 86_399);
            let stamp = format!(
                "2024/8/{} {}:{:02}:{:02}",
                1 + next(3),
                t / 3600,
                t / 60 % 60,
                t % 60
            );
            let line: String = match next(24) {
                0 => format!("{stamp} 空(1): 收到http请求 /send_msg {{}} "),
                1 => format!("{stamp} 空(1): 收到http请求 /get_status {{}} "),
                2 => format!(
                    "{stamp} 空(1): ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg [] "
                ),
                3 => format!("{stamp} 空(1): 发生错误 发送超时 "),
                4 => format!("{stamp} 空(1): 发生错误 {{}} "),
                5 => format!("{stamp} 空(1): 收到正向Websocket消息 {{"),
                6 => "  \"action\": \"send_group_msg\",".to_string(),
                7 => "  \"params\": {}".to_string(),
                8 => format!(
                    "{stamp} 空(1): ws 消息上报 undefined {{\"status\":\"failed\",\"retcode\":1200,\"message\":\"发送超时\"}} "
                ),
                9 => format!("{stamp} 空(1): ws 消息上报 undefined {{\"status\":\"ok\"}} "),
                10 => format!("{stamp} 空(1): 发送消息总大小 {} bytes ", next(100_000)),
                11 => format!(
                    "{stamp} 空(1): 设置消息超时时间 {}.{} ",
                    5000 + next(9000),
                    next(10)
                ),
                12 => format!("{stamp} 空(1): 消息发送 -2147483641 "),
                13 | 14 => String::new(),
                15 => "    at Timeout._onTimeout (main.cjs:2:81234)".to_string(),
                16 => "\u{1}\u{0} binary".to_string(),
                17 => format!("{stamp}\r"),
                18 => "2024/13/45 10:00:00 x".to_string(),
                19 => format!(
                    "[info] | 2025-01-05 {:02}:{:02}:{:02} | 收到 HTTP 请求 /send_private_msg {{}}",
                    t / 3600,
                    t / 60 % 60,
                    t % 60
                ),
                20 => format!("{stamp}.5 空(1): 收到http请求 /send_msg {{}} "),
                21 => "收到http请求 /send_msg {} ".to_string(),
                22 => format!(
                    "{stamp} 空(1): 收到反向Websocket消息 {{\"action\":\"send_private_msg\"}} \r"
                ),
                _ => "\t ".to_string(),
            };
            out.extend_from_slice(line.as_bytes());
            if next(50) != 0 {
                out.push(b'\n');
            }
        }
        out
    }

    fn same_as_by_lines(files: &[Vec<u8>], workers: usize, since: Option<Stamp>) {
        let mut fast = Scanner::new(since);
        fast.workers = workers;
        let mut slow = Scanner::new(since);
        for f in files {
            let ft = fast.scan(&f[..]).expect("in-memory read");
            let want = scan_by_lines(&mut slow, f);
            assert_eq!((ft.bytes, ft.lines, ft.skipped_lines, ft.truncated), want);
        }
        assert_eq!(fast.finish(), slow.finish());
    }

    #[test]
    fn blocks_and_threads_count_as_line_by_line() {
        let since = Some(Stamp::from_parts(2024, 8, 2, 0, 0, 0));
        for seed in 0..6 {
            let files: Vec<Vec<u8>> = (0..3)
                .map(|i| random_log(seed * 10 + i, if i == 1 { 3 * CHUNK + 17 } else { 20_000 }))
                .collect();
            for workers in [1, 2, 3] {
                same_as_by_lines(&files, workers, None);
                same_as_by_lines(&files, workers, since);
            }
        }
    }

    #[test]
    fn long_lines_are_cut_alike_in_every_place() {
        let base = random_log(7, 2 * CHUNK);
        for cut in [0, 100, CHUNK - 1, CHUNK, CHUNK + 1, base.len() / 2] {
            for long in [MAX_LINE - 1, MAX_LINE, MAX_LINE + 1, 2 * MAX_LINE + 5] {
                let mut f = base[..cut].to_vec();
                f.extend(std::iter::repeat_n(b'x', long));
                f.extend_from_slice(&base[cut..]);
                for workers in [1, 2] {
                    same_as_by_lines(std::slice::from_ref(&f), workers, None);
                }
                // The same, without a newline after it: the file ends in the long line.
                let mut g = base[..cut].to_vec();
                g.extend(std::iter::repeat_n(b'x', long));
                same_as_by_lines(&[g], 2, None);
            }
        }
    }

    #[test]
    fn a_reader_that_fails_keeps_what_was_read() {
        struct Failing<'a>(&'a [u8]);
        impl Read for Failing<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("disk gone"));
                }
                let n = buf.len().min(self.0.len()).min(100_000);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let log = random_log(3, 3 * CHUNK);
        for workers in [1, 2] {
            let mut s = Scanner::new(None);
            s.workers = workers;
            assert!(s.scan(Failing(&log)).is_err());
            let t = s.finish();
            // Every whole block read before the failure was counted.
            assert!(
                t.lines > 0 && t.lines < log.iter().filter(|&&b| b == b'\n').count() as u64 + 1
            );
        }
    }
}
