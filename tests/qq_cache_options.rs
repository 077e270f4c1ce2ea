//! QQ's media cache, narrowed and carried elsewhere: `--qq-cache-kinds`, `--uin` and
//! `--older-than` shape the plan, a scheduled job carries the QQ flags, and `doctor` warns above
//! `--qq-cache-warn`.

mod common;
mod qq_cache_tree;

#[cfg(target_os = "linux")]
use std::fs;

use common::{Fixture, Os};
use qq_cache_tree::*;
use serde_json::Value;

#[test]
fn kinds_and_uin_narrow_the_plan() {
    let f = Fixture::new(Os::Linux);
    let (_qq, a1, a2, _) = linux(&f, ".config/QQ");
    let (code, v) = f.json(&["clean", "--qq-cache-kinds", "file", "--dry-run"]);
    assert_eq!(code, 0, "{v:#}");
    let kinds = by_kind(&qq_rows(&v));
    assert_eq!(kinds.keys().collect::<Vec<_>>(), ["file"], "{v:#}");
    assert_eq!(kinds["file"], 4, "File/ and dataline/ of both accounts");

    let (code, v) = f.json(&["clean", "--qq-cache", "--uin", "987654321", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(qq_rows(&v).iter().all(|r| r["uin"] == "987654321"), "{v:#}");
    assert_kept(&a1.goes);
    assert_gone(&a2.goes);
    assert_kept(&a2.never);

    // --older-than overrides QQ's 3 days: nothing of 10 days is older than 20.
    let (_, v) = f.json(&["clean", "--qq-cache", "--older-than", "20d", "--dry-run"]);
    assert!(qq_rows(&v).is_empty(), "{v:#}");
}

#[cfg(target_os = "linux")]
#[test]
fn scheduled_runs_take_qq_cache() {
    // A systemd user unit in a temp home: the job carries --qq-data and the clean flags.
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let vol = tmp.path().join("QQ");
    nt_data(&vol.join(format!("nt_qq_{HEX1}")), None);
    let out = std::process::Command::new(common::BIN)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .arg("--qq-data")
        .arg(&vol)
        .args([
            "--json",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "04:00",
            "--",
        ])
        .args(["--qq-cache", "--qq-cache-kinds", "pic,temp"])
        .output()
        .unwrap();
    // Exit 1 where no systemd user manager answers: the units are written all the same.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unit = fs::read_to_string(home.join(".config/systemd/user/llob-doctor-clean.service"))
        .expect("service unit");
    assert!(
        unit.contains("\"--qq-cache\" \"--qq-cache-kinds\" \"pic,temp\""),
        "{unit}"
    );
    assert!(
        unit.contains(&format!("\"--qq-data\" \"{}\"", vol.display())),
        "{unit}"
    );
}

#[test]
fn doctor_warns_above_the_threshold() {
    let f = Fixture::new(Os::Linux);
    linux(&f, ".config/QQ");
    let finding = |v: &Value| {
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|x| x["check"] == "cache.qq")
            .cloned()
            .expect("a cache.qq finding")
    };
    let (_, v) = f.json(&["doctor", "--qq-cache-warn", "1K"]);
    let q = finding(&v);
    assert_eq!(q["severity"], "warn", "{q:#}");
    assert_eq!(q["data"]["folders"], 3);
    assert!(s(&q["remedy"]).contains("--qq-cache"), "{q:#}");
    let (_, v) = f.json(&["doctor"]);
    assert_eq!(finding(&v)["severity"], "ok", "under the default 5 GiB");
    let out = f.run(&["doctor", "--qq-cache-warn", "lots"]);
    assert_eq!(out.status.code(), Some(2));
}
