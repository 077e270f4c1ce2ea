//! `--stop-cmd` that ends only the bot's launcher: on Windows a killed parent leaves its
//! children running (here too: the bot's node is started to outlive its parent). What is left of
//! that instance's tree is stopped by PID as `--stop-qq` stops it (asked, killed only with
//! `--force`), or named when it does not stop; `--start-cmd` runs in every case.

mod common;
mod llbot_tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Fixture, Os, alive, stop_pid};
use llbot_tree::*;
use serde_json::Value;

const EXE: &str = if cfg!(windows) { ".exe" } else { "" };

/// LLBot.CLI's layout: the launcher, `bin/pmhq/pmhq`, `bin/llbot/node` and `llbot.js`, data in
/// `bin/llbot/data`; every program a copy of the fake.
fn cli(f: &Fixture) -> (PathBuf, PathBuf) {
    let install = f.p(if cfg!(windows) {
        r"C:\LLBot"
    } else {
        "/opt/llbot"
    });
    let llbot = install.join("bin").join("llbot");
    program(f, &llbot, "llbot.js", "llonebot-dist", "8.1.7");
    for exe in [
        install.join(format!("llbot{EXE}")),
        llbot.join(format!("node{EXE}")),
    ] {
        fs::create_dir_all(exe.parent().unwrap()).unwrap();
        fs::copy(common::fake_qq_binary(), &exe).unwrap();
    }
    let data = llbot.join("data");
    llbot_data(f, &data, "70007");
    (install, data)
}

/// Starts the launcher, which starts node (with `node_args`, outliving it); returns both PIDs.
fn start(f: &Fixture, install: &Path, node_args: &[&str]) -> (common::Started, u32) {
    let mut chain = install
        .join("bin")
        .join("llbot")
        .join(format!("node{EXE}"))
        .display()
        .to_string();
    for a in node_args.iter().chain(&["./llbot.js"]) {
        chain.push('\t');
        chain.push_str(a);
    }
    let ready = f.tmp.path().join("ready");
    let launcher = common::Started(
        std::process::Command::new(install.join(format!("llbot{EXE}")))
            .current_dir(install)
            .env("FAKE_QQ_SPAWN", &chain)
            .env("FAKE_QQ_READY", &ready)
            .env("FAKE_QQ_LIFETIME", "120")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the launcher"),
    );
    let pid = launcher.0.id();
    let t = Instant::now();
    let node = loop {
        assert!(t.elapsed() < Duration::from_secs(30), "node did not start");
        let (_, v) = f.json(&["detect"]);
        let procs = the_llbot(&v)["processes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(n) = procs.iter().find(|p| p["pid"].as_u64() != Some(pid as u64)) {
            break n["pid"].as_u64().unwrap() as u32;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    (launcher, node)
}

/// A command that kills only the launcher (not its tree).
fn kill_only(pid: u32) -> String {
    if cfg!(windows) {
        format!("taskkill /F /PID {pid}")
    } else {
        format!("kill -KILL {pid}")
    }
}

/// A command that creates `file`.
fn touch(file: &Path) -> String {
    if cfg!(windows) {
        format!("type nul > \"{}\"", file.display())
    } else {
        format!("touch '{}'", file.display())
    }
}

fn clean(f: &Fixture, stop: &str, start: &str, extra: &[&str]) -> (i32, Value, String) {
    let out = f
        .cmd()
        .args([
            "--lang",
            "en",
            "--json",
            "clean",
            "--yes",
            "--stop-timeout",
            "3",
        ])
        .args(["--stop-cmd", stop, "--start-cmd", start])
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn what_the_stop_command_leaves_of_the_tree_is_asked_to_quit_and_the_start_command_runs() {
    let f = Fixture::new(Os::host());
    let (install, data) = cli(&f);
    let (mut launcher, node) = start(&f, &install, &["--outlive"]);
    let started = f.tmp.path().join("started");
    let (code, v, said) = clean(&f, &kill_only(launcher.0.id()), &touch(&started), &[]);
    let _ = launcher.0.wait();
    let node_alive = alive(node);
    stop_pid(node);
    assert_eq!(code, 0, "{v:#}\n{said}");
    assert!(!node_alive, "node (PID {node}) still runs");
    assert_eq!(
        v["qq"]["left_by_stop_cmd"],
        serde_json::json!([node]),
        "{v:#}"
    );
    assert!(
        said.contains(&format!("left processes of LLBot running (PIDs {node})")),
        "{said}"
    );
    // Asked, not killed.
    assert!(
        v["qq"]["killed"].as_array().is_none_or(Vec::is_empty),
        "{v:#}"
    );
    assert!(!data.join("temp").join("upload-1.jpg").exists());
    assert!(started.exists(), "--start-cmd did not run: {v:#}");
}

#[test]
fn a_leftover_that_does_not_quit_is_named_and_the_start_command_still_runs() {
    let f = Fixture::new(Os::host());
    let (install, data) = cli(&f);
    let (mut launcher, node) = start(&f, &install, &["--outlive", "--ignore-term"]);
    let started = f.tmp.path().join("started");
    let (code, v, said) = clean(&f, &kill_only(launcher.0.id()), &touch(&started), &[]);
    let _ = launcher.0.wait();
    let node_alive = alive(node);
    assert_eq!(code, 4, "{v:#}\n{said}");
    assert!(node_alive, "node was killed without --force");
    assert!(
        said.contains(&format!("still running: PIDs {node}")),
        "{said}"
    );
    assert!(said.contains("--force"), "{said}");
    assert!(data.join("temp").join("upload-1.jpg").exists());
    assert!(started.exists(), "--start-cmd did not run: {said}");

    // With --force the leftover is killed after the timeout, by its PID.
    stop_pid(node);
    assert!(common::wait_gone(node));
    let (mut launcher, node2) = start(&f, &install, &["--outlive", "--ignore-term"]);
    fs::remove_file(&started).unwrap();
    let (code, v, said) = clean(
        &f,
        &kill_only(launcher.0.id()),
        &touch(&started),
        &["--force"],
    );
    let _ = launcher.0.wait();
    let node2_alive = alive(node2);
    stop_pid(node2);
    assert_eq!(code, 0, "{v:#}\n{said}");
    assert!(!node2_alive);
    assert_eq!(v["qq"]["killed"], serde_json::json!([node2]), "{v:#}");
    assert!(started.exists());
}
