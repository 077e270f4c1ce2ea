//! The streaming scanner: reads a log in large blocks, splits lines with `memchr`, and counts
//! sends, timeouts and errors without ever holding a whole file or validating whole lines.
//!
//! It works in two passes, so that a big log keeps every core busy:
//! - the first pass reads each line on its own: its timestamp, which line it is, and what it says
//!   (the action of a request, a size, whether an error names a send timeout). It needs nothing
//!   from the lines before, so the blocks go to worker threads (`pipeline.rs`), which read
//!   them file after file. Most lines end there: only the lines that count for something, and the
//!   lines without a timestamp, are kept for the second pass.
//! - the second pass, on this thread and in file order, feeds what the first kept through the
//!   state that pairs an IPC timeout with its error line, charges errors to the latest request
//!   and follows a WebSocket request whose action comes on a later line. While that state waits
//!   for the next timestamp (an IPC timeout waiting for its error, a WebSocket request for its
//!   action), the lines in between are read again, so the counts are exactly those of reading
//!   line by line ([`Scanner::line`]).
//!
//! The first pass is in `block.rs`; the worker threads in `pipeline.rs`; this file runs the
//! second pass, and both passes on one core.

use std::io::{self, Read};
use std::thread;

pub use super::block::LineCtx;
use super::block::{Found, Look, What, ends_blank, first_pass, judged, look};
use super::count::{Counter, Digest, FileCtx};
pub use super::count::{Counts, Sizes, Tally, TimeoutsSet};
use super::family::Stack;
use super::line::{self, ErrKind, Lead, Stamp};
use super::source::Source;
use super::stamp::Clock;

/// Block size: the unit of reading and of work for the worker threads.
pub const CHUNK: usize = 512 * 1024;
/// A line longer than this is cut: its first `MAX_LINE` bytes are judged, the rest ignored.
/// (A send with a base64 image can log megabytes on one line; a crash can leave a run of NULs.)
pub const MAX_LINE: usize = 1024 * 1024;
/// A block buffer: room for a cut line and a block after it.
pub(super) const CAP: usize = MAX_LINE + CHUNK;
// The bytes carried over to the next block (an unfinished line) stay under one block.
const _: () = assert!(MAX_LINE >= 2 * CHUNK);
/// Worker threads for the first pass, at most: past this, reading is the limit.
const MAX_WORKERS: usize = 4;
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What one file contributed, for the report's file list.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileTally {
    pub bytes: u64,
    pub lines: u64,
    pub skipped_lines: u64,
    /// The file did not end with a newline (cut short, or still being written).
    pub truncated: bool,
    /// A text only LLBot 8.x writes was seen (`waitForSelfEcho timeout`, `发送消息失败 (code=`).
    pub saw_v8: bool,
    /// Lines that start an entry with a timestamp in a known shape.
    pub dated_lines: u64,
    /// Text lines that start no entry (continuations, or lines of an unknown shape).
    pub undated_lines: u64,
    /// Entries that counted for something (a request, an error, a size, ...).
    pub counted: u64,
}

/// A block on its way through the passes.
pub(super) struct Work {
    pub(super) buf: Vec<u8>,
    /// The block: `buf[..len]`.
    pub(super) len: usize,
    pub(super) found: Found,
    pub(super) ctx: LineCtx,
    /// The line before the block was blank, or the block starts its file.
    pub(super) prev_blank: bool,
}

/// How the lines of one file are read: its stack, the account of lines that name none, its
/// clock (the year of lines that carry none, the order of a locale's dates), and whether its
/// entries end with a blank line.
#[derive(Debug, Clone, Copy)]
pub struct FileSetup {
    pub stack: Stack,
    pub account: u64,
    pub clock: Clock,
    pub blank_separated: bool,
}

impl FileSetup {
    /// A file of this stack, read line by line (each dated line starts an entry).
    pub fn plain(stack: Stack, account: u64) -> FileSetup {
        FileSetup {
            stack,
            account,
            clock: Clock::default(),
            blank_separated: false,
        }
    }

    pub(super) fn line_ctx(&self) -> LineCtx {
        LineCtx {
            clock: self.clock,
            napcat: self.stack == Stack::Napcat,
            blank_separated: self.blank_separated,
        }
    }
}

impl Work {
    fn new() -> Work {
        Work {
            buf: vec![0; CAP],
            len: 0,
            found: Found::default(),
            ctx: LineCtx::default(),
            prev_blank: true,
        }
    }
}

pub struct Scanner {
    pub(super) counter: Counter,
    /// How the current file is read (set by [`Scanner::set_file`]).
    setup: FileSetup,
    ctx: LineCtx,
    /// The line before was blank (or none): for [`Scanner::line`].
    prev_blank: bool,
    /// An 8.x-only text was seen in the current file.
    saw_v8: bool,
    /// Entries of the current file that counted for something.
    counted: u64,
    /// Block buffers, kept from file to file.
    pub(super) spare: Vec<Work>,
    /// Worker threads for the first pass (1: none, all on this thread).
    pub(super) workers: usize,
}

impl Scanner {
    /// `since`: ignore events before this time (on the log's clock).
    pub fn new(since: Option<Stamp>) -> Scanner {
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        Scanner {
            counter: Counter::new(since),
            setup: FileSetup::plain(Stack::Unknown, 0),
            ctx: LineCtx::default(),
            prev_blank: true,
            saw_v8: false,
            counted: 0,
            spare: Vec::new(),
            workers: cores.min(MAX_WORKERS),
        }
    }

    /// Sets how the next file is read.
    pub fn set_file(&mut self, setup: FileSetup) {
        self.begin_file(setup);
    }

    fn use_setup(&mut self, setup: FileSetup) {
        self.setup = setup;
        self.counter.file = FileCtx {
            stack: setup.stack,
            account: setup.account,
        };
        self.ctx = setup.line_ctx();
    }

    /// The second pass starts a new file, read as `setup` says.
    pub(super) fn begin_file(&mut self, setup: FileSetup) {
        self.use_setup(setup);
        self.prev_blank = true;
        self.saw_v8 = false;
        self.counted = 0;
    }

    /// Where the totals are, to tell a file's share of them at its end.
    pub(super) fn mark(&self) -> [u64; 4] {
        let t = &self.counter.tally;
        [t.lines, t.skipped_lines, t.undated_lines, t.dated_lines]
    }

    /// The file read since the totals were at `before` ([`Scanner::mark`]).
    pub(super) fn file_tally(&self, before: [u64; 4], bytes: u64, truncated: bool) -> FileTally {
        let now = self.mark();
        FileTally {
            bytes,
            lines: now[0] - before[0],
            skipped_lines: now[1] - before[1],
            truncated,
            saw_v8: self.saw_v8,
            undated_lines: now[2] - before[2],
            dated_lines: now[3] - before[3],
            counted: self.counted,
        }
    }

    pub fn tally(&self) -> &Tally {
        &self.counter.tally
    }

    fn dated(&mut self, stamp: Stamp, d: Option<(Digest, u64)>, l: &[u8]) {
        if let Some((
            Digest::Error {
                what: ErrKind::EchoTimeout,
                ..
            },
            _,
        )) = d
        {
            self.saw_v8 = true;
        }
        match d {
            Some((d, uin)) => {
                self.counted += 1;
                self.counter.dated(stamp, uin, Some(d), l)
            }
            None => self.counter.dated(stamp, 0, None, l),
        }
    }

    /// Lines the first pass did not keep (entries that count for nothing, their text, blank
    /// lines), read again while the state waits: for the next timestamp (an IPC timeout waiting
    /// for its error), or for the action of a WebSocket request on the lines of its entry.
    /// `prev_blank`: the line before these was blank (or none).
    fn reread(&mut self, lines: &[u8], prev_blank: bool) {
        let mut prev_blank = prev_blank;
        for raw in lines.split(|&b| b == b'\n') {
            if !self.counter.waiting() {
                break;
            }
            let l = judged(raw);
            let look = look(l, self.ctx, prev_blank);
            prev_blank = look == Look::Blank;
            match look {
                Look::Dated(stamp, _) => self.dated(stamp, None, l),
                Look::Text => {
                    self.counter.ws_continuation(l);
                }
                Look::Blank | Look::Skipped => {}
            }
        }
    }

    /// Feeds one line (without its newline).
    pub fn line(&mut self, raw: &[u8]) {
        self.counter.tally.lines += 1;
        let l = judged(raw);
        let look = look(l, self.ctx, self.prev_blank);
        self.prev_blank = look == Look::Blank;
        match look {
            Look::Blank => {}
            Look::Skipped => self.counter.tally.skipped_lines += 1,
            Look::Dated(stamp, d) => {
                self.counter.tally.dated_lines += 1;
                self.counter.seen(stamp, stamp);
                self.dated(stamp, d, l);
            }
            Look::Text => {
                self.counter.tally.undated_lines += 1;
                self.counter.ws_continuation(l);
            }
        }
    }

    /// The second pass over a block the first pass has read.
    pub(super) fn second_pass(&mut self, w: &Work) {
        let f = &w.found;
        let block = &w.buf[..w.len];
        let t = &mut self.counter.tally;
        t.lines += f.lines;
        t.skipped_lines += f.skipped;
        t.undated_lines += f.undated;
        t.dated_lines += f.dated;
        if let Some((a, b)) = f.span {
            self.counter.seen(a, b);
        }
        let mut from = 0;
        let mut from_blank = w.prev_blank;
        for k in &f.kept {
            let (start, end) = (k.start as usize, k.end as usize);
            if self.counter.waiting() {
                self.reread(&block[from..start], from_blank);
            }
            match k.what {
                What::Dated(stamp, d, uin) => self.dated(stamp, Some((d, uin)), &block[start..end]),
            }
            from = k.next as usize;
            from_blank = false;
        }
        if self.counter.waiting() {
            self.reread(&block[from..], from_blank);
        }
    }

    pub(super) fn spare_work(&mut self) -> Work {
        self.spare.pop().unwrap_or_else(Work::new)
    }

    /// Reads one file (or any reader) to its end, as [`Scanner::set_file`] said. Lines are cut
    /// at [`MAX_LINE`]; a last line without a newline is still read.
    pub fn scan<R: Read + Send>(&mut self, reader: R) -> io::Result<FileTally> {
        let mut reader = Some(reader);
        let setup = self.setup;
        self.scan_files(&[setup], |_| {
            reader
                .take()
                .ok_or_else(|| io::Error::other("the reader was taken already"))
        })
        .pop()
        .unwrap_or_else(|| Err(io::Error::other("no result for the file")))
    }

    /// Reads the files one after the other, the `i`-th opened by `open(i)` and read as
    /// `setups[i]` says; returns each file's tally or the error that stopped its reading. With
    /// more than one core the first pass runs on worker threads, which go from one file to the
    /// next without waiting for the second pass.
    pub fn scan_files<R, O>(
        &mut self,
        setups: &[FileSetup],
        mut open: O,
    ) -> Vec<io::Result<FileTally>>
    where
        R: Read + Send,
        O: FnMut(usize) -> io::Result<R> + Send,
    {
        if self.workers >= 2 {
            return self.scan_parallel(setups, open);
        }
        let mut results = Vec::with_capacity(setups.len());
        for (i, &setup) in setups.iter().enumerate() {
            self.begin_file(setup);
            results.push(open(i).and_then(|r| self.scan_here(r)));
        }
        results
    }

    /// Both passes on this thread, block after block.
    fn scan_here<R: Read>(&mut self, reader: R) -> io::Result<FileTally> {
        let before = self.mark();
        let mut src = Source::new(reader);
        let mut w = self.spare_work();
        let mut next = self.spare_work();
        w.ctx = self.ctx;
        next.ctx = self.ctx;
        w.prev_blank = true;
        let mut carried = 0;
        let result = loop {
            let f = match src.fill(&mut w.buf, carried) {
                Ok(f) => f,
                Err(e) => break Err(e),
            };
            w.len = f.len;
            carried = f.filled - f.len;
            next.buf[..carried].copy_from_slice(&w.buf[f.len..f.filled]);
            next.prev_blank = ends_blank(&w.buf[..w.len]).unwrap_or(w.prev_blank);
            first_pass(&w.buf[..w.len], &mut w.found, w.ctx, w.prev_blank);
            self.second_pass(&w);
            if f.last {
                break Ok(w.len > 0 && w.buf[w.len - 1] != b'\n');
            }
            std::mem::swap(&mut w, &mut next);
        };
        self.spare.push(w);
        self.spare.push(next);
        let truncated = result?;
        Ok(self.file_tally(before, src.bytes, truncated))
    }

    /// Counts what is still waiting and returns the totals.
    pub fn finish(self) -> Tally {
        self.counter.finish()
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
#[path = "scan_tests.rs"]
mod tests;
