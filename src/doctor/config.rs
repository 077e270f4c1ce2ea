//! Each account's `config_<uin>.json`: that it parses, ports used twice or taken, an API open
//! to the network without a token, logging off. Returns the accounts the live probe can ask.

use std::collections::BTreeMap;
use std::path::Path;

use crate::discover::Installation;
use crate::msg;
use serde_json::{Value, json};

use super::{Finding, Severity, finding};

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

pub(super) struct Probeable {
    pub(super) uin: String,
    /// [`HTTP_OFF`]: the account's HTTP API is off (or has no port): not asked, but said.
    pub(super) port: u16,
    pub(super) token: String,
}

pub(super) const HTTP_OFF: u16 = 0;

/// No account configured: nothing else the doctor checks can be about a bot.
pub(super) fn check_some_account(inst: &Installation, f: &mut Vec<Finding>) {
    let configured = inst
        .llonebot
        .as_ref()
        .is_some_and(|lb| lb.accounts.iter().any(|a| a.config.is_some()));
    if !configured {
        f.push(finding(
            "config",
            Severity::Warn,
            msg!("doctor.no_accounts"),
            Some(msg!("doctor.remedy_no_accounts")),
            Value::Null,
        ));
    }
}

/// `"httpPort": "abc"` is no port: LLOneBot cannot listen on it, so it is a failure, not a
/// value read as absent.
fn check_ports_are_numbers(
    id: &str,
    path: &Path,
    v: &Value,
    c: &AccountConfig,
    f: &mut Vec<Finding>,
) {
    let ob = v.get("ob11").unwrap_or(&Value::Null);
    for (key, got) in [("httpPort", c.http_port), ("wsPort", c.ws_port)] {
        if let Some(raw) = ob.get(key).filter(|r| got.is_none() && !r.is_null()) {
            f.push(finding(
                id,
                Severity::Fail,
                msg!(
                    "doctor.bad_port",
                    path = path.display(),
                    key = key,
                    value = raw
                ),
                Some(msg!("doctor.remedy_bad_port")),
                Value::Null,
            ));
        }
    }
}

pub(super) fn check_configs(
    inst: &Installation,
    data: &Path,
    f: &mut Vec<Finding>,
) -> Vec<Probeable> {
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
        check_ports_are_numbers(&id, path, &v, &c, f);
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
        let data = json!({"path": crate::output::path::value(path), "http": http_on, "http_port": c.http_port, "ws": ws_on, "ws_port": c.ws_port, "token_set": !token.is_empty(), "log": c.log});
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
        probeable.push(Probeable {
            uin: a.uin.clone(),
            port: c.http_port.filter(|_| http_on).unwrap_or(HTTP_OFF),
            token,
        });
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

#[cfg(test)]
mod tests {
    use super::*;

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
