//! The doctor's send-timeout finding for one instance: counted by `stats` over the doctor's
//! window in the instance's own logs (as `stats --instance` reads them), from its last clean in
//! the run log when that is later, saying how many of the timeouts were delivered anyway, and
//! what the logs cover when there were no sends.

use std::path::Path;

use serde_json::json;

use super::{Finding, Severity, finding};
use crate::discover::Installation;
use crate::fleet::runlog::Run;
use crate::i18n::Msg;
use crate::msg;
use crate::stats::family::Stack as LogStack;
use crate::stats::{self, StatsReport, line::Stamp};

/// The time of the last clean of one of `dirs` that removed something, on the logs' clock:
/// old timeouts are what a clean is for, so they should not keep the finding failing after one.
/// A run of `clean` names the first folder it cleaned, and each entry it removed.
fn last_clean(runs: &[Run], dirs: &[&Path]) -> Option<Stamp> {
    runs.iter()
        .filter(|r| r.removed_count > 0)
        .filter(|r| {
            r.data_dir.as_deref().is_none_or(|d| dirs.contains(&d))
                || r.removed
                    .iter()
                    .any(|p| dirs.iter().any(|d| p.starts_with(d)))
        })
        .map(|r| r.at)
        .max()
        // Unix time, shifted to the local clock the logs use.
        .map(|t| Stamp(t + stats::local_offset_secs(t)))
}

pub(super) fn check(inst: &Installation, since: Stamp, runs: &[Run], f: &mut Vec<Finding>) {
    let folders = stats::log_folders(inst);
    if folders.is_empty() {
        // No bot found: the discovery findings say so.
        return;
    }
    let dirs: Vec<&Path> = folders.iter().filter_map(|l| l.path.parent()).collect();
    let cleaned = last_clean(runs, &dirs).filter(|&c| c > since);
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
        (sev != Severity::Ok).then(|| remedy(inst, &r)),
        data_v,
    ));
}

/// What to do, by the stacks whose logs hold the timeouts not known to be delivered: NapCat's
/// send timeout is a setting of its own; LLOneBot's is not, and cleaning `msg_*` and `temp` is
/// its cure; LLBot 8 has no `msg_*` and (headless) no QQ to quit: its timeouts are the
/// network's or its own.
fn remedy(inst: &Installation, r: &StatsReport) -> Msg {
    if inst.instances.iter().any(is_llbot8) {
        return msg!("doctor.remedy_timeouts_llbot8");
    }
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

/// An LLBot of 8.x or later (headless is 8.x's default mode).
fn is_llbot8(i: &crate::discover::Instance) -> bool {
    i.stack == crate::stack::llbot::STACK.id
        && (i.mode == Some(crate::discover::Mode::Headless)
            || i.version
                .as_deref()
                .and_then(|v| crate::version::Dotted::parse(v).ok())
                .is_some_and(|v| v >= crate::version::Dotted::new(8, 0, 0)))
}
