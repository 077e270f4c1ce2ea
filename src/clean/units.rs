//! The steps of a clean, each over every unit (see [`super::unit`]): which units there are,
//! the guard on their folders, their locks and plans (as their owner), the stop, the removal
//! and the start again, and the report of all of them.

use std::path::PathBuf;

use super::as_owner;
use super::execute::{Action, Executed, Mode, Outcome};
use super::guard::{self, DataDirProblem, Forbidden};
use super::lock::{self, Lock};
use super::plan::Options;
use super::report::{CleanReport, InstanceReport, Skipped};
use super::unit::Unit;
use super::{INTERRUPTED, data_dir_failure, roots, stop};
use crate::cli::CleanArgs;
use crate::discover::{Installation, Source};
use crate::exit::{Exit, Failure};
use crate::msg;
use crate::output::Output;
use crate::qq_cache::ForClean;

/// Every unit of this run: each instance with folders to clean (an instance only in a
/// container is listed when named with `--instance`, to say why it is left alone), then each
/// QQ data folder whose cache was asked for.
pub(super) fn build(inst: &Installation, qq: Option<&ForClean>, chosen: bool) -> Vec<Unit> {
    let mut out: Vec<Unit> = inst
        .instances
        .iter()
        .filter(|i| !i.roots.is_empty() || (chosen && i.container.is_some()))
        .map(|i| Unit::of_instance(i, inst))
        .collect();
    for root in qq.iter().flat_map(|q| &q.roots) {
        let mut u = Unit::of_qq_data(&root.path, inst);
        u.roots.clear();
        out.push(u);
    }
    out
}

/// The guard on each folder of a unit: never a root, a home, the `--fs-root` folder, or a
/// folder that holds nothing of the stack.
pub(super) fn guard(u: &mut Unit, inst: &Installation, forbidden: &Forbidden) {
    let roots = std::mem::take(&mut u.roots);
    for (stack, dir) in &roots {
        match guard::check_stack_dir(stack, dir, forbidden) {
            Ok(()) => u.roots.push((stack, dir.clone())),
            // Found by discovery at its documented place, freshly installed and still empty:
            // nothing to clean there, and nothing wrong.
            Err(DataDirProblem::NotADataDir)
                if found_not_given(inst, dir) && guard::is_empty_dir(dir) => {}
            Err(p) => {
                u.skip_with(data_dir_failure(dir, p));
                u.roots.push((stack, dir.clone()));
            }
        }
    }
}

fn found_not_given(inst: &Installation, dir: &std::path::Path) -> bool {
    inst.llonebot
        .as_ref()
        .is_none_or(|l| l.source != Source::Flag || l.data_dir != *dir)
}

/// `--stop-cmd` names one bot's command: with several bot instances chosen it is not clear
/// which it stops.
pub(super) fn one_stop_command(units: &[Unit], args: &CleanArgs) -> Result<(), Failure> {
    if args.stop_cmd.is_none() {
        return Ok(());
    }
    let running: Vec<&str> = units
        .iter()
        .filter(|u| u.skip.is_none() && !u.qq_cache)
        .map(|u| u.id.as_str())
        .collect();
    if running.len() > 1 {
        return Err(
            Failure::usage(msg!("clean.stop_cmd_many", ids = running.join(", ")))
                .with_hint(msg!("clean.hint_stop_cmd_many")),
        );
    }
    Ok(())
}

/// Locks every folder of a unit, as its owner: one clean at a time per folder.
pub(super) fn lock(u: &Unit) -> Result<Vec<Lock>, Failure> {
    let dirs = u.lock_dirs();
    let done = as_owner::run(u.act_as.as_ref(), || {
        let mut held = Vec::new();
        for dir in &dirs {
            held.push(lock::acquire(dir).map_err(|(path, e)| lock_failure(dir, &path, e))?);
        }
        Ok(held)
    });
    done.map_err(|m| Failure::new(Exit::QqRunning, m))?
}

fn lock_failure(dir: &std::path::Path, path: &std::path::Path, e: lock::LockError) -> Failure {
    match e {
        lock::LockError::Held(pid) => {
            let who = pid.map(|p| format!(" (PID {p})")).unwrap_or_default();
            Failure::new(
                Exit::Locked,
                msg!("clean.locked", who = who, path = dir.display()),
            )
            .with_hint(msg!("clean.hint_locked", lock = path.display()))
        }
        lock::LockError::NotOurs(why) => Failure::usage(msg!(
            "clean.lock_refused",
            lock = guard::shown(path),
            why = why
        ))
        .with_hint(msg!("clean.hint_lock_refused", lock = guard::shown(path))),
        lock::LockError::Io(e) => {
            Failure::usage(msg!("clean.lock_io", lock = path.display(), error = e))
                .with_hint(msg!("clean.hint_lock_io"))
        }
    }
}

/// Plans a unit's folders (and its QQ cache), as its owner.
pub(super) fn plan(
    u: &mut Unit,
    opts: &Options,
    qq: Option<&ForClean>,
    progress: impl Fn() + Sync,
) {
    let roots = u.roots.clone();
    let cache: Vec<crate::qq_cache::CacheRoot> = match qq {
        Some(q) if u.qq_cache => q
            .roots
            .iter()
            .filter(|r| u.id == crate::discover::make_id(&crate::stack::qq_cache::STACK, &r.path))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let sel = qq.map(|q| q.sel.clone());
    let planned = as_owner::run(u.act_as.as_ref(), || {
        let mut plans = roots::scan_all(&roots, opts, |_| progress());
        if let Some(sel) = &sel
            && !cache.is_empty()
        {
            plans.extend(crate::qq_cache::plans(&cache, sel));
        }
        plans
    });
    match planned {
        Ok(p) => u.plans = p,
        Err(m) => u.skip_with(Failure::new(Exit::QqRunning, m)),
    }
}

/// With one unit only, its refusal is the run's error (exit code and message as ever).
pub(super) fn single_failure(units: &mut [Unit]) -> Option<Failure> {
    match units {
        [only] => only.skip.take(),
        _ => None,
    }
}

/// Says on stderr which units are left alone and why (the report lists them too).
pub(super) fn say_skipped(units: &[Unit], out: &Output) {
    if units.len() < 2 {
        return;
    }
    for u in units {
        if let Some(f) = &u.skip {
            // Each line names the instance (once).
            let text = f.to_string();
            let line = if text.contains(&u.id) {
                text
            } else {
                format!("{}: {text}", u.id)
            };
            crate::stderr_line!(
                "llob-doctor: {}",
                out.paint(crate::output::Tone::Warn, &line)
            );
            if let Some(h) = &f.hint {
                crate::stderr_line!("  {h}");
            }
        }
    }
}

/// The exit code the left-alone units call for, the one that says most.
pub(super) fn skipped_exit(units: &[Unit]) -> Option<Exit> {
    units
        .iter()
        .filter_map(|u| u.skip.as_ref().map(|f| f.exit))
        .reduce(Exit::worst)
}

/// The report of every unit: their plans as one table, each instance with its state.
pub(super) fn report(units: &[Unit], dry_run: bool, opts: &Options) -> CleanReport {
    let mut all_roots: Vec<(&'static crate::stack::Stack, PathBuf)> = Vec::new();
    let mut plans = Vec::new();
    let mut owners: Vec<String> = Vec::new();
    for u in units {
        for p in &u.plans {
            let stack = u
                .roots
                .iter()
                .find(|(_, d)| *d == p.data_dir)
                .map(|(s, _)| *s)
                .unwrap_or(&crate::stack::qq_cache::STACK);
            all_roots.push((stack, p.data_dir.clone()));
            plans.push(p.clone());
            owners.push(u.id.clone());
        }
    }
    let mut qq = super::QqState::default();
    for u in units {
        qq.merge(&u.state);
    }
    let mut r = roots::report_from_plans(&all_roots, &plans, dry_run, qq);
    // Each row says whose it is.
    let mut at = 0;
    for (plan, id) in plans.iter().zip(&owners) {
        for t in r.targets.iter_mut().skip(at).take(plan.targets.len()) {
            t.instance = id.clone();
        }
        at += plan.targets.len();
    }
    r.linked = units
        .iter()
        .filter(|u| u.skip.is_none())
        .flat_map(|u| u.roots.iter())
        .flat_map(|(stack, dir)| guard::linked_folders(stack, dir, opts))
        .collect();
    r.instances = units.iter().map(instance_report).collect();
    r
}

fn instance_report(u: &Unit) -> InstanceReport {
    let mut data_dirs: Vec<PathBuf> = u.roots.iter().map(|(_, d)| d.clone()).collect();
    for p in &u.plans {
        if !data_dirs.contains(&p.data_dir) {
            data_dirs.push(p.data_dir.clone());
        }
    }
    InstanceReport {
        id: u.id.clone(),
        name: u.name,
        program: u.program,
        owner: u.owner.map(crate::process::user_name),
        data_dirs,
        skipped: u.skip.as_ref().map(|f| Skipped {
            error: f.message.clone(),
            hint: f.hint.clone(),
            exit_code: f.exit.code() as u8,
        }),
        qq: u.state.clone(),
    }
}

/// Stops one unit's processes (as its owner), or runs the user's stop command. A unit that
/// does not stop is left alone; its start command still runs afterwards.
pub(super) fn stop(
    u: &mut Unit,
    args: &CleanArgs,
    quiet: bool,
    platform: crate::env::Platform,
    inst: &Installation,
) {
    if let Some(cmd) = args.stop_cmd.as_deref().filter(|_| !u.qq_cache) {
        // The command is for a service we may not see the processes of (another user's
        // systemd unit, a container): it always runs, and then what we saw must be gone.
        let mut state = std::mem::take(&mut u.state);
        let r = stop::stop_by_command(u.program, cmd, &u.procs, args, quiet, &mut state).and_then(
            |left| {
                if left.is_empty() {
                    return Ok(());
                }
                // What is left of the instance's own tree, by PID: stopped when every one is
                // ours to signal (this user's, on this host), else named.
                let ours = !u.container && left.iter().all(|p| is_ours(p, u.owner));
                let name = u.program;
                let act_as = if ours { u.act_as.as_ref() } else { None };
                as_owner::run(act_as, || {
                    stop::stop_leftovers(name, &left, ours, platform, args, &mut state)
                })
                .unwrap_or_else(|m| Err(Failure::new(Exit::QqRunning, m)))
            },
        );
        u.state = state;
        if let Err(f) = r {
            u.skip_with(f);
        }
        return;
    }
    if !u.running() {
        return;
    }
    if u.qq_cache {
        // QQ's cache: the QQs still running now (those of bots stopped above are gone), each
        // the owner's and not a bot's that stays up.
        let now: Vec<u32> = crate::process::still_running(
            &u.procs
                .iter()
                .map(crate::process::Target::of)
                .collect::<Vec<_>>(),
        )
        .iter()
        .map(|t| t.pid)
        .collect();
        u.procs.retain(|p| now.contains(&p.pid));
        if let Some(other) = inst
            .instances
            .iter()
            .find(|i| i.running.iter().any(|p| now.contains(&p.pid)))
        {
            u.skip_with(
                Failure::new(
                    Exit::QqRunning,
                    msg!(
                        "clean.qq_of_other_instance",
                        id = other.id,
                        pids = super::pid_list(&u.procs)
                    ),
                )
                .with_hint(msg!("clean.hint_qq_of_other_instance", id = other.id)),
            );
            return;
        }
        if u.procs.is_empty() {
            return;
        }
        if !args.stop_qq {
            // Only --stop-qq stops a QQ of its own; a stop command was for a bot.
            u.skip_with(
                Failure::new(
                    Exit::QqRunning,
                    msg!(
                        "clean.qq_running",
                        name = u.name,
                        id = u.id,
                        pids = super::pid_list(&u.procs)
                    ),
                )
                .with_hint(msg!("clean.hint_qq_running")),
            );
            return;
        }
    }
    if args.restart_qq
        && let Some(n) = &mut u.napcat
    {
        // What NapCat had written: its restart counts when it writes again.
        n.before = Some(super::napcat_restart::Before::of(&n.work_dir));
    }
    let mut state = std::mem::take(&mut u.state);
    let procs = u.procs.clone();
    let name = u.program;
    let r = as_owner::run(u.act_as.as_ref(), || {
        stop::stop(name, &procs, platform, args, &mut state)
    });
    u.state = state;
    match r {
        Ok(Ok(())) => {}
        Ok(Err(f)) => u.skip_with(f),
        Err(m) => u.skip_with(Failure::new(Exit::QqRunning, m)),
    }
}

/// A process this run may signal for a unit: the unit owner's (or ours, where users are
/// not known).
fn is_ours(p: &crate::process::QqProcess, owner: Option<u32>) -> bool {
    let me = crate::process::current_uid();
    match p.uid {
        None => true,
        Some(uid) => Some(uid) == me || (me == Some(0) && Some(uid) == owner),
    }
}

/// Removes a unit's planned entries, as its owner.
pub(super) fn execute(u: &mut Unit, mode: Mode, progress: impl Fn() + Sync) -> Executed {
    let plans = &u.plans;
    let done = as_owner::run(u.act_as.as_ref(), || {
        // QQ's emptied month folders go in the same sweep.
        roots::execute_all(plans, mode, &INTERRUPTED, |_| progress())
    });
    match done {
        Ok(d) => d,
        Err(m) => {
            u.skip_with(Failure::new(Exit::QqRunning, m));
            Executed {
                outcomes: Vec::new(),
                interrupted: false,
            }
        }
    }
}

/// Starts a unit again: the user's start command whenever their stop command ran (even when
/// the stop did not work out: we never leave a bot down), or its main processes with
/// --restart-qq when they were stopped.
pub(super) fn start(u: &mut Unit, args: &CleanArgs, quiet: bool) {
    if let Some(cmd) = args.start_cmd.as_deref()
        && u.state.stop_cmd.is_some()
    {
        let grace = std::time::Duration::from_secs(args.stop_timeout);
        u.state.start_cmd = Some(stop::run_start_command(cmd, quiet, grace));
    }
    if args.restart_qq && u.state.stopped {
        let procs = u.procs.clone();
        let flatpak = u.flatpak;
        let napcat = u.napcat.as_ref();
        let timeout = std::time::Duration::from_secs(args.stop_timeout);
        let mut state = std::mem::take(&mut u.state);
        let r = as_owner::run(u.act_as.as_ref(), || {
            stop::restart(&procs, flatpak, napcat, timeout, &mut state)
        });
        u.state = state;
        if let Err(m) = r {
            crate::stderr_line!("llob-doctor: {}: {}", u.id, m.render(crate::i18n::lang()));
        }
    }
}

/// A unit left alone after its preview (it did not stop) shows no rows in the final report:
/// the instance's entry says why.
pub(super) fn drop_skipped_plans(units: &mut [Unit]) {
    for u in units.iter_mut().filter(|u| u.skip.is_some()) {
        u.plans.clear();
    }
}

/// Applies each unit's outcomes to the report's rows, in report order. A unit not reached
/// because the run was interrupted keeps every entry (`skipped`).
pub(super) fn apply(report: &mut CleanReport, units: &[Unit], done: &[Option<Executed>]) {
    let mut outcomes = Vec::new();
    let mut interrupted = false;
    for (u, d) in units.iter().zip(done) {
        let rows: usize = u.plans.iter().map(|p| p.targets.len()).sum();
        match d {
            Some(e) if e.outcomes.len() == rows => outcomes.extend(e.outcomes.iter().cloned()),
            _ => {
                for t in u.plans.iter().flat_map(|p| &p.targets) {
                    outcomes.push(not_reached(&t.entries));
                }
            }
        }
        interrupted |= d.as_ref().is_some_and(|e| e.interrupted);
    }
    super::apply_outcomes(
        report,
        &Executed {
            outcomes,
            interrupted,
        },
    );
}

fn not_reached(entries: &[super::plan::Entry]) -> Vec<Outcome> {
    entries
        .iter()
        .map(|e| Outcome {
            path: e.path.clone(),
            action: Action::Skipped,
            bytes: e.bytes,
            files: e.files,
            removed: 0,
            error: None,
        })
        .collect()
}
