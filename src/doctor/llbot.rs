//! The checks of an LLBot / standalone LLOneBot: its version against the minimum and the
//! release that stops leaking temp files (8.0.12), and whether the data dir sits where the
//! 2026 CLI moved it. Its accounts' `ob11.connect` entries are `config.rs`'s, as for every
//! LLOneBot config.

use serde_json::{Value, json};

use super::{Finding, Severity, finding};
use crate::discover::{Instance, Mode};
use crate::msg;
use crate::policy::DEFAULT_MIN_LLONEBOT;
use crate::version::Dotted;

/// LLBot 8.0.12 deletes a send's temp files after a failed send too; older ones leak them.
pub const STOPS_LEAKING_TEMP: Dotted = Dotted::new(8, 0, 12);

pub(super) fn check_llbot(b: &Instance, f: &mut Vec<Finding>) {
    if b.mode == Some(Mode::Headless) {
        f.push(finding(
            "qq.not_used",
            Severity::Ok,
            msg!("doctor.qq_not_used"),
            None,
            Value::Null,
        ));
    }
    // A data dir named by --data-dir alone has no program beside it: its version is the
    // LLOneBot row's business (it says why it cannot be read).
    if b.install.is_some() {
        check_version(b, f);
    }
    check_layout(b, f);
}

fn check_version(b: &Instance, f: &mut Vec<Finding>) {
    let data = json!({"version": b.version, "file": crate::output::path::opt_value(b.version_file.as_ref()), "note": b.version_note});
    let Some(v) = b.version.as_deref().and_then(|v| Dotted::parse(v).ok()) else {
        f.push(finding(
            "versions.llbot",
            Severity::Warn,
            msg!("doctor.llbot_no_version"),
            Some(msg!("doctor.remedy_llbot_version")),
            data,
        ));
        return;
    };
    let (sev, message, remedy) = if v < DEFAULT_MIN_LLONEBOT {
        (
            Severity::Fail,
            msg!(
                "doctor.llbot_too_old",
                version = v,
                min = DEFAULT_MIN_LLONEBOT
            ),
            Some(msg!("doctor.remedy_llbot_upgrade")),
        )
    } else if v < STOPS_LEAKING_TEMP {
        (
            Severity::Warn,
            msg!(
                "doctor.llbot_leaks_temp",
                version = v,
                fixed = STOPS_LEAKING_TEMP
            ),
            Some(msg!("doctor.remedy_llbot_upgrade")),
        )
    } else {
        (
            Severity::Ok,
            msg!("doctor.llbot_version_ok", version = v),
            None,
        )
    };
    f.push(finding("versions.llbot", sev, message, remedy, data));
}

/// The CLI moves `<install>/data` to `<install>/bin/llbot/data` at start: a data dir still at
/// the old place under a CLI install was not migrated (or a second one is left there).
fn check_layout(b: &Instance, f: &mut Vec<Finding>) {
    let Some(install) = &b.install else { return };
    let new = install.join("bin").join("llbot");
    if new.is_dir() && b.data_dir == install.join("data") {
        f.push(finding(
            "layout.llbot",
            Severity::Warn,
            msg!(
                "doctor.llbot_unmigrated",
                path = b.data_dir.display(),
                new = new.join("data").display()
            ),
            Some(msg!("doctor.remedy_llbot_unmigrated")),
            json!({"data_dir": crate::output::path::value(&b.data_dir)}),
        ));
    }
}
