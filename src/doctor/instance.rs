//! One bot instance's checks, on the installation as it sees it (`Installation::view_of`): is
//! it running, did its logs last say online or offline, then its versions, data folder,
//! accounts, send timeouts and (with `--probe`) its live answers.

use serde_json::json;

use super::cache::check_cache;
use super::config::{check_configs, check_some_account};
use super::live::check_probe;
use super::{
    Finding, Scope, Severity, check_effective_timeout, check_versions, finding, installed_version,
    llbot, napcat, timeouts, versions,
};
use crate::cli::DoctorArgs;
use crate::discover::{Installation, Instance};
use crate::fleet::presence::{self, Presence};
use crate::fleet::runlog::Run;
use crate::i18n::t;
use crate::msg;
use crate::stack::presence::State;
use crate::version::Dotted;

/// What every instance's checks share.
pub(super) struct Checks<'a> {
    pub args: &'a DoctorArgs,
    pub threshold: u64,
    pub since: crate::stats::line::Stamp,
    /// The real cleans the run log's end holds.
    pub runs: &'a [Run],
}

/// `bot.running` and, while it runs, `bot.online`: all a watchdog needs.
pub(super) fn check_alive(i: &Instance) -> Vec<Finding> {
    let mut f = Vec::new();
    check_running(i, &mut f);
    if i.is_running() {
        check_online(&presence::read(i), &mut f);
    }
    f
}

pub(super) fn check(c: &Checks, i: &Instance, view: &Installation, f: &mut Vec<Finding>) {
    f.extend(check_alive(i));
    check_found(i, f);
    check_versions(view, Scope::Bot, f);
    versions::staged_and_path(view, f);
    if i.stack == crate::stack::llbot::STACK.id {
        llbot::check_llbot(i, f);
    }
    let lb_version = view
        .llonebot
        .as_ref()
        .and_then(|l| l.version.as_deref())
        .and_then(|v| Dotted::parse(v).ok());
    let configs = view
        .data_dir()
        .map(|data| {
            check_cache(view.stack(), data, lb_version, c.threshold, f);
            let configs = check_configs(view, f);
            check_some_account(view, f);
            configs
        })
        .or_else(|| view.napcat.as_ref().map(|n| napcat::probeable(&n.work_dir)));
    timeouts::check(view, c.since, c.runs, f);
    if c.args.probe
        && let Some(configs) = &configs
    {
        check_probe(configs, installed_version(view).as_deref(), i, f);
    }
    check_effective_timeout(lb_version, f);
    versions::fit_advice(view, f);
    if let Some(n) = &view.napcat {
        napcat::check_napcat(n, c.threshold, f);
    }
}

/// `bot.running`: its processes (the plugin's and NapCat's QQ, LLBot's launcher, node, PMHQ).
fn check_running(i: &Instance, f: &mut Vec<Finding>) {
    let stack = i.stack_def();
    let pids: Vec<String> = i.running.iter().map(|p| p.pid.to_string()).collect();
    let data =
        json!({"pids": i.running.iter().map(|p| p.pid).collect::<Vec<_>>(), "main": i.main_pids()});
    if pids.is_empty() {
        // Found by its install (LLBot, NapCat): say where, as the user knows it by that folder.
        let message = match (&i.install, stack.processes.own) {
            (Some(install), crate::stack::Own::Programs(_)) => msg!(
                "doctor.bot_down_installed",
                name = stack.name,
                path = install.display()
            ),
            _ => msg!("doctor.bot_down", name = stack.name),
        };
        f.push(finding(
            "bot.running",
            Severity::Fail,
            message,
            Some(msg!("doctor.remedy_bot_down", id = i.id)),
            data,
        ));
    } else {
        f.push(finding(
            "bot.running",
            Severity::Ok,
            msg!("doctor.bot_up", name = stack.name, pids = pids.join(", ")),
            None,
            data,
        ));
    }
}

/// `bot.online`: the last login or offline event its own logs record (nothing when they record
/// none: the plugin and LLOneBot before 7.7 log no such event).
fn check_online(p: &Presence, f: &mut Vec<Finding>) {
    let (Some(state), Some(e)) = (p.state(), p.last()) else {
        return;
    };
    let at = crate::time::iso_utc(u64::try_from(e.at).unwrap_or(0));
    let data = json!({"state": if state == State::Online {"online"} else {"offline"}, "event": e, "online": p.online, "offline": p.offline});
    let (severity, message, remedy) = match state {
        State::Online => (
            Severity::Ok,
            msg!("doctor.bot_online", at = at, line = e.line),
            None,
        ),
        State::Offline => (
            Severity::Fail,
            msg!(
                "doctor.bot_offline",
                at = at,
                why = why_text(e.why),
                line = e.line
            ),
            Some(msg!("doctor.remedy_bot_offline")),
        ),
    };
    f.push(finding("bot.online", severity, message, remedy, data));
}

/// `discovery.llonebot`: the plugin's or LLBot's data folder, and how it was found (NapCat's is
/// `discovery.napcat`).
fn check_found(i: &Instance, f: &mut Vec<Finding>) {
    if i.stack == crate::stack::napcat::STACK.id {
        return;
    }
    if !i.data_dir_exists {
        f.push(finding(
            "discovery.llonebot",
            Severity::Fail,
            msg!(
                "doctor.instance_no_data",
                name = i.stack_def().name,
                path = i.data_dir.display()
            ),
            Some(msg!("doctor.remedy_instance_no_data")),
            json!({"data_dir": crate::output::path::value(&i.data_dir)}),
        ));
        return;
    }
    f.push(finding(
        "discovery.llonebot",
        Severity::Ok,
        msg!(
            "doctor.found_data",
            name = i.stack_def().name,
            path = i.data_dir.display()
        ),
        None,
        json!({"data_dir": crate::output::path::value(&i.data_dir), "source": i.found_via}),
    ));
}

/// Why the logs say the account is offline, in the user's language.
fn why_text(why: &str) -> &'static str {
    match why {
        "kicked" => t("doctor.why_kicked"),
        "login_failed" => t("doctor.why_login_failed"),
        "not_logged_in" => t("doctor.why_not_logged_in"),
        _ => t("doctor.why_disconnected"),
    }
}
