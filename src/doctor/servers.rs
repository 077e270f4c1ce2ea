//! The OneBot servers an account's `config_<uin>.json` opens, in either schema LLOneBot wrote:
//! up to 3.x the flat `ob11.enableHttp` / `httpPort` / `enableWs` / `wsPort` with one `token`;
//! from 4.x (the plugin's last versions and every LLBot) the `ob11.connect[]` list, read by
//! discovery's `enabled_connections`, the reader behind `detect --json`'s `connections`.
//! Each schema says on its own whether an API is open to the network without a token, and
//! hands the checks every account shares (ports, the live probe) the same facts.

use std::path::Path;

use serde_json::{Value, json};

use super::{Finding, Severity, finding};
use crate::discover::{Connection, enabled_connections};
use crate::msg;

/// One account's config file, parsed.
pub(super) struct ConfigFile<'a> {
    /// The id of its findings: `config.<uin>`.
    pub(super) id: &'a str,
    pub(super) uin: &'a str,
    pub(super) path: &'a Path,
    pub(super) v: &'a Value,
}

/// What the shared checks need of an account's servers.
pub(super) struct Opened {
    /// Each enabled server with its port, and what it is (`HTTP`, `WS`).
    pub(super) ports: Vec<(u16, String)>,
    /// The HTTP API the probe asks: its port and token.
    pub(super) http: Option<(u16, String)>,
    /// What was read, for the findings' data.
    pub(super) data: Value,
}

/// The two layouts of `ob11`, told apart by the file itself (a 4.9.4 plugin may still hold a
/// 3.x file it never rewrote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    /// Up to 3.x: `enableHttp`, `httpPort`, `enableWs`, `wsPort`, one `token`.
    Flat,
    /// From 4.x: `ob11.enable` and the `ob11.connect[]` list.
    Connect,
}

impl Schema {
    fn of(v: &Value) -> Schema {
        if v.pointer("/ob11/connect").is_some_and(Value::is_array) {
            Schema::Connect
        } else {
            Schema::Flat
        }
    }

    /// How `--json` names it.
    fn name(self) -> &'static str {
        match self {
            Schema::Flat => "3.x",
            Schema::Connect => "4.x+",
        }
    }
}

/// The connection types of `ob11.connect[]` that listen on a port (`ws-reverse` and
/// `http-post` connect out to a URL instead).
const SERVER_TYPES: &[&str] = &["ws", "http"];

/// Reads the account's servers in its file's schema, with that schema's findings.
pub(super) fn read(file: &ConfigFile, f: &mut Vec<Finding>) -> Opened {
    let schema = Schema::of(file.v);
    let mut opened = match schema {
        Schema::Flat => flat(file, f),
        Schema::Connect => connect(file, f),
    };
    opened.data["schema"] = json!(schema.name());
    opened
}

// ---- 3.x -----------------------------------------------------------------------------------

/// The parts of a 3.x `config_<uin>.json` read here; absent fields stay `None`.
#[derive(Debug, Clone, Default)]
struct FlatConfig {
    http: Option<bool>,
    http_port: Option<u16>,
    ws: Option<bool>,
    ws_port: Option<u16>,
    token: Option<String>,
    /// A listening host, when the config names one; `None`: all interfaces.
    host: Option<String>,
}

fn read_flat(v: &Value) -> FlatConfig {
    let ob = v.get("ob11").unwrap_or(&Value::Null);
    let port = |x: Option<&Value>| {
        x.and_then(Value::as_u64)
            .and_then(|p| u16::try_from(p).ok())
    };
    let text = |x: Option<&Value>| x.and_then(Value::as_str).map(String::from);
    FlatConfig {
        http: ob.get("enableHttp").and_then(Value::as_bool),
        http_port: port(ob.get("httpPort")),
        ws: ob.get("enableWs").and_then(Value::as_bool),
        ws_port: port(ob.get("wsPort")),
        token: text(v.get("token")).or_else(|| text(ob.get("token"))),
        host: text(ob.get("host"))
            .or_else(|| text(ob.get("httpHost")))
            .or_else(|| text(v.get("host"))),
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host.trim(), "127.0.0.1" | "localhost" | "::1" | "[::1]")
}

fn flat(file: &ConfigFile, f: &mut Vec<Finding>) -> Opened {
    let c = read_flat(file.v);
    check_ports_are_numbers(file, &c, f);
    let http_on = c.http.unwrap_or(false);
    let ws_on = c.ws.unwrap_or(false);
    let http_port = c.http_port.filter(|_| http_on);
    let ws_port = c.ws_port.filter(|_| ws_on);
    let ports = [(http_port, "HTTP"), (ws_port, "WS")]
        .into_iter()
        .filter_map(|(p, what)| Some((p?, what.to_string())))
        .collect();
    let token = c.token.clone().unwrap_or_default();
    let open = c.host.as_deref().is_none_or(|h| !is_loopback(h));
    let data = json!({"path": crate::output::path::value(file.path), "http": http_on, "http_port": c.http_port, "ws": ws_on, "ws_port": c.ws_port, "token_set": !token.is_empty()});
    if (http_on || ws_on) && open && token.trim().is_empty() {
        f.push(finding(
            format!("{}.security", file.id),
            Severity::Warn,
            msg!("doctor.no_token", uin = file.uin),
            Some(msg!("doctor.remedy_token", path = file.path.display())),
            data.clone(),
        ));
    }
    Opened {
        ports,
        http: http_port.map(|p| (p, token)),
        data,
    }
}

/// `"httpPort": "abc"` is no port: LLOneBot cannot listen on it, so it is a failure, not a
/// value read as absent.
fn check_ports_are_numbers(file: &ConfigFile, c: &FlatConfig, f: &mut Vec<Finding>) {
    let ob = file.v.get("ob11").unwrap_or(&Value::Null);
    for (key, got) in [("httpPort", c.http_port), ("wsPort", c.ws_port)] {
        if let Some(raw) = ob.get(key).filter(|r| got.is_none() && !r.is_null()) {
            f.push(finding(
                file.id,
                Severity::Fail,
                msg!(
                    "doctor.bad_port",
                    path = file.path.display(),
                    key = key,
                    value = raw
                ),
                Some(msg!("doctor.remedy_bad_port")),
                Value::Null,
            ));
        }
    }
}

// ---- 4.x and later -------------------------------------------------------------------------

/// `ob11.connect[]`: the enabled connections, and those listening on every interface without
/// a token. With `ob11.enable` false none of them runs (LLOneBot starts them only when it is on).
fn connect(file: &ConfigFile, f: &mut Vec<Finding>) -> Opened {
    let on = file.v.pointer("/ob11/enable").and_then(Value::as_bool) != Some(false);
    let list = if on {
        enabled_connections(file.v)
    } else {
        Vec::new()
    };
    let servers: Vec<(u16, &Connection)> = list
        .iter()
        .filter(|c| SERVER_TYPES.contains(&c.kind.as_str()))
        .filter_map(|c| Some((u16::try_from(c.port?).ok()?, c)))
        .collect();
    let enabled: Vec<String> = list.iter().map(Connection::short).collect();
    let open: Vec<String> = list
        .iter()
        .filter(|c| c.open_without_token())
        .map(Connection::short)
        .collect();
    let webui = file.v.pointer("/webui/port").and_then(Value::as_u64);
    let data = json!({"path": crate::output::path::value(file.path), "ob11": on, "enabled": enabled, "open_without_token": open, "webui_port": webui});
    f.push(connections_finding(file, on, &enabled, &open, data.clone()));
    let http = servers
        .iter()
        .find(|(_, c)| c.kind == "http")
        .map(|&(p, _)| (p, http_token(file.v, p)));
    Opened {
        ports: servers
            .iter()
            .map(|(p, c)| (*p, c.kind.to_uppercase()))
            .collect(),
        http,
        data,
    }
}

fn connections_finding(
    file: &ConfigFile,
    on: bool,
    enabled: &[String],
    open: &[String],
    data: Value,
) -> Finding {
    let id = format!("{}.connections", file.id);
    if !on {
        return finding(
            id,
            Severity::Ok,
            msg!("doctor.ob11_off", uin = file.uin),
            None,
            data,
        );
    }
    if open.is_empty() {
        let list = if enabled.is_empty() {
            "-".to_string()
        } else {
            enabled.join(", ")
        };
        return finding(
            id,
            Severity::Ok,
            msg!("doctor.connections", uin = file.uin, list = list),
            None,
            data,
        );
    }
    finding(
        id,
        Severity::Warn,
        msg!(
            "doctor.connections_open",
            uin = file.uin,
            list = open.join(", ")
        ),
        Some(msg!(
            "doctor.remedy_connections_open",
            path = file.path.display()
        )),
        data,
    )
}

/// The token of the enabled `http` entry on `port`, for the probe to send (discovery's
/// [`Connection`] keeps only whether one is set, so `detect --json` never prints it).
fn http_token(v: &Value, port: u16) -> String {
    v.pointer("/ob11/connect")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "http" && c["enable"] == true && c["port"] == port)
        .and_then(|c| c.get("token"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_quietly(v: &Value) -> (Opened, Vec<Finding>) {
        let mut f = Vec::new();
        let file = ConfigFile {
            id: "config.1",
            uin: "1",
            path: Path::new("config_1.json"),
            v,
        };
        (read(&file, &mut f), f)
    }

    #[test]
    fn flat_fields() {
        // The parts of LLOneBot 3.28.3's default config (tests/samples) that are read.
        let v = json!({
            "enableLLOB": true,
            "ob11": {"httpPort": 3000, "httpHosts": [], "wsPort": 3001, "wsHosts": [],
                     "enableHttp": true, "enableHttpPost": true, "enableWs": true},
            "token": "", "log": false
        });
        let c = read_flat(&v);
        assert_eq!(
            (c.http, c.http_port, c.ws, c.ws_port),
            (Some(true), Some(3000), Some(true), Some(3001))
        );
        assert_eq!(c.token.as_deref(), Some(""));
        assert!(c.host.is_none());
        let (o, f) = read_quietly(&v);
        assert_eq!(o.data["schema"], "3.x");
        assert_eq!(o.ports, [(3000, "HTTP".into()), (3001, "WS".into())]);
        assert_eq!(o.http, Some((3000, String::new())));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].check, "config.1.security");
    }

    #[test]
    fn connect_list() {
        // A 4.x list: a WS server open to all, an HTTP server with a token on loopback, a
        // reverse WS (no port of its own), a disabled HTTP server.
        let v = json!({"ob11": {"enable": true, "connect": [
            {"type": "ws", "enable": true, "port": 3001, "host": "", "token": ""},
            {"type": "http", "enable": true, "port": 3000, "host": "127.0.0.1", "token": "t0k"},
            {"type": "ws-reverse", "enable": true, "url": "ws://127.0.0.1:8080", "token": ""},
            {"type": "http", "enable": false, "port": 3005, "token": ""}
        ]}});
        let (o, f) = read_quietly(&v);
        assert_eq!(o.data["schema"], "4.x+");
        assert_eq!(o.ports, [(3001, "WS".into()), (3000, "HTTP".into())]);
        assert_eq!(o.http, Some((3000, "t0k".into())));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].check, "config.1.connections");
        assert_eq!(f[0].severity, Severity::Warn);
        assert_eq!(f[0].data["open_without_token"], json!(["ws:3001"]));
        // OneBot 11 off: nothing listens, nothing to probe.
        let mut off = v.clone();
        off["ob11"]["enable"] = json!(false);
        let (o, f) = read_quietly(&off);
        assert!(o.ports.is_empty() && o.http.is_none());
        assert_eq!(f[0].severity, Severity::Ok);
    }
}
