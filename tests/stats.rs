//! `stats` counts on real log files of each LLOneBot log format (tests/samples/logs/): every
//! version family named and counted, accounts apart, timeouts delivered anyway, damaged lines
//! and files still being written.

mod common;
mod stats_tree;

use std::fs;

use common::{Fixture, Os};
use serde_json::{Value, json};
use stats_tree::*;

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
        // Each send logs its own `发送 ->` line when QQ takes it, the failed ones too: three
        // sends, one of them timed out and one refused.
        (
            "2025-05-12_10-00-00.123.log",
            "napcat",
            "napcat",
            (3, 1, 1),
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

/// The list of send errors holds exactly the errors counted: a 3.x action error that its
/// WebSocket reply (retcode 1200) shows to be a send timeout leaves the list with it.
#[test]
fn listed_errors_are_the_errors_counted() {
    let v = one_file(V3_WS);
    assert_eq!(counts(&v).2, 0, "{v:#}");
    assert_eq!(v["error_messages"], json!([]), "{v:#}");
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples/logs");
    let names: Vec<String> = fs::read_dir(samples)
        .expect("samples")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".log"))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (f, _) = with_logs(&names);
    let v = stats(&f, &[]);
    let listed: u64 = v["error_messages"]
        .as_array()
        .expect("error_messages")
        .iter()
        .map(|e| e["count"].as_u64().expect("count"))
        .sum();
    assert!(counts(&v).2 > 0, "{v:#}");
    assert_eq!(listed, counts(&v).2, "{v:#}");
}

/// (file, family, requests, (sends, timeouts, errors), delivered, other errors, days)
type Case = (
    &'static str,
    &'static str,
    u64,
    (u64, u64, u64),
    u64,
    u64,
    &'static [&'static str],
);

/// The variations real servers write, one file each (tests/samples/logs/ORIGINS.md): the
/// system locale's `toLocaleString()` (en-US with a space or ICU 72's U+202F before AM/PM,
/// zh-CN, de-DE), legacy `log()` lines first and in between, chat messages quoting error texts
/// on their first and later lines (and a whole pasted log line), an error whose payload quotes a
/// timeout text, LLBot 8.x's indented continuations, NapCat's reverse WebSocket.
#[test]
fn every_locale_legacy_line_and_chat_text_counts_exactly() {
    // (file, family, requests, (sends, timeouts, errors), delivered, other errors, days)
    let cases: [Case; 8] = [
        (
            "llonebot-2026-3-2 09-00-01.log",
            "3.3x-4.x",
            4,
            (3, 2, 0),
            0,
            1,
            &["2026-03-02"],
        ),
        (
            "llonebot-2026-3-3 09-00-00.log",
            "3.3x-4.x",
            2,
            (2, 1, 0),
            0,
            0,
            &["2026-03-03"],
        ),
        (
            "llonebot-2026-3-4 09-00-00.log",
            "3.3x-4.x",
            2,
            (2, 1, 0),
            0,
            0,
            &["2026-03-04", "2026-03-13"],
        ),
        (
            "llonebot-2026-3-5 09-00-00.log",
            "3.3x-4.x",
            2,
            (2, 1, 0),
            0,
            0,
            &["2026-03-05"],
        ),
        (
            "lltwobot-2026-3-6 08-00-00.log",
            "6.0-7.1",
            2,
            (2, 1, 1),
            0,
            0,
            &["2026-03-06"],
        ),
        (
            "llbot-2026-3-7 10-00-00.log",
            "8.x",
            2,
            (2, 2, 0),
            1,
            0,
            &["2026-03-07"],
        ),
        (
            "2025-05-12_10-00-00.123.log",
            "napcat",
            0,
            (3, 1, 1),
            0,
            0,
            &["2025-05-12"],
        ),
        // Reverse WebSocket: a debug line per request beside each own message; a send refused
        // before QQ took it has no own message and counts as a send by its error.
        (
            "2025-05-13_09-00-00.000.log",
            "napcat",
            4,
            (3, 1, 1),
            0,
            0,
            &["2025-05-13"],
        ),
    ];
    let mut all = (0, 0, 0);
    for (name, family, requests, c, delivered, other, dates) in cases {
        let v = one_file(name);
        assert_eq!(v["files"][0]["family"], family, "{name}");
        assert_eq!(v["files"][0]["unrecognised"], Value::Null, "{name}");
        assert_eq!(v["skipped_lines"], 0, "{name}");
        assert_eq!(counts(&v), c, "{name}: {v:#}");
        assert_eq!(v["requests"], requests, "{name}");
        assert_eq!(v["timeouts_delivered"], delivered, "{name}");
        assert_eq!(v["other_errors"], other, "{name}");
        let got: Vec<String> = days(&v).into_iter().map(|d| d.0).collect();
        assert_eq!(got, dates, "{name}");
        all = (all.0 + c.0, all.1 + c.1, all.2 + c.2);
    }
    // All in one folder: the same sums, whatever order the files are read in.
    let names: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let (f, _) = with_logs(&names);
    assert_eq!(counts(&stats(&f, &[])), all);
    // The error whose arguments quote a timeout text is listed as the error it is.
    let v = one_file("lltwobot-2026-3-6 08-00-00.log");
    let listed = v["error_messages"][0]["message"].as_str().unwrap_or("");
    assert!(listed.starts_with("DetailedError: invoke failed"), "{v:#}");
}

/// LLBot 8.x run once per account in one folder: each file's account is the one its launch
/// line names (`-q <uin>`, `--qq=<uin>`).
#[test]
fn each_llbot_file_is_the_account_its_launch_names() {
    let (f, _) = with_logs(&["llbot-2026-3-7 10-00-00.log", "llbot-2026-3-7 10-00-01.log"]);
    let v = stats(&f, &[]);
    let accounts: Vec<(Value, Value, u64, u64, u64)> = v["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| {
            let n = |k: &str| a[k].as_u64().unwrap_or(0);
            (
                a["stack"].clone(),
                a["uin"].clone(),
                n("sends"),
                n("timeouts"),
                n("errors"),
            )
        })
        .collect();
    assert_eq!(
        accounts,
        [
            (json!("llbot"), json!(1511954122u64), 1, 0, 1),
            (json!("llbot"), json!(2854196310u64), 2, 2, 0),
        ]
    );
}

/// A file `stats` cannot read as a log is named with its reason, in JSON and in the report,
/// never counted as zero in silence.
#[test]
fn files_that_are_no_known_log_are_named_with_the_reason() {
    let (f, logs) = with_logs(&[V6]);
    fs::write(logs.join("llbot-empty.log"), "\n\n").expect("write");
    fs::write(
        logs.join("binary.log"),
        b"\x00\x01\x02\xff\xfe\n\x89PNG\x00\x00\n",
    )
    .expect("write");
    fs::write(
        logs.join("other.log"),
        "[2026-03-02 09:00:03.123] INFO server started\n[2026-03-02 09:00:04.001] send_msg ok\n",
    )
    .expect("write");
    let v = stats(&f, &[]);
    let why = |name: &str| -> Value {
        v["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|x| x["path"] == json!(logs.join(name)))
            .map(|x| x["unrecognised"].clone())
            .unwrap_or_else(|| panic!("{name} not in {v:#}"))
    };
    assert_eq!(why("llbot-empty.log"), "empty");
    assert_eq!(why("binary.log"), "not_text");
    assert_eq!(why("other.log"), "no_timestamps");
    assert_eq!(why(V6), Value::Null);
    assert_eq!(counts(&v), (2, 1, 0));
    let out = f.run(&["--lang", "en", "stats"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["llbot-empty.log", "binary.log", "other.log"] {
        let line = text
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not named:\n{text}"));
        assert!(line.contains("not recognised"), "{line}");
    }
    assert!(text.contains("no line starts with a timestamp"), "{text}");
}
