//! `clean` attacked as issue "clean can be steered outside the data dir" describes: every
//! test builds a real tree, tries to steer the deletion elsewhere, and checks that canaries
//! outside survive byte for byte, with honest exit codes and reports.
//!
//! This file: escapes: a folder swapped for a link mid-deletion, a data dir replaced after the
//! preview, mounts inside targets, paths that climb out of --fs-root, and links at a target's
//! name. Unix only: the links, renames and mounts are made as Unix makes them.
#![cfg(unix)]

mod common;

use std::fs;
#[cfg(target_os = "linux")]
use std::path::{Path, PathBuf};
#[cfg(target_os = "linux")]
use std::process::Command;

use common::safety::{Canaries, linux, stderr, stdout};
use common::{Fixture, Os};

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
            common::skip(&format!(
                "cannot bind-mount (needs root and mount): {}",
                String::from_utf8_lossy(&ok.stderr)
            ));
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
