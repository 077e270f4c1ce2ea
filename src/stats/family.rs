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

/// What is known of a file before it is read: its family and, for NapCat, the year of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    pub family: Family,
    pub year: Option<YearHint>,
}

/// The family of the log at `path` whose first bytes are `head`; `fallback_year` is the year to
/// give NapCat lines when the name has none (the file's modification time).
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
    for l in head.split(|&b| b == b'\n').take(2000) {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        if hint != StackHint::Llonebot
            && let Some(y) = year
            && let Lead::Dated { .. } = line::lead_in(l, Some(y))
            && line::lead(l) == Lead::Undated
        {
            return FileKind {
                family: Family::Napcat,
                year: Some(y),
            };
        }
        let Lead::Dated { rest, .. } = line::lead(l) else {
            continue;
        };
        let family = layout(l, rest, named);
        return FileKind { family, year: None };
    }
    let family = match (named, hint) {
        (Named::Napcat(_), _) | (_, StackHint::Napcat) => Family::Napcat,
        (Named::Llonebot, _) => Family::V3,
        (Named::Lltwobot, _) => Family::V6to71,
        (Named::Llbot, _) => Family::V712,
        (Named::Other, _) => Family::Unknown,
    };
    FileKind { family, year }
}

/// The family of a dated line's layout.
fn layout(l: &[u8], rest: usize, named: Named) -> Family {
    let after = &l[rest.min(l.len())..];
    if l.first() == Some(&b'[') {
        // `[type] | YYYY-MM-DD HH:MM:SS | msg` (5.x-7.11): the file name tells which.
        return match named {
            Named::Lltwobot => Family::V6to71,
            Named::Llbot => Family::V72to711,
            _ => Family::V5,
        };
    }
    // `YYYY-MM-DD hh:mm:ss [E] name msg` (7.12+): one capital letter in brackets.
    if after.len() > 4
        && after[0] == b' '
        && after[1] == b'['
        && after[3] == b']'
        && after[2].is_ascii_uppercase()
    {
        return Family::V712;
    }
    // `… [info] nick(uin) | name msg` (3.31-4.x cordis), `… | name msg` (4.x legacy).
    if after.starts_with(b" [") || after.starts_with(b" | ") {
        return Family::V331to4;
    }
    match named {
        Named::Lltwobot => Family::V6to71,
        Named::Llbot => Family::V712,
        _ => Family::V3,
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
}
