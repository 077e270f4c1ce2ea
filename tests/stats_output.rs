//! `stats`'s output and options on real log files (tests/samples/logs/): `--since`, the JSON
//! fields, Prometheus text, the human table, `--output`, files and folders as arguments, and the
//! exit codes when there is nothing to read or an argument is wrong.

mod common;
mod stats_tree;

use std::fs;

use common::{Fixture, Os};
use serde_json::{Value, json};
use stats_tree::*;

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
    // Longer ago than any log: everything, from 1970 on, not a date before the calendar.
    let v = stats(&f, &["--since", "99999999999d"]);
    assert_eq!(counts(&v), (3, 2, 0));
    assert_eq!(v["since"], "1970-01-01 00:00:00", "{v:#}");
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
    // Windowed counts are gauges, per bot (its id, as `detect` gives it), stack and account.
    let (_, d) = f.json(&["detect"]);
    // A label value as the text format writes it: backslashes (Windows paths) escaped.
    let id = d["bots"][0]["id"]
        .as_str()
        .expect("id")
        .replace('\\', "\\\\");
    let series =
        format!("llonebot_sends{{bot=\"{id}\",stack=\"llonebot_plugin\",uin=\"2854196310\"}} 10");
    assert!(text.contains(&series), "{text}");
    // The bot's own account, silent in these logs, is there too: the same series every run.
    assert!(
        text.contains(&format!(
            "llonebot_sends{{bot=\"{id}\",stack=\"llonebot_plugin\",uin=\"30003\"}} 0"
        )),
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
        // A duration with a fraction is told how to write it, as --older-than is.
        (vec!["stats", "--since", "1.5d"], "write 1d12h or 36h"),
        (vec!["stats", "--since", "7x"], "unknown unit"),
        (vec!["stats", "--since", "7days"], "use s, m, h, d or w"),
        (
            vec!["stats", "--since", "99999999999999999999d"],
            "duration too large",
        ),
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
    // The logs hold requests: only the window is empty, which the line above says.
    assert!(!text.contains("no OneBot requests found"), "{text}");
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

/// `stats -v` names each file's stack, and its version family only when that says more: an
/// empty log of no known family reads "unknown, 0 B, 0 lines".
#[test]
fn verbose_file_lines_name_stack_and_family() {
    let (f, logs) = with_logs(&[V3_HTTP]);
    fs::write(logs.join("llonebot-2024-1-1 00-00-00.log"), "").expect("empty log");
    let out = f.run(&["-v", "stats"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(" ,"), "{text}");
    assert!(text.contains(", 0 B, 0 lines"), "{text}");
}
