//! NapCat in `doctor` and `check-versions`, and a QQ started the way NapCat Shell starts it.

// The test of a QQ started by NapCat Shell is not for Windows: its imports sit unused there.
#![cfg_attr(windows, allow(unused_imports))]

mod common;
mod napcat_tree;

use std::path::Path;

use common::{Fixture, Os, native, sample, stop_pid};
use napcat_tree::*;
use serde_json::Value;

#[test]
fn doctor_reads_napcat_configs_temp_and_old_logs() {
    let f = Fixture::new(Os::Linux);
    let nc = linux_installer(&f);
    // Account 123456: a WebSocket server open to the network without a token.
    let mut cfg: Value = serde_json::from_str(&sample("napcat-onebot11-defaults.json")).unwrap();
    cfg["network"]["websocketServers"] = serde_json::json!([
        {"name": "ws", "enable": true, "host": "0.0.0.0", "port": 3001, "token": ""}
    ]);
    f.write(
        &nc.join(native("config/onebot11_123456.json")),
        cfg.to_string(),
    );
    // Account 654321: an HTTP server on the same port, with a token, on loopback.
    cfg["network"]["websocketServers"] = serde_json::json!([]);
    cfg["network"]["httpServers"] = serde_json::json!([
        {"name": "http", "enable": true, "host": "127.0.0.1", "port": 3001, "token": "s3cret"}
    ]);
    f.write(
        &nc.join(native("config/onebot11_654321.json")),
        cfg.to_string(),
    );
    let old = nc.join(native("logs/2026-01-01_00-00-00.000.log"));
    f.write(&old, "01-01 00:00:00 [info] | x\n");
    common::set_mtime(
        &old,
        std::time::SystemTime::now() - std::time::Duration::from_secs(10 * 24 * 3600),
    );

    let (code, v) = f.json(&["doctor"]);
    assert_eq!(
        code, 8,
        "QQ does not run, so NapCat is down (8 outranks 1): {v:#}"
    );
    let find = |id: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["check"] == id)
            .unwrap_or_else(|| panic!("no {id}: {v:#}"))
            .clone()
    };
    assert_eq!(find("versions.napcat")["severity"], "ok");
    assert_eq!(find("versions.napcat")["data"]["installed"], VERSION);
    // No minimum is set for NapCat: the line says so instead of "meets the minimum -".
    let said = find("versions.napcat")["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        said.contains(VERSION) && said.contains("no minimum") && !said.contains(" -"),
        "{said}"
    );
    assert_eq!(find("napcat.config.123456")["severity"], "warn");
    assert_eq!(find("napcat.config.654321")["severity"], "ok");
    assert_eq!(find("napcat.ports")["severity"], "warn");
    assert_eq!(
        find("napcat.timeout.123456")["data"]["baseTimeout"],
        10000.0
    );
    assert_eq!(find("napcat.temp")["data"]["bytes"], 5000 + 700);
    assert_eq!(find("napcat.logs")["data"]["files"], 1);
    // NapCat needs neither LiteLoaderQQNT nor LLOneBot.
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| s(&x["check"]))
        .collect();
    assert!(!ids.contains(&"discovery.llonebot") && !ids.contains(&"discovery.liteloader"));
}

#[test]
fn check_versions_has_a_napcat_row_with_an_optional_minimum() {
    let f = Fixture::new(Os::Linux);
    linux_installer(&f);
    let row = |v: &Value| {
        v["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "napcat")
            .unwrap_or_else(|| panic!("no napcat row: {v:#}"))
            .clone()
    };
    let (_, v) = f.json(&["check-versions"]);
    let r = row(&v);
    assert_eq!(r["installed"], VERSION);
    assert_eq!((s(&r["status"]), s(&r["reason"])), ("ok", "no_minimum"));
    let (code, v) = f.json(&["check-versions", "--min-napcat", "4.19.0"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(row(&v)["status"], "outdated");
    let out = f.run(&["check-versions", "--min-napcat", "four"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A QQ started the way NapCat Shell starts it: its environment names `napcat.mjs`, its
/// arguments carry the quick-login account. `clean` refuses while it runs, then stops it,
/// cleans NapCat's temp and starts it again with the same arguments and environment.
// On Windows NapCat.Shell's QQ comes back through NapCat's launcher:
// tests/napcat_shell_restart.rs.
#[cfg(not(windows))]
#[test]
fn a_qq_started_by_napcat_shell_is_stopped_and_restarted_as_it_was() {
    use std::time::{Duration, Instant};
    let f = Fixture::new(Os::host());
    let (qq_dir, shell_platform, data) = match f.os {
        Os::Windows => {
            let qq = f.p(r"C:\Program Files\Tencent\QQNT");
            let app = qq.join(native("resources/app"));
            f.qq_app(&app, "9.9.19-34740", "./application/app_launcher/index.js");
            (
                qq,
                r"D:\NapCat.Shell".to_string(),
                f.p(r"C:\Users\alice\Documents\Tencent Files\NapCat"),
            )
        }
        _ => {
            let qq = f.p("/opt/QQ");
            f.qq_app(
                &qq.join(native("resources/app")),
                "3.2.17-34740",
                "./application/app_launcher/index.js",
            );
            (
                qq,
                "/srv/NapCat.Shell".to_string(),
                f.p("/home/alice/.config/QQ/NapCat"),
            )
        }
    };
    let shell = f.p(&shell_platform);
    napcat_folder(&f, &shell, "123456");
    napcat_data(&f, &data, "123456");
    let main_path = match f.os {
        Os::Windows => format!("{}/napcat.mjs", shell_platform.replace('\\', "/")),
        _ => format!("{shell_platform}/napcat.mjs"),
    };
    let log = f.tmp.path().join("qq-starts.log");
    let log_s = log.to_str().unwrap().to_string();
    let qq = common::start_fake_qq(
        &qq_dir,
        &["-q", "123456"],
        &[
            ("NAPCAT_MAIN_PATH", &main_path),
            ("FAKE_QQ_LOG", &log_s),
            ("FAKE_QQ_LIFETIME", "90"),
            // NapCat, loaded in QQ, writes its log there: the restart counts once it does.
            ("FAKE_NAPCAT_LOGS", &shell.join("logs").to_string_lossy()),
        ],
    );
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = napcat_bot(&v);
    assert_eq!(s(&b["found_via"]), "napcat_qq_environ", "{v:#}");
    assert_eq!(Path::new(s(&b["data_dir"])), shell);
    assert_eq!(b["processes"][0]["pid"], qq.0.id());

    let out = f.run(&["clean", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "QQ runs NapCat: clean must wait"
    );
    assert!(data.join(native("temp/a1b2.jpg")).exists());

    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!data.join(native("temp/a1b2.jpg")).exists());
    let new_pid = v["qq"]["restarted"][0]["pid"].as_u64().expect("a new pid") as u32;
    drop(qq);
    let t = Instant::now();
    let mut lines: Vec<String> = Vec::new();
    while t.elapsed() < Duration::from_secs(10) {
        lines = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect();
        if lines.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // The restarted QQ still carries NapCat Shell's environment: NapCat is found through it.
    let (_, now) = f.json(&["detect"]);
    stop_pid(new_pid);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: Vec<&str> = lines[0].split('\t').collect();
    let second: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(first[1..], second[1..], "cwd and arguments differ");
    assert!(
        second.contains(&"-q") && second.contains(&"123456"),
        "{second:?}"
    );
    assert_eq!(
        s(&napcat_bot(&now)["found_via"]),
        "napcat_qq_environ",
        "{now:#}"
    );
}
