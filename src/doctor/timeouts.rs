//! The doctor's send-timeout finding: counted by `stats` over the doctor's window, saying how
//! many of the timeouts were delivered anyway, and what the logs cover when there were no sends.

use std::path::Path;

use serde_json::{Value, json};

use super::{Finding, Severity, finding};
use crate::msg;
use crate::stats::{self, line::Stamp};

pub(super) fn check(data: &Path, since: Stamp, f: &mut Vec<Finding>) {
    let Some(r) = stats::summary_for_data_dir(data, Some(since)) else {
        f.push(finding(
            "timeouts",
            Severity::Ok,
            msg!("doctor.no_logs", path = data.join("logs").display()),
            None,
            Value::Null,
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
        (sev != Severity::Ok).then(|| msg!("doctor.remedy_timeouts")),
        data_v,
    ));
}
