//! `--older-than` ages files, not folders: a folder of `temp/` that receives files every day
//! (LLBot's `temp/video/`, `temp/forward/<id>/`) was never cleaned, its age being its newest
//! file's. Now its old files go, folders left empty go, newer files stay with their folders,
//! the preview says how many of how many, and nothing created after the preview is taken.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::safety::linux;
use common::{native, set_mtime};

fn days_ago(d: u64) -> SystemTime {
    SystemTime::now() - Duration::from_secs(d * 86_400)
}

fn put(p: &Path, days: u64) -> PathBuf {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, vec![b'v'; 1000]).unwrap();
    set_mtime(p, days_ago(days));
    p.to_path_buf()
}

/// temp/video/ with 12 old and 3 new files, temp/forward/<a>/ all old (with an old sub-folder),
/// temp/forward/<b>/ with one new file among old ones, an old empty folder.
struct Temp {
    old: Vec<PathBuf>,
    new: Vec<PathBuf>,
}

fn llbot_like_temp(temp: &Path) -> Temp {
    let mut old = Vec::new();
    let mut new = Vec::new();
    for i in 0..12 {
        old.push(put(&temp.join(native(&format!("video/v{i}.mp4"))), 10));
    }
    for i in 0..3 {
        new.push(put(&temp.join(native(&format!("video/new{i}.mp4"))), 0));
    }
    old.push(put(&temp.join(native("forward/aaa/1.json")), 10));
    old.push(put(&temp.join(native("forward/aaa/deep/2.jpg")), 10));
    old.push(put(&temp.join(native("forward/bbb/3.json")), 10));
    new.push(put(&temp.join(native("forward/bbb/4.json")), 1));
    fs::create_dir_all(temp.join(native("empty-old"))).unwrap();
    for d in ["forward/aaa/deep", "forward/aaa", "empty-old"] {
        set_mtime(&temp.join(native(d)), days_ago(10));
    }
    Temp { old, new }
}

#[test]
fn old_files_in_a_folder_that_gets_new_ones_every_day_are_cleaned() {
    let (f, data) = linux();
    let temp = data.join("temp");
    let t = llbot_like_temp(&temp);
    set_mtime(&data.join(native("temp/image-1.png")), days_ago(10));

    // The preview: the row counts the old files; each kept folder says how many of how many.
    let out = f.run(&["clean", "--dry-run", "--older-than", "3d"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "{}: 12 of 15 files older than 3d go",
            native("temp/video/").display()
        )),
        "{text}"
    );
    let (code, v) = f.json(&["clean", "--dry-run", "--older-than", "3d"]);
    assert_eq!(code, 0, "{v:#}");
    let temp_row = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "temp")
        .expect("temp row");
    let video = temp_row["swept"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"].as_str().unwrap().ends_with("video"))
        .expect("video swept");
    assert_eq!(
        (video["files"].as_u64(), video["of_files"].as_u64()),
        (Some(12), Some(15))
    );

    let (code, v) = f.json(&["clean", "--yes", "--older-than", "3d"]);
    assert_eq!(code, 0, "{v:#}");
    for p in &t.old {
        assert!(!p.exists(), "old: {} must go", p.display());
    }
    for p in &t.new {
        assert!(p.is_file(), "new: {} must stay", p.display());
    }
    assert!(!data.join(native("temp/image-1.png")).exists());
    assert!(!temp.join(native("forward/aaa")).exists(), "emptied: gone");
    assert!(!temp.join("empty-old").exists(), "old and empty: gone");
    assert!(temp.join("video").is_dir() && temp.join(native("forward/bbb")).is_dir());
    // The fresh voice file of the fixture (temp/sub) stays with its folder.
    assert!(data.join(native("temp/sub/voice.silk")).is_file());
    // The temp row counted the old files (msg_* folders are not aged, and go whole).
    let temp_row = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "temp")
        .expect("temp row");
    assert_eq!(
        temp_row["files"].as_u64(),
        Some(t.old.len() as u64 + 1),
        "{v:#}"
    );
    assert_eq!(temp_row["action"], "deleted");
}

/// A huge age takes no file dated 1970 (time 0): by its own date it is about 56 years old. A
/// file dated 1900 is older than 96 years and goes.
#[test]
fn a_huge_age_keeps_files_dated_1970() {
    let (f, data) = linux();
    let temp = data.join("temp");
    let epoch = put(&temp.join(native("video/epoch.mp4")), 0);
    set_mtime(&epoch, UNIX_EPOCH);
    let older = put(&temp.join(native("video/1900.mp4")), 0);
    set_mtime(
        &older,
        UNIX_EPOCH - Duration::from_secs(70 * 365 * 86_400 + 17 * 86_400),
    );
    let flat = put(&temp.join("epoch-flat.bin"), 0);
    set_mtime(&flat, UNIX_EPOCH);
    // QQ's cache the same.
    let qq = f.home().join(native(if cfg!(windows) {
        "Documents/Tencent Files/123456789/nt_qq/nt_data/Pic/2024-01/Ori"
    } else {
        ".config/QQ/nt_qq_0123456789abcdef0123456789abcdef/nt_data/Pic/2024-01/Ori"
    }));
    let qq_epoch = put(&qq.join("epoch.jpg"), 0);
    set_mtime(&qq_epoch, UNIX_EPOCH);
    let qq_older = put(&qq.join("1900.jpg"), 0);
    set_mtime(
        &qq_older,
        UNIX_EPOCH - Duration::from_secs(70 * 365 * 86_400 + 17 * 86_400),
    );
    let (code, v) = f.json(&["clean", "--yes", "--qq-cache", "--older-than", "5000w"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        epoch.is_file() && flat.is_file() && qq_epoch.is_file(),
        "{v:#}"
    );
    assert!(!older.exists() && !qq_older.exists(), "{v:#}");
}

/// What the preview did not show is not taken: a file that arrives in a swept folder after the
/// plan (with an old modification time, as a copy keeps it) stays.
#[cfg(unix)]
#[test]
fn a_file_arriving_after_the_preview_is_not_taken() {
    use llob_doctor::clean::execute::{Action, Mode, execute};
    use llob_doctor::clean::plan::{Options, scan};
    let (_f, data) = linux();
    let temp = data.join("temp");
    let t = llbot_like_temp(&temp);
    let opts = Options {
        older_than: Some(3 * 86_400),
        ..Options::default()
    };
    let plan = scan(&data, &opts, |_| {});
    // Inode change times are kept to the nanosecond; make sure the clock has moved on.
    std::thread::sleep(Duration::from_millis(20));
    let late = put(&temp.join(native("video/late.mp4")), 30);
    let done = execute(
        &plan,
        Mode::Delete,
        &std::sync::atomic::AtomicBool::new(false),
        |_| {},
    );
    assert!(!done.interrupted);
    for o in done.outcomes.iter().flatten() {
        assert_ne!(o.action, Action::Failed, "{o:?}");
    }
    assert!(late.is_file(), "not in the preview: stays");
    for p in &t.old {
        assert!(!p.exists(), "{}", p.display());
    }
}

/// A link in a swept folder is removed as itself when old, never followed; a new one stays.
#[cfg(unix)]
#[test]
fn links_in_a_swept_folder_are_never_followed() {
    use std::os::unix::fs::symlink;
    let (f, data) = linux();
    let temp = data.join("temp");
    let outside = f.tmp.path().join("outside");
    let victim = put(&outside.join("keep.bin"), 30);
    put(&temp.join(native("video/old.mp4")), 10);
    put(&temp.join(native("video/new.mp4")), 0);
    let link = temp.join(native("video/to-outside"));
    symlink(&outside, &link).unwrap();
    // An old link (its own time, not its target's).
    let ts = rustix::fs::Timestamps {
        last_access: rustix::fs::Timespec {
            tv_sec: 1_600_000_000,
            tv_nsec: 0,
        },
        last_modification: rustix::fs::Timespec {
            tv_sec: 1_600_000_000,
            tv_nsec: 0,
        },
    };
    rustix::fs::utimensat(
        rustix::fs::CWD,
        &link,
        &ts,
        rustix::fs::AtFlags::SYMLINK_NOFOLLOW,
    )
    .unwrap();
    let (code, v) = f.json(&["clean", "--yes", "--older-than", "3d"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(fs::symlink_metadata(&link).is_err(), "the old link goes");
    assert!(victim.is_file() && outside.is_dir(), "its target stays");
    assert!(temp.join(native("video/new.mp4")).is_file());
}

/// `--trash` with `--older-than`: the old files of a swept folder go to the trash one by one,
/// the newer stay where they are.
#[cfg(target_os = "linux")]
#[test]
fn a_swept_folder_goes_to_the_trash_file_by_file() {
    let f = common::Fixture::new(common::Os::Linux);
    let data = f.standalone();
    let old = put(&data.join(native("temp/video/old.mp4")), 10);
    let new = put(&data.join(native("temp/video/new.mp4")), 0);
    let home = f.tmp.path().join("real-home");
    fs::create_dir_all(&home).unwrap();
    // A QQ install of the test's own (see clean.rs: other tests' fake QQs are not of it).
    let qq = f.tmp.path().join("qq-install");
    f.write(&qq.join("qq"), b"\x7fELF");
    f.qq_app(&qq.join("resources/app"), "3.2.21-41857", "./index.js");
    // Without --fs-root: the trash lives in the (temporary) home this run is given.
    let out = std::process::Command::new(common::BIN)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .args(["--json", "--qq-dir", qq.to_str().unwrap(), "--data-dir"])
        .arg(&data)
        .args(["clean", "--yes", "--trash", "--older-than", "3d"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert!(!old.exists() && new.is_file(), "{v:#}");
    let trashed = walkdir::WalkDir::new(home.join(".local/share/Trash/files"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "old.mp4")
        .count();
    assert_eq!(trashed, 1, "old.mp4 is in the trash");
}
