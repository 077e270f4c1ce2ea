//! `stats` counts the same on one core as on several: with one core every block of every file
//! is read on the main thread, with more they go through worker threads that run from one file
//! to the next. (A one-core VPS is a common home for a bot.)

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{Fixture, Os};
use serde_json::Value;

/// Every sample log of every family, each also as a copy longer than one 512 KiB block.
fn logs_of_every_family(f: &Fixture) -> std::path::PathBuf {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples/logs");
    let logs = f.linux_aur().join("logs");
    fs::remove_dir_all(&logs).expect("clear logs");
    fs::create_dir_all(&logs).expect("logs");
    for name in [
        "llonebot-3.27.3-http.log",
        "llonebot-2024-12-1 10-00-00.log",
        "lltwobot-2025-9-1 08-00-00.log",
        "llbot-2025-6-1 09-00-00.log",
        "llbot-2026-7-20 12-00-00.log",
        "2025-05-12_10-00-00.123.log",
    ] {
        let text = fs::read(samples.join(name)).expect("sample");
        fs::write(logs.join(name), &text).expect("write log");
        // The same lines again and again, in a file of the same family a day later.
        let mut long = text.clone();
        if !long.ends_with(b"\n") {
            long.push(b'\n');
        }
        let long = long.repeat(700 * 1024 / long.len() + 1);
        let later = name
            .replacen("-1 ", "-2 ", 1)
            .replacen("05-12_", "05-13_", 1);
        let later = if later == name {
            format!("x-{name}")
        } else {
            later
        };
        fs::write(logs.join(later), long).expect("write long log");
    }
    logs
}

/// `stats --json` with this process's view of the cores, or pinned to one core by `taskset`.
fn stats_json(f: &Fixture, one_core: bool) -> Value {
    let c = f.cmd();
    let mut run = if one_core {
        let mut t = Command::new("taskset");
        t.arg("-c").arg("0").arg(c.get_program()).args(c.get_args());
        // `cmd` starts from an empty environment and sets what it needs: the same here.
        t.env_clear();
        for (k, v) in c.get_envs() {
            if let Some(v) = v {
                t.env(k, v);
            }
        }
        t
    } else {
        c
    };
    let out = run.args(["--json", "stats"]).output().expect("run stats");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn one_core_and_several_count_the_same() {
    if cfg!(not(target_os = "linux")) || Command::new("taskset").arg("-V").output().is_err() {
        println!(
            "SKIPPED one_core_and_several_count_the_same: needs Linux and taskset (util-linux)"
        );
        return;
    }
    let f = Fixture::new(Os::Linux);
    logs_of_every_family(&f);
    let several = stats_json(&f, false);
    let one = stats_json(&f, true);
    assert_eq!(one, several);
    // The NapCat lines carry no year: it comes from the file's name. Their day is in the table.
    let days: Vec<&str> = one["days"]
        .as_array()
        .expect("days")
        .iter()
        .filter_map(|d| d["date"].as_str())
        .collect();
    assert!(days.contains(&"2025-05-12"), "{days:?}");
    assert_eq!(one["files"].as_array().map(Vec::len), Some(12));
}
