//! `llob-doctor clean`: preview what goes, ask (or require --yes), stop QQ if asked, remove
//! exactly the previewed entries, restart QQ if asked.

pub mod as_owner;
pub mod execute;
pub mod guard;
pub mod lock;
mod log;
mod napcat_restart;
pub mod plan;
pub mod remove;
mod render;
mod report;
mod roots;
mod stop;
mod trash;
mod unit;
mod units;

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use crate::app::App;
use crate::cli::CleanArgs;
use crate::discover::Installation;
use crate::exit::{Exit, Failure};
use crate::i18n::{Msg, t};
use crate::output::human_size;
use crate::process::QqProcess;
use crate::time::parse_duration;
use crate::{msg, tf};
use execute::Mode;
use guard::DataDirProblem;
use log::{Trace, append_log};
use render::{progress_bar, render};
use report::apply_outcomes;

pub use report::{CleanReport, DataDir, PathError, QqState, TargetReport, Totals};

pub(crate) use crate::signals::INTERRUPTED;

fn data_dir_failure(dir: &Path, p: DataDirProblem) -> Failure {
    let key = match p {
        DataDirProblem::NotAbsolute => "clean.refuse_relative",
        DataDirProblem::FilesystemRoot => "clean.refuse_root",
        DataDirProblem::HomeDirectory => "clean.refuse_home",
        DataDirProblem::FsRoot => "clean.refuse_fs_root",
        DataDirProblem::OutsideFsRoot => "clean.refuse_outside_fs_root",
        DataDirProblem::NotADataDir => "clean.refuse_not_data",
    };
    Failure::usage(Msg {
        key,
        args: vec![("path", dir.display().to_string())],
    })
    .with_hint(msg!("clean.hint_data_dir"))
}

pub(crate) fn options(args: &CleanArgs) -> Result<plan::Options, Failure> {
    let older_than = match &args.older_than {
        Some(s) => Some(
            parse_duration(s)
                .map_err(|e| {
                    Failure::usage(msg!("clean.bad_older_than", value = s, error = e))
                        .with_hint(msg!("clean.hint_duration"))
                })?
                .as_secs(),
        ),
        None => None,
    };
    for u in &args.uin {
        if u.is_empty() || !u.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Failure::usage(msg!("clean.bad_uin", value = u)));
        }
    }
    Ok(plan::Options {
        uins: args.uin.clone(),
        logs: args.logs,
        database: args.database,
        older_than,
    })
}

pub(super) fn pid_list(procs: &[QqProcess]) -> String {
    procs
        .iter()
        .map(|p| {
            if p.main {
                format!("{} ({})", p.pid, t("detect.main"))
            } else {
                p.pid.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(app: &App, args: &CleanArgs) -> anyhow::Result<Exit> {
    let started = SystemTime::now();
    // Ctrl-C, SIGTERM and SIGHUP set a flag this run looks at (see `signals`).
    crate::signals::watch();
    // The run log first: a log that cannot be kept refuses the run before anything is touched.
    let mut run_log = args.log_file.as_deref().map(log::open).transpose()?;
    let mut trace = Trace::default();
    let result = run_traced(app, args, &mut trace);
    if let Some(run_log) = &mut run_log
        && let Err(e) = append_log(run_log, started, args, &trace, &result)
    {
        crate::stderr_line!(
            "llob-doctor: {}",
            tf!(
                "clean.log_append_failed",
                path = guard::shown(&run_log.path),
                error = crate::i18n::os_error(&e)
            )
        );
    }
    result
}

fn run_traced(app: &App, args: &CleanArgs, trace: &mut Trace) -> anyhow::Result<Exit> {
    let out = &app.out;
    let opts = options(args)?;
    let inst = app.discover()?;
    let qq_cache = crate::qq_cache::for_clean(
        &app.env,
        &inst,
        app.overrides.qq_data.as_deref(),
        args.qq_cache,
        &args.qq_cache_kinds,
        opts.older_than,
        &opts.uins,
    )?;
    let mut units = units::build(
        &inst,
        qq_cache.as_ref(),
        !app.overrides.instances.is_empty(),
    );
    if units.is_empty() {
        let (key, hint) = if qq_cache.is_some() {
            ("clean.no_data_or_qq", "clean.hint_no_data_or_qq")
        } else {
            ("clean.no_data_dir", "clean.hint_no_data_dir")
        };
        return Err(Failure::new(Exit::NotFound, Msg { key, args: vec![] })
            .with_hint(Msg {
                key: hint,
                args: vec![],
            })
            .into());
    }
    trace.data_dir = units
        .iter()
        .find_map(|u| u.roots.first().map(|(_, d)| d.clone()))
        .or_else(|| qq_cache.as_ref().and_then(|q| q.lock_dir()));
    // QQ numbers known from QQ's own account folders count too when its cache is cleaned.
    let qq_uins: Vec<&str> = qq_cache
        .iter()
        .flat_map(|q| &q.roots)
        .flat_map(|r| &r.accounts)
        .filter_map(|a| a.uin.as_deref())
        .collect();
    warn_unknown_uins(&inst, &args.uin, &qq_uins);
    let forbidden = guard::Forbidden::of(&app.env);
    for u in &mut units {
        units::guard(u, &inst, &forbidden);
    }
    // Refusals first: nothing is stopped or touched before these pass.
    let stopping = args.stop_qq || args.stop_cmd.is_some();
    if !args.dry_run {
        for u in &mut units {
            unit::refuse(u, stopping, args.stop_cmd.is_some());
        }
        units::one_stop_command(&units, args)?;
    }
    // A single unit keeps the old answer: its refusal is the run's error.
    if let Some(f) = units::single_failure(&mut units) {
        return Err(f.into());
    }
    let active = units.iter().filter(|u| u.skip.is_none()).count();
    if !args.dry_run && active > 0 && !args.yes && (out.json || !std::io::stdin().is_terminal()) {
        return Err(Failure::usage(msg!("clean.no_terminal"))
            .with_hint(msg!("clean.hint_no_terminal"))
            .into());
    }

    let mut locks = Vec::new();
    if !args.dry_run {
        for u in units.iter_mut().filter(|u| u.skip.is_none()) {
            match units::lock(u) {
                Ok(l) => locks.push(l),
                Err(f) => u.skip_with(f),
            }
        }
    }
    if let Some(f) = units::single_failure(&mut units) {
        return Err(f.into());
    }
    let pb = progress_bar(out, None, t("clean.scanning"));
    for u in units.iter_mut().filter(|u| u.skip.is_none()) {
        units::plan(u, &opts, qq_cache.as_ref(), || pb.inc(1));
    }
    pb.finish_and_clear();
    units::say_skipped(&units, out);
    let entries: usize = units.iter().map(|u| roots::entry_count(&u.plans)).sum();
    let mut report = units::report(&units, args.dry_run, &opts);
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Failure::new(Exit::Interrupted, msg!("clean.interrupted_before")).into());
    }
    if args.dry_run || entries == 0 {
        out.emit(&report, || render(&report, out, args, false))?;
        let exit = units::skipped_exit(&units).unwrap_or(Exit::Ok);
        trace.report = Some(report);
        return Ok(exit);
    }

    if !args.yes {
        if !out.quiet {
            crate::output::write_stdout(render(&report, out, args, false).as_bytes())?;
        }
        let answer = confirm(&tf!(
            "clean.confirm",
            entries = entries,
            files = report.totals.files,
            size = human_size(report.totals.bytes)
        ))?;
        if answer.is_none() {
            return Err(Failure::new(Exit::Interrupted, msg!("clean.interrupted_before")).into());
        }
        if answer != Some(true) {
            crate::stderr_line!("{}", t("clean.nothing_done"));
            return Ok(Exit::Ok);
        }
    }

    // From here a signal only stops the run between steps: whatever was stopped comes back.
    let _deferred = crate::signals::defer();
    // Stop what must stop, unit by unit (the bots before QQ's caches, whose QQ may be theirs).
    let platform = inst.platform;
    for u in units.iter_mut().filter(|u| u.skip.is_none()) {
        units::stop(u, args, out.quiet, platform, &inst);
        if INTERRUPTED.load(Ordering::SeqCst) {
            break;
        }
    }

    if let [only] = units.as_mut_slice()
        && only.skip.is_some()
    {
        // The one unit did not stop: its start command still runs, then its refusal is the
        // run's error.
        units::start(only, args, out.quiet);
        let mut r = units::report(&units, false, &opts);
        units::drop_skipped_plans(&mut units);
        r.targets.clear();
        trace.report = Some(r);
        if let Some(f) = units::single_failure(&mut units) {
            return Err(f.into());
        }
    }

    let pb = progress_bar(out, Some(entries as u64), t("clean.removing"));
    let mode = if args.trash {
        Mode::Trash
    } else {
        Mode::Delete
    };
    let mut interrupted = false;
    let mut done = Vec::new();
    for u in units.iter_mut() {
        if u.skip.is_some() || interrupted {
            done.push(None);
            continue;
        }
        let executed = units::execute(u, mode, || pb.inc(1));
        interrupted |= executed.interrupted;
        done.push(Some(executed));
    }
    pb.finish_and_clear();

    // Whatever happened, every bot stopped by us is started again.
    for u in units.iter_mut() {
        units::start(u, args, out.quiet);
    }

    for (u, d) in units.iter().zip(done.iter_mut()) {
        if u.skip.is_some() {
            *d = None;
        }
    }
    units::drop_skipped_plans(&mut units);
    report = units::report(&units, false, &opts);
    units::apply(&mut report, &units, &done);
    report.interrupted = interrupted;
    out.emit(&report, || render(&report, out, args, true))?;
    let exit = match units::skipped_exit(&units) {
        Some(e) => outcome(&report).worst(e),
        None => outcome(&report),
    };
    trace.report = Some(report);
    drop(locks);
    Ok(exit)
}

/// The exit code of a clean that ran. A bot left down outranks entries left in place: the next
/// run can remove those, but nothing brings the bot back.
fn outcome(report: &CleanReport) -> Exit {
    let qq = &report.qq;
    let start_failed = report
        .instances
        .iter()
        .any(|i| i.qq.start_cmd.as_ref().is_some_and(|c| !c.ok()));
    if report.interrupted {
        Exit::Interrupted
    } else if !qq.restart_failed.is_empty() || start_failed {
        Exit::RestartFailed
    } else if report.totals.failed > 0 {
        Exit::DeleteFailed
    } else {
        Exit::Ok
    }
}

/// Asks; `None` when interrupted while waiting (the answer is read on a thread of its own, so
/// a signal does not have to wait for a line).
fn confirm(question: &str) -> anyhow::Result<Option<bool>> {
    {
        let mut err = std::io::stderr().lock();
        write!(err, "{question} [y/N] ")?;
        err.flush()?;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let r = std::io::stdin().lock().read_line(&mut line).map(|_| line);
        let _ = tx.send(r);
    });
    loop {
        if INTERRUPTED.load(Ordering::SeqCst) {
            crate::stderr_line!();
            return Ok(None);
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                let a = line?.trim().to_lowercase();
                return Ok(Some(matches!(a.as_str(), "y" | "yes" | "是" | "是的")));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(Some(false)),
        }
    }
}

/// `--uin 555` where no account 555 exists: say which accounts there are, instead of a plan
/// that silently leaves that account out.
fn warn_unknown_uins(inst: &Installation, wanted: &[String], also: &[&str]) {
    let mut known: Vec<&str> = inst
        .llonebot
        .iter()
        .flat_map(|lb| lb.accounts.iter().map(|a| a.uin.as_str()))
        .collect();
    for u in also {
        if !known.contains(u) {
            known.push(u);
        }
    }
    for u in wanted.iter().filter(|u| !known.contains(&u.as_str())) {
        let list = if known.is_empty() {
            t("clean.no_accounts_known").to_string()
        } else {
            known.join(", ")
        };
        crate::stderr_line!(
            "llob-doctor: {}",
            tf!("clean.unknown_uin", uin = u, accounts = list)
        );
    }
}
