//! `probe` and the doctor's config checks as users met them: two accounts on one port, an
//! account with HTTP off, a port that is no number, no account at all, `-q`, `TERM=dumb`.

mod common;

use std::path::Path;

use common::{Fixture, Os};
use serde_json::{Value, json};

fn finding<'a>(v: &'a Value, check: &str) -> Option<&'a Value> {
    v["findings"]
        .as_array()?
        .iter()
        .find(|f| f["check"] == check)
}

fn config(dir: &Path, uin: &str, body: Value) {
    std::fs::write(dir.join(format!("config_{uin}.json")), body.to_string()).unwrap();
}

/// A OneBot HTTP server logged in as `self_id`, answering any number of connections.
fn serve_as(self_id: u64) -> u16 {
    common::onebot::serve(move |action, _| {
        let data = match action {
            "get_version_info" => json!({"app_name": "LLOneBot", "app_version": "4.9.4"}),
            "get_login_info" => json!({"user_id": self_id, "nickname": "bot"}),
            "get_status" => json!({"online": true, "good": true}),
            _ => Value::Null,
        };
        (
            200,
            json!({"status": "ok", "retcode": 0, "data": data}).to_string(),
        )
    })
}

fn http(port: u16, on: bool) -> Value {
    json!({"ob11": {"httpPort": port, "enableHttp": on, "enableWs": false, "wsPort": 3001}, "token": "", "log": true})
}

#[test]
fn two_accounts_on_one_port_are_not_both_credited() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    // The fixture's account 30003 and a second one, 40004, both naming the port where 30003 runs.
    let port = serve_as(30003);
    config(&data, "30003", http(port, true));
    config(&data, "40004", http(port, true));
    let (code, v) = f.json(&["probe"]);
    assert_eq!(code, 1, "{v:#}");
    let a = finding(&v, "probe.30003").expect("30003 probed");
    assert_eq!(a["data"]["self_id"], "30003");
    assert!(a["data"]["error"].is_null(), "{a}");
    let b = finding(&v, "probe.40004").expect("40004 probed");
    assert_eq!(b["severity"], "fail");
    assert_eq!(b["data"]["error"]["kind"], "other_account");
    assert_eq!(b["data"]["error"]["self_id"], "30003");
    let out = f.run(&["--lang", "en", "probe"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("answers for account 30003, not for 40004"),
        "{text}"
    );
}

#[test]
fn an_account_with_http_off_is_named() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let port = serve_as(30003);
    config(&data, "30003", http(port, true));
    config(&data, "50005", http(3000, false));
    let (_, v) = f.json(&["probe"]);
    let off = finding(&v, "probe.50005").expect("the account with HTTP off is named");
    assert_eq!(off["severity"], "warn");
    assert!(
        off["message"].as_str().unwrap().contains("HTTP API is off"),
        "{off}"
    );
}

#[test]
fn a_port_that_is_no_number_fails() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    config(
        &data,
        "30003",
        json!({"ob11": {"httpPort": "abc", "enableHttp": true}, "token": "t", "log": true}),
    );
    let (code, v) = f.json(&["doctor"]);
    assert_eq!(code, 8); // the bot does not run: 8 outranks the failure's 1
    let bad = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| {
            x["message"]
                .as_str()
                .is_some_and(|m| m.contains("httpPort is \"abc\""))
        })
        .unwrap_or_else(|| panic!("no finding on httpPort: {v:#}"));
    assert_eq!(bad["severity"], "fail");
}

#[test]
fn no_account_is_not_everything_fine() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    for e in std::fs::read_dir(&data).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("config_")
        {
            std::fs::remove_file(p).unwrap();
        }
    }
    let (code, v) = f.json(&["doctor"]);
    assert_eq!(code, 8, "{v:#}"); // not 0: the bot is down (8 outranks 1)
    assert_eq!(
        finding(&v, "config").expect("a config finding")["severity"],
        "warn"
    );
    let out = f.run(&["--lang", "en", "doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Everything checked is fine"), "{text}");
    assert!(text.contains("no account is configured"), "{text}");
}

#[test]
fn quiet_doctor_still_prints_problems() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    config(
        &data,
        "30003",
        json!({"ob11": {"httpPort": "abc", "enableHttp": true}, "token": "t", "log": true}),
    );
    let out = f.run(&["--lang", "en", "-q", "doctor"]);
    assert_eq!(out.status.code(), Some(8)); // the bot is down too
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("httpPort"), "quiet hid the failure:\n{text}");
    assert!(!text.contains("ok  "), "quiet printed ok findings:\n{text}");
}

/// `TERM=dumb` on a real terminal: no colours (run under script(1) for a pseudo-terminal).
#[cfg(target_os = "linux")]
#[test]
fn a_dumb_terminal_gets_no_colours() {
    let have_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_script {
        common::skip("script(1) is not installed");
        return;
    }
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let run = |term: &str| {
        let cmd = format!(
            "'{}' --fs-root '{}' --platform linux --lang en doctor",
            common::BIN,
            f.root.display()
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("TERM", term)
            .env("HOME", "/home/alice")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        run("xterm").contains("\x1b["),
        "no colours on a colour terminal"
    );
    assert!(!run("dumb").contains("\x1b["), "colours on TERM=dumb");
}
