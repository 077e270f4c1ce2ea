//! Every human sentence of `check-versions`: refusals of bad flags, advice, facts and names.
//! The JSON carries the enums; only these functions turn them into words.

use std::fmt::Write;
use std::path::Path;

use super::{Component, Equivalents, Fact, FloorCheck, MAX_SHOWN_HUMAN, Name, clip, shown};
use crate::discover::{Installation, What};
use crate::env::Platform;
use crate::exit::{Exit, Failure};
use crate::i18n::t;
use crate::policy::support::OffsetsCause;
use crate::policy::{self, MinError, Reason, Status, liteloader as ll_rules};
use crate::version::Dotted;
use crate::{msg, tf};

pub(super) fn min_failure(e: MinError) -> Failure {
    match e {
        MinError::QqMalformed(v) => Failure::usage(msg!(
            "cv.min_qq_malformed",
            value = format!("{:?}", clip(&v, MAX_SHOWN_HUMAN))
        )),
        MinError::QqNotInTable(v) => Failure::usage(msg!(
            "cv.min_qq_unknown",
            value = format!("{:?}", clip(&v, MAX_SHOWN_HUMAN))
        )),
        MinError::LlonebotMalformed(v) => Failure::usage(msg!(
            "cv.min_llonebot_malformed",
            value = format!("{:?}", clip(&v, MAX_SHOWN_HUMAN))
        )),
        MinError::LoginFloorMalformed(v) => Failure::usage(msg!(
            "cv.login_floor_malformed",
            value = format!("{:?}", clip(&v, MAX_SHOWN_HUMAN))
        )),
    }
}

pub(super) fn nothing_found(inst: &Installation) -> Failure {
    let mut places = String::new();
    let mut seen: Vec<&Path> = Vec::new();
    for t in inst.searched.iter().filter(|t| {
        matches!(
            t.what,
            What::QqInstall | What::LiteloaderRoot | What::LiteloaderProfile | What::LlonebotData
        )
    }) {
        if !seen.contains(&t.path.as_path()) {
            seen.push(&t.path);
            let _ = write!(places, "\n  {}", t.path.display());
        }
    }
    Failure::new(Exit::NotFound, msg!("cv.nothing_found", places = places))
        .with_hint(msg!("cv.hint_nothing_found"))
}

pub(super) fn platform_text(p: Platform) -> &'static str {
    match p {
        Platform::Windows => "Windows",
        Platform::Linux => "Linux",
        Platform::Macos => "macOS",
    }
}

pub fn name_text(n: Name) -> &'static str {
    match n {
        Name::Qq => "QQ",
        Name::Liteloader => "LiteLoaderQQNT",
        Name::Llonebot => "LLOneBot",
        Name::Llbot => "LLBot",
        Name::Napcat => "NapCat",
    }
}

pub fn status_text(s: Status) -> &'static str {
    match s {
        Status::Ok => t("cv.status_ok"),
        Status::Outdated => t("cv.status_outdated"),
        Status::Refused => t("cv.status_refused"),
        Status::Unsupported => t("cv.status_unsupported"),
        Status::Unknown => t("cv.status_unknown"),
    }
}

pub(super) fn file_text(file: Option<&Path>, fallback_key: &str) -> String {
    file.map(|f| f.display().to_string())
        .unwrap_or_else(|| t(fallback_key).to_string())
}

pub(super) fn qq_outdated_text(target: &str, platform: Platform) -> String {
    tf!(
        "cv.qq_outdated",
        target = target,
        url = policy::qq_download(platform)
    )
}

/// "build 34740", for a bar no platform string of this platform is known for.
pub(super) fn build_text(build: u32) -> String {
    tf!("cv.build_n", build = build)
}

/// "refused at login for many accounts since 2025-09-11 (login floor: build 37475; some
/// accounts need newer builds)".
pub(super) fn refused_why(f: &FloorCheck) -> String {
    match &f.since {
        Some(since) => tf!("cv.refused_why", since = since, floor = f.build),
        None => tf!("cv.refused_why_flag", floor = f.build),
    }
}

/// Why a QQ is to be installed, which sets the words of the step.
pub(super) enum InstallWhy<'a> {
    /// At or above the bar: "or newer".
    Plain,
    /// The plugin user moving to LLBot: only LLBot with QQ (PMHQ) needs it.
    ForLlbotWithQq,
    /// QQ (this version) is newer than NapCat knows: if NapCat's update does not list it.
    IfNapcatStillLacks(&'a str),
    /// The version NapCat (this version) lists.
    NapcatLists(Option<&'a str>),
}

/// A step installing QQ, with why when Tencent refuses the one installed.
pub(super) fn install_qq_step_text(
    target: &str,
    platform: Platform,
    how: InstallWhy,
    refused: Option<&FloorCheck>,
) -> String {
    let url = policy::qq_download(platform);
    let base = match how {
        InstallWhy::Plain => tf!("cv.qq_outdated", target = target, url = url),
        InstallWhy::ForLlbotWithQq => tf!("cv.step_qq_for_llbot", target = target, url = url),
        InstallWhy::IfNapcatStillLacks(cur) => tf!(
            "cv.step_qq_napcat_fallback",
            current = shown(cur),
            target = target,
            url = url
        ),
        InstallWhy::NapcatLists(v) => tf!(
            "cv.step_qq_napcat",
            target = target,
            napcat = shown(v.unwrap_or("?")),
            url = url
        ),
    };
    match refused {
        Some(f) => format!("{}: {base}", refused_why(f)),
        None => base,
    }
}

/// Keep the build that runs now: QQ staged another one for its next start.
pub(super) fn keep_current_text(s: &crate::discover::StagedUpdate, bots: &str) -> String {
    let folder = s
        .folder
        .as_ref()
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| format!("versions/{}", shown(&s.version)));
    tf!(
        "cv.step_keep_qq",
        staged = shown(&s.version),
        bots = bots,
        folder = folder,
        config = s.config.display()
    )
}

pub(super) fn move_to_llbot_text() -> String {
    tf!("cv.step_move_llbot", url = policy::LLBOT_RELEASES)
}

/// Update NapCat; with `current`, the QQ version it should come to know, NapCat's version and
/// the newest its table lists.
pub(super) fn update_napcat_text(current: Option<(&str, Option<&str>, Option<&str>)>) -> String {
    match current {
        Some((v, napcat, newest)) => tf!(
            "cv.step_update_napcat_for",
            current = shown(v),
            napcat = shown(napcat.unwrap_or("?")),
            newest = shown(newest.unwrap_or("-")),
            url = policy::NAPCAT_RELEASES
        ),
        None => tf!("cv.step_update_napcat", url = policy::NAPCAT_RELEASES),
    }
}

pub(super) fn reach_offsets_text(m: &super::pmhq_log::OffsetsMissing) -> String {
    tf!(
        "cv.step_reach_offsets",
        build = m.build,
        error = shown(m.error.as_deref().unwrap_or("?")),
        log = m.log.display()
    )
}

pub(super) fn update_llbot_offsets_text(build: u32) -> String {
    tf!(
        "cv.step_update_llbot_offsets",
        build = build,
        url = policy::LLBOT_RELEASES
    )
}

pub(super) fn qq_unknown_text(
    reason: Reason,
    version: Option<&str>,
    file: Option<&Path>,
    platform: Platform,
) -> String {
    let url = policy::qq_download(platform);
    let file = file_text(file, "cv.qq_version_files");
    let v = format!("{:?}", shown(version.unwrap_or("")));
    match reason {
        Reason::NoBuildNumber => tf!("cv.qq_no_build", file = file, value = v, url = url),
        Reason::VersionMalformed => tf!("cv.qq_malformed", file = file, value = v, url = url),
        _ => tf!("cv.qq_unreadable", file = file, url = url),
    }
}

pub(super) fn liteloader_outdated_text(qq_build: Option<u32>) -> String {
    let build = qq_build.unwrap_or(policy::LITELOADER_NEW_QQ_BUILD);
    let min = policy::liteloader_minimum(Some(build)).unwrap_or(Dotted::new(1, 2, 2));
    tf!(
        "cv.ll_outdated",
        build = build,
        min = min,
        url = policy::LITELOADER_RELEASES
    )
}

/// LiteLoaderQQNT 1.3.0 and later on a QQ build before 34xxx.
pub(super) fn liteloader_dropped_text(version: Option<&str>, qq_build: Option<u32>) -> String {
    let v = version.and_then(|v| Dotted::parse(v).ok());
    let rule = v
        .zip(qq_build)
        .and_then(|(v, b)| ll_rules::dropped_for(v, b));
    let (since, build) = rule.map_or((Dotted::new(1, 3, 0), 34231), |r| (r.since, r.qq_build));
    tf!(
        "cv.ll_dropped",
        since = since,
        build = build,
        url = policy::LITELOADER_RELEASES
    )
}

pub(super) fn liteloader_unknown_text(
    reason: Reason,
    version: Option<&str>,
    file: Option<&Path>,
    profile: Option<&Path>,
) -> String {
    let url = policy::LITELOADER_RELEASES;
    let file = file
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| "package.json".into());
    match reason {
        Reason::RootNotFound => tf!(
            "cv.ll_root_not_found",
            profile = profile
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "?".into())
        ),
        Reason::VersionFileUnreadable => tf!("cv.ll_unreadable", file = file, url = url),
        Reason::VersionMalformed => tf!(
            "cv.ll_malformed",
            file = file,
            value = format!("{:?}", shown(version.unwrap_or(""))),
            url = url
        ),
        _ => tf!("cv.ll_no_version", file = file, url = url),
    }
}

pub(super) fn llonebot_outdated_text(min: Dotted) -> String {
    tf!("cv.lb_outdated", min = min, url = policy::LLONEBOT_RELEASES)
}

pub(super) fn llonebot_unknown_text(
    reason: Reason,
    version: Option<&str>,
    file: Option<&Path>,
    plugins: Option<&Path>,
    min: Dotted,
) -> String {
    let url = policy::LLONEBOT_RELEASES;
    let file = file
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| "manifest.json".into());
    match reason {
        Reason::StandaloneNoManifest => tf!("cv.lb_standalone", min = min),
        Reason::PluginNotFound => tf!(
            "cv.lb_plugin_not_found",
            plugins = file_text(plugins, "cv.plugins_folder"),
            url = url
        ),
        Reason::VersionFileUnreadable => tf!("cv.lb_unreadable", file = file, url = url),
        Reason::VersionMalformed => tf!(
            "cv.lb_malformed",
            file = file,
            value = format!("{:?}", shown(version.unwrap_or(""))),
            url = url
        ),
        _ => tf!("cv.lb_no_version", file = file, url = url),
    }
}

pub(super) fn fact_text(c: &Component, f: &Fact) -> String {
    match f {
        Fact::NotInBuildTable => tf!("cv.fact_not_in_table", build = c.build.unwrap_or_default()),
        Fact::QqBuildUnknown => tf!(
            "cv.fact_qq_build_unknown",
            build = policy::LITELOADER_NEW_QQ_BUILD
        ),
        Fact::DatabaseStore => tf!("cv.fact_database", since = policy::LLONEBOT_DATABASE_SINCE),
        Fact::MsgLeftovers { folders } => tf!(
            "cv.fact_leftovers",
            n = folders.len(),
            since = policy::LLONEBOT_DATABASE_SINCE
        ),
        Fact::RunsStandalone => tf!(
            "cv.fact_standalone",
            since = policy::LLONEBOT_STANDALONE_SINCE
        ),
        Fact::RunsHotUpdate { app } => tf!("cv.fact_hot_update", app = app.display()),
        Fact::UnmaintainedLine { latest, date } => {
            tf!("cv.fact_unmaintained", latest = latest, date = date)
        }
        Fact::QwqntProfile => t("cv.fact_qwqnt").to_string(),
        Fact::StagedUpdate {
            version,
            breaks,
            folder,
        } => {
            let names: Vec<&str> = breaks.iter().map(|n| name_text(*n)).collect();
            let folder = folder
                .as_ref()
                .map(|f| f.display().to_string())
                .unwrap_or_else(|| "-".into());
            if names.is_empty() {
                tf!("cv.fact_staged", version = shown(version), folder = folder)
            } else {
                tf!(
                    "cv.fact_staged_breaks",
                    version = shown(version),
                    folder = folder,
                    bots = names.join(", ")
                )
            }
        }
        Fact::NapcatTable { entries, newest } => match newest {
            Some(n) => tf!("cv.fact_napcat_table", n = entries, newest = shown(n)),
            None => tf!("cv.fact_napcat_table_none", n = entries),
        },
        Fact::NapcatTableUnread => t("cv.fact_napcat_table_unread").to_string(),
        Fact::PmhqOffsets { missing } => {
            let cause = match missing.cause {
                OffsetsCause::NotYet => t("cv.offsets_not_yet"),
                OffsetsCause::Unreachable => t("cv.offsets_unreachable"),
                OffsetsCause::Unknown => t("cv.offsets_unknown"),
            };
            tf!(
                "cv.fact_pmhq_offsets",
                build = missing.build,
                cause = cause,
                log = missing.log.display()
            )
        }
        Fact::PluginArchived => tf!(
            "cv.fact_plugin_archived",
            last = policy::LLONEBOT_PLUGIN_LAST,
            date = policy::LLONEBOT_PLUGIN_LAST_DATE
        ),
    }
}

/// "build 29927 is Windows 9.9.16-29927 = Linux 3.2.13-29927 = macOS 6.9.61-29927".
pub(super) fn equivalents_text(build: u32, e: &Equivalents) -> Option<String> {
    let parts: Vec<String> = [
        (Platform::Windows, &e.windows),
        (Platform::Linux, &e.linux),
        (Platform::Macos, &e.macos),
    ]
    .into_iter()
    .filter_map(|(p, v)| v.as_ref().map(|v| format!("{} {v}", platform_text(p))))
    .collect();
    (parts.len() > 1).then(|| tf!("cv.equivalents", build = build, list = parts.join(" = ")))
}

pub(super) fn not_found_text(n: Name) -> String {
    let how = match n {
        Name::Qq => "--qq-dir DIR",
        Name::Liteloader => "--ll-dir DIR, --profile DIR",
        Name::Llonebot => "--data-dir DIR, --profile DIR",
        Name::Llbot => "--llbot-dir DIR",
        Name::Napcat => "--napcat-dir DIR",
    };
    tf!("cv.component_not_found", name = name_text(n), how = how)
}

/// "login floor: build 34740 (3.2.17-34740), Tencent refuses older builds since 2026-05".
pub(super) fn floor_note(f: &FloorCheck) -> String {
    let floor = match &f.version {
        Some(v) => format!("{} ({v})", f.build),
        None => f.build.to_string(),
    };
    match &f.since {
        Some(since) => tf!("cv.floor_note", floor = floor, since = since),
        None => tf!("cv.floor_note_flag", floor = floor),
    }
}
