//! `clean` against what a file system can throw at it: links (Unix symlinks, Windows links and
//! junctions, Unix links seen through Wine), a folder swapped after the preview, entries that
//! cannot be removed, read-only files, paths over 260 characters and non-UTF-8 names.

mod clean_tree;
mod common;

use std::fs;
use std::path::Path;
#[cfg(windows)]
use std::path::PathBuf;
#[cfg(windows)]
use std::time::Duration;

use clean_tree::*;

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
        common::skip("this Windows cannot create symlinks or junctions here");
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
        common::skip("needs Wine, which can run the Unix `ln`");
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

/// `temp/locked` (mode 000, a file inside), given back its permissions on drop.
#[cfg(target_os = "linux")]
struct Locked(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Locked {
    fn make(data: &Path) -> Locked {
        use std::os::unix::fs::PermissionsExt;
        let dir = data.join("temp/locked");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a"), "x").unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o000)).unwrap();
        Locked(dir)
    }
}

#[cfg(target_os = "linux")]
impl Drop for Locked {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_preview_names_a_folder_it_cannot_read_with_a_hint() {
    let (f, data) = linux();
    let locked = Locked::make(&data);
    let probe = locked.0.join("a");
    let Some(out) = common::unprivileged::run(&f, &["--json", "clean", "--dry-run"], &probe) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown = locked.0.display().to_string();
    let unreadable = v["unreadable"].as_array().unwrap();
    let row = unreadable
        .iter()
        .find(|u| u["path"] == shown.as_str())
        .unwrap_or_else(|| panic!("{shown} not in unreadable: {v:#}"));
    // Still planned (the real clean tries it), and which entry it belongs to.
    assert_eq!(row["entry"], shown.as_str(), "{v:#}");
    assert!(
        row["error"].as_str().unwrap().contains("Permission denied"),
        "{v:#}"
    );

    let out = common::unprivileged::run(&f, &["clean", "--dry-run"], &probe).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "unreadable, the clean will likely fail there: {shown}: Permission denied"
        )),
        "{text}"
    );
    assert!(text.contains("run it as the user who owns them"), "{text}");
    assert!(locked.0.exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_failure_line_names_the_entry_once() {
    let (f, data) = linux();
    let locked = Locked::make(&data);
    let probe = locked.0.join("a");
    let Some(out) = common::unprivileged::run(&f, &["clean", "--yes"], &probe) else {
        return;
    };
    assert_eq!(out.status.code(), Some(5));
    let text = String::from_utf8_lossy(&out.stdout);
    let shown = locked.0.display().to_string();
    let line = text
        .lines()
        .find(|l| l.starts_with("not removed:"))
        .unwrap_or_else(|| panic!("no failure line: {text}"));
    assert_eq!(
        line,
        format!("not removed: {shown}: Permission denied (os error 13)"),
        "{text}"
    );
    let out = common::unprivileged::run(&f, &["--json", "clean", "--yes"], &probe).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["problems"][0]["path"], shown.as_str(), "{v:#}");
    let error = v["problems"][0]["error"].as_str().unwrap();
    assert!(!error.contains(&shown), "{v:#}");
}
