//! QQ media-cache trees for the `qq_cache*` tests: one account's `nt_data` with old and new
//! files by kind and every never-touch item, a whole Linux-style QQ folder with two accounts and
//! global, and small helpers to read the clean report.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{Fixture, set_mtime};
use serde_json::Value;

pub const HEX1: &str = "0123456789abcdef0123456789abcdef";
pub const HEX2: &str = "fedcba9876543210fedcba9876543210";

pub fn days_ago(d: u64) -> SystemTime {
    SystemTime::now() - Duration::from_secs(d * 86_400)
}

pub fn put(path: &Path, bytes: usize, age_days: u64) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, vec![b'x'; bytes]).expect("write");
    set_mtime(path, days_ago(age_days));
}

/// What one account's `nt_data` holds: cache files by kind (old, and one new in a month
/// that also has old ones), and every never-touch item (old, so only the rule keeps them).
pub struct Layout {
    /// Files a default `clean --qq-cache` removes.
    pub goes: Vec<PathBuf>,
    /// Files it keeps: new ones, `File/`, and the never-touch list.
    pub stays: Vec<PathBuf>,
    pub never: Vec<PathBuf>,
}

pub fn nt_data(account: &Path, uin: Option<&str>) -> Layout {
    let d = account.join("nt_data");
    let mut goes = Vec::new();
    let mut stays = Vec::new();
    let mut old = |rel: &str, bytes: usize| {
        let p = d.join(rel);
        put(&p, bytes, 10);
        goes.push(p);
    };
    old("Pic/2024-05/Ori/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg", 1000);
    old(
        "Pic/2024-05/Thumb/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_720.jpg",
        100,
    );
    old("Pic/2024-06/Ori/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.jpg", 2000);
    old(
        "Pic/2024-06/OriTemp/cccccccccccccccccccccccccccccccc.jpg",
        300,
    );
    old(
        "Video/2024-06/Ori/dddddddddddddddddddddddddddddddd.mp4",
        5000,
    );
    old(
        "Video/2024-06/Thumb/dddddddddddddddddddddddddddddddd_0.png",
        50,
    );
    old("Ptt/2024-06/Ori/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.amr", 70);
    old(
        "Emoji/emoji-recv/2024-06/Thumb/ffffffffffffffffffffffffffffffff_0.gif",
        40,
    );
    old("flashfransfer/upload_temp/part.bin", 60);
    old("log/qq_2024-06-01.log", 80);
    // New files in a month folder with old ones: the folder is trimmed, not kept or dropped whole.
    let new_pic = d.join("Pic/2024-06/Ori/9999999999999999999999999999999a.jpg");
    put(&new_pic, 900, 0);
    stays.push(new_pic);
    let new_temp = d.join("flashfransfer/download_temp/now.bin");
    put(&new_temp, 10, 1);
    stays.push(new_temp);
    // Received files: off by default.
    let file = d.join("File/file_assistant/report.pdf");
    put(&file, 4000, 30);
    stays.push(file);
    let dataline = d.join("dataline/2024-06/Ori/photo.jpg");
    put(&dataline, 30, 30);
    stays.push(dataline);
    let mut never = Vec::new();
    for rel in [
        "../nt_db/nt_msg.db",
        "../nt_db/nt_msg.db-wal",
        "../nt_db/nt_msg.db-shm",
        "../nt_temp/x.tmp",
        "mmkv/mmkv.default",
        "msf/state",
        "OnlineStatus/status.json",
        "config/config.json",
        "Emoji/personal_emoji/Ori/mine.jpg",
        "Emoji/marketface/12345/face.gif",
        "avatar/user/a.png",
        "bc_09.db",
        "Pic/2024-06/Ori/index.db",
        "Pic/2024-06/Ori/index.db-wal",
        "Pic/2024-06/Ori/index.db-shm",
        "Pic/2024-06/avatar/x.png",
        "log/config/x.log",
    ] {
        let p = d.join(rel);
        put(&p, 10, 30);
        never.push(p);
    }
    if let Some(u) = uin {
        let p = d.join(format!("UnitedConfig/{u}/10001/cfg"));
        put(&p, 10, 30);
        never.push(p);
        let p = d.join("UnitedConfig/000/cfg");
        put(&p, 10, 30);
        never.push(p);
    }
    Layout { goes, stays, never }
}

pub fn assert_kept(paths: &[PathBuf]) {
    for p in paths {
        assert!(p.is_file(), "must survive: {}", p.display());
    }
}

pub fn assert_gone(paths: &[PathBuf]) {
    for p in paths {
        assert!(
            fs::symlink_metadata(p).is_err(),
            "must be gone: {}",
            p.display()
        );
    }
}

pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The QQ rows of a clean report.
pub fn qq_rows(v: &Value) -> Vec<&Value> {
    v["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| t["bot"] == "qq")
        .collect()
}

/// A Linux QQ: two accounts (one mapped by UnitedConfig, one by global mmkv) plus global.
pub fn linux(f: &Fixture, base: &str) -> (PathBuf, Layout, Layout, PathBuf) {
    let qq = f.home().join(base);
    let a1 = nt_data(&qq.join(format!("nt_qq_{HEX1}")), Some("123456789"));
    let a2 = nt_data(&qq.join(format!("nt_qq_{HEX2}")), None);
    let mmkv = qq.join("global/nt_data/mmkv/mmkv.default");
    let key = format!(
        "\x00\x20/home/alice/.config/QQ/nt_qq_{HEX2}/nt_data/flashfransfer+987654321_flash_transfer_document_cache_key\x00"
    );
    put(&mmkv, 0, 30);
    fs::write(&mmkv, key).expect("mmkv");
    set_mtime(&mmkv, days_ago(30));
    let zip = qq.join("global/nt_data/Emoji/BaseEmojiSyastems/ThumbTemp/1_base.zip");
    put(&zip, 20, 10);
    let hot = qq.join("versions/3.2.12-26702.zip");
    put(&hot, 7000, 10);
    put(&qq.join("versions/config.json"), 10, 30);
    (qq, a1, a2, hot)
}

pub fn by_kind(rows: &[&Value]) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for r in rows {
        *m.entry(s(&r["kind"]).to_string()).or_default() += r["files"].as_u64().unwrap_or(0);
    }
    m
}
