//! `detect --json`'s `bots`: one entry per bot stack found, in one shape for every stack (the
//! LLOneBot plugin, LLBot, NapCat), so a script reads them alike.

use std::path::PathBuf;

use serde::Serialize;

use super::{Account, LlOneBot, NapCat, Source};
use crate::i18n::Msg;
use crate::process::QqProcess;

/// How an LLBot runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// PMHQ starts QQ and the bot drives it.
    Pmhq,
    /// A protocol client: no QQ process at all (LLBot 8 default).
    Headless,
}

#[derive(Debug, Clone, Serialize)]
pub struct BotProcess {
    pub pid: u32,
    /// The process to stop and start again (the others follow it).
    pub main: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::stack::Role>,
    pub name: String,
}

/// One bot stack found, whatever its kind: `detect --json`'s `bots` list.
#[derive(Debug, Clone, Serialize)]
pub struct Bot {
    /// `llonebot` for every LLOneBot/LLBot version, plugin or standalone.
    pub kind: &'static str,
    /// The stack description it was found by (`llonebot_plugin`, `llbot`).
    pub stack: &'static str,
    pub version: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::output::path::opt"
    )]
    pub version_file: Option<PathBuf>,
    /// Why the version may be off (a stale package.json).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_note: Option<Msg>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::output::path::opt"
    )]
    pub install: Option<PathBuf>,
    #[serde(serialize_with = "crate::output::path::one")]
    pub data_dir: PathBuf,
    pub data_dir_exists: bool,
    /// Its temp folder, when it exists (NapCat keeps it apart from its work dir).
    #[serde(serialize_with = "crate::output::path::opt")]
    pub temp_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    pub accounts: Vec<Account>,
    /// Each account's enabled OneBot connections (LLOneBot 4.x+ configs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<AccountConnections>,
    pub processes: Vec<BotProcess>,
    /// The stack's own processes, to stop and restart (never printed: environments hold secrets).
    #[serde(skip)]
    pub running: Vec<QqProcess>,
    pub found_via: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_via_detail: Option<String>,
}

/// The plugin as one of the bots: it runs inside QQ, so QQ's processes are its own.
pub(super) fn plugin_bot(l: &LlOneBot, processes: &[QqProcess]) -> Bot {
    let own: Vec<&QqProcess> = processes
        .iter()
        .filter(|p| p.verified != Some(false))
        .collect();
    Bot {
        kind: crate::stack::llonebot_plugin::STACK.bot,
        stack: crate::stack::llonebot_plugin::STACK.id,
        version: l.version.clone(),
        version_file: l
            .plugin_dir
            .as_ref()
            .map(|d| d.join(crate::stack::llonebot_plugin::STACK.version.file)),
        version_note: None,
        install: l.plugin_dir.clone(),
        data_dir: l.data_dir.clone(),
        data_dir_exists: l.data_dir_exists,
        temp_dir: Some(l.data_dir.join("temp")).filter(|t| t.is_dir()),
        mode: None,
        accounts: l.accounts.clone(),
        connections: account_connections(&l.accounts),
        processes: own
            .iter()
            .map(|p| BotProcess {
                pid: p.pid,
                main: p.main,
                role: None,
                name: p.name.clone(),
            })
            .collect(),
        running: Vec::new(),
        found_via: l.source,
        found_via_detail: None,
    }
}

/// NapCat as a `bots` entry: it runs inside QQ, so QQ's processes are its own.
pub(super) fn napcat_bot(n: &NapCat, processes: &[QqProcess]) -> Bot {
    let config = |uin: &str| {
        Some(
            n.work_dir
                .join("config")
                .join(format!("onebot11_{uin}.json")),
        )
        .filter(|p| p.is_file())
    };
    Bot {
        kind: crate::stack::napcat::STACK.bot,
        stack: crate::stack::napcat::STACK.id,
        version: n.version.clone(),
        version_file: n.version_file.clone(),
        version_note: None,
        install: n.dir.clone(),
        data_dir: n.work_dir.clone(),
        data_dir_exists: n.work_dir.is_dir(),
        temp_dir: n.temp_dir.clone(),
        mode: None,
        accounts: n
            .accounts
            .iter()
            .map(|uin| Account {
                uin: uin.clone(),
                config: config(uin),
                msg_db: None,
                database: None,
                database_files: Vec::new(),
            })
            .collect(),
        connections: Vec::new(),
        processes: processes
            .iter()
            .filter(|p| p.verified != Some(false))
            .map(|p| BotProcess {
                pid: p.pid,
                main: p.main,
                role: None,
                name: p.name.clone(),
            })
            .collect(),
        running: Vec::new(),
        found_via: n.source,
        found_via_detail: n.source_detail.clone(),
    }
}

/// One enabled OneBot connection of an account's config (`ob11.connect[]`, LLOneBot 4.x+).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Connection {
    /// `ws`, `ws-reverse`, `http`, `http-post`.
    #[serde(rename = "type")]
    pub kind: String,
    pub port: Option<u64>,
    /// Where a server listens; empty: every interface.
    pub host: String,
    pub token_set: bool,
}

impl Connection {
    /// A server (`ws`, `http`) on every interface without a token: anyone on the network may
    /// drive the bot.
    pub fn open_without_token(&self) -> bool {
        matches!(self.kind.as_str(), "ws" | "http")
            && matches!(self.host.trim(), "" | "0.0.0.0" | "::" | "[::]")
            && !self.token_set
    }

    /// `ws:3001`, or the type alone when there is no port.
    pub fn short(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.kind),
            None => self.kind.clone(),
        }
    }
}

/// The enabled connections of a parsed `config_<uin>.json` (none for the 3.x schema).
pub fn enabled_connections(config: &serde_json::Value) -> Vec<Connection> {
    use serde_json::Value;
    let Some(list) = config
        .get("ob11")
        .and_then(|o| o.get("connect"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let text = |c: &Value, k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    list.iter()
        .filter(|c| c.get("enable").and_then(Value::as_bool) == Some(true))
        .map(|c| Connection {
            kind: text(c, "type"),
            port: c.get("port").and_then(Value::as_u64),
            host: text(c, "host"),
            token_set: !text(c, "token").trim().is_empty(),
        })
        .collect()
}

/// Each account's enabled connections, read from its config (accounts without one are left out).
pub fn account_connections(accounts: &[Account]) -> Vec<AccountConnections> {
    accounts
        .iter()
        .filter_map(|a| {
            let v = a
                .config
                .as_ref()
                // Capped: an oversized config is not parsed (`doctor` says it is too large).
                .and_then(|p| super::read_capped(p).ok())
                .and_then(|t| serde_json::from_slice::<serde_json::Value>(&t).ok())?;
            Some(AccountConnections {
                uin: a.uin.clone(),
                connections: enabled_connections(&v),
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountConnections {
    pub uin: String,
    pub connections: Vec<Connection>,
}
