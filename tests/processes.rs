//! Real processes: a copy of a small sleeping program named like QQ, started inside a fake
//! install by the test and stopped by its PID. Nothing else is ever signalled.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Fixture, Os, Started, alive, start_fake_qq};
use serde_json::Value;

fn pids_of(v: &Value) -> Vec<u64> {
    v["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pid"].as_u64().unwrap())
        .collect()
}

fn wait_gone(pid: u32) -> bool {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Stops a PID reported by llob-doctor (a restarted QQ), by PID only.
fn stop_pid(pid: u32) {
    #[cfg(unix)]
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
    #[cfg(windows)]
    {
        let _ = std::process::Command::new("taskkill")
            .args(["/F", "/PID", &pid.to_string()])
            .status();
    }
}

fn linux_with_qq(args: &[&str]) -> (Fixture, std::path::PathBuf, Started) {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let qq = start_fake_qq(&f.p("/opt/QQ"), args, &[]);
    (f, data, qq)
}

#[test]
fn running_qq_is_found_as_main_process_of_its_install() {
    let (f, _, qq) = linux_with_qq(&["--children", "2"]);
    // Another program named qq, outside the install, is not QQ.
    let stranger = start_fake_qq(&f.p("/tmp/not-qq"), &[], &[]);
    std::thread::sleep(Duration::from_millis(300));
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qq"]["source"], "process");
    let procs = v["processes"].as_array().unwrap();
    let main = procs
        .iter()
        .find(|p| p["pid"] == qq.0.id())
        .expect("the started qq is listed");
    assert_eq!(main["main"], true);
    assert_eq!(main["verified"], true);
    assert!(Path::new(main["exe"].as_str().unwrap()).ends_with("opt/QQ/qq"));
    let helpers: Vec<&Value> = procs.iter().filter(|p| p["main"] == false).collect();
    assert_eq!(helpers.len(), 2, "{procs:#?}");
    assert!(helpers.iter().all(|p| p["verified"] == true));
    let other = procs
        .iter()
        .find(|p| p["pid"] == stranger.0.id())
        .expect("listed");
    assert_eq!(other["verified"], false);
    let text = String::from_utf8_lossy(&f.run(&["detect"]).stdout).to_string();
    assert!(text.contains(&format!("{} (main)", qq.0.id())), "{text}");
    assert!(text.contains("not of this install"), "{text}");
}

#[test]
fn profile_from_the_running_qq_environment() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let profile = f.p("/srv/qq-profile");
    f.llonebot_plugin(&profile, "LLOneBot", "3.28.5");
    f.data_dir(&profile.join("data/LLOneBot"), &["8888"], &[]);
    let _qq = start_fake_qq(
        &f.p("/opt/QQ"),
        &[],
        &[("LITELOADERQQNT_PROFILE", "/srv/qq-profile")],
    );
    let (_, v) = f.json(&["detect"]);
    assert_eq!(v["liteloader"]["profile_source"], "qq_environ", "{v:#}");
    assert_eq!(v["llonebot"]["version"], "3.28.5");
}

#[test]
fn clean_refuses_while_qq_runs() {
    let (f, data, qq) = linux_with_qq(&[]);
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&qq.0.id().to_string()) && err.contains("--stop-qq"),
        "{err}"
    );
    assert!(data.join("msg_30003").exists());
    assert!(alive(qq.0.id()));
}

#[test]
fn stop_qq_waits_for_every_process_then_cleans() {
    let (f, data, mut qq) = linux_with_qq(&["--children", "2"]);
    std::thread::sleep(Duration::from_millis(300));
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
    assert!(!data.join("msg_30003").exists());
}

#[cfg(unix)]
#[test]
fn a_qq_that_ignores_sigterm_needs_force() {
    let (f, data, qq) = linux_with_qq(&["--ignore-term"]);
    let t = Instant::now();
    let out = f.run(&["clean", "--yes", "--stop-qq", "--stop-timeout", "1"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(t.elapsed() >= Duration::from_secs(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(alive(qq.0.id()), "without --force it is left running");
    assert!(data.join("msg_30003").exists(), "nothing removed");

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
    assert!(!data.join("msg_30003").exists());
}

#[cfg(unix)]
fn qq_reaped(mut qq: Started) -> bool {
    qq.0.try_wait().ok().flatten().is_some()
}

#[test]
fn restart_qq_starts_it_again_with_the_same_arguments() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let log = f.tmp.path().join("qq-starts.log");
    let log_s = log.to_str().unwrap().to_string();
    let qq = start_fake_qq(
        &f.p("/opt/QQ"),
        &["--no-sandbox", "--profile=a b"],
        &[("FAKE_QQ_LOG", &log_s)],
    );
    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    let new_pid = v["qq"]["restarted_pid"].as_u64().expect("a new pid") as u32;
    assert_ne!(new_pid, qq.0.id());
    drop(qq);
    // The new QQ logs its start: same arguments, same working directory.
    let t = Instant::now();
    let mut lines = Vec::new();
    while t.elapsed() < Duration::from_secs(5) {
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
    stop_pid(new_pid);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: Vec<&str> = lines[0].split('\t').collect();
    let second: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(second[0], new_pid.to_string());
    assert_eq!(first[1..], second[1..], "cwd and arguments differ");
    assert!(!data.join("msg_30003").exists());
}

#[test]
fn restart_without_a_running_qq_starts_nothing() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let out = f.run(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("QQ was not running"));
}

#[cfg(unix)]
#[test]
fn two_cleans_at_once_one_exits_6() {
    // The first run holds the lock while it waits for a QQ that ignores SIGTERM.
    let (f, _data, qq) = linux_with_qq(&["--ignore-term"]);
    let first = f
        .cmd()
        .args(["clean", "--yes", "--stop-qq", "--stop-timeout", "3"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let out = f.run(&["clean", "--yes", "--stop-qq"]);
    let first = first.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("PID"));
    assert_eq!(first.status.code(), Some(4));
    drop(qq);
}

#[cfg(unix)]
#[test]
fn ctrl_c_while_waiting_for_qq_stops_with_130_and_removes_nothing() {
    let (f, data, _qq) = linux_with_qq(&["--ignore-term"]);
    let child = f
        .cmd()
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
    assert!(data.join("msg_30003").exists());
}
