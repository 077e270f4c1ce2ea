//! Several bots of different stacks on one machine (the plugin, NapCat, LLBot): `doctor`, its
//! exit codes and `--prometheus`, `stats` and `probe`, each per instance; the run log's result
//! per instance; metrics files rewritten, never left stale, when bots or their logs are gone.

mod common;
mod fleet_tree;
mod napcat_tree;

use std::fs;

use fleet_tree::*;
use serde_json::{Value, json};

fn findings(v: &Value) -> Vec<Value> {
    v["findings"].as_array().expect("findings").clone()
}

fn metrics(fl: &Fleet, args: &[&str]) -> Vec<Sample> {
    let out = fl.run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    samples(&String::from_utf8(out.stdout).expect("UTF-8"))
}

/// Every finding names its instance, or none for the machine's (QQ, LiteLoaderQQNT, QQ's
/// cache); each bot is checked on its own, and the text shows each bot's findings under its id.
#[test]
fn doctor_checks_each_instance_on_its_own() {
    let fl = Fleet::new();
    let ids = fl.ids();
    assert_eq!(ids.len(), 3, "{ids:?}");
    let (code, v) = fl.json(&["doctor"]);
    // None of the three runs: exit 8, whatever else is found.
    assert_eq!(code, 8, "{v:#}");
    let all = findings(&v);
    for machine in ["qq.processes", "discovery.qq", "versions.qq"] {
        let x = all.iter().find(|x| x["check"] == machine).expect(machine);
        assert!(x["instance"].is_null(), "{x:#}");
    }
    for id in ids.values() {
        let mine: Vec<&Value> = all
            .iter()
            .filter(|x| x["instance"] == id.as_str())
            .collect();
        let checks: Vec<&str> = mine.iter().map(|x| x["check"].as_str().unwrap()).collect();
        assert!(checks.contains(&"bot.running"), "{id}: {checks:?}");
        assert!(checks.contains(&"timeouts"), "{id}: {checks:?}");
        let running = mine.iter().find(|x| x["check"] == "bot.running").unwrap();
        assert_eq!(running["severity"], "fail");
    }
    // Each bot's timeouts are its own logs': the plugin's 2024 excerpt, LLBot's 2026 log.
    let end_of = |stack: &str| {
        all.iter()
            .find(|x| x["check"] == "timeouts" && x["instance"] == ids[stack].as_str())
            .map(|x| x["data"]["logs_end"].clone())
            .unwrap()
    };
    assert_eq!(end_of("llonebot_plugin"), "2024-08-02 15:03:13");
    assert_eq!(end_of("llbot"), "2026-07-20 11:30:00");
    // NapCat's own checks are under NapCat, LLBot's under LLBot.
    let under = |check: &str| -> Vec<Value> {
        all.iter()
            .filter(|x| x["check"] == check)
            .map(|x| x["instance"].clone())
            .collect()
    };
    assert_eq!(under("napcat.temp"), [json!(ids["napcat"])]);
    assert_eq!(under("versions.llbot"), [json!(ids["llbot"])]);
    assert_eq!(under("versions.llonebot"), [json!(ids["llonebot_plugin"])]);

    let out = fl.run(&["--lang", "en", "doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let pos = |s: &str| text.find(s).unwrap_or_else(|| panic!("no {s} in\n{text}"));
    let machine = pos("qq.processes");
    let mut heads: Vec<usize> = ids.values().map(|id| pos(&format!("\n{id}\n"))).collect();
    heads.sort_unstable();
    assert!(machine < heads[0], "{text}");
    // Each header is followed by that bot's "not running" line, before the next header.
    for (i, start) in heads.iter().enumerate() {
        let end = heads.get(i + 1).copied().unwrap_or(text.len());
        assert_eq!(
            text[*start..end].matches("bot.running").count(),
            1,
            "{text}"
        );
    }
}

/// `--liveness`: only `bot.running` (and `bot.online` of what runs), exit 8 when one is down;
/// `--instance` narrows it to one bot.
#[test]
fn liveness_checks_only_what_a_watchdog_needs() {
    let fl = Fleet::new();
    let ids = fl.ids();
    let (code, v) = fl.json(&["--instance", &ids["napcat"], "doctor", "--liveness"]);
    assert_eq!(code, 8, "{v:#}");
    let checks: Vec<String> = findings(&v)
        .iter()
        .map(|x| x["check"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(checks, ["bot.running"], "{v:#}");
    assert_eq!(v["findings"][0]["instance"], ids["napcat"].as_str());
    let out = fl.run(&["doctor", "--liveness", "--probe"]);
    assert_eq!(out.status.code(), Some(2));
    // Metrics are text for the collector: not with --json.
    let out = fl.run(&["--json", "doctor", "--prometheus"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Every bot gets every family of `doctor --prometheus`, with its own values: up, what its own
/// log last said (LLBot kicked at 11:30 after a login at 09:00; NapCat kicked at 10:05 after
/// sending at 10:00; the plugin logs neither: NaN), the bytes of each target, the run log.
#[test]
fn doctor_prometheus_gives_each_bot_every_family() {
    let fl = Fleet::new();
    let ids = fl.ids();
    let log = fl.f.tmp.path().join("clean.log");
    let lines = [
        // A run that logged each instance's result: the plugin's went well.
        json!({"time": "2026-07-21T04:30:00Z", "command": "clean", "dry_run": false,
               "data_dir": fl.plugin_data, "removed": [], "exit_code": 0,
               "instances": [{"id": ids["llonebot_plugin"], "ok": true, "freed_bytes": 123}]}),
        // An older line (no `instances`): NapCat's folder, failed deletions.
        json!({"time": "2026-07-22T04:30:00Z", "command": "clean", "dry_run": false,
               "data_dir": fl.napcat_dir, "removed": [], "exit_code": 5}),
        // A preview is no clean.
        json!({"time": "2026-07-23T04:30:00Z", "command": "clean", "dry_run": true,
               "data_dir": fl.napcat_dir, "removed": [], "exit_code": 0}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(&log, format!("garbage\n{text}")).unwrap();
    let s = metrics(
        &fl,
        &[
            "doctor",
            "--prometheus",
            "--log-file",
            log.to_str().unwrap(),
        ],
    );
    let families: Vec<&str> = {
        let mut f: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
        f.sort_unstable();
        f.dedup();
        f
    };
    for id in ids.values() {
        for fam in &families {
            if fam.starts_with("llob_qq_cache") {
                continue;
            }
            let n = s
                .iter()
                .filter(|x| x.name == *fam && x.labels["bot"] == *id)
                .count();
            let want = if *fam == "llob_bot_target_bytes" {
                n.max(1)
            } else {
                1
            };
            assert!(n == want && n > 0, "{fam} for {id}: {n}");
        }
    }
    let v = |name: &str, stack: &str| value(&s, name, &[("bot", &ids[stack])]);
    for stack in ["llbot", "napcat", "llonebot_plugin"] {
        assert_eq!(v("llob_bot_up", stack), 0.0);
        assert_eq!(v("llob_bot_online", stack), 0.0, "down is not online");
        assert_eq!(v("llob_doctor_success", stack), 1.0);
    }
    assert_eq!(
        v("llob_bot_last_offline_timestamp_seconds", "llbot"),
        at_2026_07_20(11, 30)
    );
    assert_eq!(
        v("llob_bot_last_online_timestamp_seconds", "llbot"),
        at_2026_07_20(9, 0) + 5.0
    );
    assert_eq!(
        v("llob_bot_last_offline_timestamp_seconds", "napcat"),
        at_2025_05_12(10, 5)
    );
    assert_eq!(
        v("llob_bot_last_online_timestamp_seconds", "napcat"),
        at_2025_05_12(10, 0)
    );
    assert!(v("llob_bot_last_online_timestamp_seconds", "llonebot_plugin").is_nan());
    // QQ 3.2.13-29927 is below the login floor; the plugin runs in it.
    assert_eq!(v("llob_bot_qq_login_refused", "llonebot_plugin"), 1.0);
    assert_eq!(v("llob_bot_version_below_minimum", "llbot"), 0.0);
    let target = |stack: &str, t: &str| {
        value(
            &s,
            "llob_bot_target_bytes",
            &[("bot", &ids[stack]), ("target", t)],
        )
    };
    assert_eq!(target("llonebot_plugin", "temp"), 23_000.0);
    assert_eq!(target("llbot", "temp"), 4096.0);
    assert_eq!(target("llbot", "database"), 0.0);
    assert_eq!(target("napcat", "temp"), 5700.0);
    assert_eq!(target("napcat", "cache"), 2048.0);
    // QQ's cache, per account folder and kind.
    let folder = format!("nt_qq_{QQ_HEX}");
    let cache = |kind: &str| {
        value(
            &s,
            "llob_qq_cache_bytes",
            &[("folder", folder.as_str()), ("kind", kind)],
        )
    };
    assert_eq!(
        (cache("pic"), cache("video"), cache("ptt")),
        (1000.0, 3000.0, 0.0)
    );
    // The run log: the plugin's clean went well, NapCat's not, LLBot was never cleaned.
    assert_eq!(v("llob_bot_last_clean_success", "llonebot_plugin"), 1.0);
    assert_eq!(
        v("llob_bot_last_clean_freed_bytes", "llonebot_plugin"),
        123.0
    );
    assert_eq!(v("llob_bot_last_clean_success", "napcat"), 0.0);
    assert_eq!(
        v("llob_bot_last_clean_timestamp_seconds", "napcat"),
        at_2026_07_20(4, 30) + 2.0 * 86_400.0
    );
    assert!(v("llob_bot_last_successful_clean_timestamp_seconds", "napcat").is_nan());
    assert!(v("llob_bot_last_clean_success", "llbot").is_nan());
    // Sends over the window (a week back from now: the logs are older, so none).
    assert_eq!(v("llob_bot_sends", "llbot"), 0.0);
    assert!(v("llob_bot_send_timeout_ratio", "llbot").is_nan());
}

/// A real clean with `--log-file` records each instance's result, which the exporter reads back.
#[test]
fn a_clean_s_run_log_gives_each_instance_s_last_clean() {
    let fl = Fleet::new();
    let ids = fl.ids();
    let log = fl.f.tmp.path().join("runs").join("clean.log");
    let log_s = log.to_str().unwrap();
    let (code, v) = fl.json(&[
        "--instance",
        &ids["llbot"],
        "clean",
        "--yes",
        "--log-file",
        log_s,
    ]);
    assert_eq!(code, 0, "{v:#}");
    let line: Value = serde_json::from_str(fs::read_to_string(&log).unwrap().trim()).unwrap();
    assert_eq!(
        line["instances"],
        json!([{"id": ids["llbot"], "ok": true, "skipped": null, "freed_bytes": 4096, "failed": 0}]),
        "{line:#}"
    );
    let s = metrics(&fl, &["doctor", "--prometheus", "--log-file", log_s]);
    let v = |name: &str, stack: &str| value(&s, name, &[("bot", &ids[stack])]);
    assert_eq!(v("llob_bot_last_clean_success", "llbot"), 1.0);
    assert_eq!(v("llob_bot_last_clean_freed_bytes", "llbot"), 4096.0);
    let temp = [("bot", ids["llbot"].as_str()), ("target", "temp")];
    assert_eq!(value(&s, "llob_bot_target_bytes", &temp), 0.0, "cleaned");
    let when = v("llob_bot_last_successful_clean_timestamp_seconds", "llbot");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - when).abs() < 3600.0, "{when} vs {now}");
    // The other bots were not part of that run.
    assert!(v("llob_bot_last_clean_success", "napcat").is_nan());
}

/// A bot that is gone keeps `success 0` and its last success, with none of its values; a run
/// that cannot discover at all still rewrites the file the same way, never leaving it as it was.
#[test]
fn doctor_metrics_file_is_rewritten_when_bots_are_gone() {
    let fl = Fleet::new();
    let ids = fl.ids();
    let prom = fl.f.tmp.path().join("textfile").join("llob-doctor.prom");
    fs::create_dir_all(prom.parent().unwrap()).unwrap();
    let out_args = ["doctor", "--prometheus", "--output", prom.to_str().unwrap()];
    assert_eq!(fl.run(&out_args).status.code(), Some(0));
    let first = samples(&fs::read_to_string(&prom).unwrap());
    let before = value(
        &first,
        "llob_doctor_last_success_timestamp_seconds",
        &[("bot", &ids["llbot"])],
    );
    fs::remove_dir_all(&fl.llbot).unwrap();
    assert_eq!(fl.run(&out_args).status.code(), Some(0));
    let second = samples(&fs::read_to_string(&prom).unwrap());
    let llbot = [("bot", ids["llbot"].as_str())];
    assert_eq!(value(&second, "llob_doctor_success", &llbot), 0.0);
    assert_eq!(
        value(
            &second,
            "llob_doctor_last_success_timestamp_seconds",
            &llbot
        ),
        before
    );
    assert!(
        !second
            .iter()
            .any(|x| x.name == "llob_bot_up" && x.labels["bot"] == ids["llbot"]),
        "no stale values of a bot that is gone"
    );
    assert_eq!(
        value(&second, "llob_doctor_success", &[("bot", &ids["napcat"])]),
        1.0
    );
    // Discovery refuses (an --instance that names nothing): exit 2, the file still rewritten.
    let mut failing = vec!["--instance", "napcat@/nowhere"];
    failing.extend_from_slice(&out_args);
    assert_eq!(fl.run(&failing).status.code(), Some(2));
    let third = samples(&fs::read_to_string(&prom).unwrap());
    assert!(!third.iter().any(|x| x.name == "llob_bot_up"), "{third:#?}");
    for id in ids.values() {
        assert_eq!(value(&third, "llob_doctor_success", &[("bot", id)]), 0.0);
    }
}

/// `stats` reads each bot's logs on its own: `--json` gains a row per bot, the text a "Per bot"
/// table, `--prometheus` a `bot` label on every series; a bot whose logs are gone is said to be,
/// and its file gets `success 0` and no counts; with every log gone the file is still rewritten.
#[test]
fn stats_per_instance_and_when_logs_are_gone() {
    let fl = Fleet::new();
    let ids = fl.ids();
    let (code, v) = fl.json(&["stats"]);
    assert_eq!(code, 0, "{v:#}");
    let rows = v["instances"].as_array().expect("instances");
    let row = |stack: &str| {
        rows.iter()
            .find(|r| r["id"] == ids[stack].as_str())
            .unwrap_or_else(|| panic!("{stack}: {v:#}"))
            .clone()
    };
    assert_eq!(row("llonebot_plugin")["sends"], 1);
    assert_eq!(row("llonebot_plugin")["timeouts"], 1);
    assert_eq!(row("llbot")["sends"], 1);
    assert_eq!(row("llbot")["uin"], "70007");
    assert_eq!(row("napcat")["stack"], "napcat");
    let sum: u64 = rows.iter().map(|r| r["sends"].as_u64().unwrap()).sum();
    assert_eq!(v["sends"], sum);
    let out = fl.run(&["--lang", "en", "stats"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Per bot"), "{text}");
    for id in ids.values() {
        assert!(text.contains(id.as_str()), "{text}");
    }

    let prom = fl.f.tmp.path().join("stats.prom");
    let args = ["stats", "--prometheus", "--output", prom.to_str().unwrap()];
    assert_eq!(fl.run(&args).status.code(), Some(0));
    let s = samples(&fs::read_to_string(&prom).unwrap());
    assert!(s.iter().all(|x| x.labels.contains_key("bot")), "{s:#?}");
    let plugin = [("bot", ids["llonebot_plugin"].as_str())];
    assert_eq!(
        value(
            &s,
            "llonebot_sends",
            &[("bot", &ids["llonebot_plugin"]), ("uin", "1511954122")]
        ),
        1.0
    );
    assert_eq!(value(&s, "llonebot_send_timeout_ratio", &plugin), 1.0);

    // The plugin's logs are cleaned away: its row says so, its series go, success 0.
    fs::remove_dir_all(fl.plugin_data.join("logs")).unwrap();
    let (code, v) = fl.json(&["stats"]);
    assert_eq!(code, 0, "{v:#}");
    let gone = v["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == ids["llonebot_plugin"].as_str())
        .unwrap()
        .clone();
    assert_eq!(gone["read"], false, "{gone:#}");
    assert!(gone["error"].as_str().unwrap().contains("logs"), "{gone:#}");
    assert_eq!(fl.run(&args).status.code(), Some(0));
    let s = samples(&fs::read_to_string(&prom).unwrap());
    assert_eq!(value(&s, "llob_doctor_success", &plugin), 0.0);
    assert!(
        !s.iter()
            .any(|x| x.name.starts_with("llonebot_") && x.labels["bot"] == plugin[0].1),
        "stale counts of the plugin: {s:#?}"
    );

    // Every log gone: exit 3 as before, but the file is rewritten without counts.
    fs::remove_dir_all(fl.llbot_data.join("logs")).unwrap();
    fs::remove_dir_all(fl.napcat_dir.join("logs")).unwrap();
    let out = fl.run(&args);
    assert_eq!(out.status.code(), Some(3));
    let s = samples(&fs::read_to_string(&prom).unwrap());
    assert!(!s.iter().any(|x| x.name.starts_with("llonebot_")), "{s:#?}");
    for id in ids.values() {
        assert_eq!(value(&s, "llob_doctor_success", &[("bot", id)]), 0.0);
    }
}
