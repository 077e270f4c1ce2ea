//! `llob-doctor stats`: counts send requests, send timeouts and other send errors in LLOneBot's
//! log files, overall and per day, with attachment sizes and the timeouts LLOneBot set.
//!
//! # What LLOneBot writes, by version (read from its public source, repo LLOneBot/LLOneBot,
//! formerly linyuchen/LiteLoaderQQNT-OneBotApi, which is not in the searchable index)
//!
//! The index holds file versions by commit, without release tags: the 3.x shapes are confirmed
//! by the real 3.27.3 excerpt; the version ranges given for the later shapes are inferred from
//! what each commit's code uses (cordis, `llbot-` file names) and may be off by a release.
//!
//! Line shapes (one entry per line, entries followed by a blank line up to 5.x):
//! - 3.x `src/common/utils/log.ts`: `${new Date().toLocaleString()} ${nick}(${uin}): ${args} `,
//!   objects as `JSON.stringify` (strings over 500 chars cut); `nick(uin)` is empty before login
//!   (`2024/8/2 15:03:13 : ...`). File `llonebot-${y}-${m}-${d}.log`. Confirmed by the real 3.27.3
//!   excerpt in `tests/samples/llonebot-log-excerpt-3.27.3.txt`.
//! - 3.3x–4.x `src/common/utils/legacyLog.ts` (`LegacyLog.ts`): `${toLocaleString()} ${args} ` —
//!   no account; objects as `JSON.stringify` or, later, `util.inspect` (`{ action: 'send_msg' }`).
//!   File `llonebot-${toLocaleString('zh-CN')}.log` with `/` and `:` as `-`.
//! - 4.x `src/main/log.ts` (cordis logger target, same file as legacyLog):
//!   `${toLocaleString()} | ${record.name} ${record.content}`.
//! - 5.x `src/main/log.ts`: `[${type}] | YYYY-MM-DD HH:MM:SS | ${content}` (zero-padded, own
//!   format), files `llbot-<date time>.log`, rotated at 5 MB or 10000 entries.
//! - 6.x–7.x `src/main/log.ts` (cordis Exporter): `YYYY-MM-DD hh:mm:ss [I] ${name} ${content}`,
//!   continuation lines of one entry indented. *Unconfirmed*: one 6.x variant renders through
//!   `Exporter.Console`, whose time column was not checked; lines without a time are still
//!   counted, as "undated".
//! - `toLocaleString()` follows QQ's locale: `2024/8/2 15:03:13` (zh-CN) is what users have;
//!   en-US `8/2/2024, 3:03:13 PM` and day-first `02/08/2024, 15:03:13` are read too (*unconfirmed*
//!   in the wild). Times are local, with no zone.
//!
//! Messages (the first argument of `log()` / `ctx.logger.*()`):
//! - Requests: `收到http请求 <url> <payload>` (3.x `src/common/server/http.ts` registerRouter);
//!   `收到 HTTP 请求 <url> <payload>` (4.x+ `src/onebot11/connect/http.ts`, url may carry
//!   `?access_token=`); `收到正向Websocket消息 <json>` (3.x `src/onebot11/server/ws/WebsocketServer.ts`;
//!   the earliest versions log the raw text, which may span lines), `收到反向Websocket消息`
//!   (3.x `ReverseWebsocket.ts`, 4.x `connect/ws.ts`), `收到正向 Websocket 消息` (4.x+
//!   `connect/ws.ts`). The action is the URL path, or the `action` key of the payload.
//! - `发送消息总大小 N bytes` and `设置消息超时时间 N` (`onebot11/action/msg/SendMsg.ts` sendMsg):
//!   logged up to 3.29.3 (seen in 3.27.3); commented out from the version that moved to
//!   `10000 + 1000 per 256 KB`, so newer logs have no sizes.
//! - Action errors: `发生错误 <error>` (`onebot11/action/BaseAction.ts`, `log('发生错误', e)` in 3.x,
//!   `ctx.logger.error('发生错误', e)` in 4.x+). A thrown string shows as is (`发送超时`,
//!   `ntqq api timeout ...`), an `Error` object as `{}` in 3.x (JSON) or its stack in 4.x+.
//! - Timeouts: `发送超时` is rejected by 3.x `NTQQMsgApi.sendMsg` (`ntqqapi/api/msg.ts`);
//!   `ntqq api timeout <channel>, <event>, <method>` is logged by the IPC layer
//!   (`ntqqapi/ntcall.ts`) *before* the action fails (3.2x), then the action logs
//!   `发生错误 发送超时` — two lines, one failed send (the 3.27.3 excerpt). In later versions the
//!   IPC timeout is only thrown, so it shows inside the `发生错误` line. `Timeout: NTEvent
//!   EventName:NodeIKernelMsgService/sendMsg` is the NapCat-style wrapper's message, reported by
//!   users of LLOneBot 3.2x; read the same way.
//! - Not failures: the WebSocket reply `ws 消息上报 ... "retcode":1200,"message":"发送超时"` (3.x
//!   `server/ws/reply.ts`) repeats the error already logged, and chat text can contain any words;
//!   so a marker only counts at the start of LLOneBot's message, never inside a payload.
//!
//! How sends are counted: each request line whose action is one of [`line::SEND_ACTIONS`]. A
//! failed send is counted once: an IPC send timeout waits up to two minutes for the `发生错误`
//! line that follows it and the pair counts as one timeout; an error line that names a send
//! timeout counts as one on its own. Any other `发生错误` is charged to the latest request:
//! a send error if that was a send (a heuristic: bots that interleave requests may blur it).
//! Sends answered through HTTP POST quick operations are not logged as requests and are not
//! counted.

mod block;
pub mod count;
pub mod family;
mod fields;
mod files;
pub mod line;
mod render;
pub mod scan;
mod since;
mod source;
mod stamp;
mod tally;

pub use files::{LogFile, LogFolder, logs_in_folders};
use files::{discovered_files, given_files, io_words, no_logs, probe_and_sort};
pub use render::{prometheus, render};
use since::{date_of_day, stamp_text};
pub use since::{local_offset_secs, parse_since};

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use crate::app::App;
use crate::cli::StatsArgs;
use crate::exit::{Exit, Failure};

use crate::msg;
use crate::time::unix_secs;
use family::{Family, Stack, StackHint};
use line::Stamp;
use scan::{Scanner, Tally};

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

fn rate(timeouts: u64, sends: u64) -> Option<f64> {
    (sends > 0).then(|| timeouts as f64 / sends as f64)
}

fn counts_of(c: &count::Counts) -> (u64, u64, u64, u64) {
    (c.sends, c.timeouts, c.delivered, c.errors)
}

fn build(
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

/// Scans the files, oldest first, into a report; fails only when none could be read.
fn collect(
    searched: Vec<PathBuf>,
    files: Vec<LogFile>,
    since: Option<Stamp>,
) -> Result<StatsReport, Failure> {
    let mut scanner = Scanner::new(since);
    let mut reports = Vec::new();
    let mut unreadable = Vec::new();
    for p in probe_and_sort(files) {
        let stack = p.kind.family.stack();
        scanner.set_file(stack, p.file.account.unwrap_or(0), p.kind.year);
        let result = File::open(&p.file.path).and_then(|f| scanner.scan(f));
        match result {
            Ok(ft) => {
                let family = match p.kind.family {
                    Family::V712 if ft.saw_v8 => Family::V8,
                    f => f,
                };
                reports.push(FileReport {
                    path: p.file.path,
                    stack,
                    family: family.as_str(),
                    bytes: ft.bytes,
                    lines: ft.lines,
                    skipped_lines: ft.skipped_lines,
                    truncated: ft.truncated,
                })
            }
            Err(e) => unreadable.push(Unreadable {
                error: io_words(&e),
                path: p.file.path,
            }),
        }
    }
    if reports.is_empty() {
        let first = unreadable
            .first()
            .map(|u| format!("{}: {}", u.path.display(), u.error))
            .unwrap_or_default();
        return Err(Failure::usage(msg!("stats.none_readable", first = first)));
    }
    Ok(build(
        scanner.finish(),
        since,
        searched,
        reports,
        unreadable,
    ))
}

/// The statistics of `<data dir>/logs` since a moment, for the doctor; `None` without logs.
pub fn summary_for_data_dir(data: &Path, since: Option<Stamp>) -> Option<StatsReport> {
    summary_for_folders(
        &[LogFolder {
            path: data.join("logs"),
            hint: StackHint::Any,
            account: None,
        }],
        since,
    )
}

/// The statistics of the logs in these folders since a moment; `None` without logs.
pub fn summary_for_folders(folders: &[LogFolder], since: Option<Stamp>) -> Option<StatsReport> {
    let files = logs_in_folders(folders);
    if files.is_empty() {
        return None;
    }
    let searched = folders.iter().map(|f| f.path.clone()).collect();
    collect(searched, files, since).ok()
}

/// Writes `text` to `path` atomically: a temporary file in the same folder, then a rename, so
/// a reader (node_exporter's textfile collector) never sees half a file.
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

pub fn run(app: &App, args: &StatsArgs) -> anyhow::Result<Exit> {
    if args.prometheus && app.out.json {
        return Err(Failure::usage(msg!("stats.json_and_prometheus"))
            .with_hint(msg!("stats.hint_prometheus"))
            .into());
    }
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let (searched, files) = if args.paths.is_empty() {
        discovered_files(app)?
    } else {
        given_files(&args.paths)?
    };
    if files.is_empty() {
        return Err(no_logs(&searched).into());
    }
    let report = collect(searched, files, since)?;
    let text = || -> anyhow::Result<String> {
        Ok(if args.prometheus {
            prometheus(&report)
        } else if app.out.json {
            serde_json::to_string_pretty(&report)? + "\n"
        } else {
            render(&report, &app.out)
        })
    };
    match &args.output {
        Some(path) => write_atomic(path, &text()?).map_err(|e| {
            Failure::new(
                Exit::Problem,
                msg!(
                    "stats.output_failed",
                    path = path.display(),
                    error = io_words(&e)
                ),
            )
            .with_hint(msg!("stats.hint_output"))
        })?,
        None if args.prometheus => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text()?.as_bytes())?;
            stdout.flush()?;
        }
        None => app.out.emit(&report, || render(&report, &app.out))?,
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::files::is_log_name;
    use super::*;

    #[test]
    fn since_values() {
        assert_eq!(
            parse_since("2024-08-01").ok(),
            Some(Stamp::from_parts(2024, 8, 1, 0, 0, 0))
        );
        assert_eq!(
            parse_since("2024/8/1 12:30").ok(),
            Some(Stamp::from_parts(2024, 8, 1, 12, 30, 0))
        );
        assert!(parse_since("7d").is_ok());
        for bad in ["2024-13-01", "yesterday", "7", "", "2024-08-01x"] {
            let e = parse_since(bad).err();
            assert!(
                e.as_ref()
                    .is_some_and(|f| f.to_string().contains("--since")),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn names() {
        assert!(is_log_name("llonebot-2024-8-2 15-03-00.log"));
        assert!(is_log_name("llbot-2025-3-1 10-00-00.LOG"));
        assert!(is_log_name("llonebot.log.1"));
        assert!(!is_log_name("llonebot.log.gz"));
        assert!(!is_log_name("config_1.json"));
    }

    #[test]
    fn stamps_print_as_dates() {
        assert_eq!(
            stamp_text(Stamp::from_parts(2024, 8, 2, 15, 3, 13)),
            "2024-08-02 15:03:13"
        );
        assert_eq!(
            date_of_day(line::days_from_civil(2000, 2, 29)),
            "2000-02-29"
        );
    }
}
