//! `llob-doctor doctor`: every check in one report, each finding with a severity and a concrete
//! remedy. The machine's findings (QQ, LiteLoaderQQNT, QQ's cache) come first, then each bot
//! instance's, each finding naming its instance. Exit 0 when nothing is warn or fail, 1 when
//! something is, 8 when a bot is down or its logs say it went offline, 2 when it could not run.
//!
//! One family of checks per file below `doctor/`: `install.rs` (processes, discovery),
//! `instance.rs` (one bot: running, online, then every check below on it alone), `cache.rs`,
//! `config.rs` (each account; `servers.rs` reads the servers of either config schema),
//! `live.rs` (`--probe`), `llbot.rs` (LLBot's own), `napcat.rs`, `timeouts.rs` (its logs);
//! `render.rs` shows the report. `--prometheus` is `crate::fleet`'s.
//! The version and effective-timeout checks are here.

mod cache;
mod config;
mod install;
mod instance;
mod live;
mod llbot;
mod napcat;
mod qq_cache;
mod render;
mod servers;

use serde::Serialize;
use serde_json::{Value, json};

use crate::app::App;
use crate::check_versions::{self, Name};
use crate::cli::DoctorArgs;
use crate::discover::Installation;
use crate::exit::{Exit, Failure};
use crate::i18n::Msg;
use crate::policy::{Minimums, Status};
use crate::version::{self, Dotted};
use crate::{msg, stats};
use config::{HTTP_OFF, check_configs};
use install::{check_discovery, check_processes};
use live::check_probe;

pub use render::render;

mod timeouts;
mod versions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// A stable id: `qq.processes`, `versions.llonebot`, `config.ports`, `timeouts`, ...
    pub check: String,
    /// The bot instance it is about (`llbot@/srv/bots/a`); null for the machine's (QQ,
    /// LiteLoaderQQNT, QQ's cache, what was found).
    pub instance: Option<String>,
    pub severity: Severity,
    pub message: Msg,
    pub remedy: Option<Msg>,
    pub data: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    pub findings: Vec<Finding>,
    pub ok: bool,
}

fn finding(
    check: impl Into<String>,
    severity: Severity,
    message: Msg,
    remedy: Option<Msg>,
    data: Value,
) -> Finding {
    Finding {
        check: check.into(),
        instance: None,
        severity,
        message,
        remedy,
        data,
    }
}

/// Sizes as users write them: `1GiB`, `500M`, `2g`, `1048576`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("{s}: not a size"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        u => return Err(format!("{s}: unknown unit '{u}'")),
    };
    if !n.is_finite() || n < 0.0 {
        return Err(format!("{s}: not a size"));
    }
    Ok((n * mult as f64) as u64)
}

/// LLOneBot's send timeout for an attachment of `bytes` (DOMAIN: up to 3.29.3
/// `5000 ms + 1000 ms per 100 KB`; from 3.29.4 `10000 ms + 1000 ms per 256 KB`).
pub fn effective_timeout_ms(version: Dotted, bytes: u64) -> u64 {
    if version >= Dotted::new(3, 29, 4) {
        10_000 + bytes * 1000 / (256 * 1024)
    } else {
        5_000 + bytes * 1000 / (100 * 1024)
    }
}

pub fn run(app: &App, args: &DoctorArgs) -> anyhow::Result<Exit> {
    let threshold = crate::output::parse_size(&args.temp_warn)
        .map_err(|e| Failure::usage(msg!("doctor.bad_size", error = e)))?;
    let since = stats::parse_since(&args.since)?;
    crate::output::parse_size(&args.qq_cache_warn)
        .map_err(|e| Failure::usage(msg!("doctor.bad_size", error = e)))?;
    if args.prometheus {
        if app.out.json {
            return Err(Failure::usage(msg!("stats.json_and_prometheus"))
                .with_hint(msg!("stats.hint_prometheus"))
                .into());
        }
        return crate::fleet::run(app, args, since);
    }
    let inst = app.discover()?;
    let report = if args.liveness {
        liveness(&inst)?
    } else {
        build(app, &inst, args, threshold, since)
    };
    app.out
        .emit_problems(&report, !report.ok, || render(&report, &app.out))?;
    Ok(exit_of(&report))
}

/// The checks that say a bot is down or offline: exit 8 when any fails.
pub const LIVENESS: [&str; 2] = ["bot.running", "bot.online"];

/// 8 when a bot is down or offline, 1 for any other warning or failure, else 0.
fn exit_of(report: &DoctorReport) -> Exit {
    let down = report
        .findings
        .iter()
        .any(|x| x.severity == Severity::Fail && LIVENESS.contains(&x.check.as_str()));
    if down {
        Exit::BotDown
    } else if report.ok {
        Exit::Ok
    } else {
        Exit::Problem
    }
}

/// `llob-doctor probe`: only the live checks, each instance's accounts on their own ports.
pub fn run_probe_only(app: &App, _args: &DoctorArgs) -> anyhow::Result<Exit> {
    let inst = app.discover()?;
    let bots: Vec<_> = inst
        .instances
        .iter()
        .filter(|i| i.data_dir_exists)
        .collect();
    if bots.is_empty() {
        return Err(Failure::new(Exit::NotFound, msg!("clean.no_data_dir"))
            .with_hint(msg!("clean.hint_no_data_dir"))
            .into());
    }
    let mut f = Vec::new();
    for i in bots {
        let view = inst.view_of(i);
        let mut ignored = Vec::new();
        let accounts = match &view.napcat {
            Some(n) => napcat::probeable(&n.work_dir),
            None => check_configs(&view, &mut ignored),
        };
        let mut g = Vec::new();
        if accounts.iter().all(|a| a.port == HTTP_OFF) {
            g.push(finding(
                "probe",
                Severity::Warn,
                msg!("doctor.probe_none"),
                Some(live::remedy_probe_none(i)),
                Value::Null,
            ));
        }
        check_probe(&accounts, installed_version(&view).as_deref(), i, &mut g);
        f.extend(of_instance(g, i));
    }
    let ok = f.iter().all(|x| x.severity == Severity::Ok);
    let report = DoctorReport { findings: f, ok };
    app.out.emit(&report, || render(&report, &app.out))?;
    Ok(if report.ok { Exit::Ok } else { Exit::Problem })
}

/// Findings made for one instance, named by it. In their words `{bot}` is the instance's bot
/// (LLOneBot, LLBot, NapCat), `{program}` the program its user starts and restarts (QQ for the
/// plugin, LLBot, NapCat) and `{config}` an account's config file: one remedy says "restart QQ"
/// or "restart NapCat" as it fits.
fn of_instance(mut f: Vec<Finding>, i: &crate::discover::Instance) -> Vec<Finding> {
    let stack = i.stack_def();
    for x in &mut f {
        x.instance = Some(i.id.clone());
        for m in std::iter::once(&mut x.message).chain(x.remedy.as_mut()) {
            if m.key.is_empty() {
                continue;
            }
            let config = stack
                .account_config
                .replace('/', std::path::MAIN_SEPARATOR_STR);
            for (k, v) in [
                ("bot", stack.name.to_string()),
                ("program", stack.program.to_string()),
                ("config", config),
            ] {
                if !m.args.iter().any(|(a, _)| *a == k) {
                    m.args.push((k, v));
                }
            }
        }
    }
    f
}

/// Every check: the machine's first, then each instance's on it alone.
fn build(
    app: &App,
    inst: &Installation,
    args: &DoctorArgs,
    threshold: u64,
    since: stats::line::Stamp,
) -> DoctorReport {
    let mut f = Vec::new();
    check_processes(inst, &mut f);
    check_discovery(inst, &mut f);
    check_versions(inst, Scope::Machine, &mut f);
    versions::check_liteloader_line(inst, &mut f);
    qq_cache::check_qq_cache(app, inst, args, &mut f);
    let runs = match crate::fleet::runlog::runs_for(app, args.log_file.as_deref()) {
        Ok(runs) => runs,
        Err((log, e)) => {
            // There but not readable: said once, and the timeouts counted over the whole window.
            f.push(finding(
                "timeouts.run_log",
                Severity::Warn,
                msg!("doctor.run_log_unreadable", path = log.display(), error = e.words()),
                Some(msg!("doctor.remedy_run_log_unreadable", path = log.display())),
                serde_json::json!({"path": crate::output::path::value(&log), "error": e.msg().render(crate::i18n::Lang::En)}),
            ));
            Vec::new()
        }
    };
    for i in &inst.instances {
        let view = inst.view_of(i);
        let mut g = Vec::new();
        let checks = instance::Checks {
            args,
            threshold,
            since,
            runs: &runs,
        };
        instance::check(&checks, i, &view, &mut g);
        f.extend(of_instance(g, i));
    }
    let ok = f.iter().all(|x| x.severity == Severity::Ok);
    DoctorReport { findings: f, ok }
}

/// `doctor --liveness`: only whether each bot runs and what its log last said, for a watchdog
/// that runs every minute (nothing else is read). No bot at all is exit 3.
fn liveness(inst: &Installation) -> Result<DoctorReport, Failure> {
    if inst.instances.is_empty() {
        return Err(Failure::new(Exit::NotFound, msg!("doctor.no_data_dir"))
            .with_hint(msg!("doctor.remedy_data_dir")));
    }
    let mut f = Vec::new();
    for i in &inst.instances {
        f.extend(of_instance(instance::check_alive(i), i));
    }
    let ok = f.iter().all(|x| x.severity == Severity::Ok);
    Ok(DoctorReport { findings: f, ok })
}

/// Which rows of the version report a call reports: the machine's (QQ, LiteLoaderQQNT) or the
/// bot's own (LLOneBot, NapCat; LLBot's are `llbot::check_llbot`'s).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Machine,
    Bot,
}

fn check_versions(inst: &Installation, scope: Scope, f: &mut Vec<Finding>) {
    let table = version::table();
    let Ok(mins) = Minimums::resolve(None, None, table) else {
        return;
    };
    let report = check_versions::build_report(inst, &mins, table);
    for c in &report.components {
        let machine = matches!(c.name, Name::Qq | Name::Liteloader);
        if machine != (scope == Scope::Machine) {
            continue;
        }
        let (id, name) = match c.name {
            Name::Qq => ("versions.qq", "QQ"),
            Name::Liteloader => ("versions.liteloader", "LiteLoaderQQNT"),
            Name::Llonebot => ("versions.llonebot", "LLOneBot"),
            Name::Napcat => ("versions.napcat", "NapCat"),
            // Judged with its own advice by `llbot::check_llbot`.
            Name::Llbot => continue,
        };
        let installed = c.installed.clone().unwrap_or_else(|| "?".into());
        let minimum = c.minimum.clone().unwrap_or_else(|| "-".into());
        let (severity, message) = match c.status {
            // No minimum is set for it (NapCat has none by default): nothing to meet.
            Status::Ok if c.minimum.is_none() => (
                Severity::Ok,
                msg!(
                    "doctor.version_no_minimum",
                    name = name,
                    installed = installed
                ),
            ),
            Status::Ok => (
                Severity::Ok,
                msg!(
                    "doctor.version_ok",
                    name = name,
                    installed = installed,
                    minimum = minimum
                ),
            ),
            Status::Outdated => (
                Severity::Fail,
                msg!(
                    "doctor.version_old",
                    name = name,
                    installed = installed,
                    minimum = minimum
                ),
            ),
            Status::Refused => versions::refused(c, name, &installed),
            Status::Unsupported => versions::unsupported(c, name, &installed),
            Status::Unknown => (Severity::Warn, msg!("doctor.version_unknown", name = name)),
        };
        let advice = match c.status {
            Status::Refused => c.install_advice().or_else(|| c.advice.clone()),
            _ => c.advice.clone(),
        };
        let remedy = advice.map(Msg::raw);
        f.push(finding(id, severity, message, remedy, json!(c)));
    }
}

/// The version of the bot whose accounts are probed, to tell a run older than the install:
/// the plugin's, else LLBot's, unless its `package.json` may lag the program (`version_note`),
/// else NapCat's.
fn installed_version(inst: &Installation) -> Option<String> {
    let plugin = inst
        .llonebot
        .as_ref()
        .filter(|l| l.data_dir_exists)
        .and_then(|l| l.version.clone());
    plugin
        .or_else(|| {
            inst.llbot()
                .filter(|b| b.version_note.is_none())
                .and_then(|b| b.version.clone())
        })
        .or_else(|| inst.napcat.as_ref().and_then(|n| n.version.clone()))
}

fn check_effective_timeout(lb: Option<Dotted>, f: &mut Vec<Finding>) {
    let Some(v) = lb else { return };
    let sizes = [
        ("100 KB", 100 * 1024u64),
        ("1 MB", 1 << 20),
        ("10 MB", 10 << 20),
    ];
    let list: Vec<String> = sizes
        .iter()
        .map(|(name, b)| {
            format!(
                "{name} → {:.1} s",
                effective_timeout_ms(v, *b) as f64 / 1000.0
            )
        })
        .collect();
    let data: Value = sizes
        .iter()
        .map(|(name, b)| {
            (
                name.replace(' ', "").to_lowercase(),
                json!(effective_timeout_ms(v, *b)),
            )
        })
        .collect::<serde_json::Map<String, Value>>()
        .into();
    f.push(finding(
        "timeouts.effective",
        Severity::Ok,
        msg!("doctor.effective", version = v, list = list.join(", ")),
        Some(msg!("doctor.remedy_effective")),
        json!({"version": v.to_string(), "timeout_ms": data}),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_timeouts() {
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("42"), Ok(42));
        assert!(parse_size("x").is_err() && parse_size("1 parsec").is_err());
        let old = Dotted::new(3, 28, 3);
        let new = Dotted::new(3, 29, 4);
        assert_eq!(effective_timeout_ms(old, 100 * 1024), 6_000);
        assert_eq!(effective_timeout_ms(old, 10 << 20), 5_000 + 102_400);
        assert_eq!(effective_timeout_ms(new, 1 << 20), 14_000);
        assert_eq!(effective_timeout_ms(new, 0), 10_000);
    }
}
