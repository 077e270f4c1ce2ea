//! `llob-doctor doctor`: every check in one report, each finding with a severity and a concrete
//! remedy. Exit 0 when nothing is warn or fail, 1 when something is, 2 when it could not run.
//!
//! One family of checks per file below `doctor/`: `install.rs` (processes, discovery),
//! `cache.rs`, `config.rs` (each account; `servers.rs` reads the servers of either config
//! schema), `live.rs` (`--probe`), `llbot.rs` (LLBot's own), `napcat.rs`, `timeouts.rs` (every
//! stack's logs); `render.rs` shows the report.
//! The version and effective-timeout checks are here.

mod cache;
mod config;
mod install;
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
use cache::check_cache;
use config::{HTTP_OFF, check_configs, check_some_account};
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
    let inst = app.discover()?;
    let report = build(app, &inst, args, threshold, since);
    app.out
        .emit_problems(&report, !report.ok, || render(&report, &app.out))?;
    Ok(if report.ok { Exit::Ok } else { Exit::Problem })
}

/// `llob-doctor probe`: only the live checks.
pub fn run_probe_only(app: &App, _args: &DoctorArgs) -> anyhow::Result<Exit> {
    let inst = app.discover()?;
    if inst.data_dir().is_none() {
        return Err(Failure::new(Exit::NotFound, msg!("clean.no_data_dir"))
            .with_hint(msg!("clean.hint_no_data_dir"))
            .into());
    }
    let mut ignored = Vec::new();
    let accounts = check_configs(&inst, &mut ignored);
    let mut f = Vec::new();
    if accounts.iter().all(|a| a.port == HTTP_OFF) {
        f.push(finding(
            "probe",
            Severity::Warn,
            msg!("doctor.probe_none"),
            Some(msg!("doctor.remedy_probe_none")),
            Value::Null,
        ));
    }
    let expected = live::expected_listener(&inst);
    check_probe(
        &accounts,
        installed_version(&inst).as_deref(),
        &expected,
        &mut f,
    );
    let ok = f.iter().all(|x| x.severity == Severity::Ok);
    let report = DoctorReport { findings: f, ok };
    app.out.emit(&report, || render(&report, &app.out))?;
    Ok(if report.ok { Exit::Ok } else { Exit::Problem })
}

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
    check_versions(inst, &mut f);
    versions::check(inst, &mut f);
    if std::ptr::eq(inst.stack(), &crate::stack::llbot::STACK)
        && let Some(b) = inst.llbot()
    {
        llbot::check_llbot(b, &mut f);
    }
    let lb_version = inst
        .llonebot
        .as_ref()
        .and_then(|l| l.version.as_deref())
        .and_then(|v| Dotted::parse(v).ok());
    let configs = inst.data_dir().map(|data| {
        check_cache(inst.stack(), data, lb_version, threshold, &mut f);
        let configs = check_configs(inst, &mut f);
        check_some_account(inst, &mut f);
        configs
    });
    // Every stack's logs (NapCat's too), as `stats` with no path reads them.
    timeouts::check(app, inst, since, &mut f);
    if args.probe
        && let Some(configs) = &configs
    {
        let expected = live::expected_listener(inst);
        check_probe(
            configs,
            installed_version(inst).as_deref(),
            &expected,
            &mut f,
        );
    }
    check_effective_timeout(lb_version, &mut f);
    versions::fit_advice(inst, &mut f);
    if let Some(n) = &inst.napcat {
        napcat::check_napcat(n, threshold, &mut f);
    }
    qq_cache::check_qq_cache(app, inst, args, &mut f);
    let ok = f.iter().all(|x| x.severity == Severity::Ok);
    DoctorReport { findings: f, ok }
}

fn check_versions(inst: &Installation, f: &mut Vec<Finding>) {
    let table = version::table();
    let Ok(mins) = Minimums::resolve(None, None, table) else {
        return;
    };
    let report = check_versions::build_report(inst, &mins, table);
    for c in &report.components {
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
/// the plugin's, else LLBot's, unless its `package.json` may lag the program (`version_note`).
fn installed_version(inst: &Installation) -> Option<String> {
    let plugin = inst
        .llonebot
        .as_ref()
        .filter(|l| l.data_dir_exists)
        .and_then(|l| l.version.clone());
    plugin.or_else(|| {
        inst.llbot()
            .filter(|b| b.version_note.is_none())
            .and_then(|b| b.version.clone())
    })
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
