//! `stats` per bot instance: each instance's logs are read on their own (a timeout in one bot's
//! log never pairs with an error line of another's), each gives a report, and the whole is their
//! sum (`merge.rs`). The JSON gains `instances` (one row per bot), the text a "Per bot" table.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::StatsReport;
use super::files::{LogFile, logs_in_folders};
use super::report::rate;
use crate::discover::Installation;
use crate::i18n::t;
use crate::output::{Output, Tone};

/// The logs of one bot instance (or of the paths given on the command line).
#[derive(Debug, Clone)]
pub struct Group {
    /// The instance's id (`llbot@/srv/bots/a`); `logs@<path>` for paths given.
    pub id: String,
    /// The instance's stack (`llonebot_plugin`, `llbot`, `napcat`); `logs` for paths given.
    pub stack: &'static str,
    /// Its accounts (from its configs), whatever its logs name.
    pub accounts: Vec<String>,
    pub folders: Vec<PathBuf>,
    pub files: Vec<LogFile>,
}

impl Group {
    /// Its only account, when it has exactly one.
    pub fn uin(&self) -> Option<&str> {
        match self.accounts.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        }
    }
}

/// One group per instance with a data folder, in discovery's order, from [`super::log_folders`].
pub fn groups(inst: &Installation) -> Vec<Group> {
    let folders = super::log_folders(inst);
    let mut out: Vec<Group> = Vec::new();
    for f in folders {
        let id = f.instance.clone().unwrap_or_default();
        let i = match out.iter().position(|g| g.id == id) {
            Some(i) => i,
            None => {
                let found = inst.instances.iter().find(|x| x.id == id);
                out.push(Group {
                    id: id.clone(),
                    stack: found.map_or("logs", |x| x.stack),
                    accounts: found
                        .map(|x| x.accounts.iter().map(|a| a.uin.clone()).collect())
                        .unwrap_or_default(),
                    folders: Vec::new(),
                    files: Vec::new(),
                });
                out.len() - 1
            }
        };
        let g = &mut out[i];
        g.files.extend(logs_in_folders(std::slice::from_ref(&f)));
        g.folders.push(f.path);
    }
    out
}

/// The paths given on the command line, as one group named after the first.
pub fn given(searched: Vec<PathBuf>, files: Vec<LogFile>) -> Group {
    let first = searched
        .first()
        .map(|p| crate::winpath::plain(p).to_string_lossy().into_owned())
        .unwrap_or_default();
    Group {
        id: format!("logs@{first}"),
        stack: "logs",
        accounts: Vec::new(),
        folders: searched,
        files,
    }
}

/// One bot's row: `stats --json`'s `instances[]`.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceStats {
    pub id: String,
    pub stack: &'static str,
    /// Its only account, when it has one.
    pub uin: Option<String>,
    /// Its logs were read (false: none there, or none readable: then `error` says which).
    pub read: bool,
    pub error: Option<String>,
    pub files: usize,
    pub lines: u64,
    pub sends: u64,
    pub timeouts: u64,
    pub timeouts_delivered: u64,
    pub timeouts_unconfirmed: u64,
    pub errors: u64,
    pub timeout_rate: Option<f64>,
    pub logs_end: Option<String>,
    pub window_seconds: Option<u64>,
    #[serde(serialize_with = "crate::output::path::many")]
    pub searched: Vec<PathBuf>,
}

impl InstanceStats {
    pub fn of(g: &Group, r: Result<&StatsReport, String>) -> InstanceStats {
        let mut row = InstanceStats {
            id: g.id.clone(),
            stack: g.stack,
            uin: g.uin().map(str::to_string),
            read: false,
            error: None,
            files: 0,
            lines: 0,
            sends: 0,
            timeouts: 0,
            timeouts_delivered: 0,
            timeouts_unconfirmed: 0,
            errors: 0,
            timeout_rate: None,
            logs_end: None,
            window_seconds: None,
            searched: g.folders.clone(),
        };
        match r {
            Ok(r) => {
                row.read = true;
                row.files = r.files.len();
                row.lines = r.lines;
                row.sends = r.sends;
                row.timeouts = r.timeouts;
                row.timeouts_delivered = r.timeouts_delivered;
                row.timeouts_unconfirmed = r.timeouts_unconfirmed;
                row.errors = r.errors;
                row.timeout_rate = rate(r.timeouts, r.sends);
                row.logs_end = r.logs_end.clone();
                row.window_seconds = r.window_seconds;
            }
            Err(e) => row.error = Some(e),
        }
        row
    }
}

/// `stats --json`: the report of every bot's logs together, and each bot's row.
#[derive(Debug, Serialize)]
pub struct WithInstances<'a> {
    #[serde(flatten)]
    pub report: &'a StatsReport,
    pub instances: &'a [InstanceStats],
}

/// The "Per bot" table, when more than one bot's logs were read or one could not be.
pub fn render(rows: &[InstanceStats], out: &Output) -> String {
    let mut s = String::new();
    if rows.len() < 2 && rows.iter().all(|r| r.read) {
        return s;
    }
    let _ = writeln!(s, "{}", out.paint(Tone::Bold, t("stats.by_bot")));
    let mut table = vec![vec![
        t("stats.col_bot").to_string(),
        t("stats.col_sends").to_string(),
        t("stats.col_timeouts").to_string(),
        t("stats.col_delivered").to_string(),
        t("stats.col_errors").to_string(),
        t("stats.col_rate").to_string(),
    ]];
    let mut unread = Vec::new();
    for r in rows {
        let id = crate::clean::guard::escape(&r.id);
        if !r.read {
            let why = crate::clean::guard::escape(r.error.as_deref().unwrap_or_default());
            unread.push(format!("{id}: {why}"));
            table.push(vec![
                id,
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ]);
            continue;
        }
        table.push(vec![
            id,
            r.sends.to_string(),
            r.timeouts.to_string(),
            r.timeouts_delivered.to_string(),
            r.errors.to_string(),
            r.timeout_rate
                .map_or_else(|| "-".to_string(), |x| format!("{:.1}%", x * 100.0)),
        ]);
    }
    let right = [false, true, true, true, true, true];
    for (i, line) in crate::output::table(&table, &right).iter().enumerate() {
        let line = if i == 0 {
            out.paint(Tone::Dim, line)
        } else {
            line.clone()
        };
        let _ = writeln!(s, "  {line}");
    }
    for u in unread {
        let _ = writeln!(s, "  {}", out.paint(Tone::Warn, &u));
    }
    s
}
