//! Real processes: a copy of a small sleeping program named like QQ (`qq`, or `QQ.exe` on
//! Windows), started inside a fake install of this host's platform by the test and stopped by
//! its PID. Nothing else is ever signalled.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Fixture, Os, QQ_EXE, Started, alive, start_fake_qq, stop_pid, wait_gone};
use serde_json::Value;

fn pids_of(v: &Value) -> Vec<u64> {
    v["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pid"].as_u64().unwrap())
        .collect()
}

/// A fake install of this host's platform (the process list only holds names of the platform
/// inspected): Windows' new layout with `QQ.exe`, else the AUR layout with `qq`.
struct Host {
    f: Fixture,
    data: PathBuf,
    /// The QQ install folder.
    qq: PathBuf,
    /// The account's legacy LevelDB, which a clean removes.
    msg: PathBuf,
}

impl Host {
    fn new() -> Host {
        let f = Fixture::new(Os::host());
        let (data, qq, uin) = match f.os {
            Os::Windows => (
                f.windows_new(),
                f.p(r"C:\Program Files\Tencent\QQNT"),
                "1511954122",
            ),
            _ => (f.linux_aur(), f.p("/opt/QQ"), "30003"),
        };
        let msg = data.join(format!("msg_{uin}"));
        Host { f, data, qq, msg }
    }

    /// A platform path for a folder outside the install: `C:\<name>` or `/srv/<name>`.
    fn elsewhere(&self, name: &str) -> String {
        match self.f.os {
            Os::Windows => format!(r"C:\{name}"),
            _ => format!("/srv/{name}"),
        }
    }
}

fn with_qq(args: &[&str]) -> (Host, Started) {
    let h = Host::new();
    let qq = start_fake_qq(&h.qq, args, &[]);
    (h, qq)
}

fn same_file(a: &Path, b: &Path) -> bool {
    let canon =
        |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    canon(a) == canon(b)
}

#[test]
fn running_qq_is_found_as_main_process_of_its_install() {
    let h = Host::new();
    let f = &h.f;
    // Another program named like QQ, outside the install, is not QQ, even when it started first
    // and has the lower PID.
    let stranger = start_fake_qq(&f.p(&h.elsewhere("not-qq")), &[], &[]);
    let qq = start_fake_qq(&h.qq, &["--children", "2", "--no-sandbox"], &[]);
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qq"]["source"], "process");
    let procs = v["processes"].as_array().unwrap();
    let main = procs
        .iter()
        .find(|p| p["pid"] == qq.0.id())
        .expect("the started qq is listed");
    assert_eq!(main["main"], true, "{v:#}");
    assert_eq!(main["verified"], true, "{v:#}");
    assert_eq!(main["name"].as_str().unwrap(), QQ_EXE);
    assert!(same_file(
        Path::new(main["exe"].as_str().unwrap()),
        &h.qq.join(QQ_EXE)
    ));
    // What a restart needs: the command line and working folder as QQ was started.
    let cmd: Vec<&str> = main["cmd"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(cmd[1..], ["--children", "2", "--no-sandbox"], "{main:#}");
    let cwd = main["cwd"].as_str().unwrap();
    assert!(same_file(Path::new(cwd), &h.qq));
    assert!(!cwd.ends_with(['/', '\\']), "{cwd}");
    assert!(same_file(
        Path::new(v["qq"]["install_dir"].as_str().unwrap()),
        &h.qq
    ));
    assert_eq!(v["qq"]["source_detail"], format!("pid {}", qq.0.id()));
    let helpers: Vec<&Value> = procs.iter().filter(|p| p["main"] == false).collect();
    assert_eq!(helpers.len(), 2, "{procs:#?}");
    assert!(helpers.iter().all(|p| p["verified"] == true));
    let other = procs
        .iter()
        .find(|p| p["pid"] == stranger.0.id())
        .expect("listed");
    assert_eq!(other["verified"], false);
    // `detect -v` says why the stranger's folder was passed over.
    let passed_over = v["searched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reason"] == "no_qq_app")
        .unwrap_or_else(|| panic!("no passed-over install in {v:#}"));
    assert_eq!(passed_over["result"], "rejected");
    assert_eq!(passed_over["detail"], format!("pid {}", stranger.0.id()));
    let verbose = String::from_utf8_lossy(&f.run(&["detect", "-v"]).stdout).to_string();
    assert!(
        verbose.contains("no QQ app beside the executable"),
        "{verbose}"
    );
    let text = String::from_utf8_lossy(&f.run(&["detect"]).stdout).to_string();
    assert!(text.contains(&format!("{} (main)", qq.0.id())), "{text}");
    assert!(text.contains("not of this install"), "{text}");
}

#[test]
fn profile_from_the_running_qq_environment() {
    let h = Host::new();
    let f = &h.f;
    let platform_profile = h.elsewhere("qq-profile");
    let profile = f.p(&platform_profile);
    f.llonebot_plugin(&profile, "LLOneBot", "3.28.5");
    let data = profile.join("data").join("LLOneBot");
    f.data_dir(&data, &["8888"], &[]);
    let qq = start_fake_qq(&h.qq, &[], &[("LITELOADERQQNT_PROFILE", &platform_profile)]);
    let (_, v) = f.json(&["detect"]);
    assert_eq!(v["liteloader"]["profile_source"], "qq_environ", "{v:#}");
    assert_eq!(
        v["liteloader"]["profile_source_detail"],
        format!("pid {}", qq.0.id())
    );
    assert_eq!(v["llonebot"]["version"], "3.28.5");
    assert_eq!(Path::new(v["llonebot"]["data_dir"].as_str().unwrap()), data);
}

#[test]
fn clean_refuses_while_qq_runs() {
    let (h, qq) = with_qq(&[]);
    let out = h.f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&qq.0.id().to_string()) && err.contains("--stop-qq"),
        "{err}"
    );
    assert!(h.msg.exists());
    assert!(alive(qq.0.id()));
}

/// The preview while QQ runs says what the real clean needs, or, given the options, what it
/// will do; it stops nothing either way.
#[test]
fn a_dry_run_says_what_happens_to_a_running_qq() {
    let (h, qq) = with_qq(&[]);
    let pid = qq.0.id().to_string();
    for (args, says, not) in [
        (
            &["clean", "--dry-run"][..],
            "a real clean needs --stop-qq",
            "stops it first",
        ),
        (
            &["clean", "--dry-run", "--stop-qq"][..],
            "the real clean stops it first.",
            "needs --stop-qq",
        ),
        (
            &["clean", "--dry-run", "--stop-qq", "--restart-qq"][..],
            "stops it first and starts it again after",
            "needs --stop-qq",
        ),
    ] {
        let out = h.f.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.contains(&pid))
            .unwrap_or_else(|| panic!("{args:?}: no line names PID {pid}:\n{text}"));
        assert!(
            line.contains(says) && !line.contains(not),
            "{args:?}: {line}"
        );
        assert!(alive(qq.0.id()), "{args:?} stopped QQ");
        assert!(h.msg.exists(), "{args:?} removed something");
    }
}

#[test]
fn stop_qq_waits_for_every_process_then_cleans() {
    let (h, mut qq) = with_qq(&["--children", "2"]);
    let f = &h.f;
    let (_, before) = f.json(&["detect"]);
    assert_eq!(pids_of(&before).len(), 3);
    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--stop-timeout", "10"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qq"]["was_running"], true);
    assert_eq!(v["qq"]["stopped"], true);
    assert!(v["qq"]["killed"].as_array().unwrap().is_empty());
    let _ = qq.0.wait();
    for pid in pids_of(&before) {
        assert!(wait_gone(pid as u32), "pid {pid} still running");
    }
    assert!(!h.msg.exists());
    assert!(h.data.join("temp").is_dir());
}

/// A QQ that ignores the request to quit (SIGTERM, or the end-session messages on Windows).
#[test]
fn a_qq_that_ignores_the_quit_request_needs_force() {
    let (h, qq) = with_qq(&["--ignore-term"]);
    let f = &h.f;
    let t = Instant::now();
    let out = f.run(&["clean", "--yes", "--stop-qq", "--stop-timeout", "1"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(t.elapsed() >= Duration::from_secs(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--force"), "{err}");
    // It was asked: no complaint about asking.
    assert!(!err.contains("could not ask"), "{err}");
    assert!(alive(qq.0.id()), "without --force it is left running");
    assert!(h.msg.exists(), "nothing removed");

    let (code, v) = f.json(&[
        "clean",
        "--yes",
        "--stop-qq",
        "--stop-timeout",
        "1",
        "--force",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qq"]["killed"][0], qq.0.id());
    assert!(wait_gone(qq.0.id()) || qq_reaped(qq));
    assert!(!h.msg.exists());
}

/// On Windows QQ is asked to quit through its windows (the end-session messages); a QQ.exe
/// without any cannot be asked to quit. The failure is reported, nothing is removed (exit 4), and `--force` still kills it.
#[cfg(windows)]
#[test]
fn a_windowless_qq_cannot_be_asked_and_needs_force() {
    let (h, qq) = with_qq(&["--no-window"]);
    let f = &h.f;
    // Nobody could be asked, so there is nothing to wait for: the answer comes at once.
    let t = Instant::now();
    let out = f.run(&["clean", "--yes", "--stop-qq", "--stop-timeout", "60"]);
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "waited {:?}",
        t.elapsed()
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    let pid = qq.0.id();
    assert!(
        err.contains(&format!("could not ask QQ (PID {pid}) to quit"))
            && err.contains(&format!("PID {pid} has no window")),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert!(alive(pid));
    assert!(h.msg.exists(), "nothing removed");

    let (code, v) = f.json(&[
        "clean",
        "--yes",
        "--stop-qq",
        "--stop-timeout",
        "1",
        "--force",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qq"]["killed"][0], pid);
    assert!(wait_gone(pid) || qq_reaped(qq));
    assert!(!h.msg.exists());
}

/// QQ's default answer to closing its window is to hide in the tray: a plain `taskkill /PID`
/// (`WM_CLOSE`) leaves it running. `--stop-qq` sends the end-session messages instead, and it
/// quits without `--force`.
#[cfg(windows)]
#[test]
fn a_qq_that_hides_in_the_tray_quits_on_the_end_session_messages() {
    let (h, qq) = with_qq(&["--tray", "--children", "1"]);
    let f = &h.f;
    let pid = qq.0.id();
    let _ = std::process::Command::new("taskkill")
        .args(["/PID", &pid.to_string()])
        .output();
    std::thread::sleep(Duration::from_secs(1));
    assert!(alive(pid), "WM_CLOSE only hides it");
    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--stop-timeout", "20"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v["qq"]["killed"].as_array().unwrap().is_empty(), "{v:#}");
    assert!(wait_gone(pid) || qq_reaped(qq));
    assert!(!h.msg.exists());
}

fn qq_reaped(mut qq: Started) -> bool {
    qq.0.try_wait().ok().flatten().is_some()
}

#[test]
fn restart_qq_starts_it_again_with_the_same_arguments() {
    let h = Host::new();
    let f = &h.f;
    let log = f.tmp.path().join("qq-starts.log");
    let log_s = log.to_str().unwrap().to_string();
    // The restarted QQ inherits this environment: a shorter life, should the test fail.
    let qq = start_fake_qq(
        &h.qq,
        &["--no-sandbox", "--profile=a b"],
        &[("FAKE_QQ_LOG", &log_s), ("FAKE_QQ_LIFETIME", "90")],
    );
    let t = Instant::now();
    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    // Whoever reads llob-doctor's output (here: a pipe) gets its end when llob-doctor exits,
    // not when the QQ it started exits (Windows: QQ must not inherit our stdout).
    assert!(
        t.elapsed() < Duration::from_secs(60),
        "clean --restart-qq took {:?}: its output pipe stayed open in the restarted QQ",
        t.elapsed()
    );
    assert_eq!(v["qq"]["restarted"][0]["was_pid"], qq.0.id(), "{v:#}");
    let new_pid = v["qq"]["restarted"][0]["pid"].as_u64().expect("a new pid") as u32;
    assert_ne!(new_pid, qq.0.id());
    drop(qq);
    // The new QQ logs its start: same arguments, same working directory.
    let t = Instant::now();
    let mut lines = Vec::new();
    while t.elapsed() < Duration::from_secs(10) {
        lines = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect();
        if lines.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // It outlives the llob-doctor that started it, and is QQ of this install again.
    let (_, now) = f.json(&["detect"]);
    stop_pid(new_pid);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: Vec<&str> = lines[0].split('\t').collect();
    let second: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(second[0], new_pid.to_string());
    assert_eq!(first[1..], second[1..], "cwd and arguments differ");
    assert_eq!(pids_of(&now), [u64::from(new_pid)], "{now:#}");
    assert_eq!(now["processes"][0]["verified"], true);
    assert!(!h.msg.exists());
}

#[test]
fn restart_without_a_running_qq_starts_nothing() {
    let h = Host::new();
    let out = h.f.run(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("QQ was not running"));
}

#[test]
fn two_cleans_at_once_one_exits_6() {
    // The first run holds the lock while it waits for a QQ that ignores the request to quit.
    let (h, qq) = with_qq(&["--ignore-term"]);
    let f = &h.f;
    let first = f
        .cmd()
        .args(["clean", "--yes", "--stop-qq", "--stop-timeout", "8"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The lock file names its holder once the first run has it.
    let lock = h.data.join(".llob-doctor.lock");
    let t = Instant::now();
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != first.id().to_string() {
        assert!(
            t.elapsed() < Duration::from_secs(4),
            "the first run never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = f.run(&["clean", "--yes", "--stop-qq"]);
    let first_pid = first.id();
    let first = first.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(err.contains(&format!("(PID {first_pid})")), "{err}");
    assert_eq!(first.status.code(), Some(4));
    assert!(h.msg.exists());
    drop(qq);
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_for_qq_stops_with_130_and_removes_nothing() {
    let (h, _qq) = with_qq(&["--ignore-term"]);
    let child =
        h.f.cmd()
            .args(["clean", "--yes", "--stop-qq", "--stop-timeout", "20"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(h.msg.exists());
}
