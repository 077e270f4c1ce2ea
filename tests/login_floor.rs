//! Versions as they stand in 2026: Tencent's login floor beside the minimums, the builds of
//! 2026 (macOS 7.0.x), a macOS hot update running `QQUpdate.app`, LiteLoaderQQNT as a QwQNT
//! plugin, and doctor advice that names only what is not met, in the platform's own numbering.

mod common;

use common::{Fixture, Os, native};
use serde_json::Value;

/// Writes QQ's hot-update config (which discovery prefers) with this `curVersion`.
fn set_qq_version(f: &Fixture, version: &str) {
    let path = match f.os {
        Os::Windows => f.p(r"C:\Program Files\Tencent\QQNT\versions\config.json"),
        Os::Linux => f.p("/home/alice/.config/QQ/versions/config.json"),
        Os::Macos => f.p(MAC_VERSIONS).join("config.json"),
    };
    let doc = serde_json::json!({"baseVersion": version, "curVersion": version, "buildId": "0"});
    f.write(&path, doc.to_string());
}

const MAC_VERSIONS: &str =
    "/Users/alice/Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ/versions";

fn component<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["components"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no component {name}: {v:#}"))
}

fn has_fact(c: &Value, fact: &str) -> bool {
    c["facts"]
        .as_array()
        .is_some_and(|a| a.iter().any(|f| f["fact"] == fact))
}

fn finding<'a>(v: &'a Value, check: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["check"] == check))
        .unwrap_or_else(|| panic!("no finding {check}: {v:#}"))
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// ---- the login floor, every platform's numbering ------------------------------------------

#[test]
fn each_platform_string_maps_to_its_build_and_verdict() {
    // (platform, version string, build, status, rule, what to install)
    type Row = (
        Os,
        &'static str,
        u32,
        &'static str,
        &'static str,
        Option<&'static str>,
    );
    let rows: &[Row] = &[
        (
            Os::Windows,
            "9.9.15-28131",
            28131,
            "refused",
            "login_floor",
            Some("9.9.20-37475"),
        ),
        (
            Os::Windows,
            "9.9.18-33800",
            33800,
            "refused",
            "login_floor",
            Some("9.9.20-37475"),
        ),
        (
            Os::Windows,
            "9.9.19-34606",
            34606,
            "refused",
            "login_floor",
            Some("9.9.20-37475"),
        ),
        (
            Os::Windows,
            "9.9.19-34740",
            34740,
            "refused",
            "login_floor",
            Some("9.9.20-37475"),
        ),
        (
            Os::Windows,
            "9.9.20-37475",
            37475,
            "ok",
            "login_floor",
            None,
        ),
        (
            Os::Windows,
            "9.9.33-52230",
            52230,
            "ok",
            "login_floor",
            None,
        ),
        (
            Os::Windows,
            "9.9.36-53644",
            53644,
            "ok",
            "login_floor",
            None,
        ),
        (
            Os::Linux,
            "3.2.13-29927",
            29927,
            "refused",
            "login_floor",
            Some("3.2.18-37475"),
        ),
        (
            Os::Linux,
            "3.2.17-34740",
            34740,
            "refused",
            "login_floor",
            Some("3.2.18-37475"),
        ),
        (Os::Linux, "3.2.18-37475", 37475, "ok", "login_floor", None),
        (Os::Linux, "3.2.32-52194", 52194, "ok", "login_floor", None),
        (Os::Linux, "3.2.34-53644", 53644, "ok", "login_floor", None),
        // macOS has no 37475: its first build past the floor is 6.9.82-40768.
        (
            Os::Macos,
            "6.9.66-32690",
            32690,
            "refused",
            "login_floor",
            Some("6.9.82-40768"),
        ),
        (Os::Macos, "6.9.82-40768", 40768, "ok", "login_floor", None),
        (Os::Macos, "7.0.2-53644", 53644, "ok", "login_floor", None),
    ];
    for &(os, version, build, status, rule, install) in rows {
        let f = Fixture::new(os);
        match os {
            Os::Windows => drop(f.windows_new()),
            Os::Linux => drop(f.linux_installer()),
            Os::Macos => drop(f.macos()),
        }
        set_qq_version(&f, version);
        let (code, v) = f.json(&["check-versions"]);
        let qq = component(&v, "qq");
        assert_eq!(qq["installed"], version, "{version}");
        assert_eq!(qq["build"], build, "{version}");
        assert_eq!(qq["status"], status, "{version}: {qq:#}");
        assert_eq!(qq["rule"], rule, "{version}");
        assert_eq!(qq["install"].as_str(), install, "{version}");
        assert_eq!(qq["login_floor"]["build"], 37475);
        assert_eq!(qq["login_floor"]["refused"], status == "refused");
        if status == "refused" {
            assert_eq!(code, 1);
            let advice = qq["advice"].as_str().unwrap_or_default();
            assert!(
                advice.starts_with("refused at login for many accounts since 2025-09-11"),
                "{advice}"
            );
            assert!(
                advice.contains(&format!("install QQ {} or newer", install.unwrap_or("?"))),
                "{advice}"
            );
        }
    }
}

#[test]
fn the_json_names_the_floor_and_the_rule() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    set_qq_version(&f, "3.2.13-29927");
    let (code, v) = f.json(&["check-versions"]);
    assert_eq!(code, 1, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "refused");
    assert_eq!(qq["reason"], "below_login_floor");
    assert_eq!(qq["rule"], "login_floor");
    // The minimum is still reported, and met.
    assert_eq!(qq["minimum"], "3.2.12-26702");
    assert_eq!(qq["minimum_build"], 26702);
    let floor = &qq["login_floor"];
    assert_eq!(floor["build"], 37475);
    assert_eq!(floor["version"], "3.2.18-37475");
    assert_eq!(floor["since"], "2025-09-11");
    assert_eq!(floor["origin"], "table");
    assert_eq!(floor["refused"], true);
    assert!(
        floor["source"]
            .as_str()
            .is_some_and(|s| s.contains("NapCatQQ"))
    );
    // LLOneBot's verdict comes from the minimum.
    assert_eq!(component(&v, "llonebot")["rule"], "minimum");

    let text = stdout(&f.run(&["check-versions"]));
    assert!(
        text.lines()
            .any(|l| l.starts_with("QQ ") && l.ends_with("refused at login")),
        "{text}"
    );
    assert!(
        text.contains("QQ: refused at login for many accounts since 2025-09-11 (login floor: build 37475; some accounts need newer builds): if you run LLBot with QQ (--pmhq), install QQ 3.2.18-37475 or newer from https://im.qq.com/linuxqq/index.shtml"),
        "{text}"
    );
    assert!(
        text.contains("login floor: build 37475 (3.2.18-37475)"),
        "{text}"
    );
}

#[test]
fn min_qq_does_not_move_the_floor_and_login_floor_does() {
    let f = Fixture::new(Os::Windows);
    f.windows_new(); // QQ 9.9.15-28131
    // A lower minimum: still refused.
    let (code, v) = f.json(&["check-versions", "--min-qq", "9.9.12"]);
    assert_eq!(code, 1);
    assert_eq!(component(&v, "qq")["status"], "refused");
    // An older floor given by hand: now the minimum decides.
    let (code, v) = f.json(&["check-versions", "--login-floor", "28060"]);
    assert_eq!(code, 0, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "ok");
    assert_eq!(qq["login_floor"]["origin"], "flag");
    assert!(qq["login_floor"]["since"].is_null());
    // A newer floor than the table's, in another platform's numbering.
    set_qq_version(&f, "9.9.36-53644");
    let (code, v) = f.json(&["check-versions", "--login-floor", "3.2.34-53644"]);
    assert_eq!(component(&v, "qq")["status"], "ok", "{v:#}");
    assert_eq!(code, 1, "LiteLoaderQQNT 1.2.2 is too old for 53644");
    let (_, v) = f.json(&["check-versions", "--login-floor", "60000"]);
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "refused");
    assert!(
        qq["advice"]
            .as_str()
            .is_some_and(|a| a.starts_with("below the login floor you gave (build 60000)")),
        "{qq:#}"
    );
}

#[test]
fn liteloader_minimum_follows_the_qq_build() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    let root = f.p(r"C:\LiteLoaderQQNT");
    for (qq, ll, status, min) in [
        ("9.9.19-34740", "1.2.2", "outdated", "1.2.4"),
        ("9.9.19-34740", "1.2.4", "ok", "1.2.4"),
        ("9.9.23-41857", "1.3.0", "outdated", "1.4.0"),
        ("9.9.36-53644", "1.4.1", "ok", "1.4.0"),
    ] {
        set_qq_version(&f, qq);
        f.ll_root(&root, ll);
        let (_, v) = f.json(&["check-versions"]);
        let c = component(&v, "liteloader");
        assert_eq!(c["status"], status, "{qq} {ll}: {c:#}");
        assert_eq!(c["minimum"], min, "{qq} {ll}");
        assert_eq!(c["rule"], "liteloader_for_qq");
        // Lines before 1.4 get no more releases: a fact, never the status.
        assert_eq!(has_fact(c, "unmaintained_line"), ll != "1.4.1", "{ll}");
    }
}

// ---- macOS hot update: QQUpdate.app runs ----------------------------------------------------

#[test]
fn macos_hot_update_reads_version_and_hook_from_qqupdate_app() {
    let f = Fixture::new(Os::Macos);
    f.macos(); // /Applications/QQ.app 6.9.53-27597, hooked to LiteLoaderQQNT 1.2.2
    let update = f.p(MAC_VERSIONS).join(native("7.0.2-53644/QQUpdate.app"));
    f.write(
        &update.join(native("Contents/MacOS/QQ")),
        b"\xcf\xfa\xed\xfe",
    );
    let app = update.join(native("Contents/Resources/app"));
    f.qq_app(&app, "7.0.2-53644", "./app_launcher/LiteLoader.js");
    // The running copy's hook points at another LiteLoaderQQNT, 1.4.1.
    f.write(
        &app.join(native("app_launcher/LiteLoader.js")),
        "require(\"/Users/alice/LiteLoaderQQNT-1.4\");\n",
    );
    let new_root = f.p("/Users/alice/LiteLoaderQQNT-1.4");
    f.ll_root(&new_root, "1.4.1");
    set_qq_version(&f, "7.0.2-53644");

    let (_, v) = f.json(&["check-versions"]);
    let qq = component(&v, "qq");
    assert_eq!(qq["installed"], "7.0.2-53644");
    assert_eq!(qq["status"], "ok");
    assert_eq!(qq["equivalents"]["windows"], "9.9.36-53644");
    let hot = qq["facts"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["fact"] == "runs_hot_update"))
        .unwrap_or_else(|| panic!("{qq:#}"));
    assert_eq!(hot["app"], update.display().to_string());
    let ll = component(&v, "liteloader");
    assert_eq!(ll["installed"], "1.4.1", "{ll:#}");
    assert_eq!(ll["status"], "ok");

    let (_, d) = f.json(&["detect"]);
    assert_eq!(d["qq"]["hot_update"], update.display().to_string(), "{d:#}");
    assert_eq!(d["liteloader"]["root"], new_root.display().to_string());

    // Without a readable config the newest copy is still the one that runs.
    std::fs::remove_file(f.p(MAC_VERSIONS).join("config.json")).unwrap();
    let (_, v) = f.json(&["check-versions"]);
    let qq = component(&v, "qq");
    assert_eq!(qq["installed"], "7.0.2-53644", "{qq:#}");
    assert!(has_fact(qq, "runs_hot_update"));
}

#[test]
fn windows_reads_the_version_folder_that_runs() {
    let f = Fixture::new(Os::Windows);
    f.windows_new(); // versions\config.json names 9.9.15-28131; QQ.exe shows nothing newer
    let (_, v) = f.json(&["check-versions"]);
    let qq = component(&v, "qq");
    assert_eq!(qq["installed"], "9.9.15-28131");
    let hot = qq["facts"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["fact"] == "runs_hot_update"))
        .unwrap_or_else(|| panic!("{qq:#}"));
    let want = f.p(r"C:\Program Files\Tencent\QQNT\versions\9.9.15-28131");
    assert_eq!(hot["app"], want.display().to_string());
}

// ---- LiteLoaderQQNT as a QwQNT plugin --------------------------------------------------------

#[test]
fn qwqnt_profile_is_qwqnt_data_liteloader() {
    let f = Fixture::new(Os::Linux);
    let qq = f.p("/opt/QQ");
    f.write(&qq.join("qq"), b"\x7fELF");
    let app = qq.join(native("resources/app"));
    f.qq_app(&app, "3.2.21-41857", "./app_launcher/qwqnt.js");
    f.write(
        &app.join(native("app_launcher/qwqnt.js")),
        "require(\"/opt/QwQNT\");\n",
    );
    let qwqnt = f.p("/opt/QwQNT");
    f.write(&qwqnt.join("package.json"), r#"{"name":"qwqnt-framework"}"#);
    let root = qwqnt.join(native("plugins/LiteLoaderQQNT"));
    f.ll_root(&root, "1.4.1");
    let profile = qwqnt.join(native("data/LiteLoader"));
    f.llonebot_plugin(&profile, "LLOneBot", "3.28.3");
    let data = profile.join(native("data/LLOneBot"));
    f.data_dir(&data, &["60006"], &[]);

    let (code, d) = f.json(&["detect"]);
    assert_eq!(code, 0, "{d:#}");
    assert_eq!(d["liteloader"]["root"], root.display().to_string(), "{d:#}");
    assert_eq!(d["liteloader"]["profile"], profile.display().to_string());
    assert_eq!(d["liteloader"]["profile_source"], "qwqnt");
    assert_eq!(d["llonebot"]["data_dir"], data.display().to_string());

    let (code, v) = f.json(&["check-versions"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(has_fact(component(&v, "liteloader"), "qwqnt_profile"));
    assert_eq!(component(&v, "llonebot")["installed"], "3.28.3");

    // LITELOADERQQNT_PROFILE still comes first, as in LiteLoaderQQNT itself.
    let other = f.p("/home/alice/ll-profile");
    f.mkdir(&other);
    let out = f
        .cmd()
        .env("LITELOADERQQNT_PROFILE", "/home/alice/ll-profile")
        .args(["--json", "detect"])
        .output()
        .unwrap();
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["liteloader"]["profile_source"], "env_var", "{d:#}");
}

// ---- doctor: the floor, the LiteLoaderQQNT line, advice that fits ----------------------------

#[test]
fn doctor_fails_below_the_floor_and_notes_the_liteloader_line() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer(); // QQ 3.2.13-29927, LiteLoaderQQNT 1.2.2
    let (code, v) = f.json(&["doctor"]);
    assert_eq!(code, 8); // QQ does not run: the bot is down, which outranks 1
    let qq = finding(&v, "versions.qq");
    assert_eq!(qq["severity"], "fail", "{qq:#}");
    assert_eq!(
        qq["message"],
        "QQ 3.2.13-29927: refused at login for many accounts since 2025-09-11 (login floor: build 37475; some accounts need newer builds)"
    );
    // The remedy says what to do, not the reason again.
    assert_eq!(
        qq["remedy"], "install QQ 3.2.18-37475 or newer from https://im.qq.com/linuxqq/index.shtml",
        "{qq:#}"
    );
    let line = finding(&v, "versions.liteloader_line");
    assert_eq!(line["severity"], "warn", "{line:#}");
    assert!(
        line["message"].as_str().is_some_and(|m| m.contains("1.2.2")
            && m.contains("no more releases")
            && m.contains("1.4.1")),
        "{line:#}"
    );
    assert_eq!(line["data"]["maintained"], false);

    set_qq_version(&f, "3.2.21-41857");
    f.ll_root(&f.p("/home/alice/.local/share/LiteLoaderQQNT"), "1.4.1");
    let (_, v) = f.json(&["doctor"]);
    assert_eq!(finding(&v, "versions.qq")["severity"], "ok");
    let line = finding(&v, "versions.liteloader_line");
    assert_eq!(line["severity"], "ok", "{line:#}");
    assert!(
        line["message"]
            .as_str()
            .is_some_and(|m| m.contains("archived"))
    );
}

/// The remedy of the `timeouts` finding after a run over the fixture's 2024 log (one timeout).
fn timeouts_remedy(f: &Fixture) -> (String, Value) {
    let (_, v) = f.json(&["doctor", "--since", "2024-08-01"]);
    let t = finding(&v, "timeouts");
    assert_ne!(t["severity"], "ok", "{t:#}");
    (t["remedy"].as_str().unwrap_or_default().to_string(), v)
}

#[test]
fn timeout_advice_names_only_what_is_not_met_in_the_platforms_numbering() {
    // Linux, LLOneBot 3.28.3 (met): only QQ, in Linux numbering, to the login floor.
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let (remedy, v) = timeouts_remedy(&f);
    assert!(
        remedy.contains("upgrade to QQ 3.2.18-37475 or newer, and send smaller attachments"),
        "{remedy}"
    );
    assert!(
        !remedy.contains("9.9.") && !remedy.contains("LLOneBot"),
        "{remedy}"
    );
    // msg_* still in use while sends time out: tied together, not "ok".
    let msg = finding(&v, "cache.msg_db");
    assert_eq!(msg["severity"], "warn", "{msg:#}");
    assert!(
        msg["message"]
            .as_str()
            .is_some_and(|m| m.contains("while the logs show 1 send timeout:")),
        "{msg:#}"
    );

    // Both met: no upgrade at all.
    set_qq_version(&f, "3.2.21-41857");
    let (remedy, _) = timeouts_remedy(&f);
    assert!(!remedy.contains("upgrade"), "{remedy}");
    assert!(
        remedy.contains("llob-doctor clean --stop-qq --restart-qq"),
        "{remedy}"
    );

    // Windows, old layout: QQ 9.9.12 and LLOneBot 3.27.0 both short, in Windows numbering.
    let f = Fixture::new(Os::Windows);
    f.windows_old(r"C:\Program Files\Tencent\QQNT");
    let (remedy, _) = timeouts_remedy(&f);
    assert!(
        remedy.contains("upgrade to QQ 9.9.20-37475 or newer and LLOneBot 3.28.3 or newer"),
        "{remedy}"
    );
}

#[test]
fn timeout_advice_in_chinese() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let out = f.run(&["--lang", "zh", "doctor", "--since", "2024-08-01"]);
    let text = stdout(&out);
    assert!(
        text.contains("，升级到 QQ 3.2.18-37475 或更新版本，并发送更小的附件"),
        "{text}"
    );
    assert!(
        text.contains("自 2025-09-11 起许多账号在登录时被拒绝"),
        "{text}"
    );
}
