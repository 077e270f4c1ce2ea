//! The first pass over one block of a log: each line on its own, its timestamp, which line it
//! is and what it says. It needs nothing from the lines before, so blocks can go through it on
//! worker threads; it keeps only the lines the second pass (in [`super::scan`]) needs.

use super::count::Digest;
use super::line::{self, ErrKind, Kind, Lead, Stamp};
use super::scan::MAX_LINE;
use super::stamp::Clock;

/// How the lines of the file being read are read: NapCat's lines need the year, a locale's
/// dates their order, NapCat's `发送 ->` lines are its sends, and LLOneBot 3.x-7.11 end each
/// entry with a blank line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineCtx {
    pub clock: Clock,
    pub napcat: bool,
    /// Only a line after a blank line (or the first) starts an entry; the lines after it up to
    /// the next blank line are its text (a chat message, a stack trace), never counted.
    pub blank_separated: bool,
}

/// What a line of this kind says, if it counts. `l` is the whole line.
#[inline(always)]
pub(super) fn digest(kind: Kind<'_>, l: &[u8], ctx: LineCtx) -> Option<Digest> {
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
        Kind::ApiTimeout(send) => send.then(|| Digest::ApiTimeoutSend {
            target: line::timeout_target(l),
        }),
        Kind::Error(text) => {
            let what = line::error_kind(text);
            let target = match what {
                ErrKind::SendTimeout => line::timeout_target(text),
                _ => 0,
            };
            Some(Digest::Error { what, target })
        }
        Kind::WsReply(rest) => {
            if line::reply_failed(rest) {
                Some(Digest::FailedReply {
                    timeout: line::error_is_send_timeout(line::reply_message(rest)),
                })
            } else {
                match line::self_message_target(rest, false) {
                    0 => None,
                    target => Some(Digest::SelfSent { target }),
                }
            }
        }
        Kind::SelfSent(rest) => ctx.napcat.then(|| Digest::SelfSent {
            target: line::self_message_target(rest, true),
        }),
    }
}

/// One line as the first pass sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Look {
    /// Empty, or only spaces and tabs.
    Blank,
    /// Not log text: binary, invalid UTF-8, or a timestamp that is no date.
    Skipped,
    /// A timestamp, and what the line says if it counts, with the account it names.
    Dated(Stamp, Option<(Digest, u64)>),
    /// Text without a timestamp.
    Text,
}

fn is_garbled(line: &[u8]) -> bool {
    has_control(line) || std::str::from_utf8(line).is_err()
}

/// A control byte other than a tab, 32 bytes at a time without a branch per byte (the compiler
/// makes vector compares of it): chat text lines are long, and all of them are checked.
fn has_control(line: &[u8]) -> bool {
    let is = |b: u8| b < 0x20 && b != b'\t';
    let mut chunks = line.chunks_exact(32);
    for c in &mut chunks {
        if c.iter().fold(false, |any, &b| any | is(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| is(b))
}

/// A line as it is judged: cut at [`MAX_LINE`], without its `\r`.
pub(super) fn judged(raw: &[u8]) -> &[u8] {
    let raw = &raw[..raw.len().min(MAX_LINE)];
    raw.strip_suffix(b"\r").unwrap_or(raw)
}

/// The first pass over one (judged) line, with its timestamp already read; `classify` reads
/// what a dated line says from where its timestamp ends ([`line::classify_with_uin`]).
#[inline(always)]
fn look_with<'a>(
    l: &'a [u8],
    lead: Lead,
    ctx: LineCtx,
    classify: impl FnOnce(usize) -> (Option<Kind<'a>>, u64),
) -> Look {
    match lead {
        Lead::Dated { stamp, rest } => {
            let (kind, uin) = classify(rest);
            Look::Dated(
                stamp,
                kind.and_then(|k| digest(k, l, ctx)).map(|d| (d, uin)),
            )
        }
        Lead::BadDate => Look::Skipped,
        Lead::Undated if is_garbled(l) => Look::Skipped,
        Lead::Undated => Look::Text,
    }
}

pub(super) fn is_blank(l: &[u8]) -> bool {
    l.iter().all(|&b| b == b' ' || b == b'\t')
}

/// Can this (non-blank) line start an entry, after a blank line or not?
#[inline(always)]
pub(super) fn may_start_entry(ctx: LineCtx, prev_blank: bool) -> bool {
    prev_blank || !ctx.blank_separated
}

/// One line as the first pass sees it; `prev_blank`: the line before was blank (or none).
pub(super) fn look(l: &[u8], ctx: LineCtx, prev_blank: bool) -> Look {
    if is_blank(l) {
        return Look::Blank;
    }
    if !may_start_entry(ctx, prev_blank) {
        return if is_garbled(l) {
            Look::Skipped
        } else {
            Look::Text
        };
    }
    look_with(l, line::lead_at(l, ctx.clock), ctx, |rest| {
        line::classify_with_uin(l, rest)
    })
}

/// Is the last line of these whole lines blank? (`None`: there are none.)
pub(super) fn ends_blank(block: &[u8]) -> Option<bool> {
    let body = block.strip_suffix(b"\n")?;
    let start = memchr::memrchr(b'\n', body).map_or(0, |k| k + 1);
    Some(is_blank(judged(&body[start..])))
}

/// A line the second pass needs, by its place in the block.
#[derive(Debug, Clone, Copy)]
pub(super) struct Kept {
    pub(super) start: u32,
    /// End of the judged line.
    pub(super) end: u32,
    /// Start of the next line.
    pub(super) next: u32,
    pub(super) what: What,
}

/// Why the second pass needs a line: it starts an entry that counts.
#[derive(Debug, Clone, Copy)]
pub(super) enum What {
    Dated(Stamp, Digest, u64),
}

/// What the first pass found in one block.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub(super) lines: u64,
    pub(super) skipped: u64,
    pub(super) undated: u64,
    /// Lines that start an entry with a timestamp.
    pub(super) dated: u64,
    /// The earliest and latest time of the block's dated lines.
    pub(super) span: Option<(Stamp, Stamp)>,
    pub(super) kept: Vec<Kept>,
}

/// The first pass over a block of whole lines (the last one may lack its newline);
/// `prev_blank`: the line before the block was blank, or the block starts the file.
pub(super) fn first_pass(block: &[u8], found: &mut Found, ctx: LineCtx, prev_blank: bool) {
    let mut prev_blank = prev_blank;
    found.lines = 0;
    found.skipped = 0;
    found.undated = 0;
    found.dated = 0;
    found.span = None;
    found.kept.clear();
    // The latest dated line and where its timestamp ends, to reuse its time on the next lines.
    let mut prev: Option<(usize, usize, Stamp)> = None;
    // The latest `nick(uin): ` (3.x): where its bytes are in the block, how many, the account.
    // Most lines of a 3.x log repeat it, and comparing it costs less than reading it again.
    let mut nick: Option<(usize, usize, u64)> = None;
    let mut start = 0;
    let mut one = |start: usize,
                   end: usize,
                   next: usize,
                   prev: &mut Option<(usize, usize, Stamp)>,
                   prev_blank: &mut bool| {
        found.lines += 1;
        let l = judged(&block[start..end]);
        if is_blank(l) {
            *prev_blank = true;
            return;
        }
        if !may_start_entry(ctx, std::mem::replace(prev_blank, false)) {
            // Text of the entry above: never counted, whatever it says.
            if is_garbled(l) {
                found.skipped += 1;
            } else {
                found.undated += 1;
            }
            return;
        }
        let lead = match *prev {
            Some((p, rest, stamp)) if line::same_lead(l, &block[p..], rest) => {
                Lead::Dated { stamp, rest }
            }
            _ => {
                let lead = line::lead_at(l, ctx.clock);
                if let Lead::Dated { stamp, rest } = lead {
                    *prev = Some((start, rest, stamp));
                }
                lead
            }
        };
        let classify = |rest: usize| match nick {
            Some((at, n, uin))
                if l.get(rest..rest + n)
                    .is_some_and(|b| line::same_bytes(b, &block[at..at + n])) =>
            {
                (line::kind_at(&l[rest + n..]), uin)
            }
            _ => {
                let (kind, uin, len) = line::classify_nick(l, rest);
                if let Some(n) = len {
                    nick = Some((start + rest, n, uin));
                }
                (kind, uin)
            }
        };
        let (what, end) = match look_with(l, lead, ctx, classify) {
            Look::Blank => return,
            Look::Skipped => {
                found.skipped += 1;
                return;
            }
            Look::Dated(stamp, d) => {
                found.dated += 1;
                found.span = Some(match found.span {
                    Some((a, b)) => (a.min(stamp), b.max(stamp)),
                    None => (stamp, stamp),
                });
                match d {
                    Some((d, uin)) => (What::Dated(stamp, d, uin), start + l.len()),
                    None => return,
                }
            }
            Look::Text => {
                found.undated += 1;
                return;
            }
        };
        found.kept.push(Kept {
            start: start as u32,
            end: end as u32,
            next: next as u32,
            what,
        });
    };
    let newline = Newline::new();
    // Empty lines, counted without a search: LLOneBot 3.x-7.x write one after every entry.
    let mut empty = 0;
    while let Some(&b) = block.get(start) {
        if b == b'\n' {
            empty += 1;
            start += 1;
            prev_blank = true;
            continue;
        }
        match newline.find(&block[start..]) {
            Some(k) => {
                one(start, start + k, start + k + 1, &mut prev, &mut prev_blank);
                start += k + 1;
            }
            None => {
                one(start, block.len(), block.len(), &mut prev, &mut prev_blank);
                break;
            }
        }
    }
    found.lines += empty;
}

/// The search for line ends, with the vector routine picked once per block instead of on each
/// call: `memchr::memchr` looks it up through a function pointer every time, which on lines of
/// a hundred bytes costs a tenth of the search.
struct Newline {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::One>,
}

impl Newline {
    fn new() -> Newline {
        Newline {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::One::new(b'\n'),
        }
    }

    #[inline]
    fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(one) = &self.avx2 {
            return one.find(hay);
        }
        memchr::memchr(b'\n', hay)
    }
}
