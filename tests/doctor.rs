//! `doctor` and `probe`: a finding for each check on trees built to trigger it, and the live
//! probe against small HTTP servers the tests start on 127.0.0.1.

mod common;

use std::fs;
use std::net::TcpListener;
use std::path::Path;

use common::{Fixture, Os};
use serde_json::{Value, json};

fn findings(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn severity_of<'a>(v: &'a Value, check: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == check)
        .unwrap_or_else(|| panic!("no finding {check}: {:#?}", findings(v)))
}

fn config(dir: &Path, uin: &str, body: Value) {
    std::fs::write(dir.join(format!("config_{uin}.json")), body.to_string()).unwrap();
}

fn quiet_config(http_port: u16, ws_port: u16, token: &str) -> Value {
    json!({
        "ob11": {"httpPort": http_port, "wsPort": ws_port, "enableHttp": true, "enableWs": true},
        "token": token, "log": true
    })
}

#[test]
fn a_healthy_install_is_all_ok_and_exits_0() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    // 4.9.4 keeps messages in database/: no msg_* leftovers there, logs on, a token set.
    std::fs::remove_dir_all(data.join("msg_30003")).unwrap();
    config(&data, "30003", quiet_config(39001, 39002, "s3cret"));
    // A QQ that can still log in (above Tencent's login floor), with the LiteLoaderQQNT it needs.
    f.qq_app(
        &f.p("/opt/QQ/resources/app"),
        "3.2.21-41857",
        "./app_launcher/LiteLoaderQQNT.js",
    );
    f.ll_root(&f.p("/opt/LiteLoaderQQNT"), "1.4.1");
    // The bot runs: its QQ (the fake QQ, as the install's `qq`), so it is up.
    #[cfg(unix)]
    let _qq = common::start_fake_qq(&f.p("/opt/QQ"), &[], &[]);
    let (code, v) = f.json(&["doctor"]);
    let bad: Vec<_> = findings(&v)
        .into_iter()
        .filter(|(_, s)| s != "ok")
        .collect();
    if cfg!(unix) {
        assert!(bad.is_empty(), "{bad:?}\n{v:#}");
        assert_eq!(code, 0);
        assert_eq!(v["ok"], true);
    } else {
        // This host's QQ is not the inspected Linux's `qq`: the bot is down, nothing else.
        assert_eq!(bad, [("bot.running".to_string(), "fail".to_string())]);
        assert_eq!(code, 8);
    }
    let eff = severity_of(&v, "timeouts.effective");
    // 4.9.4 is past 3.29.4: 10 s + 1 s per 256 KB.
    assert_eq!(eff["data"]["timeout_ms"]["1mb"], 14_000);
}

#[test]
fn each_problem_gets_its_finding() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    // Leftover msg_30003 beside 4.9.4's database/, a big temp/, an open API without a token,
    // two accounts on one port, logging off, a broken config.
    f.write(&data.join("temp/big.bin"), vec![0u8; 3 << 20]);
    config(
        &data,
        "30003",
        json!({"ob11": {"httpPort": 3000, "wsPort": 3001, "enableHttp": true, "enableWs": true}, "token": "", "log": false}),
    );
    config(&data, "30004", quiet_config(3000, 3002, "x"));
    std::fs::write(data.join("config_30005.json"), "{ not json").unwrap();
    let (code, v) = f.json(&["doctor", "--temp-warn", "1M"]);
    // QQ does not run, so neither does the bot: 8 says so, before the 1 of the findings.
    assert_eq!(code, 8);
    assert_eq!(v["ok"], false);
    let expect = [
        ("cache.msg_db", "warn"),
        ("cache.temp", "warn"),
        ("config.30003.security", "warn"),
        ("config.30003.log", "warn"),
        ("config.ports", "fail"),
        ("config.30005", "fail"),
    ];
    for (check, sev) in expect {
        let x = severity_of(&v, check);
        assert_eq!(x["severity"], sev, "{check}: {x:#}");
        assert!(
            x["remedy"].as_str().is_some_and(|r| !r.is_empty()),
            "{check} has no remedy"
        );
    }
    assert!(
        severity_of(&v, "config.ports")["message"]
            .as_str()
            .unwrap()
            .contains("3000")
    );
    assert_eq!(
        severity_of(&v, "cache.temp")["data"]["bytes"],
        (3 << 20) + 23_000
    );

    // Human output says the same, with remedies.
    let out = f.run(&["doctor", "--temp-warn", "1M"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("empty token") && text.contains("→ set a long random \"token\""),
        "{text}"
    );
    let zh = String::from_utf8_lossy(
        &f.run(&["--lang", "zh", "doctor", "--temp-warn", "1M"])
            .stdout,
    )
    .to_string();
    assert!(
        zh.contains("token 为空") && zh.contains("警告") && zh.contains("失败"),
        "{zh}"
    );
}

#[test]
fn send_timeouts_from_the_logs() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    config(&data, "30003", quiet_config(39011, 39012, "x"));
    // The real excerpt: one send, one timeout, dated 2024-08-02.
    let (_, v) = f.json(&["doctor", "--since", "2024-08-01"]);
    let t = severity_of(&v, "timeouts");
    assert_eq!(t["severity"], "fail", "{t:#}");
    assert_eq!(t["data"]["sends"], 1);
    assert_eq!(t["data"]["timeouts"], 1);
    // Seven days back from today the 2024 log has nothing: it says what the logs cover.
    let (_, v) = f.json(&["doctor"]);
    let t = severity_of(&v, "timeouts");
    assert_eq!(t["severity"], "ok");
    let text = t["message"].as_str().unwrap_or("");
    assert!(
        text.contains("no sends since") && text.contains("the logs end on 2024-08-02 15:03:13"),
        "{t:#}"
    );
    // A clean after the timeout (from the run log of scheduled cleans) starts the count anew.
    let run_log = f.home().join(".local/share/llob-doctor/clean.log");
    fs::create_dir_all(run_log.parent().expect("parent")).expect("mkdir");
    let line = json!({"time": "2024-08-03T12:00:00Z", "command": "clean", "dry_run": false,
        "data_dir": data, "removed": [{"kind": "temp"}], "exit_code": 0});
    fs::write(
        &run_log,
        format!("{{\"command\":\"clean\",\"removed\":[]}}\nnot json\n{line}\n"),
    )
    .expect("write");
    let (_, v) = f.json(&["doctor", "--since", "2024-08-01"]);
    let t = severity_of(&v, "timeouts");
    assert_eq!(t["severity"], "ok", "{t:#}");
    assert_eq!(t["data"]["since_last_clean"], true);
    assert_eq!(t["data"]["timeouts"], 0);
    let out = f.run(&["doctor", "--since", "someday"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn nothing_found_is_a_failure_not_a_crash() {
    let f = Fixture::new(Os::Linux);
    let (code, v) = f.json(&["doctor"]);
    assert_eq!(code, 1);
    assert_eq!(severity_of(&v, "discovery.llonebot")["severity"], "fail");
    let out = f.run(&["--qq-dir", "/definitely/not/here", "doctor"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "bad input: the doctor could not run"
    );
}

fn onebot(path: &str, auth: Option<&str>, token: &str) -> (u16, String) {
    if auth != Some(&format!("Bearer {token}")) {
        return (401, "{}".into());
    }
    match path {
        "get_version_info" => (200, json!({"status": "ok", "retcode": 0, "data": {"app_name": "LLOneBot", "app_version": "3.28.6", "protocol_version": "v11"}}).to_string()),
        "get_status" => (200, json!({"status": "ok", "retcode": 0, "data": {"online": true, "good": true}}).to_string()),
        _ => (404, "{}".into()),
    }
}

#[test]
fn probe_reports_version_online_and_round_trip() {
    if !common::onebot::token_probes_run_here() {
        return;
    }
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let port = common::onebot::serve(|p, a| onebot(p, a, "tok"));
    config(&data, "30003", quiet_config(port, 39022, "tok"));
    let (code, v) = f.json(&["probe"]);
    // The fake answers 3.28.6 while 4.9.4 is installed: a stale run, reported as such.
    assert_eq!(code, 1, "{v:#}");
    let p = severity_of(&v, "probe.30003");
    assert_eq!(p["severity"], "warn");
    assert_eq!(p["data"]["app_version"], "3.28.6");
    assert_eq!(p["data"]["online"], true);
    assert!(p["data"]["rtt_ms"].as_u64().unwrap() < 3000);
    // The doctor includes it with --probe.
    let port = common::onebot::serve(|p, a| onebot(p, a, "tok"));
    config(&data, "30003", quiet_config(port, 39022, "tok"));
    f.llonebot_plugin(&f.p("/opt/LiteLoaderQQNT"), "LLOneBot", "3.28.6");
    let (_, v) = f.json(&["doctor", "--probe"]);
    assert_eq!(severity_of(&v, "probe.30003")["severity"], "ok");
}

#[test]
fn probe_failures_each_get_a_clear_finding() {
    if !common::onebot::token_probes_run_here() {
        return;
    }
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();

    // Wrong token.
    let port = common::onebot::serve(|p, a| onebot(p, a, "right"));
    config(&data, "30003", quiet_config(port, 39032, "wrong"));
    let (code, v) = f.json(&["probe"]);
    assert_eq!(code, 1);
    let p = severity_of(&v, "probe.30003");
    assert_eq!(p["data"]["error"]["kind"], "unauthorized");
    assert!(p["message"].as_str().unwrap().contains("token"));

    // Nothing listening.
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    config(&data, "30003", quiet_config(free, 39032, "x"));
    let (_, v) = f.json(&["probe"]);
    assert_eq!(
        severity_of(&v, "probe.30003")["data"]["error"]["kind"],
        "refused"
    );

    // Not OneBot.
    let port = common::onebot::serve(|_, _| (200, "<html>hello</html>".into()));
    config(&data, "30003", quiet_config(port, 39032, "x"));
    let (_, v) = f.json(&["probe"]);
    assert_eq!(
        severity_of(&v, "probe.30003")["data"]["error"]["kind"],
        "malformed"
    );

    // Accepts and never answers: a timeout after 3 s.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    config(&data, "30003", quiet_config(port, 39032, "x"));
    let t = std::time::Instant::now();
    let (_, v) = f.json(&["probe"]);
    assert_eq!(
        severity_of(&v, "probe.30003")["data"]["error"]["kind"],
        "timeout"
    );
    assert!(t.elapsed() < std::time::Duration::from_secs(10));
    drop(silent);

    // Online false.
    let port = common::onebot::serve(|p, a| {
        if p == "get_status" {
            (
                200,
                json!({"status": "ok", "retcode": 0, "data": {"online": false, "good": true}})
                    .to_string(),
            )
        } else {
            onebot(p, a, "x")
        }
    });
    config(&data, "30003", quiet_config(port, 39032, "x"));
    let (_, v) = f.json(&["probe"]);
    assert_eq!(severity_of(&v, "probe.30003")["severity"], "warn");

    // Upgraded on disk, still the old one running.
    let port = common::onebot::serve(|p, a| onebot(p, a, "x"));
    config(&data, "30003", quiet_config(port, 39032, "x"));
    let (_, v) = f.json(&["probe"]);
    let p = severity_of(&v, "probe.30003");
    assert_eq!(p["severity"], "warn");
    assert!(
        p["message"].as_str().unwrap().contains("3.28.6")
            && p["message"].as_str().unwrap().contains("4.9.4"),
        "{p:#}"
    );
}

#[test]
fn a_port_taken_by_another_program_while_qq_is_stopped() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    // Another program (this test) holds the HTTP port on all interfaces.
    let other = TcpListener::bind("0.0.0.0:0").unwrap();
    let port = other.local_addr().unwrap().port();
    config(&data, "30003", quiet_config(port, 39042, "x"));
    let (_, v) = f.json(&["doctor"]);
    let x = severity_of(&v, "config.ports_in_use");
    assert_eq!(x["severity"], "warn");
    assert_eq!(x["data"][0], port);
    drop(other);
    let (_, v) = f.json(&["doctor"]);
    assert!(!findings(&v).iter().any(|(c, _)| c == "config.ports_in_use"));
}
