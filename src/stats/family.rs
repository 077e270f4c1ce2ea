//! Which stack and version family wrote a log file, from its name and its first dated line.
//!
//! The layouts, read from the loggers by tag (LLOneBot/LuckyLilliaBot, NapNeko/NapCatQQ):
//!
//! | family | file name | line | source |
//! |---|---|---|---|
//! | `3.x` | `llonebot-<zh-CN time>.log` | `2024/8/2 15:03:13 nick(uin): msg ` | `src/common/utils/log.ts` v3.28.3 |
//! | `3.3x-4.x` | `llonebot-…` | `2024/11/3 10:00:01 [info] nick(uin) \| onebot msg` | `src/main/log.ts` v3.31.9, v4.9.4 |
//! | `5.x` | `llonebot-…` | `[info] \| 2025-01-05 10:00:00 \| msg` | `src/main/log.ts` v5.10.0 |
//! | `6.0-7.1` | `lltwobot-…` | the same | `src/main/log.ts` v6.6.9, `legacyLog.ts` v6.0.0 |
//! | `7.2-7.11` | `llbot-…` | the same | `src/main/log.ts` v7.2.0 |
//! | `7.12+` | `llbot-…` | `2026-01-05 10:00:00 [E] onebot msg` | `src/main/log.ts` v7.12.15 (cordis console exporter) |
//! | `8.x` | `llbot-…` | the same; 8.x's own texts (`waitForSelfEcho timeout`, `发送消息失败 (code=…)`) | `src/main/log.ts`, `src/ntqqapi/api/msg.ts` v8.1.7 |
//! | `napcat` | `YYYY-MM-DD_HH-mm-ss.SSS.log` | `05-12 10:00:00 [error] nick \| msg` (no year, no uin) | `packages/napcat-core/helper/log.ts` v4.18.19 |

use std::path::Path;

use serde::Serialize;

use super::line::{self, Lead, YearHint};
use super::stamp::Clock;

/// The program that wrote a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stack {
    /// LLOneBot: the LiteLoaderQQNT plugin (3.x-4.x) and the first standalone (5.x).
    Llonebot,
    /// LLOneBot 6.x-7.x standalone and LLBot 8.x.
    Llbot,
    Napcat,
    Unknown,
}

impl Stack {
    pub fn as_str(self) -> &'static str {
        match self {
            Stack::Llonebot => "llonebot",
            Stack::Llbot => "llbot",
            Stack::Napcat => "napcat",
            Stack::Unknown => "unknown",
        }
    }
}

/// A stack hint from whoever found the folder (discovery knows whose data folder it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackHint {
    /// Decide from the file names and lines.
    Any,
    Llonebot,
    Napcat,
}

/// The version family of a log's layout (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V3,
    V331to4,
    V5,
    V6to71,
    V72to711,
    V712,
    V8,
    Napcat,
    Unknown,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::V3 => "3.x",
            Family::V331to4 => "3.3x-4.x",
            Family::V5 => "5.x",
            Family::V6to71 => "6.0-7.1",
            Family::V72to711 => "7.2-7.11",
            Family::V712 => "7.12+",
            Family::V8 => "8.x",
            Family::Napcat => "napcat",
            Family::Unknown => "unknown",
        }
    }

    pub fn stack(self) -> Stack {
        match self {
            Family::V3 | Family::V331to4 | Family::V5 => Stack::Llonebot,
            Family::V6to71 | Family::V72to711 | Family::V712 | Family::V8 => Stack::Llbot,
            Family::Napcat => Stack::Napcat,
            Family::Unknown => Stack::Unknown,
        }
    }
}

/// The prefix of the file name, by LLOneBot's naming: `llonebot-` (3.19-5.x), `lltwobot-`
/// (6.0-7.1), `llbot-` (7.2+).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Llonebot,
    Lltwobot,
    Llbot,
    Napcat(YearHint),
    Other,
}

/// NapCat's `YYYY-MM-DD_HH-mm-ss.SSS.log` gives the year and month its lines leave out.
pub fn napcat_name_year(name: &str) -> Option<YearHint> {
    let b = name.as_bytes();
    let ok = b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[10] == b'_';
    if !ok {
        return None;
    }
    let year = name[..4].parse().ok()?;
    let month = name[5..7].parse().ok().filter(|m| (1..=12).contains(m))?;
    Some(YearHint { year, month })
}

fn named(name: &str) -> Named {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("llonebot") {
        Named::Llonebot
    } else if lower.starts_with("lltwobot") {
        Named::Lltwobot
    } else if lower.starts_with("llbot") {
        Named::Llbot
    } else if let Some(h) = napcat_name_year(name) {
        Named::Napcat(h)
    } else {
        Named::Other
    }
}

/// What is known of a file before it is read: its family, how its clock writes dates, whether
/// its entries end with a blank line, and the account its launch line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    pub family: Family,
    pub clock: Clock,
    /// Entries end with a blank line (LLOneBot 3.x-7.11): a line right after a non-blank line
    /// belongs to the entry above, whatever it looks like.
    pub blank_separated: bool,
    /// The account named by the launch line (`-q <uin>`, `--qq=<uin>` in LLBot's argv).
    pub account: Option<u64>,
}

/// The layout of one dated line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `time nick(uin): msg`, `time : msg` (3.x).
    V3,
    /// `time [type] nick(uin) | name msg` (3.31-4.x cordis logger).
    Cordis4,
    /// `YYYY-MM-DD HH:MM:SS | msg` (5.0-5.2).
    Bar5,
    /// `[type] | YYYY-MM-DD HH:MM:SS | msg` (5.3-7.11).
    Pipe,
    /// `YYYY-MM-DD hh:mm:ss [I] name msg` (7.12+, 8.x).
    Cordis712,
    /// `MM-DD HH:mm:ss [level] nick | msg` (NapCat).
    Napcat,
    /// `time items ` (the legacy `log()` of 3.31-7.11, written into the same file): says
    /// nothing of the family.
    Legacy,
}

const LAYOUTS: [Layout; 6] = [
    Layout::V3,
    Layout::Cordis4,
    Layout::Bar5,
    Layout::Pipe,
    Layout::Cordis712,
    Layout::Napcat,
];

fn layout_of(l: &[u8], rest: usize, napcat: bool) -> Layout {
    if napcat {
        return Layout::Napcat;
    }
    if l.first() == Some(&b'[') {
        return Layout::Pipe;
    }
    let after = &l[rest.min(l.len())..];
    if after.len() > 4
        && after[0] == b' '
        && after[1] == b'['
        && after[3] == b']'
        && after[2].is_ascii_uppercase()
    {
        return Layout::Cordis712;
    }
    if after.starts_with(b" [") {
        return Layout::Cordis4;
    }
    if after.starts_with(b" | ") {
        // LLBot 5.0's own zero-padded date, else a locale's.
        let iso = rest == 19 && l[4] == b'-' && l[7] == b'-';
        return if iso { Layout::Bar5 } else { Layout::Cordis4 };
    }
    if after.starts_with(b" : ") || line::message_starts(l, rest).nick {
        return Layout::V3;
    }
    Layout::Legacy
}

/// How many dated lines of a file's head vote for its family.
const VOTERS: u32 = 256;

/// The account of an argv logged at launch (`[ 'node', 'llbot.js', '-q', '123' ]`, `--qq=123`,
/// `-q=123`, as `getSpecifiedUin` of LLBot 8.x reads it).
pub fn launch_account(l: &[u8]) -> Option<u64> {
    for flag in [&b"-q"[..], b"--qq"] {
        let hits = memchr::memchr_iter(b'-', l).filter(|&k| l[k..].starts_with(flag));
        for k in hits {
            let quote = match k.checked_sub(1).map(|p| l[p]) {
                Some(q @ (b'\'' | b'"')) => q,
                _ => continue,
            };
            let mut r = &l[k + flag.len()..];
            if let Some(x) = r.strip_prefix(b"=") {
                r = x;
            } else {
                let Some(close) = r.strip_prefix(&[quote][..]) else {
                    continue;
                };
                let close = close.trim_ascii_start();
                let Some(x) = close.strip_prefix(b",") else {
                    continue;
                };
                let x = x.trim_ascii_start();
                let Some(x) = x.strip_prefix(&[quote][..]) else {
                    continue;
                };
                r = x;
            }
            let n = r.iter().take(13).take_while(|b| b.is_ascii_digit()).count();
            if (5..=12).contains(&n) && r.get(n) == Some(&quote) {
                // At most 12 digits: no overflow.
                return Some(
                    r[..n]
                        .iter()
                        .fold(0u64, |v, &d| v * 10 + u64::from(d - b'0')),
                );
            }
        }
    }
    None
}

/// The family of the log at `path` whose first bytes are `head`; `fallback_year` is the year to
/// give NapCat lines when the name has none (the file's modification time). The family is what
/// most dated lines of the head say; the legacy lines LLOneBot 3.31-7.11 write into the same
/// file say nothing.
pub fn detect(
    path: &Path,
    head: &[u8],
    hint: StackHint,
    fallback_year: Option<YearHint>,
) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named = named(&name);
    let year = match named {
        Named::Napcat(h) => Some(h),
        _ => fallback_year,
    };
    let mut votes = [0u32; 6];
    // Dated lines right after a blank line (or first), and right after another line.
    let (mut after_blank, mut joined) = (0u32, 0u32);
    let (mut day_first, mut month_first) = (false, false);
    let mut account = None;
    let mut v8 = false;
    let mut prev_blank = true;
    let mut dated = 0;
    for l in head.split(|&b| b == b'\n') {
        // The first lines are enough to vote: reading them all costs more than the scan.
        if dated >= VOTERS {
            break;
        }
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        if l.iter().all(|&b| b == b' ' || b == b'\t') {
            prev_blank = true;
            continue;
        }
        let was_blank = std::mem::replace(&mut prev_blank, false);
        let lead = line::lead(l);
        let napcat_lead = lead == Lead::Undated
            && hint != StackHint::Llonebot
            && year.is_some_and(|y| matches!(line::lead_in(l, Some(y)), Lead::Dated { .. }));
        let rest = match lead {
            Lead::Dated { rest, .. } => rest,
            _ if napcat_lead => 14,
            _ => continue,
        };
        dated += 1;
        match line::date_order(l) {
            Some(true) => month_first = true,
            Some(false) => day_first = true,
            None => {}
        }
        if was_blank {
            after_blank += 1;
        } else {
            joined += 1;
        }
        if account.is_none() {
            account = launch_account(&l[rest..]);
        }
        let layout = layout_of(l, rest, napcat_lead);
        v8 |=
            layout == Layout::Cordis712 && memchr::memmem::find(&l[rest..], b" LLBot 8.").is_some();
        if let Some(i) = LAYOUTS.iter().position(|&x| x == layout) {
            votes[i] += 1;
        }
    }
    let winner = votes
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .map(|(i, _)| LAYOUTS[i]);
    let family = match (named, hint, winner) {
        (Named::Napcat(_), _, _) | (_, StackHint::Napcat, _) | (_, _, Some(Layout::Napcat)) => {
            Family::Napcat
        }
        (_, _, Some(Layout::V3)) => Family::V3,
        (_, _, Some(Layout::Cordis4)) => Family::V331to4,
        (_, _, Some(Layout::Bar5)) => Family::V5,
        (Named::Lltwobot, _, Some(Layout::Pipe)) => Family::V6to71,
        (Named::Llbot, _, Some(Layout::Pipe)) => Family::V72to711,
        (_, _, Some(Layout::Pipe)) => Family::V5,
        (_, _, Some(Layout::Cordis712)) if v8 => Family::V8,
        (_, _, Some(Layout::Cordis712)) => Family::V712,
        // Only legacy lines, or none dated: the name says it (3.x never wrote legacy lines).
        (Named::Llonebot, _, _) if after_blank + joined > 0 => Family::V331to4,
        (Named::Llonebot, _, _) => Family::V3,
        (Named::Lltwobot, _, _) => Family::V6to71,
        (Named::Llbot, _, _) if after_blank + joined > 0 => Family::V72to711,
        (Named::Llbot, _, _) => Family::V712,
        (Named::Other, _, _) => Family::Unknown,
    };
    let blank_family = matches!(
        family,
        Family::V3 | Family::V331to4 | Family::V5 | Family::V6to71 | Family::V72to711
    );
    FileKind {
        family,
        clock: Clock {
            year: if family == Family::Napcat { year } else { None },
            month_first: match (month_first, day_first) {
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => None,
            },
        },
        blank_separated: blank_family && after_blank >= joined,
        account,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fam(name: &str, text: &str) -> Family {
        detect(Path::new(name), text.as_bytes(), StackHint::Any, None).family
    }

    #[test]
    fn each_layout() {
        assert_eq!(
            fam(
                "llonebot-2024-8-2 15-03-00.log",
                "2024/8/2 15:03:13 空(1): 收到http请求 /x {}"
            ),
            Family::V3
        );
        assert_eq!(
            fam(
                "llonebot-2024-11-3 10-00-00.log",
                "2024/11/3 10:00:01 [info] 空(1) | onebot 收到 HTTP 请求 /x {}"
            ),
            Family::V331to4
        );
        let pipe = "[info] | 2025-01-05 10:00:00 | 收到 HTTP 请求 /x {}";
        assert_eq!(fam("llonebot-2025-1-5 10-00-00.log", pipe), Family::V5);
        assert_eq!(fam("lltwobot-2025-1-5 10-00-00.log", pipe), Family::V6to71);
        assert_eq!(fam("llbot-2025-1-5 10-00-00.log", pipe), Family::V72to711);
        assert_eq!(
            fam(
                "llbot-2026-1-5 10-00-00.log",
                "2026-01-05 10:00:00 [I] onebot x"
            ),
            Family::V712
        );
        assert_eq!(
            fam(
                "2025-05-12_10-00-00.123.log",
                "05-12 10:00:00 [info] bot | x"
            ),
            Family::Napcat
        );
        assert_eq!(fam("x.log", ""), Family::Unknown);
        assert_eq!(Family::Napcat.stack(), Stack::Napcat);
        assert_eq!(
            napcat_name_year("2025-05-12_10-00-00.123.log").map(|h| (h.year, h.month)),
            Some((2025, 5))
        );
        assert_eq!(napcat_name_year("llbot-2025-5-12 10-00-00.log"), None);
    }

    #[test]
    fn most_lines_decide_and_legacy_lines_say_nothing() {
        let legacy_first = "3/2/2026, 9:00:01 AM process pid 23456 \n\n\
3/2/2026, 9:00:02 AM FFmpeg is installed. \n\n\
3/2/2026, 9:00:03 AM [info] (10002) | onebot 收到 HTTP 请求 /get_status {}\n\n";
        let k = detect(
            Path::new("llonebot-2026-3-2 09-00-01.log"),
            legacy_first.as_bytes(),
            StackHint::Any,
            None,
        );
        assert_eq!(k.family, Family::V331to4);
        assert!(k.blank_separated);
        // Only legacy lines: the name says 3.31+.
        assert_eq!(
            fam(
                "llonebot-2026-3-2 09-00-01.log",
                "2026/3/2 09:00:01 process pid 1 \n\n"
            ),
            Family::V331to4
        );
        // A day above 12 settles the order of the whole file.
        let de = "4.3.2026, 09:00:01 process pid 1 \n\n13.3.2026, 09:00:00 x \n\n";
        let k = detect(
            Path::new("llonebot-x.log"),
            de.as_bytes(),
            StackHint::Any,
            None,
        );
        assert_eq!(k.clock.month_first, Some(false));
        // 8.x: indented entries, the account of its launch line.
        let v8 = "2026-03-07 10:00:00 [I] main LLBot 8.1.7\n\
2026-03-07 10:00:00 [I] main [ '/app/node', '/app/llbot.js', '-q', '2854196310' ]\n";
        let k = detect(
            Path::new("llbot-x.log"),
            v8.as_bytes(),
            StackHint::Any,
            None,
        );
        assert_eq!(k.family, Family::V8);
        assert!(!k.blank_separated);
        assert_eq!(k.account, Some(2854196310));
        // NapCat 2.x-3.x wrote the year and the account: still NapCat by its name.
        assert_eq!(
            fam(
                "2024-08-02_15-03-13.123.log",
                "2024-08-02 15:03:13 [INFO] bot(1) | 发送 -> 群聊 [g(2)] x"
            ),
            Family::Napcat
        );
    }

    #[test]
    fn launch_accounts() {
        assert_eq!(
            launch_account(b" [ 'node', 'llbot.js', '-q', '123456' ]"),
            Some(123456)
        );
        assert_eq!(
            launch_account(b" [ 'node', 'llbot.js', '--qq=123456' ]"),
            Some(123456)
        );
        assert_eq!(
            launch_account(br#" ["node","llbot.js","--qq","123456"]"#),
            Some(123456)
        );
        assert_eq!(launch_account(b" [ 'node', '-q=7654321' ]"), Some(7654321));
        assert_eq!(launch_account(b" -q 123456 in text"), None);
        assert_eq!(launch_account(b" [ '-q', 'abc' ]"), None);
    }
}
