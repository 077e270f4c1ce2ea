//! `doctor` and `probe` on every stack, as users of each meet them: the LLOneBot plugin with a
//! 4.x config (`ob11.connect[]`), LLBot 5.x-8.x (the CLI's `--llbot-dir`, the Docker image's
//! `/app/llbot`), and NapCat alone, whose file log the send-timeout finding reads like `stats`.

mod common;
mod llbot_tree;
mod napcat_tree;

use std::net::TcpListener;
use std::path::Path;
use std::thread;

use common::{Fixture, Os, native, sample};
use llbot_tree::{finding, linux_cli, llbot_data, program};
use serde_json::{Value, json};

/// A OneBot HTTP server of account `self_id` running `version`, answering only `token`.
fn serve(self_id: u64, version: &'static str, token: &'static str) -> u16 {
    common::onebot::serve(move |action, auth| {
        let (status, data) = match action {
            _ if auth != Some(format!("Bearer {token}").as_str()) => (401, Value::Null),
            "get_version_info" => (200, json!({"app_name": "LLOneBot", "app_version": version})),
            "get_login_info" => (200, json!({"user_id": self_id, "nickname": "bot"})),
            "get_status" => (200, json!({"online": true, "good": true})),
            _ => (404, Value::Null),
        };
        (
            status,
            json!({"status": "ok", "retcode": 0, "data": data}).to_string(),
        )
    })
}

/// A 4.x+ config: a WebSocket server on every interface without a token, an HTTP server on
/// loopback with one.
fn connect_config(ws_port: u16, http_port: u16, token: &str) -> Value {
    json!({
        "ob11": {"enable": true, "connect": [
            {"type": "ws", "enable": true, "port": ws_port, "host": "", "token": ""},
            {"type": "http", "enable": true, "port": http_port, "host": "127.0.0.1", "token": token},
            {"type": "ws-reverse", "enable": false, "url": "", "token": ""},
            {"type": "http-post", "enable": false, "url": "", "token": ""}
        ]},
        "webui": {"enable": true, "port": 3080},
        "log": true
    })
}

fn write_config(f: &Fixture, data: &Path, uin: &str, body: &Value) {
    f.write(&data.join(format!("config_{uin}.json")), body.to_string());
}

fn text(f: &Fixture, args: &[&str]) -> String {
    let out = f
        .cmd()
        .args(["--lang", "en"])
        .args(args)
        .output()
        .expect("run");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_4x_plugin_config_is_checked_for_open_servers_and_shared_ports() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    write_config(&f, &data, "30003", &connect_config(3001, 3000, "s3cret"));
    // A second account whose HTTP server takes the first one's WebSocket port.
    write_config(&f, &data, "30004", &connect_config(3002, 3001, "t"));
    let (code, v) = f.json(&["doctor"]);
    assert_eq!(code, 8, "{v:#}"); // and QQ does not run: the bot is down
    let conn = finding(&v, "config.30003.connections");
    assert_eq!(conn["severity"], "warn", "{v:#}");
    assert_eq!(conn["data"]["open_without_token"], json!(["ws:3001"]));
    assert_eq!(finding(&v, "config.30003")["data"]["schema"], "4.x+");
    let ports = finding(&v, "config.ports");
    assert_eq!(ports["severity"], "fail", "{v:#}");
    assert_eq!(ports["data"]["3001"], json!(["30003 WS", "30004 HTTP"]));
    let out = text(&f, &["doctor"]);
    assert!(
        out.contains("account 30003: ws:3001: the OneBot API listens on all network interfaces with an empty token"),
        "{out}"
    );
    assert!(
        out.contains("the same port is used twice: 3001 (30003 WS, 30004 HTTP)"),
        "{out}"
    );
}

#[test]
fn probe_asks_the_http_server_of_a_4x_config_with_its_token() {
    if !common::onebot::token_probes_run_here() {
        return;
    }
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let port = serve(30003, "4.9.4", "s3cret");
    write_config(&f, &data, "30003", &connect_config(39101, port, "s3cret"));
    let (code, v) = f.json(&["probe"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(finding(&v, "probe").is_null(), "{v:#}");
    let p = finding(&v, "probe.30003");
    assert_eq!(p["severity"], "ok", "{v:#}");
    assert_eq!(p["data"]["app_version"], "4.9.4");
    let out = text(&f, &["probe"]);
    assert!(!out.contains("no account has"), "{out}");
    // OneBot 11 switched off: none of its servers runs, so there is nothing to ask.
    let mut off = connect_config(39101, port, "s3cret");
    off["ob11"]["enable"] = json!(false);
    write_config(&f, &data, "30003", &off);
    let (_, v) = f.json(&["probe"]);
    assert_eq!(finding(&v, "probe")["severity"], "warn", "{v:#}");
}

#[test]
fn llbot_accounts_are_configured_and_probed() {
    if !common::onebot::token_probes_run_here() {
        return;
    }
    let f = Fixture::new(Os::Linux);
    let (install, data) = linux_cli(&f);
    let dir = install.display().to_string();
    let (_, v) = f.json(&["--llbot-dir", &dir, "doctor"]);
    assert!(finding(&v, "config").is_null(), "{v:#}");
    assert_eq!(finding(&v, "config.70007")["severity"], "ok", "{v:#}");
    assert_eq!(
        finding(&v, "config.70007.connections")["severity"],
        "ok",
        "{v:#}"
    );
    let out = text(&f, &["--llbot-dir", &dir, "doctor"]);
    assert!(!out.contains("no account is configured"), "{out}");
    // HTTP on, with a token: `probe` and `doctor --probe` ask it.
    let port = serve(70007, "8.1.7", "k3y");
    let mut cfg = connect_config(39111, port, "k3y");
    cfg["ob11"]["connect"][0]["host"] = json!("127.0.0.1");
    write_config(&f, &data, "70007", &cfg);
    let (code, v) = f.json(&["--llbot-dir", &dir, "probe"]);
    assert_eq!(code, 0, "{v:#}");
    let p = finding(&v, "probe.70007");
    assert_eq!(p["severity"], "ok", "{v:#}");
    assert_eq!(p["data"]["app_version"], "8.1.7");
    let (_, v) = f.json(&["--llbot-dir", &dir, "doctor", "--probe"]);
    assert_eq!(finding(&v, "probe.70007")["severity"], "ok", "{v:#}");
}

/// A port held while LLBot runs may be LLBot's own: only with LLBot stopped is a held port
/// another program's, and the finding names LLBot, not QQ (LLBot 8 headless runs no QQ).
#[test]
fn a_running_llbot_holds_its_own_ports() {
    let f = Fixture::new(Os::host());
    let (install, data) = linux_cli(&f);
    let holder = TcpListener::bind("0.0.0.0:0").expect("bind");
    let port = holder.local_addr().expect("addr").port();
    let mut cfg = connect_config(port, 39121, "k3y");
    cfg["ob11"]["connect"][0]["host"] = json!("127.0.0.1");
    write_config(&f, &data, "70007", &cfg);
    let dir = install.display().to_string();
    let launcher = start_launcher(&install);
    let (_, v) = f.json(&["--llbot-dir", &dir, "doctor"]);
    assert_eq!(finding(&v, "config.70007")["severity"], "ok", "{v:#}");
    assert!(finding(&v, "config.ports_in_use").is_null(), "{v:#}");
    drop(launcher);
    let (_, v) = f.json(&["--llbot-dir", &dir, "doctor"]);
    let taken = finding(&v, "config.ports_in_use");
    assert_eq!(taken["data"], json!([port]), "{v:#}");
    let out = text(&f, &["--llbot-dir", &dir, "doctor"]);
    assert!(
        out.contains(&format!(
            "ports in use by another program while LLBot is stopped: {port}"
        )),
        "{out}"
    );
    drop(holder);
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
    let started = common::Started(common::spawn_retrying(&mut c).expect("start the launcher"));
    let t = std::time::Instant::now();
    while !ready.exists() {
        assert!(
            t.elapsed() < std::time::Duration::from_secs(30),
            "not ready in 30 s"
        );
        thread::sleep(std::time::Duration::from_millis(20));
    }
    started
}

#[test]
fn the_docker_image_llbot_has_its_account() {
    let f = Fixture::new(Os::Linux);
    let install = f.p("/app/llbot");
    program(&f, &install, "llbot.js", "llonebot-dist", "8.0.12");
    llbot_data(&f, &install.join("data"), "90009");
    let (_, v) = f.json(&["doctor"]);
    assert!(finding(&v, "config").is_null(), "{v:#}");
    assert_eq!(finding(&v, "config.90009")["severity"], "ok", "{v:#}");
    // The fixture's config has HTTP off: probe names the account instead of "no account".
    let (code, v) = f.json(&["probe"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(finding(&v, "probe.90009")["severity"], "warn", "{v:#}");
}

#[test]
fn napcat_alone_gets_the_send_timeout_finding_from_its_file_log() {
    let f = Fixture::new(Os::Linux);
    let nc = napcat_tree::linux_installer(&f);
    // NapCat's real line layout: sends and a send timeout on 2025-05-12.
    f.write(
        &nc.join(native("logs/2025-05-12_10-00-00.123.log")),
        sample("logs/2025-05-12_10-00-00.123.log"),
    );
    let (_, stats) = f.json(&["stats", "--since", "2025-05-01"]);
    let (_, v) = f.json(&["doctor", "--since", "2025-05-01"]);
    let t = finding(&v, "timeouts");
    assert!(!t.is_null(), "no timeouts finding: {v:#}");
    assert!(t["data"]["timeouts"].as_u64().unwrap_or(0) >= 1, "{t:#}");
    // The same counts as `stats`.
    for key in ["sends", "timeouts", "timeouts_delivered", "errors"] {
        assert_eq!(t["data"][key], stats[key], "{key}: {t:#}\n{stats:#}");
    }
    // NapCat's timeout is a setting of its own, and it keeps no msg_* folders to remove.
    let remedy = t["remedy"].as_str().unwrap_or("");
    assert!(remedy.contains("timeout.baseTimeout"), "{t:#}");
    assert!(!remedy.contains("msg_*"), "{t:#}");
    let out = text(&f, &["doctor", "--since", "2025-05-01"]);
    let n = t["data"]["timeouts"].as_u64().unwrap_or(0);
    let noun = if n == 1 { "timeout" } else { "timeouts" };
    assert!(out.contains(&format!("{n} send {noun} in")), "{out}");
}

/// Logs that are there but cannot be read are not "no log files": the doctor warns and says
/// what to do.
#[cfg(target_os = "linux")]
#[test]
fn unreadable_logs_are_a_warning_not_no_logs() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    let logs = data.join("logs");
    let mut probe = None;
    for e in std::fs::read_dir(&logs).expect("logs").flatten() {
        let p = e.path();
        if p.is_file() {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
            probe = Some(p);
        }
    }
    let probe = probe.expect("the installer tree has a log");
    let Some(out) = common::unprivileged::run(&f, &["--json", "doctor"], &probe) else {
        return;
    };
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let t = finding(&v, "timeouts");
    assert_eq!(t["severity"], "warn", "{v:#}");
    assert!(
        t["message"]
            .as_str()
            .is_some_and(|m| m.contains("could not be read")),
        "{t:#}"
    );
    assert!(!t["remedy"].is_null(), "{t:#}");
}
