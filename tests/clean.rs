//! `clean` on real trees: the preview, exact removal, options, refusals, the lock and the trash.

mod clean_tree;
mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clean_tree::*;
use common::{Fixture, Os};

/// Every path below `dir` with its type and size, links not followed.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (String, u64)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).follow_links(false) {
        let e = e.unwrap();
        let m = fs::symlink_metadata(e.path()).unwrap();
        let t = if m.file_type().is_symlink() {
            "link"
        } else if m.is_dir() {
            "dir"
        } else {
            "file"
        };
        out.insert(e.path().to_path_buf(), (t.to_string(), m.len()));
    }
    out
}

#[test]
fn dry_run_touches_nothing_and_shows_the_table() {
    let (f, data) = linux();
    let before = snapshot(&f.root);
    let out = f.run(&["clean", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(snapshot(&f.root), before, "the tree changed on a dry run");
    let text = String::from_utf8_lossy(&out.stdout);
    let temp_row = format!("temp{} (2 entries)", std::path::MAIN_SEPARATOR);
    for want in [
        "TARGET",
        "msg_1511954122",
        "msg_20002",
        temp_row.as_str(),
        "total",
        "Dry run",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    let (code, v) = f.json(&["clean", "-n"]);
    assert_eq!(code, 0);
    assert_eq!(v["dry_run"], true);
    assert_eq!(Path::new(v["data_dir"].as_str().unwrap()), data);
    let kinds: Vec<&str> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["msg_db", "msg_db", "temp"]);
    assert!(
        v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["action"] == "planned")
    );
    // 2 LevelDBs of 6 files (4096 + 8192 + small) and 2 temp files (20000 + 3000).
    assert_eq!(v["totals"]["files"], 6 * 2 + 2);
    let msg_bytes = 16 + 12 + 8 + 4096 + 8192;
    assert_eq!(v["totals"]["bytes"], 2 * msg_bytes + 23_000);
    assert_eq!(snapshot(&f.root), before);
}

#[test]
fn real_clean_removes_exactly_the_plan() {
    let (f, data) = linux();
    let before = snapshot(&f.root);
    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["totals"]["failed"], 0);
    assert_eq!(v["totals"]["freed_bytes"], v["totals"]["bytes"]);
    let after = snapshot(&f.root);
    let removed: Vec<&PathBuf> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    for p in &removed {
        let rel = p.strip_prefix(&data).expect("only inside the data dir");
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        assert!(
            first.starts_with("msg_") || (first == "temp" && rel != Path::new("temp")),
            "removed something not planned: {}",
            p.display()
        );
    }
    assert!(!data.join("msg_1511954122").exists() && !data.join("msg_20002").exists());
    assert!(data.join("temp").is_dir(), "temp/ itself stays");
    assert_eq!(fs::read_dir(data.join("temp")).unwrap().count(), 0);
    for keep in [
        "config_20002.json",
        "config_1511954122.json",
        "database/20002.v2.db",
        "logs",
    ] {
        assert!(data.join(keep).exists(), "{keep} was removed");
    }
    assert!(
        f.p("/home/alice/.config/LiteLoaderQQNT/plugins/llonebot/manifest.json")
            .exists()
    );
    // Nothing new: the lock file is removed when the run ends.
    let added: Vec<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.is_empty(), "{added:?}");
}

#[test]
fn entries_that_appear_after_the_preview_stay() {
    let (_f, data) = linux();
    let plan = llob_doctor::clean::plan::scan(&data, &Default::default(), |_| {});
    fs::write(data.join("temp/new-after-preview"), "new").unwrap();
    fs::create_dir_all(data.join("msg_777")).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    llob_doctor::clean::execute::execute(
        &plan,
        llob_doctor::clean::execute::Mode::Delete,
        &stop,
        |_| {},
    );
    assert!(data.join("temp/new-after-preview").exists());
    assert!(data.join("msg_777").exists());
    assert!(!data.join("msg_20002").exists());
}

#[test]
fn without_a_terminal_it_refuses_unless_yes() {
    let (f, _) = linux();
    let before = snapshot(&f.root);
    let out = f
        .cmd()
        .arg("clean")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(snapshot(&f.root), before);
}

#[test]
fn older_than_uses_the_newest_mtime_inside_a_folder() {
    let (f, data) = linux();
    let old = SystemTime::now() - Duration::from_secs(10 * 86_400);
    let set = |p: &Path| common::set_mtime(p, old);
    // temp/image-1.png: old. temp/oldtree: old through and through.
    // temp/sub: an old folder mtime, but a fresh file inside.
    set(&data.join("temp/image-1.png"));
    f.write(&data.join("temp/oldtree/a/b.bin"), "old");
    for p in [
        "temp/oldtree/a/b.bin",
        "temp/oldtree/a",
        "temp/oldtree",
        "temp/sub",
    ] {
        set(&data.join(p));
    }
    let (code, v) = f.json(&["clean", "--yes", "--older-than", "7d"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!data.join("temp/image-1.png").exists());
    assert!(!data.join("temp/oldtree").exists());
    assert!(
        data.join("temp/sub/voice.silk").exists(),
        "a fresh file inside keeps its folder"
    );
    // msg_* are not age-filtered.
    assert!(!data.join("msg_20002").exists());

    let out = f.run(&["clean", "--yes", "--older-than", "7"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--older-than 7"));
}

#[test]
fn uin_logs_and_database_options() {
    let (f, data) = linux();
    let (code, v) = f.json(&["clean", "--yes", "--uin", "20002", "--logs", "--database"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        data.join("msg_1511954122").exists(),
        "another account's LevelDB stays"
    );
    assert!(!data.join("msg_20002").exists());
    assert!(!data.join("database/20002.v2.db").exists());
    assert!(data.join("database").is_dir());
    assert_eq!(fs::read_dir(data.join("logs")).unwrap().count(), 0);
    assert!(data.join("config_20002.json").exists());
    let kinds: Vec<&str> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["msg_db", "temp", "logs", "database"]);

    // No database is left: no note about losing one.
    let out = f.run(&["clean", "-n", "--database"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("message ids"));
    let out = f.run(&["clean", "-n", "--uin", "12ab"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn refuses_data_dirs_that_are_not_llonebots() {
    let f = Fixture::new(Os::Linux);
    f.write(&f.home().join(".bashrc"), "# mine\n");
    fs::create_dir_all(f.home().join("temp")).unwrap();
    // The home folder, even though it holds a temp/.
    let out = f.run(&["--data-dir", f.home().to_str().unwrap(), "clean", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("home folder"));
    assert!(f.home().join(".bashrc").exists());
    // A folder with nothing of LLOneBot's.
    let other = f.p("/srv/photos");
    f.write(&other.join("cat.jpg"), "meow");
    let out = f.run(&["--data-dir", other.to_str().unwrap(), "clean", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(other.join("cat.jpg").exists());
    // Nothing found at all.
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn standalone_data_dir_is_cleaned_too() {
    let f = Fixture::new(Os::Linux);
    let data = f.standalone();
    f.write(&data.join("temp/x.zip"), "zip");
    let (code, v) = f.json(&["--data-dir", data.to_str().unwrap(), "clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(fs::read_dir(data.join("temp")).unwrap().count(), 0);
    assert!(data.join("database/60006.v2.db").exists());
}

#[test]
fn a_held_lock_exits_6_and_touches_nothing() {
    let (f, data) = linux();
    let lock = fs::File::create(data.join(".llob-doctor.lock")).unwrap();
    lock.lock().unwrap();
    let before = snapshot(&data);
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(6));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another llob-doctor run"));
    assert_eq!(snapshot(&data), before);
    drop(lock);
    assert_eq!(f.run(&["clean", "--yes"]).status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn trash_moves_instead_of_deleting() {
    let f = Fixture::new(Os::Linux);
    let data = f.standalone();
    let home = f.tmp.path().join("real-home");
    fs::create_dir_all(&home).unwrap();
    // A QQ install of the test's own: processes named qq elsewhere on this machine (other
    // tests' fake QQs) are then not QQ of this install and do not hold the clean back.
    let qq = f.tmp.path().join("qq-install");
    f.write(&qq.join("qq"), b"\x7fELF");
    f.qq_app(&qq.join("resources/app"), "3.2.21-41857", "./index.js");
    // Without --fs-root: the trash lives in the (temporary) home this run is given.
    let out = std::process::Command::new(common::BIN)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .args([
            "--json",
            "--qq-dir",
            qq.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
            "clean",
            "--yes",
            "--trash",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v:#}");
    assert_eq!(v["targets"][0]["action"], "trashed");
    assert!(!data.join("temp/image-1.png").exists());
    let trashed: Vec<_> = walkdir::WalkDir::new(home.join(".local/share/Trash/files"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "image-1.png")
        .collect();
    assert_eq!(trashed.len(), 1, "image-1.png is in the trash");
}
