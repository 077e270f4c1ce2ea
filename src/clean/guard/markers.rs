//! What marks a folder as an LLOneBot / LLBot data dir: names only that stack writes, never a
//! generic `temp/` or `logs/`.

use std::fs;
use std::path::Path;

use crate::clean::plan::is_log_name;
use crate::discover::uin_of;

/// A QQ number: 5 to 11 digits.
fn is_uin(s: &str) -> bool {
    (5..=11).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn names(dir: &Path) -> Vec<(String, fs::FileType)> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| Some((e.file_name().into_string().ok()?, e.file_type().ok()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// The QQ number of a `database/` store of any version: `<uin>.db`, `<uin>.v2.db`,
/// `<uin>.v3.db` (8.0.8+), and their journal side files.
fn store_uin(name: &str) -> Option<&str> {
    let base = ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    [".v3.db", ".v2.db", ".db"]
        .iter()
        .find_map(|s| uin_of(base, "", s))
}

/// An LLOneBot-named log file: `llonebot-…`, `lltwobot-…` or `llbot-…` ending in `.log`.
pub fn is_llonebot_log(name: &str) -> bool {
    ["llonebot-", "lltwobot-", "llbot-"]
        .iter()
        .any(|p| name.starts_with(p))
        && is_log_name(name)
}

/// Something only LLOneBot / LLBot writes: `config_<uin>.json`, a LevelDB-shaped `msg_<uin>`
/// (holding `CURRENT` or `LOCK`), `database/<uin>.db`-family files, or LLOneBot-named logs.
/// A generic `temp/` or `logs/` is not enough.
pub fn holds_llonebot_data(dir: &Path) -> bool {
    names(dir).iter().any(|(name, ft)| {
        if ft.is_file() && uin_of(name, "config_", ".json").is_some_and(is_uin) {
            return true;
        }
        if ft.is_dir() && uin_of(name, "msg_", "").is_some_and(is_uin) {
            let db = dir.join(name);
            return ["CURRENT", "LOCK"]
                .iter()
                .any(|f| fs::symlink_metadata(db.join(f)).is_ok_and(|m| m.is_file()));
        }
        if ft.is_dir() && name == "database" {
            return names(&dir.join(name))
                .iter()
                .any(|(n, ft)| ft.is_file() && store_uin(n).is_some_and(is_uin));
        }
        if ft.is_dir() && name == "logs" {
            return names(&dir.join(name))
                .iter()
                .any(|(n, ft)| ft.is_file() && is_llonebot_log(n));
        }
        false
    })
}
