//! The doctor's send-timeout finding: counted by `stats` over the doctor's window in the logs
//! of every bot stack found (as `stats` with no path reads them), saying how many of the
//! timeouts were delivered anyway, and what the logs cover when there were no sends.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Finding, Severity, finding};
use crate::app::App;
use crate::discover::Installation;
use crate::env::Platform;
use crate::i18n::Msg;
use crate::msg;
use crate::stats::family::Stack as LogStack;
use crate::stats::{self, StatsReport, line::Stamp};

/// Where `clean --log-file` runs log by default (`schedule::default_log_file`, read through the
/// environment the doctor was given, so `--fs-root` and a test's HOME apply).
fn run_log(app: &App) -> Option<PathBuf> {
    let env = &app.env;
    match env.platform {
        Platform::Linux => match env.path_var("XDG_DATA_HOME") {
            Some(x) => Some(env.resolve(x).join("llob-doctor").join("clean.log")),
            None => env.in_home(".local/share/llob-doctor/clean.log"),
        },
        Platform::Macos => env.in_home("Library/Application Support/llob-doctor/clean.log"),
        Platform::Windows => env.path_var("APPDATA").map(|a| {
            env.resolve(a)
                .join("llob-doctor")
                .join("data")
                .join("clean.log")
        }),
    }
}

/// How much of the run log's end is read: a nightly job's lines of months. The run log only
/// grows, so it is never read whole (it could be huge, or `/dev/zero`).
const RUN_LOG_TAIL: u64 = 8 << 20;

/// The time of the last clean of one of `dirs` that removed something, on the logs' clock:
/// old timeouts are what a clean is for, so they should not keep the finding failing after one.
/// A run of `clean` names the first folder it cleaned and cleans every stack found.
/// A run log that is there but cannot be read (a FIFO, a device, an OS error) is a finding.
fn last_clean(app: &App, dirs: &[&Path], f: &mut Vec<Finding>) -> Option<Stamp> {
    let log = run_log(app)?;
    let (tail, cut) = match crate::fsread::read_tail(&log, RUN_LOG_TAIL) {
        Ok(read) => read,
        Err(crate::fsread::ReadError::Absent) => return None,
        Err(e) => {
            f.push(finding(
                "timeouts.run_log",
                Severity::Warn,
                msg!("doctor.run_log_unreadable", path = log.display(), error = e.words()),
                Some(msg!("doctor.remedy_run_log_unreadable", path = log.display())),
                json!({"path": crate::output::path::value(&log), "error": e.msg().render(crate::i18n::Lang::En)}),
            ));
            return None;
        }
    };
    // The newest line first: the last clean is the first one found.
    for line in crate::fsread::tail_lines(&tail, cut).rev() {
        let Ok(v) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let cleaned = v["command"] == "clean"
            && v["dry_run"] != true
            && v["removed"].as_array().is_some_and(|r| !r.is_empty());
        let same_dir = v["data_dir"]
            .as_str()
            .is_none_or(|d| dirs.contains(&Path::new(d)));
        if !(cleaned && same_dir) {
            continue;
        }
        // `2026-11-28T15:52:13Z`: UTC, shifted to the local clock the logs use.
        let t = v["time"].as_str().unwrap_or("").trim_end_matches('Z');
        if let stats::line::Lead::Dated { stamp, .. } = stats::line::lead(t.as_bytes()) {
            return Some(Stamp(stamp.0 + stats::local_offset_secs(stamp.0)));
        }
    }
    None
}

pub(super) fn check(app: &App, inst: &Installation, since: Stamp, f: &mut Vec<Finding>) {
    let folders = stats::log_folders(inst);
    if folders.is_empty() {
        // No bot found: the discovery findings say so.
        return;
    }
    let dirs: Vec<&Path> = folders.iter().filter_map(|l| l.path.parent()).collect();
    let cleaned = last_clean(app, &dirs, f).filter(|&c| c > since);
    let since = cleaned.unwrap_or(since);
    let summary = match stats::summary_for_folders(&folders, Some(since)) {
        Ok(s) => s,
        Err(e) => {
            // There are logs, but none could be read: not the same as having none.
            f.push(finding(
                "timeouts",
                Severity::Warn,
                msg!("doctor.logs_unreadable", error = e),
                Some(msg!("doctor.remedy_logs_unreadable")),
                json!({"searched": folders.iter().map(|l| crate::output::path::value(&l.path)).collect::<Vec<_>>()}),
            ));
            return;
        }
    };
    let Some(r) = summary else {
        let places: Vec<String> = folders
            .iter()
            .map(|l| l.path.display().to_string())
            .collect();
        f.push(finding(
            "timeouts",
            Severity::Ok,
            msg!("doctor.no_logs", path = places.join(", ")),
            None,
            json!({"searched": folders.iter().map(|l| crate::output::path::value(&l.path)).collect::<Vec<_>>()}),
        ));
        return;
    };
    let data_v = json!({
        "sends": r.sends,
        "timeouts": r.timeouts,
        "timeouts_delivered": r.timeouts_delivered,
        "timeouts_unconfirmed": r.timeouts_unconfirmed,
        "errors": r.errors,
        "timeout_rate": r.timeout_rate,
        "files": r.files.len(),
        "since": r.since,
        "since_last_clean": cleaned.is_some(),
        "logs_end": r.logs_end,
    });
    let since_text = r.since.clone().unwrap_or_default();
    if r.sends == 0 && r.timeouts == 0 {
        // Nothing sent in the window: say what the logs cover instead of "no timeouts".
        let end = r.logs_end.clone().unwrap_or_else(|| "-".to_string());
        f.push(finding(
            "timeouts",
            Severity::Ok,
            msg!("doctor.timeouts_no_sends", since = since_text, end = end),
            None,
            data_v,
        ));
        return;
    }
    if r.timeouts == 0 {
        f.push(finding(
            "timeouts",
            Severity::Ok,
            msg!("doctor.timeouts_none", sends = r.sends),
            None,
            data_v,
        ));
        return;
    }
    // Timeouts delivered anyway are false alarms: judge by the unconfirmed ones.
    let rate = r.timeouts_unconfirmed as f64 / r.sends.max(1) as f64;
    let sev = if rate >= 0.10 {
        Severity::Fail
    } else if r.timeouts_unconfirmed > 0 {
        Severity::Warn
    } else {
        Severity::Ok
    };
    f.push(finding(
        "timeouts",
        sev,
        msg!(
            "doctor.timeouts_delivered",
            timeouts = r.timeouts,
            sends = r.sends,
            rate = format!("{:.1}%", r.timeout_rate.unwrap_or(0.0) * 100.0),
            delivered = r.timeouts_delivered,
            since = since_text
        ),
        (sev != Severity::Ok).then(|| remedy(&r)),
        data_v,
    ));
}

/// What to do, by the stacks whose logs hold the timeouts not known to be delivered: NapCat's
/// send timeout is a setting of its own; LLOneBot's is not, and cleaning `msg_*` and `temp` is
/// its cure.
fn remedy(r: &StatsReport) -> Msg {
    let mut stacks = r
        .accounts
        .iter()
        .filter(|a| a.timeouts > a.timeouts_delivered)
        .map(|a| a.stack)
        .peekable();
    let napcat_only = stacks.peek().is_some() && stacks.all(|s| s == LogStack::Napcat);
    if napcat_only {
        msg!("doctor.remedy_timeouts_napcat")
    } else {
        msg!("doctor.remedy_timeouts", upgrade = "")
    }
}
