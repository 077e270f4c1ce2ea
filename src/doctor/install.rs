//! The checks on what discovery found: QQ's processes, and each part of the install with how
//! it was found.

use crate::discover::{Installation, Source};
use crate::msg;
use serde_json::{Value, json};

use super::{Finding, Severity, finding};

pub(super) fn check_processes(inst: &Installation, f: &mut Vec<Finding>) {
    let procs: Vec<_> = inst.qq_processes().collect();
    let mains: Vec<u32> = procs.iter().filter(|p| p.main).map(|p| p.pid).collect();
    let helpers = procs.len() - mains.len();
    let data = json!({"main": mains, "helpers": helpers, "unverified": procs.iter().any(|p| p.verified.is_none())});
    if procs.is_empty() {
        f.push(finding(
            "qq.processes",
            Severity::Ok,
            msg!("doctor.qq_not_running"),
            None,
            data,
        ));
    } else if inst.qq.is_none() {
        let pids = procs
            .iter()
            .map(|p| p.pid.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        f.push(finding(
            "qq.processes",
            Severity::Warn,
            msg!("doctor.qq_unverified", pids = pids),
            Some(msg!("doctor.remedy_qq_dir")),
            data,
        ));
    } else if mains.len() > 1 {
        let pids = mains
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        f.push(finding(
            "qq.processes",
            Severity::Warn,
            msg!("doctor.qq_many", n = mains.len(), pids = pids),
            Some(msg!("doctor.remedy_qq_many")),
            data,
        ));
    } else {
        let main = mains
            .first()
            .map(u32::to_string)
            .unwrap_or_else(|| "?".into());
        f.push(finding(
            "qq.processes",
            Severity::Ok,
            msg!("doctor.qq_running", pid = main, helpers = helpers),
            None,
            data,
        ));
    }
}

fn source_word(s: Source) -> String {
    crate::detect::source_text(s).to_string()
}

pub(super) fn check_discovery(inst: &Installation, f: &mut Vec<Finding>) {
    match &inst.qq {
        Some(q) => f.push(finding(
            "discovery.qq",
            Severity::Ok,
            msg!(
                "doctor.found",
                what = "QQ",
                path = q.install_dir.display(),
                how = source_word(q.source)
            ),
            None,
            json!({"path": crate::output::path::value(&q.install_dir), "source": q.source}),
        )),
        // Headless LLBots drive no QQ (nor, stopped, do 8.x ones by default): nothing to find
        // when they are all there is; their own finding says whether they run.
        None if !inst.instances.is_empty()
            && inst.instances.iter().all(Installation::may_do_without_qq) => {}
        None => f.push(finding(
            "discovery.qq",
            Severity::Warn,
            msg!("doctor.not_found", what = "QQ"),
            Some(msg!("doctor.remedy_qq_dir")),
            Value::Null,
        )),
    }
    match inst.liteloader.as_ref() {
        Some(ll) => {
            let (path, how) = match (&ll.root, ll.source) {
                (Some(r), Some(s)) => (r.display().to_string(), source_word(s)),
                _ => (
                    ll.profile.display().to_string(),
                    source_word(ll.profile_source),
                ),
            };
            f.push(finding(
                "discovery.liteloader",
                Severity::Ok,
                msg!(
                    "doctor.found",
                    what = "LiteLoaderQQNT",
                    path = path,
                    how = how
                ),
                None,
                json!({"root": crate::output::path::opt_value(ll.root.as_ref()), "profile": crate::output::path::value(&ll.profile)}),
            ));
        }
        // LLBot and NapCat run without LiteLoaderQQNT: missing only when nothing was found,
        // or a plugin was.
        None if !inst.instances.is_empty()
            && !inst
                .instances
                .iter()
                .any(|i| i.stack == crate::stack::llonebot_plugin::STACK.id) => {}
        None => f.push(finding(
            "discovery.liteloader",
            Severity::Warn,
            msg!("doctor.not_found", what = "LiteLoaderQQNT"),
            Some(msg!("doctor.remedy_ll_dir")),
            Value::Null,
        )),
    }
    // Each bot's own folder is said in its section; here, that there is none.
    if inst.instances.is_empty() {
        f.push(finding(
            "discovery.llonebot",
            Severity::Fail,
            msg!("doctor.no_data_dir"),
            Some(msg!("doctor.remedy_data_dir")),
            Value::Null,
        ));
    }
    if !inst.warnings.is_empty() {
        let list: Vec<String> = inst
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.path.display(), w.problem))
            .collect();
        f.push(finding(
            "discovery.files",
            Severity::Warn,
            msg!("doctor.bad_files", list = list.join("; ")),
            Some(msg!("doctor.remedy_bad_files")),
            json!(inst.warnings),
        ));
    }
}
