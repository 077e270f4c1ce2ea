//! Unit tests of the report and its rendering on hand-made installations.

use super::render::render;
use super::*;
use crate::discover::{Account, LiteLoader, LlOneBot, Qq, Source};
use crate::output::Output;
use crate::policy;
use crate::version::table;
use std::path::PathBuf;

fn qq(version: Option<&str>, platform: Platform) -> Qq {
    Qq {
        install_dir: PathBuf::from("/opt/QQ"),
        executable: PathBuf::from("/opt/QQ/qq"),
        app_dir: None,
        version: version.map(str::to_string),
        build: version.and_then(|v| v.rsplit_once('-')?.1.parse().ok()),
        platform,
        source: Source::WellKnown,
        source_detail: None,
        version_file: Some(PathBuf::from("/home/a/.config/QQ/versions/config.json")),
        flatpak: false,
        hot_update: None,
        staged_update: None,
    }
}

fn ll(version: Option<&str>) -> LiteLoader {
    LiteLoader {
        root: Some(PathBuf::from("/opt/LiteLoaderQQNT")),
        profile: PathBuf::from("/opt/LiteLoaderQQNT"),
        data_dir: PathBuf::from("/opt/LiteLoaderQQNT/data"),
        plugins_dir: PathBuf::from("/opt/LiteLoaderQQNT/plugins"),
        version: version.map(str::to_string),
        source: Some(Source::WellKnown),
        source_detail: None,
        profile_source: Source::Root,
        profile_source_detail: None,
    }
}

fn lb(version: Option<&str>, msg: &[&str]) -> LlOneBot {
    let data = PathBuf::from("/opt/LiteLoaderQQNT/data/LLOneBot");
    LlOneBot {
        plugin_dir: Some(PathBuf::from("/opt/LiteLoaderQQNT/plugins/LLOneBot")),
        version: version.map(str::to_string),
        data_dir: data.clone(),
        data_dir_exists: true,
        source: Source::Profile,
        standalone: false,
        accounts: msg
            .iter()
            .map(|u| Account {
                uin: u.to_string(),
                config: None,
                msg_db: Some(data.join(format!("msg_{u}"))),
                database: None,
                database_files: Vec::new(),
            })
            .collect(),
    }
}

fn inst(q: Option<Qq>, l: Option<LiteLoader>, b: Option<LlOneBot>) -> Installation {
    Installation {
        platform: Platform::Linux,
        qq: q,
        processes: Vec::new(),
        liteloader: l,
        llonebot: b,
        napcat: None,
        instances: Vec::new(),
        napcats: Vec::new(),
        searched: Vec::new(),
        warnings: Vec::new(),
    }
}

fn report(i: &Installation) -> Report {
    let mins = Minimums::resolve(None, None, table()).expect("defaults");
    build_report(i, &mins, table())
}

/// The minimums alone, without the login floor: what the rules of 2024 said.
fn report_minimums_only(i: &Installation) -> Report {
    let mut mins = Minimums::resolve(None, None, table()).expect("defaults");
    mins.login_floor = None;
    build_report(i, &mins, table())
}

fn plain() -> Output {
    Output {
        json: false,
        quiet: false,
        verbose: 0,
        color: false,
    }
}

#[test]
fn linux_build_shows_its_windows_equivalent() {
    let i = inst(
        Some(qq(Some("3.2.20-40768"), Platform::Linux)),
        Some(ll(Some("1.4.1"))),
        Some(lb(Some("3.28.3"), &[])),
    );
    let r = report(&i);
    assert!(r.ok);
    let c = &r.components[0];
    assert_eq!(c.windows_equivalent.as_deref(), Some("9.9.22-40768"));
    assert_eq!(c.minimum.as_deref(), Some("3.2.12-26702"));
    assert_eq!(c.rule, Some(policy::Rule::LoginFloor));
    let text = render(&r, &plain());
    assert!(
        text.contains("3.2.20-40768 (= Windows 9.9.22-40768)"),
        "{text}"
    );
    assert!(
        text.contains("login floor: build 37475 (3.2.18-37475); Tencent refuses older builds at login for many accounts since 2025-09-11, and some accounts need newer builds"),
        "{text}"
    );
    assert!(text.contains("All 3 components found meet"), "{text}");
}

#[test]
fn outdated_qq_advice_uses_the_platforms_own_numbering() {
    // Below the login floor: refused, and the advice names the floor in Linux numbering.
    let r = report(&inst(
        Some(qq(Some("3.2.10-25765"), Platform::Linux)),
        None,
        None,
    ));
    let c = &r.components[0];
    assert_eq!(
        (c.status, c.reason, c.rule),
        (
            Status::Refused,
            Reason::BelowLoginFloor,
            Some(policy::Rule::LoginFloor)
        )
    );
    let advice = c.advice.as_deref().unwrap_or_default();
    assert!(
        advice.starts_with("refused at login for many accounts since 2025-09-11 (login floor: build 37475; some accounts need newer builds)"),
        "{advice}"
    );
    assert!(
        advice.contains("install QQ 3.2.18-37475 or newer"),
        "{advice}"
    );
    assert_eq!(c.install.as_deref(), Some("3.2.18-37475"));
    // macOS has no 37475: its first build at or after the floor.
    let r = report(&inst(
        Some(qq(Some("6.9.66-32690"), Platform::Macos)),
        None,
        None,
    ));
    assert_eq!(r.components[0].install.as_deref(), Some("6.9.82-40768"));

    // The minimum alone.
    let r = report_minimums_only(&inst(
        Some(qq(Some("3.2.10-25765"), Platform::Linux)),
        None,
        None,
    ));
    let c = &r.components[0];
    assert_eq!(c.status, Status::Outdated);
    let advice = c.advice.as_deref().unwrap_or_default();
    assert!(
        advice.contains("install QQ 3.2.12-26702 or newer"),
        "{advice}"
    );
    assert!(advice.contains("im.qq.com/linuxqq"), "{advice}");
    assert_eq!(r.not_found, [Name::Liteloader, Name::Llonebot]);

    let r = report_minimums_only(&inst(
        Some(qq(Some("6.9.20-20000"), Platform::Macos)),
        None,
        None,
    ));
    let advice = r.components[0].advice.as_deref().unwrap_or_default();
    assert!(
        advice.contains("install QQ 6.9.53-27597 or newer"),
        "{advice}"
    );
    assert!(r.components[0].facts.contains(&Fact::NotInBuildTable));
}

#[test]
fn liteloader_rule_and_llonebot_facts() {
    let i = inst(
        Some(qq(Some("9.9.15-28131"), Platform::Windows)),
        Some(ll(Some("1.1.2"))),
        Some(lb(Some("3.29.1"), &["123"])),
    );
    let r = report_minimums_only(&i);
    assert!(!r.ok);
    let l = &r.components[1];
    assert_eq!(
        (l.status, l.reason),
        (Status::Outdated, Reason::IncompatibleWithQq)
    );
    assert_eq!(l.minimum.as_deref(), Some("1.2.2"));
    let b = &r.components[2];
    assert_eq!(b.status, Status::Ok);
    assert!(b.facts.contains(&Fact::DatabaseStore));
    assert!(
        b.facts
            .iter()
            .any(|f| matches!(f, Fact::MsgLeftovers { folders } if folders.len() == 1))
    );
    let text = render(&r, &plain());
    assert!(text.contains("llob-doctor clean"), "{text}");
    assert!(
        text.contains("1 of 3 components found needs attention"),
        "{text}"
    );
}

#[test]
fn unreadable_qq_version_leaves_liteloader_unchecked_but_flagged() {
    let i = inst(
        Some(qq(Some("9.9"), Platform::Windows)),
        Some(ll(Some("1.1.2"))),
        None,
    );
    let r = report(&i);
    assert_eq!(r.components[0].status, Status::Unknown);
    assert_eq!(r.components[0].reason, Reason::VersionMalformed);
    assert_eq!(r.components[1].status, Status::Ok);
    assert!(r.components[1].facts.contains(&Fact::QqBuildUnknown));
    assert!(!r.ok);
}

#[test]
fn binary_junk_is_printed_safely() {
    let junk = format!("\u{0}\u{1b}[31m{}", "x".repeat(10_000));
    let i = inst(None, None, Some(lb(Some(&junk), &[])));
    let r = report(&i);
    let c = &r.components[0];
    assert_eq!(
        (c.status, c.reason),
        (Status::Unknown, Reason::VersionMalformed)
    );
    assert!(c.installed.as_deref().unwrap_or_default().chars().count() <= MAX_SHOWN_JSON + 1);
    let text = render(&r, &plain());
    assert!(!text.contains('\u{1b}') && !text.contains('\u{0}'));
    assert!(text.lines().all(|l| l.chars().count() < 400), "{text}");
}

#[test]
fn json_shape() {
    let i = inst(
        Some(qq(Some("9.9.20-37475"), Platform::Windows)),
        None,
        None,
    );
    let v = serde_json::to_value(report(&i)).expect("serializes");
    let c = &v["components"][0];
    assert_eq!(c["name"], "qq");
    assert_eq!(c["status"], "ok");
    assert_eq!(c["rule"], "login_floor");
    assert_eq!(c["build"], 37475);
    assert_eq!(c["minimum"], "9.9.15-26702");
    assert_eq!(c["windows_equivalent"], "9.9.20-37475");
    assert_eq!(c["login_floor"]["build"], 37475);
    assert_eq!(c["login_floor"]["version"], "9.9.20-37475");
    assert_eq!(c["login_floor"]["since"], "2025-09-11");
    assert_eq!(c["login_floor"]["origin"], "table");
    assert_eq!(c["login_floor"]["refused"], false);
    assert!(c["advice"].is_null() && c["install"].is_null());
    assert_eq!(v["ok"], true);
    assert_eq!(
        v["not_found"],
        serde_json::json!(["liteloader", "llonebot"])
    );
}
