//! Windows only, run under Wine in CI: one scheduled task per bot instance, beside the task for
//! all bots, through the real `schtasks` and read back from Task Scheduler's own store. Registering
//! a task changes the machine: this runs only under Wine (the throwaway prefix CI makes).
#![cfg(windows)]

mod common;
mod llbot_tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, Fixture, Os, native};
use serde_json::Value;

fn store() -> PathBuf {
    let root = std::env::var_os("SystemRoot").expect("SystemRoot");
    PathBuf::from(root).join(r"System32\Tasks")
}

/// A task file's text: UTF-16 with a mark (Windows), else UTF-8 (Wine writes UTF-8).
fn task_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFF, 0xFE]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes)
            .trim_start_matches('\u{feff}')
            .to_string(),
    }
}

fn run(home: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.env_clear();
    for keep in [
        "PATH",
        "SYSTEMROOT",
        "SystemRoot",
        "WINDIR",
        "TEMP",
        "TMP",
        "WINEPREFIX",
        "WINEDEBUG",
    ] {
        if let Some(v) = std::env::var_os(keep) {
            c.env(keep, v);
        }
    }
    c.env("USERPROFILE", home)
        .env("APPDATA", home.join(r"AppData\Roaming"))
        .env("LOCALAPPDATA", home.join(r"AppData\Local"))
        .args(["--color", "never", "--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn each_instance_gets_its_own_task() {
    if !common::under_wine() {
        common::skip("registers real tasks; runs only in Wine's throwaway prefix");
        return;
    }
    let f = Fixture::new(Os::Windows);
    let install = f.tmp.path().join(r"bots\a");
    f.write(&install.join("llbot.exe"), b"MZ");
    llbot_tree::program(
        &f,
        &install.join(native("bin/llbot")),
        "llbot.js",
        "llonebot-dist",
        "8.1.7",
    );
    llbot_tree::llbot_data(&f, &install.join(native("bin/llbot/data")), "10001");
    let home = f.tmp.path().join("home");
    let logs = f.tmp.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    let a = install.to_str().unwrap();

    // The instance's task, by its folder; then the task for all bots.
    let out = run(
        &home,
        &[
            "--llbot-dir",
            a,
            "--json",
            "schedule",
            "install",
            "--at",
            "04:30",
        ],
    );
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    let slug = v["name"].as_str().expect("an instance's job").to_string();
    let id = v["instance"].as_str().unwrap().to_string();
    assert!(id.starts_with("llbot@") && id.ends_with(r"bots\a"), "{id}");
    let task = format!("llob-doctor clean {slug}");
    // Its definition beside its own log, and its own log.
    let log = v["job"]["log_file"].as_str().unwrap();
    assert!(log.ends_with(&format!("clean-{slug}.log")), "{log}");
    let xml = Path::new(log).with_file_name(format!("llob-doctor-task-{slug}.xml"));
    let ours = task_text(&fs::read(&xml).expect("the task definition"));
    assert!(ours.contains(&format!(r"<URI>\{task}</URI>")), "{ours}");
    assert!(ours.contains(&format!("--instance {id}")), "{ours}");
    let stored = task_text(&fs::read(store().join(&task)).expect("the task in the store"));
    assert!(stored.contains("IgnoreNew"), "{stored}");

    let all_log = logs.join("clean.log");
    let out = run(
        &home,
        &[
            "--json",
            "schedule",
            "install",
            "--at",
            "05:00",
            "--log-file",
            all_log.to_str().unwrap(),
        ],
    );
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["name"], Value::Null);
    assert!(store().join("llob-doctor clean").exists());
    assert!(store().join(&task).exists(), "the other task was touched");

    // show: both, from the store.
    let v = json(&run(&home, &["--json", "schedule", "show"]));
    let names: Vec<&Value> = v["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| &j["name"])
        .collect();
    assert_eq!(names, [&Value::Null, &Value::from(slug.as_str())], "{v}");

    // The bot is gone: its task is removed by its id, the other stays.
    fs::remove_dir_all(&install).unwrap();
    let out = run(&home, &["--json", "--instance", &id, "schedule", "remove"]);
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    assert!(!store().join(&task).exists());
    assert!(store().join("llob-doctor clean").exists());
    let v = json(&run(&home, &["--json", "schedule", "remove", "--all"]));
    assert_eq!(v["jobs"].as_array().unwrap().len(), 1, "{v}");
    assert!(!store().join("llob-doctor clean").exists());
}
