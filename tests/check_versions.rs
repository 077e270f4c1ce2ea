//! `check-versions` on realistic trees of every platform, built from the real samples: what a
//! user checks is the exit code, the JSON fields and the human lines.
//!
//! These trees carry the builds of 2024, which Tencent's login floor now refuses; the tests here
//! check the minimums and LiteLoaderQQNT's rules alone, with the floor off (`--login-floor 0`).
//! The floor, the 2026 builds, hot updates and QwQNT are in `tests/login_floor.rs`.

mod common;

use common::{Fixture, Os};
use serde_json::Value;

/// Writes QQ's hot-update config (which discovery prefers) with this `curVersion`.
fn set_qq_version(f: &Fixture, version: &str) {
    let path = match f.os {
        Os::Windows => f.p(r"C:\Program Files\Tencent\QQNT\versions\config.json"),
        Os::Linux => f.p("/home/alice/.config/QQ/versions/config.json"),
        Os::Macos => f.p(
            "/Users/alice/Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ/versions/config.json",
        ),
    };
    let doc = serde_json::json!({"baseVersion": version, "curVersion": version, "buildId": "0"});
    f.write(&path, doc.to_string());
}

fn component<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["components"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no component {name}: {v:#}"))
}

fn names(v: &Value) -> Vec<&str> {
    v["components"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default()
}

fn advice(c: &Value) -> &str {
    c["advice"]
        .as_str()
        .unwrap_or_else(|| panic!("no advice: {c:#}"))
}

fn has_fact(c: &Value, fact: &str) -> bool {
    c["facts"]
        .as_array()
        .is_some_and(|a| a.iter().any(|f| f["fact"] == fact))
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---- every platform at and around the boundary ------------------------------------------

#[test]
fn windows_new_layout_meets_every_minimum() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["ok"], true);
    assert_eq!(names(&v), ["qq", "liteloader", "llonebot"]);
    let qq = component(&v, "qq");
    assert_eq!(qq["installed"], "9.9.15-28131");
    assert_eq!(qq["build"], 28131);
    assert_eq!(qq["windows_equivalent"], "9.9.15-28131");
    assert_eq!(qq["minimum"], "9.9.15-26702");
    assert_eq!(qq["status"], "ok");
    assert!(qq["advice"].is_null());
    let ll = component(&v, "liteloader");
    assert_eq!(ll["installed"], "1.2.2");
    // QQ 28131 >= 28060: LiteLoaderQQNT needs 1.2.2.
    assert_eq!(ll["minimum"], "1.2.2");
    assert_eq!(ll["status"], "ok");
    let lb = component(&v, "llonebot");
    assert_eq!(lb["installed"], "3.28.3");
    assert_eq!(lb["minimum"], "3.28.3");
    assert_eq!(lb["status"], "ok");
    assert!(lb["build"].is_null() && lb["windows_equivalent"].is_null());

    let out = f.run(&["check-versions", "--login-floor", "0"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("QQ ") && l.contains("9.9.15-28131") && l.ends_with("ok")),
        "{text}"
    );
    assert!(text.contains("All 3 components found meet"), "{text}");
}

#[test]
fn windows_9_9_12_is_outdated_and_9_9_15_26702_is_ok() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    set_qq_version(&f, "9.9.12-26466");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["ok"], false);
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "outdated");
    assert_eq!(qq["build"], 26466);
    assert!(
        advice(qq).contains("install QQ 9.9.15-26702 or newer"),
        "{qq:#}"
    );
    assert!(advice(qq).contains("https://im.qq.com/pcqq/index.shtml"));
    // Below 28060 no LiteLoaderQQNT minimum applies.
    let ll = component(&v, "liteloader");
    assert!(ll["minimum"].is_null());
    assert_eq!(ll["status"], "ok");

    let out = f.run(&["check-versions", "--login-floor", "0"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("QQ ") && l.ends_with("outdated")),
        "{text}"
    );
    assert!(text.contains("What to do"), "{text}");
    assert!(
        text.contains("QQ: install QQ 9.9.15-26702 or newer"),
        "{text}"
    );

    set_qq_version(&f, "9.9.15-26702");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(component(&v, "qq")["status"], "ok");
}

#[test]
fn windows_old_layout_reports_both_outdated() {
    let f = Fixture::new(Os::Windows);
    f.windows_old(r"C:\Program Files\Tencent\QQNT");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(component(&v, "qq")["status"], "outdated");
    let lb = component(&v, "llonebot");
    assert_eq!(lb["installed"], "3.27.0");
    assert_eq!(lb["status"], "outdated");
    assert!(advice(lb).contains("install LLOneBot 3.28.3 or newer"));
    assert!(advice(lb).contains("https://github.com/LLOneBot/LLOneBot/releases"));
}

#[test]
fn linux_3_2_10_is_outdated_and_3_2_12_26702_is_ok_in_linux_numbering() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    set_qq_version(&f, "3.2.10-25765");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "outdated");
    assert_eq!(qq["windows_equivalent"], "9.9.12-25765");
    // The minimum and the advice in Linux's own numbering.
    assert_eq!(qq["minimum"], "3.2.12-26702");
    assert!(
        advice(qq).contains("install QQ 3.2.12-26702 or newer"),
        "{qq:#}"
    );
    assert!(advice(qq).contains("https://im.qq.com/linuxqq/index.shtml"));

    set_qq_version(&f, "3.2.12-26702");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "ok");
    assert_eq!(qq["windows_equivalent"], "9.9.15-26702");
}

#[test]
fn linux_hot_update_is_shown_with_its_windows_equivalent() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["installed"], "3.2.13-29927");
    assert_eq!(qq["windows_equivalent"], "9.9.16-29927");
    assert_eq!(qq["equivalents"]["macos"], "6.9.61-29927");
    let out = f.run(&["check-versions", "--login-floor", "0"]);
    let text = stdout(&out);
    assert!(
        text.contains("3.2.13-29927 (= Windows 9.9.16-29927)"),
        "{text}"
    );
}

#[test]
fn macos_6_9_53_27597_is_ok() {
    let f = Fixture::new(Os::Macos);
    f.macos();
    set_qq_version(&f, "6.9.53-27597");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "ok");
    assert_eq!(qq["windows_equivalent"], "9.9.15-27597");
    // macOS has no build 26702: the minimum stays in the numbering it was given in.
    assert_eq!(qq["minimum"], "9.9.15-26702");
    assert_eq!(qq["minimum_build"], 26702);
    let text = stdout(&f.run(&["check-versions", "--login-floor", "0"]));
    assert!(
        text.lines()
            .any(|l| l.starts_with("QQ ") && l.contains("build 26702") && l.ends_with("ok")),
        "{text}"
    );

    // An old macOS build gets advice in macOS numbering: its first 9.9.15-level build.
    set_qq_version(&f, "6.9.19-26000");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "outdated");
    assert!(
        advice(qq).contains("install QQ 6.9.53-27597 or newer"),
        "{qq:#}"
    );
    assert!(advice(qq).contains("https://im.qq.com/macqq/index.shtml"));
}

#[test]
fn a_build_unknown_to_the_table_is_compared_by_number() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    set_qq_version(&f, "3.2.14-29999");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "ok");
    assert_eq!(qq["build"], 29999);
    assert!(qq["windows_equivalent"].is_null());
    assert!(has_fact(qq, "not_in_build_table"), "{qq:#}");
    let text = stdout(&f.run(&["check-versions", "--login-floor", "0"]));
    assert!(
        text.contains("build 29999 is unknown to llob-doctor's build table"),
        "{text}"
    );

    set_qq_version(&f, "3.2.11-26000");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1);
    assert_eq!(component(&v, "qq")["status"], "outdated");
}

// ---- LLOneBot and LiteLoaderQQNT -----------------------------------------------------

#[test]
fn llonebot_versions_around_3_28_3() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let root = f.p("/opt/LiteLoaderQQNT");
    for (version, status, code) in [
        ("3.28.2", "outdated", 1),
        ("3.28.3", "ok", 0),
        ("3.28.10", "ok", 0),
        ("4.9.4", "ok", 0),
    ] {
        f.llonebot_plugin(&root, "LLOneBot", version);
        let (got, v) = f.json(&["check-versions", "--login-floor", "0"]);
        let lb = component(&v, "llonebot");
        assert_eq!(lb["installed"], version);
        assert_eq!(lb["status"], status, "{version}: {lb:#}");
        assert_eq!(got, code, "{version}: {v:#}");
    }
}

#[test]
fn llonebot_facts_database_leftovers_and_standalone() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur(); // LLOneBot 4.9.4, with a legacy msg_30003 beside database/.
    let (_, v) = f.json(&["check-versions", "--login-floor", "0"]);
    let lb = component(&v, "llonebot");
    assert!(has_fact(lb, "database_store"), "{lb:#}");
    let leftovers = lb["facts"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["fact"] == "msg_leftovers"))
        .unwrap_or_else(|| panic!("{lb:#}"));
    assert!(
        leftovers["folders"][0]
            .as_str()
            .is_some_and(|p| p.ends_with("msg_30003")),
        "{leftovers:#}"
    );
    assert!(!has_fact(lb, "runs_standalone"));
    let text = stdout(&f.run(&["check-versions", "--login-floor", "0"]));
    assert!(text.contains("llob-doctor clean"), "{text}");
    // The folder as this platform writes it (`database\` on Windows).
    let database = format!("database{}", std::path::MAIN_SEPARATOR);
    assert!(text.contains(&database), "{text}");

    // 3.28.x keeps msg_* as its live store: no leftovers fact.
    f.llonebot_plugin(&f.p("/opt/LiteLoaderQQNT"), "LLOneBot", "3.28.3");
    let (_, v) = f.json(&["check-versions", "--login-floor", "0"]);
    let lb = component(&v, "llonebot");
    assert!(!has_fact(lb, "msg_leftovers") && !has_fact(lb, "database_store"));

    f.llonebot_plugin(&f.p("/opt/LiteLoaderQQNT"), "LLOneBot", "5.1.0");
    let (_, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert!(has_fact(component(&v, "llonebot"), "runs_standalone"));
}

#[test]
fn standalone_llonebot_is_unknown_not_a_silent_pass() {
    let f = Fixture::new(Os::Linux);
    let data = f.standalone();
    let dir = data.to_str().unwrap_or_default().to_string();
    let (code, v) = f.json(&["--data-dir", &dir, "check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(names(&v), ["llonebot"]);
    let lb = component(&v, "llonebot");
    assert_eq!(lb["status"], "unknown");
    assert_eq!(lb["reason"], "standalone_no_manifest");
    assert!(has_fact(lb, "runs_standalone"));
    assert!(advice(lb).contains("get_version_info"));
    assert_eq!(v["not_found"], serde_json::json!(["qq", "liteloader"]));
}

#[test]
fn liteloader_1_1_2_is_incompatible_with_qq_28131_and_1_2_2_is_ok() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    let root = f.p(r"C:\LiteLoaderQQNT");
    f.ll_root(&root, "1.1.2");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    let ll = component(&v, "liteloader");
    assert_eq!(ll["installed"], "1.1.2");
    assert_eq!(ll["minimum"], "1.2.2");
    assert_eq!(ll["status"], "outdated");
    assert_eq!(ll["reason"], "incompatible_with_qq");
    assert!(advice(ll).contains("QQ build 28131 needs LiteLoaderQQNT 1.2.2"));
    assert!(advice(ll).contains("https://github.com/LiteLoaderQQNT/LiteLoaderQQNT/releases"));
    // QQ and LLOneBot are still fine.
    assert_eq!(component(&v, "qq")["status"], "ok");
    assert_eq!(component(&v, "llonebot")["status"], "ok");
    let text = stdout(&f.run(&["check-versions", "--login-floor", "0"]));
    assert!(
        text.contains("1 of 3 components found needs attention"),
        "{text}"
    );

    f.ll_root(&root, "1.2.2");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(component(&v, "liteloader")["status"], "ok");
}

// ---- minimums from the command line ---------------------------------------------------

#[test]
fn min_qq_in_any_platforms_form() {
    let f = Fixture::new(Os::Windows);
    f.windows_new(); // QQ 9.9.15-28131
    for (min, build, code) in [
        ("9.9.15", 26702, 0),
        ("3.2.12", 26702, 0),
        ("6.9.53", 27597, 0),
        ("6.9.55", 28131, 0),
        ("9.9.16-28788", 28788, 1),
        ("3.2.13", 28788, 1),
    ] {
        let (got, v) = f.json(&["check-versions", "--login-floor", "0", "--min-qq", min]);
        assert_eq!(got, code, "--min-qq {min}: {v:#}");
        assert_eq!(component(&v, "qq")["minimum_build"], build, "{min}");
    }
    let (_, v) = f.json(&[
        "check-versions",
        "--login-floor",
        "0",
        "--min-qq",
        "9.9.16-28788",
    ]);
    let qq = component(&v, "qq");
    assert_eq!(qq["minimum"], "9.9.16-28788");
    assert!(advice(qq).contains("install QQ 9.9.16-28788 or newer"));
}

#[test]
fn min_llonebot_overrides_the_default() {
    let f = Fixture::new(Os::Windows);
    f.windows_new(); // LLOneBot 3.28.3
    let (code, v) = f.json(&[
        "check-versions",
        "--login-floor",
        "0",
        "--min-llonebot",
        "3.29.0",
    ]);
    assert_eq!(code, 1, "{v:#}");
    let lb = component(&v, "llonebot");
    assert_eq!(lb["minimum"], "3.29.0");
    assert_eq!(lb["status"], "outdated");
    assert!(advice(lb).contains("install LLOneBot 3.29.0 or newer"));
    let (code, _) = f.json(&[
        "check-versions",
        "--login-floor",
        "0",
        "--min-llonebot",
        "v3.28.0",
    ]);
    assert_eq!(code, 0);
    // Two numbers are taken as x.y.0.
    let (code, v) = f.json(&[
        "check-versions",
        "--login-floor",
        "0",
        "--min-llonebot",
        "3.28",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(component(&v, "llonebot")["minimum"], "3.28.0");
}

#[test]
fn malformed_minimums_exit_2_naming_the_value() {
    // Refused before anything is looked for: an empty system still gets 2, not 3.
    let f = Fixture::new(Os::Linux);
    for (flag, value, expect) in [
        ("--min-qq", "9.9", "9.9.16-28788"),
        ("--min-qq", "banana", "3.2.12"),
        ("--min-qq", "9.9.99", "no QQ build"),
        ("--min-qq", "", "6.9.53"),
        ("--min-llonebot", "3", "3.28.3"),
        ("--min-llonebot", "latest", "3.28 is taken as 3.28.0"),
        ("--login-floor", "9.9.99", "34740"),
        ("--login-floor", "soon", "9.9.19-34740"),
    ] {
        let out = f.run(&["check-versions", flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value:?}");
        let err = stderr(&out);
        assert!(
            err.contains(flag) && err.contains(&format!("{value:?}")) && err.contains(expect),
            "{flag} {value:?}: {err}"
        );
    }
    let (code, v) = f.json(&["check-versions", "--login-floor", "0", "--min-qq", "9.9"]);
    assert_eq!(code, 2);
    assert_eq!(v["exit_code"], 2);
    assert!(v["error"].as_str().is_some_and(|e| e.contains("--min-qq")));
}

// ---- nothing found, partial finds ---------------------------------------------------------

#[test]
fn nothing_found_exits_3_and_says_where_it_looked() {
    let f = Fixture::new(Os::Linux);
    let out = f.run(&["check-versions", "--login-floor", "0"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("nothing to check"), "{err}");
    assert!(err.contains(&f.p("/opt/QQ").display().to_string()), "{err}");
    assert!(
        err.contains("--qq-dir") && err.contains("--data-dir"),
        "{err}"
    );
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 3);
    assert_eq!(v["exit_code"], 3);
}

#[test]
fn only_what_is_found_is_listed() {
    let f = Fixture::new(Os::Linux);
    let qq = f.p("/opt/QQ");
    f.write(&qq.join("qq"), b"\x7fELF");
    f.qq_app(
        &qq.join("resources/app"),
        "3.2.12-28418",
        "./application/app_launcher/index.js",
    );
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(names(&v), ["qq"]);
    assert_eq!(
        v["not_found"],
        serde_json::json!(["liteloader", "llonebot"])
    );
    let text = stdout(&f.run(&["check-versions", "--login-floor", "0"]));
    assert!(text.contains("LLOneBot not found"), "{text}");
}
