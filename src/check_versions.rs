//! `llob-doctor check-versions`: the installed QQ, LiteLoaderQQNT and LLOneBot against the
//! minimums (QQ 9.9.15 = build 26702 on every platform, LLOneBot 3.28.3, LiteLoaderQQNT 1.2.2
//! for QQ builds from 28060), with what to install and where.
//!
//! Only what discovery found is checked. A component that was found but whose version cannot be
//! read is `unknown`, which fails the check like `outdated` does: never a silent pass.
//! Human text lives in the `*_text` functions and [`render`] of this file only.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::App;
use crate::cli::CheckVersionsArgs;
use crate::discover::{self, Installation, Outcome, Warning, What};
use crate::env::Platform;
use crate::exit::{Exit, Failure};
use crate::i18n::t;
use crate::output::{Output, Tone};
use crate::policy::{self, MinError, Minimums, Reason, Status, Verdict};
use crate::version::{self, BuildTable, Dotted};
use crate::{msg, tf};

pub fn run(app: &App, args: &CheckVersionsArgs) -> anyhow::Result<Exit> {
    let table = version::table();
    // Bad flags are refused before anything is read.
    let mins = Minimums::resolve(args.min_qq.as_deref(), args.min_llonebot.as_deref(), table)
        .map_err(min_failure)?;
    let inst = app.discover()?;
    let mut report = build_report(&inst, &mins, table);
    add_napcat(&mut report, &inst, args.min_napcat.as_deref())?;
    if report.components.is_empty() {
        return Err(nothing_found(&inst).into());
    }
    app.out.emit(&report, || render(&report, &app.out))?;
    Ok(if report.ok { Exit::Ok } else { Exit::Problem })
}

// ---- the report ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Name {
    Qq,
    Liteloader,
    Llonebot,
    Napcat,
}

/// A fact reported beside a verdict; it never changes the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Fact {
    /// The QQ build is not in the build table: compared by its number alone.
    NotInBuildTable,
    /// QQ was found but its build is unknown: the LiteLoaderQQNT rule was not checked.
    QqBuildUnknown,
    /// LLOneBot 3.29.0+ stores messages in `database/`.
    DatabaseStore,
    /// Legacy `msg_<uin>` LevelDB folders left behind by an upgrade: `clean` can remove them.
    MsgLeftovers { folders: Vec<PathBuf> },
    /// LLOneBot 5.0+ runs standalone, without LiteLoaderQQNT.
    RunsStandalone,
}

/// The version strings of one QQ build on each platform (from the build table).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Equivalents {
    pub windows: Option<String>,
    pub linux: Option<String>,
    pub macos: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub name: Name,
    /// The version string as read (clipped to `MAX_SHOWN_JSON` characters).
    pub installed: Option<String>,
    /// QQ's shared build number.
    pub build: Option<u32>,
    /// QQ: the Windows version string of the same build, when the table knows it.
    pub windows_equivalent: Option<String>,
    /// QQ: every platform's version string of the same build, when the table knows it.
    pub equivalents: Option<Equivalents>,
    pub minimum: Option<String>,
    /// QQ: the minimum as a build number.
    pub minimum_build: Option<u32>,
    pub status: Status,
    pub reason: Reason,
    /// What to do, when the status is not `ok`.
    pub advice: Option<String>,
    pub facts: Vec<Fact>,
    /// The file the version was (or should have been) read from.
    pub version_file: Option<PathBuf>,
    /// QQ: the platform whose numbering `installed` is in.
    #[serde(skip)]
    pub platform: Option<Platform>,
    /// QQ: `minimum` is in another platform's numbering (the table lacks that build for this
    /// one, e.g. 26702 on macOS); humans are shown the build instead.
    #[serde(skip)]
    pub minimum_foreign: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub components: Vec<Component>,
    /// Components not found at all (so not checked).
    pub not_found: Vec<Name>,
    /// Files that were there but could not be used.
    pub warnings: Vec<Warning>,
    /// Every component found meets its minimum.
    pub ok: bool,
}

/// No real version is this long; a longer string is clipped in JSON (and further for humans).
const MAX_SHOWN_JSON: usize = 256;
const MAX_SHOWN_HUMAN: usize = 40;

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// A value read from disk, safe to print: clipped, control characters replaced.
fn shown(s: &str) -> String {
    clip(s, MAX_SHOWN_HUMAN)
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

pub fn build_report(inst: &Installation, mins: &Minimums, table: &BuildTable) -> Report {
    let mut components = Vec::new();
    let mut not_found = Vec::new();

    let qq = qq_component(inst, mins, table);
    let qq_found = qq.is_some();
    let qq_build = qq.as_ref().and_then(|c| c.build);
    match qq {
        Some(c) => components.push(c),
        None => not_found.push(Name::Qq),
    }
    match liteloader_component(inst, qq_build, qq_found) {
        Some(c) => components.push(c),
        None => not_found.push(Name::Liteloader),
    }
    match llonebot_component(inst, mins.llonebot) {
        Some(c) => components.push(c),
        None => not_found.push(Name::Llonebot),
    }
    let ok = !components.is_empty() && components.iter().all(|c| c.status == Status::Ok);
    // Discovery may read a file twice (once per purpose): one warning per file and problem.
    let mut warnings: Vec<Warning> = Vec::new();
    for w in &inst.warnings {
        if !warnings
            .iter()
            .any(|x| x.path == w.path && x.problem == w.problem)
        {
            warnings.push(w.clone());
        }
    }
    Report {
        components,
        not_found,
        warnings,
        ok,
    }
}

fn qq_component(inst: &Installation, mins: &Minimums, table: &BuildTable) -> Option<Component> {
    let q = inst.qq.as_ref()?;
    let platform = q.platform;
    let (build, verdict) = match policy::qq_build(q.version.as_deref(), q.build) {
        Ok(b) => (Some(b), policy::judge_qq(b, &mins.qq)),
        Err(r) => (None, Verdict::unknown(r)),
    };
    let entry = build.and_then(|b| table.get(b));
    let equivalents = entry.map(|e| Equivalents {
        windows: e.windows.clone(),
        linux: e.linux.clone(),
        macos: e.macos.clone(),
    });
    let mut facts = Vec::new();
    if build.is_some() && entry.is_none() {
        facts.push(Fact::NotInBuildTable);
    }
    let own = mins.qq.own_numbering(platform, table);
    let minimum_foreign = own.is_none();
    let minimum = own.unwrap_or_else(|| mins.qq.text.clone());
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated => {
            let target = mins
                .qq
                .install_target(platform, table)
                .unwrap_or_else(|| minimum.clone());
            Some(qq_outdated_text(&target, platform))
        }
        Status::Unknown => Some(qq_unknown_text(
            verdict.reason,
            q.version.as_deref(),
            q.version_file.as_deref(),
            platform,
        )),
    };
    Some(Component {
        name: Name::Qq,
        installed: q.version.as_deref().map(|v| clip(v, MAX_SHOWN_JSON)),
        build,
        windows_equivalent: entry.and_then(|e| e.windows.clone()),
        equivalents,
        minimum: Some(minimum),
        minimum_build: Some(mins.qq.build),
        status: verdict.status,
        reason: verdict.reason,
        advice,
        facts,
        version_file: q.version_file.clone(),
        platform: Some(platform),
        minimum_foreign,
    })
}

/// A LiteLoaderQQNT root candidate whose `package.json` was there but unreadable or malformed:
/// discovery rejects it as "not LiteLoaderQQNT", but a broken file must not pass silently.
fn broken_liteloader_package(inst: &Installation) -> Option<PathBuf> {
    inst.searched
        .iter()
        .filter(|t| {
            t.what == What::LiteloaderRoot
                && t.result == Outcome::Rejected
                && t.reason == Some(discover::Reason::NotLiteloaderRoot)
        })
        .map(|t| t.path.join("package.json"))
        .find(|pkg| inst.warnings.iter().any(|w| &w.path == pkg))
}

fn liteloader_component(
    inst: &Installation,
    qq_build: Option<u32>,
    qq_found: bool,
) -> Option<Component> {
    let mut version = None;
    let (verdict, file) = match &inst.liteloader {
        Some(ll) => match &ll.root {
            Some(root) => {
                version = ll.version.as_deref();
                (
                    policy::judge_liteloader(version, qq_build),
                    Some(root.join("package.json")),
                )
            }
            None => (Verdict::unknown(Reason::RootNotFound), None),
        },
        None => {
            let file = broken_liteloader_package(inst)?;
            (Verdict::unknown(Reason::VersionFileUnreadable), Some(file))
        }
    };
    let mut facts = Vec::new();
    if qq_found && qq_build.is_none() && verdict.status == Status::Ok {
        facts.push(Fact::QqBuildUnknown);
    }
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated => Some(liteloader_outdated_text(qq_build)),
        Status::Unknown => Some(liteloader_unknown_text(
            verdict.reason,
            version,
            file.as_deref(),
            inst.liteloader.as_ref().map(|l| l.profile.as_path()),
        )),
    };
    Some(Component {
        name: Name::Liteloader,
        installed: version.map(|v| clip(v, MAX_SHOWN_JSON)),
        build: None,
        windows_equivalent: None,
        equivalents: None,
        minimum: policy::liteloader_minimum(qq_build).map(|m| m.to_string()),
        minimum_build: None,
        status: verdict.status,
        reason: verdict.reason,
        advice,
        facts,
        version_file: file,
        platform: None,
        minimum_foreign: false,
    })
}

/// An unreadable `manifest.json` in a plugin folder named like LLOneBot.
fn broken_llonebot_manifest(inst: &Installation) -> Option<PathBuf> {
    let plugins = &inst.liteloader.as_ref()?.plugins_dir;
    inst.warnings
        .iter()
        .map(|w| &w.path)
        .find(|p| {
            p.file_name().is_some_and(|n| n == "manifest.json")
                && p.parent().and_then(Path::parent) == Some(plugins.as_path())
                && p.parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n.to_string_lossy().to_lowercase().contains("llonebot"))
        })
        .cloned()
}

fn llonebot_component(inst: &Installation, min: Dotted) -> Option<Component> {
    let mut version = None;
    let mut standalone = false;
    let (verdict, file, plugins) = match &inst.llonebot {
        Some(l) => {
            let plugins = inst.liteloader.as_ref().map(|ll| ll.plugins_dir.clone());
            if let Some(plugin) = &l.plugin_dir {
                version = l.version.as_deref();
                (
                    policy::judge_llonebot(version, min),
                    Some(plugin.join("manifest.json")),
                    plugins,
                )
            } else if l.standalone {
                standalone = true;
                (Verdict::unknown(Reason::StandaloneNoManifest), None, None)
            } else if let Some(f) = broken_llonebot_manifest(inst) {
                (
                    Verdict::unknown(Reason::VersionFileUnreadable),
                    Some(f),
                    plugins,
                )
            } else {
                (Verdict::unknown(Reason::PluginNotFound), None, plugins)
            }
        }
        None => {
            let f = broken_llonebot_manifest(inst)?;
            (
                Verdict::unknown(Reason::VersionFileUnreadable),
                Some(f),
                None,
            )
        }
    };

    let parsed = policy::read_dotted(version).ok();
    let mut facts = Vec::new();
    let modern = standalone || parsed.is_some_and(policy::llonebot_uses_database);
    if parsed.is_some_and(policy::llonebot_uses_database) {
        facts.push(Fact::DatabaseStore);
    }
    if modern && let Some(l) = &inst.llonebot {
        let folders: Vec<PathBuf> = l.accounts.iter().filter_map(|a| a.msg_db.clone()).collect();
        if !folders.is_empty() {
            facts.push(Fact::MsgLeftovers { folders });
        }
    }
    if standalone || parsed.is_some_and(policy::llonebot_runs_standalone) {
        facts.push(Fact::RunsStandalone);
    }

    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated => Some(llonebot_outdated_text(min)),
        Status::Unknown => Some(llonebot_unknown_text(
            verdict.reason,
            version,
            file.as_deref(),
            plugins.as_deref(),
            min,
        )),
    };
    Some(Component {
        name: Name::Llonebot,
        installed: version.map(|v| clip(v, MAX_SHOWN_JSON)),
        build: None,
        windows_equivalent: None,
        equivalents: None,
        minimum: Some(min.to_string()),
        minimum_build: None,
        status: verdict.status,
        reason: verdict.reason,
        advice,
        facts,
        version_file: file,
        platform: None,
        minimum_foreign: false,
    })
}

/// NapCat's row: checked against `--min-napcat` when given; without it, only whether its
/// version could be read (NapCat has no known minimum).
fn add_napcat(report: &mut Report, inst: &Installation, min: Option<&str>) -> Result<(), Failure> {
    let min = match min {
        Some(m) => Some(
            Dotted::parse(m.trim().trim_start_matches('v')).map_err(|_| {
                Failure::usage(msg!(
                    "cv.min_napcat_malformed",
                    value = format!("{:?}", clip(m, MAX_SHOWN_HUMAN))
                ))
            })?,
        ),
        None => None,
    };
    let Some(n) = &inst.napcat else {
        return Ok(());
    };
    let version = n.version.as_deref();
    let verdict = match (policy::read_dotted(version), min) {
        (Ok(v), Some(m)) if v < m => Verdict {
            status: Status::Outdated,
            reason: Reason::BelowMinimum,
        },
        (Ok(_), Some(_)) => Verdict {
            status: Status::Ok,
            reason: Reason::MeetsMinimum,
        },
        (Ok(_), None) => Verdict {
            status: Status::Ok,
            reason: Reason::NoMinimum,
        },
        (Err(r), _) => Verdict::unknown(r),
    };
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated => Some(t("cv.napcat_outdated").to_string()),
        Status::Unknown => Some(t("cv.napcat_unknown").to_string()),
    };
    report.components.push(Component {
        name: Name::Napcat,
        installed: version.map(|v| clip(v, MAX_SHOWN_JSON)),
        build: None,
        windows_equivalent: None,
        equivalents: None,
        minimum: min.map(|m| m.to_string()),
        minimum_build: None,
        status: verdict.status,
        reason: verdict.reason,
        advice,
        facts: Vec::new(),
        version_file: n.version_file.clone(),
        platform: None,
        minimum_foreign: false,
    });
    report.ok = report.components.iter().all(|c| c.status == Status::Ok);
    Ok(())
}

// ---- human text ---------------------------------------------------------------------------

fn min_failure(e: MinError) -> Failure {
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
    }
}

fn nothing_found(inst: &Installation) -> Failure {
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

fn platform_text(p: Platform) -> &'static str {
    match p {
        Platform::Windows => "Windows",
        Platform::Linux => "Linux",
        Platform::Macos => "macOS",
    }
}

fn name_text(n: Name) -> &'static str {
    match n {
        Name::Qq => "QQ",
        Name::Liteloader => "LiteLoaderQQNT",
        Name::Llonebot => "LLOneBot",
        Name::Napcat => "NapCat",
    }
}

fn status_text(s: Status) -> &'static str {
    match s {
        Status::Ok => t("cv.status_ok"),
        Status::Outdated => t("cv.status_outdated"),
        Status::Unknown => t("cv.status_unknown"),
    }
}

fn file_text(file: Option<&Path>, fallback_key: &str) -> String {
    file.map(|f| f.display().to_string())
        .unwrap_or_else(|| t(fallback_key).to_string())
}

fn qq_outdated_text(target: &str, platform: Platform) -> String {
    tf!(
        "cv.qq_outdated",
        target = target,
        url = policy::qq_download(platform)
    )
}

fn qq_unknown_text(
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

fn liteloader_outdated_text(qq_build: Option<u32>) -> String {
    tf!(
        "cv.ll_outdated",
        build = qq_build.unwrap_or(policy::LITELOADER_NEW_QQ_BUILD),
        min = policy::LITELOADER_MIN_FOR_NEW_QQ,
        url = policy::LITELOADER_RELEASES
    )
}

fn liteloader_unknown_text(
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

fn llonebot_outdated_text(min: Dotted) -> String {
    tf!("cv.lb_outdated", min = min, url = policy::LLONEBOT_RELEASES)
}

fn llonebot_unknown_text(
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

fn fact_text(c: &Component, f: &Fact) -> String {
    match f {
        Fact::NotInBuildTable => tf!("cv.fact_not_in_table", build = c.build.unwrap_or_default()),
        Fact::QqBuildUnknown => tf!(
            "cv.fact_qq_build_unknown",
            build = policy::LITELOADER_NEW_QQ_BUILD,
            min = policy::LITELOADER_MIN_FOR_NEW_QQ
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
    }
}

/// "build 29927 is Windows 9.9.16-29927 = Linux 3.2.13-29927 = macOS 6.9.61-29927".
fn equivalents_text(build: u32, e: &Equivalents) -> Option<String> {
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

fn installed_cell(c: &Component) -> String {
    let Some(v) = &c.installed else {
        return "-".to_string();
    };
    let mut cell = shown(v);
    if let (Some(p), Some(win)) = (c.platform, &c.windows_equivalent)
        && p != Platform::Windows
    {
        let _ = write!(cell, " (= Windows {win})");
    }
    cell
}

fn minimum_cell(c: &Component) -> String {
    match (&c.minimum, c.minimum_build) {
        (Some(_), Some(b)) if c.minimum_foreign => tf!("cv.build_n", build = b),
        (Some(m), _) => shown(m),
        (None, _) => "-".to_string(),
    }
}

fn not_found_text(n: Name) -> String {
    let how = match n {
        Name::Qq => "--qq-dir DIR",
        Name::Liteloader => "--ll-dir DIR, --profile DIR",
        Name::Llonebot => "--data-dir DIR, --profile DIR",
        Name::Napcat => "--napcat-dir DIR",
    };
    tf!("cv.component_not_found", name = name_text(n), how = how)
}

pub fn render(r: &Report, out: &Output) -> String {
    let mut s = String::new();
    let mut rows: Vec<Vec<String>> = vec![
        [
            "cv.col_component",
            "cv.col_installed",
            "cv.col_minimum",
            "cv.col_status",
        ]
        .iter()
        .map(|k| t(k).to_string())
        .collect(),
    ];
    for c in &r.components {
        rows.push(vec![
            name_text(c.name).to_string(),
            installed_cell(c),
            minimum_cell(c),
            status_text(c.status).to_string(),
        ]);
    }
    for (i, line) in crate::output::table(&rows, &[]).iter().enumerate() {
        if i == 0 {
            let _ = writeln!(s, "{}", out.paint(Tone::Bold, line));
            continue;
        }
        // Colour only the status word at the end, so the padding stays right.
        let c = &r.components[i - 1];
        let tone = match c.status {
            Status::Ok => Tone::Good,
            Status::Outdated => Tone::Bad,
            Status::Unknown => Tone::Warn,
        };
        let status = status_text(c.status);
        let head = line.strip_suffix(status).unwrap_or(line);
        let _ = writeln!(s, "{head}{}", out.paint(tone, status));
    }

    let todo: Vec<(&Component, &String)> = r
        .components
        .iter()
        .filter_map(|c| c.advice.as_ref().map(|a| (c, a)))
        .collect();
    if !todo.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("cv.what_to_do")));
        for (c, a) in todo {
            let _ = writeln!(s, "  {}: {a}", name_text(c.name));
        }
    }

    let mut notes: Vec<String> = Vec::new();
    for c in &r.components {
        if let (Some(b), Some(e)) = (c.build, &c.equivalents)
            && let Some(text) = equivalents_text(b, e)
        {
            notes.push(format!("{}: {text}", name_text(c.name)));
        }
        for f in &c.facts {
            notes.push(format!("{}: {}", name_text(c.name), fact_text(c, f)));
        }
    }
    for n in &r.not_found {
        notes.push(not_found_text(*n));
    }
    if !notes.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("cv.notes")));
        for n in notes {
            let _ = writeln!(s, "  {n}");
        }
    }

    if !r.warnings.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Warn, t("detect.warnings")));
        for w in &r.warnings {
            let _ = writeln!(s, "  {}: {}", w.path.display(), w.problem);
        }
    }

    let bad = r
        .components
        .iter()
        .filter(|c| c.status != Status::Ok)
        .count();
    let summary = if r.ok {
        out.paint(Tone::Good, &tf!("cv.all_ok", n = r.components.len()))
    } else {
        out.paint(
            Tone::Bad,
            &tf!("cv.need_attention", bad = bad, n = r.components.len()),
        )
    };
    let _ = writeln!(s, "\n{summary}");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{Account, LiteLoader, LlOneBot, Qq, Source};
    use crate::version::table;

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
            bots: Vec::new(),
            searched: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn report(i: &Installation) -> Report {
        let mins = Minimums::resolve(None, None, table()).expect("defaults");
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
            Some(qq(Some("3.2.13-29927"), Platform::Linux)),
            Some(ll(Some("1.2.2"))),
            Some(lb(Some("3.28.3"), &[])),
        );
        let r = report(&i);
        assert!(r.ok);
        let c = &r.components[0];
        assert_eq!(c.windows_equivalent.as_deref(), Some("9.9.16-29927"));
        assert_eq!(c.minimum.as_deref(), Some("3.2.12-26702"));
        let text = render(&r, &plain());
        assert!(
            text.contains("3.2.13-29927 (= Windows 9.9.16-29927)"),
            "{text}"
        );
        assert!(text.contains("All 3 components found meet"), "{text}");
    }

    #[test]
    fn outdated_qq_advice_uses_the_platforms_own_numbering() {
        let r = report(&inst(
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

        let r = report(&inst(
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
        let r = report(&i);
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
            text.contains("1 of 3 components found need attention"),
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
            Some(qq(Some("9.9.15-26702"), Platform::Windows)),
            None,
            None,
        );
        let v = serde_json::to_value(report(&i)).expect("serializes");
        let c = &v["components"][0];
        assert_eq!(c["name"], "qq");
        assert_eq!(c["status"], "ok");
        assert_eq!(c["build"], 26702);
        assert_eq!(c["minimum"], "9.9.15-26702");
        assert_eq!(c["windows_equivalent"], "9.9.15-26702");
        assert!(c["advice"].is_null());
        assert_eq!(v["ok"], true);
        assert_eq!(
            v["not_found"],
            serde_json::json!(["liteloader", "llonebot"])
        );
    }
}
