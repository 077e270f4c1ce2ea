//! Windows only (run under Wine in CI): LLBot's launcher is a console program with no window.
//! Started as Explorer starts it (a console of its own), with node and PMHQ below it sharing
//! that console, it is stopped with Ctrl-Break (no `--force`), its whole tree waited for, and
//! started again in a new console of its own, with its arguments and folder.

// Windows only; the helpers sit unused elsewhere.
#![cfg_attr(not(windows), allow(dead_code, unused_imports))]

mod common;
mod llbot_tree;

use common::watch::{records, wait_for};
use std::fs;
use std::path::{Path, PathBuf};

use common::{Fixture, Os, alive};
use llbot_tree::*;
use serde_json::Value;

/// LLBot.CLI's layout on Windows: `llbot.exe`, `bin\pmhq\pmhq.exe`, `bin\llbot\node.exe` and
/// `llbot.js`, data in `bin\llbot\data`; every program a copy of the fake.
fn windows_cli(f: &Fixture) -> (PathBuf, PathBuf) {
    let install = f.p(r"C:\LLBot");
    let llbot = install.join(r"bin\llbot");
    program(f, &llbot, "llbot.js", "llonebot-dist", "8.1.7");
    for exe in [
        install.join("llbot.exe"),
        install.join(r"bin\pmhq\pmhq.exe"),
        llbot.join("node.exe"),
    ] {
        fs::create_dir_all(exe.parent().unwrap()).unwrap();
        fs::copy(common::fake_qq_binary(), &exe).unwrap();
    }
    let data = llbot.join("data");
    llbot_data(f, &data, "70007");
    (install, data)
}

#[cfg(windows)]
#[test]
fn a_console_launcher_is_stopped_with_ctrl_break_and_restarted_in_a_console_of_its_own() {
    use std::os::windows::process::CommandExt;
    const CREATE_NEW_CONSOLE: u32 = 0x0000_0010;

    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let f = Fixture::new(Os::Windows);
    let (install, data) = windows_cli(&f);
    let logs = f.tmp.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    let (signals, consoles, started) = (
        logs.join("signals.log"),
        logs.join("consoles.log"),
        logs.join("started.log"),
    );
    // The launcher starts node (llbot.js), node starts PMHQ: all on the launcher's console.
    let chain = format!(
        "{}\t./llbot.js\n{}\t--port=13000",
        install.join(r"bin\llbot\node.exe").display(),
        install.join(r"bin\pmhq\pmhq.exe").display()
    );
    let argv = ["--console", "--qq=70007"];
    let ready = logs.join("ready");
    let mut launcher = common::Started(
        std::process::Command::new(install.join("llbot.exe"))
            .args(argv)
            .current_dir(&install)
            .env("FAKE_QQ_SPAWN", &chain)
            .env("FAKE_QQ_SIGNALS", &signals)
            .env("FAKE_QQ_CONSOLE", &consoles)
            .env("FAKE_QQ_LOG", &started)
            .env("FAKE_QQ_READY", &ready)
            .env("FAKE_QQ_LIFETIME", "120")
            .creation_flags(CREATE_NEW_CONSOLE)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the launcher"),
    );
    let pid = launcher.0.id();
    wait_for("the launcher is ready", || ready.exists());
    // Started as Explorer starts it: alone on a console of its own.
    assert_eq!(records(&consoles)[0], [pid.to_string(), "1".into()]);

    // Found with node and PMHQ; refused while running.
    let mut tree = Vec::new();
    wait_for("node and PMHQ run", || {
        let (_, v) = f.json(&["detect"]);
        tree = the_llbot(&v)["processes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        tree.len() == 3
    });
    let pids: Vec<u32> = tree
        .iter()
        .map(|p| p["pid"].as_u64().unwrap() as u32)
        .collect();
    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 4, "{v:#}");

    // Stopped gracefully (no --force) and started again.
    let out = f
        .cmd()
        .args(["--json", "clean", "--yes", "--stop-qq", "--restart-qq"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{v:#}\n{said}");
    let new = v["qq"]["restarted"][0]["pid"]
        .as_u64()
        .unwrap_or_else(|| panic!("not restarted: {v:#}")) as u32;
    // Stopped by its PID, whatever the asserts below say (its helpers follow it).
    let _new = KillOnDrop(new);
    let _ = launcher.0.wait();
    assert!(!data.join(r"temp\upload-1.jpg").exists());
    assert_eq!(v["qq"]["stopped"], true, "{v:#}");
    assert!(
        v["qq"]["killed"].as_array().is_none_or(Vec::is_empty),
        "{v:#}"
    );
    for p in &pids {
        assert!(!alive(*p), "PID {p} of the old tree still runs");
    }
    // One Ctrl-Break, noted by the launcher (node and PMHQ ended on it too, unnoted). Wine 8
    // implements Ctrl-C only: there the same request arrives as Ctrl-C.
    let event = if common::under_wine() {
        "CTRL_C"
    } else {
        "BREAK"
    };
    assert_eq!(records(&signals), [[pid.to_string(), event.to_string()]]);

    // The new launcher: alone on a new console, with the old arguments, in the old folder.
    let of_new = |file: &Path| records(file).into_iter().find(|l| l[0] == new.to_string());
    wait_for("the new launcher notes its console", || {
        of_new(&consoles).is_some()
    });
    let console = of_new(&consoles).unwrap();
    assert_eq!(console[1], "1", "the restarted launcher shares a console");
    let start = of_new(&started).expect("the new launcher logged its start");
    assert_eq!(Path::new(&start[1]), install, "{start:?}");
    assert_eq!(start[2..], argv, "{start:?}");
}

/// A process this test caused to run, killed by its PID when dropped.
#[cfg(windows)]
struct KillOnDrop(u32);

#[cfg(windows)]
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = std::process::Command::new("taskkill")
            .args(["/F", "/PID", &self.0.to_string()])
            .output();
    }
}

/// The tests of this file one at a time: one of them attaches this test program to another
/// console for a moment, which the programs the other starts would inherit.
#[cfg(windows)]
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `c` attached to the console of process `pid` (which it inherits from this test program,
/// as a program started in the same window does); this program's own output stays where it was.
#[cfg(windows)]
fn on_console_of(pid: u32, c: &mut std::process::Command) -> std::process::Output {
    use windows_sys::Win32::System::Console::{
        AttachConsole, FreeConsole, GetStdHandle, STD_ERROR_HANDLE, STD_INPUT_HANDLE,
        STD_OUTPUT_HANDLE, SetStdHandle,
    };
    let ids = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];
    // SAFETY: plain calls on this process's own standard handles and console.
    let saved: Vec<_> = ids.iter().map(|&id| unsafe { GetStdHandle(id) }).collect();
    let restore = || {
        for (&id, &h) in ids.iter().zip(&saved) {
            // SAFETY: as above.
            unsafe { SetStdHandle(id, h) };
        }
    };
    // SAFETY: as above. (Attaching gives this program the console's standard handles, which
    // leaving it closes: ours are put back after that.)
    let attached = unsafe {
        FreeConsole();
        AttachConsole(pid)
    };
    let err = std::io::Error::last_os_error();
    let out = (attached != 0).then(|| c.output());
    // SAFETY: as above.
    unsafe { FreeConsole() };
    restore();
    assert_ne!(attached, 0, "AttachConsole({pid}): {err}");
    out.expect("attached").expect("run")
}

/// A launcher in the console llob-doctor runs in (`start /b llbot.exe`, then llob-doctor in
/// the same window): Ctrl-Break there would stop llob-doctor as well. It is not sent; the clean
/// refuses and says why, and the launcher runs on.
#[cfg(windows)]
#[test]
fn a_launcher_on_our_own_console_is_not_sent_ctrl_break() {
    use std::os::windows::process::CommandExt;
    const CREATE_NEW_CONSOLE: u32 = 0x0000_0010;
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let f = Fixture::new(Os::Windows);
    let (install, data) = windows_cli(&f);
    let signals = f.tmp.path().join("signals.log");
    let ready = f.tmp.path().join("ready");
    let launcher = common::Started(
        std::process::Command::new(install.join("llbot.exe"))
            .args(["--console", "--qq=70007"])
            .current_dir(&install)
            .env("FAKE_QQ_SIGNALS", &signals)
            .env("FAKE_QQ_READY", &ready)
            .env("FAKE_QQ_LIFETIME", "120")
            .creation_flags(CREATE_NEW_CONSOLE)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the launcher"),
    );
    let pid = launcher.0.id();
    wait_for("the launcher is ready", || ready.exists());
    let out = on_console_of(
        pid,
        f.cmd()
            .args(["--lang", "en", "clean", "--yes", "--stop-qq"]),
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{said}");
    assert!(
        said.contains(&format!("PID {pid} runs in this console window")),
        "{said}"
    );
    assert!(alive(pid));
    assert!(!signals.exists(), "the launcher got an event");
    assert!(data.join(r"temp\upload-1.jpg").exists());
}
