//! `clean` attacked as issue "clean can be steered outside the data dir" describes: every
//! test builds a real tree, tries to steer the deletion elsewhere, and checks that canaries
//! outside survive byte for byte, with honest exit codes and reports.
//!
//! This file: the run itself: a lock file that follows nothing, trees far deeper than a path
//! can name, and signals in the middle of a deletion.

mod common;

use std::fs;
#[cfg(unix)]
use std::path::Path;
#[cfg(unix)]
use std::process::Command;

use common::safety::{Canaries, linux, stderr};

// ---- 1. the lock file follows nothing ------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_lock_name_that_is_a_link_a_hardlink_or_a_fifo_is_refused_and_nothing_is_written() {
    use std::os::unix::fs::symlink;
    let (f, data) = linux();
    let lock = data.join(".llob-doctor.lock");
    let outside = Canaries::new(f.tmp.path().join("outside"), &["victim", "hard"]);
    type Make<'a> = Box<dyn Fn() + 'a>;
    let cases: Vec<(&str, Make)> = vec![
        (
            "symlink",
            Box::new(|| symlink(&outside.files[0].0, &lock).unwrap()),
        ),
        (
            "dangling symlink",
            Box::new(|| symlink(f.tmp.path().join("outside/new-file"), &lock).unwrap()),
        ),
        (
            "hardlink",
            Box::new(|| fs::hard_link(&outside.files[1].0, &lock).unwrap()),
        ),
        (
            "fifo",
            Box::new(|| {
                let ok = Command::new("mkfifo").arg(&lock).status().unwrap();
                assert!(ok.success());
            }),
        ),
        ("folder", Box::new(|| fs::create_dir(&lock).unwrap())),
    ];
    for (what, make) in cases {
        make();
        // --yes with things to clean; a FIFO must not make it hang (the run is waited for
        // by a watchdog that kills it, which fails the test).
        let child = f
            .cmd()
            .args(["clean", "--yes"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        let watchdog = std::thread::spawn(move || {
            for _ in 0..600 {
                std::thread::sleep(std::time::Duration::from_millis(100));
                if fs::metadata(format!("/proc/{pid}")).is_err() {
                    return false;
                }
            }
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            true
        });
        let out = child.wait_with_output().unwrap();
        assert!(!watchdog.join().unwrap(), "{what}: clean hung on the lock");
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("refusing to use the lock file"),
            "{what}: {err}"
        );
        outside.assert_intact();
        assert!(!f.tmp.path().join("outside/new-file").exists(), "{what}");
        assert!(data.join("msg_20002").exists(), "{what}: cleaned anyway");
        // Removed by hand, as the hint says.
        if fs::symlink_metadata(&lock).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir(&lock).unwrap();
        } else {
            fs::remove_file(&lock).unwrap();
        }
    }
}

#[test]
fn the_lock_file_is_gone_after_a_run_and_a_stale_one_of_ours_is_reused() {
    let (_f, data) = linux();
    let lock = data.join(".llob-doctor.lock");
    // A stale lock of an earlier run that was killed.
    fs::write(&lock, "99999999").unwrap();
    let (code, v) = _f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        fs::symlink_metadata(&lock).is_err(),
        "lock file left behind"
    );
    let (code, _) = _f.json(&["clean", "--yes"]);
    assert_eq!(code, 0);
    assert!(
        fs::symlink_metadata(&lock).is_err(),
        "lock file left behind"
    );
}

// ---- 9. very deep trees --------------------------------------------------------------------

/// `levels` nested folders `d` below `top`, built relative to open folders (the path grows far
/// past PATH_MAX); every folder gets mtime `old`, the file at the bottom is new.
#[cfg(unix)]
fn deep_tree(top: &Path, levels: usize, old: i64) {
    use rustix::fs::{
        AtFlags, CWD, Mode, OFlags, Timespec, Timestamps, mkdirat, openat, utimensat,
    };
    fs::create_dir(top).unwrap();
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let mut fd = openat(CWD, top, flags, Mode::empty()).unwrap();
    let t = Timestamps {
        last_access: Timespec {
            tv_sec: old,
            tv_nsec: 0,
        },
        last_modification: Timespec {
            tv_sec: old,
            tv_nsec: 0,
        },
    };
    for _ in 0..levels {
        mkdirat(&fd, "d", Mode::from_raw_mode(0o755)).unwrap();
        let next = openat(&fd, "d", flags, Mode::empty()).unwrap();
        fd = next;
    }
    let file = openat(
        &fd,
        "fresh",
        OFlags::WRONLY | OFlags::CREATE,
        Mode::from_raw_mode(0o644),
    )
    .unwrap();
    drop(file);
    drop(fd);
    // Old times on every folder, from the bottom up is not possible by path: walk down again.
    let mut fd = openat(CWD, top, flags, Mode::empty()).unwrap();
    utimensat(CWD, top, &t, AtFlags::empty()).unwrap();
    for _ in 0..levels {
        utimensat(&fd, "d", &t, AtFlags::SYMLINK_NOFOLLOW).unwrap();
        let next = openat(&fd, "d", flags, Mode::empty()).unwrap();
        fd = next;
    }
}

#[cfg(unix)]
#[test]
fn a_tree_20000_levels_deep_is_measured_to_the_bottom_and_removed_whole() {
    let (f, data) = linux();
    let old = 1_600_000_000; // 2020
    deep_tree(&data.join("temp/deep"), 20_000, old);
    common::set_mtime(
        &data.join("temp/image-1.png"),
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(old as u64),
    );
    // The fresh file at the bottom keeps the folder from --older-than.
    let (code, v) = f.json(&["clean", "--yes", "--older-than", "30d"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        data.join("temp/deep").exists(),
        "an old-looking folder with a fresh file went"
    );
    assert!(!data.join("temp/image-1.png").exists());
    // Without it, the whole tree goes: no stack overflow, a report, the right count.
    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!data.join("temp/deep").exists());
    let deep_row = &v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "temp")
        .unwrap();
    assert!(deep_row["files"].as_u64().unwrap() >= 1);
    assert!(v["totals"]["removed_files"].as_u64().unwrap() >= 1);
}

// ---- 11. signals ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn sigterm_and_sighup_mid_run_give_the_report_the_log_line_and_exit_130() {
    for sig in ["TERM", "HUP", "INT"] {
        let (f, data) = linux();
        let temp = data.join("temp");
        const N: usize = 40_000;
        for i in 0..N {
            fs::write(temp.join(format!("e{i:05}")), "x").unwrap();
        }
        let log = f.tmp.path().join("clean.log");
        let mut child = f
            .cmd()
            .args(["clean", "--yes", "--log-file", log.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the deletion has started, then signal.
        let first = temp.join("e00000");
        let mut waited = 0;
        while first.exists() && waited < 60_000 {
            std::thread::sleep(std::time::Duration::from_millis(1));
            waited += 1;
        }
        let _ = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(child.id().to_string())
            .status();
        let out = child.wait().unwrap();
        let mut text = String::new();
        use std::io::Read;
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        let left = fs::read_dir(&temp).unwrap().count();
        if left == 0 {
            common::skip(&format!(
                "for SIG{sig}: the run finished before the signal arrived"
            ));
            continue;
        }
        assert_eq!(out.code(), Some(130), "SIG{sig}: {text}");
        let line = text
            .lines()
            .find(|l| l.starts_with("Interrupted after"))
            .unwrap_or_else(|| panic!("SIG{sig}: no summary line in {text}"));
        assert!(
            line.contains(&format!("{left} left in place")),
            "{line} ({left} left)"
        );
        assert!(
            !text.contains("not removed:"),
            "one line, not one per entry: {text}"
        );
        let logged = fs::read_to_string(&log).unwrap();
        let v: serde_json::Value = serde_json::from_str(logged.lines().last().unwrap()).unwrap();
        assert_eq!(v["exit_code"], 130, "SIG{sig}");
        assert_eq!(
            v["failed"],
            v["failures"].as_array().unwrap().len(),
            "SIG{sig}"
        );
    }
}

// ---- Windows (and under Wine) ---------------------------------------------------------------

#[cfg(windows)]
#[test]
fn windows_a_lock_name_that_is_a_hardlink_or_a_folder_is_refused() {
    let (f, data) = linux();
    let lock = data.join(".llob-doctor.lock");
    let outside = Canaries::new(f.tmp.path().join("outside"), &["victim"]);
    match fs::hard_link(&outside.files[0].0, &lock) {
        Ok(()) => {
            let out = f.run(&["clean", "--yes"]);
            assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
            assert!(stderr(&out).contains("hard links"), "{}", stderr(&out));
            outside.assert_intact();
            fs::remove_file(&lock).unwrap();
        }
        Err(e) => common::skip(&format!(
            "the hard link case: cannot make a hard link here: {e}"
        )),
    }
    fs::create_dir(&lock).unwrap();
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(data.join("msg_20002").exists() || data.join("temp").exists());
    fs::remove_dir(&lock).unwrap();
    // A symlink or junction at the lock's name needs links, which Wine cannot make.
    // (Wine answers success without making anything.)
    if std::os::windows::fs::symlink_file(&outside.files[0].0, &lock).is_err()
        || fs::symlink_metadata(&lock).is_err()
    {
        common::skip(
            "the link case: this Windows (Wine) cannot create symlinks or junctions; \
             the link decision is tested as a table (clean::remove::links)",
        );
        return;
    }
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    outside.assert_intact();
}
