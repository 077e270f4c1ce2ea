//! One upgrade path, not three: the QQ build to run is chosen once (at or above the login floor
//! and the minimum, and one the bot that will run supports), then each component follows from
//! that build, then the steps are put in the order they must be done. Every advice of the
//! report is written from this one target, so no two lines contradict each other.

use std::path::PathBuf;

use serde::Serialize;

use super::pmhq_log::OffsetsMissing;
use super::{Component, Name, text};
use crate::discover::{Installation, NapCat, StagedUpdate};
use crate::env::Platform;
use crate::policy::support::{NapcatSupport, OffsetsCause, napcat_best_from, napcat_support};
use crate::policy::{self, Minimums, Status, liteloader as ll_rules};
use crate::version::{BuildTable, Dotted, QqVersion};

/// The QQ to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QqTarget {
    pub build: u32,
    /// In this platform's numbering, when known.
    pub version: Option<String>,
    /// The installed QQ is the one to run: nothing to install.
    pub keep: bool,
    /// The bot needs this very version (NapCat matches its table by the whole string); else
    /// this one "or newer".
    pub exact: bool,
}

/// What one step is about (the words are in `text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Stop QQ from switching to the update it staged: remove `folder`, clear `readyVersion`.
    KeepCurrentQq {
        staged: String,
        #[serde(serialize_with = "crate::output::path::opt")]
        folder: Option<PathBuf>,
        #[serde(serialize_with = "crate::output::path::one")]
        config: PathBuf,
    },
    /// Leave the LiteLoaderQQNT plugin for LLBot.
    MoveToLlbot,
    UpdateNapcat,
    /// LLBot (its PMHQ) has no offsets for the QQ build yet.
    UpdateLlbot {
        build: u32,
    },
    /// PMHQ could not reach its offsets server.
    ReachOffsetsServer {
        build: u32,
    },
    UpgradeLlbot {
        min: String,
    },
    InstallQq {
        version: String,
    },
    UpgradeLiteloader {
        min: String,
    },
    UpgradeLlonebot {
        min: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct PathStep {
    #[serde(flatten)]
    pub step: Step,
    /// The component the step is about.
    pub component: Name,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpgradePath {
    /// The bot that will run: the one found, or `llbot` for a LiteLoaderQQNT plugin user.
    pub bot: Option<Name>,
    /// The bot it moves from (`llonebot`: the LiteLoaderQQNT plugin).
    pub moves_from: Option<Name>,
    /// The QQ to run (`null` when no QQ was found, or its build is unknown).
    pub qq: Option<QqTarget>,
    /// In the order to do them; empty when nothing needs doing.
    pub steps: Vec<PathStep>,
}

/// What the path is computed from.
pub(super) struct Facts<'a> {
    pub platform: Platform,
    pub qq_version: Option<&'a str>,
    pub qq_build: Option<u32>,
    pub staged: Option<&'a StagedUpdate>,
    pub napcat: Option<&'a NapCat>,
    /// The LiteLoaderQQNT plugin is in use.
    pub plugin: bool,
    pub liteloader: Option<Dotted>,
    /// LLBot in PMHQ mode (or a mode unknown), with what PMHQ's output says.
    pub pmhq: Option<Option<&'a OffsetsMissing>>,
}

impl<'a> Facts<'a> {
    pub fn of(
        inst: &'a Installation,
        offsets: Option<&'a OffsetsMissing>,
        llbot_pmhq: bool,
    ) -> Facts<'a> {
        let q = inst.qq.as_ref();
        Facts {
            platform: q.map_or(inst.platform, |q| q.platform),
            qq_version: q.and_then(|q| q.version.as_deref()),
            qq_build: q.and_then(|q| crate::policy::qq_build(q.version.as_deref(), q.build).ok()),
            staged: q.and_then(|q| q.staged_update.as_ref()),
            napcat: inst.napcat.as_ref(),
            plugin: inst.llonebot.as_ref().is_some_and(|l| !l.standalone),
            liteloader: inst
                .liteloader
                .as_ref()
                .and_then(|l| l.version.as_deref())
                .and_then(|v| Dotted::parse(v).ok()),
            pmhq: llbot_pmhq.then_some(offsets),
        }
    }

    fn napcat_table(&self) -> Option<&'a [String]> {
        self.napcat?
            .qq_table
            .as_ref()
            .map(|t| t.versions.as_slice())
    }

    fn offsets_missing_for(&self, build: u32) -> bool {
        self.pmhq.flatten().is_some_and(|m| m.build == build)
    }
}

/// The bar QQ must reach: the minimum and the login floor, the higher.
fn bar(mins: &Minimums) -> u32 {
    mins.qq
        .build
        .max(mins.login_floor.as_ref().map_or(0, |f| f.build))
}

/// The QQ to run, chosen once.
pub(super) fn target(facts: &Facts, mins: &Minimums, table: &BuildTable) -> Option<QqTarget> {
    let cur = facts.qq_build?;
    let bar = bar(mins);
    let napcat = facts.napcat_table();
    let listed =
        |v: &str| napcat.is_none_or(|t| napcat_support(t, v) == Some(NapcatSupport::Listed));
    let installed_ok =
        cur >= bar && facts.qq_version.is_some_and(listed) && !facts.offsets_missing_for(cur);
    let here = |b: u32| table.get(b).and_then(|e| e.version_for(facts.platform));
    if installed_ok || (cur >= bar && napcat.is_none()) {
        return Some(QqTarget {
            build: cur,
            version: facts.qq_version.map(str::to_string),
            keep: true,
            exact: false,
        });
    }
    if let Some(t) = napcat {
        let real = |s: &str| {
            QqVersion::parse(s)
                .ok()
                .and_then(|q| here(q.build?))
                .is_some_and(|h| h == s)
        };
        if let Some(best) = napcat_best_from(t, facts.platform, bar, real) {
            let build = QqVersion::parse(&best).ok().and_then(|q| q.build)?;
            return Some(QqTarget {
                keep: build == cur,
                build,
                version: Some(best),
                exact: true,
            });
        }
    }
    Some(QqTarget {
        build: bar,
        version: table
            .first_for_platform_from(facts.platform, bar)
            .map(str::to_string),
        keep: false,
        exact: false,
    })
}

/// Can a bot found run the staged update? `Some(name)` for the first that cannot.
pub(super) fn staged_breaks(facts: &Facts, s: &StagedUpdate) -> Vec<Name> {
    let mut out = Vec::new();
    if let Some(t) = facts.napcat_table()
        && napcat_support(t, &s.version).is_some_and(|x| x != NapcatSupport::Listed)
    {
        out.push(Name::Napcat);
    }
    if facts.plugin
        && let (Some(ll), Some(b)) = (facts.liteloader, s.build)
        && ll_rules::minimum_for(b).is_some_and(|m| ll < m.min)
    {
        out.push(Name::Liteloader);
    }
    if let Some(b) = s.build
        && facts.offsets_missing_for(b)
    {
        out.push(Name::Llbot);
    }
    out
}

fn push(steps: &mut Vec<PathStep>, step: Step, component: Name, text: String) {
    if !steps.iter().any(|s| s.step == step) {
        steps.push(PathStep {
            step,
            component,
            text,
        });
    }
}

/// The steps, in order: keep QQ from updating, change the bot, then QQ, then what depends on
/// QQ's build.
pub(super) fn plan(
    facts: &Facts,
    target: Option<&QqTarget>,
    components: &[Component],
    min_llonebot: Dotted,
) -> UpgradePath {
    let row = |n: Name| components.iter().find(|c| c.name == n);
    let mut steps = Vec::new();
    let qq_moves = target.is_some_and(|t| !t.keep);
    // The plugin line is archived: when QQ must move past every build it was released for,
    // the path leads to LLBot.
    let moves = facts.plugin
        && target.is_some_and(|t| !t.keep && t.build > policy::LLONEBOT_PLUGIN_LAST_QQ_BUILD);
    if let Some(s) = facts.staged
        && !staged_breaks(facts, s).is_empty()
        && !qq_moves
    {
        let names: Vec<&str> = staged_breaks(facts, s)
            .into_iter()
            .map(text::name_text)
            .collect();
        push(
            &mut steps,
            Step::KeepCurrentQq {
                staged: s.version.clone(),
                folder: s.folder.clone(),
                config: s.config.clone(),
            },
            Name::Qq,
            text::keep_current_text(s, &names.join(", ")),
        );
    }
    if moves {
        push(
            &mut steps,
            Step::MoveToLlbot,
            Name::Llonebot,
            text::move_to_llbot_text(),
        );
    }
    let support = facts
        .napcat_table()
        .zip(facts.qq_version)
        .and_then(|(t, v)| napcat_support(t, v));
    let newer = support == Some(NapcatSupport::Newer);
    if let Some(n) = facts.napcat {
        // NapCat lists nothing at or above the bar: only a newer NapCat can run such a QQ.
        let knows_nothing_new = n.qq_table.is_some() && target.is_some_and(|t| !t.keep && !t.exact);
        let outdated = row(Name::Napcat).is_some_and(|c| c.status == Status::Outdated);
        if newer || knows_nothing_new || outdated {
            push(
                &mut steps,
                Step::UpdateNapcat,
                Name::Napcat,
                text::update_napcat_text(facts.qq_version.filter(|_| newer).map(|v| {
                    (
                        v,
                        n.version.as_deref(),
                        n.qq_table
                            .as_ref()
                            .and_then(|t| t.newest_for(facts.platform)),
                    )
                })),
            );
        }
    }
    if let Some(Some(m)) = facts.pmhq
        && facts.qq_build.is_none_or(|b| b == m.build)
    {
        let (step, t) = match m.cause {
            OffsetsCause::Unreachable => (
                Step::ReachOffsetsServer { build: m.build },
                text::reach_offsets_text(m),
            ),
            _ => (
                Step::UpdateLlbot { build: m.build },
                text::update_llbot_offsets_text(m.build),
            ),
        };
        push(&mut steps, step, Name::Llbot, t);
    }
    if row(Name::Llbot).is_some_and(|c| c.status == Status::Outdated) {
        push(
            &mut steps,
            Step::UpgradeLlbot {
                min: min_llonebot.to_string(),
            },
            Name::Llbot,
            text::llonebot_outdated_text(min_llonebot),
        );
    }
    if let Some(t) = target.filter(|t| !t.keep) {
        let version = t
            .version
            .clone()
            .unwrap_or_else(|| text::build_text(t.build));
        let refused = row(Name::Qq)
            .filter(|c| c.status == Status::Refused)
            .and_then(|c| c.login_floor.as_ref());
        let how = if moves {
            text::InstallWhy::ForLlbotWithQq
        } else if newer {
            text::InstallWhy::IfNapcatStillLacks(facts.qq_version.unwrap_or("?"))
        } else if t.exact {
            text::InstallWhy::NapcatLists(facts.napcat.and_then(|n| n.version.as_deref()))
        } else {
            text::InstallWhy::Plain
        };
        push(
            &mut steps,
            Step::InstallQq {
                version: version.clone(),
            },
            Name::Qq,
            text::install_qq_step_text(&version, facts.platform, how, refused),
        );
    }
    if !moves && facts.plugin {
        // Staying on the plugin: LiteLoaderQQNT and LLOneBot for the QQ that will run.
        let build = target.map(|t| t.build).or(facts.qq_build);
        if let (Some(b), Some(ll)) = (build, facts.liteloader)
            && let Some(m) = ll_rules::minimum_for(b).filter(|m| ll < m.min)
        {
            push(
                &mut steps,
                Step::UpgradeLiteloader {
                    min: m.min.to_string(),
                },
                Name::Liteloader,
                text::liteloader_outdated_text(Some(b)),
            );
        }
        if row(Name::Llonebot).is_some_and(|c| c.status == Status::Outdated) {
            push(
                &mut steps,
                Step::UpgradeLlonebot {
                    min: min_llonebot.to_string(),
                },
                Name::Llonebot,
                text::llonebot_outdated_text(min_llonebot),
            );
        }
    }
    let bot = if moves {
        Some(Name::Llbot)
    } else if facts.plugin {
        Some(Name::Llonebot)
    } else if facts.pmhq.is_some() || row(Name::Llbot).is_some() {
        Some(Name::Llbot)
    } else if facts.napcat.is_some() {
        Some(Name::Napcat)
    } else {
        None
    };
    UpgradePath {
        bot,
        moves_from: moves.then_some(Name::Llonebot),
        qq: target.cloned(),
        steps,
    }
}
