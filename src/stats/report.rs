//! The report of `stats`: what the JSON output holds, and how the counts of a scan become it.

use std::path::PathBuf;
use std::time::SystemTime;

use serde::Serialize;

use crate::time::unix_secs;

use super::count;
use super::family::Stack;
use super::line::Stamp;
use super::scan::Tally;
use super::since::{date_of_day, local_offset_secs, stamp_text};

#[derive(Debug, Clone, Serialize)]
pub struct DayReport {
    /// `2024-08-02`, on the log's clock.
    pub date: String,
    pub sends: u64,
    pub timeouts: u64,
    /// Timeouts the logs show were delivered anyway.
    pub timeouts_delivered: u64,
    pub errors: u64,
    pub timeout_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountReport {
    pub stack: Stack,
    /// The account (QQ number); null when the lines name none.
    pub uin: Option<u64>,
    pub sends: u64,
    pub timeouts: u64,
    pub timeouts_delivered: u64,
    pub errors: u64,
    pub timeout_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SizeReport {
    /// `<100KB`, `100KB-1MB`, `1MB-10MB`, `>10MB`: the attachment size of the send.
    pub bucket: &'static str,
    pub sends: u64,
    pub timeouts: u64,
    pub timeouts_delivered: u64,
    pub errors: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorReport {
    /// The error's first line (`发送消息失败 (code=120): …`), as logged.
    pub message: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UndatedReport {
    pub sends: u64,
    pub timeouts: u64,
    pub errors: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentBytes {
    /// Sends whose total attachment size LLOneBot logged (3.x up to 3.29.3).
    pub count: u64,
    /// Of those, the ones that carried files.
    pub with_files: u64,
    pub total: u64,
    pub max: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimeoutsSetReport {
    /// Sends whose timeout LLOneBot logged, in milliseconds.
    pub count: u64,
    pub min: u64,
    pub max: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub stack: Stack,
    /// The version family of the layout (`3.x`, `3.3x-4.x`, `5.x`, `6.0-7.1`, `7.2-7.11`,
    /// `7.12+`, `8.x`, `napcat`, `unknown`).
    pub family: &'static str,
    pub bytes: u64,
    pub lines: u64,
    pub skipped_lines: u64,
    /// No newline at the end: cut short, or still being written.
    pub truncated: bool,
    /// Why nothing in it could be read, when so: `empty`, `not_text` (binary or another
    /// encoding), `no_timestamps` (no line starts with a timestamp of a known shape),
    /// `unknown_layout` (no known layout, and nothing counted). Null for a file that was read.
    pub unrecognised: Option<&'static str>,
}

/// Why a file read this way gave nothing, if it did not: see [`FileReport::unrecognised`].
pub(super) fn unrecognised(
    known_family: bool,
    dated: u64,
    undated: u64,
    skipped: u64,
    counted: u64,
) -> Option<&'static str> {
    if dated + undated + skipped == 0 {
        Some("empty")
    } else if dated == 0 && skipped > undated {
        Some("not_text")
    } else if dated == 0 {
        Some("no_timestamps")
    } else if !known_family && counted == 0 {
        Some("unknown_layout")
    } else {
        None
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Unreadable {
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub error: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatsReport {
    /// Log files read, with the stack and version family that wrote each.
    pub files: Vec<FileReport>,
    pub lines: u64,
    /// Lines that are not log text (binary, invalid UTF-8, a timestamp that is no date).
    pub skipped_lines: u64,
    /// Text lines with no timestamp: continuations of multi-line entries, or unknown formats.
    pub undated_lines: u64,
    /// OneBot requests of any action.
    pub requests: u64,
    pub sends: u64,
    /// Sends that failed with a timeout, each failed send once.
    pub timeouts: u64,
    /// Of those, the ones the logs show were delivered anyway (`waitForSelfEcho timeout`, or
    /// the account's own message in that group within a minute).
    pub timeouts_delivered: u64,
    /// timeouts - timeouts_delivered: not known to have been delivered.
    pub timeouts_unconfirmed: u64,
    /// Sends that failed otherwise.
    pub errors: u64,
    /// timeouts / sends; null when there were no sends.
    pub timeout_rate: Option<f64>,
    /// Errors of actions that are not sends.
    pub other_errors: u64,
    pub days: Vec<DayReport>,
    pub accounts: Vec<AccountReport>,
    /// By attachment size, where the size was logged (LLOneBot 3.x up to 3.29.3).
    pub sizes: Vec<SizeReport>,
    /// The ten most common texts of send failures that were not timeouts.
    pub error_messages: Vec<ErrorReport>,
    /// Events on lines whose time could not be read (none with --since).
    pub undated: UndatedReport,
    pub attachment_bytes: Option<AttachmentBytes>,
    pub timeouts_set: Option<TimeoutsSetReport>,
    /// The first moment counted, on the log's clock (`2024-08-01 00:00:00`).
    pub since: Option<String>,
    /// The earliest and latest time of any line read, on the log's clock.
    pub logs_begin: Option<String>,
    pub logs_end: Option<String>,
    /// Seconds the counts cover: from --since (else the first line) to now (else the last line).
    pub window_seconds: Option<u64>,
    /// Where log files were looked for.
    #[serde(serialize_with = "crate::output::path::many")]
    pub searched: Vec<PathBuf>,
    pub unreadable: Vec<Unreadable>,
}

pub(super) fn rate(timeouts: u64, sends: u64) -> Option<f64> {
    (sends > 0).then(|| timeouts as f64 / sends as f64)
}

fn counts_of(c: &count::Counts) -> (u64, u64, u64, u64) {
    (c.sends, c.timeouts, c.delivered, c.errors)
}

pub(super) fn build(
    tally: Tally,
    since: Option<Stamp>,
    searched: Vec<PathBuf>,
    files: Vec<FileReport>,
    unreadable: Vec<Unreadable>,
) -> StatsReport {
    let t = &tally;
    let mut errors: Vec<ErrorReport> = t
        .errors
        .iter()
        .map(|(m, &n)| ErrorReport {
            message: m.clone(),
            count: n,
        })
        .collect();
    errors.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.message.cmp(&b.message))
    });
    errors.truncate(10);
    let now = i64::try_from(unix_secs(SystemTime::now())).unwrap_or(0);
    let now = Stamp(now + local_offset_secs(now));
    let window_seconds = match (since, t.first, t.last) {
        (Some(s), _, _) => u64::try_from(now.0 - s.0).ok(),
        (None, Some(a), Some(b)) => u64::try_from(b.0 - a.0).ok(),
        _ => None,
    };
    StatsReport {
        files,
        lines: t.lines,
        skipped_lines: t.skipped_lines,
        undated_lines: t.undated_lines,
        requests: t.requests,
        sends: t.total.sends,
        timeouts: t.total.timeouts,
        timeouts_delivered: t.total.delivered,
        timeouts_unconfirmed: t.total.timeouts.saturating_sub(t.total.delivered),
        errors: t.total.errors,
        timeout_rate: rate(t.total.timeouts, t.total.sends),
        other_errors: t.other_errors,
        days: t
            .days
            .iter()
            .map(|(&day, c)| DayReport {
                date: date_of_day(day),
                sends: c.sends,
                timeouts: c.timeouts,
                timeouts_delivered: c.delivered,
                errors: c.errors,
                timeout_rate: rate(c.timeouts, c.sends),
            })
            .collect(),
        accounts: t
            .accounts
            .iter()
            .filter(|(_, c)| counts_of(c) != (0, 0, 0, 0))
            .map(|(&(stack, uin), c)| AccountReport {
                stack,
                uin: (uin != 0).then_some(uin),
                sends: c.sends,
                timeouts: c.timeouts,
                timeouts_delivered: c.delivered,
                errors: c.errors,
                timeout_rate: rate(c.timeouts, c.sends),
            })
            .collect(),
        sizes: t
            .sizes
            .iter()
            .zip(count::SIZE_LABELS)
            .filter(|(c, _)| counts_of(c) != (0, 0, 0, 0))
            .map(|(c, bucket)| SizeReport {
                bucket,
                sends: c.sends,
                timeouts: c.timeouts,
                timeouts_delivered: c.delivered,
                errors: c.errors,
            })
            .collect(),
        error_messages: errors,
        undated: UndatedReport {
            sends: t.undated.sends,
            timeouts: t.undated.timeouts,
            errors: t.undated.errors,
        },
        attachment_bytes: (t.attachments.count > 0).then_some(AttachmentBytes {
            count: t.attachments.count,
            with_files: t.attachments.with_files,
            total: t.attachments.total,
            max: t.attachments.max,
        }),
        timeouts_set: (t.timeouts_set.count > 0).then_some(TimeoutsSetReport {
            count: t.timeouts_set.count,
            min: t.timeouts_set.min,
            max: t.timeouts_set.max,
        }),
        since: since.map(stamp_text),
        logs_begin: t.first.map(stamp_text),
        logs_end: t.last.map(stamp_text),
        window_seconds,
        searched,
        unreadable,
    }
}
