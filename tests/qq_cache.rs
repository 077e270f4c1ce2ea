//! QQ's own media cache: real layouts per platform, built in temp dirs, found, measured and
//! cleaned by the built binary. Old and new files share month folders; every never-touch item
//! is present and must survive; links and a mount point inside the cache are not followed.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{Fixture, Os, set_mtime};
use serde_json::Value;

const HEX1: &str = "0123456789abcdef0123456789abcdef";
const HEX2: &str = "fedcba9876543210fedcba9876543210";

fn days_ago(d: u64) -> SystemTime {
    SystemTime::now() - Duration::from_secs(d * 86_400)
}

fn put(path: &Path, bytes: usize, age_days: u64) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, vec![b'x'; bytes]).expect("write");
    set_mtime(path, days_ago(age_days));
}

/// What one account's `nt_data` holds: cache files by kind (old, and one new in a month
/// that also has old ones), and every never-touch item (old, so only the rule keeps them).
struct Layout {
    /// Files a default `clean --qq-cache` removes.
    goes: Vec<PathBuf>,
    /// Files it keeps: new ones, `File/`, and the never-touch list.
    stays: Vec<PathBuf>,
    never: Vec<PathBuf>,
}

fn nt_data(account: &Path, uin: Option<&str>) -> Layout {
    let d = account.join("nt_data");
    let mut goes = Vec::new();
    let mut stays = Vec::new();
    let mut old = |rel: &str, bytes: usize| {
        let p = d.join(rel);
        put(&p, bytes, 10);
        goes.push(p);
    };
    old("Pic/2024-05/Ori/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.jpg", 1000);
    old(
        "Pic/2024-05/Thumb/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_720.jpg",
        100,
    );
    old("Pic/2024-06/Ori/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.jpg", 2000);
    old(
        "Pic/2024-06/OriTemp/cccccccccccccccccccccccccccccccc.jpg",
        300,
    );
    old(
        "Video/2024-06/Ori/dddddddddddddddddddddddddddddddd.mp4",
        5000,
    );
    old(
        "Video/2024-06/Thumb/dddddddddddddddddddddddddddddddd_0.png",
        50,
    );
    old("Ptt/2024-06/Ori/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.amr", 70);
    old(
        "Emoji/emoji-recv/2024-06/Thumb/ffffffffffffffffffffffffffffffff_0.gif",
        40,
    );
    old("flashfransfer/upload_temp/part.bin", 60);
    old("log/qq_2024-06-01.log", 80);
    // New files in a month folder with old ones: the folder is trimmed, not kept or dropped whole.
    let new_pic = d.join("Pic/2024-06/Ori/9999999999999999999999999999999a.jpg");
    put(&new_pic, 900, 0);
    stays.push(new_pic);
    let new_temp = d.join("flashfransfer/download_temp/now.bin");
    put(&new_temp, 10, 1);
    stays.push(new_temp);
    // Received files: off by default.
    let file = d.join("File/file_assistant/report.pdf");
    put(&file, 4000, 30);
    stays.push(file);
    let dataline = d.join("dataline/2024-06/Ori/photo.jpg");
    put(&dataline, 30, 30);
    stays.push(dataline);
    let mut never = Vec::new();
    for rel in [
        "../nt_db/nt_msg.db",
        "../nt_db/nt_msg.db-wal",
        "../nt_db/nt_msg.db-shm",
        "../nt_temp/x.tmp",
        "mmkv/mmkv.default",
        "msf/state",
        "OnlineStatus/status.json",
        "config/config.json",
        "Emoji/personal_emoji/Ori/mine.jpg",
        "Emoji/marketface/12345/face.gif",
        "avatar/user/a.png",
        "bc_09.db",
        "Pic/2024-06/Ori/index.db",
        "Pic/2024-06/Ori/index.db-wal",
        "Pic/2024-06/Ori/index.db-shm",
        "Pic/2024-06/avatar/x.png",
        "log/config/x.log",
    ] {
        let p = d.join(rel);
        put(&p, 10, 30);
        never.push(p);
    }
    if let Some(u) = uin {
        let p = d.join(format!("UnitedConfig/{u}/10001/cfg"));
        put(&p, 10, 30);
        never.push(p);
        let p = d.join("UnitedConfig/000/cfg");
        put(&p, 10, 30);
        never.push(p);
    }
    Layout { goes, stays, never }
}

fn assert_kept(paths: &[PathBuf]) {
    for p in paths {
        assert!(p.is_file(), "must survive: {}", p.display());
    }
}

fn assert_gone(paths: &[PathBuf]) {
    for p in paths {
        assert!(
            fs::symlink_metadata(p).is_err(),
            "must be gone: {}",
            p.display()
        );
    }
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The QQ rows of a clean report.
fn qq_rows(v: &Value) -> Vec<&Value> {
    v["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| t["bot"] == "qq")
        .collect()
}

/// A Linux QQ: two accounts (one mapped by UnitedConfig, one by global mmkv) plus global.
fn linux(f: &Fixture, base: &str) -> (PathBuf, Layout, Layout, PathBuf) {
    let qq = f.home().join(base);
    let a1 = nt_data(&qq.join(format!("nt_qq_{HEX1}")), Some("123456789"));
    let a2 = nt_data(&qq.join(format!("nt_qq_{HEX2}")), None);
    let mmkv = qq.join("global/nt_data/mmkv/mmkv.default");
    let key = format!(
        "\x00\x20/home/alice/.config/QQ/nt_qq_{HEX2}/nt_data/flashfransfer+987654321_flash_transfer_document_cache_key\x00"
    );
    put(&mmkv, 0, 30);
    fs::write(&mmkv, key).expect("mmkv");
    set_mtime(&mmkv, days_ago(30));
    let zip = qq.join("global/nt_data/Emoji/BaseEmojiSyastems/ThumbTemp/1_base.zip");
    put(&zip, 20, 10);
    let hot = qq.join("versions/3.2.12-26702.zip");
    put(&hot, 7000, 10);
    put(&qq.join("versions/config.json"), 10, 30);
    (qq, a1, a2, hot)
}

fn by_kind(rows: &[&Value]) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for r in rows {
        *m.entry(s(&r["kind"]).to_string()).or_default() += r["files"].as_u64().unwrap_or(0);
    }
    m
}

#[test]
fn linux_two_accounts_and_global_are_found_measured_and_trimmed() {
    let f = Fixture::new(Os::Linux);
    let (qq, a1, a2, hot) = linux(&f, ".config/QQ");

    let (_, v) = f.json(&["detect"]);
    let roots = v["qq_cache"]["roots"].as_array().expect("roots");
    assert_eq!(roots.len(), 1, "{v:#}");
    let accounts = roots[0]["reports"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    assert_eq!(s(&accounts[0]["uin"]), "123456789");
    assert_eq!(s(&accounts[0]["uin_from"]), "united_config");
    assert_eq!(s(&accounts[1]["uin"]), "987654321");
    assert_eq!(s(&accounts[1]["uin_from"]), "mmkv");
    assert_eq!(accounts[2]["global"], true);
    // Pic: 1000 + 100 + 2000 + 900 (OriTemp is temp, index.db never counts).
    assert_eq!(accounts[0]["kinds"]["pic"]["bytes"], 4000);
    assert_eq!(accounts[0]["kinds"]["file"]["bytes"], 4030);
    assert_eq!(accounts[0]["kinds"]["temp"]["bytes"], 370);
    assert_eq!(roots[0]["hot_update"]["bytes"], 7000);
    // The human view, with -v: how each folder was tied to its number.
    let out = f.run(&["-v", "detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("QQ's media cache"), "{text}");
    assert!(text.contains(&format!("nt_qq_{HEX1}")), "{text}");
    assert!(text.contains("UnitedConfig"), "{text}");
    assert!(text.contains("mmkv.default"), "{text}");

    // Preview: per kind and per month, nothing touched.
    let (code, v) = f.json(&["clean", "--qq-cache", "--dry-run"]);
    assert_eq!(code, 0, "{v:#}");
    let rows = qq_rows(&v);
    let pic_june: Vec<&&Value> = rows
        .iter()
        .filter(|r| r["kind"] == "pic" && r["month"] == "2024-06" && r["uin"] == "123456789")
        .collect();
    assert_eq!(pic_june.len(), 1, "{v:#}");
    assert_eq!(pic_june[0]["files"], 1, "only the old file of the month");
    assert_eq!(pic_june[0]["bytes"], 2000);
    let kinds = by_kind(&rows);
    assert!(!kinds.contains_key("file"), "file is opt-in: {kinds:?}");
    // Per account: pic 3, temp 2 (OriTemp, upload_temp), video 2, ptt 1, emoji 1, log 1; global
    // temp 1; hot update 1.
    assert_eq!(kinds["pic"], 6);
    assert_eq!(kinds["temp"], 5);
    assert_eq!(kinds["hot_update"], 1);
    assert_kept(&a1.goes);
    let text =
        String::from_utf8_lossy(&f.run(&["clean", "--qq-cache", "--dry-run"]).stdout).into_owned();
    assert!(
        text.contains("qq pic") && text.contains("2024-06"),
        "{text}"
    );

    // The clean itself.
    let (code, v) = f.json(&["clean", "--qq-cache", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    for a in [&a1, &a2] {
        assert_gone(&a.goes);
        assert_kept(&a.stays);
        assert_kept(&a.never);
    }
    assert_gone(std::slice::from_ref(&hot));
    assert!(qq.join("versions/config.json").is_file());
    assert!(qq.join("global/nt_data/mmkv/mmkv.default").is_file());
    // A month folder left empty is removed; one with a new file stays with it.
    let acct = qq.join(format!("nt_qq_{HEX1}/nt_data"));
    assert!(!acct.join("Pic/2024-05").exists());
    assert!(acct.join("Pic/2024-06/Ori").is_dir());
    assert!(!acct.join("Pic/2024-06/OriTemp").exists());
    assert!(
        acct.join("flashfransfer/upload_temp").is_dir(),
        "only month folders go"
    );
}

#[test]
fn kinds_and_uin_narrow_the_plan() {
    let f = Fixture::new(Os::Linux);
    let (_qq, a1, a2, _) = linux(&f, ".config/QQ");
    let (code, v) = f.json(&["clean", "--qq-cache-kinds", "file", "--dry-run"]);
    assert_eq!(code, 0, "{v:#}");
    let kinds = by_kind(&qq_rows(&v));
    assert_eq!(kinds.keys().collect::<Vec<_>>(), ["file"], "{v:#}");
    assert_eq!(kinds["file"], 4, "File/ and dataline/ of both accounts");

    let (code, v) = f.json(&["clean", "--qq-cache", "--uin", "987654321", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(qq_rows(&v).iter().all(|r| r["uin"] == "987654321"), "{v:#}");
    assert_kept(&a1.goes);
    assert_gone(&a2.goes);
    assert_kept(&a2.never);

    // --older-than overrides QQ's 3 days: nothing of 10 days is older than 20.
    let (_, v) = f.json(&["clean", "--qq-cache", "--older-than", "20d", "--dry-run"]);
    assert!(qq_rows(&v).is_empty(), "{v:#}");
}

#[test]
fn flatpak_and_docker_volume_layouts() {
    let f = Fixture::new(Os::Linux);
    let (_, a1, _, _) = linux(&f, ".var/app/com.qq.QQ/config/QQ");
    let (_, v) = f.json(&["detect"]);
    let roots = v["qq_cache"]["roots"].as_array().unwrap();
    assert_eq!(s(&roots[0]["source"]), "flatpak", "{v:#}");
    let (code, _) = f.json(&["clean", "--qq-cache", "--yes"]);
    assert_eq!(code, 0);
    assert_gone(&a1.goes);
    assert_kept(&a1.never);

    // A Docker volume: named with --qq-data, anywhere.
    let g = Fixture::new(Os::Linux);
    let vol = g.tmp.path().join("napcat/QQ");
    let a = nt_data(&vol.join(format!("nt_qq_{HEX1}")), Some("55555"));
    let (code, v) = g.json(&[
        "--qq-data",
        vol.to_str().unwrap(),
        "clean",
        "--qq-cache",
        "--yes",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_gone(&a.goes);
    assert_kept(&a.stays);
    assert_kept(&a.never);
    // A folder that is not QQ's: refused, exit 2, saying what was expected.
    let out = g.run(&[
        "--qq-data",
        g.tmp.path().to_str().unwrap(),
        "clean",
        "--qq-cache",
        "-n",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--qq-data"));
}

#[test]
fn macos_container_layout() {
    let f = Fixture::new(Os::Macos);
    let (_, a1, a2, hot) = linux(
        &f,
        "Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ",
    );
    let (code, v) = f.json(&["clean", "--qq-cache", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    for a in [&a1, &a2] {
        assert_gone(&a.goes);
        assert_kept(&a.stays);
        assert_kept(&a.never);
    }
    assert_gone(&[hot]);
}

#[test]
fn windows_layout_with_documents_redirected_by_the_registry() {
    use llob_doctor::env::{Env, Platform, Registry};
    use llob_doctor::qq_cache::discover::{SHELL_FOLDERS, UinFrom, find};
    let f = Fixture::new(Os::Windows);
    // Documents moved to D:\Docs (as Windows' "Location" tab writes it), and a second case
    // with %USERPROFILE% in the value.
    let tf = f.p(r"D:\Docs\Tencent Files");
    let a = nt_data(&tf.join(r"1511954122").join("nt_qq"), None);
    let global = tf.join("nt_qq").join("global").join("nt_data");
    put(&global.join("log/x.log"), 10, 10);
    let hot = f.p(r"C:\Program Files\Tencent\QQNT\versions\9.9.15-9.9.16.zip");
    put(&hot, 100, 10);
    let env = |value: &str| Env {
        platform: Platform::Windows,
        home: Some(r"C:\Users\alice".into()),
        vars: BTreeMap::new(),
        root: Some(f.root.clone()),
        registry: Registry::Fake(BTreeMap::from([(
            (SHELL_FOLDERS.to_string(), "Personal".to_string()),
            value.to_string(),
        )])),
    };
    let install = f.p(r"C:\Program Files\Tencent\QQNT");
    let roots = find(&env(r"D:\Docs"), None, Some(&install));
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0].path, tf);
    assert_eq!(roots[0].accounts.len(), 2);
    assert_eq!(roots[0].accounts[0].uin.as_deref(), Some("1511954122"));
    assert_eq!(roots[0].accounts[0].uin_from, Some(UinFrom::FolderName));
    assert!(roots[0].accounts[1].global);
    assert_eq!(
        roots[0].versions.as_deref(),
        Some(install.join("versions").as_path())
    );
    // %USERPROFILE% expanded (Documents under OneDrive).
    let od = f.p(r"C:\Users\alice\OneDrive\Documents\Tencent Files\10001\nt_qq\nt_data");
    fs::create_dir_all(&od).unwrap();
    let roots = find(&env(r"%USERPROFILE%\OneDrive\Documents"), None, None);
    assert_eq!(
        roots[0].accounts[0].uin.as_deref(),
        Some("10001"),
        "{roots:#?}"
    );

    // The binary, on that layout, named with --qq-data.
    let (code, v) = f.json(&[
        "--qq-data",
        tf.to_str().unwrap(),
        "clean",
        "--qq-cache",
        "--yes",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_gone(&a.goes);
    assert_kept(&a.stays);
    assert_kept(&a.never);
    assert!(!global.join("log/x.log").exists());
    // Without the registry value: Documents in the home folder.
    let g = Fixture::new(Os::Windows);
    let b = nt_data(
        &g.p(r"C:\Users\alice\Documents\Tencent Files\20002\nt_qq"),
        None,
    );
    let (_, v) = g.json(&["detect"]);
    assert_eq!(
        s(&v["qq_cache"]["roots"][0]["reports"][0]["uin"]),
        "20002",
        "{v:#}"
    );
    let (code, _) = g.json(&["clean", "--qq-cache", "--yes"]);
    assert_eq!(code, 0);
    assert_gone(&b.goes);
    assert_kept(&b.never);
}

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
        eprintln!("skipped: mount --bind needs root (or a mount namespace) here");
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
        eprintln!("skipped: the bind mount shows the same device number as the cache");
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

#[cfg(target_os = "linux")]
#[test]
fn scheduled_runs_take_qq_cache() {
    // A systemd user unit in a temp home: the job carries --qq-data and the clean flags.
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let vol = tmp.path().join("QQ");
    nt_data(&vol.join(format!("nt_qq_{HEX1}")), None);
    let out = std::process::Command::new(common::BIN)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .arg("--qq-data")
        .arg(&vol)
        .args([
            "--json",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "04:00",
            "--",
        ])
        .args(["--qq-cache", "--qq-cache-kinds", "pic,temp"])
        .output()
        .unwrap();
    // Exit 1 where no systemd user manager answers: the units are written all the same.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unit = fs::read_to_string(home.join(".config/systemd/user/llob-doctor-clean.service"))
        .expect("service unit");
    assert!(
        unit.contains("\"--qq-cache\" \"--qq-cache-kinds\" \"pic,temp\""),
        "{unit}"
    );
    assert!(
        unit.contains(&format!("\"--qq-data\" \"{}\"", vol.display())),
        "{unit}"
    );
}

/// The plan goes through the project's executor and guard: a file swapped for a link after the
/// preview is refused, and a never-touch file slipped into a plan is refused by the guard.
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
        }],
    });
    let done = execute(
        &ps[0],
        Mode::Delete,
        &std::sync::atomic::AtomicBool::new(false),
        |_| {},
    );
    let all: Vec<_> = done.outcomes.iter().flatten().collect();
    let of = |p: &Path| all.iter().find(|o| o.path == p).expect("outcome");
    // Refused by the guard: `Failed` (`Skipped` now means not reached after an interruption).
    assert_eq!(of(&swapped).action, Action::Failed);
    assert_eq!(of(&db).action, Action::Failed);
    assert!(outside.is_file() && db.is_file());
    assert!(fs::symlink_metadata(&swapped).is_ok());
    let deleted = all.iter().filter(|o| o.action == Action::Deleted).count();
    assert_eq!(
        deleted,
        a1.goes.len() - 1,
        "the rest of the account's plan went"
    );
}

#[test]
fn doctor_warns_above_the_threshold() {
    let f = Fixture::new(Os::Linux);
    linux(&f, ".config/QQ");
    let finding = |v: &Value| {
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|x| x["check"] == "cache.qq")
            .cloned()
            .expect("a cache.qq finding")
    };
    let (_, v) = f.json(&["doctor", "--qq-cache-warn", "1K"]);
    let q = finding(&v);
    assert_eq!(q["severity"], "warn", "{q:#}");
    assert_eq!(q["data"]["folders"], 3);
    assert!(s(&q["remedy"]).contains("--qq-cache"), "{q:#}");
    let (_, v) = f.json(&["doctor"]);
    assert_eq!(finding(&v)["severity"], "ok", "under the default 5 GiB");
    let out = f.run(&["doctor", "--qq-cache-warn", "lots"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The entries are reached folder by folder from the pinned `nt_data`: a month folder swapped
/// for a link after the preview is not followed (the files behind it survive), and the swapped
/// link itself stays; the rest of the plan goes and its emptied month folders are removed.
#[cfg(unix)]
#[test]
fn a_folder_swapped_for_a_link_after_the_preview_is_not_followed() {
    use llob_doctor::clean::execute::{Action, Mode, execute};
    use llob_doctor::qq_cache::{CacheKind, Selection, discover, plan, plans};
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
    // Emptied month folders go (rmdir only); the link and what is behind it stay.
    plan::remove_empty_months(&ps);
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
