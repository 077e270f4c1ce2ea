//! "Will this bot still run tomorrow?": QQ's staged hot update, NapCat's table of QQ builds,
//! PMHQ's offsets from LLBot's logs, the plugin's move to LLBot, NapCat's version from every
//! bundle form, and the rootless NapCat installer's QQ. Trees built in temp dirs from the real
//! formats: `versions/config.json` as quoted in LuckyLilliaBot #815, `napcat.mjs` in the shape
//! Vite 6.4.1 gives NapCatQQ v4.18.19's `version.ts` and `appid.json` (a lib build, syntax
//! minified, whitespace kept), PMHQ's lines as posted in LuckyLilliaBot #778 and #815.

mod common;
mod llbot_tree;
mod napcat_tree;

use common::{Fixture, Os, native};
use serde_json::Value;

fn component<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["components"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no component {name}: {v:#}"))
}

fn steps(v: &Value) -> Vec<String> {
    v["path"]["steps"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["step"].as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `napcat.mjs` as a v4.18.x release holds it: the inlined table, then the version.
fn napcat_mjs(version_expr: &str, keys: &[&str]) -> String {
    let mut s = String::from("import fs from \"node:fs\";\nconst p = {\n");
    for (i, k) in keys.iter().enumerate() {
        let (v, b) = k.split_once('-').unwrap();
        let plat = match &v[..1] {
            "9" => "WIN",
            "3" => "LNX",
            _ => "MAC",
        };
        s.push_str(&format!(
            "  \"{k}\": {{ appid: {}, qua: \"V1_{plat}_NQ_{v}_{b}_GW_B\" }},\n",
            537290000 + i
        ));
    }
    s.push_str(&format!(
        "}}, a = {{}}, N = {version_expr};\nconst d = {{ baseVersion: \"9.9.15-28131\", curVersion: \"9.9.15-28131\" }};\n"
    ));
    s
}

const TABLE: &[&str] = &[
    "9.9.19-34740",
    "3.2.17-34740",
    "9.9.32-50969",
    "3.2.30-50969",
    "9.9.32-55230",
];

/// The Linux installer's NapCat on `/opt/QQ` at this QQ version, its bundle given.
fn napcat_on(f: &Fixture, qq: &str, mjs: &str) {
    let nc = napcat_tree::linux_installer(f);
    f.write(&nc.join("napcat.mjs"), mjs);
    f.write(
        &f.p("/home/alice/.config/QQ/versions/config.json"),
        serde_json::json!({"baseVersion": qq, "curVersion": qq, "prevVersion": "",
            "onErrorVersions": [], "buildId": qq.rsplit('-').next(), "unzipRetryCount": 0,
            "readyVersion": "", "readyInstaller": ""})
        .to_string(),
    );
}

const V41819: &str = "typeof a < \"u\" && \"4.18.19\" || \"1.0.0-dev\"";

#[test]
fn napcat_reads_its_version_from_every_bundle_form() {
    // (what napcat.mjs holds, the version read)
    for (expr, want) in [
        (V41819, "4.18.19"),
        (
            "(typeof import.meta?.env !== \"undefined\" && \"4.18.19\") || \"1.0.0-dev\"",
            "4.18.19",
        ),
        (
            "typeof (__vite_import_meta_env__) !== \"undefined\" && \"4.18.19\" || \"1.0.0-dev\"",
            "4.18.19",
        ),
        ("\"v4.9.53\" || \"alpha\"", "4.9.53"),
        (
            "(typeof import.meta?.env !== 'undefined' && 'v4.9.72') || 'alpha'",
            "4.9.72",
        ),
    ] {
        let f = Fixture::new(Os::Linux);
        napcat_on(&f, "3.2.30-50969", &napcat_mjs(expr, TABLE));
        // No log names the version: it must come from the bundle.
        let nc = f.p("/opt/QQ/resources/app/app_launcher/napcat");
        std::fs::remove_dir_all(nc.join("logs")).unwrap();
        let (code, v) = f.json(&["check-versions"]);
        let n = component(&v, "napcat");
        assert_eq!(n["installed"], want, "{expr}: {n:#}");
        assert_eq!(n["status"], "ok", "{expr}: {n:#}");
        assert_eq!(n["reason"], "knows_qq_build", "{expr}");
        assert_eq!(code, 0, "{expr}: {v:#}");
    }
}

#[test]
fn qq_newer_than_napcats_table_is_unsupported_with_one_path() {
    let f = Fixture::new(Os::Linux);
    napcat_on(&f, "3.2.33-52892", &napcat_mjs(V41819, TABLE));
    let (code, v) = f.json(&["check-versions"]);
    assert_eq!(code, 1, "{v:#}");
    let n = component(&v, "napcat");
    assert_eq!(
        (
            n["status"].as_str(),
            n["reason"].as_str(),
            n["rule"].as_str()
        ),
        (
            Some("unsupported"),
            Some("qq_newer_than_bot"),
            Some("bot_support")
        )
    );
    let table = n["facts"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["fact"] == "napcat_table"))
        .unwrap_or_else(|| panic!("{n:#}"));
    assert_eq!(table["entries"], 5);
    assert_eq!(table["newest"], "3.2.30-50969");
    // QQ itself is above the floor.
    assert_eq!(component(&v, "qq")["status"], "ok");
    // The path: update NapCat; if it still lacks the build, the newest QQ it knows, exactly.
    assert_eq!(steps(&v), ["update_napcat", "install_qq"], "{v:#}");
    assert_eq!(v["path"]["qq"]["version"], "3.2.30-50969");
    assert_eq!(v["path"]["qq"]["exact"], true);
    let text = stdout(&f.run(&["check-versions"]));
    assert!(
        text.contains("1. NapCat: QQ 3.2.33-52892 is newer than NapCat 4.18.19 knows (its table ends at 3.2.30-50969)"),
        "{text}"
    );
    assert!(
        text.contains("2. QQ: if the newest NapCat still does not know QQ 3.2.33-52892, install QQ 3.2.30-50969"),
        "{text}"
    );
    // doctor says the same.
    let (_, d) = f.json(&["doctor"]);
    let finding = d["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["check"] == "versions.napcat"))
        .unwrap_or_else(|| panic!("{d:#}"));
    assert_eq!(finding["severity"], "fail");
    assert!(
        finding["message"]
            .as_str()
            .is_some_and(|m| m.contains("QQ is newer than its table")),
        "{finding:#}"
    );
}

#[test]
fn napcat_below_the_floor_gets_the_newest_qq_it_knows_not_a_typo() {
    // Windows has 9.9.32-55230 in NapCat's table: a typo of 52230, no real build.
    let f = Fixture::new(Os::Linux);
    napcat_on(&f, "3.2.17-34740", &napcat_mjs(V41819, TABLE));
    let (code, v) = f.json(&["check-versions"]);
    assert_eq!(code, 1);
    assert_eq!(component(&v, "qq")["status"], "refused");
    assert_eq!(component(&v, "qq")["install"], "3.2.30-50969");
    assert_eq!(steps(&v), ["install_qq"], "{v:#}");
    let step = &v["path"]["steps"][0]["text"];
    assert!(
        step.as_str().is_some_and(|s| s.starts_with(
            "refused at login for many accounts since 2025-09-11 (login floor: build 37475; some accounts need newer builds): install QQ 3.2.30-50969"
        ) && s.contains("exactly this version")),
        "{step}"
    );
}

#[test]
fn a_staged_update_napcat_does_not_know_is_reported_with_how_to_keep_the_build() {
    let f = Fixture::new(Os::Linux);
    napcat_on(&f, "3.2.30-50969", &napcat_mjs(V41819, TABLE));
    let versions = f.p("/home/alice/.config/QQ/versions");
    f.mkdir(&versions.join("3.2.33-52892"));
    let cfg = serde_json::json!({"baseVersion": "3.2.30-50969", "curVersion": "3.2.30-50969",
        "prevVersion": "", "onErrorVersions": [], "buildId": "50969", "unzipRetryCount": 0,
        "readyVersion": "3.2.33-52892", "readyInstaller": ""});
    f.write(&versions.join("config.json"), cfg.to_string());
    let (code, v) = f.json(&["check-versions"]);
    assert_eq!(code, 1, "{v:#}");
    let qq = component(&v, "qq");
    assert_eq!(qq["status"], "ok");
    let staged = &qq["staged_update"];
    assert_eq!(staged["version"], "3.2.33-52892");
    assert_eq!(staged["build"], 52892);
    assert_eq!(staged["current"], "3.2.30-50969");
    assert_eq!(staged["breaks"], serde_json::json!(["napcat"]));
    assert!(
        staged["folder"]
            .as_str()
            .is_some_and(|p| p.ends_with("3.2.33-52892"))
    );
    assert_eq!(component(&v, "napcat")["status"], "ok");
    assert_eq!(steps(&v), ["keep_current_qq"], "{v:#}");
    let text = stdout(&f.run(&["check-versions"]));
    assert!(
        text.contains(
            "QQ has staged 3.2.33-52892 for its next start, and NapCat does not support it"
        ) && text.contains("set \"readyVersion\" to \"\"")
            && text.contains("llob-doctor changes neither"),
        "{text}"
    );
    // Nothing was changed.
    let after: Value =
        serde_json::from_str(&std::fs::read_to_string(versions.join("config.json")).unwrap())
            .unwrap();
    assert_eq!(after["readyVersion"], "3.2.33-52892");
    assert!(versions.join("3.2.33-52892").is_dir());
    let (_, d) = f.json(&["doctor"]);
    let s = d["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["check"] == "versions.staged_update"))
        .unwrap_or_else(|| panic!("{d:#}"));
    assert_eq!(s["severity"], "fail", "{s:#}");
    // detect shows it under qq too.
    let (_, det) = f.json(&["detect"]);
    assert_eq!(det["qq"]["staged_update"]["version"], "3.2.33-52892");

    // A staged build NapCat knows: a note, exit 0.
    let cfg = serde_json::json!({"curVersion": "3.2.17-34740", "readyVersion": "3.2.30-50969"});
    napcat_on(&f, "3.2.17-34740", &napcat_mjs(V41819, TABLE));
    f.write(&versions.join("config.json"), cfg.to_string());
    let (_, v) = f.json(&["check-versions"]);
    assert_eq!(
        component(&v, "qq")["staged_update"]["breaks"],
        serde_json::json!([])
    );
}

/// The CLI layout with QQ on Linux, its launcher's output saved beside it.
fn llbot_with_log(f: &Fixture, qq: &str, log: &str) -> String {
    let (install, _) = llbot_tree::linux_cli(f);
    let opt = f.p("/opt/QQ");
    f.write(&opt.join("qq"), b"\x7fELF");
    f.qq_app(&opt.join(native("resources/app")), qq, "./application.js");
    f.write(&install.join("llbot.log"), log);
    install.display().to_string()
}

const NOT_YET: &str = "16:32:01 [PMHQ] [2026-06-06T08:32:01Z INFO  pmhq_injector::offsets] 本地没有版本 49738 的偏移数据，尝试从远程获取...\n16:32:01 [PMHQ] QQ 路径: /opt/QQ/qq\n16:32:01 [PMHQ] QQ 版本: 49738\n16:32:02 [PMHQ] [2026-06-06T08:32:02Z WARN  pmhq_injector::offsets] 远程也没有版本 49738 的偏移数据\n16:32:02 [PMHQ] 未找到当前 QQ 版本 (49738) 的偏移数据\n16:32:02 [PMHQ] 请等待更新或联系开发者\n";

#[test]
fn pmhq_without_offsets_for_the_qq_build_is_reported_with_its_cause() {
    let f = Fixture::new(Os::Linux);
    let dir = llbot_with_log(&f, "3.2.29-49738", NOT_YET);
    let (code, v) = f.json(&["--llbot-dir", &dir, "check-versions"]);
    assert_eq!(code, 1, "{v:#}");
    let l = component(&v, "llbot");
    assert_eq!(
        (l["status"].as_str(), l["reason"].as_str()),
        (Some("unsupported"), Some("no_offsets_for_qq"))
    );
    let fact = &l["facts"][0];
    assert_eq!(fact["fact"], "pmhq_offsets");
    assert_eq!(fact["missing"]["build"], 49738);
    assert_eq!(fact["missing"]["cause"], "not_yet");
    assert_eq!(steps(&v), ["update_llbot"], "{v:#}");
    let text = stdout(&f.run(&["--llbot-dir", &dir, "check-versions"]));
    assert!(
        text.contains("PMHQ has no offsets for QQ build 49738, and its server had none either"),
        "{text}"
    );

    // The server unreachable (LuckyLilliaBot #815).
    let dns = "[PMHQ] [INFO  pmhq_injector::offsets] 本地没有版本 49738 的偏移数据，尝试从远程获取...\n[PMHQ] [WARN  pmhq_injector::offsets] 从远程获取偏移数据失败: HTTP 请求失败: http://pmhq.luckylillia.com/a.bin: Dns Failed\n[PMHQ] 未找到当前 QQ 版本 (49738) 的偏移数据\n";
    let f = Fixture::new(Os::Linux);
    let dir = llbot_with_log(&f, "3.2.29-49738", dns);
    let (_, v) = f.json(&["--llbot-dir", &dir, "check-versions"]);
    assert_eq!(component(&v, "llbot")["reason"], "offsets_unreachable");
    assert_eq!(steps(&v), ["reach_offsets_server"], "{v:#}");

    // QQ went back to a build that starts: the old failure is a note, not a verdict.
    let f = Fixture::new(Os::Linux);
    let later = format!("{NOT_YET}[PMHQ] QQ 版本: 48517\n[PMHQ] 注入成功\n");
    let dir = llbot_with_log(&f, "3.2.28-48517", &later);
    let (code, v) = f.json(&["--llbot-dir", &dir, "check-versions"]);
    assert_eq!(component(&v, "llbot")["status"], "ok", "{v:#}");
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn the_plugin_on_a_refused_qq_moves_to_llbot_without_contradicting_advice() {
    // Windows 9.9.15-28131 with LiteLoaderQQNT 1.1.2: refused, and LiteLoaderQQNT too old
    // for the QQ that must go anyway.
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    f.ll_root(&f.p(r"C:\LiteLoaderQQNT"), "1.1.2");
    let (code, v) = f.json(&["check-versions"]);
    assert_eq!(code, 1);
    assert_eq!(v["path"]["moves_from"], "llonebot");
    assert_eq!(v["path"]["bot"], "llbot");
    assert_eq!(steps(&v), ["move_to_llbot", "install_qq"], "{v:#}");
    let ll = component(&v, "liteloader");
    assert_eq!(ll["status"], "outdated");
    // Its advice no longer names a LiteLoaderQQNT for the QQ being left.
    let advice = ll["advice"].as_str().unwrap_or_default();
    assert!(
        !advice.contains("28131") && advice.contains("move to LLBot"),
        "{advice}"
    );
    let lb = component(&v, "llonebot");
    assert!(
        lb["facts"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["fact"] == "plugin_archived"))
    );
    let text = stdout(&f.run(&["check-versions"]));
    assert!(text.contains("1. LLOneBot: the LLOneBot plugin"), "{text}");
    assert!(
        text.contains("2. QQ: refused at login for many accounts since 2025-09-11")
            && text.contains("if you run LLBot with QQ (--pmhq), install QQ 9.9.20-37475 or newer"),
        "{text}"
    );
    assert!(
        !text.contains("QQ build 28131 needs LiteLoaderQQNT"),
        "{text}"
    );
}

#[test]
fn the_rootless_installers_qq_is_found_and_its_path_shown_plain() {
    let f = Fixture::new(Os::Linux);
    let qq = f.p("/home/alice/Napcat/opt/QQ");
    f.write(&qq.join("qq"), b"\x7fELF");
    let app = qq.join(native("resources/app"));
    f.qq_app(&app, "3.2.30-50969", "./loadNapCat.js");
    // `file:///${TARGET_FOLDER}/…` with an absolute folder: four slashes.
    f.write(
        &app.join("loadNapCat.js"),
        "(async () => {await import('file:////home/alice/Napcat/opt/QQ/resources/app/app_launcher/napcat/napcat.mjs');})();\n",
    );
    let nc = app.join(native("app_launcher/napcat"));
    napcat_tree::napcat_folder(&f, &nc, "123456");
    f.write(&nc.join("napcat.mjs"), napcat_mjs(V41819, TABLE));
    let (_, d) = f.json(&["detect"]);
    assert!(
        d["qq"]["install_dir"]
            .as_str()
            .is_some_and(|p| std::path::Path::new(p).ends_with("Napcat/opt/QQ")),
        "{d:#}"
    );
    let (code, v) = f.json(&["check-versions"]);
    assert_eq!(component(&v, "qq")["status"], "ok", "{v:#}");
    assert_eq!(component(&v, "napcat")["status"], "ok", "{v:#}");
    assert_eq!(code, 0, "{v:#}");
    let out = stdout(&f.run(&["-v", "detect"]));
    assert!(!out.contains("//home"), "{out}");
}
