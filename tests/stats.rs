//! `stats` on real log files of each LLOneBot log format (tests/samples/logs/), read through
//! discovery of a fixture install or given as arguments.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Fixture, Os};
use serde_json::{Value, json};

const V3_HTTP: &str = "llonebot-3.27.3-http.log";
const V3_WS: &str = "llonebot-3.28.3-ws.log";
const V4: &str = "llonebot-2024-11-3 10-00-00.log";
const V5: &str = "llbot-2025-1-5 10-00-00.log";
const V6: &str = "llbot-2025-6-1 09-00-00.log";
const DAMAGED: &str = "damaged.log";

fn log_sample(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples/logs")
        .join(name);
    fs::read(&p).unwrap_or_else(|e| panic!("sample {}: {e}", p.display()))
}

/// An AUR install whose `logs/` holds exactly these sample logs (the default excerpt removed).
fn with_logs(names: &[&str]) -> (Fixture, PathBuf) {
    let f = Fixture::new(Os::Linux);
    let logs = f.linux_aur().join("logs");
    fs::remove_dir_all(&logs).expect("clear logs");
    fs::create_dir_all(&logs).expect("logs");
    for n in names {
        fs::write(logs.join(n), log_sample(n)).expect("write log");
    }
    (f, logs)
}

fn stats(f: &Fixture, args: &[&str]) -> Value {
    let mut all = vec!["stats"];
    all.extend_from_slice(args);
    let (code, v) = f.json(&all);
    assert_eq!(code, 0, "stats {args:?}: {v:#}");
    v
}

fn counts(v: &Value) -> (u64, u64, u64) {
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v:#}"));
    (n("sends"), n("timeouts"), n("errors"))
}

fn days(v: &Value) -> Vec<(String, u64, u64, u64)> {
    v["days"]
        .as_array()
        .expect("days")
        .iter()
        .map(|d| {
            (
                d["date"].as_str().expect("date").to_string(),
                d["sends"].as_u64().expect("sends"),
                d["timeouts"].as_u64().expect("timeouts"),
                d["errors"].as_u64().expect("errors"),
            )
        })
        .collect()
}

#[test]
fn the_real_excerpt_counts_one_failed_send_once() {
    // 3.27.3: `ntqq api timeout ... sendMsg` then `发生错误 发送超时` for the same send.
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let v = stats(&f, &[]);
    assert_eq!(counts(&v), (1, 1, 0));
    assert_eq!(v["timeout_rate"], 1.0);
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["files"][0]["stack"], "llonebot");
    assert_eq!(v["files"][0]["family"], "3.x");
    assert_eq!(v["lines"], 9);
    assert_eq!(v["skipped_lines"], 0);
    assert_eq!(days(&v), [("2024-08-02".to_string(), 1, 1, 0)]);
    assert_eq!(
        v["attachment_bytes"],
        json!({"count": 1, "with_files": 0, "total": 0, "max": 0})
    );
    assert_eq!(
        v["timeouts_set"],
        json!({"count": 1, "min": 5000, "max": 5000})
    );
}

#[test]
fn v3_http_ten_sends_three_timeouts_over_two_days() {
    let (f, _) = with_logs(&[V3_HTTP]);
    let v = stats(&f, &[]);
    // One of the three timeouts logs two lines; an error of get_group_member_info is no send's.
    assert_eq!(counts(&v), (10, 3, 1));
    assert_eq!(v["requests"], 13);
    assert_eq!(v["other_errors"], 1);
    assert_eq!(v["timeout_rate"], 0.3);
    assert_eq!(
        days(&v),
        [
            ("2024-08-01".to_string(), 6, 2, 0),
            ("2024-08-02".to_string(), 4, 1, 1),
        ]
    );
    assert_eq!(v["days"][1]["timeout_rate"], 0.25);
    // 0 + 200 KiB + 0 + 0 + 500 KiB + 0 + 30000 + 0 bytes, over the 8 sends that logged sizes.
    assert_eq!(
        v["attachment_bytes"],
        json!({"count": 8, "with_files": 3, "total": 746_800, "max": 512_000})
    );
    // 5292.96875 ms (a 30000-byte voice) is read and rounded; 10000 for the 500 KiB image.
    assert_eq!(
        v["timeouts_set"],
        json!({"count": 8, "min": 5000, "max": 10000})
    );
}

#[test]
fn each_log_format_counts_what_it_logged() {
    // (file, requests, sends, timeouts, errors, other action errors)
    let cases = [
        // WebSocket forward and reverse; the logged replies repeat failures and add nothing;
        // an Error object logged as `{}` is a timeout by its reply (Timeout: NTEvent ... sendMsg).
        (V3_WS, 5, 4, 2, 0, 0),
        // 4.x: legacy `log()` lines and `| name` cordis lines in one file, inspect()-style
        // payloads, an IPC timeout paired across the two, stack traces on continuation lines.
        (V4, 5, 4, 1, 1, 1),
        // 5.x: `[level] | time | message`; a forward send's multiForwardMsgWithComment timeout.
        (V5, 4, 3, 2, 0, 0),
        // 6.x/7.x: `time [I] name message`, indented continuations.
        (V6, 3, 2, 1, 0, 0),
    ];
    for (file, requests, sends, timeouts, errors, other) in cases {
        let (f, _) = with_logs(&[file]);
        let v = stats(&f, &[]);
        assert_eq!(counts(&v), (sends, timeouts, errors), "{file}: {v:#}");
        assert_eq!(v["requests"], requests, "{file}");
        assert_eq!(v["other_errors"], other, "{file}");
        assert_eq!(v["skipped_lines"], 0, "{file}");
        assert_eq!(v["days"].as_array().map(Vec::len), Some(1), "{file}");
    }
    // Sizes and timeouts are only logged by 3.x.
    let (f, _) = with_logs(&[V3_WS]);
    let v = stats(&f, &[]);
    assert_eq!(v["attachment_bytes"]["max"], 1_048_576);
    assert_eq!(
        v["timeouts_set"],
        json!({"count": 3, "min": 5000, "max": 15240})
    );
    let (f, _) = with_logs(&[V6]);
    let v = stats(&f, &[]);
    assert_eq!(v["attachment_bytes"], Value::Null);
    assert_eq!(v["timeouts_set"], Value::Null);
}

#[test]
fn all_formats_in_one_folder_add_up() {
    let (f, _) = with_logs(&[V3_HTTP, V3_WS, V4, V5, V6]);
    let v = stats(&f, &[]);
    assert_eq!(v["files"].as_array().map(Vec::len), Some(5));
    assert_eq!(counts(&v), (10 + 4 + 4 + 3 + 2, 3 + 2 + 1 + 2 + 1, 1 + 1));
    let dates: Vec<String> = days(&v).into_iter().map(|d| d.0).collect();
    assert_eq!(
        dates,
        [
            "2024-08-01",
            "2024-08-02",
            "2024-09-10",
            "2024-11-03",
            "2025-01-05",
            "2025-06-01"
        ]
    );
}

#[test]
fn since_a_date_keeps_that_day_and_later() {
    let (f, _) = with_logs(&[V3_HTTP]);
    let v = stats(&f, &["--since", "2024-08-02"]);
    assert_eq!(counts(&v), (4, 1, 1));
    assert_eq!(days(&v), [("2024-08-02".to_string(), 4, 1, 1)]);
    assert_eq!(v["since"], "2024-08-02 00:00:00");
    // Sizes and timeouts follow the same cut: 3 of the 8 (one send failed before sizing).
    assert_eq!(v["attachment_bytes"]["count"], 3);
    assert_eq!(v["timeouts_set"]["count"], 3);
    // The lines are still all read.
    assert_eq!(v["lines"], stats(&f, &[])["lines"]);
    let v = stats(&f, &["--since", "2030-01-01"]);
    assert_eq!(counts(&v), (0, 0, 0));
    assert_eq!(v["timeout_rate"], Value::Null);
    assert_eq!(v["days"], json!([]));
}

#[test]
fn since_a_duration_counts_back_from_now() {
    let f = Fixture::new(Os::Linux);
    let logs = f.linux_aur().join("logs");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    // Dates two and thirty days back: far enough from the cut that time zones do not matter.
    let day = |back: i64| {
        let (y, m, d) = llob_doctor::time::civil_from_days((now - back * 86_400) / 86_400);
        format!("{y}/{m}/{d}")
    };
    let log = format!(
        "{old} 12:00:00 Bot(1): 收到http请求 /send_msg {{}} \n\n\
         {old} 12:00:05 Bot(1): 发生错误 发送超时 \n\n\
         {recent} 12:00:00 Bot(1): 收到http请求 /send_msg {{}} \n\n",
        old = day(30),
        recent = day(2)
    );
    fs::write(logs.join("llonebot-recent.log"), log).expect("write");
    let all = stats(&f, &[]);
    // The default excerpt (2024) plus these two sends.
    assert_eq!(counts(&all), (3, 2, 0));
    let v = stats(&f, &["--since", "7d"]);
    assert_eq!(counts(&v), (1, 0, 0));
    assert_eq!(v["days"].as_array().map(Vec::len), Some(1));
}

#[test]
fn json_has_the_documented_fields() {
    let (f, logs) = with_logs(&[V3_HTTP]);
    let v = stats(&f, &[]);
    for key in [
        "files",
        "lines",
        "skipped_lines",
        "undated_lines",
        "requests",
        "sends",
        "timeouts",
        "errors",
        "timeout_rate",
        "other_errors",
        "days",
        "undated",
        "attachment_bytes",
        "timeouts_set",
        "since",
        "searched",
        "unreadable",
        "timeouts_delivered",
        "timeouts_unconfirmed",
        "accounts",
        "sizes",
        "error_messages",
        "logs_end",
        "window_seconds",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v:#}");
    }
    assert_eq!(v["searched"], json!([logs]));
    let src = &v["files"][0];
    assert_eq!(src["path"], json!(logs.join(V3_HTTP)));
    assert_eq!(src["bytes"], log_sample(V3_HTTP).len());
    assert_eq!(src["truncated"], false);
    assert_eq!(v["since"], Value::Null);
}

#[test]
fn prometheus_output_parses() {
    let (f, _) = with_logs(&[V3_HTTP]);
    let out = f.run(&["stats", "--prometheus"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let mut values = std::collections::HashMap::new();
    let mut helped = std::collections::HashSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            helped.insert(rest.split(' ').next().unwrap_or("").to_string());
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let kind = rest.split(' ').nth(1);
            assert!(matches!(kind, Some("counter" | "gauge")), "{line}");
            continue;
        }
        assert!(!line.starts_with('#'), "{line}");
        // name{labels} value
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let name = series.split('{').next().unwrap_or("");
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                && !name.starts_with(|c: char| c.is_ascii_digit()),
            "bad metric name in {line}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            assert!(labels.is_empty() || (labels.starts_with('{') && labels.ends_with('}')));
        }
        let v: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value in {line}"));
        assert!(helped.contains(name), "{name} has no HELP");
        values.insert(name.to_string(), v);
    }
    // Windowed counts are gauges, per account and stack.
    assert!(
        text.contains("llonebot_sends{uin=\"2854196310\",stack=\"llonebot\"} 10"),
        "{text}"
    );
    assert_eq!(values.get("llonebot_timeouts"), Some(&3.0));
    assert_eq!(values.get("llonebot_timeouts_delivered"), Some(&0.0));
    assert_eq!(values.get("llonebot_send_errors"), Some(&1.0));
    assert_eq!(values.get("llonebot_send_timeout_ratio"), Some(&0.3));
    assert_eq!(values.get("llonebot_log_skipped_lines"), Some(&0.0));
    assert!(values.contains_key("llonebot_window_seconds"));
}

#[test]
fn damaged_lines_are_skipped_and_the_rest_counted() {
    let (f, logs) = with_logs(&[DAMAGED, V6]);
    let v = stats(&f, &[]);
    // Binary junk, invalid UTF-8, a date that is none (2024/8/33), a run of NULs.
    assert_eq!(v["skipped_lines"], 4);
    // The damaged file's one good send, and the 6.x file's counts.
    assert_eq!(counts(&v), (1 + 2, 1, 0));
    let sources = v["files"].as_array().expect("files");
    let damaged = sources
        .iter()
        .find(|s| s["path"] == json!(logs.join(DAMAGED)))
        .expect("damaged.log read");
    assert_eq!(damaged["truncated"], true);
    assert_eq!(damaged["lines"], 8);
    assert_eq!(damaged["skipped_lines"], 4);
    // The human report says so too, without panicking on the bytes.
    let out = f.run(&["stats"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("4 skipped"), "{text}");
}

#[test]
fn human_report_has_the_table() {
    let (f, _) = with_logs(&[V3_HTTP]);
    let out = f.run(&["stats"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let row = |label: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row in:\n{text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row("DAY"),
        ["DAY", "SENDS", "TIMEOUTS", "DELIVERED", "ERRORS", "RATE"]
    );
    assert_eq!(
        row("2024-08-01"),
        ["2024-08-01", "6", "2", "0", "0", "33.3%"]
    );
    assert_eq!(
        row("2024-08-02"),
        ["2024-08-02", "4", "1", "0", "1", "25.0%"]
    );
    assert_eq!(row("total"), ["total", "10", "3", "0", "1", "30.0%"]);
    assert!(text.contains("largest 500.0 KiB"), "{text}");
    assert!(text.contains("5000 to 10000 ms"), "{text}");
    // -q prints nothing, and still exits 0.
    let out = f.run(&["stats", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn files_and_folders_given_as_arguments() {
    let f = Fixture::new(Os::Linux);
    let dir = f.tmp.path().join("copied");
    fs::create_dir_all(&dir).expect("dir");
    fs::write(dir.join(V5), log_sample(V5)).expect("write");
    fs::write(dir.join(V6), log_sample(V6)).expect("write");
    fs::write(
        dir.join("notes.txt"),
        "2024/8/2 10:00:00 收到http请求 /send_msg {}\n",
    )
    .expect("w");
    let file = f.tmp.path().join("one.txt");
    fs::write(&file, log_sample(V3_HTTP)).expect("write");
    // No install at all: nothing is discovered, only the arguments are read.
    let v = stats(
        &f,
        &[dir.to_str().expect("utf-8"), file.to_str().expect("utf-8")],
    );
    assert_eq!(
        v["files"].as_array().map(Vec::len),
        Some(3),
        "a folder gives its *.log files, a file is read whatever its name"
    );
    assert_eq!(counts(&v), (3 + 2 + 10, 2 + 1 + 3, 1));
    // The data folder itself: its logs/ is read.
    let data = f.linux_aur();
    let v = stats(&f, &[data.to_str().expect("utf-8")]);
    assert_eq!(counts(&v), (1, 1, 0));
}

#[test]
fn no_log_files_exits_3_and_says_how_to_get_them() {
    let f = Fixture::new(Os::Linux);
    let logs = f.linux_aur().join("logs");
    fs::remove_dir_all(&logs).expect("rm logs");
    let out = f.run(&["stats"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"log\": true"), "{err}");
    assert!(err.contains("config_<uin>.json"), "{err}");
    assert!(err.contains(&logs.display().to_string()), "{err}");
    let (code, v) = f.json(&["stats"]);
    assert_eq!(code, 3);
    assert_eq!(v["exit_code"], 3);
    // An empty logs/ folder is the same.
    fs::create_dir_all(&logs).expect("mkdir");
    fs::write(logs.join("readme.txt"), "not a log").expect("write");
    assert_eq!(f.run(&["stats"]).status.code(), Some(3));
}

#[test]
fn no_llonebot_at_all_exits_3() {
    let f = Fixture::new(Os::Linux);
    let out = f.run(&["stats"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("data folder"), "{err}");
}

#[test]
fn bad_arguments_exit_2_and_name_the_argument() {
    let (f, _) = with_logs(&[V3_HTTP]);
    for (args, named) in [
        (vec!["stats", "--since", "yesterday"], "--since yesterday"),
        (vec!["stats", "--since", "2024-02-30"], "--since 2024-02-30"),
        (vec!["stats", "--since", "7"], "--since 7"),
        (
            vec!["stats", "/no/such/llonebot.log"],
            "/no/such/llonebot.log",
        ),
        (vec!["stats", "--prometheus", "--json"], "--prometheus"),
    ] {
        let out = f.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(named), "{args:?}: {err}");
    }
}

fn one_file(name: &str) -> Value {
    let (f, _) = with_logs(&[name]);
    stats(&f, &["-v"])
}

fn delivered(v: &Value) -> (u64, u64) {
    (
        v["timeouts_delivered"].as_u64().expect("delivered"),
        v["timeouts_unconfirmed"].as_u64().expect("unconfirmed"),
    )
}

#[test]
fn every_family_is_named_and_counted_exactly() {
    // (file, stack, family, (sends, timeouts, errors), (delivered, unconfirmed))
    let cases = [
        (
            "llonebot-2024-9-20 09-00-00.log",
            "llonebot",
            "3.x",
            (1, 1, 0),
            (1, 0),
        ),
        (
            "llonebot-2024-12-1 10-00-00.log",
            "llonebot",
            "3.3x-4.x",
            (2, 1, 1),
            (0, 1),
        ),
        (
            "lltwobot-2025-9-1 08-00-00.log",
            "llbot",
            "6.0-7.1",
            (2, 2, 0),
            (0, 2),
        ),
        (
            "llbot-2025-6-1 09-00-00.log",
            "llbot",
            "7.12+",
            (2, 1, 0),
            (0, 1),
        ),
        (
            "llbot-2026-7-20 12-00-00.log",
            "llbot",
            "8.x",
            (3, 2, 1),
            (1, 1),
        ),
        (
            "2025-05-12_10-00-00.123.log",
            "napcat",
            "napcat",
            (4, 1, 1),
            (0, 1),
        ),
    ];
    for (name, stack, family, c, d) in cases {
        let v = one_file(name);
        assert_eq!(v["files"][0]["stack"], stack, "{name}");
        assert_eq!(v["files"][0]["family"], family, "{name}");
        assert_eq!(counts(&v), c, "{name}: {v:#}");
        assert_eq!(delivered(&v), d, "{name}: {v:#}");
    }
}

#[test]
fn interleaved_accounts_are_counted_apart() {
    let v = one_file("llonebot-2024-12-1 10-00-00.log");
    let accounts: Vec<(Value, u64, u64, u64)> = v["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| {
            (
                a["uin"].clone(),
                a["sends"].as_u64().unwrap_or(0),
                a["timeouts"].as_u64().unwrap_or(0),
                a["errors"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        accounts,
        [
            (json!(1511954122u64), 1, 0, 1),
            (json!(2854196310u64), 1, 1, 0)
        ]
    );
    assert_eq!(v["error_messages"][0]["message"], "消息发送失败");
}

#[test]
fn delivered_anyway_both_ways_and_sizes() {
    // 8.x: waitForSelfEcho timeout is a send LLBot itself knows went out.
    let v = one_file("llbot-2026-7-20 12-00-00.log");
    assert_eq!(v["days"][0]["timeouts_delivered"], 1);
    assert!(
        v["error_messages"][0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("发送消息失败 (code=120)")
    );
    // 3.x: the account's own message_sent event in that group, a second after the timeout.
    let v = one_file("llonebot-2024-9-20 09-00-00.log");
    assert_eq!(
        v["sizes"],
        json!([{"bucket": "1MB-10MB", "sends": 1, "timeouts": 1, "timeouts_delivered": 1, "errors": 0}])
    );
    // The same event in another group confirms nothing.
    let (f, logs) = with_logs(&[]);
    let text = String::from_utf8(log_sample("llonebot-2024-9-20 09-00-00.log")).expect("UTF-8");
    fs::write(
        logs.join("llonebot-x.log"),
        text.replace("\"group_id\":194167989,\"raw", "\"group_id\":5,\"raw"),
    )
    .expect("write");
    let v = stats(&f, &[]);
    assert_eq!(delivered(&v), (0, 1));
}

#[test]
fn a_file_being_written_is_read_up_to_where_it_is() {
    let (f, logs) = with_logs(&[]);
    let path = logs.join("llbot-2026-7-20 12-00-00.log");
    let full = log_sample("llbot-2026-7-20 12-00-00.log");
    // Cut in the middle of a line, as a writer would leave it.
    let cut = full.len() - 30;
    fs::write(&path, &full[..cut]).expect("write");
    let v = stats(&f, &[]);
    assert_eq!(v["files"][0]["truncated"], true);
    assert_eq!(v["sends"], 3);
    // The writer goes on: the next run counts the whole.
    fs::write(&path, &full).expect("write");
    let v = stats(&f, &[]);
    assert_eq!(counts(&v), (3, 2, 1));
}

#[test]
fn since_after_the_logs_says_so_and_output_is_written_atomically() {
    let (f, logs) = with_logs(&[V3_HTTP]);
    let out = f.run(&["stats", "--since", "2099-01-01"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("after the last log line (2024-08-02"),
        "{text}"
    );
    assert!(!text.contains("no sizes logged"), "{text}");
    let prom = logs.join("llonebot.prom");
    let out = f.run(&[
        "stats",
        "--prometheus",
        "--output",
        prom.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let written = fs::read_to_string(&prom).expect("written");
    assert!(written.contains("# TYPE llonebot_sends gauge"), "{written}");
    let leftovers: Vec<_> = fs::read_dir(&logs)
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
