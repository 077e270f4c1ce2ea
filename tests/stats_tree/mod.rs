//! The sample logs and the runs both `stats` test binaries share: the log samples of each
//! LLOneBot log format (tests/samples/logs/), an AUR install holding exactly the chosen ones, and
//! the counts read back from `stats --json`.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Fixture, Os};
use serde_json::Value;

pub const V3_HTTP: &str = "llonebot-3.27.3-http.log";
pub const V3_WS: &str = "llonebot-3.28.3-ws.log";
pub const V4: &str = "llonebot-2024-11-3 10-00-00.log";
pub const V5: &str = "llbot-2025-1-5 10-00-00.log";
pub const V6: &str = "llbot-2025-6-1 09-00-00.log";
pub const DAMAGED: &str = "damaged.log";

pub fn log_sample(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples/logs")
        .join(name);
    fs::read(&p).unwrap_or_else(|e| panic!("sample {}: {e}", p.display()))
}

/// An AUR install whose `logs/` holds exactly these sample logs (the default excerpt removed).
pub fn with_logs(names: &[&str]) -> (Fixture, PathBuf) {
    let files: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (*n, log_sample(n))).collect();
    with_texts(&files)
}

/// An AUR install whose `logs/` holds exactly these files (name, content).
pub fn with_texts<T: AsRef<[u8]>>(files: &[(&str, T)]) -> (Fixture, PathBuf) {
    let f = Fixture::new(Os::Linux);
    let logs = f.linux_aur().join("logs");
    fs::remove_dir_all(&logs).expect("clear logs");
    fs::create_dir_all(&logs).expect("logs");
    for (n, text) in files {
        fs::write(logs.join(n), text).expect("write log");
    }
    (f, logs)
}

pub fn stats(f: &Fixture, args: &[&str]) -> Value {
    let mut all = vec!["stats"];
    all.extend_from_slice(args);
    let (code, v) = f.json(&all);
    assert_eq!(code, 0, "stats {args:?}: {v:#}");
    v
}

pub fn counts(v: &Value) -> (u64, u64, u64) {
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v:#}"));
    (n("sends"), n("timeouts"), n("errors"))
}

pub fn days(v: &Value) -> Vec<(String, u64, u64, u64)> {
    v["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| {
            (
                d["date"].as_str().expect("date").to_string(),
                d["sends"].as_u64().expect("sends"),
                d["timeouts"].as_u64().expect("timeouts"),
                d["errors"].as_u64().expect("errors"),
            )
        })
        .collect()
}
