//! LLBot (CLI and Desktop) and NapCat.Shell found on Windows while nothing of them runs, where
//! users unpack them: the top of a drive, Documents, Downloads (NapCat's one-key zip one level
//! further down), a folder a Desktop shortcut points at, and (under Wine, in its throwaway
//! registry) an uninstall entry's install folder. `detect` says where each stopped one is.

mod common;
mod llbot_tree;
mod napcat_tree;

use std::path::{Path, PathBuf};

use common::{Fixture, Os};
use llbot_tree::*;
use serde_json::Value;

/// LLBot.CLI's (and Desktop's) layout: `llbot.exe`, `bin\llbot\{llbot.js,package.json,data}`,
/// `bin\pmhq\pmhq.exe`. Returns its data folder.
fn llbot_at(f: &Fixture, install: &Path, uin: &str) -> PathBuf {
    f.write(&install.join("llbot.exe"), b"MZ");
    f.write(
        &install.join(r"bin\pmhq\pmhq.exe".replace('\\', "/")),
        b"MZ",
    );
    let llbot = install.join("bin").join("llbot");
    program(f, &llbot, "llbot.js", "llonebot-dist", "8.1.7");
    let data = llbot.join("data");
    llbot_data(f, &data, uin);
    data
}

fn bot_at<'a>(v: &'a Value, stack: &str, dir: &Path) -> &'a Value {
    v["bots"]
        .as_array()
        .and_then(|b| {
            b.iter().find(|b| {
                b["stack"] == stack && b["install"].as_str().is_some_and(|i| Path::new(i) == dir)
            })
        })
        .unwrap_or_else(|| panic!("no {stack} at {}: {v:#}", dir.display()))
}

#[test]
fn stopped_installs_are_found_where_windows_users_unpack_them() {
    let f = Fixture::new(Os::Windows);
    // The CLI zip unpacked at the top of drive D:, the Desktop zip in Documents.
    let cli = f.p(r"D:\LLBot-CLI-win-x64");
    llbot_at(&f, &cli, "10001");
    let desktop = f.p(r"C:\Users\alice\Documents\LLBot-Desktop-win-x64");
    llbot_at(&f, &desktop, "20002");
    // NapCat.Shell's one-key zip in Downloads: NapCat itself one level further down.
    let napcat = f.p(r"C:\Users\alice\Downloads\NapCat.Shell.Windows.OneKey\NapCat.44498.Shell");
    napcat_tree::napcat_folder(&f, &napcat, "123456");
    // A bot in a folder named for the user's own reasons, known by the shortcut on the Desktop.
    let robot = f.p(r"E:\机器人\main");
    llbot_at(&f, &robot, "30003");
    f.write(
        &f.p(r"C:\Users\alice\Desktop\我的机器人.lnk"),
        common::lnk::build(r"E:\机器人\main\llbot.exe", r"E:\机器人\main"),
    );
    // A shortcut to something else is only a shortcut.
    f.write(
        &f.p(r"C:\Users\alice\Desktop\QQ.lnk"),
        common::lnk::build(r"C:\Program Files\Tencent\QQNT\QQ.exe", r"C:\Program Files"),
    );

    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    for dir in [&cli, &desktop, &robot] {
        let b = bot_at(&v, "llbot", dir);
        assert_eq!(b["found_via"], "well_known", "{b:#}");
        assert!(b["processes"].as_array().unwrap().is_empty());
    }
    let by_link = bot_at(&v, "llbot", &robot);
    assert!(
        by_link["found_via_detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("shortcut ") && d.ends_with("我的机器人.lnk")),
        "{by_link:#}"
    );
    let n = bot_at(&v, "napcat", &napcat);
    assert_eq!(Path::new(n["data_dir"].as_str().unwrap()), napcat);

    // In words: each stopped install, where it is.
    let out = f.run(&["--lang", "en", "detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for dir in [&cli, &desktop, &robot] {
        assert!(
            text.contains(&format!(
                "LLBot installed at {}, not running",
                dir.display()
            )),
            "{text}"
        );
    }
    assert!(
        text.contains(&format!(
            "NapCat installed at {}, not running",
            napcat.display()
        )),
        "{text}"
    );

    // A clean finds them too: the 04:30 task cleans stopped bots wherever they were unpacked.
    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    for dir in [&cli, &desktop, &robot] {
        assert!(
            !dir.join(r"bin\llbot\data\temp\upload-1.jpg".replace('\\', "/"))
                .exists()
        );
    }
}

/// An installer's uninstall entry (per user) names the install folder, in a folder whose name
/// says nothing. Only under Wine, whose registry is a throwaway prefix's (and without
/// `--fs-root`: another disk's files say nothing about this machine's registry); the entry is
/// removed again.
#[cfg(windows)]
#[test]
fn an_uninstall_entry_names_a_stopped_install() {
    use winreg::RegKey;
    use winreg::enums::HKEY_CURRENT_USER;
    if !common::under_wine() {
        common::skip("writes the registry: run only under Wine");
        return;
    }
    let f = Fixture::new(Os::Windows);
    let install = f.tmp.path().join("Programs").join("Robot");
    llbot_at(&f, &install, "40004");
    let home = f.tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let name = format!("LLBot-test-{}", std::process::id());
    let key = format!(r"Software\Microsoft\Windows\CurrentVersion\Uninstall\{name}");
    let hkcu = RegKey::predef(HKEY_CURRENT_USER);
    let (k, _) = hkcu.create_subkey(&key).unwrap();
    k.set_value("DisplayName", &"LLBot").unwrap();
    k.set_value("InstallLocation", &install.display().to_string())
        .unwrap();
    let mut c = std::process::Command::new(common::BIN);
    c.env_clear();
    for keep in ["PATH", "SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP"] {
        if let Some(v) = std::env::var_os(keep) {
            c.env(keep, v);
        }
    }
    let out = c
        .env("USERPROFILE", &home)
        .args(["--json", "detect"])
        .output()
        .unwrap();
    let _ = hkcu.delete_subkey_all(&key);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = bot_at(&v, "llbot", &install);
    assert!(
        b["found_via_detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("uninstall entry ") && d.ends_with(&name)),
        "{b:#}"
    );
}
