//! A fleet's view: `doctor --prometheus` makes llob-doctor the bots' exporter. For each bot
//! instance it gathers what the doctor knows (its processes, what its logs last said about its
//! account, its version verdicts, the bytes in each cleanable target, its send timeouts over the
//! window, its last clean from the run log) and writes them as gauges (`metrics.rs`) for
//! node_exporter's textfile collector; QQ's cache and the exporter's own success too.
//!
//! Files: `presence.rs` (online/offline from the logs' end), `runlog.rs` (the run log's end),
//! `verdicts.rs` (versions as yes/no), `tail.rs` (reading a file's end), `metrics.rs`.

mod metrics;
pub mod presence;
pub mod runlog;
pub mod tail;
pub mod verdicts;

use std::collections::BTreeMap;
use std::time::SystemTime;

use crate::app::App;
use crate::clean::plan;
use crate::cli::DoctorArgs;
use crate::discover::{Installation, Instance};
use crate::exit::{Exit, Failure};
use crate::stats::{self, StatsReport, line::Stamp};
use presence::Presence;
use runlog::{Cleans, Run};
use verdicts::Verdicts;

/// What the exporter says about one instance.
#[derive(Debug, Clone)]
pub struct Health {
    pub id: String,
    pub stack: &'static str,
    /// Its only account, when it has one.
    pub uin: Option<String>,
    pub version: Option<String>,
    pub owner: Option<String>,
    /// Its data folder is there (else nothing of it could be read).
    pub read: bool,
    /// Its processes (none: down).
    pub processes: usize,
    pub presence: Presence,
    pub verdicts: Verdicts,
    /// Bytes in each target of its stacks' tables (every row, also those off by default).
    pub targets: BTreeMap<&'static str, u64>,
    /// Its logs over the window: `None` when it has none (or none could be read).
    pub sends: Option<StatsReport>,
    pub cleans: Cleans,
}

impl Health {
    pub fn up(&self) -> bool {
        self.processes > 0
    }

    /// Online by its logs' last word; offline when down; unknown when the logs say nothing.
    pub fn online(&self) -> Option<bool> {
        if !self.up() {
            return Some(false);
        }
        self.presence
            .state()
            .map(|s| s == crate::stack::presence::State::Online)
    }
}

/// Gathers one instance's health.
pub fn health(inst: &Installation, i: &Instance, since: Stamp, runs: &[Run]) -> Health {
    let view = inst.view_of(i);
    let folders = stats::log_folders(&view);
    let sends = stats::summary_for_folders(&folders, Some(since))
        .ok()
        .flatten();
    Health {
        id: i.id.clone(),
        stack: i.stack,
        uin: match i.accounts.as_slice() {
            [a] => Some(a.uin.clone()),
            _ => None,
        },
        version: i.version.clone(),
        owner: i.owner.as_ref().map(|o| o.name.clone()),
        read: i.data_dir_exists,
        processes: i.running.len(),
        presence: presence::read(i),
        verdicts: verdicts::of(&view, i),
        targets: target_bytes(i),
        sends,
        cleans: runlog::cleans_of(runs, i),
    }
}

/// Bytes in each cleanable target of the instance's folders, every row of its tables (logs and
/// databases too), 0 for a target with nothing in it: the same series every run.
fn target_bytes(i: &Instance) -> BTreeMap<&'static str, u64> {
    let mut stacks: Vec<&'static crate::stack::Stack> = vec![i.stack_def()];
    if i.stack == crate::stack::napcat::STACK.id {
        stacks.push(&crate::stack::napcat::DATA_STACK);
    }
    let mut out = BTreeMap::new();
    for s in &stacks {
        for t in s.targets {
            out.insert(t.kind, 0);
        }
    }
    let opts = plan::Options {
        logs: true,
        database: true,
        ..plan::Options::default()
    };
    for (stack, dir) in &i.roots {
        let p = plan::scan_stack(stack, dir, &opts, |_| {});
        for t in &p.targets {
            *out.entry(t.kind.name()).or_insert(0) += t.bytes();
        }
    }
    out
}

/// `doctor --prometheus [--output FILE]`: every instance's health as metrics. The file is
/// written whatever happens (a failed discovery leaves every bot of the previous file at
/// success 0, with no stale values); exit 0 once written, whatever the bots' state.
pub fn run(app: &App, args: &DoctorArgs, since: Stamp) -> anyhow::Result<Exit> {
    let previous = args
        .output
        .as_deref()
        .map(|p| crate::prom::previous::read(p, "doctor"))
        .unwrap_or_default();
    let now = crate::time::unix_secs(SystemTime::now()) as f64;
    let found = app.discover();
    let (bots, qq_cache) = match &found {
        Ok(inst) => {
            let runs = runlog::runs_for(app, args.log_file.as_deref()).unwrap_or_default();
            let bots: Vec<Health> = inst
                .instances
                .iter()
                .map(|i| health(inst, i, since, &runs))
                .collect();
            let qq = crate::qq_cache::find(&app.env, inst, app.overrides.qq_data.as_deref())
                .map(crate::qq_cache::measure)
                .unwrap_or_default();
            (bots, qq)
        }
        Err(_) => (Vec::new(), Default::default()),
    };
    let window = now - (since.0 - stats::local_offset_secs(since.0)) as f64;
    let text = metrics::exposition(&bots, &qq_cache, window, &previous, now).text();
    // `--output` goes through the one writer every `--output` uses (atomic: a temporary file,
    // then a rename); stdout only gets a document when discovery worked.
    match &args.output {
        Some(path) => stats::write_output(path, &text)?,
        None if found.is_ok() => crate::output::write_stdout(text.as_bytes())?,
        None => {}
    }
    found.map_err(|f: Failure| anyhow::Error::from(f))?;
    Ok(Exit::Ok)
}
