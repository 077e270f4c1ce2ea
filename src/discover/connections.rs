//! The OneBot connections of an account's config (`ob11.connect[]`, LLOneBot 4.x+): which are
//! enabled, and which servers are open to anyone.

use serde::Serialize;

use super::Account;

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
