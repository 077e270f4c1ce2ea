//! Windows only (run under Wine in CI): the double-click from Explorer while the bot runs, the
//! normal state of a bot. The session says what runs and what will happen to it, asks once
//! (QQ's own cache is the second choice where QQ is installed: see `console::guided`'s tests),
//! and "y" stops the bot (LLBot's console launcher, with Ctrl-Break), cleans, and starts it
//! again in a console of its own.

// Windows only; the helpers sit unused elsewhere.
#![cfg_attr(not(windows), allow(dead_code, unused_imports))]

mod common;
mod llbot_tree;

use common::watch::{records, wait_for};
use std::fs;
use std::path::{Path, PathBuf};

use common::{BIN, Fixture, Os, alive, stop_pid};
use llbot_tree::*;

/// Every PID a log of starts names, stopped when dropped (the test started them all).
struct StopAll(PathBuf);

impl Drop for StopAll {
    fn drop(&mut self) {
        for l in records(&self.0) {
            if let Ok(pid) = l[0].parse() {
                stop_pid(pid);
            }
        }
    }
}

#[cfg(windows)]
#[test]
fn a_double_click_while_the_bot_runs_offers_to_stop_and_restart_it() {
    use std::io::Write;
    use std::os::windows::process::CommandExt;
    use std::process::{Command, Stdio};
    const CREATE_NEW_CONSOLE: u32 = 0x0000_0010;

    let f = Fixture::new(Os::Windows);
    // LLBot.CLI unpacked in a folder of the user's, every program a copy of the fake.
    let install = f.tmp.path().join("LLBot");
    let llbot = install.join(r"bin\llbot");
    program(&f, &llbot, "llbot.js", "llonebot-dist", "8.1.7");
    for exe in [install.join("llbot.exe"), llbot.join("node.exe")] {
        fs::create_dir_all(exe.parent().unwrap()).unwrap();
        fs::copy(common::fake_qq_binary(), &exe).unwrap();
    }
    let data = llbot.join("data");
    llbot_data(&f, &data, "70007");
    let home = f.tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();

    // Started as Explorer starts it: a console of its own; node below it.
    let starts = f.tmp.path().join("starts.log");
    let _stop_all = StopAll(starts.clone());
    let ready = f.tmp.path().join("ready");
    let chain = format!("{}\t./llbot.js", llbot.join("node.exe").display());
    let mut launcher = common::Started(
        Command::new(install.join("llbot.exe"))
            .args(["--console", "--qq=70007"])
            .current_dir(&install)
            .env("FAKE_QQ_SPAWN", &chain)
            .env("FAKE_QQ_LOG", &starts)
            .env("FAKE_QQ_READY", &ready)
            .env("FAKE_QQ_LIFETIME", "120")
            .creation_flags(CREATE_NEW_CONSOLE)
            .stdout(Stdio::null())
            .spawn()
            .expect("start the launcher"),
    );
    let old = launcher.0.id();
    wait_for("the launcher and node run", || {
        ready.exists() && records(&starts).len() == 2
    });

    // The double-click: no arguments, a console of its own; "y", then Enter to close.
    let mut c = Command::new(BIN);
    c.env_clear();
    for keep in ["PATH", "SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP"] {
        if let Some(v) = std::env::var_os(keep) {
            c.env(keep, v);
        }
    }
    let mut child = c
        .env("USERPROFILE", &home)
        .env("LANG", "en_US.UTF-8")
        .creation_flags(CREATE_NEW_CONSOLE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"y\n\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let said = String::from_utf8_lossy(&out.stderr);
    let _ = launcher.0.wait();

    assert_eq!(out.status.code(), Some(0), "{text}\n{said}");
    // Said before it asked: what runs, what will happen, and the second choice.
    // The PIDs in any order (Wine's are not given in start order).
    let running = text
        .find("Running now: LLBot (PID ")
        .filter(|&at| {
            text[at..].lines().next().is_some_and(|l| {
                l.split(|c: char| !c.is_ascii_digit())
                    .any(|w| w == old.to_string())
            })
        })
        .unwrap_or_else(|| panic!("what runs is not named:\n{text}"));
    let asked = text.find("Your choice").expect("asked");
    assert!(running < asked, "{text}");
    assert!(text.contains("llob-doctor stops them"), "{text}");
    // No QQ on this machine (the bot runs headless): no QQ cache to offer.
    assert!(!text.contains("  2 = "), "{text}");
    assert_eq!(text.matches("Your choice").count(), 1, "asked once: {text}");
    // Cleaned, the old launcher stopped, a new one started with its arguments in its folder.
    assert!(!data.join(r"temp\upload-1.jpg").exists(), "{text}\n{said}");
    assert!(!alive(old));
    let all = records(&starts);
    let new = all
        .iter()
        .find(|l| l[0] != old.to_string() && l.get(2).is_some_and(|a| a == "--console"))
        .unwrap_or_else(|| panic!("no new launcher: {all:?}\n{text}"));
    assert_eq!(Path::new(&new[1]), install);
    assert_eq!(new[2..], ["--console", "--qq=70007"]);
}
