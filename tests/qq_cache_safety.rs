//! QQ's media cache, the safety of the clean: links and a mount point inside the cache are not
//! followed, a running QQ stops the clean, and the executor's guard rechecks every planned entry
//! (a file or a month folder swapped for a link after the preview, a never-touch file slipped
//! into a plan).

mod common;
mod qq_cache_tree;

#[cfg(unix)]
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
#[cfg(unix)]
use std::path::PathBuf;
use std::time::Duration;

use common::{Fixture, Os};
use qq_cache_tree::*;

#[cfg(unix)]
#[test]
fn links_inside_the_cache_are_not_followed() {
    use std::os::unix::fs::symlink;
    let f = Fixture::new(Os::Linux);
    let (qq, a1, _, _) = linux(&f, ".config/QQ");
    let d = qq.join(format!("nt_qq_{HEX1}/nt_data"));
    let outside = f.tmp.path().join("outside");
    let victim = outside.join("2024-01/Ori/precious.jpg");
    put(&victim, 10, 100);
    // A link to a folder as a month folder, a linked file, and a whole kind moved by a link.
    symlink(&outside, d.join("Pic/2024-01")).unwrap();
    symlink(&victim, d.join("Pic/2024-06/Ori/link.jpg")).unwrap();
    let video_elsewhere = f.tmp.path().join("video-disk");
    put(&video_elsewhere.join("2024-06/Ori/big.mp4"), 10, 100);
    fs::remove_dir_all(d.join("Video")).unwrap();
    symlink(&video_elsewhere, d.join("Video")).unwrap();
    let (code, v) = f.json(&["clean", "--qq-cache", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(victim.is_file());
    assert!(video_elsewhere.join("2024-06/Ori/big.mp4").is_file());
    assert!(
        fs::symlink_metadata(d.join("Pic/2024-06/Ori/link.jpg")).is_ok(),
        "the link stays"
    );
    assert!(fs::symlink_metadata(d.join("Pic/2024-01")).is_ok());
    assert_kept(&a1.never);
    assert!(!d.join("Pic/2024-05").exists(), "the rest is cleaned");
}

/// Unmounts a bind mount when the test ends, passed or failed.
#[cfg(target_os = "linux")]
struct Mounted(PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_inside_the_cache_is_not_crossed() {
    let f = Fixture::new(Os::Linux);
    let (qq, a1, _, _) = linux(&f, ".config/QQ");
    let d = qq.join(format!("nt_qq_{HEX1}/nt_data"));
    let other = tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .expect("tempdir");
    let theirs = other.path().join("Ori/somebody-elses.jpg");
    put(&theirs, 10, 100);
    let point = d.join("Pic/2024-02");
    fs::create_dir_all(&point).unwrap();
    let ok = std::process::Command::new("mount")
        .args(["--bind"])
        .arg(other.path())
        .arg(&point)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        common::skip("mount --bind needs root (or a mount namespace) here");
        return;
    }
    let _mounted = Mounted(point.clone());
    if fs::metadata(&point)
        .map(|m| std::os::unix::fs::MetadataExt::dev(&m))
        .ok()
        == fs::metadata(&d)
            .map(|m| std::os::unix::fs::MetadataExt::dev(&m))
            .ok()
    {
        common::skip("the bind mount shows the same device number as the cache");
        return;
    }
    let (code, v) = f.json(&["clean", "--qq-cache", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(theirs.is_file(), "a file behind the mount point survives");
    assert_gone(&a1.goes);
    let (_, v) = f.json(&["-v", "detect"]);
    let skipped = v["qq_cache"]["roots"][0]["reports"][0]["skipped"].to_string();
    assert!(skipped.contains("2024-02"), "{skipped}");
}

/// `common::start_fake_qq`, retrying the start while the fresh copy is "text file busy": other
/// tests of this file start processes at the same time, and a child forked while the copy was
/// open for writing holds it until it runs its own program.
fn start_qq(dir: &Path) -> common::Started {
    fs::create_dir_all(dir).expect("mkdir");
    let exe = dir.join(common::QQ_EXE);
    fs::copy(common::fake_qq_binary(), &exe).expect("copy fake qq");
    let ready = dir.join(".fake-qq-ready");
    let mut tries = 0;
    let child = loop {
        match std::process::Command::new(&exe)
            .current_dir(dir)
            .env("FAKE_QQ_READY", &ready)
            .spawn()
        {
            Ok(c) => break common::Started(c),
            Err(e) if e.raw_os_error() == Some(26) && tries < 100 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("start fake qq: {e}"),
        }
    };
    let t = std::time::Instant::now();
    while !ready.exists() {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the fake QQ did not get ready"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn a_running_qq_stops_the_clean_with_exit_4() {
    let f = Fixture::new(Os::host());
    let (qq_dir, base) = match f.os {
        Os::Windows => (r"C:\Program Files\Tencent\QQNT", "Documents/Tencent Files"),
        _ => ("/opt/QQ", ".config/QQ"),
    };
    let a = match f.os {
        Os::Windows => nt_data(&f.home().join(base).join("30003").join("nt_qq"), None),
        _ => linux(&f, base).1,
    };
    let _qq = start_qq(&f.p(qq_dir));
    let out = f.run(&["clean", "--qq-cache", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_kept(&a.goes);
    // A preview is fine while QQ runs.
    let (code, v) = f.json(&["clean", "--qq-cache", "--dry-run"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!qq_rows(&v).is_empty());
}

/// The plan goes through the project's executor and guard: a file swapped for a link after the
/// preview is left alone (a sweep takes regular files only, never following a link), and a
/// never-touch file, or a whole month folder, slipped into a plan is refused by the guard.
#[cfg(unix)]
#[test]
fn the_guard_rechecks_each_qq_entry_before_removal() {
    use llob_doctor::clean::execute::{Action, Mode, execute};
    use llob_doctor::clean::plan::{Entry, EntryType, Kind, Target};
    use llob_doctor::qq_cache::{CacheKind, Selection, discover, plans};
    let f = Fixture::new(Os::Linux);
    let (qq, a1, _, _) = linux(&f, ".config/QQ");
    let env = llob_doctor::env::Env {
        platform: llob_doctor::env::Platform::Linux,
        home: Some("/home/alice".into()),
        vars: BTreeMap::new(),
        root: Some(f.root.clone()),
        registry: llob_doctor::env::Registry::Fake(BTreeMap::new()),
    };
    let roots = discover::find(&env, None, None);
    let sel = Selection {
        kinds: CacheKind::defaults(),
        older_than: 3 * 86_400,
        uins: vec!["123456789".into()],
    };
    let mut ps = plans(&roots, &sel);
    assert_eq!(ps.len(), 1, "one account asked for");
    // After the preview: a planned picture becomes a link to a file outside.
    let swapped = a1.goes[0].clone();
    let outside = f.tmp.path().join("outside.jpg");
    put(&outside, 5, 100);
    fs::remove_file(&swapped).unwrap();
    std::os::unix::fs::symlink(&outside, &swapped).unwrap();
    // And a database smuggled into the plan as a picture.
    let db = qq.join(format!("nt_qq_{HEX1}/nt_data/Pic/2024-06/Ori/index.db"));
    let p = &mut ps[0];
    p.targets.push(Target {
        kind: Kind(llob_doctor::stack::qq_cache::spec(CacheKind::Pic)),
        uin: None,
        path: db.parent().unwrap().to_path_buf(),
        entries: vec![Entry {
            path: db.clone(),
            entry_type: EntryType::File,
            files: 1,
            bytes: 10,
            newest: 0,
            sweep: None,
        }],
    });
    // A month folder as a whole (no sweep): it would take the database inside with it.
    let month = db.parent().unwrap().parent().unwrap().to_path_buf();
    p.targets.push(Target {
        kind: Kind(llob_doctor::stack::qq_cache::spec(CacheKind::Pic)),
        uin: None,
        path: month.clone(),
        entries: vec![Entry {
            path: month.clone(),
            entry_type: EntryType::Dir,
            files: 1,
            bytes: 10,
            newest: 0,
            sweep: None,
        }],
    });
    let done = execute(
        &ps[0],
        Mode::Delete,
        &std::sync::atomic::AtomicBool::new(false),
        |_| {},
    );
    // The two smuggled targets are the last two; the planned rows come before them.
    let (planned, smuggled) = done.outcomes.split_at(done.outcomes.len() - 2);
    // Refused by the guard: `Failed` (`Skipped` means not reached after an interruption).
    let smuggled: Vec<_> = smuggled.iter().flatten().collect();
    assert_eq!(smuggled.len(), 2);
    assert!(
        smuggled.iter().all(|o| o.action == Action::Failed),
        "{smuggled:?}"
    );
    assert!(outside.is_file() && db.is_file());
    assert!(fs::symlink_metadata(&swapped).is_ok_and(|m| m.file_type().is_symlink()));
    // Every row of the plan went; the link is no file of the cache and stays.
    for o in planned.iter().flatten() {
        assert_eq!(o.action, Action::Deleted, "{o:?}");
    }
    let rest: Vec<PathBuf> = a1.goes.iter().filter(|p| **p != swapped).cloned().collect();
    assert_gone(&rest);
    assert_kept(&a1.never);
}

/// The entries are reached folder by folder from the pinned `nt_data`: a month folder swapped
/// for a link after the preview is not followed (the files behind it survive), and the swapped
/// link itself stays; the rest of the plan goes and its emptied month folders are removed.
#[cfg(unix)]
#[test]
fn a_folder_swapped_for_a_link_after_the_preview_is_not_followed() {
    use llob_doctor::clean::execute::{Action, Mode, execute};
    use llob_doctor::qq_cache::{CacheKind, Selection, discover, plans};
    let f = Fixture::new(Os::Linux);
    let (_, a1, _, _) = linux(&f, ".config/QQ");
    let env = llob_doctor::env::Env {
        platform: llob_doctor::env::Platform::Linux,
        home: Some("/home/alice".into()),
        vars: BTreeMap::new(),
        root: Some(f.root.clone()),
        registry: llob_doctor::env::Registry::Fake(BTreeMap::new()),
    };
    let roots = discover::find(&env, None, None);
    let sel = Selection {
        kinds: CacheKind::defaults(),
        older_than: 3 * 86_400,
        uins: vec!["123456789".into()],
    };
    let ps = plans(&roots, &sel);
    assert_eq!(ps.len(), 1, "one account asked for");
    // After the preview: Pic/2024-05 moves outside and a link to it takes its place.
    let month = a1.goes[0]
        .ancestors()
        .find(|p| p.ends_with("Pic/2024-05"))
        .expect("a May picture")
        .to_path_buf();
    let outside = f.tmp.path().join("elsewhere");
    fs::rename(&month, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &month).unwrap();
    let behind: Vec<PathBuf> = a1
        .goes
        .iter()
        .filter(|p| p.starts_with(&month))
        .map(|p| outside.join(p.strip_prefix(&month).unwrap()))
        .collect();
    assert!(!behind.is_empty());
    assert_kept(&behind);
    let done = execute(
        &ps[0],
        Mode::Delete,
        &std::sync::atomic::AtomicBool::new(false),
        |_| {},
    );
    let all: Vec<_> = done.outcomes.iter().flatten().collect();
    for o in &all {
        if o.path.starts_with(&month) {
            assert_eq!(o.action, Action::Failed, "{o:?}");
        } else {
            assert_eq!(o.action, Action::Deleted, "{o:?}");
        }
    }
    assert_kept(&behind);
    assert!(fs::symlink_metadata(&month).is_ok_and(|m| m.file_type().is_symlink()));
    // Emptied month folders went with their rows (rmdir only); the link and what is behind
    // it stay.
    let nt = month.parent().and_then(Path::parent).unwrap();
    assert!(
        !nt.join("Video/2024-06").exists(),
        "an emptied month folder is removed"
    );
    assert!(
        nt.join("Pic/2024-06/Ori").is_dir(),
        "one with a new file stays"
    );
    assert!(fs::symlink_metadata(&month).is_ok());
    assert_kept(&behind);
}
