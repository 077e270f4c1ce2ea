//! Each account's `config_<uin>.json` in the LLOneBot / LLBot data dir in use: that it parses,
//! the servers it opens (`servers.rs`, in either schema), ports used twice or taken, logging
//! off. Returns the accounts the live probe can ask.

use std::collections::BTreeMap;
use std::path::Path;

use crate::discover::{Account, Capped, Installation, read_capped};
use crate::msg;
use crate::output::human_size;
use crate::stack::{Own, Stack};
use serde_json::{Value, json};

use super::servers::{self, ConfigFile};
use super::{Finding, Severity, finding};

pub(super) struct Probeable {
    pub(super) uin: String,
    /// [`HTTP_OFF`]: the account's HTTP API is off (or has no port): not asked, but said.
    pub(super) port: u16,
    pub(super) token: String,
}

pub(super) const HTTP_OFF: u16 = 0;

/// The accounts of the data dir in use, as [`Installation::data_dir`] picks it: the plugin's
/// (or `--data-dir`'s), else LLBot's.
fn accounts(inst: &Installation) -> &[Account] {
    match &inst.llonebot {
        Some(l) if l.data_dir_exists => &l.accounts,
        _ => inst.llbot().map_or(&[], |b| b.accounts.as_slice()),
    }
}

/// No account configured: nothing else the doctor checks can be about a bot.
pub(super) fn check_some_account(inst: &Installation, f: &mut Vec<Finding>) {
    if !accounts(inst).iter().any(|a| a.config.is_some()) {
        f.push(finding(
            "config",
            Severity::Warn,
            msg!("doctor.no_accounts"),
            Some(msg!("doctor.remedy_no_accounts")),
            Value::Null,
        ));
    }
}

/// The config as a JSON object, or a failure saying why it is not one. A file too large to be a
/// config is not read: said here, unless discovery's warning (`discovery.files`) already says it.
fn parse(id: &str, path: &Path, inst: &Installation, f: &mut Vec<Finding>) -> Option<Value> {
    let bytes = match read_capped(path) {
        Ok(b) => Ok(b),
        Err(Capped::TooLarge(bytes)) => {
            if !inst.warnings.iter().any(|w| w.path == path) {
                f.push(finding(
                    id,
                    Severity::Warn,
                    msg!(
                        "doctor.config_too_large",
                        path = path.display(),
                        size = human_size(bytes)
                    ),
                    Some(msg!("doctor.remedy_config_too_large")),
                    json!({"path": crate::output::path::value(path), "bytes": bytes}),
                ));
            }
            return None;
        }
        Err(Capped::Io(e)) => Err(crate::i18n::os_error(&e)),
        Err(Capped::Absent) => Err(crate::i18n::t("os.not_found").to_string()),
        Err(e @ Capped::NotRegular(_)) => Err(e.words()),
    };
    let parsed = bytes.and_then(|b| serde_json::from_slice::<Value>(&b).map_err(|e| e.to_string()));
    let error = match parsed {
        Ok(v) if v.is_object() => return Some(v),
        Ok(_) => "not a JSON object".to_string(),
        Err(e) => e,
    };
    f.push(finding(
        id,
        Severity::Fail,
        msg!("doctor.config_bad", path = path.display(), error = error),
        Some(msg!("doctor.remedy_config_bad")),
        Value::Null,
    ));
    None
}

pub(super) fn check_configs(inst: &Installation, f: &mut Vec<Finding>) -> Vec<Probeable> {
    let mut probeable = Vec::new();
    let mut ports: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for a in accounts(inst) {
        let Some(path) = &a.config else { continue };
        let id = format!("config.{}", a.uin);
        let Some(v) = parse(&id, path, inst, f) else {
            continue;
        };
        let file = ConfigFile {
            id: &id,
            uin: &a.uin,
            path,
            v: &v,
        };
        let opened = servers::read(&file, f);
        for (p, what) in &opened.ports {
            ports
                .entry(*p)
                .or_default()
                .push(format!("{} {what}", a.uin));
        }
        let log = v.get("log").and_then(Value::as_bool);
        let mut data = opened.data;
        data["log"] = json!(log);
        if log == Some(false) {
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
        let (port, token) = opened.http.unwrap_or((HTTP_OFF, String::new()));
        probeable.push(Probeable {
            uin: a.uin.clone(),
            port,
            token,
        });
    }
    check_ports_twice(&ports, f);
    check_ports_taken(inst, &ports, f);
    probeable
}

fn check_ports_twice(ports: &BTreeMap<u16, Vec<String>>, f: &mut Vec<Finding>) {
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
}

/// What holds the bot's ports while it runs: QQ for a plugin inside it, else the stack's own
/// programs (LLBot's launcher and node).
fn port_holder(stack: &Stack) -> &'static str {
    match stack.processes.own {
        Own::QqOfInstall => "QQ",
        Own::Programs(_) => stack.name,
    }
}

/// With the bot stopped, nothing of its own holds these ports: anything that does is another
/// program.
fn check_ports_taken(
    inst: &Installation,
    ports: &BTreeMap<u16, Vec<String>>,
    f: &mut Vec<Finding>,
) {
    let running = inst.main_instance().is_some_and(|i| i.is_running());
    if running {
        return;
    }
    let taken: Vec<u16> = ports
        .keys()
        .copied()
        .filter(|p| std::net::TcpListener::bind(("0.0.0.0", *p)).is_err())
        .collect();
    if taken.is_empty() {
        return;
    }
    let list = taken
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    f.push(finding(
        "config.ports_in_use",
        Severity::Warn,
        msg!(
            "doctor.ports_taken",
            holder = port_holder(inst.stack()),
            list = list
        ),
        Some(msg!("doctor.remedy_ports_taken")),
        json!(taken),
    ));
}
