//! How a run ends early: SIGTERM, SIGINT and SIGHUP end every phase (not only a clean's
//! removal, which stops between entries), a panic in any thread ends the process at once with
//! exit 70 and a clear message, and in both cases the lock is free for the next run.
//!
//! Places that never end or panic are made with the test builds' failpoints
//! (`LLOB_DOCTOR_FAILPOINT=<place>=hang|panic`, compiled out of release builds); a hung
//! `--stop-cmd` is a real one. Every run is watched: one still running after a minute is
//! killed and fails the test as hung.
#![cfg(unix)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::safety::{linux, stderr};

fn wait_bounded(child: Child, what: &str) -> Output {
    common::watch::output_within(child, what)
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: a plain kill(2) of the child this test started.
    unsafe {
        libc::kill(child.id() as libc::pid_t, sig);
    }
}

/// Reads the child's stderr until a line holding `mark` (the failpoint saying it hangs), and
/// keeps the rest for the output.
fn wait_for_line(child: &mut Child, mark: &str) -> String {
    let err = child.stderr.take().expect("stderr");
    let mut reader = BufReader::new(err);
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("read");
        assert!(n > 0, "ended before {mark:?}:\n{seen}");
        seen.push_str(&line);
        if line.contains(mark) {
            // The rest of stderr is drained on a thread, so the child never blocks on it.
            std::thread::spawn(move || {
                let mut rest = String::new();
                let _ = std::io::Read::read_to_string(&mut reader, &mut rest);
            });
            return seen;
        }
    }
}

fn failpoints_built() -> bool {
    if !cfg!(debug_assertions) {
        common::skip("failpoints exist in debug builds only");
        return false;
    }
    true
}

/// Ends the stop command's `sleep` (by the PID it wrote) when the test is done with it.
struct Sleeper(std::path::PathBuf);

impl Drop for Sleeper {
    fn drop(&mut self) {
        if let Some(pid) = fs::read_to_string(&self.0)
            .ok()
            .and_then(|p| p.trim().parse::<i32>().ok())
        {
            // SAFETY: kill(2) of the `sleep` this test's stop command started.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

/// A `--stop-cmd` that never ends (a `docker stop` stuck on a dead daemon): SIGTERM ends the
/// run all the same, with 130, and the next scheduled run gets the lock (it used to wait for
/// the command for ever, and every later cron run exited 6).
#[test]
fn sigterm_ends_a_clean_stuck_in_its_stop_command_and_frees_the_lock() {
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        let (f, data) = linux();
        let pidfile = f.tmp.path().join("stop.pid");
        // Its own output elsewhere: the test reads llob-doctor's to the end.
        let stop = format!(
            "echo $$ > '{}'; exec sleep 600 </dev/null >/dev/null 2>&1",
            pidfile.display()
        );
        let child = f
            .cmd()
            .args(["clean", "--yes", "--stop-cmd", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run");
        let started = Instant::now();
        while !pidfile.exists() && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(pidfile.exists(), "the stop command never ran");
        signal(&child, sig);
        // The stuck command is the test's to end, whatever happens.
        let _sleeper = Sleeper(pidfile.clone());
        let out = wait_bounded(child, "clean with a stuck stop command");
        assert_eq!(
            out.status.code(),
            Some(130),
            "signal {sig}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
        assert!(
            data.join("temp/image-1.png").exists(),
            "nothing was removed"
        );
        // The next run takes the lock and cleans.
        let next = f.cmd().args(["clean", "--yes"]).output().expect("run");
        assert_eq!(next.status.code(), Some(0), "{}", stderr(&next));
        assert!(!data.join("temp/image-1.png").exists());
    }
}

/// SIGTERM while discovery, planning (lock held), `stats` or `doctor` never returns: the run
/// ends with 130 and says so.
#[test]
fn sigterm_ends_every_phase() {
    if !failpoints_built() {
        return;
    }
    let cases: [(&str, &[&str]); 5] = [
        ("discover", &["detect"]),
        ("discover", &["doctor"]),
        ("discover", &["stats"]),
        ("stats_worker", &["stats"]),
        ("qq_cache_walk", &["clean", "--yes", "--qq-cache"]),
    ];
    for (place, args) in cases {
        let (f, data) = linux();
        f.mkdir(&f.p(
            "/home/alice/.config/QQ/nt_qq_0123456789abcdef0123456789abcdef/nt_data/Pic/2024-01/Ori",
        ));
        let what = format!("{place}: {}", args.join(" "));
        let mut child = f
            .cmd()
            .args(args)
            .env("LLOB_DOCTOR_FAILPOINT", format!("{place}=hang"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run");
        let seen = wait_for_line(&mut child, "hanging");
        signal(&child, libc::SIGTERM);
        let out = wait_bounded(child, &what);
        assert_eq!(out.status.code(), Some(130), "{what}: {seen}");
        if args[0] == "clean" {
            // The lock it held is free: the next run cleans.
            let next = f.cmd().args(["clean", "--yes"]).output().expect("run");
            assert_eq!(next.status.code(), Some(0), "{what}: {}", stderr(&next));
            assert!(!data.join("temp/image-1.png").exists());
        }
    }
}

/// A panic in a worker thread (QQ's cache walk, a stats worker) or in the main thread ends
/// the process at once with exit 70 and the internal-error message (it used to leave the
/// main thread waiting for ever), and the lock it held is free for the next run.
#[test]
fn a_panic_in_any_thread_ends_the_run_at_once() {
    if !failpoints_built() {
        return;
    }
    let cases: [(&str, &[&str]); 5] = [
        ("qq_cache_walk", &["detect"]),
        ("qq_cache_walk", &["doctor"]),
        ("qq_cache_walk", &["clean", "--yes", "--qq-cache"]),
        ("stats_worker", &["stats"]),
        ("discover", &["--json", "stats"]),
    ];
    for (place, args) in cases {
        let (f, data) = linux();
        f.mkdir(&f.p(
            "/home/alice/.config/QQ/nt_qq_0123456789abcdef0123456789abcdef/nt_data/Pic/2024-01/Ori",
        ));
        let what = format!("{place}: {}", args.join(" "));
        let child = f
            .cmd()
            .args(args)
            .env("LLOB_DOCTOR_FAILPOINT", format!("{place}=panic"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run");
        let out = wait_bounded(child, &what);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(70), "{what}: {err}");
        assert!(
            err.contains("llob-doctor: internal error: failpoint"),
            "{what}: {err}"
        );
        assert!(err.contains("please report"), "{what}: {err}");
        if args[0] == "--json" {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
            assert_eq!(v["exit_code"], 70, "{v}");
        }
        if args[0] == "clean" {
            assert!(lock_free(&f, &data), "{what}");
        }
    }
}

/// The next clean gets the lock (exit 0, not 6) and cleans.
fn lock_free(f: &common::Fixture, data: &Path) -> bool {
    let next = f.cmd().args(["clean", "--yes"]).output().expect("run");
    next.status.code() == Some(0) && !data.join("temp/image-1.png").exists()
}
