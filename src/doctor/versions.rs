//! Doctor checks about versions beyond the minimums: Tencent's login floor (a failure), the
//! LiteLoaderQQNT line in use (a note, never a failure), and advice that fits the install:
//! the send-timeout remedy names only the upgrades not yet made, in the platform's own
//! numbering, and legacy message databases in use are tied to the timeouts they cause.

use serde_json::{Value, json};

use super::{Finding, Severity, finding};
use crate::check_versions::path::Step;
use crate::check_versions::{self, Component, Name};
use crate::discover::Installation;
use crate::i18n::Msg;
use crate::output::human_size;
use crate::policy::{self, Minimums, Reason, Status, liteloader as ll_rules};
use crate::version::{self, Dotted};
use crate::{msg, tf};

/// The finding for a QQ below the login floor.
pub(super) fn refused(c: &Component, name: &str, installed: &str) -> (Severity, Msg) {
    let floor = c.login_floor.as_ref();
    let build = floor.map_or(0, |f| f.build);
    let message = match floor.and_then(|f| f.since.as_deref()) {
        Some(since) => msg!(
            "doctor.version_refused",
            name = name,
            installed = installed,
            since = since,
            floor = build
        ),
        None => msg!(
            "doctor.version_refused_flag",
            name = name,
            installed = installed,
            floor = build
        ),
    };
    (Severity::Fail, message)
}

/// The finding for a bot that does not support the QQ build (NapCat's table, PMHQ's offsets).
pub(super) fn unsupported(c: &Component, name: &str, installed: &str) -> (Severity, Msg) {
    let message = match c.reason {
        Reason::QqNewerThanBot => msg!(
            "doctor.version_qq_newer",
            name = name,
            installed = installed
        ),
        Reason::OffsetsUnreachable => msg!(
            "doctor.version_offsets_unreachable",
            name = name,
            installed = installed
        ),
        Reason::NoOffsetsForQq => msg!(
            "doctor.version_no_offsets",
            name = name,
            installed = installed
        ),
        _ => msg!(
            "doctor.version_qq_not_listed",
            name = name,
            installed = installed
        ),
    };
    (Severity::Fail, message)
}

/// `versions.staged_update` and `versions.upgrade_path`: QQ's update waiting for its next start
/// (a failure when the bot does not support it), and the one path to a working set; for the
/// installation as one instance sees it.
pub(super) fn staged_and_path(inst: &Installation, f: &mut Vec<Finding>) {
    let table = version::table();
    let Ok(mins) = Minimums::resolve(None, None, table) else {
        return;
    };
    let report = check_versions::build_report(inst, &mins, table);
    let keep = report
        .path
        .steps
        .iter()
        .find(|s| matches!(s.step, Step::KeepCurrentQq { .. }))
        .map(|s| Msg::raw(s.text.clone()));
    for c in &report.components {
        let Some(st) = &c.staged_update else { continue };
        let version = st.update.version.clone();
        let (severity, message) = if st.breaks.is_empty() {
            (
                Severity::Ok,
                msg!("doctor.staged_update", version = version),
            )
        } else {
            let bots: Vec<&str> = st
                .breaks
                .iter()
                .map(|n| check_versions::name_text(*n))
                .collect();
            let message = msg!(
                "doctor.staged_update_breaks",
                version = version,
                bots = bots.join(", ")
            );
            (Severity::Fail, message)
        };
        let remedy = keep.clone().filter(|_| severity != Severity::Ok);
        f.push(finding(
            "versions.staged_update",
            severity,
            message,
            remedy,
            json!(st),
        ));
    }
    if !report.path.steps.is_empty() {
        let steps: Vec<String> = report
            .path
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "{}. {}: {}",
                    i + 1,
                    check_versions::name_text(s.component),
                    s.text
                )
            })
            .collect();
        f.push(finding(
            "versions.upgrade_path",
            Severity::Warn,
            msg!("doctor.upgrade_path", steps = steps.join(" ")),
            None,
            json!(report.path),
        ));
    }
}

/// `versions.liteloader_line`: is the LiteLoaderQQNT in use on a line that still gets
/// releases? Older lines are a warning, the newest an ok note; never a failure.
pub(super) fn check_liteloader_line(inst: &Installation, f: &mut Vec<Finding>) {
    let Some(v) = inst
        .liteloader
        .as_ref()
        .and_then(|l| l.version.as_deref())
        .and_then(|v| Dotted::parse(v).ok())
    else {
        return;
    };
    let latest = ll_rules::LL_LATEST;
    let date = ll_rules::LL_LATEST_DATE;
    let data = json!({"installed": v.to_string(), "latest": latest.to_string(), "latest_date": date, "maintained": ll_rules::line_maintained(v)});
    let remedy = msg!(
        "doctor.remedy_ll_line",
        latest = latest,
        url = policy::LITELOADER_RELEASES
    );
    let (severity, message, remedy) = if ll_rules::line_maintained(v) {
        let m = msg!(
            "doctor.ll_line_latest",
            installed = v,
            latest = latest,
            date = date
        );
        (Severity::Ok, m, None)
    } else {
        let m = msg!(
            "doctor.ll_line_old",
            installed = v,
            latest = latest,
            date = date
        );
        (Severity::Warn, m, Some(remedy))
    };
    f.push(finding(
        "versions.liteloader_line",
        severity,
        message,
        remedy,
        data,
    ));
}

/// Makes the advice fit what was found, once every finding is in.
pub(super) fn fit_advice(inst: &Installation, f: &mut [Finding]) {
    let table = version::table();
    let Ok(mins) = Minimums::resolve(None, None, table) else {
        return;
    };
    let report = check_versions::build_report(inst, &mins, table);
    let upgrade = upgrade_text(&report.components);
    let timeouts = f
        .iter()
        .find(|x| x.check == "timeouts" && x.severity != Severity::Ok)
        .and_then(|x| x.data.get("timeouts").and_then(Value::as_u64));
    for x in f.iter_mut() {
        // LLOneBot's remedy names the upgrades still needed (NapCat's has its own words).
        let llonebot_remedy = x
            .remedy
            .as_ref()
            .is_some_and(|m| m.key == "doctor.remedy_timeouts");
        if x.check == "timeouts" && x.severity != Severity::Ok && llonebot_remedy {
            x.remedy = Some(msg!("doctor.remedy_timeouts", upgrade = upgrade));
        }
        // Legacy databases still in use while sends time out: that is the known cause.
        if let Some(n) = timeouts
            && x.check == "cache.msg_db"
            && x.severity == Severity::Ok
        {
            let folders = x
                .data
                .get("folders")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let bytes = x.data.get("bytes").and_then(Value::as_u64).unwrap_or(0);
            x.severity = Severity::Warn;
            x.message = msg!(
                "doctor.msg_with_timeouts",
                n = folders,
                size = human_size(bytes),
                timeouts = n
            );
            x.remedy = Some(msg!("doctor.remedy_clean"));
        }
    }
}

/// ", upgrade to QQ 3.2.17-34740 or newer and LLOneBot 3.28.3 or newer" with only the upgrades
/// still needed, each in the platform's own numbering; empty when none is.
fn upgrade_text(components: &[Component]) -> String {
    let items: Vec<String> = components
        .iter()
        .filter(|c| matches!(c.name, Name::Qq | Name::Llonebot))
        .filter(|c| matches!(c.status, Status::Outdated | Status::Refused))
        .filter_map(|c| {
            let v = c.install.as_deref()?;
            Some(tf!(
                "doctor.upgrade_item",
                name = check_versions::name_text(c.name),
                version = v
            ))
        })
        .collect();
    let list = match items.as_slice() {
        [] => return String::new(),
        [one] => one.clone(),
        [a, b, ..] => tf!("doctor.upgrade_two", a = a, b = b),
    };
    tf!("doctor.remedy_upgrade", list = list)
}
