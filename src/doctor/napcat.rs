//! NapCat's checks: where it was found and its version, each `onebot11_<uin>.json` network
//! entry (servers open to the network without a token, ports used twice), the configured send
//! timeout, the size of `<QQ data>/NapCat/temp`, and logs older than NapCat's own pruning.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::config::{HTTP_OFF, Probeable};
use super::{Finding, Severity, finding};
use crate::clean::plan;
use crate::discover::{Capped, NapCat, read_capped};
use crate::msg;
use crate::output::human_size;
use crate::stack::napcat::{DATA_STACK, LOG_PRUNE_DAYS, ONEBOT_CONFIG};

/// The network lists of NapCat's OneBot config that listen on a port.
const SERVER_LISTS: &[&str] = &["httpServers", "httpSseServers", "websocketServers"];

pub(super) fn check_napcat(n: &NapCat, threshold: u64, f: &mut Vec<Finding>) {
    let how = crate::detect::source_text(n.source);
    f.push(finding(
        "discovery.napcat",
        Severity::Ok,
        msg!(
            "doctor.found",
            what = "NapCat",
            path = n.work_dir.display(),
            how = how
        ),
        None,
        json!({"dir": crate::output::path::opt_value(n.dir.as_ref()), "work_dir": crate::output::path::value(&n.work_dir), "source": n.source}),
    ));
    match &n.version {
        Some(v) => f.push(finding(
            "versions.napcat",
            Severity::Ok,
            msg!("doctor.napcat_version", version = v),
            None,
            json!({"installed": v, "from": n.version_file}),
        )),
        None => f.push(finding(
            "versions.napcat",
            Severity::Warn,
            msg!("doctor.version_unknown", name = "NapCat"),
            Some(msg!("doctor.remedy_napcat_version")),
            Value::Null,
        )),
    }
    check_configs(&n.work_dir, f);
    check_temp(n, threshold, f);
    check_old_logs(&n.work_dir, f);
}

/// One listening server of a config: its list, name, host, port and whether it has a token.
struct Server {
    uin: String,
    list: &'static str,
    name: String,
    host: String,
    port: Option<u64>,
    token: bool,
    /// The token itself (for the live probe only; never printed).
    secret: String,
}

fn servers(uin: &str, v: &Value) -> Vec<Server> {
    let net = v.get("network").unwrap_or(&Value::Null);
    let mut out = Vec::new();
    for list in SERVER_LISTS {
        for e in net
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if e.get("enable").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            out.push(Server {
                uin: uin.to_string(),
                list,
                name: text("name"),
                host: text("host"),
                port: e.get("port").and_then(Value::as_u64),
                token: !text("token").trim().is_empty(),
                secret: text("token"),
            });
        }
    }
    out
}

/// A host that listens on every interface.
fn is_open(host: &str) -> bool {
    matches!(host.trim(), "0.0.0.0" | "::" | "[::]" | "")
}

/// Each account's first enabled HTTP server (`httpServers`), for the live probe: asked on
/// 127.0.0.1 at its port with its token, as for LLOneBot.
pub(super) fn probeable(work_dir: &Path) -> Vec<Probeable> {
    let mut out = Vec::new();
    for (uin, path) in config_files(work_dir) {
        let Ok(bytes) = read_capped(&path) else {
            continue;
        };
        let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
            continue;
        };
        let http = servers(&uin, &v)
            .into_iter()
            .filter(|s| s.list == "httpServers")
            .find_map(|s| Some((u16::try_from(s.port?).ok()?, s.secret)));
        let (port, token) = http.unwrap_or((HTTP_OFF, String::new()));
        out.push(Probeable { uin, port, token });
    }
    out
}

/// `config/onebot11_<uin>.json` of each account, by uin.
fn config_files(work_dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut files: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(work_dir.join("config"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            ONEBOT_CONFIG.matches(&name).then(|| {
                let uin = name
                    .strip_prefix("onebot11_")
                    .and_then(|n| n.strip_suffix(".json"))
                    .unwrap_or_default()
                    .to_string();
                (uin, e.path())
            })
        })
        .collect();
    files.sort();
    files
}

fn check_configs(work_dir: &Path, f: &mut Vec<Finding>) {
    let files = config_files(work_dir);
    let mut ports: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for (uin, path) in files {
        let id = format!("napcat.config.{uin}");
        // Capped: a huge file is said to be too large, never read whole.
        let parsed = match read_capped(&path) {
            Ok(b) => Ok(b),
            Err(Capped::TooLarge(bytes)) => Err(crate::tf!("warn.too_large", bytes = bytes)),
            Err(Capped::Io(e)) => Err(crate::i18n::os_error(&e)),
            Err(Capped::Absent) => Err(crate::i18n::t("os.not_found").to_string()),
            Err(e @ Capped::NotRegular(_)) => Err(e.words()),
        }
        .and_then(|b| serde_json::from_slice::<Value>(&b).map_err(|e| e.to_string()));
        let v = match parsed {
            Ok(v) if v.is_object() => v,
            Ok(_) => Value::Null,
            Err(e) => {
                f.push(finding(
                    &id,
                    Severity::Fail,
                    msg!("doctor.config_bad", path = path.display(), error = e),
                    Some(msg!("doctor.remedy_napcat_config_bad")),
                    Value::Null,
                ));
                continue;
            }
        };
        let list = servers(&uin, &v);
        let open: Vec<String> = list
            .iter()
            .filter(|s| is_open(&s.host) && !s.token)
            .map(|s| format!("{} {} :{}", s.list, s.name, s.port.unwrap_or(0)))
            .collect();
        for s in &list {
            if let Some(p) = s.port {
                ports
                    .entry(p)
                    .or_default()
                    .push(format!("{} {}/{}", s.uin, s.list, s.name));
            }
        }
        let data = json!({"path": crate::output::path::value(&path), "servers": list.len(), "open_without_token": open});
        if open.is_empty() {
            f.push(finding(
                &id,
                Severity::Ok,
                msg!("doctor.napcat_config_ok", uin = uin, n = list.len()),
                None,
                data,
            ));
        } else {
            f.push(finding(
                &id,
                Severity::Warn,
                msg!("doctor.napcat_open", uin = uin, list = open.join(", ")),
                Some(msg!("doctor.remedy_napcat_open", path = path.display())),
                data,
            ));
        }
        check_timeout(&uin, &v, f);
    }
    let twice: Vec<String> = ports
        .iter()
        .filter(|(_, users)| users.len() > 1)
        .map(|(p, users)| format!("{p} ({})", users.join(", ")))
        .collect();
    if !twice.is_empty() {
        f.push(finding(
            "napcat.ports",
            Severity::Warn,
            msg!("doctor.napcat_ports_twice", list = twice.join("; ")),
            Some(msg!("doctor.remedy_napcat_ports")),
            json!({"ports": twice}),
        ));
    }
}

/// `timeout.*` (NapCat since 2026-03): the base wait and how it grows with the size sent.
fn check_timeout(uin: &str, v: &Value, f: &mut Vec<Finding>) {
    let Some(t) = v.get("timeout").filter(|t| t.is_object()) else {
        return;
    };
    let num = |k: &str| t.get(k).and_then(Value::as_f64);
    let (Some(base), upload) = (num("baseTimeout"), num("uploadSpeedKBps")) else {
        return;
    };
    let max = num("maxTimeout");
    f.push(finding(
        format!("napcat.timeout.{uin}"),
        Severity::Ok,
        msg!(
            "doctor.napcat_timeout",
            uin = uin,
            base = format!("{:.1} s", base / 1000.0),
            speed = upload.map_or("-".into(), |s| format!("{s} KB/s")),
            max = max.map_or("-".into(), |m| format!("{:.0} s", m / 1000.0))
        ),
        None,
        json!({"baseTimeout": base, "uploadSpeedKBps": upload, "maxTimeout": max}),
    ));
}

fn check_temp(n: &NapCat, threshold: u64, f: &mut Vec<Finding>) {
    let Some(root) = &n.data_root else {
        return;
    };
    let p = plan::scan_stack(&DATA_STACK, root, &plan::Options::default(), |_| {});
    let (bytes, files) = p
        .targets
        .iter()
        .fold((0, 0), |(b, n), t| (b + t.bytes(), n + t.files()));
    let data = json!({"path": crate::output::path::value(root.join("temp")), "bytes": bytes, "files": files, "threshold": threshold});
    if bytes > threshold {
        f.push(finding(
            "napcat.temp",
            Severity::Warn,
            msg!(
                "doctor.napcat_temp_big",
                path = root.join("temp").display(),
                size = human_size(bytes),
                files = files,
                limit = human_size(threshold)
            ),
            Some(msg!("doctor.remedy_clean")),
            data,
        ));
    } else {
        f.push(finding(
            "napcat.temp",
            Severity::Ok,
            msg!(
                "doctor.napcat_temp_ok",
                path = root.join("temp").display(),
                size = human_size(bytes),
                files = files
            ),
            None,
            data,
        ));
    }
}

/// NapCat deletes its logs older than 7 days when it starts: older ones mean this NapCat has
/// not started for a week, or another one writes elsewhere.
fn check_old_logs(work_dir: &Path, f: &mut Vec<Finding>) {
    let Some(limit) =
        SystemTime::now().checked_sub(Duration::from_secs(LOG_PRUNE_DAYS * 24 * 3600))
    else {
        return;
    };
    let old = std::fs::read_dir(work_dir.join("logs"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(crate::stack::is_log_name)
        })
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < limit)
        })
        .count();
    if old > 0 {
        f.push(finding(
            "napcat.logs",
            Severity::Ok,
            msg!("doctor.napcat_old_logs", n = old, days = LOG_PRUNE_DAYS),
            Some(msg!("doctor.remedy_napcat_old_logs")),
            json!({"older_than_days": LOG_PRUNE_DAYS, "files": old}),
        ));
    }
}
