//! Stopping one instance before its clean and starting it again after, over the process
//! model of [`crate::process`]: each main process of the instance (one per process group: the
//! launcher of each LLBot started, QQ's Electron main process) is asked to quit and its whole
//! tree waited for; only those main processes are started again, each as it was (what they
//! started follows them: a QQ that PMHQ started is never started on its own). Or the user's own
//! commands (`--stop-cmd`, `--start-cmd`) for a service, container or pm2.

use std::time::Duration;

use super::report::{CommandRun, QqState};
use super::{INTERRUPTED, pid_list};
use crate::cli::CleanArgs;
use crate::exit::{Exit, Failure};
use crate::msg;
use crate::process::{self, QqProcess, StopError, StopOptions, Target};

fn target(p: &QqProcess) -> Target {
    Target::of(p)
}

fn did_not_quit(name: &str, args: &CleanArgs, still: &[QqProcess]) -> Failure {
    Failure::new(
        Exit::QqRunning,
        msg!(
            "clean.bot_did_not_quit",
            name = name,
            secs = args.stop_timeout,
            pids = pid_list(still)
        ),
    )
    .with_hint(msg!("clean.hint_did_not_quit"))
}

/// Asks each main process of the instance to quit and waits for every tree to be gone;
/// force-kills what is left after the timeout only with --force.
pub(super) fn stop(
    name: &str,
    procs: &[QqProcess],
    platform: crate::env::Platform,
    args: &CleanArgs,
    state: &mut QqState,
) -> Result<(), Failure> {
    let mut mains: Vec<Target> = procs.iter().filter(|p| p.main).map(target).collect();
    if mains.is_empty() {
        mains = procs.iter().map(target).collect();
    }
    // Helpers whose main process is gone are waited for, never asked.
    let strays: Vec<Target> = procs.iter().filter(|p| !p.main).map(target).collect();
    let names: Vec<String> = procs.iter().map(|p| p.name.clone()).collect();
    // A tree holds the instance's own programs and the QQ they start, never another program
    // (a browser QQ opened a link in).
    let in_tree = |n: &str| names.iter().any(|x| x == n) || process::is_qq_name(platform, n);
    let opts = StopOptions {
        timeout: Duration::from_secs(args.stop_timeout),
        force: args.force,
        interrupted: &INTERRUPTED,
        in_tree: &in_tree,
    };
    let said = |failed: &[(u32, String)]| {
        for (pid, e) in failed {
            crate::stderr_line!(
                "llob-doctor: {}",
                crate::tf!("clean.quit_request_failed", pid = pid, error = e)
            );
        }
    };
    match process::stop_instances(&mains, &strays, &opts) {
        Ok(done) => {
            said(&done.ask_failed);
            for pid in done.killed {
                // A main process is also a tree's member: each PID once.
                if !state.killed.contains(&pid) {
                    state.killed.push(pid);
                }
            }
            state.stopped = true;
            Ok(())
        }
        Err(StopError::Interrupted) => Err(Failure::new(
            Exit::Interrupted,
            msg!("clean.interrupted_waiting"),
        )),
        Err(StopError::TimedOut { left, ask_failed }) => {
            said(&ask_failed);
            let still: Vec<QqProcess> = procs
                .iter()
                .filter(|p| left.contains(&p.pid))
                .cloned()
                .collect();
            Err(did_not_quit(name, args, &still))
        }
        Err(StopError::SurvivedKill { .. }) => Err(Failure::new(
            Exit::QqRunning,
            msg!("clean.survived_kill", name = name),
        )),
    }
}

/// Starts every stopped main process again, each with its own executable, arguments, folder
/// and environment. Flatpak QQ reports its sandbox path: it is started through flatpak.
/// NapCat.Shell's QQ on Windows is started through NapCat's launcher; a NapCat instance counts
/// as started only once NapCat is back (see [`super::napcat_restart`]).
pub(super) fn restart(
    procs: &[QqProcess],
    flatpak: bool,
    napcat: Option<&super::unit::NapcatUnit>,
    timeout: Duration,
    state: &mut QqState,
) {
    use super::napcat_restart::{new_qq, shell_launcher};
    let mains: Vec<QqProcess> = procs
        .iter()
        .filter(|p| p.main)
        .cloned()
        .map(|mut p| {
            if flatpak && !p.exe.as_deref().is_some_and(std::path::Path::exists) {
                p.exe = Some(std::path::PathBuf::from("flatpak"));
                p.cmd = vec!["flatpak".into(), "run".into(), "com.qq.QQ".into()];
            }
            p
        })
        .collect();
    let mut direct = Vec::new();
    let mut outcomes = Vec::new();
    for m in mains {
        let launcher = napcat
            .filter(|n| n.windows)
            .and_then(|n| shell_launcher(&m, n.dir.as_deref()));
        let Some(launcher) = launcher else {
            direct.push(m);
            continue;
        };
        outcomes.push(match process::launch(&launcher) {
            Ok(pid) => process::RestartOutcome {
                was_pid: m.pid,
                // Until NapCat is back: the launcher; then the QQ it started.
                pid: Some(pid),
                error: None,
            },
            Err(e) => process::RestartOutcome {
                was_pid: m.pid,
                pid: None,
                error: Some(format!("{}: {e}", launcher.cmd[0])),
            },
        });
        if let Some(o) = outcomes.last_mut()
            && let Some(launcher_pid) = o.pid
        {
            // The QQ it starts, once started (the launcher may end at once).
            if let Some(n) = napcat
                && let Some(b) = &n.before
            {
                b.wait_back(timeout);
            }
            o.pid = new_qq(&m, launcher_pid, crate::env::Platform::Windows).or(o.pid);
        }
    }
    outcomes.extend(process::restart_all(&direct));
    let back = match napcat.and_then(|n| n.before.as_ref()) {
        Some(b) if outcomes.iter().any(|o| o.pid.is_some()) => {
            b.wait_back(timeout).then_some(()).ok_or_else(|| {
                crate::tf!(
                    "clean.napcat_not_back",
                    secs = timeout.as_secs(),
                    looked = b.looked_at()
                )
            })
        }
        _ => Ok(()),
    };
    for mut o in outcomes {
        if let (Some(pid), Err(why)) = (o.pid, &back) {
            o.error = Some(format!("PID {pid}: {why}"));
            o.pid = None;
        }
        if o.pid.is_some() {
            state.restarted.push(o);
        } else {
            state.restart_failed.push(o);
        }
    }
}

/// Runs one of the user's commands through the shell (`sh -c` on Unix, `cmd /C` on Windows)
/// and waits for it. Its output goes to stderr (stdout is for our report); with --quiet it is
/// kept back unless the command fails, so a nightly job mails only when something is wrong.
/// A signal (Ctrl-C, SIGTERM) ends the wait: the command is killed and said to be interrupted,
/// so a command stuck on a dead daemon never holds the run (and its lock) for ever.
pub(super) fn run_command(command: &str, quiet: bool) -> CommandRun {
    run_command_within(command, quiet, None)
}

/// [`run_command`] for a start command: one that began after a signal (the bot must still come
/// back) gets `grace` before it is ended.
pub(super) fn run_start_command(command: &str, quiet: bool, grace: Duration) -> CommandRun {
    let already = INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst);
    run_command_within(
        command,
        quiet,
        already.then(|| std::time::Instant::now() + grace),
    )
}

fn run_command_within(
    command: &str,
    quiet: bool,
    deadline: Option<std::time::Instant>,
) -> CommandRun {
    #[cfg(windows)]
    let mut c = {
        use std::os::windows::process::CommandExt;
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").raw_arg(command);
        c
    };
    #[cfg(not(windows))]
    let mut c = {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    let failed = |error: String| CommandRun {
        command: command.to_string(),
        exit_code: None,
        error: Some(error),
    };
    if quiet {
        c.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
    } else {
        c.stdout(std::process::Stdio::from(std::io::stderr()));
    }
    let child = match c.spawn() {
        Ok(ch) => ch,
        Err(e) => return failed(e.to_string()),
    };
    let pid = child.id();
    // The wait (and the reading of its output) on a thread of its own, watched from here.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(o)) => {
                if quiet && !o.status.success() {
                    let _ = std::io::Write::write_all(&mut std::io::stderr(), &o.stdout);
                    let _ = std::io::Write::write_all(&mut std::io::stderr(), &o.stderr);
                }
                return CommandRun {
                    command: command.to_string(),
                    exit_code: o.status.code(),
                    error: (!o.status.success()).then(|| o.status.to_string()),
                };
            }
            Ok(Err(e)) => return failed(e.to_string()),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return failed("lost".into());
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let over = match deadline {
                    Some(d) => std::time::Instant::now() >= d,
                    None => INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst),
                };
                if over {
                    kill_command(pid);
                    return failed(crate::i18n::t("clean.command_interrupted").to_string());
                }
            }
        }
    }
}

/// Ends a command of the user's that we started (by its PID, our own child).
fn kill_command(pid: u32) {
    #[cfg(unix)]
    {
        let _ = process::signal_kill(pid);
    }
    #[cfg(windows)]
    {
        // The shell and what it started.
        let _ = std::process::Command::new("taskkill")
            .args(["/F", "/T", "/PID", &pid.to_string()])
            .output();
    }
}

/// How long the helpers left by a stop command that ended the instance's main processes get
/// to follow them on their own before they are asked to quit (on Windows a killed parent
/// leaves its children running).
const ORPHAN_GRACE: Duration = Duration::from_secs(2);

/// `--stop-cmd`: runs the user's command, then waits for the instance's processes seen before
/// to be gone. Once every main process is gone, the helpers still there a moment later are
/// given back (the caller stops those, as for `--stop-qq`: on Windows a killed parent leaves
/// its children running). A main process still there at the timeout, or a command that fails,
/// refuses the clean of this instance, naming the PIDs left (the caller still runs
/// `--start-cmd`: we never leave a bot down).
pub(super) fn stop_by_command(
    name: &str,
    command: &str,
    seen: &[QqProcess],
    args: &CleanArgs,
    quiet: bool,
    state: &mut QqState,
) -> Result<Vec<QqProcess>, Failure> {
    let run = run_command(command, quiet);
    let ok = run.ok();
    let status = run.error.clone().unwrap_or_default();
    state.stop_cmd = Some(run);
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(Failure::new(
            Exit::Interrupted,
            msg!("clean.interrupted_waiting_for", name = name),
        ));
    }
    if !ok {
        return Err(Failure::new(
            Exit::QqRunning,
            msg!("clean.stop_cmd_failed", cmd = command, status = status),
        )
        .with_hint(msg!("clean.hint_stop_cmd")));
    }
    let targets: Vec<Target> = seen.iter().map(target).collect();
    let mains: Vec<u32> = seen.iter().filter(|p| p.main).map(|p| p.pid).collect();
    let now = std::time::Instant::now;
    let mut deadline = now() + Duration::from_secs(args.stop_timeout);
    let mut orphaned = false;
    let mut left = process::still_running(&targets);
    while !left.is_empty()
        && now() < deadline
        && !INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
    {
        if !orphaned && !mains.is_empty() && !left.iter().any(|t| mains.contains(&t.pid)) {
            // The main processes are gone: their helpers get a moment to follow.
            orphaned = true;
            deadline = deadline.min(now() + ORPHAN_GRACE);
        }
        std::thread::sleep(Duration::from_millis(100));
        left = process::still_running(&targets);
    }
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) && !left.is_empty() {
        return Err(Failure::new(
            Exit::Interrupted,
            msg!("clean.interrupted_waiting_for", name = name),
        ));
    }
    let still: Vec<QqProcess> = seen
        .iter()
        .filter(|p| left.iter().any(|t| t.pid == p.pid))
        .cloned()
        .collect();
    if still.is_empty() {
        state.stopped = true;
        return Ok(still);
    }
    let orphaned = orphaned || (!mains.is_empty() && !left.iter().any(|t| mains.contains(&t.pid)));
    if !orphaned {
        // The command did not stop the bot (its main processes run): that is the command's
        // (or its service manager's) business, not ours to take over.
        return Err(did_not_quit(name, args, &still));
    }
    Ok(still)
}

/// What a stop command left of the instance's processes: said, then stopped the way
/// `--stop-qq` stops them (asked to quit, their trees waited for, killed only with `--force`),
/// when every one is ours to signal (this user's, on this host); else the PIDs left are named.
pub(super) fn stop_leftovers(
    name: &str,
    left: &[QqProcess],
    ours: bool,
    platform: crate::env::Platform,
    args: &CleanArgs,
    state: &mut QqState,
) -> Result<(), Failure> {
    let cmd = args.stop_cmd.as_deref().unwrap_or_default();
    if !ours {
        return Err(Failure::new(
            Exit::QqRunning,
            msg!(
                "clean.stop_cmd_left_not_ours",
                cmd = cmd,
                name = name,
                pids = pid_list(left)
            ),
        )
        .with_hint(msg!("clean.hint_stop_cmd_left")));
    }
    crate::stderr_line!(
        "llob-doctor: {}",
        crate::tf!(
            "clean.stop_cmd_left",
            cmd = cmd,
            name = name,
            pids = pid_list(left)
        )
    );
    state.left_by_stop_cmd = left.iter().map(|p| p.pid).collect();
    stop(name, left, platform, args, state)
}
