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
use super::block::{Found, Look, What, digest, first_pass, judged, look};
use super::count::{Counter, Digest, FileCtx};
pub use super::count::{Counts, Sizes, Tally, TimeoutsSet};
use super::family::Stack;
use super::line::{self, ErrKind, Lead, Stamp, YearHint};
use super::source::Source;

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
}

/// A block on its way through the passes.
pub(super) struct Work {
    pub(super) buf: Vec<u8>,
    /// The block: `buf[..len]`.
    pub(super) len: usize,
    pub(super) found: Found,
    pub(super) ctx: LineCtx,
}

/// How the lines of one file are read: its stack, the account of lines that name none, and the
/// year of lines that carry none.
#[derive(Debug, Clone, Copy)]
pub struct FileSetup {
    pub stack: Stack,
    pub account: u64,
    pub year: Option<YearHint>,
}

impl FileSetup {
    pub(super) fn line_ctx(&self) -> LineCtx {
        LineCtx {
            year: self.year,
            napcat: self.stack == Stack::Napcat,
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
        }
    }
}

pub struct Scanner {
    pub(super) counter: Counter,
    /// How the current file is read (set by [`Scanner::set_file`]).
    setup: FileSetup,
    ctx: LineCtx,
    /// Has the current file shown a timestamp yet? Until then, undated lines are searched for
    /// markers anywhere (a format not known here); after, they are continuations.
    pub(super) file_dated: bool,
    /// An 8.x-only text was seen in the current file.
    saw_v8: bool,
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
            setup: FileSetup {
                stack: Stack::Unknown,
                account: 0,
                year: None,
            },
            ctx: LineCtx::default(),
            file_dated: false,
            saw_v8: false,
            spare: Vec::new(),
            workers: cores.min(MAX_WORKERS),
        }
    }

    /// Sets how the next file is read: its stack, the account of lines that name none, and the
    /// year of lines that carry none.
    pub fn set_file(&mut self, stack: Stack, account: u64, year: Option<YearHint>) {
        self.use_setup(FileSetup {
            stack,
            account,
            year,
        });
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
        self.file_dated = false;
        self.saw_v8 = false;
    }

    /// The file read since the totals were `before` (lines, skipped lines).
    pub(super) fn file_tally(&self, before: (u64, u64), bytes: u64, truncated: bool) -> FileTally {
        FileTally {
            bytes,
            lines: self.counter.tally.lines - before.0,
            skipped_lines: self.counter.tally.skipped_lines - before.1,
            truncated,
            saw_v8: self.saw_v8,
        }
    }

    pub fn tally(&self) -> &Tally {
        &self.counter.tally
    }

    fn dated(&mut self, stamp: Stamp, d: Option<(Digest, u64)>, l: &[u8]) {
        self.file_dated = true;
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
            Some((d, uin)) => self.counter.dated(stamp, uin, Some(d), l),
            None => self.counter.dated(stamp, 0, None, l),
        }
    }

    /// A text line without a timestamp (already counted as undated).
    fn text(&mut self, l: &[u8]) {
        if self.counter.ws_continuation(l) {
            return;
        }
        if !self.file_dated
            && let Some(d) = line::classify_anywhere(l).and_then(|k| digest(k, l, self.ctx))
        {
            self.counter.event(None, 0, d, l);
        }
    }

    /// Lines the first pass did not keep (dated lines that count for nothing, and lines that
    /// are not text), read again for their timestamps while the state waits for one.
    fn reread(&mut self, lines: &[u8]) {
        for raw in lines.split(|&b| b == b'\n') {
            if !self.counter.waiting() {
                break;
            }
            let l = judged(raw);
            if let Lead::Dated { stamp, .. } = line::lead_in(l, self.ctx.year) {
                self.dated(stamp, None, l);
            }
        }
    }

    /// Feeds one line (without its newline).
    pub fn line(&mut self, raw: &[u8]) {
        self.counter.tally.lines += 1;
        let l = judged(raw);
        match look(l, self.ctx) {
            Look::Blank => {}
            Look::Skipped => self.counter.tally.skipped_lines += 1,
            Look::Dated(stamp, d) => {
                self.counter.seen(stamp, stamp);
                self.dated(stamp, d, l);
            }
            Look::Text => {
                self.counter.tally.undated_lines += 1;
                self.text(l);
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
        if let Some((a, b)) = f.span {
            self.counter.seen(a, b);
        }
        let mut from = 0;
        for k in &f.kept {
            let (start, end) = (k.start as usize, k.end as usize);
            if self.counter.waiting() {
                self.reread(&block[from..start]);
            }
            match k.what {
                What::Dated(stamp, d, uin) => self.dated(stamp, Some((d, uin)), &block[start..end]),
                What::Text => {
                    if f.first_dated.is_some_and(|d| (d as usize) < start) {
                        self.file_dated = true;
                    }
                    self.text(&block[start..end]);
                }
            }
            from = k.next as usize;
        }
        if self.counter.waiting() {
            self.reread(&block[from..]);
        }
        if f.first_dated.is_some() {
            self.file_dated = true;
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
        let before = (self.counter.tally.lines, self.counter.tally.skipped_lines);
        let mut src = Source::new(reader);
        let mut w = self.spare_work();
        let mut next = self.spare_work();
        w.ctx = self.ctx;
        next.ctx = self.ctx;
        let mut carried = 0;
        let result = loop {
            let f = match src.fill(&mut w.buf, carried) {
                Ok(f) => f,
                Err(e) => break Err(e),
            };
            w.len = f.len;
            carried = f.filled - f.len;
            next.buf[..carried].copy_from_slice(&w.buf[f.len..f.filled]);
            first_pass(&w.buf[..w.len], &mut w.found, w.ctx);
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
