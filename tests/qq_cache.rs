//! QQ's own media cache: real layouts per platform, built in temp dirs, found, measured and
//! cleaned by the built binary. Old and new files share month folders; every never-touch item
//! is present and must survive. Linux (two accounts and global), Flatpak, a Docker volume,
//! macOS's container, and Windows with Documents redirected by the registry.

mod common;
mod qq_cache_tree;

use std::collections::BTreeMap;
use std::fs;

use common::{Fixture, Os};
use qq_cache_tree::*;
use serde_json::Value;

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
