//! `check-versions` when the files on disk are broken: a malformed, empty or binary version
//! file gives a clear `unknown` status, never a panic and never a silent pass. The trees carry
//! the builds of 2024, so the login floor is off (`--login-floor 0`) as in
//! `tests/check_versions.rs`.

mod common;

use std::path::Path;

use common::{Fixture, Os, sample};
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

/// The real LLOneBot manifest with its `version` replaced by raw JSON (`3`, `"v3.28.3"`, ...).
fn llonebot_manifest_raw(f: &Fixture, plugin_dir: &Path, raw_version: &str) {
    let m = sample("llonebot-manifest-3.28.3.json").replace(
        "\"version\":\"3.28.3\"",
        &format!("\"version\":{raw_version}"),
    );
    assert!(m.contains(raw_version));
    f.write(&plugin_dir.join("manifest.json"), m);
}

fn component<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["components"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no component {name}: {v:#}"))
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

// ---- malformed files on disk: clear status, never a panic, never a silent pass ---------

#[test]
fn malformed_qq_versions_are_unknown() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    // Written without its build, the version takes the build of QQ's package.json beside it.
    set_qq_version(&f, "9.9.15");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(component(&v, "qq")["build"], 28131);
    for bad in [
        "9.9",
        "nine",
        "9.9.15-",
        "9.9.15-28131-x",
        &"9".repeat(100_000),
    ] {
        set_qq_version(&f, bad);
        let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
        assert_eq!(code, 1, "{bad:.20}: {v:#}");
        let qq = component(&v, "qq");
        assert_eq!(qq["status"], "unknown", "{bad:.20}");
        assert!(advice(qq).contains("config.json"), "{qq:#}");
        // The LiteLoaderQQNT rule could not be checked, and says so.
        assert!(has_fact(component(&v, "liteloader"), "qq_build_unknown"));
        let out = f.run(&["check-versions", "--login-floor", "0"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stdout(&out).lines().all(|l| l.chars().count() < 500));
    }
}

#[test]
fn qq_version_falls_back_to_package_json_when_the_config_is_empty() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    f.write(&f.p("/home/alice/.config/QQ/versions/config.json"), "");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(component(&v, "qq")["installed"], "3.2.12-28418");
    // The broken file is still reported.
    assert!(
        v["warnings"]
            .as_array()
            .is_some_and(|w| w.iter().any(|w| w["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("config.json")))),
        "{v:#}"
    );
}

#[test]
fn malformed_llonebot_manifests() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let plugin = f.p("/opt/LiteLoaderQQNT/plugins/LLOneBot");
    let cases: [(&str, &str, &str, i32); 8] = [
        ("3", "unknown", "version_missing", 1),
        ("\"\"", "unknown", "version_missing", 1),
        ("null", "unknown", "version_missing", 1),
        ("\"9.9\"", "unknown", "version_malformed", 1),
        ("\"3.28.3-beta\"", "unknown", "version_malformed", 1),
        (
            "\"\\u0000\\u001b[31m3.28.3\"",
            "unknown",
            "version_malformed",
            1,
        ),
        // Deliberately tolerated: a release tag's leading v, and surrounding whitespace.
        ("\"v3.28.3\"", "ok", "meets_minimum", 0),
        ("\"  3.28.3 \\n\"", "ok", "meets_minimum", 0),
    ];
    for (raw, status, reason, code) in cases {
        llonebot_manifest_raw(&f, &plugin, raw);
        let (got, v) = f.json(&["check-versions", "--login-floor", "0"]);
        let lb = component(&v, "llonebot");
        assert_eq!(lb["status"], status, "{raw}: {lb:#}");
        assert_eq!(lb["reason"], reason, "{raw}: {lb:#}");
        assert_eq!(got, code, "{raw}");
        if status == "unknown" {
            assert!(advice(lb).contains("manifest.json"), "{lb:#}");
        }
    }

    let huge = format!("\"{}\"", "3.28.3".repeat(50_000));
    llonebot_manifest_raw(&f, &plugin, &huge);
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1);
    let lb = component(&v, "llonebot");
    assert_eq!(lb["reason"], "version_malformed");
    assert!(lb["installed"].as_str().is_some_and(|s| s.len() < 1000));
    let out = f.run(&["check-versions", "--login-floor", "0"]);
    assert!(stdout(&out).lines().all(|l| l.chars().count() < 500));
}

#[test]
fn empty_or_binary_llonebot_manifest_is_unknown() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let manifest = f.p("/opt/LiteLoaderQQNT/plugins/LLOneBot/manifest.json");
    for junk in [&b""[..], b"\x00\xff\xfe\x89PNG garbage", b"   \n"] {
        f.write(&manifest, junk);
        let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
        assert_eq!(code, 1, "{v:#}");
        let lb = component(&v, "llonebot");
        assert_eq!(lb["status"], "unknown");
        assert_eq!(lb["reason"], "version_file_unreadable");
        assert!(
            lb["version_file"]
                .as_str()
                .is_some_and(|p| Path::new(p) == manifest),
            "{lb:#}"
        );
        let text = stdout(&f.run(&["check-versions", "--login-floor", "0"]));
        assert!(
            text.lines()
                .any(|l| l.starts_with("LLOneBot") && l.ends_with("unknown")),
            "{text}"
        );
    }
    // Without a data folder either, the broken manifest alone still shows LLOneBot.
    std::fs::remove_dir_all(f.p("/opt/LiteLoaderQQNT/data/LLOneBot")).expect("rm data");
    f.write(&manifest, "");
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        component(&v, "llonebot")["reason"],
        "version_file_unreadable"
    );
}

#[test]
fn malformed_liteloader_package_is_unknown() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    let pkg = f.p(r"C:\LiteLoaderQQNT\package.json");
    // A readable package without a version string.
    f.write(&pkg, r#"{"name":"liteloader-qqnt","version":3}"#);
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1, "{v:#}");
    let ll = component(&v, "liteloader");
    assert_eq!(ll["status"], "unknown");
    assert_eq!(ll["reason"], "version_missing");
    assert!(advice(ll).contains("package.json"));

    f.write(&pkg, r#"{"name":"liteloader-qqnt","version":"1.2"}"#);
    let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
    assert_eq!(code, 1);
    assert_eq!(component(&v, "liteloader")["reason"], "version_malformed");

    // An empty package.json: discovery cannot confirm the root, but it is not a silent pass.
    for junk in [&b""[..], b"\x00\x01binary"] {
        f.write(&pkg, junk);
        let (code, v) = f.json(&["check-versions", "--login-floor", "0"]);
        assert_eq!(code, 1, "{v:#}");
        let ll = component(&v, "liteloader");
        assert_eq!(ll["status"], "unknown");
        assert_eq!(ll["reason"], "version_file_unreadable");
        assert!(advice(ll).contains("package.json"), "{ll:#}");
    }
}

#[test]
fn quiet_prints_nothing_but_keeps_the_exit_code() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    set_qq_version(&f, "9.9.12-26466");
    let out = f.run(&["-q", "check-versions", "--login-floor", "0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}
