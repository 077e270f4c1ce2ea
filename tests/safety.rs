//! `clean` attacked as issue "clean can be steered outside the data dir" describes: every
//! test builds a real tree, tries to steer the deletion elsewhere, and checks that canaries
//! outside survive byte for byte, with honest exit codes and reports.

mod common;

use std::fs;
#[cfg(unix)]
use std::path::Path;
use std::path::PathBuf;
#[cfg(unix)]
use std::process::Command;

use common::{Fixture, Os, native};

fn linux() -> (Fixture, PathBuf) {
    let f = Fixture::new(Os::host());
    let data = if cfg!(windows) {
        f.windows_new()
    } else {
        f.linux_installer()
    };
    (f, data)
}

/// A folder outside the data dir with files that must survive, and their bytes.
struct Canaries {
    #[cfg_attr(windows, allow(dead_code))]
    dir: PathBuf,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Canaries {
    fn new(dir: PathBuf, names: &[&str]) -> Canaries {
        let files = names
            .iter()
            .map(|n| {
                let p = dir.join(native(n));
                let body = format!("canary {n}").into_bytes();
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(&p, &body).unwrap();
                (p, body)
            })
            .collect();
        Canaries { dir, files }
    }

    fn assert_intact(&self) {
        for (p, body) in &self.files {
            let now = fs::read(p).unwrap_or_else(|e| panic!("canary {} gone: {e}", p.display()));
            assert_eq!(&now, body, "canary {} changed", p.display());
        }
    }
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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

// ---- 2. a rename-exchange racer during the deletion ----------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn swapping_temp_for_a_link_during_the_deletion_deletes_nothing_outside() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let (f, data) = linux();
    let temp = data.join("temp");
    fs::remove_dir_all(&temp).unwrap();
    fs::create_dir(&temp).unwrap();
    const N: usize = 30_000;
    let name = |i: usize| format!("e{i:05}");
    for i in 0..N {
        if i % 100 == 0 {
            fs::create_dir_all(temp.join(name(i)).join("inner")).unwrap();
            fs::write(temp.join(name(i)).join("inner/f"), "x").unwrap();
        } else {
            fs::write(temp.join(name(i)), "x").unwrap();
        }
    }
    // Outside: files and folders named like temp's entries.
    let outside = f.tmp.path().join("outside");
    let names: Vec<String> = (0..N)
        .step_by(10)
        .map(|i| {
            if i % 100 == 0 {
                format!("{}/inner/f", name(i))
            } else {
                name(i)
            }
        })
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let canaries = Canaries::new(outside.clone(), &refs);
    let evil = data.join("evil");
    std::os::unix::fs::symlink(&outside, &evil).unwrap();

    // The run starts; once it is deleting (the msg_ folders come first), the racer swaps
    // temp/ and a link to the outside folder as fast as it can.
    let child = f
        .cmd()
        .args(["--json", "clean", "--yes"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while data.join("msg_1511954122").exists() {
        std::thread::yield_now();
    }
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let racer = {
        let (stop, swaps, temp, evil) = (stop.clone(), swaps.clone(), temp.clone(), evil.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if rustix::fs::renameat_with(
                    rustix::fs::CWD,
                    &temp,
                    rustix::fs::CWD,
                    &evil,
                    rustix::fs::RenameFlags::EXCHANGE,
                )
                .is_ok()
                {
                    swaps.fetch_add(1, Ordering::SeqCst);
                }
            }
        })
    };
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    stop.store(true, Ordering::SeqCst);
    racer.join().unwrap();
    // Put the real temp back at its name.
    if fs::symlink_metadata(&temp).is_ok_and(|m| m.file_type().is_symlink()) {
        rustix::fs::renameat_with(
            rustix::fs::CWD,
            &temp,
            rustix::fs::CWD,
            &evil,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .unwrap();
    }
    eprintln!("{} swaps during the run", swaps.load(Ordering::SeqCst));
    canaries.assert_intact();
    let left = fs::read_dir(&temp).unwrap().count();
    let failed = v["totals"]["failed"].as_u64().unwrap();
    // Honest: exit 5 exactly when entries were refused, and the count matches what went.
    assert_eq!(code, if failed > 0 { 5 } else { 0 }, "{}", v["totals"]);
    let temp_row = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "temp")
        .unwrap();
    assert_eq!(temp_row["entries"], N);
    assert_eq!(
        failed as usize, left,
        "every entry left is a reported failure"
    );
    let msg_files = 12; // two msg_ folders of six files each
    let removed = v["totals"]["removed_files"].as_u64().unwrap();
    let gone_dirs = (0..N)
        .step_by(100)
        .filter(|i| !temp.join(name(*i)).exists())
        .count() as u64;
    let gone = (N - left) as u64;
    assert_eq!(
        removed,
        gone + msg_files,
        "removed_files counts files that went"
    );
    assert!(gone_dirs <= gone);
}

// ---- 3. the data dir is pinned between preview and deletion ---------------------------------

#[cfg(unix)]
#[test]
fn a_data_dir_replaced_after_the_preview_is_not_cleaned() {
    use llob_doctor::clean::{execute, plan};
    use std::sync::atomic::AtomicBool;
    for replacement in ["symlink", "real folder"] {
        let (f, data) = linux();
        let plan = plan::scan(&data, &Default::default(), |_| {});
        assert!(plan.entry_count() > 0);
        // Another folder with the same names.
        let other = f.tmp.path().join("other");
        let canaries = Canaries::new(
            other.clone(),
            &[
                "msg_20002/CURRENT",
                "msg_1511954122/LOCK",
                "temp/image-1.png",
                "temp/sub/voice.silk",
            ],
        );
        // The ancestor renamed away, something else put in its place.
        let profile = data.parent().unwrap().parent().unwrap().to_path_buf();
        fs::rename(&profile, f.tmp.path().join("moved-away")).unwrap();
        let new_data = profile.join("data/LLOneBot");
        fs::create_dir_all(new_data.parent().unwrap()).unwrap();
        match replacement {
            "symlink" => std::os::unix::fs::symlink(&other, &new_data).unwrap(),
            _ => {
                fs::rename(&other, &new_data).unwrap();
            }
        }
        let done = execute::execute(
            &plan,
            execute::Mode::Delete,
            &AtomicBool::new(false),
            |_| {},
        );
        let all: Vec<_> = done.outcomes.iter().flatten().collect();
        assert!(
            all.iter().all(|o| o.action == execute::Action::Failed),
            "{replacement}"
        );
        let why = all[0]
            .error
            .as_ref()
            .unwrap()
            .render(llob_doctor::i18n::Lang::En);
        assert!(why.contains("not the folder previewed"), "{why}");
        if replacement == "real folder" {
            fs::rename(&new_data, &other).unwrap();
        }
        canaries.assert_intact();
        // The real data dir, moved, was not touched either.
        assert!(
            f.tmp
                .path()
                .join("moved-away/data/LLOneBot/msg_20002/CURRENT")
                .exists()
        );
    }
}

// ---- 4. mount points are not crossed -------------------------------------------------------

/// A bind mount, unmounted when dropped.
#[cfg(target_os = "linux")]
struct Mount(PathBuf);

#[cfg(target_os = "linux")]
impl Mount {
    fn bind(from: &Path, at: &Path) -> Option<Mount> {
        fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .arg("--bind")
            .arg(from)
            .arg(at)
            .output()
            .ok()?;
        if !ok.status.success() {
            eprintln!(
                "skipped: cannot bind-mount (needs root and mount): {}",
                String::from_utf8_lossy(&ok.stderr)
            );
            return None;
        }
        Some(Mount(at.to_path_buf()))
    }
}

#[cfg(target_os = "linux")]
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn mounts_inside_targets_are_left_alone_and_reported() {
    let (f, data) = linux();
    let a = Canaries::new(f.tmp.path().join("mounted-a"), &["x/keep", "keep2"]);
    let b = Canaries::new(f.tmp.path().join("mounted-b"), &["CURRENT", "000005.ldb"]);
    let Some(_m1) = Mount::bind(&a.dir, &data.join("temp/sub/mnt")) else {
        return;
    };
    // A whole msg_<uin> that is a mount point.
    let Some(_m2) = Mount::bind(&b.dir, &data.join("msg_30003")) else {
        return;
    };
    let (code, v) = f.json(&["clean", "--yes"]);
    a.assert_intact();
    b.assert_intact();
    assert_eq!(code, 5, "{v:#}");
    let problems = v["problems"].to_string();
    assert!(problems.contains("another filesystem"), "{problems}");
    assert!(problems.contains("msg_30003"), "{problems}");
    assert!(problems.contains("mnt"), "{problems}");
    // The rest went, and the count says what really went.
    assert!(!data.join("msg_20002").exists());
    assert!(!data.join("temp/image-1.png").exists());
    assert!(v["totals"]["removed_files"].as_u64().unwrap() >= 13);
}

// ---- 5. --fs-root cannot be escaped ------------------------------------------------------

#[cfg(unix)]
#[test]
fn paths_read_from_the_inspected_disk_stay_under_fs_root() {
    use std::os::unix::fs::symlink;
    // The host's folder that the inspected disk tries to point at.
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    let host = f.tmp.path().join("host-profile");
    let host_data = host.join("data/LLOneBot");
    f.data_dir(&host_data, &["55555"], &[]);
    let canaries = Canaries::new(host_data.clone(), &["msg_55555/keep", "temp/keep"]);
    fs::remove_dir_all(data.parent().unwrap().parent().unwrap()).unwrap();

    // (a) `..` in the profile from .bashrc: climbs from the root to the host folder.
    let up = "/../host-profile";
    f.write(
        &f.p("/home/alice/.bashrc"),
        format!(
            "# BEGIN LITELOADERQQNT\nexport LITELOADERQQNT_PROFILE=\"{up}\"\n# END LITELOADERQQNT\n"
        ),
    );
    let out = f.run(&["clean", "--yes"]);
    canaries.assert_intact();
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        !stdout(&out).contains("host-profile/data"),
        "{}",
        stdout(&out)
    );
    let out = f.run(&["detect", "-v"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("climbs above --fs-root"), "{text}");

    // (b) an absolute symlink on the disk, pointing at the host's folder.
    f.write(
        &f.p("/home/alice/.bashrc"),
        "# BEGIN LITELOADERQQNT\nexport LITELOADERQQNT_PROFILE=\"/home/alice/profile\"\n# END LITELOADERQQNT\n",
    );
    symlink(&host, f.p("/home/alice/profile")).unwrap();
    let out = f.run(&["clean", "--yes"]);
    canaries.assert_intact();
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));

    // (c) a data dir given on the command line that resolves outside the root.
    let inside_link = f.p("/home/alice/data-link");
    symlink(&host_data, &inside_link).unwrap();
    let out = f.run(&[
        "clean",
        "--yes",
        "--data-dir",
        inside_link.to_str().unwrap(),
    ]);
    canaries.assert_intact();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside --fs-root"),
        "{}",
        stderr(&out)
    );
}

// ---- 7. refusals by identity --------------------------------------------------------------

/// The binary without --fs-root, HOME pointing at `home`.
#[cfg(unix)]
fn plain(home: &Path) -> Command {
    let mut c = Command::new(common::BIN);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .args(["--color", "never"]);
    c
}

#[cfg(unix)]
#[test]
fn roots_homes_and_the_fs_root_are_refused_whatever_the_spelling() {
    let (f, _data) = linux();
    let link_to_root = f.tmp.path().join("rootlink");
    std::os::unix::fs::symlink("/", &link_to_root).unwrap();
    let home = f.tmp.path().join("realhome");
    f.data_dir(&home, &["10001"], &[]);
    for dir in ["/tmp/..", link_to_root.to_str().unwrap()] {
        let out = plain(&home)
            .args(["clean", "--dry-run", "--data-dir", dir])
            .output()
            .unwrap();
        // Refused (by discovery already: / holds nothing of LLOneBot's; the guard refuses it
        // by identity too, see the unit tests).
        assert_eq!(out.status.code(), Some(2), "{dir}: {}", stderr(&out));
    }
    // This process's home, even looking like a data dir.
    let out = plain(&home)
        .args(["clean", "--yes", "--data-dir", home.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("home folder"), "{}", stderr(&out));
    assert!(home.join("msg_10001/CURRENT").exists());
    // Every home of the passwd database (root's too).
    for passwd_home in common_passwd_homes() {
        let out = plain(&home)
            .args([
                "clean",
                "--dry-run",
                "--data-dir",
                passwd_home.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", passwd_home.display());
    }
    // With --fs-root: the root folder itself, and the inspected disk's passwd homes.
    f.data_dir(&f.root, &["10002"], &[]);
    let out = f.run(&["clean", "--yes", "--data-dir", f.root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--fs-root folder itself"),
        "{}",
        stderr(&out)
    );
    f.write(&f.p("/etc/passwd"), "bob:x:1000:1000::/home/bob:/bin/sh\n");
    let bob = f.p("/home/bob");
    f.data_dir(&bob, &["10003"], &[]);
    let out = f.run(&["clean", "--yes", "--data-dir", bob.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("home folder"), "{}", stderr(&out));
    assert!(bob.join("msg_10003/CURRENT").exists());
}

#[cfg(unix)]
fn common_passwd_homes() -> Vec<PathBuf> {
    fs::read_to_string("/etc/passwd")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split(':').nth(5))
        .filter(|h| h.starts_with('/') && *h != "/" && Path::new(h).is_dir())
        .map(PathBuf::from)
        .take(5)
        .collect()
}

// ---- 8. only what LLOneBot writes makes a data dir ------------------------------------------

#[test]
fn an_ordinary_project_folder_is_not_a_data_dir() {
    let (f, _data) = linux();
    let project = f.p(if cfg!(windows) {
        r"C:\Users\alice\myproject"
    } else {
        "/home/alice/myproject"
    });
    let canaries = Canaries::new(
        project.clone(),
        &[
            "temp/draft.docx",
            "logs/server.log",
            "msg_2023/notes.txt",
            "config_1.json",
        ],
    );
    f.mkdir(&project.join("database"));
    let out = f.run(&[
        "clean",
        "--logs",
        "--yes",
        "--data-dir",
        project.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    canaries.assert_intact();
}

#[test]
fn an_empty_data_dir_at_its_documented_place_is_nothing_to_clean() {
    let (f, data) = linux();
    fs::remove_dir_all(&data).unwrap();
    fs::create_dir_all(&data).unwrap();
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("Nothing to clean"),
        "{}",
        stdout(&out)
    );
    // Named by hand it is no data dir.
    let out = f.run(&["clean", "--yes", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
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

// ---- 10. terminal escapes in names ---------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn names_with_terminal_escapes_are_printed_escaped() {
    let (f, data) = linux();
    let evil = data.join("temp/x\x1b[2J\x1b]0;pwned\x07y");
    fs::create_dir_all(&evil).unwrap();
    let a = Canaries::new(f.tmp.path().join("m"), &["keep"]);
    let Some(_m) = Mount::bind(&a.dir, &evil.join("mnt")) else {
        return;
    };
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(5), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        !text.contains('\x1b') && !text.contains('\x07'),
        "raw escapes: {text:?}"
    );
    assert!(text.contains("x\\x1b[2J\\x1b]0;pwned\\x07y"), "{text}");
    a.assert_intact();
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
            eprintln!("skipped for SIG{sig}: the run finished before the signal arrived");
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

// ---- #21: honest summaries ----------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_symlinked_temp_is_named_and_not_followed() {
    let (f, data) = linux();
    let outside = Canaries::new(f.tmp.path().join("elsewhere"), &["a.png"]);
    fs::remove_dir_all(data.join("temp")).unwrap();
    std::os::unix::fs::symlink(&outside.dir, data.join("temp")).unwrap();
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("is a link: not followed"),
        "{}",
        stdout(&out)
    );
    outside.assert_intact();
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
        Err(e) => eprintln!("skipped the hard link case: cannot make a hard link here: {e}"),
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
        eprintln!(
            "skipped the link case: this Windows (Wine) cannot create symlinks or junctions; \
             the link decision is tested as a table (clean::remove::links)"
        );
        return;
    }
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    outside.assert_intact();
}
