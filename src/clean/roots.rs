//! The folders one `clean` run works in, each with the stack whose table says what may go:
//! LLOneBot's data dir, NapCat's work dir and `<QQ data>/NapCat`. Each folder is planned,
//! guarded and executed on its own; the preview and the report show them as one list.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::execute::{self, Executed, Mode};
use super::plan::{self, Entry, Options, Plan};
use super::report::{CleanReport, DataDir, QqState, report_from_plan};
use crate::stack::Stack;

/// One plan per folder.
pub fn scan_all(
    roots: &[(&'static Stack, PathBuf)],
    opts: &Options,
    mut progress: impl FnMut(&Entry),
) -> Vec<Plan> {
    roots
        .iter()
        .map(|(stack, dir)| plan::scan_stack(stack, dir, opts, &mut progress))
        .collect()
}

pub fn entry_count(plans: &[Plan]) -> usize {
    plans.iter().map(Plan::entry_count).sum()
}

/// The report of all plans: the first folder names the report, every target row says its bot.
pub fn report_from_plans(
    roots: &[(&'static Stack, PathBuf)],
    plans: &[Plan],
    dry_run: bool,
    qq: QqState,
) -> CleanReport {
    let mut parts = plans
        .iter()
        .map(|p| report_from_plan(p, dry_run, qq.clone()));
    let Some(mut report) = parts.next() else {
        return report_from_plan(
            &Plan {
                data_dir: PathBuf::new(),
                targets: Vec::new(),
                unreadable: Vec::new(),
                unreadable_inside: Vec::new(),
                pins: super::remove::Pins::default(),
            },
            dry_run,
            qq,
        );
    };
    for r in parts {
        report.totals.files += r.totals.files;
        report.totals.bytes += r.totals.bytes;
        report.targets.extend(r.targets);
        report.unreadable.extend(r.unreadable);
    }
    report.data_dirs = roots
        .iter()
        .map(|(stack, path)| DataDir {
            bot: stack.bot,
            name: stack.name,
            path: path.clone(),
        })
        .collect();
    report
}

/// Executes each plan in turn (each against its own folder); outcomes in report order.
pub fn execute_all(
    plans: &[Plan],
    mode: Mode,
    stop: &AtomicBool,
    mut progress: impl FnMut(&Entry),
) -> Executed {
    let mut all = Executed {
        outcomes: Vec::new(),
        interrupted: false,
    };
    for p in plans {
        let done = execute::execute(p, mode, stop, &mut progress);
        all.outcomes.extend(done.outcomes);
        all.interrupted |= done.interrupted;
    }
    all
}
