//! Text from disk and from the bot reaches the terminal with its control characters escaped: a
//! log file's name in `stats -v`, a plugin manifest's version in `detect`, a bot's answer in
//! `probe`. The JSON keeps the text exact (serde escapes it).

mod common;
mod stats_tree;

use common::{Fixture, Os};
use serde_json::{Value, json};

/// ESC and BEL: what moves the cursor, clears the screen or sets the window title.
fn assert_no_raw_controls(what: &str, out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    assert!(
        !out.contains(&0x1b) && !out.contains(&0x07),
        "{what} printed a raw control character:\n{}",
        text.escape_debug()
    );
}

#[cfg(unix)]
#[test]
fn stats_escapes_a_log_files_name() {
    use stats_tree::*;
    let (f, logs) = with_logs(&[]);
    std::fs::write(logs.join("llonebot-\x1b[31mred.log"), log_sample(V3_HTTP)).unwrap();
    let out = f.run(&["--lang", "en", "stats", "-v"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_no_raw_controls("stats -v", &out.stdout);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("llonebot-\\x1b[31mred.log"), "{text}");
    // The JSON names the file exactly.
    let v = stats(&f, &[]);
    let files = v["files"].to_string();
    assert!(files.contains("llonebot-\\u001b[31mred.log"), "{files}");
}

#[test]
fn detect_escapes_a_manifest_version() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    let profile = data.parent().unwrap().parent().unwrap().to_path_buf();
    // JSON escapes in the file: the parsed version holds ESC and BEL.
    f.llonebot_plugin(&profile, "llonebot", r"3.28.3\u001b[2J\u001b]0;pwn\u0007");
    let out = f.run(&["--lang", "en", "detect", "-v"]);
    assert_no_raw_controls("detect", &out.stdout);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r"LLOneBot 3.28.3\x1b[2J\x1b]0;pwn\x07"),
        "{text}"
    );
    let (_, v) = f.json(&["detect"]);
    assert_eq!(v["llonebot"]["version"], "3.28.3\u{1b}[2J\u{1b}]0;pwn\u{7}");
}

/// A OneBot HTTP server whose every answer is `answer(action)`.
fn serve(answer: fn(&str) -> Value) -> u16 {
    common::onebot::serve(move |action, _| (200, answer(action).to_string()))
}

fn config(data: &std::path::Path, uin: &str, port: u16) {
    let body = json!({"ob11": {"httpPort": port, "enableHttp": true, "enableWs": false, "wsPort": 3001}, "token": "", "log": true});
    std::fs::write(data.join(format!("config_{uin}.json")), body.to_string()).unwrap();
}

#[test]
fn probe_escapes_the_bots_answer() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    // Account 30003: the bot fails with a message that would clear the screen and ring.
    let failing = serve(
        |_| json!({"status": "failed", "retcode": 1200, "message": "\u{1b}[2J\u{1b}]0;pwn\u{7}timeout", "data": null}),
    );
    config(&data, "30003", failing);
    // Account 40004: the bot answers, with such a version.
    let answering = serve(|action| {
        let data = match action {
            "get_version_info" => {
                json!({"app_name": "LLOneBot", "app_version": "4.9.4\u{1b}[31m\u{7}"})
            }
            "get_login_info" => json!({"user_id": 40004}),
            _ => json!({"online": true, "good": true}),
        };
        json!({"status": "ok", "retcode": 0, "data": data})
    });
    config(&data, "40004", answering);

    let out = f.run(&["--lang", "en", "probe"]);
    assert_no_raw_controls("probe", &out.stdout);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r"retcode 1200 (\x1b[2J\x1b]0;pwn\x07timeout)"),
        "{text}"
    );
    assert!(text.contains(r"4.9.4\x1b[31m\x07"), "{text}");

    // The JSON keeps the bot's words exact.
    let (_, v) = f.json(&["probe"]);
    let find = |check: &str| {
        v["findings"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["check"] == check))
            .cloned()
            .unwrap_or_else(|| panic!("{check} in {v:#}"))
    };
    assert_eq!(
        find("probe.30003")["data"]["error"]["message"],
        "\u{1b}[2J\u{1b}]0;pwn\u{7}timeout"
    );
    assert_eq!(
        find("probe.40004")["data"]["app_version"],
        "4.9.4\u{1b}[31m\u{7}"
    );
}
