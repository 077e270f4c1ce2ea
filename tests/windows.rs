//! Windows only, run under Wine in CI: the scheduled task registered through the real
//! `schtasks` and read back from Task Scheduler's own store, a double-click from Explorer (a
//! console of its own), plain paths, and the PowerShell completion script's shape.
//!
//! Registering a task and reading the task store change the machine: those tests run only
//! under Wine (the throwaway prefix CI makes), never on a real Windows.

// Most tests here are Windows only; the helpers they share sit unused elsewhere.
#![cfg_attr(not(windows), allow(dead_code, unused_imports))]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{BIN, Fixture, Os};
use serde_json::Value;

/// A clean environment with what Windows programs need, and the user folders in `home`.
#[cfg(windows)]
fn isolated(bin: &Path, home: &Path) -> Command {
    let mut c = Command::new(bin);
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
        .arg("--color")
        .arg("never");
    c
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

/// Text of a task file: UTF-16 with a mark (Windows), else UTF-8 (Wine writes UTF-8).
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

#[cfg(windows)]
fn task_store_file() -> PathBuf {
    let root = std::env::var_os("SystemRoot").expect("SystemRoot");
    PathBuf::from(root).join(r"System32\Tasks\llob-doctor clean")
}

/// The binary copied to `C:\…\张三\llob doctor\llob-doctor.exe`: spaces and a Chinese user name.
fn binary_in_a_hard_place(tmp: &Path) -> PathBuf {
    let dir = tmp.join("张三").join("llob doctor");
    fs::create_dir_all(&dir).unwrap();
    let exe = dir.join(if cfg!(windows) {
        "llob-doctor.exe"
    } else {
        "llob-doctor"
    });
    fs::copy(BIN, &exe).unwrap();
    exe
}

#[cfg(windows)]
#[test]
fn the_task_is_registered_replaced_shown_and_removed_through_schtasks() {
    if !common::under_wine() {
        common::skip("registers a real task; runs only in Wine's throwaway prefix");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let exe = binary_in_a_hard_place(tmp.path());
    let exe_text = exe.to_str().unwrap().to_string();
    assert!(!exe_text.starts_with(r"\\?\"));
    let log = tmp.path().join("张三").join("logs").join("clean.log");
    let run = |args: &[&str]| {
        isolated(&exe, &home)
            .arg("--json")
            .args(args)
            .output()
            .unwrap()
    };
    let store = task_store_file();

    // Start from nothing; removing nothing is not an error.
    let out = run(&["schedule", "remove"]);
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    assert!(!store.exists());

    // Installed from Downloads: it works, with a warning that it will not stay there.
    let downloads = home.join("Downloads");
    fs::create_dir_all(&downloads).unwrap();
    let downloaded = downloads.join("llob-doctor.exe");
    fs::copy(BIN, &downloaded).unwrap();
    let out = isolated(&downloaded, &home)
        .args([
            "--lang",
            "en",
            "schedule",
            "install",
            "--at",
            "04:30",
            "--log-file",
        ])
        .arg(&log)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!("runs from {} (", downloads.display())),
        "{err}"
    );
    assert!(err.contains("a folder of its own that stays put"), "{err}");

    let out = isolated(&exe, &home)
        .args([
            "--json",
            "schedule",
            "install",
            "--at",
            "04:30",
            "--log-file",
        ])
        .arg(&log)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["installed"], true);
    // The plain path, never `\\?\C:\…`, with the Chinese name intact.
    assert_eq!(v["job"]["exe"].as_str(), Some(exe_text.as_str()));

    // Task Scheduler's own copy. Wine's keeps the settings and the description (Wine 8 drops
    // triggers, principal and action); the description carries the whole command line.
    // (Wine writes quotes in text as they are, Windows as `&quot;`.)
    let stored = task_text(&fs::read(&store).expect("the task is in the task store"))
        .replace("&quot;", "\"");
    for part in [
        "<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>",
        "<StartWhenAvailable>true</StartWhenAvailable>",
        "<StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>",
        "<DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>",
        "<ExecutionTimeLimit>PT2H</ExecutionTimeLimit>",
        "every day at 04:30",
        &format!("\"{exe_text}\" clean --yes --quiet --log-file"),
    ] {
        assert!(stored.contains(part), "{part} not in\n{stored}");
    }
    // The definition we handed to schtasks: UTF-16 with a mark, the command as written.
    let ours = fs::read(log.with_file_name("llob-doctor-task.xml")).unwrap();
    assert_eq!(&ours[..2], &[0xFF, 0xFE]);
    let ours = task_text(&ours);
    assert!(ours.contains(&format!("<Command>{exe_text}</Command>")));
    assert!(ours.contains("<LogonType>InteractiveToken</LogonType>"));
    let workdir = exe.parent().unwrap().to_str().unwrap();
    assert!(ours.contains(&format!("<WorkingDirectory>{workdir}</WorkingDirectory>")));

    // A second install replaces the first.
    let out = isolated(&exe, &home)
        .args([
            "--json",
            "schedule",
            "install",
            "--at",
            "05:15",
            "--every",
            "week",
            "--weekday",
            "mon",
            "--log-file",
        ])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    let stored = task_text(&fs::read(&store).unwrap());
    assert!(stored.contains("every Monday at 05:15"), "{stored}");
    assert!(!stored.contains("04:30"), "{stored}");

    // show reads it back (Wine's schtasks has no /Query: from the store).
    let out = run(&["schedule", "show"]);
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["installed"], true, "{v}");
    // show lists every job: here the one for all bots, summed up (when, what it runs).
    let job = &v["jobs"][0];
    assert_eq!(job["name"], Value::Null, "{v}");
    assert!(job["content"].as_str().unwrap().contains("05:15"), "{v}");
    assert_eq!(job["trigger"], "every Monday at 05:15", "{v}");
    let words: Vec<&str> = job["command"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let command = words.join(" ");
    assert!(
        command.starts_with(&format!("{exe_text} clean --yes")),
        "{v}"
    );
    // The text sums the task up: when, what, the next and last run; its XML only with -v.
    let show = |verbose: bool| {
        let mut c = isolated(&exe, &home);
        c.args(["--lang", "en"]);
        if verbose {
            c.arg("-v");
        }
        let out = c.args(["schedule", "show"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = show(false);
    assert!(
        text.starts_with("Installed: task \"llob-doctor clean\""),
        "{text}"
    );
    for row in ["runs", "command", "last run"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(row)),
            "{row}: {text}"
        );
    }
    assert!(text.contains("every Monday at 05:15"), "{text}");
    assert!(text.contains(&exe_text), "{text}");
    assert!(
        !text.contains("<Task") && text.lines().count() < 12,
        "{text}"
    );
    let text = show(true);
    assert!(
        text.contains("<MultipleInstancesPolicy>IgnoreNew"),
        "{text}"
    );

    let definition = log.with_file_name("llob-doctor-task.xml");
    assert!(definition.exists());
    let out = run(&["schedule", "remove"]);
    let v = json(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(v["action"], "remove");
    assert!(!store.exists(), "the task is gone from the store");
    assert!(!definition.exists(), "the task definition is left behind");
    let out = run(&["schedule", "remove"]);
    assert_eq!(json(&out)["action"], "absent");
    let out = run(&["schedule", "show"]);
    assert_eq!(json(&out)["installed"], false);
}

/// CREATE_NEW_CONSOLE: the console Explorer gives a program it starts.
#[cfg(windows)]
const CREATE_NEW_CONSOLE: u32 = 0x0000_0010;

#[cfg(windows)]
fn double_click(home: &Path, profile: Option<&Path>, answers: &str) -> Output {
    use std::io::Write;
    use std::os::windows::process::CommandExt;
    let mut c = Command::new(BIN);
    c.env_clear();
    for keep in ["PATH", "SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP"] {
        if let Some(v) = std::env::var_os(keep) {
            c.env(keep, v);
        }
    }
    c.env("USERPROFILE", home).env("LANG", "en_US.UTF-8");
    if let Some(p) = profile {
        c.env("LITELOADERQQNT_PROFILE", p);
    }
    let mut child = c
        .creation_flags(CREATE_NEW_CONSOLE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[cfg(windows)]
#[test]
fn a_double_click_runs_the_doctor_and_asks_before_cleaning() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();

    // From a shell (this test's console, or none): no arguments is a usage error, as before.
    let out = Command::new(BIN)
        .env("LANG", "en_US.UTF-8")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // Nothing installed: the report, no question, and the window waits for Enter.
    let out = double_click(&home, None, "\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("llob-doctor: checking"), "{text}");
    assert!(text.contains("Press Enter to close"), "{text}");
    assert!(!text.contains("Your choice (y or 1"), "{text}");
    assert_eq!(out.status.code(), Some(3), "{text}");

    // A profile with LLOneBot's data: the preview, then "no" keeps everything.
    let f = Fixture::new(Os::Windows);
    let profile = tmp.path().join("LiteLoaderQQNT");
    f.ll_root(&profile, "1.2.2");
    f.llonebot_plugin(&profile, "LLOneBot", "3.28.3");
    let data = profile.join(r"data\LLOneBot");
    f.data_dir(&data, &["1511954122"], &[]);
    let out = double_click(&home, Some(&profile), "n\n\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Your choice (y or 1"), "{text}");
    assert!(text.contains("Nothing was removed."), "{text}");
    assert!(data.join("msg_1511954122").exists());
    assert!(data.join(r"temp\image-1.png").exists());

    // "y" cleans.
    let out = double_click(&home, Some(&profile), "y\n\n");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!data.join(r"temp\image-1.png").exists(), "{text}");
}

#[cfg(windows)]
#[test]
fn a_launcher_with_forward_slashes_shows_backslashes() {
    let tmp = tempfile::tempdir().unwrap();
    let f = Fixture::new(Os::Windows);
    let qq = tmp.path().join("QQNT");
    fs::create_dir_all(&qq).unwrap();
    fs::write(qq.join("QQ.exe"), b"MZ").unwrap();
    let app = qq.join(r"resources\app");
    f.qq_app(&app, "9.9.12-26466", "./app_launcher/LiteLoader.js");
    let ll = tmp.path().join("张三").join("LiteLoaderQQNT");
    f.ll_root(&ll, "1.2.2");
    f.llonebot_plugin(&ll, "LLOneBot", "3.28.3");
    f.data_dir(&ll.join(r"data\LLOneBot"), &["10001"], &[]);
    let forward = ll.to_str().unwrap().replace('\\', "/");
    f.write(
        &app.join(r"app_launcher\LiteLoader.js"),
        format!("require(\"{forward}\");\n"),
    );
    let home = tmp.path().join("home");
    let out = isolated(Path::new(BIN), &home)
        .arg("--qq-dir")
        .arg(&qq)
        .args(["--json", "detect"])
        .output()
        .unwrap();
    let v = json(&out);
    // Backslashes only, no `\\?\`, in the paths the launcher led to.
    assert_eq!(v["liteloader"]["root"].as_str(), ll.to_str(), "{v}");
    assert_eq!(v["liteloader"]["source"], "launcher", "{v}");
    let data = ll.join(r"data\LLOneBot");
    assert_eq!(v["llonebot"]["data_dir"].as_str(), data.to_str(), "{v}");
    let text = isolated(Path::new(BIN), &home)
        .arg("--qq-dir")
        .arg(&qq)
        .args(["--lang", "en", "detect"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(data.to_str().unwrap()), "{text}");
    assert!(!text.contains(&forward), "{text}");
}

/// PowerShell is not in Debian: the script is checked by its shape, not run.
#[test]
fn the_powershell_completion_script_has_its_shape() {
    let out = Command::new(BIN)
        .args(["--lang", "en", "completions", "powershell"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        s.starts_with("\n") || s.starts_with("using namespace"),
        "{}",
        &s[..80.min(s.len())]
    );
    assert!(s.contains("Register-ArgumentCompleter -Native -CommandName 'llob-doctor'"));
    for sub in [
        "detect",
        "clean",
        "schedule",
        "doctor",
        "check-versions",
        "stats",
    ] {
        assert!(s.contains(&format!("'{sub}'")), "{sub}");
    }
    for flag in ["--older-than", "--trash", "--stop-qq", "--json"] {
        assert!(s.contains(&format!("'{flag}'")), "{flag}");
    }
    // Balanced braces and parentheses: a script PowerShell can parse as a whole.
    let count = |c: char| s.chars().filter(|&x| x == c).count();
    assert_eq!(count('{'), count('}'));
    assert_eq!(count('('), count(')'));
    // PowerShell's single-quoted strings double a quote inside: every line closes its strings.
    for line in s.lines() {
        assert_eq!(line.matches('\'').count() % 2, 0, "{line}");
    }
    // Every subcommand's flags live in a case of its own path, e.g. 'llob-doctor;clean'.
    assert!(s.contains("'llob-doctor;clean'"));
    assert!(s.contains("'llob-doctor;schedule'"));
}

#[cfg(not(windows))]
#[test]
fn the_hard_place_is_a_real_folder() {
    // The Windows tests' copy of the binary under a Chinese name with a space works anywhere.
    let tmp = tempfile::tempdir().unwrap();
    let exe = binary_in_a_hard_place(tmp.path());
    let out = Command::new(&exe).arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(windows)]
#[test]
fn a_trash_that_fails_says_nothing_was_moved() {
    let tmp = tempfile::tempdir().unwrap();
    let f = Fixture::new(Os::Windows);
    let data = tmp.path().join(r"张三\LiteLoaderQQNT\data\LLOneBot");
    f.data_dir(&data, &["10001"], &[]);
    // Output to a file, not a pipe: the shell's trash may start Wine's `explorer.exe /desktop`,
    // which inherits the handles and would keep a pipe open long after llob-doctor exits.
    let report = tmp.path().join("report.json");
    let status = isolated(Path::new(BIN), &tmp.path().join("home"))
        .arg("--data-dir")
        .arg(&data)
        .args(["--json", "clean", "--yes", "--trash"])
        .stdin(Stdio::null())
        .stdout(fs::File::create(&report).unwrap())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let out = Output {
        status,
        stdout: fs::read(&report).unwrap(),
        stderr: Vec::new(),
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !common::under_wine() {
        // A real Windows has a Recycle Bin.
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(!data.join(r"temp\image-1.png").exists());
        return;
    }
    // Wine 8 has no Recycle Bin to move to (E_NOTIMPL): each entry says so, in words.
    assert_eq!(out.status.code(), Some(5), "{text}");
    assert!(
        text.contains("could not move it to the trash, so nothing was moved"),
        "{text}"
    );
    assert!(text.contains("(0x8"), "the HRESULT in hex: {text}");
    assert!(!text.contains("-2147"), "{text}");
    assert!(data.join(r"temp\image-1.png").exists());
    assert!(data.join("msg_10001").exists());
}
