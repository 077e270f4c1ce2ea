//! `clean` on real trees: the preview, exact removal, link escapes, refusals, lock and failures.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

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

fn linux() -> (Fixture, PathBuf) {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    (f, data)
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

#[cfg(unix)]
#[test]
fn links_are_removed_as_links_and_never_followed() {
    use std::os::unix::fs::symlink;
    let (f, data) = linux();
    let outside = f.tmp.path().join("outside");
    fs::create_dir_all(outside.join("dir")).unwrap();
    fs::write(outside.join("dir/canary"), "keep").unwrap();
    fs::write(outside.join("file-canary"), "keep").unwrap();
    fs::create_dir_all(outside.join("msgdir")).unwrap();
    fs::write(outside.join("msgdir/canary"), "keep").unwrap();
    symlink(outside.join("dir"), data.join("temp/dirlink")).unwrap();
    symlink(outside.join("file-canary"), data.join("temp/filelink")).unwrap();
    symlink(outside.join("msgdir"), data.join("msg_99999")).unwrap();
    // A link deep inside a real temp folder, too.
    symlink(outside.join("dir"), data.join("temp/sub/deeplink")).unwrap();

    let (code, v) = f.json(&["clean", "-n"]);
    assert_eq!(code, 0);
    // The link named like a LevelDB is planned as one entry: itself.
    let link_row = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["uin"] == "99999")
        .unwrap();
    assert_eq!(link_row["files"], 1);
    assert_eq!(link_row["bytes"], 0);

    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    for canary in ["dir/canary", "file-canary", "msgdir/canary"] {
        assert_eq!(
            fs::read_to_string(outside.join(canary)).unwrap(),
            "keep",
            "{canary}"
        );
    }
    for link in ["temp/dirlink", "temp/filelink", "msg_99999", "temp/sub"] {
        assert!(
            fs::symlink_metadata(data.join(link)).is_err(),
            "{link} still there"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_temp_folder_swapped_for_a_link_after_the_preview_is_not_followed() {
    use std::os::unix::fs::symlink;
    let (f, data) = linux();
    let outside = f.tmp.path().join("elsewhere");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("image-1.png"), "keep").unwrap();
    // The guard is what stops it: plan, swap temp/ for a link, execute the same plan.
    let plan = llob_doctor::clean::plan::scan(&data, &Default::default(), |_| {});
    fs::rename(data.join("temp"), f.tmp.path().join("old-temp")).unwrap();
    symlink(&outside, data.join("temp")).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let done = llob_doctor::clean::execute::execute(
        &plan,
        llob_doctor::clean::execute::Mode::Delete,
        &stop,
        |_| {},
    );
    assert_eq!(
        fs::read_to_string(outside.join("image-1.png")).unwrap(),
        "keep"
    );
    let temp_outcomes = done.outcomes.last().unwrap();
    assert!(
        temp_outcomes
            .iter()
            .all(|o| o.action == llob_doctor::clean::execute::Action::Failed)
    );
    let why = temp_outcomes[0].error.as_ref().unwrap();
    assert!(
        why.render(llob_doctor::i18n::Lang::En)
            .contains("no longer a real folder"),
        "{why:?}"
    );
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

#[cfg(target_os = "linux")]
#[test]
fn a_failing_entry_gives_exit_5_and_the_rest_is_cleaned() {
    let (f, data) = linux();
    let stuck = data.join("temp/sub/voice.silk");
    // Root deletes anything; an immutable file resists even root.
    let immutable = std::process::Command::new("chattr")
        .arg("+i")
        .arg(&stuck)
        .status();
    if !immutable.is_ok_and(|s| s.success()) {
        // Without chattr support: make the folder unwritable, which stops a non-root user.
        let mut p = fs::metadata(data.join("temp/sub")).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o555);
        fs::set_permissions(data.join("temp/sub"), p).unwrap();
        if unsafe { libc::geteuid() } == 0 {
            panic!("cannot make a file undeletable here: chattr +i failed and we run as root");
        }
    }
    let (code, v) = f.json(&["clean", "--yes"]);
    let _ = std::process::Command::new("chattr")
        .arg("-i")
        .arg(&stuck)
        .status();
    assert_eq!(code, 5, "{v:#}");
    assert_eq!(v["totals"]["failed"], 1);
    let problem = &v["problems"][0];
    assert!(problem["path"].as_str().unwrap().ends_with("temp/sub"));
    assert!(!problem["error"].as_str().unwrap().is_empty());
    // The rest went.
    assert!(!data.join("msg_20002").exists() && !data.join("temp/image-1.png").exists());
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

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_names_in_temp_go_and_elsewhere_stay() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (f, data) = linux();
    let odd_temp = data
        .join("temp")
        .join(OsStr::from_bytes(b"img-\xff\xfe.png"));
    let odd_top = data.join(OsStr::from_bytes(b"msg_\xff"));
    fs::write(&odd_temp, "x").unwrap();
    fs::create_dir(&odd_top).unwrap();
    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!odd_temp.exists());
    assert!(odd_top.exists());
}

fn set_readonly(p: &Path) {
    let mut perms = fs::metadata(p).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(p, perms).unwrap();
}

/// Windows refuses to delete a read-only file until the attribute is cleared; a clean must
/// still remove it (files directly in temp/, deep inside a temp/ folder, in a LevelDB, logs).
#[test]
fn read_only_files_are_deleted() {
    let (f, data) = linux();
    let files = [
        "temp/image-1.png",
        "temp/sub/voice.silk",
        "msg_20002/000005.ldb",
        "msg_20002/CURRENT",
        "logs/llonebot-2024-08-02 15-03-00.log",
    ];
    for p in files {
        set_readonly(&data.join(p));
        assert!(fs::metadata(data.join(p)).unwrap().permissions().readonly());
    }
    let (code, v) = f.json(&["clean", "--yes", "--logs"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["totals"]["failed"], 0, "{v:#}");
    for p in files {
        assert!(!data.join(p).exists(), "{p} is still there");
    }
    assert!(!data.join("msg_20002").exists());
    assert_eq!(fs::read_dir(data.join("temp")).unwrap().count(), 0);
    assert!(data.join("config_20002.json").exists());
}

/// Windows paths longer than MAX_PATH (260) need the `\\?\` form; a clean must reach them.
#[test]
fn paths_longer_than_260_characters_are_deleted() {
    let (f, data) = linux();
    let segment = "a-folder-name-that-is-forty-characters-";
    let mut deep_temp = data.join("temp").join("deep");
    let mut deep_msg = data.join("msg_20002").join("deep");
    while deep_temp.as_os_str().len() < 300 || deep_msg.as_os_str().len() < 300 {
        deep_temp.push(segment);
        deep_msg.push(segment);
    }
    fs::create_dir_all(&deep_temp).unwrap();
    fs::create_dir_all(&deep_msg).unwrap();
    let long_file = deep_temp.join("image-from-a-long-way-down.png");
    fs::write(&long_file, vec![0u8; 1000]).unwrap();
    fs::write(deep_msg.join("000009.ldb"), vec![0u8; 500]).unwrap();
    set_readonly(&long_file);
    assert!(long_file.as_os_str().len() > 300);

    let (code, v) = f.json(&["clean", "-n"]);
    assert_eq!(code, 0, "{v:#}");
    let msg_bytes = 16 + 12 + 8 + 4096 + 8192;
    assert_eq!(v["totals"]["files"], 6 * 2 + 2 + 2);
    assert_eq!(v["totals"]["bytes"], 2 * msg_bytes + 23_000 + 1000 + 500);

    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["totals"]["freed_bytes"], v["totals"]["bytes"]);
    assert!(!long_file.exists() && !data.join("temp/deep").exists());
    assert!(!data.join("msg_20002").exists());
}

/// Windows: a file another program holds open without delete sharing cannot be removed. The
/// rest is still cleaned, and the run says what failed (exit 5).
#[cfg(windows)]
#[test]
fn a_file_held_open_gives_exit_5_and_the_rest_is_cleaned() {
    use std::os::windows::fs::OpenOptionsExt;
    let (f, data) = linux();
    let held = fs::OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(data.join("temp/sub/voice.silk"))
        .unwrap();
    let (code, v) = f.json(&["clean", "--yes"]);
    drop(held);
    assert_eq!(code, 5, "{v:#}");
    assert_eq!(v["totals"]["failed"], 1);
    let problem = &v["problems"][0];
    assert_eq!(
        Path::new(problem["path"].as_str().unwrap()),
        data.join("temp").join("sub")
    );
    assert!(!problem["error"].as_str().unwrap().is_empty());
    assert!(!data.join("msg_20002").exists() && !data.join("temp/image-1.png").exists());
}

/// Windows links: directory symlinks and junctions (reparse points) are removed as links, and
/// what they point at stays. Skipped where this Windows cannot make them (no symlink
/// privilege; Wine 8 accepts `mklink` but creates nothing).
#[cfg(windows)]
#[test]
fn windows_links_and_junctions_are_removed_as_links() {
    let (f, data) = linux();
    let outside = f.tmp.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("canary"), "keep").unwrap();
    let dirlink = data.join("temp").join("dirlink");
    let junction = data.join("temp").join("junction");
    let msglink = data.join("msg_99999");
    let _ = std::os::windows::fs::symlink_dir(&outside, &dirlink);
    let _ = std::os::windows::fs::symlink_dir(&outside, &msglink);
    let _ = std::process::Command::new("cmd")
        .arg("/c")
        .arg("mklink")
        .arg("/J")
        .arg(&junction)
        .arg(&outside)
        .output();
    let made: Vec<&PathBuf> = [&dirlink, &junction, &msglink]
        .into_iter()
        .filter(|l| fs::symlink_metadata(l).is_ok())
        .collect();
    if made.is_empty() {
        eprintln!("skipped: this Windows cannot create symlinks or junctions here");
        return;
    }
    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        fs::read_to_string(outside.join("canary")).unwrap(),
        "keep",
        "a link was followed"
    );
    for l in made {
        assert!(
            fs::symlink_metadata(l).is_err(),
            "{} still there",
            l.display()
        );
    }
}

/// Under Wine a Unix symlink looks like a plain folder (no reparse point), so only where it
/// really leads can tell. Made with the real `ln` (Wine runs Unix programs a Windows program
/// starts); everything behind the links stays, the links are left alone and named.
#[cfg(windows)]
#[test]
fn unix_symlinks_seen_through_wine_are_not_followed() {
    if !common::under_wine() {
        eprintln!("skipped: needs Wine, which can run the Unix `ln`");
        return;
    }
    let (f, data) = linux();
    let outside = f.tmp.path().join("outside");
    fs::create_dir_all(outside.join("dir")).unwrap();
    fs::write(outside.join("dir").join("canary"), "keep").unwrap();
    // Relative targets: the Unix side does not know the Windows paths.
    let ln = |dir: &Path, name: &str| {
        let up = dir.strip_prefix(f.tmp.path()).unwrap().components().count();
        let target = format!("{}outside/dir", "../".repeat(up));
        // Wine starts it through fork and exec: no Windows process handle comes back.
        let _ = std::process::Command::new(r"Z:\bin\ln")
            .args(["-s", &target, name])
            .current_dir(dir)
            .status();
        let link = dir.join(name);
        let t = std::time::Instant::now();
        while fs::metadata(link.join("canary")).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "ln did not make {}",
                link.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        link
    };
    let links = [
        ln(&data.join("temp"), "unixlink"),
        ln(&data, "msg_99999"),
        ln(&data.join("temp").join("sub"), "deeplink"),
    ];

    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(
        fs::read_to_string(outside.join("dir").join("canary")).unwrap(),
        "keep",
        "a link was followed: {v:#}"
    );
    // Refused by the guard: failures, not skips.
    assert_eq!(code, 5, "{v:#}");
    let problems: Vec<PathBuf> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert!(p["error"].as_str().unwrap().contains("leads to"), "{p}");
            PathBuf::from(p["path"].as_str().unwrap())
        })
        .collect();
    for p in [&links[0], &links[1], &data.join("temp").join("sub")] {
        assert!(
            problems.contains(p),
            "{} not reported: {problems:?}",
            p.display()
        );
    }
    for l in &links {
        assert!(fs::symlink_metadata(l).is_ok(), "{} is gone", l.display());
    }
    // The rest went.
    assert!(!data.join("msg_20002").exists() && !data.join("temp/image-1.png").exists());
}
