//! LLBot / standalone LLOneBot trees for the LLBot tests: its data dir as LLBot 8 leaves it,
//! the files no clean may touch, the program beside its `package.json`, the 2026 CLI's layout,
//! and readers for `detect`'s bots and `doctor`'s findings.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crate::common::{Fixture, native, sample};
use serde_json::Value;

/// A data dir as LLBot 8 leaves it: a 4.x+ config, the device identity, the session, tokens,
/// a v3 store, logs of each name family, temp files, and a file nobody knows.
pub fn llbot_data(f: &Fixture, data: &Path, uin: &str) {
    let config = serde_json::json!({
        "ob11": {"enable": true, "connect": [
            {"type": "ws", "enable": true, "port": 3001, "host": "127.0.0.1", "token": ""},
            {"type": "http", "enable": false, "port": 3000, "host": "", "token": ""}
        ]},
        "webui": {"enable": true, "port": 3080},
        "log": true
    });
    f.write(&data.join(format!("config_{uin}.json")), config.to_string());
    for keep in never_cleaned(uin) {
        f.write(&data.join(keep), b"keep me");
    }
    f.write(
        &data.join(native(&format!("database/{uin}.v3.db"))),
        "SQLite format 3\0",
    );
    f.write(
        &data.join(native(&format!("database/{uin}.v3.db-wal"))),
        "wal",
    );
    f.write(&data.join(native("temp/upload-1.jpg")), vec![3u8; 5000]);
    f.write(&data.join(native("temp/conv/a.silk")), vec![4u8; 700]);
    for log in [
        "llonebot-2025-6-1 09-00-00.log",
        "lltwobot-2025-9-1 09-00-00.log",
        "llbot-2026-7-1 09-00-00.log",
    ] {
        f.write(
            &data.join("logs").join(log),
            sample("llonebot-log-excerpt-3.27.3.txt"),
        );
    }
}

/// What must survive any clean (DOMAIN: "Never clean"), plus a file the tool does not know.
pub fn never_cleaned(uin: &str) -> Vec<String> {
    vec![
        "machine_guid.bin".into(),
        format!("qq-session-{uin}.json"),
        "auth_token.txt".into(),
        "webui_token.txt".into(),
        "email_config.json".into(),
        "default_config.json".into(),
        "notes-from-the-user.txt".into(),
        native("logs/something-else.log").display().to_string(),
    ]
}

/// The program beside its `package.json`, as the zip and the CLI ship it.
pub fn program(f: &Fixture, dir: &Path, script: &str, name: &str, version: &str) {
    f.write(&dir.join(script), "// llbot\n");
    let pkg =
        serde_json::json!({"name": name, "version": version, "type": "module", "main": script});
    f.write(&dir.join("package.json"), pkg.to_string());
}

/// The 2026 CLI on Linux: `llbot`, `bin/llbot/{llbot.js,package.json,data}`, `bin/pmhq/pmhq`.
pub fn linux_cli(f: &Fixture) -> (PathBuf, PathBuf) {
    let install = f.p("/opt/llbot");
    f.write(&install.join("llbot"), b"\x7fELF");
    f.write(&install.join(native("bin/pmhq/pmhq")), b"\x7fELF");
    program(
        f,
        &install.join(native("bin/llbot")),
        "llbot.js",
        "llonebot-dist",
        "8.1.7",
    );
    let data = install.join(native("bin/llbot/data"));
    llbot_data(f, &data, "70007");
    (install, data)
}

pub fn bots(v: &Value) -> Vec<Value> {
    v["bots"].as_array().cloned().unwrap_or_default()
}

pub fn the_llbot(v: &Value) -> Value {
    bots(v)
        .into_iter()
        .find(|b| b["stack"] == "llbot")
        .unwrap_or_else(|| panic!("no LLBot in {v:#}"))
}

/// The doctor's finding with this id (null when absent).
pub fn finding(v: &Value, id: &str) -> Value {
    v["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["check"] == id))
        .cloned()
        .unwrap_or(Value::Null)
}
