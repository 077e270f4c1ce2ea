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
//!
//! The first pass is in `block.rs`; this file reads the blocks and runs the second.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Mutex, mpsc};
use std::thread;

pub use super::block::LineCtx;
use super::block::{Found, Look, What, digest, first_pass, judged, look};
use super::count::{Counter, Digest, FileCtx};
pub use super::count::{Counts, Sizes, Tally, TimeoutsSet};
use super::family::Stack;
use super::line::{self, ErrKind, Lead, Stamp, YearHint};
use super::source::{Filled, Source};

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
struct Work {
    buf: Vec<u8>,
    /// The block: `buf[..len]`.
    len: usize,
    found: Found,
    ctx: LineCtx,
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

/// The reading shared by the worker threads.
struct Reading<'a, R> {
    src: &'a mut Source<R>,
    /// The start of the next line, from the end of the block read last.
    carried: Vec<u8>,
    next_seq: u64,
    ended: bool,
    ctx: LineCtx,
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
    w.ctx = r.ctx;
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

pub struct Scanner {
    pub(super) counter: Counter,
    ctx: LineCtx,
    /// Has the current file shown a timestamp yet? Until then, undated lines are searched for
    /// markers anywhere (a format not known here); after, they are continuations.
    pub(super) file_dated: bool,
    /// An 8.x-only text was seen in the current file.
    saw_v8: bool,
    /// Block buffers, kept from file to file.
    spare: Vec<Work>,
    /// Worker threads for the first pass (1: none, all on this thread).
    pub(super) workers: usize,
}

impl Scanner {
    /// `since`: ignore events before this time (on the log's clock).
    pub fn new(since: Option<Stamp>) -> Scanner {
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        Scanner {
            counter: Counter::new(since),
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
        self.counter.file = FileCtx { stack, account };
        self.ctx = LineCtx {
            year,
            napcat: stack == Stack::Napcat,
        };
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
    fn second_pass(&mut self, w: &Work) {
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

    fn spare_work(&mut self) -> Work {
        self.spare.pop().unwrap_or_else(Work::new)
    }

    /// Reads one file (or any reader) to its end. Lines are cut at [`MAX_LINE`]; a last line
    /// without a newline is still read. Blocks go through the first pass on worker threads
    /// when the input is longer than one block and the machine has more than one core.
    pub fn scan<R: Read + Send>(&mut self, reader: R) -> io::Result<FileTally> {
        let before = (self.counter.tally.lines, self.counter.tally.skipped_lines);
        self.file_dated = false;
        self.saw_v8 = false;
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
            lines: self.counter.tally.lines - before.0,
            skipped_lines: self.counter.tally.skipped_lines - before.1,
            truncated,
            saw_v8: self.saw_v8,
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
            first_pass(&w.buf[..w.len], &mut w.found, w.ctx);
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
            ctx: self.ctx,
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
                        first_pass(&w.buf[..w.len], &mut w.found, w.ctx);
                        if done_tx.send((seq, w)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done_tx);
            // The first block, already read, while the workers read the next ones.
            first_pass(&first.buf[..first.len], &mut first.found, self.ctx);
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
