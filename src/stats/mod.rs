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
//! Entries, not lines: a log entry is its first line and the lines after it, up to the blank
//! line that ends it (3.x-7.11: `\n\n` after every entry) or the next line that starts with a
//! timestamp (7.12+ indents the rest by the width of the prefix, 24 spaces in 8.x; NapCat does
//! not indent). Only the first line of an entry can count: a received message
//! (`[收-群] 群名(gid) 发送者(uin)：` and its text, `ntqqapi/log.ts` 5.x-8.x) may quote any error
//! text, even a whole log line. An error is read by the words its message starts with
//! (`line::error_kind`), never by a text it quotes. A file's family is what most dated lines of
//! its first 64 KB say (`family::detect`); the legacy `log()` lines 3.31-7.11 write into the
//! same file say nothing.
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
mod error_text;
pub mod family;
mod fields;
mod files;
pub mod instances;
pub mod line;
mod merge;
#[cfg(test)]
mod name_props;
mod pipeline;
mod prometheus;
mod render;
mod report;
pub mod scan;
mod since;
mod source;
mod stamp;
mod tally;

pub use files::{LogFile, LogFolder, log_folders, logs_in_folders};
use files::{discovered_groups, given_files, io_words, no_logs, probe_and_sort};
use instances::{Group, InstanceStats};
pub use prometheus::exposition;
pub use render::render;
pub use report::{
    AccountReport, AttachmentBytes, DayReport, ErrorReport, FileReport, SizeReport, StatsReport,
    TimeoutsSetReport, UndatedReport, Unreadable,
};
use report::{build, rate};
pub use since::{local_offset_secs, parse_since};

use std::path::{Path, PathBuf};

use crate::app::App;
use crate::cli::StatsArgs;
use crate::exit::{Exit, Failure};

use crate::msg;
use family::Family;
use line::Stamp;
use scan::{FileSetup, Scanner};

/// Scans the files, oldest first, into a report; fails only when none could be read.
fn collect(
    searched: Vec<PathBuf>,
    files: Vec<LogFile>,
    since: Option<Stamp>,
) -> Result<StatsReport, Failure> {
    let mut scanner = Scanner::new(since);
    let mut reports = Vec::new();
    let mut unreadable = Vec::new();
    let probed = probe_and_sort(files);
    let setups: Vec<FileSetup> = probed
        .iter()
        .map(|p| FileSetup {
            stack: p.kind.family.stack(),
            // The account its launch line names, else its folder's only one.
            account: p.kind.account.or(p.file.account).unwrap_or(0),
            clock: p.kind.clock,
            blank_separated: p.kind.blank_separated,
        })
        .collect();
    let results = scanner.scan_files(&setups, |i| match probed.get(i) {
        // Only a regular file, opened without waiting: a FIFO or a device is refused by name.
        Some(p) => crate::fsread::open_regular(&p.file.path)
            .map(|(f, _)| f)
            .map_err(crate::fsread::ReadError::into_io),
        None => Err(std::io::Error::other("no such file in the list")),
    });
    for (p, result) in probed.into_iter().zip(results) {
        let stack = p.kind.family.stack();
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
                    unrecognised: report::unrecognised(
                        family != Family::Unknown,
                        ft.dated_lines,
                        ft.undated_lines,
                        ft.skipped_lines,
                        ft.counted,
                    ),
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

/// The statistics of the logs in these folders since a moment, for the doctor: `None` without
/// logs, an error when there are logs but none could be read.
pub fn summary_for_folders(
    folders: &[LogFolder],
    since: Option<Stamp>,
) -> Result<Option<StatsReport>, Failure> {
    let files = logs_in_folders(folders);
    if files.is_empty() {
        return Ok(None);
    }
    let searched = folders.iter().map(|f| f.path.clone()).collect();
    collect(searched, files, since).map(Some)
}

/// Writes `text` to `path` atomically (a temporary file with an unpredictable name in the same
/// folder, then a rename, so node_exporter's collector never reads half a file). Mode 0644
/// whatever the umask: the collector runs as another user (`prometheus`, `nobody`) and must
/// read it; the counts are no secret. The folder may be the collector's own.
fn write_atomic(path: &Path, text: &str) -> Result<(), crate::outfile::Problem> {
    crate::outfile::replace(
        path,
        text.as_bytes(),
        0o644,
        crate::outfile::Folder::Shared,
        false,
    )
}

/// Writes `text` to `--output`'s file, or says why it could not (exit 2): the one place every
/// command's `--output` goes through.
pub fn write_output(path: &Path, text: &str) -> Result<(), Failure> {
    write_atomic(path, text).map_err(|e| {
        // Windows refuses to replace a file another program reads (windows_exporter's
        // textfile collector) with "access denied": say what it is.
        if crate::os::held_open(path) {
            let error = format!(
                "{}: {}",
                crate::clean::guard::shown(path),
                crate::i18n::t("os.in_use")
            );
            Failure::new(Exit::Usage, msg!("stats.output_failed", error = error))
        } else {
            Failure::new(Exit::Usage, msg!("stats.output_failed", error = e.msg()))
                .with_hint(msg!("stats.hint_output"))
        }
    })
}

/// Each group's logs read on their own: its report, or why there is none.
type Read = Vec<(Group, Result<StatsReport, Failure>)>;

/// Finds the groups (every instance's logs, or the paths given) and reads each.
fn read_groups(app: &App, args: &StatsArgs, since: Option<Stamp>) -> Result<Read, Failure> {
    let groups = if args.paths.is_empty() {
        discovered_groups(app)?
    } else {
        let (searched, files) = given_files(&args.paths)?;
        vec![instances::given(searched, files)]
    };
    Ok(groups
        .into_iter()
        .map(|g| {
            let r = if g.files.is_empty() {
                Err(no_logs(&g.folders))
            } else {
                collect(g.folders.clone(), g.files.clone(), since)
            };
            (g, r)
        })
        .collect())
}

/// The whole report and each bot's row; an error when no bot's logs could be read (exit 3 when
/// there were none at all).
fn sum_up(read: &Read) -> Result<(StatsReport, Vec<InstanceStats>), Failure> {
    let rows: Vec<InstanceStats> = read
        .iter()
        .map(|(g, r)| InstanceStats::of(g, r.as_ref().map_err(ToString::to_string)))
        .collect();
    let reports: Vec<StatsReport> = read.iter().filter_map(|(_, r)| r.clone().ok()).collect();
    match merge::merge(reports) {
        Some(r) => Ok((r, rows)),
        None if read.iter().all(|(g, _)| g.files.is_empty()) => {
            let all: Vec<PathBuf> = read.iter().flat_map(|(g, _)| g.folders.clone()).collect();
            Err(no_logs(&all))
        }
        None => Err(read
            .iter()
            .find_map(|(_, r)| r.as_ref().err().filter(|f| f.exit != Exit::NotFound))
            .or_else(|| read.iter().find_map(|(_, r)| r.as_ref().err()))
            .cloned()
            .unwrap_or_else(|| no_logs(&[]))),
    }
}

pub fn run(app: &App, args: &StatsArgs) -> anyhow::Result<Exit> {
    if args.prometheus && app.out.json {
        return Err(Failure::usage(msg!("stats.json_and_prometheus"))
            .with_hint(msg!("stats.hint_prometheus"))
            .into());
    }
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let read = read_groups(app, args, since);
    if args.prometheus {
        return run_prometheus(args, read);
    }
    let (report, rows) = sum_up(&read?)?;
    let doc = instances::WithInstances {
        report: &report,
        instances: &rows,
    };
    let human = || {
        let per_bot = instances::render(&rows, &app.out);
        let whole = render(&report, &app.out);
        if per_bot.is_empty() {
            whole
        } else {
            format!("{whole}\n{per_bot}")
        }
    };
    match &args.output {
        Some(path) => {
            let text = if app.out.json {
                crate::output::json_text(&doc)?
            } else {
                human()
            };
            write_output(path, &text)?;
        }
        None => app.out.emit(&doc, human)?,
    }
    Ok(Exit::Ok)
}

/// `stats --prometheus`: every bot's series, written even when a bot's logs (or every bot) are
/// gone, so the file never keeps stale counts; the error, if any, is returned after.
fn run_prometheus(args: &StatsArgs, read: Result<Read, Failure>) -> anyhow::Result<Exit> {
    let previous = args
        .output
        .as_deref()
        .map(|p| crate::prom::previous::read(p, "stats"))
        .unwrap_or_default();
    let now = crate::time::unix_secs(std::time::SystemTime::now()) as f64;
    let empty = Vec::new();
    let groups = read.as_ref().unwrap_or(&empty);
    let text = exposition(groups, &previous, now).text();
    match &args.output {
        Some(path) => write_output(path, &text)?,
        None if read.is_ok() => crate::output::write_stdout(text.as_bytes())?,
        None => {}
    }
    let read = read?;
    sum_up(&read)?;
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::files::is_log_name;
    use super::since::{date_of_day, stamp_text};
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
