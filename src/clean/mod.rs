//! `llob-doctor clean`: preview what goes, ask (or require --yes), stop QQ if asked, remove
//! exactly the previewed entries, restart QQ if asked.

mod bot;
pub mod control;
pub mod execute;
pub mod guard;
pub mod lock;
mod log;
pub mod plan;
pub mod remove;
mod render;
mod report;
mod roots;
mod trash;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use crate::app::App;
use crate::cli::CleanArgs;
use crate::discover::{Installation, Source};
use crate::exit::{Exit, Failure};
use crate::i18n::{Msg, t};
use crate::output::human_size;
use crate::process::{self, QqProcess};
use crate::time::parse_duration;
use crate::{msg, tf};
use execute::Mode;
use guard::DataDirProblem;
use log::{Trace, append_log};
use plan::Plan;
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
    let roots = roots::roots(&inst);
    let qq_cache = crate::qq_cache::for_clean(
        &app.env,
        &inst,
        app.overrides.qq_data.as_deref(),
        args.qq_cache,
        &args.qq_cache_kinds,
        opts.older_than,
        &opts.uins,
    )?;
    // QQ's own cache may be cleaned without a bot's data folder.
    let Some(data_dir) = roots
        .first()
        .map(|(_, d)| d.clone())
        .or_else(|| qq_cache.as_ref().and_then(|q| q.lock_dir()))
    else {
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
    };
    trace.data_dir = Some(data_dir.clone());
    // QQ numbers known from QQ's own account folders count too when its cache is cleaned.
    let qq_uins: Vec<&str> = qq_cache
        .iter()
        .flat_map(|q| &q.roots)
        .flat_map(|r| &r.accounts)
        .filter_map(|a| a.uin.as_deref())
        .collect();
    warn_unknown_uins(&inst, &args.uin, &qq_uins);
    let forbidden = guard::Forbidden::of(&app.env);
    for (stack, dir) in &roots {
        match guard::check_stack_dir(stack, dir, &forbidden) {
            Ok(()) => {}
            // Found by discovery at its documented place, freshly installed and still empty.
            Err(DataDirProblem::NotADataDir)
                if *dir == data_dir
                    && inst
                        .llonebot
                        .as_ref()
                        .is_some_and(|l| l.source != Source::Flag)
                    && guard::is_empty_dir(dir) =>
            {
                let report = CleanReport {
                    data_dir: data_dir.clone(),
                    ..report::report_from_plan(
                        &Plan {
                            data_dir: data_dir.clone(),
                            targets: Vec::new(),
                            unreadable: Vec::new(),
                            unreadable_inside: Vec::new(),
                            pins: remove::Pins::default(),
                        },
                        args.dry_run,
                        QqState::default(),
                    )
                };
                out.emit(&report, || render(&report, out, &inst, args, false))?;
                trace.report = Some(report);
                return Ok(Exit::Ok);
            }
            Err(p) => return Err(data_dir_failure(dir, p).into()),
        }
    }

    let running: Vec<QqProcess> = inst.qq_processes().cloned().collect();
    // A stack of its own programs (LLBot): those and the QQ it started go and come back together.
    let stack_procs: Vec<QqProcess> = inst
        .bot_processes()
        .iter()
        .cloned()
        .chain(running.iter().cloned().map(|mut p| {
            p.main = false;
            p
        }))
        .collect();
    let own_programs = !inst.bot_processes().is_empty();
    let mut qq = QqState {
        was_running: !running.is_empty() || own_programs,
        pids: if own_programs {
            stack_procs.iter().map(|p| p.pid).collect()
        } else {
            running.iter().map(|p| p.pid).collect()
        },
        ..QqState::default()
    };

    // Refusals first: nothing is stopped or touched before these pass.
    let stopping = args.stop_qq || args.stop_cmd.is_some();
    if !args.dry_run {
        control::refuse_foreign(&running, &data_dir)?;
    }
    if !args.dry_run && own_programs && !stopping {
        return Err(Failure::new(
            Exit::QqRunning,
            msg!(
                "clean.bot_running",
                name = inst.stack().name,
                pids = pid_list(&stack_procs)
            ),
        )
        .with_hint(msg!("clean.hint_bot_running"))
        .into());
    }
    if !args.dry_run && !own_programs {
        if !running.is_empty() && !stopping {
            return Err(Failure::new(
                Exit::QqRunning,
                msg!("clean.qq_running", pids = pid_list(&running)),
            )
            .with_hint(msg!("clean.hint_qq_running"))
            .into());
        }
        if !running.is_empty() && inst.qq.is_none() {
            return Err(Failure::new(
                Exit::QqRunning,
                msg!("clean.qq_unverified", pids = pid_list(&running)),
            )
            .with_hint(msg!("clean.hint_qq_unverified"))
            .into());
        }
        if !args.yes && (out.json || !std::io::stdin().is_terminal()) {
            return Err(Failure::usage(msg!("clean.no_terminal"))
                .with_hint(msg!("clean.hint_no_terminal"))
                .into());
        }
    }

    let mut _locks = Vec::new();
    // QQ's own data folder is locked too: one clean of its cache at a time.
    let mut lock_dirs: Vec<PathBuf> = roots.iter().map(|(_, d)| d.clone()).collect();
    if let Some(d) = qq_cache.as_ref().and_then(|q| q.lock_dir())
        && !lock_dirs.contains(&d)
    {
        lock_dirs.push(d);
    }
    for data_dir in lock_dirs.iter().filter(|_| !args.dry_run) {
        _locks.push(lock::acquire(data_dir).map_err(|(path, e)| {
            match e {
                lock::LockError::Held(pid) => {
                    let who = pid.map(|p| format!(" (PID {p})")).unwrap_or_default();
                    Failure::new(
                        Exit::Locked,
                        msg!("clean.locked", who = who, path = data_dir.display()),
                    )
                    .with_hint(msg!("clean.hint_locked", lock = path.display()))
                }
                lock::LockError::NotOurs(why) => Failure::usage(msg!(
                    "clean.lock_refused",
                    lock = guard::shown(&path),
                    why = why
                ))
                .with_hint(msg!("clean.hint_lock_refused", lock = guard::shown(&path))),
                lock::LockError::Io(e) => {
                    Failure::usage(msg!("clean.lock_io", lock = path.display(), error = e))
                        .with_hint(msg!("clean.hint_lock_io"))
                }
            }
        })?);
    }

    let pb = progress_bar(out, None, t("clean.scanning"));
    let mut plans = roots::scan_all(&roots, &opts, |_| pb.inc(1));
    let qq_plans = qq_cache
        .as_ref()
        .map(|q| crate::qq_cache::plans(&q.roots, &q.sel))
        .unwrap_or_default();
    pb.finish_and_clear();
    let mut report_roots = roots.clone();
    for p in &qq_plans {
        report_roots.push((&crate::stack::qq_cache::STACK, p.data_dir.clone()));
    }
    plans.extend(qq_plans);
    let entries = roots::entry_count(&plans);

    let mut report = roots::report_from_plans(&report_roots, &plans, args.dry_run, qq.clone());
    report.linked = roots
        .iter()
        .flat_map(|(stack, dir)| guard::linked_folders(stack, dir, &opts))
        .collect();
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Failure::new(Exit::Interrupted, msg!("clean.interrupted_before")).into());
    }
    if args.dry_run || entries == 0 {
        out.emit(&report, || render(&report, out, &inst, args, false))?;
        trace.report = Some(report);
        return Ok(Exit::Ok);
    }

    if !args.yes {
        if !out.quiet {
            crate::output::write_stdout(render(&report, out, &inst, args, false).as_bytes())?;
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

    let platform = inst.platform;
    let install = inst.qq.as_ref().map(|q| q.install_dir.clone());
    let qq_now = move || match &install {
        Some(i) => process::list_qq_processes(platform)
            .into_iter()
            .filter(|p| {
                p.exe
                    .as_deref()
                    .is_some_and(|e| process::exe_in_install(e, i))
            })
            .collect(),
        None => Vec::new(),
    };
    let stopped = if let Some(cmd) = &args.stop_cmd {
        let seen = if own_programs { &stack_procs } else { &running };
        bot::stop_by_command(cmd, seen, &qq_now, args, &mut qq)
    } else if own_programs {
        bot::stop(&stack_procs, args, &mut qq)
    } else if !running.is_empty() {
        control::stop_qq(&inst, args, &mut qq, &INTERRUPTED)
    } else {
        Ok(())
    };
    if let Err(e) = stopped {
        report.qq = qq;
        trace.report = Some(report);
        return Err(e.into());
    }

    // From here a signal stops the removal between entries and what was stopped comes back.
    let _removing = crate::signals::defer();
    let pb = progress_bar(out, Some(entries as u64), t("clean.removing"));
    let mode = if args.trash {
        Mode::Trash
    } else {
        Mode::Delete
    };
    let done = roots::execute_all(&plans, mode, &INTERRUPTED, |_| pb.inc(1));
    pb.finish_and_clear();

    if let Some(cmd) = args.start_cmd.as_deref().filter(|_| qq.stopped) {
        qq.start_cmd = Some(bot::run_command(cmd));
    }
    if args.restart_qq && qq.stopped {
        if own_programs {
            bot::restart(&stack_procs, &mut qq);
        } else {
            control::restart_qq(&inst, &running, &mut qq);
        }
    }

    apply_outcomes(&mut report, &done);
    report.qq = qq;
    report.interrupted = done.interrupted;
    out.emit(&report, || render(&report, out, &inst, args, true))?;
    let exit = outcome(&report);
    trace.report = Some(report);
    Ok(exit)
}

/// The exit code of a clean that ran. A bot left down outranks entries left in place: the next
/// run can remove those, but nothing brings the bot back.
fn outcome(report: &CleanReport) -> Exit {
    let qq = &report.qq;
    if report.interrupted {
        Exit::Interrupted
    } else if !qq.restart_failed.is_empty() || qq.start_cmd.as_ref().is_some_and(|c| !c.ok()) {
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
