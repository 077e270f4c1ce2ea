//! LLBot / standalone LLOneBot (5.x – 8.x): found in each layout its installers make (the 5.x zip,
//! the CLI's `bin/llbot/data`, the image's `/app/llbot`), its version read (and called stale when
//! need be), and judged by `doctor` and `check-versions`.

mod common;
mod llbot_tree;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{Fixture, Os, native};
use llbot_tree::*;
use serde_json::Value;

#[test]
fn the_cli_layout_is_found_from_its_install_folder() {
    let f = Fixture::new(Os::Linux);
    let (install, data) = linux_cli(&f);
    let dir = install.display().to_string();
    let (code, v) = f.json(&["--llbot-dir", &dir, "detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = the_llbot(&v);
    assert_eq!(b["kind"], "llonebot");
    assert_eq!(b["version"], "8.1.7");
    assert_eq!(Path::new(b["data_dir"].as_str().unwrap()), data);
    assert_eq!(b["found_via"], "flag");
    assert_eq!(b["accounts"][0]["uin"], "70007");
    assert_eq!(b["processes"], serde_json::json!([]));
    // The plugin's block stays, empty: there is no plugin here.
    assert!(v["llonebot"].is_null());
    // Enabled connections only, with whether a token guards them.
    assert_eq!(
        b["connections"],
        serde_json::json!([{"uin": "70007", "connections": [
            {"type": "ws", "port": 3001, "host": "127.0.0.1", "token_set": false}
        ]}])
    );
    let out = f.run(&["--llbot-dir", &dir, "detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("LLBot 8.1.7"), "{text}");
    assert!(text.contains("70007"), "{text}");
    assert!(text.contains("70007: ws:3001 (no token)"), "{text}");
    assert!(
        !text.contains("http:3000"),
        "a disabled connection is not listed: {text}"
    );
}

#[test]
fn the_windows_zip_layout_reads_its_version_and_data() {
    let f = Fixture::new(Os::Windows);
    let install = f.p(r"D:\LLOneBot");
    program(&f, &install, "llonebot.js", "llonebot", "5.0.0");
    let data = install.join("data");
    llbot_data(&f, &data, "80008");
    let (code, v) = f.json(&["--llbot-dir", &install.display().to_string(), "detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = the_llbot(&v);
    assert_eq!(b["version"], "5.0.0");
    assert_eq!(Path::new(b["data_dir"].as_str().unwrap()), data);
}

#[test]
fn the_docker_image_folder_is_found_without_flags() {
    // LLBot 8 headless as the image runs it: WORKDIR /app/llbot, data in /app/llbot/data.
    let f = Fixture::new(Os::Linux);
    let install = f.p("/app/llbot");
    program(&f, &install, "llbot.js", "llonebot-dist", "8.0.12");
    llbot_data(&f, &install.join("data"), "90009");
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = the_llbot(&v);
    assert_eq!(b["found_via"], "well_known");
    assert_eq!(b["version"], "8.0.12");
    assert!(b["version_note"].is_null());
}

#[test]
fn a_package_json_older_than_the_program_is_called_stale() {
    let f = Fixture::new(Os::Linux);
    let (install, _) = linux_cli(&f);
    let pkg = install.join(native("bin/llbot/package.json"));
    common::set_mtime(&pkg, SystemTime::now() - Duration::from_secs(3 * 86_400));
    let (_, v) = f.json(&["--llbot-dir", &install.display().to_string(), "detect"]);
    let note = the_llbot(&v)["version_note"].to_string();
    assert!(note.contains("package.json"), "{note}");
}

#[test]
fn doctor_judges_the_llbot_version_and_its_open_connections() {
    let f = Fixture::new(Os::Linux);
    let (install, data) = linux_cli(&f);
    let pkg = install.join(native("bin/llbot/package.json"));
    let older = serde_json::json!({"name": "llonebot-dist", "version": "8.0.10"});
    f.write(&pkg, older.to_string());
    let open = serde_json::json!({"ob11": {"enable": true, "connect": [
        {"type": "http", "enable": true, "port": 3000, "host": "0.0.0.0", "token": ""}
    ]}});
    f.write(&data.join("config_70007.json"), open.to_string());
    let (code, v) = f.json(&["--llbot-dir", &install.display().to_string(), "doctor"]);
    assert_eq!(code, 8, "{v:#}"); // the launcher does not run: down
    let find = |id: &str| finding(&v, id);
    let ver = find("versions.llbot");
    assert_eq!(ver["severity"], "warn", "{v:#}");
    assert!(ver["message"].to_string().contains("8.0.12"), "{ver:#}");
    let conn = find("config.70007.connections");
    assert_eq!(conn["severity"], "warn", "{v:#}");
    assert_eq!(
        conn["data"]["open_without_token"],
        serde_json::json!(["http:3000"])
    );
    // LLBot needs no LiteLoaderQQNT: not reported missing.
    assert!(find("discovery.liteloader").is_null(), "{v:#}");
    // 8.0.12 and newer: ok.
    let newer = serde_json::json!({"name": "llonebot-dist", "version": "8.0.12"});
    f.write(&pkg, newer.to_string());
    let (_, v) = f.json(&["--llbot-dir", &install.display().to_string(), "doctor"]);
    assert_eq!(finding(&v, "versions.llbot")["severity"], "ok", "{v:#}");
}

#[test]
fn check_versions_has_an_llbot_row_and_no_rows_for_what_it_does_not_use() {
    let f = Fixture::new(Os::Linux);
    let (install, _) = linux_cli(&f);
    let dir = install.display().to_string();
    let (code, v) = f.json(&["--llbot-dir", &dir, "check-versions"]);
    assert_eq!(code, 0, "{v:#}");
    let rows = v["components"].as_array().expect("components");
    let llbot: Vec<&Value> = rows.iter().filter(|c| c["name"] == "llbot").collect();
    assert_eq!(llbot.len(), 1, "{v:#}");
    assert_eq!(llbot[0]["installed"], "8.1.7");
    assert_eq!(llbot[0]["minimum"], "3.28.3");
    assert_eq!(llbot[0]["status"], "ok");
    // Not running, so the mode is unknown: QQ may be used (PMHQ is installed) and is missing;
    // LiteLoaderQQNT and the plugin are never used by LLBot.
    assert_eq!(v["not_found"], serde_json::json!(["qq"]), "{v:#}");
    assert!(
        rows.iter()
            .all(|c| c["name"] != "liteloader" && c["name"] != "llonebot"),
        "{v:#}"
    );

    let (code, v) = f.json(&[
        "--llbot-dir",
        &dir,
        "check-versions",
        "--min-llonebot",
        "9.0",
    ]);
    assert_eq!(code, 1, "{v:#}");
    let row = v["components"]
        .as_array()
        .and_then(|r| r.iter().find(|c| c["name"] == "llbot").cloned())
        .expect("llbot row");
    assert_eq!(row["status"], "outdated", "{v:#}");
}

/// Found through its running launcher: the text names the LLBot process, not QQ, in both
/// languages; JSON keeps `found_via: "process"`.
#[test]
fn a_running_launcher_is_named_as_llbots_process_not_qqs() {
    let f = Fixture::new(Os::host());
    let (install, _) = linux_cli(&f);
    let launcher = start_launcher(&install);
    let pid = launcher.0.id();

    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(the_llbot(&v)["found_via"], "process", "{v:#}");
    let found_via = |lang: &str| {
        let out = f.run(&["--lang", lang, "detect"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.split("\n\n")
            .find(|b| b.starts_with("LLBot "))
            .unwrap_or_else(|| panic!("no LLBot block:\n{text}"))
            .to_string()
    };
    let en = found_via("en");
    assert!(
        en.contains(&format!("running LLBot process (PID {pid})")),
        "{en}"
    );
    assert!(!en.contains("QQ process"), "{en}");
    let zh = found_via("zh");
    assert!(
        zh.contains(&format!("运行中的 LLBot 进程 (PID {pid})")),
        "{zh}"
    );
    assert!(!zh.contains("QQ 进程"), "{zh}");
}

/// A copy of the fake program started as the CLI's launcher (`llbot`, `llbot.exe`) in its
/// install, once it is ready; stopped by its PID when dropped.
fn start_launcher(install: &Path) -> common::Started {
    let name = if cfg!(windows) { "llbot.exe" } else { "llbot" };
    let exe = install.join(name);
    std::fs::copy(common::fake_qq_binary(), &exe).expect("copy the fake program");
    let ready = install.join(".ready");
    let mut c = std::process::Command::new(&exe);
    c.current_dir(install).env("FAKE_QQ_READY", &ready);
    let mut started = common::Started(common::spawn_retrying(&mut c).expect("start the launcher"));
    let t = std::time::Instant::now();
    while !ready.exists() {
        if let Ok(Some(status)) = started.0.try_wait() {
            panic!("the launcher exited before it was ready: {status}");
        }
        assert!(t.elapsed() < Duration::from_secs(30), "not ready in 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    started
}
