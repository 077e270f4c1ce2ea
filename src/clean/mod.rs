//! `llob-doctor clean`: preview what goes, ask (or require --yes), stop QQ if asked, remove
//! exactly the previewed entries, restart QQ if asked.

pub mod execute;
pub mod guard;
pub mod lock;
mod log;
pub mod plan;
mod render;
mod report;
mod roots;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::app::App;
use crate::cli::CleanArgs;
use crate::discover::Installation;
use crate::exit::{Exit, Failure};
use crate::i18n::{Msg, t};
use crate::output::human_size;
use crate::process::{self, QqProcess};
use crate::time::parse_duration;
use crate::{msg, tf};
use execute::Mode;
use guard::DataDirProblem;
use log::{Trace, append_log};
use render::{progress_bar, render};
use report::apply_outcomes;

pub use report::{CleanReport, DataDir, PathError, QqState, TargetReport, Totals};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn data_dir_failure(dir: &Path, p: DataDirProblem) -> Failure {
    let key = match p {
        DataDirProblem::NotAbsolute => "clean.refuse_relative",
        DataDirProblem::FilesystemRoot => "clean.refuse_root",
        DataDirProblem::HomeDirectory => "clean.refuse_home",
        DataDirProblem::NotADataDir => "clean.refuse_not_data",
    };
    Failure::usage(Msg {
        key,
        args: vec![("path", dir.display().to_string())],
    })
    .with_hint(msg!("clean.hint_data_dir"))
}

fn options(args: &CleanArgs) -> Result<plan::Options, Failure> {
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
    let mut trace = Trace::default();
    let result = run_traced(app, args, &mut trace);
    if let Some(path) = &args.log_file
        && let Err(e) = append_log(path, started, args, &trace, &result)
    {
        eprintln!(
            "llob-doctor: cannot append to the log file {}: {e}",
            path.display()
        );
    }
    result
}

fn run_traced(app: &App, args: &CleanArgs, trace: &mut Trace) -> anyhow::Result<Exit> {
    let out = &app.out;
    let opts = options(args)?;
    let inst = app.discover()?;
    let roots = roots::roots(&inst);
    let Some(data_dir) = roots.first().map(|(_, d)| d.clone()) else {
        return Err(Failure::new(Exit::NotFound, msg!("clean.no_data_dir"))
            .with_hint(msg!("clean.hint_no_data_dir"))
            .into());
    };
    trace.data_dir = Some(data_dir.clone());
    for (stack, dir) in &roots {
        guard::check_stack_dir(stack, dir, app.env.home_dir().as_deref())
            .map_err(|p| data_dir_failure(dir, p))?;
    }

    let running: Vec<QqProcess> = inst.qq_processes().cloned().collect();
    let mut qq = QqState {
        was_running: !running.is_empty(),
        pids: running.iter().map(|p| p.pid).collect(),
        ..QqState::default()
    };

    // Refusals first: nothing is stopped or touched before these pass.
    if !args.dry_run {
        if !running.is_empty() && !args.stop_qq {
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
    for (_, data_dir) in roots.iter().filter(|_| !args.dry_run) {
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
                lock::LockError::Io(e) => {
                    Failure::usage(msg!("clean.lock_io", lock = path.display(), error = e))
                        .with_hint(msg!("clean.hint_lock_io"))
                }
            }
        })?);
    }

    let pb = progress_bar(out, None, t("clean.scanning"));
    let plans = roots::scan_all(&roots, &opts, |_| pb.inc(1));
    pb.finish_and_clear();
    let entries = roots::entry_count(&plans);

    let mut report = roots::report_from_plans(&roots, &plans, args.dry_run, qq.clone());
    if args.dry_run || entries == 0 {
        out.emit(&report, || render(&report, out, &inst, args, false))?;
        trace.report = Some(report);
        return Ok(Exit::Ok);
    }

    if !args.yes {
        if !out.quiet {
            print!("{}", render(&report, out, &inst, args, false));
        }
        if !confirm(&tf!(
            "clean.confirm",
            entries = entries,
            size = human_size(report.totals.bytes)
        ))? {
            eprintln!("{}", t("clean.nothing_done"));
            return Ok(Exit::Ok);
        }
    }

    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));

    if !running.is_empty()
        && let Err(e) = stop_qq(&inst, &running, args, &mut qq)
    {
        report.qq = qq;
        trace.report = Some(report);
        return Err(e.into());
    }

    let pb = progress_bar(out, Some(entries as u64), t("clean.removing"));
    let mode = if args.trash {
        Mode::Trash
    } else {
        Mode::Delete
    };
    let done = roots::execute_all(&plans, mode, &INTERRUPTED, |_| pb.inc(1));
    pb.finish_and_clear();

    if args.restart_qq && qq.stopped {
        restart_qq(&inst, &running, &mut qq);
    }

    apply_outcomes(&mut report, &done);
    report.qq = qq;
    report.interrupted = done.interrupted;
    out.emit(&report, || render(&report, out, &inst, args, true))?;
    let interrupted = report.interrupted;
    trace.report = Some(report);
    Ok(if interrupted {
        Exit::Interrupted
    } else if trace.report.as_ref().is_some_and(|r| r.totals.failed > 0) {
        Exit::DeleteFailed
    } else {
        Exit::Ok
    })
}

fn confirm(question: &str) -> anyhow::Result<bool> {
    let mut err = std::io::stderr().lock();
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let a = line.trim().to_lowercase();
    Ok(matches!(a.as_str(), "y" | "yes" | "是" | "是的"))
}

/// Asks QQ's main process to quit and waits for every QQ process of the install to be gone;
/// force-kills the rest after the timeout only with --force.
fn stop_qq(
    inst: &Installation,
    running: &[QqProcess],
    args: &CleanArgs,
    qq: &mut QqState,
) -> Result<(), Failure> {
    let Some(install) = inst.qq.as_ref().map(|q| q.install_dir.clone()) else {
        return Err(Failure::new(
            Exit::QqRunning,
            msg!("clean.no_install_no_signal"),
        ));
    };
    let platform = inst.platform;
    // Re-check right before signalling: the PID must still be QQ of this install.
    let still = process::running_in_install(platform, &install);
    let mains: Vec<&QqProcess> = still.iter().filter(|p| p.main).collect();
    let targets: Vec<&QqProcess> = if mains.is_empty() {
        still.iter().collect()
    } else {
        mains
    };
    let mut asked = 0;
    for p in &targets {
        match process::request_quit(p.pid) {
            Ok(()) => asked += 1,
            Err(e) => eprintln!(
                "llob-doctor: {}",
                tf!("clean.quit_request_failed", pid = p.pid, error = e)
            ),
        }
    }
    // Nobody could be asked (e.g. a QQ without a window on Windows): waiting would only
    // delay the same answer.
    let timeout = if asked == 0 && !targets.is_empty() {
        Duration::ZERO
    } else {
        Duration::from_secs(args.stop_timeout)
    };
    let deadline = Instant::now() + timeout;
    let mut left = process::running_in_install(platform, &install);
    while !left.is_empty() && Instant::now() < deadline && !INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        left = process::running_in_install(platform, &install);
    }
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Failure::new(
            Exit::Interrupted,
            msg!("clean.interrupted_waiting"),
        ));
    }
    if !left.is_empty() {
        if !args.force {
            return Err(Failure::new(
                Exit::QqRunning,
                msg!(
                    "clean.did_not_quit",
                    secs = args.stop_timeout,
                    pids = pid_list(&left)
                ),
            )
            .with_hint(msg!("clean.hint_did_not_quit")));
        }
        for p in &left {
            if process::force_kill(p.pid).is_ok() {
                qq.killed.push(p.pid);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while !process::running_in_install(platform, &install).is_empty() {
            if Instant::now() > deadline {
                return Err(Failure::new(Exit::QqRunning, msg!("clean.survived_kill")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let _ = running;
    qq.stopped = true;
    Ok(())
}

fn restart_qq(inst: &Installation, running: &[QqProcess], qq: &mut QqState) {
    let main = running.iter().find(|p| p.main).or(running.first());
    let Some(main) = main else { return };
    let mut proc_ = main.clone();
    // Flatpak QQ reports its sandbox path; start it through flatpak instead.
    if inst.qq.as_ref().is_some_and(|q| q.flatpak)
        && !proc_.exe.as_deref().is_some_and(Path::exists)
    {
        proc_.exe = Some(PathBuf::from("flatpak"));
        proc_.cmd = vec!["flatpak".into(), "run".into(), "com.qq.QQ".into()];
    }
    match process::restart(&proc_) {
        Ok(pid) => qq.restarted_pid = Some(pid),
        Err(e) => qq.restart_error = Some(e.to_string()),
    }
}
