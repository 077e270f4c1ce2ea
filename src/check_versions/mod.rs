//! `llob-doctor check-versions`: the installed QQ, LiteLoaderQQNT and LLOneBot against two
//! rules. The minimums users ask for (QQ 9.9.15 = build 26702 on every platform, LLOneBot
//! 3.28.3, LiteLoaderQQNT's own minimum for the QQ build), and Tencent's login floor (the
//! oldest build that can still log in, from `data/login-floor.json`), which `--min-qq` never
//! lowers. Each verdict names the rule that decided it.
//!
//! Only what discovery found is checked. A component that was found but whose version cannot be
//! read is `unknown`, which fails the check like `outdated` does: never a silent pass.
//!
//! Jobs: this file holds the report's shape and its assembly; `components` turns discovery
//! into verdicts; `text` holds every human sentence; `render` lays out the table.

mod components;
mod llbot;
mod napcat;
pub mod path;
pub mod pmhq_log;
mod render;
#[cfg(test)]
mod tests;
mod text;

use std::path::PathBuf;

use serde::Serialize;

use crate::app::App;
use crate::cli::CheckVersionsArgs;
use crate::discover::{Installation, StagedUpdate, Warning};
use crate::env::Platform;
use crate::exit::Exit;
use crate::policy::{FloorOrigin, Minimums, Reason, Rule, Status};
use crate::version::{self, BuildTable, Dotted};

pub use render::render;
pub use text::{name_text, status_text};

pub fn run(app: &App, args: &CheckVersionsArgs) -> anyhow::Result<Exit> {
    let table = version::table();
    // Bad flags are refused before anything is read.
    let mins = Minimums::resolve(args.min_qq.as_deref(), args.min_llonebot.as_deref(), table)
        .and_then(|m| m.with_login_floor(args.login_floor.as_deref(), table))
        .map_err(text::min_failure)?;
    let min_napcat = napcat::min_napcat(args.min_napcat.as_deref())?;
    let inst = app.discover()?;
    let report = build_report_with(&inst, &mins, min_napcat, table);
    if report.components.is_empty() {
        return Err(text::nothing_found(&inst).into());
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
    Llbot,
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
    MsgLeftovers {
        #[serde(serialize_with = "crate::output::path::many")]
        folders: Vec<PathBuf>,
    },
    /// LLOneBot 5.0+ runs standalone, without LiteLoaderQQNT.
    RunsStandalone,
    /// QQ runs from a hot-update copy, not from the install folder (macOS `QQUpdate.app`,
    /// Windows `versions\<ver>\`): its version and hook are read from there.
    RunsHotUpdate { app: PathBuf },
    /// LiteLoaderQQNT's line gets no more releases (the newest is `latest`).
    UnmaintainedLine { latest: String, date: String },
    /// LiteLoaderQQNT's profile is the QwQNT framework's (`<QwQNT data>/LiteLoader`).
    QwqntProfile,
    /// QQ applies `version` at its next start (see the row's `staged_update`); `breaks` names
    /// the bots found that do not support it.
    StagedUpdate {
        version: String,
        breaks: Vec<Name>,
        #[serde(serialize_with = "crate::output::path::opt")]
        folder: Option<PathBuf>,
    },
    /// NapCat's table of QQ builds: how many it lists, the newest for this platform.
    NapcatTable {
        entries: usize,
        newest: Option<String>,
    },
    /// NapCat's table of QQ builds was not found in `napcat.mjs`.
    NapcatTableUnread,
    /// PMHQ's output says it found no offsets for a QQ build.
    PmhqOffsets { missing: pmhq_log::OffsetsMissing },
    /// The LLOneBot plugin line ended; LiteLoaderQQNT is reportedly archived.
    PluginArchived,
}

/// QQ's staged update, and which bots found cannot run it.
#[derive(Debug, Clone, Serialize)]
pub struct StagedCheck {
    #[serde(flatten)]
    pub update: StagedUpdate,
    /// The bots found that do not support the staged build (`napcat`: not in its table;
    /// `liteloader`: below its minimum for that build; `llbot`: PMHQ had no offsets for it).
    pub breaks: Vec<Name>,
}

/// Tencent's login floor as checked for QQ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FloorCheck {
    /// The first build Tencent still lets log in.
    pub build: u32,
    /// The floor in this platform's numbering, when the table knows it.
    pub version: Option<String>,
    /// The date by which the refusal was seen (`null` for `--login-floor`).
    pub since: Option<String>,
    pub source: Option<String>,
    /// `table` (built in) or `flag` (`--login-floor`).
    pub origin: FloorOrigin,
    /// Does Tencent refuse the installed build? `null` when its build is unknown.
    pub refused: Option<bool>,
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
    /// The rule that decided the status: `minimum`, `login_floor` or `liteloader_for_qq`
    /// (`null` when none applies or the version could not be read).
    pub rule: Option<Rule>,
    /// QQ: Tencent's login floor and whether this build is below it.
    pub login_floor: Option<FloorCheck>,
    /// What to install, in this platform's own numbering, when the status is `outdated` or
    /// `refused`.
    pub install: Option<String>,
    /// What to do, when the status is not `ok`.
    pub advice: Option<String>,
    pub facts: Vec<Fact>,
    /// QQ: an update QQ applies at its next start (`readyVersion`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staged_update: Option<StagedCheck>,
    /// The file the version was (or should have been) read from.
    #[serde(serialize_with = "crate::output::path::opt")]
    pub version_file: Option<PathBuf>,
    /// QQ: the platform whose numbering `installed` is in.
    #[serde(skip)]
    pub platform: Option<Platform>,
    /// QQ: `minimum` is in another platform's numbering (the table lacks that build for this
    /// one, e.g. 26702 on macOS); humans are shown the build instead.
    #[serde(skip)]
    pub minimum_foreign: bool,
}

impl Component {
    /// QQ below the login floor: only what to install, for a finding whose message already
    /// says why (the `advice` says both).
    pub fn install_advice(&self) -> Option<String> {
        Some(text::qq_outdated_text(
            self.install.as_deref()?,
            self.platform?,
        ))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub components: Vec<Component>,
    /// Components not found at all (so not checked).
    pub not_found: Vec<Name>,
    /// Files that were there but could not be used.
    pub warnings: Vec<Warning>,
    /// The one upgrade path: the QQ to run and the steps, in order.
    pub path: path::UpgradePath,
    /// Every component found meets its minimum, QQ the login floor, the bots support the QQ
    /// build, and no bot found breaks on QQ's staged update.
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
    build_report_with(inst, mins, None, table)
}

/// [`build_report`], with NapCat judged against `--min-napcat` too.
pub fn build_report_with(
    inst: &Installation,
    mins: &Minimums,
    min_napcat: Option<Dotted>,
    table: &BuildTable,
) -> Report {
    let mut components = Vec::new();
    let mut not_found = Vec::new();

    // LLBot runs without LiteLoaderQQNT, and in 8.x's headless mode without QQ: rows only for
    // what the stack found uses.
    // A bare data dir (`--data-dir` of a standalone LLOneBot, no program found) keeps the
    // LLOneBot row, whose advice says how to ask the running bot for its version.
    let llbot = inst.llbot().filter(|b| b.install.is_some());
    let plugin = inst.llonebot.as_ref().is_some_and(|l| !l.standalone);
    let headless = llbot.is_some_and(|b| b.mode == Some(crate::discover::Mode::Headless));
    // What PMHQ said, for an LLBot that drives QQ (or may: its mode unknown).
    let offsets = llbot
        .filter(|_| !headless)
        .and_then(pmhq_log::offsets_missing);
    let facts = path::Facts::of(inst, offsets.as_ref(), llbot.is_some() && !headless);
    // The QQ to run, chosen once; every row's advice follows from it.
    let target = path::target(&facts, mins, table);
    let qq = components::qq(inst, mins, table, target.as_ref(), &facts);
    let qq_found = qq.is_some();
    let qq_build = qq.as_ref().and_then(|c| c.build);
    match qq {
        Some(c) => components.push(c),
        None if headless && !plugin => {}
        None => not_found.push(Name::Qq),
    }
    // LiteLoaderQQNT and the plugin are missing only for a plugin user (or when no bot at all,
    // or only LLOneBot's bare data folder, was found): LLBot and NapCat run without them.
    let plugin_rows =
        plugin || (llbot.is_none() && (inst.napcat.is_none() || inst.llonebot.is_some()));
    if plugin_rows {
        match components::liteloader(inst, qq_build, qq_found) {
            Some(c) => components.push(c),
            None => not_found.push(Name::Liteloader),
        }
        match components::llonebot(inst, mins.llonebot) {
            Some(c) => components.push(c),
            None => not_found.push(Name::Llonebot),
        }
    }
    if let Some(b) = llbot {
        components.push(llbot::llbot(b, mins.llonebot, offsets.as_ref(), qq_build));
    }
    if let Some(n) = &inst.napcat {
        components.push(napcat::napcat(n, min_napcat, &facts, target.as_ref()));
    }
    let path = path::plan(&facts, target.as_ref(), &components, mins.llonebot);
    finish(inst, components, not_found, path)
}

/// Puts the report together: the path's words become the advice of the rows it covers.
fn finish(
    inst: &Installation,
    mut components: Vec<Component>,
    not_found: Vec<Name>,
    path: path::UpgradePath,
) -> Report {
    if path.moves_from.is_some() {
        for c in components
            .iter_mut()
            .filter(|c| matches!(c.name, Name::Liteloader | Name::Llonebot))
            .filter(|c| matches!(c.status, Status::Outdated | Status::Refused))
        {
            c.advice = Some(text::move_to_llbot_text());
        }
    }
    let staged_ok = components
        .iter()
        .filter_map(|c| c.staged_update.as_ref())
        .all(|s| s.breaks.is_empty());
    let ok =
        !components.is_empty() && components.iter().all(|c| c.status == Status::Ok) && staged_ok;
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
        path,
        ok,
    }
}

/// QQ's staged update with the bots it breaks, for the QQ row.
fn staged_check(facts: &path::Facts, s: &StagedUpdate) -> StagedCheck {
    StagedCheck {
        update: s.clone(),
        breaks: path::staged_breaks(facts, s),
    }
}
