//! `llob-doctor doctor`: every check in one report, each finding with a severity and a concrete
//! remedy. Exit 0 when nothing is warn or fail, 1 when something is, 2 when it could not run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::App;
use crate::check_versions::{self, Name};
use crate::clean::plan::{self, Kind};
use crate::cli::DoctorArgs;
use crate::discover::{Installation, Source};
use crate::exit::{Exit, Failure};
use crate::i18n::{Msg, pad, t, width};
use crate::output::{Output, Tone, human_size};
use crate::policy::{self, Minimums, Status};
use crate::version::{self, Dotted};
use crate::{msg, probe, stats};

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

/// The parts of `config_<uin>.json` the doctor reads; absent fields stay `None`.
#[derive(Debug, Clone, Default)]
struct AccountConfig {
    http: Option<bool>,
    http_port: Option<u16>,
    ws: Option<bool>,
    ws_port: Option<u16>,
    token: Option<String>,
    log: Option<bool>,
    /// A listening host, when the config names one (newer versions); `None`: all interfaces.
    host: Option<String>,
}

fn read_config(v: &Value) -> AccountConfig {
    let ob = v.get("ob11").unwrap_or(&Value::Null);
    let port = |x: Option<&Value>| {
        x.and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok())
    };
    let text = |x: Option<&Value>| x.and_then(Value::as_str).map(String::from);
    AccountConfig {
        http: ob.get("enableHttp").and_then(Value::as_bool),
        http_port: port(ob.get("httpPort")),
        ws: ob.get("enableWs").and_then(Value::as_bool),
        ws_port: port(ob.get("wsPort")),
        token: text(v.get("token")).or_else(|| text(ob.get("token"))),
        log: v.get("log").and_then(Value::as_bool),
        host: text(ob.get("host"))
            .or_else(|| text(ob.get("httpHost")))
            .or_else(|| text(v.get("host"))),
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host.trim(), "127.0.0.1" | "localhost" | "::1" | "[::1]")
}

pub fn run(app: &App, args: &DoctorArgs) -> anyhow::Result<Exit> {
    let threshold = parse_size(&args.temp_warn)
        .map_err(|e| Failure::usage(msg!("doctor.bad_size", error = e)))?;
    let since = stats::parse_since(&args.since)?;
    parse_size(&args.qq_cache_warn)
        .map_err(|e| Failure::usage(msg!("doctor.bad_size", error = e)))?;
    let inst = app.discover()?;
    let report = build(app, &inst, args, threshold, since);
    app.out.emit(&report, || render(&report, &app.out))?;
    Ok(if report.ok { Exit::Ok } else { Exit::Problem })
}

/// `llob-doctor probe`: only the live checks.
pub fn run_probe_only(app: &App, _args: &DoctorArgs) -> anyhow::Result<Exit> {
    let inst = app.discover()?;
    let Some(data) = inst.data_dir() else {
        return Err(Failure::new(Exit::NotFound, msg!("clean.no_data_dir"))
            .with_hint(msg!("clean.hint_no_data_dir"))
            .into());
    };
    let mut ignored = Vec::new();
    let accounts = check_configs(&inst, data, &mut ignored);
    let mut f = Vec::new();
    if accounts.is_empty() {
        f.push(finding(
            "probe",
            Severity::Warn,
            msg!("doctor.probe_none"),
            Some(msg!("doctor.remedy_probe_none")),
            Value::Null,
        ));
    }
    let installed = inst.llonebot.as_ref().and_then(|l| l.version.clone());
    check_probe(&accounts, installed.as_deref(), &mut f);
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
    let lb_version = inst
        .llonebot
        .as_ref()
        .and_then(|l| l.version.as_deref())
        .and_then(|v| Dotted::parse(v).ok());
    if let Some(data) = inst.data_dir() {
        check_cache(data, lb_version, threshold, &mut f);
        let configs = check_configs(inst, data, &mut f);
        check_timeouts(app, data, since, &mut f);
        if args.probe {
            let installed = inst.llonebot.as_ref().and_then(|l| l.version.clone());
            check_probe(&configs, installed.as_deref(), &mut f);
        }
    }
    check_effective_timeout(lb_version, &mut f);
    check_qq_cache(app, inst, args, &mut f);
    let ok = f.iter().all(|x| x.severity == Severity::Ok);
    DoctorReport { findings: f, ok }
}

/// QQ's own media cache in all, against `--qq-cache-warn` (no finding when QQ has no data here).
fn check_qq_cache(app: &App, inst: &Installation, args: &DoctorArgs, f: &mut Vec<Finding>) {
    let threshold = parse_size(&args.qq_cache_warn).unwrap_or(5 << 30);
    let qq_data = app.overrides.qq_data.as_deref();
    let Ok(roots) = crate::qq_cache::find(&app.env, inst, qq_data) else {
        return;
    };
    let report = crate::qq_cache::measure(roots);
    if let Some((ok, message, remedy, data)) =
        crate::qq_cache::render::doctor_finding(&report, threshold)
    {
        let severity = if ok { Severity::Ok } else { Severity::Warn };
        f.push(finding("cache.qq", severity, message, remedy, data));
    }
}

fn check_processes(inst: &Installation, f: &mut Vec<Finding>) {
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

fn check_discovery(inst: &Installation, f: &mut Vec<Finding>) {
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
            json!({"path": q.install_dir, "source": q.source}),
        )),
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
                json!({"root": ll.root, "profile": ll.profile}),
            ));
        }
        None if inst.llonebot.as_ref().is_some_and(|l| l.standalone) => {}
        None => f.push(finding(
            "discovery.liteloader",
            Severity::Warn,
            msg!("doctor.not_found", what = "LiteLoaderQQNT"),
            Some(msg!("doctor.remedy_ll_dir")),
            Value::Null,
        )),
    }
    match inst.data_dir() {
        Some(d) => f.push(finding(
            "discovery.llonebot",
            Severity::Ok,
            msg!("doctor.found_data", path = d.display()),
            None,
            json!({"data_dir": d}),
        )),
        None => f.push(finding(
            "discovery.llonebot",
            Severity::Fail,
            msg!("doctor.no_data_dir"),
            Some(msg!("doctor.remedy_data_dir")),
            Value::Null,
        )),
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
            Status::Unknown => (Severity::Warn, msg!("doctor.version_unknown", name = name)),
        };
        let remedy = c.advice.clone().map(Msg::raw);
        f.push(finding(id, severity, message, remedy, json!(c)));
    }
}

fn check_cache(data: &Path, lb: Option<Dotted>, threshold: u64, f: &mut Vec<Finding>) {
    let p = plan::scan(data, &plan::Options::default(), |_| {});
    let temp = p.targets.iter().find(|t| t.kind == Kind::Temp);
    let (bytes, files) = temp.map(|t| (t.bytes(), t.files())).unwrap_or((0, 0));
    let data_temp = json!({"bytes": bytes, "files": files, "threshold": threshold});
    if bytes > threshold {
        f.push(finding(
            "cache.temp",
            Severity::Warn,
            msg!(
                "doctor.temp_big",
                size = human_size(bytes),
                files = files,
                limit = human_size(threshold)
            ),
            Some(msg!("doctor.remedy_clean")),
            data_temp,
        ));
    } else {
        f.push(finding(
            "cache.temp",
            Severity::Ok,
            msg!("doctor.temp_ok", size = human_size(bytes), files = files),
            None,
            data_temp,
        ));
    }
    let msgs: Vec<&plan::Target> = p.targets.iter().filter(|t| t.kind == Kind::MsgDb).collect();
    if msgs.is_empty() {
        return;
    }
    let size: u64 = msgs.iter().map(|t| t.bytes()).sum();
    let names: Vec<String> = msgs
        .iter()
        .filter_map(|t| t.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let d = json!({"folders": names, "bytes": size});
    if lb.is_some_and(|v| v >= policy::LLONEBOT_DATABASE_SINCE) {
        f.push(finding(
            "cache.msg_db",
            Severity::Warn,
            msg!(
                "doctor.msg_leftovers",
                n = msgs.len(),
                size = human_size(size),
                since = policy::LLONEBOT_DATABASE_SINCE
            ),
            Some(msg!("doctor.remedy_clean")),
            d,
        ));
    } else {
        f.push(finding(
            "cache.msg_db",
            Severity::Ok,
            msg!("doctor.msg_in_use", n = msgs.len(), size = human_size(size)),
            None,
            d,
        ));
    }
}

struct Probeable {
    uin: String,
    port: u16,
    token: String,
}

fn check_configs(inst: &Installation, data: &Path, f: &mut Vec<Finding>) -> Vec<Probeable> {
    let _ = data;
    let mut probeable = Vec::new();
    let mut ports: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    let qq_running = inst.qq_processes().next().is_some();
    let Some(lb) = &inst.llonebot else {
        return probeable;
    };
    for a in &lb.accounts {
        let Some(path) = &a.config else { continue };
        let id = format!("config.{}", a.uin);
        let parsed = std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<Value>(&b).map_err(|e| e.to_string()));
        let v = match parsed {
            Ok(v) if v.is_object() => v,
            Ok(_) => {
                f.push(finding(
                    &id,
                    Severity::Fail,
                    msg!(
                        "doctor.config_bad",
                        path = path.display(),
                        error = "not a JSON object"
                    ),
                    Some(msg!("doctor.remedy_config_bad")),
                    Value::Null,
                ));
                continue;
            }
            Err(e) => {
                f.push(finding(
                    &id,
                    Severity::Fail,
                    msg!("doctor.config_bad", path = path.display(), error = e),
                    Some(msg!("doctor.remedy_config_bad")),
                    Value::Null,
                ));
                continue;
            }
        };
        let c = read_config(&v);
        let http_on = c.http.unwrap_or(false);
        let ws_on = c.ws.unwrap_or(false);
        if http_on && let Some(p) = c.http_port {
            ports.entry(p).or_default().push(format!("{} HTTP", a.uin));
        }
        if ws_on && let Some(p) = c.ws_port {
            ports.entry(p).or_default().push(format!("{} WS", a.uin));
        }
        let token = c.token.clone().unwrap_or_default();
        let open = c.host.as_deref().is_none_or(|h| !is_loopback(h));
        let data = json!({"path": path, "http": http_on, "http_port": c.http_port, "ws": ws_on, "ws_port": c.ws_port, "token_set": !token.is_empty(), "log": c.log});
        if (http_on || ws_on) && open && token.trim().is_empty() {
            f.push(finding(
                format!("{id}.security"),
                Severity::Warn,
                msg!("doctor.no_token", uin = a.uin),
                Some(msg!("doctor.remedy_token", path = path.display())),
                data.clone(),
            ));
        }
        if c.log == Some(false) {
            f.push(finding(
                format!("{id}.log"),
                Severity::Warn,
                msg!("doctor.log_off", uin = a.uin),
                Some(msg!("doctor.remedy_log", path = path.display())),
                data.clone(),
            ));
        }
        f.push(finding(
            &id,
            Severity::Ok,
            msg!("doctor.config_ok", uin = a.uin),
            None,
            data,
        ));
        if http_on && let Some(port) = c.http_port {
            probeable.push(Probeable {
                uin: a.uin.clone(),
                port,
                token,
            });
        }
    }
    let dup: Vec<String> = ports
        .iter()
        .filter(|(_, users)| users.len() > 1)
        .map(|(p, users)| format!("{p} ({})", users.join(", ")))
        .collect();
    if !dup.is_empty() {
        f.push(finding(
            "config.ports",
            Severity::Fail,
            msg!("doctor.ports_dup", list = dup.join("; ")),
            Some(msg!("doctor.remedy_ports")),
            json!(ports),
        ));
    }
    if !qq_running {
        // With QQ stopped, nothing of LLOneBot's holds these ports: anything that does is another program.
        let taken: Vec<u16> = ports
            .keys()
            .copied()
            .filter(|p| std::net::TcpListener::bind(("0.0.0.0", *p)).is_err())
            .collect();
        if !taken.is_empty() {
            let list = taken
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            f.push(finding(
                "config.ports_in_use",
                Severity::Warn,
                msg!("doctor.ports_taken", list = list),
                Some(msg!("doctor.remedy_ports_taken")),
                json!(taken),
            ));
        }
    }
    probeable
}

fn check_timeouts(app: &App, data: &Path, since: stats::line::Stamp, f: &mut Vec<Finding>) {
    let _ = app;
    let Some(r) = stats::summary_for_data_dir(data, since) else {
        f.push(finding(
            "timeouts",
            Severity::Ok,
            msg!("doctor.no_logs", path = data.join("logs").display()),
            None,
            Value::Null,
        ));
        return;
    };
    let rate = r.timeout_rate.unwrap_or(0.0);
    let data_v = json!({"sends": r.sends, "timeouts": r.timeouts, "errors": r.errors, "timeout_rate": r.timeout_rate, "files": r.files});
    let percent = format!("{:.1}%", rate * 100.0);
    if r.timeouts == 0 {
        f.push(finding(
            "timeouts",
            Severity::Ok,
            msg!("doctor.timeouts_none", sends = r.sends),
            None,
            data_v,
        ));
    } else {
        let sev = if rate >= 0.10 {
            Severity::Fail
        } else {
            Severity::Warn
        };
        f.push(finding(
            "timeouts",
            sev,
            msg!(
                "doctor.timeouts",
                timeouts = r.timeouts,
                sends = r.sends,
                rate = percent
            ),
            Some(msg!("doctor.remedy_timeouts")),
            data_v,
        ));
    }
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

fn check_probe(accounts: &[Probeable], installed: Option<&str>, f: &mut Vec<Finding>) {
    for a in accounts {
        let r = probe::probe(&a.uin, a.port, &a.token);
        let id = format!("probe.{}", a.uin);
        let data = json!(r);
        let (sev, message, remedy) = match &r.error {
            None => {
                let online = r.online == Some(true);
                let version = r.app_version.clone().unwrap_or_else(|| "?".into());
                let ms = r.rtt_ms.unwrap_or(0);
                let stale = installed.is_some_and(|i| {
                    r.app_version
                        .as_deref()
                        .is_some_and(|v| v.trim_start_matches('v') != i)
                });
                if stale {
                    let installed = installed.unwrap_or_default();
                    (
                        Severity::Warn,
                        msg!(
                            "doctor.probe_stale",
                            uin = a.uin,
                            version = version,
                            installed = installed
                        ),
                        Some(msg!("doctor.remedy_stale")),
                    )
                } else if online {
                    (
                        Severity::Ok,
                        msg!("doctor.probe_ok", uin = a.uin, version = version, ms = ms),
                        None,
                    )
                } else {
                    (
                        Severity::Warn,
                        msg!("doctor.probe_offline", uin = a.uin, version = version),
                        Some(msg!("doctor.remedy_offline")),
                    )
                }
            }
            Some(probe::ProbeError::Refused) => (
                Severity::Fail,
                msg!("doctor.probe_refused", uin = a.uin, port = a.port),
                Some(msg!("doctor.remedy_refused")),
            ),
            Some(probe::ProbeError::Unauthorized { status }) => (
                Severity::Fail,
                msg!("doctor.probe_auth", uin = a.uin, status = status),
                Some(msg!("doctor.remedy_auth")),
            ),
            Some(probe::ProbeError::Timeout) => (
                Severity::Fail,
                msg!("doctor.probe_timeout", uin = a.uin, port = a.port),
                Some(msg!("doctor.remedy_probe_timeout")),
            ),
            Some(probe::ProbeError::Http { status }) => (
                Severity::Fail,
                msg!("doctor.probe_http", uin = a.uin, status = status),
                Some(msg!("doctor.remedy_probe_other")),
            ),
            Some(probe::ProbeError::Malformed { detail }) => (
                Severity::Fail,
                msg!("doctor.probe_malformed", uin = a.uin, detail = detail),
                Some(msg!("doctor.remedy_probe_other")),
            ),
            Some(probe::ProbeError::Failed { retcode, message }) => (
                Severity::Fail,
                msg!(
                    "doctor.probe_failed",
                    uin = a.uin,
                    retcode = retcode,
                    message = message
                ),
                Some(msg!("doctor.remedy_probe_other")),
            ),
            Some(probe::ProbeError::Io { detail }) => (
                Severity::Fail,
                msg!("doctor.probe_io", uin = a.uin, detail = detail),
                Some(msg!("doctor.remedy_probe_other")),
            ),
        };
        f.push(finding(id, sev, message, remedy, data));
    }
}

fn severity_text(s: Severity) -> &'static str {
    match s {
        Severity::Ok => t("doctor.sev_ok"),
        Severity::Warn => t("doctor.sev_warn"),
        Severity::Fail => t("doctor.sev_fail"),
    }
}

pub fn render(r: &DoctorReport, out: &Output) -> String {
    let mut s = String::new();
    let w_sev = [Severity::Ok, Severity::Warn, Severity::Fail]
        .iter()
        .map(|x| width(severity_text(*x)))
        .max()
        .unwrap_or(4)
        + 2;
    let w_check = r
        .findings
        .iter()
        .map(|x| width(&x.check))
        .max()
        .unwrap_or(8)
        + 2;
    for x in &r.findings {
        let tone = match x.severity {
            Severity::Ok => Tone::Good,
            Severity::Warn => Tone::Warn,
            Severity::Fail => Tone::Bad,
        };
        let sev = out.paint(tone, &pad(severity_text(x.severity), w_sev));
        let _ = writeln!(s, "{sev}{}{}", pad(&x.check, w_check), x.message);
        if let Some(rem) = &x.remedy {
            let _ = writeln!(s, "{}→ {rem}", " ".repeat(w_sev + w_check));
        }
    }
    let warns = r
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Warn)
        .count();
    let fails = r
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Fail)
        .count();
    let summary = if r.ok {
        out.paint(Tone::Good, t("doctor.all_ok"))
    } else {
        out.paint(
            Tone::Bad,
            &crate::tf!("doctor.summary", warns = warns, fails = fails),
        )
    };
    let _ = writeln!(s, "\n{summary}");
    s
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

    #[test]
    fn config_fields() {
        // The parts of LLOneBot 3.28.3's default config (tests/samples) that are read.
        let v = json!({
            "enableLLOB": true,
            "ob11": {"httpPort": 3000, "httpHosts": [], "wsPort": 3001, "wsHosts": [],
                     "enableHttp": true, "enableHttpPost": true, "enableWs": true},
            "token": "", "log": false
        });
        let c = read_config(&v);
        assert_eq!(
            (c.http, c.http_port, c.ws, c.ws_port),
            (Some(true), Some(3000), Some(true), Some(3001))
        );
        assert_eq!(c.token.as_deref(), Some(""));
        assert_eq!(c.log, Some(false));
        assert!(c.host.is_none());
    }
}
