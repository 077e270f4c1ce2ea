//! What `clean` reports: the preview rows from the plan, then what happened to each entry.
//! Serialized as `clean --json`; rendered by `render.rs`.

use std::path::PathBuf;

use serde::Serialize;

use super::execute::{self, Action};
use super::plan::{Kind, Plan};
use crate::i18n::Msg;
use crate::time::iso_utc;

#[derive(Debug, Clone, Default, Serialize)]
pub struct QqState {
    pub was_running: bool,
    /// PIDs of QQ's processes found running before cleaning.
    pub pids: Vec<u32>,
    pub stopped: bool,
    /// PIDs that had to be force-killed after the timeout.
    pub killed: Vec<u32>,
    /// Each stopped main process started again: `{was_pid, pid}`.
    pub restarted: Vec<crate::process::RestartOutcome>,
    /// Each that could not be started, or exited at once: `{was_pid, error}`.
    pub restart_failed: Vec<crate::process::RestartOutcome>,
    /// The user's own stop command (`--stop-cmd`), when given, and how it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_cmd: Option<CommandRun>,
    /// The user's own start command (`--start-cmd`), when given, and how it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_cmd: Option<CommandRun>,
    /// Processes of the instance the stop command left running (then stopped as with
    /// `--stop-qq`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_by_stop_cmd: Vec<u32>,
}

impl QqState {
    /// Adds one instance's state to the run's.
    pub fn merge(&mut self, other: &QqState) {
        self.was_running |= other.was_running;
        self.pids.extend(&other.pids);
        self.stopped |= other.stopped;
        self.killed.extend(&other.killed);
        self.left_by_stop_cmd.extend(&other.left_by_stop_cmd);
        self.restarted.extend(other.restarted.iter().cloned());
        self.restart_failed
            .extend(other.restart_failed.iter().cloned());
        if self.stop_cmd.is_none() {
            self.stop_cmd = other.stop_cmd.clone();
        }
        if self.start_cmd.is_none() {
            self.start_cmd = other.start_cmd.clone();
        }
    }
}

/// A command of the user's, run through the shell.
#[derive(Debug, Clone, Serialize)]
pub struct CommandRun {
    pub command: String,
    /// `None` when it could not be started or was ended by a signal.
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CommandRun {
    pub fn ok(&self) -> bool {
        self.exit_code == Some(0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetReport {
    /// The instance the row is of (`llbot@/srv/bots/a`).
    pub instance: String,
    pub kind: Kind,
    /// The bot family the target belongs to (`llonebot`, `napcat`).
    pub bot: &'static str,
    pub uin: Option<String>,
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    /// Entries this row stands for (1 for a msg_* folder; the items of temp/).
    pub entries: usize,
    pub files: u64,
    pub bytes: u64,
    pub newest_mtime: Option<String>,
    #[serde(skip)]
    pub newest_secs: Option<u64>,
    /// The month folder (`2024-05`) of a row of QQ's cache, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// Folders of this row aged file by file (`--older-than`, QQ's cache): each with the
    /// files old enough that go and every file it holds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub swept: Vec<Swept>,
    pub action: Action,
    pub error: Option<String>,
    /// What of this row went, also when the rest of it failed (for the run log).
    #[serde(skip)]
    pub gone: Gone,
}

/// What of a row was removed (or moved to the trash).
#[derive(Debug, Clone, Default)]
pub struct Gone {
    /// Entries removed whole.
    pub entries: usize,
    /// Files (anything not a folder) removed, in whole and in partly removed entries.
    pub files: u64,
    /// Bytes of the entries removed whole.
    pub bytes: u64,
}

/// What became of one instance in this run.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceReport {
    pub id: String,
    /// The stack's name (`LLBot`, `NapCat`, `LLOneBot`, `QQ`).
    pub name: &'static str,
    /// What was stopped and started again: `QQ` for a bot inside QQ, else the stack (`LLBot`).
    pub program: &'static str,
    /// The user whose folders and processes these are (Unix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(serialize_with = "crate::output::path::many")]
    pub data_dirs: Vec<PathBuf>,
    /// Why it was left alone, when it was: nothing of it was stopped or removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skipped>,
    /// Its processes: running before, stopped, restarted.
    pub qq: QqState,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub error: Msg,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Msg>,
    pub exit_code: u8,
}

/// A folder aged file by file: `files` of its `of_files` files are old enough and go.
#[derive(Debug, Clone, Serialize)]
pub struct Swept {
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub files: u64,
    pub of_files: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataDir {
    pub bot: &'static str,
    /// The stack's name (`LLOneBot`, `LLBot`, `NapCat`), for the preview's heading.
    #[serde(skip)]
    pub name: &'static str,
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathError {
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    /// English in JSON and logs; the user's language on screen.
    pub error: Msg,
    /// For what could not be read inside a planned entry: that entry (still planned; the
    /// clean will likely fail there). Absent for what was left alone.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::output::path::opt"
    )]
    pub entry: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub files: u64,
    pub bytes: u64,
    pub freed_bytes: u64,
    pub failed: usize,
    /// Files (anything not a folder) actually removed or moved to the trash.
    pub removed_files: u64,
    /// Entries not reached because the run was interrupted (left in place).
    pub left: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CleanReport {
    pub dry_run: bool,
    #[serde(serialize_with = "crate::output::path::one")]
    pub data_dir: PathBuf,
    /// Every folder cleaned, with its bot (LLOneBot's data dir first; NapCat's folders after it).
    pub data_dirs: Vec<DataDir>,
    /// Every instance this run worked on, each with what became of it.
    pub instances: Vec<InstanceReport>,
    /// All instances' processes together (each instance's are in `instances`).
    pub qq: QqState,
    pub targets: Vec<TargetReport>,
    /// Entries that failed or were skipped at deletion time, with why.
    pub problems: Vec<PathError>,
    /// What could not be read while planning: entries left alone, then (with `entry`) parts
    /// of planned entries.
    pub unreadable: Vec<PathError>,
    /// Target folders (temp/, logs/, database/) that are links: not followed, left alone.
    #[serde(serialize_with = "crate::output::path::many")]
    pub linked: Vec<PathBuf>,
    pub totals: Totals,
    pub interrupted: bool,
}

pub(super) fn report_from_plan(plan: &Plan, dry_run: bool, qq: QqState) -> CleanReport {
    let targets: Vec<TargetReport> = plan
        .targets
        .iter()
        .map(|t| TargetReport {
            instance: String::new(),
            bot: crate::stack::by_id(t.kind.spec().stack).map_or("", |s| s.bot),
            kind: t.kind,
            uin: t.uin.clone(),
            path: t.path.clone(),
            entries: t.entries.len(),
            files: t.files(),
            bytes: t.bytes(),
            newest_mtime: t.newest().map(iso_utc),
            newest_secs: t.newest(),
            month: crate::qq_cache::month_of(t.kind, &t.path),
            swept: t
                .entries
                .iter()
                .filter_map(|e| {
                    e.sweep.map(|s| Swept {
                        path: e.path.clone(),
                        files: e.files,
                        of_files: s.of_files,
                    })
                })
                .collect(),
            action: Action::Planned,
            error: None,
            gone: Gone::default(),
        })
        .collect();
    let totals = Totals {
        files: targets.iter().map(|t| t.files).sum(),
        bytes: targets.iter().map(|t| t.bytes).sum(),
        freed_bytes: 0,
        failed: 0,
        removed_files: 0,
        left: 0,
    };
    CleanReport {
        dry_run,
        data_dir: plan.data_dir.clone(),
        data_dirs: Vec::new(),
        instances: Vec::new(),
        qq,
        targets,
        problems: Vec::new(),
        unreadable: plan
            .unreadable
            .iter()
            .map(|(p, e)| PathError {
                path: p.clone(),
                error: Msg::raw(e.clone()),
                entry: None,
            })
            .chain(plan.unreadable_inside.iter().map(|u| PathError {
                path: u.path.clone(),
                error: u.error.clone(),
                entry: Some(u.entry.clone()),
            }))
            .collect(),
        linked: Vec::new(),
        totals,
        interrupted: false,
    }
}

pub(super) fn apply_outcomes(report: &mut CleanReport, done: &execute::Executed) {
    for (t, outcomes) in report.targets.iter_mut().zip(&done.outcomes) {
        let removed = outcomes
            .iter()
            .filter(|o| matches!(o.action, Action::Deleted | Action::Trashed))
            .count();
        let failed = outcomes
            .iter()
            .filter(|o| o.action == Action::Failed)
            .count();
        for o in outcomes {
            report.totals.removed_files += o.removed;
            t.gone.files += o.removed;
            if matches!(o.action, Action::Deleted | Action::Trashed) {
                t.gone.entries += 1;
                t.gone.bytes += o.bytes;
                report.totals.freed_bytes += o.bytes;
            } else if o.action == Action::Skipped {
                // Not reached: counted, not listed one by one.
                report.totals.left += 1;
            } else if let Some(e) = &o.error {
                report.problems.push(PathError {
                    path: o.path.clone(),
                    error: e.clone(),
                    entry: None,
                });
            }
        }
        report.totals.failed += failed;
        t.action = if failed > 0 {
            Action::Failed
        } else if removed == 0 {
            Action::Skipped
        } else {
            outcomes
                .iter()
                .find(|o| matches!(o.action, Action::Deleted | Action::Trashed))
                .map(|o| o.action)
                .unwrap_or(Action::Deleted)
        };
        let not_removed = outcomes.len() - removed;
        if not_removed > 0 {
            // JSON text: English, like every JSON field.
            let first = outcomes
                .iter()
                .find_map(|o| o.error.as_ref().map(|m| m.render(crate::i18n::Lang::En)))
                .unwrap_or_default();
            t.error = Some(format!(
                "{not_removed} of {} entries not removed: {first}",
                outcomes.len()
            ));
        }
    }
}
