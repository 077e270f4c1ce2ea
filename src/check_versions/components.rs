//! Discovery → one [`Component`] per found part, each with its verdict, facts and advice.

use std::path::{Path, PathBuf};

use super::path::{Facts, QqTarget};
use super::text;
use super::{Component, Equivalents, Fact, FloorCheck, MAX_SHOWN_JSON, Name, clip};
use crate::discover::{self, Installation, Outcome, What};
use crate::policy::{self, Minimums, Reason, Status, Verdict, liteloader as ll_rules};
use crate::version::{BuildTable, Dotted};

pub(super) fn qq(
    inst: &Installation,
    mins: &Minimums,
    table: &BuildTable,
    target: Option<&QqTarget>,
    facts_in: &Facts,
) -> Option<Component> {
    let q = inst.qq.as_ref()?;
    let platform = q.platform;
    let (build, verdict) = match policy::qq_build(q.version.as_deref(), q.build) {
        Ok(b) => (
            Some(b),
            policy::judge_qq(b, &mins.qq, mins.login_floor.as_ref()),
        ),
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
    if let Some(app) = &q.hot_update {
        facts.push(Fact::RunsHotUpdate { app: app.clone() });
    }
    let staged_update = q
        .staged_update
        .as_ref()
        .map(|s| super::staged_check(facts_in, s));
    if let Some(s) = &staged_update {
        facts.push(Fact::StagedUpdate {
            version: s.update.version.clone(),
            breaks: s.breaks.clone(),
            folder: s.update.folder.clone(),
        });
    }
    let login_floor = mins.login_floor.as_ref().map(|f| FloorCheck {
        build: f.build,
        version: table
            .get(f.build)
            .and_then(|e| e.version_for(platform))
            .map(str::to_string),
        since: f.since.clone(),
        source: f.source.clone(),
        origin: f.origin,
        refused: build.map(|b| f.refuses(b)),
    });
    let own = mins.qq.own_numbering(platform, table);
    let minimum_foreign = own.is_none();
    let minimum = own.unwrap_or_else(|| mins.qq.text.clone());
    let mut install = None;
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated | Status::Refused | Status::Unsupported => {
            // The path's target: at or above both bars, in this platform's own numbering, and
            // a version the bot found supports.
            let floor = mins.login_floor.as_ref().map_or(0, |f| f.build);
            let bar = mins.qq.build.max(floor);
            let exact = target.is_some_and(|t| t.exact);
            let target = target
                .filter(|t| !t.keep)
                .and_then(|t| t.version.clone())
                .or_else(|| {
                    table
                        .first_for_platform_from(platform, bar)
                        .map(str::to_string)
                })
                .unwrap_or_else(|| {
                    if bar == mins.qq.build {
                        minimum.clone()
                    } else {
                        text::build_text(bar)
                    }
                });
            install = Some(target.clone());
            let refused = login_floor
                .as_ref()
                .filter(|_| verdict.status == Status::Refused);
            let how = match facts_in.napcat {
                Some(n) if exact => text::InstallWhy::NapcatLists(n.version.as_deref()),
                _ => text::InstallWhy::Plain,
            };
            Some(text::install_qq_step_text(&target, platform, how, refused))
        }
        Status::Unknown => Some(text::qq_unknown_text(
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
        rule: verdict.rule,
        login_floor,
        install,
        advice,
        facts,
        staged_update,
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

pub(super) fn liteloader(
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
    if let Some(v) = version.and_then(|v| Dotted::parse(v).ok())
        && !ll_rules::line_maintained(v)
    {
        facts.push(Fact::UnmaintainedLine {
            latest: ll_rules::LL_LATEST.to_string(),
            date: ll_rules::LL_LATEST_DATE.to_string(),
        });
    }
    if inst
        .liteloader
        .as_ref()
        .is_some_and(|l| l.profile_source == discover::Source::Qwqnt)
    {
        facts.push(Fact::QwqntProfile);
    }
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated | Status::Refused | Status::Unsupported => Some(match verdict.reason {
            Reason::DroppedQqBuild => text::liteloader_dropped_text(version, qq_build),
            _ => text::liteloader_outdated_text(qq_build),
        }),
        Status::Unknown => Some(text::liteloader_unknown_text(
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
        rule: verdict.rule,
        login_floor: None,
        install: match verdict.reason {
            Reason::IncompatibleWithQq => {
                policy::liteloader_minimum(qq_build).map(|m| m.to_string())
            }
            _ => None,
        },
        advice,
        facts,
        staged_update: None,
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

pub(super) fn llonebot(inst: &Installation, min: Dotted) -> Option<Component> {
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
    } else if inst
        .llonebot
        .as_ref()
        .is_some_and(|l| l.plugin_dir.is_some())
    {
        facts.push(Fact::PluginArchived);
    }

    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated | Status::Refused | Status::Unsupported => {
            Some(text::llonebot_outdated_text(min))
        }
        Status::Unknown => Some(text::llonebot_unknown_text(
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
        rule: verdict.rule,
        login_floor: None,
        install: (verdict.status == Status::Outdated).then(|| min.to_string()),
        advice,
        facts,
        staged_update: None,
        version_file: file,
        platform: None,
        minimum_foreign: false,
    })
}
