//! The run's line in the log file (`--log-file`): one JSON object per run, for scripts and
//! for reading back a night's run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::execute::Action;
use super::report::CleanReport;
use crate::cli::CleanArgs;
use crate::exit::Exit;
use crate::time::{iso_utc, unix_secs};

/// What a run got as far as, for its line in the log file.
#[derive(Default)]
pub(super) struct Trace {
    pub(super) data_dir: Option<PathBuf>,
    pub(super) report: Option<CleanReport>,
}

/// One JSON line per run: time, command, data dir, what was removed, bytes freed, failures,
/// exit code. Language-neutral, for scripts and for reading back a night's run.
pub(super) fn append_log(
    path: &Path,
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
    let removed: Vec<serde_json::Value> = r
        .map(|r| {
            r.targets
                .iter()
                .filter(|t| matches!(t.action, Action::Deleted | Action::Trashed))
                .map(|t| serde_json::json!({"kind": t.kind, "uin": t.uin, "path": crate::output::path::value(&t.path), "files": t.files, "bytes": t.bytes}))
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
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // One write per line, so lines of concurrent runs do not interleave.
    f.write_all(format!("{line}\n").as_bytes())
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
