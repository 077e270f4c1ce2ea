//! The run's line in the log file (`--log-file`): one JSON object per run (JSON Lines), for
//! scripts and for reading back a night's run. Never for a shell to source: names from disk are
//! in it, JSON-escaped.
//!
//! The log is opened before anything else is done, through [`crate::outfile::Appender`]: a
//! regular file of this user with one link, in a folder nobody else can change, mode 0600
//! (a `--stop-cmd` in it may hold a password). A log that cannot be kept refuses the run.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::execute::Action;
use super::report::CleanReport;
use crate::cli::CleanArgs;
use crate::exit::{Exit, Failure};
use crate::msg;
use crate::outfile::Appender;
use crate::time::{iso_utc, unix_secs};

/// The run log's mode: only its owner reads it (it holds the commands run).
pub const LOG_MODE: u32 = 0o600;

/// Opens the run log for this run's line, or refuses the run (exit 2) saying why.
pub(super) fn open(path: &Path) -> Result<Appender, Failure> {
    Appender::open(path, LOG_MODE).map_err(|p| {
        Failure::usage(msg!("clean.log_refused", error = p.msg()))
            .with_hint(msg!("clean.hint_log_refused"))
    })
}

/// What a run got as far as, for its line in the log file.
#[derive(Default)]
pub(super) struct Trace {
    pub(super) data_dir: Option<PathBuf>,
    pub(super) report: Option<CleanReport>,
}

/// One JSON line per run: time, command, data dir, what was removed, bytes freed, failures,
/// exit code. Language-neutral, for scripts and for reading back a night's run.
pub(super) fn append_log(
    log: &mut Appender,
    started: SystemTime,
    args: &CleanArgs,
    trace: &Trace,
    result: &anyhow::Result<Exit>,
) -> std::io::Result<()> {
    let (exit, error) = match result {
        Ok(e) => (*e, None),
        Err(e) => (crate::exit::exit_for(e), Some(crate::exit::english(e))),
    };
    let r = trace.report.as_ref();
    // Every row of which something went, also when the rest of it failed: files counts what was
    // removed, bytes the entries removed whole, `complete` whether the whole row went.
    let removed: Vec<serde_json::Value> = r
        .map(|r| {
            r.targets
                .iter()
                .filter(|t| t.gone.entries > 0 || t.gone.files > 0)
                .map(|t| {
                    serde_json::json!({
                        "kind": t.kind,
                        "uin": t.uin,
                        "path": crate::output::path::value(&t.path),
                        "files": t.gone.files,
                        "bytes": t.gone.bytes,
                        "entries": t.gone.entries,
                        "complete": t.gone.entries == t.entries,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let mut line = serde_json::json!({
        "time": iso_utc(unix_secs(started)),
        "command": "clean",
        "version": env!("CARGO_PKG_VERSION"),
        "dry_run": args.dry_run,
        "data_dir": crate::output::path::opt_value(trace.data_dir.as_ref()),
        "removed": removed,
        "freed_bytes": r.map(|r| r.totals.freed_bytes).unwrap_or(0),
        "failed": r.map(|r| r.totals.failed).unwrap_or(0),
        "failures": r.map(|r| r.problems.clone()).unwrap_or_default(),
        "qq": r.map(|r| &r.qq),
        "instances": r.map(instance_results).unwrap_or_default(),
        "exit_code": exit.code(),
        "error": error,
    });
    crate::output::add_raw_paths(&mut line);
    // One write per line, so lines of concurrent runs do not interleave.
    log.append(format!("{line}\n").as_bytes())
}

/// Each instance's own result, for reading a bot's last clean back (`doctor --prometheus`): `ok`
/// when it was not left alone, nothing of it failed, and what was stopped came back.
fn instance_results(r: &CleanReport) -> Vec<serde_json::Value> {
    r.instances
        .iter()
        .map(|i| {
            let mine = r.targets.iter().filter(|t| t.instance == i.id);
            let (mut freed, mut failed) = (0u64, 0usize);
            for t in mine {
                match t.action {
                    Action::Deleted | Action::Trashed => freed += t.bytes,
                    Action::Failed | Action::Skipped => failed += 1,
                    Action::Planned => {}
                }
            }
            let started = i.qq.restart_failed.is_empty()
                && i.qq
                    .start_cmd
                    .as_ref()
                    .is_none_or(|c| c.exit_code == Some(0));
            let ok = i.skipped.is_none() && failed == 0 && started;
            serde_json::json!({
                "id": i.id,
                "ok": ok,
                "skipped": i.skipped.as_ref().map(|s| s.exit_code),
                "freed_bytes": freed,
                "failed": failed,
            })
        })
        .collect()
}
