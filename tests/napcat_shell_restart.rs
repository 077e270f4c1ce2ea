//! `--restart-qq` for NapCat: a QQ back without NapCat is a failed restart, and on Windows
//! NapCat.Shell's QQ comes back through NapCat's own launcher (`NapCatWinBootMain.exe QQ.exe
//! NapCatWinBootHook.dll ARGS`, as its `launcher-user.bat` runs it), in a console of its own.

// The Windows test's helpers sit unused elsewhere.
#![cfg_attr(not(windows), allow(dead_code, unused_imports))]

mod common;
mod napcat_tree;

use common::watch::{records, wait_for};
use std::fs;
use std::path::{Path, PathBuf};

use common::{Fixture, Os, native, stop_pid};
use napcat_tree::*;

/// QQ's install and NapCat.Shell's folder as the platform writes it, and QQ's data folder's
/// NapCat (temp); NapCat's folder and work dir are made.
fn layout(f: &Fixture) -> (PathBuf, String, PathBuf) {
    let (qq, shell, data) = match f.os {
        Os::Windows => (
            f.p(r"C:\Program Files\Tencent\QQNT"),
            r"D:\NapCat.Shell".to_string(),
            f.p(r"C:\Users\alice\Documents\Tencent Files\NapCat"),
        ),
        _ => (
            f.p("/opt/QQ"),
            "/srv/NapCat.Shell".to_string(),
            f.p("/home/alice/.config/QQ/NapCat"),
        ),
    };
    f.qq_app(
        &qq.join(native("resources/app")),
        "9.9.19-34740",
        "./application/app_launcher/index.js",
    );
    napcat_folder(f, &f.p(&shell), "123456");
    napcat_data(f, &data, "123456");
    (qq, shell, data)
}

/// `NAPCAT_MAIN_PATH` as NapCat.Shell's launcher sets it (forward slashes on Windows).
fn main_path(f: &Fixture, shell: &str) -> String {
    match f.os {
        Os::Windows => format!("{}/napcat.mjs", shell.replace('\\', "/")),
        _ => format!("{shell}/napcat.mjs"),
    }
}

/// The QQ comes back, NapCat does not (it writes no log, and it has no server): the restart
/// is reported failed, with where NapCat was looked for, and the exit code says so.
#[test]
fn a_qq_back_without_napcat_is_a_failed_restart() {
    let f = Fixture::new(Os::host());
    let (qq_dir, shell, data) = layout(&f);
    let log = f.tmp.path().join("starts.log");
    let qq = common::start_fake_qq(
        &qq_dir,
        &["-q", "123456"],
        &[
            ("NAPCAT_MAIN_PATH", &main_path(&f, &shell)),
            ("FAKE_QQ_LOG", log.to_str().unwrap()),
            ("FAKE_QQ_LIFETIME", "90"),
        ],
    );
    let (code, v) = f.json(&[
        "--lang",
        "en",
        "clean",
        "--yes",
        "--stop-qq",
        "--restart-qq",
        "--stop-timeout",
        "2",
    ]);
    drop(qq);
    for l in records(&log).iter().skip(1) {
        stop_pid(l[0].parse().unwrap());
    }
    assert!(!data.join(native("temp/a1b2.jpg")).exists(), "{v:#}");
    let failed = &v["qq"]["restart_failed"][0];
    assert!(
        s(&failed["error"]).contains("NapCat is not back after 2 s"),
        "{v:#}"
    );
    let logs = f.p(&shell).join("logs");
    assert!(
        s(&failed["error"]).contains(&logs.display().to_string()),
        "{v:#}"
    );
    assert!(v["qq"]["restarted"].as_array().is_none_or(Vec::is_empty));
    assert_eq!(code, 7, "a bot left down: {v:#}");
}

/// NapCat.Shell on Windows, started as its `.bat` starts it: the launcher starts QQ with NapCat
/// injected and ends. `--restart-qq` runs the launcher from NapCat's folder again with QQ's
/// path, the hook and QQ's arguments, in a console of its own; the restart is good once NapCat
/// writes its log again, and names the new QQ.
#[cfg(windows)]
#[test]
fn napcat_shell_qq_comes_back_through_its_launcher_in_a_console() {
    use std::os::windows::process::CommandExt;
    const CREATE_NEW_CONSOLE: u32 = 0x0000_0010;

    let f = Fixture::new(Os::Windows);
    let (qq_dir, shell_platform, data) = layout(&f);
    let shell = f.p(&shell_platform);
    let qq_exe = qq_dir.join("QQ.exe");
    fs::copy(common::fake_qq_binary(), &qq_exe).unwrap();
    let launcher = shell.join("NapCatWinBootMain.exe");
    fs::copy(common::fake_qq_binary(), &launcher).unwrap();
    let hook = shell.join("NapCatWinBootHook.dll");
    fs::write(&hook, b"MZ").unwrap();
    let logs = f.tmp.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    let (starts, consoles) = (logs.join("starts.log"), logs.join("consoles.log"));
    let napcat_logs = shell.join("logs");

    // As launcher-user.bat does: in NapCat's folder, its variables set, in a console window.
    let out = std::process::Command::new(&launcher)
        .args([
            qq_exe.to_str().unwrap(),
            hook.to_str().unwrap(),
            "-q",
            "123456",
        ])
        .current_dir(&shell)
        .env("NAPCAT_MAIN_PATH", main_path(&f, &shell_platform))
        .env(
            "NAPCAT_LAUNCHER_PATH",
            format!(r"{shell_platform}\NapCatWinBootMain.exe"),
        )
        .env(
            "NAPCAT_INJECT_PATH",
            format!(r"{shell_platform}\NapCatWinBootHook.dll"),
        )
        .env("FAKE_NAPCAT_LOGS", &napcat_logs)
        .env("FAKE_QQ_LOG", &starts)
        .env("FAKE_QQ_CONSOLE", &consoles)
        .env("FAKE_QQ_LIFETIME", "90")
        .creation_flags(CREATE_NEW_CONSOLE)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run the launcher");
    assert!(out.success(), "{out:?}");
    let qq_of = |ls: &[Vec<String>]| -> Vec<Vec<String>> {
        ls.iter()
            .filter(|l| l.get(2).is_some_and(|a| a == "-q"))
            .cloned()
            .collect()
    };
    wait_for("QQ started by the launcher", || {
        qq_of(&records(&starts)).len() == 1
    });
    let old: u32 = qq_of(&records(&starts))[0][0].parse().unwrap();
    let _old = Kill(old);
    wait_for("NapCat writes its log", || {
        napcat_logs.join(format!("{old}.log")).exists()
    });

    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    let new = v["qq"]["restarted"][0]["pid"].as_u64().map(|p| p as u32);
    let _new = new.map(Kill);
    assert_eq!(code, 0, "{v:#}");
    assert!(!data.join(native("temp/a1b2.jpg")).exists());
    assert!(!common::alive(old));
    let new = new.unwrap();

    // The launcher ran again from NapCat's folder, with QQ's path, the hook and QQ's arguments.
    let all = records(&starts);
    let launches: Vec<&Vec<String>> = all
        .iter()
        .filter(|l| l.get(2).is_some_and(|a| a != "-q"))
        .collect();
    assert_eq!(launches.len(), 2, "{all:?}");
    assert_eq!(Path::new(&launches[1][1]), shell, "{all:?}");
    assert_eq!(Path::new(&launches[1][2]), qq_exe, "{all:?}");
    assert_eq!(Path::new(&launches[1][3]), hook, "{all:?}");
    assert_eq!(launches[1][4..], ["-q", "123456"], "{all:?}");
    // The new QQ is the one it started, NapCat is in it, and it has a console window.
    let qqs = qq_of(&all);
    assert_eq!(qqs.len(), 2, "{all:?}");
    assert_eq!(qqs[1][0], new.to_string(), "{all:?}");
    assert!(napcat_logs.join(format!("{new}.log")).exists());
    let console = records(&consoles)
        .into_iter()
        .find(|l| l[0] == new.to_string())
        .expect("the new QQ noted its console");
    assert_ne!(
        console[1], "0",
        "the restarted QQ has no console: {console:?}"
    );
}

/// A process this test caused to run, killed by its PID when dropped.
#[cfg(windows)]
struct Kill(u32);

#[cfg(windows)]
impl Drop for Kill {
    fn drop(&mut self) {
        stop_pid(self.0);
    }
}
