//! Stopping and restarting a bot stack that runs as programs of its own (LLBot: launcher,
//! PMHQ, node, and the QQ that PMHQ started). The stack says which process is the main one;
//! it is asked to quit, and the clean waits until every process of the stack is gone. Only
//! the main one is started again: what it started follows it (a QQ started by PMHQ is never
//! restarted on its own).

use std::time::{Duration, Instant};

use super::report::CommandRun;
use super::{INTERRUPTED, QqState, pid_list};
use crate::cli::CleanArgs;
use crate::discover::llbot::list_processes;
use crate::exit::{Exit, Failure};
use crate::msg;
use crate::process::{self, QqProcess, StopOptions, Target};

/// Which of `pids` still run (by PID and a stack program's name, so a reused PID of another
/// program does not count), plus the QQ processes given.
fn left(pids: &[u32], qq: &dyn Fn() -> Vec<QqProcess>) -> Vec<QqProcess> {
    let mut out: Vec<QqProcess> = list_processes()
        .into_iter()
        .map(|r| r.process)
        .filter(|p| pids.contains(&p.pid))
        .collect();
    out.extend(qq().into_iter().filter(|p| pids.contains(&p.pid)));
    out
}

fn wait(pids: &[u32], qq: &dyn Fn() -> Vec<QqProcess>, timeout: Duration) -> Vec<QqProcess> {
    let deadline = Instant::now() + timeout;
    let mut still = left(pids, qq);
    while !still.is_empty()
        && Instant::now() < deadline
        && !INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
    {
        std::thread::sleep(Duration::from_millis(100));
        still = left(pids, qq);
    }
    still
}

fn did_not_quit(args: &CleanArgs, still: &[QqProcess]) -> Failure {
    Failure::new(
        Exit::QqRunning,
        msg!(
            "clean.bot_did_not_quit",
            secs = args.stop_timeout,
            pids = pid_list(still)
        ),
    )
    .with_hint(msg!("clean.hint_did_not_quit"))
}

/// Asks the main process of the stack to quit and waits for its whole tree (the stack's
/// programs and the QQ they started) to be gone; force-kills what is left after the timeout
/// only with --force. The process module does the work, as for QQ's own instances.
pub(super) fn stop(
    all: &[QqProcess],
    args: &CleanArgs,
    state: &mut QqState,
) -> Result<(), Failure> {
    let target = Target::of;
    let mut mains: Vec<Target> = all.iter().filter(|p| p.main).map(target).collect();
    if mains.is_empty() {
        mains = all.iter().map(target).collect();
    }
    let strays: Vec<Target> = all.iter().filter(|p| !p.main).map(target).collect();
    let names: Vec<String> = all.iter().map(|p| p.name.clone()).collect();
    let in_tree = |name: &str| names.iter().any(|n| n == name);
    let opts = StopOptions {
        timeout: Duration::from_secs(args.stop_timeout),
        force: args.force,
        interrupted: &INTERRUPTED,
        in_tree: &in_tree,
    };
    super::control::stop_trees(&mains, &strays, &opts, state, |left| {
        let still: Vec<QqProcess> = all
            .iter()
            .filter(|p| left.contains(&p.pid))
            .cloned()
            .collect();
        did_not_quit(args, &still)
    })
}

/// Starts the main process again with its original arguments, folder and environment; what
/// it started (PMHQ, QQ) follows it.
pub(super) fn restart(all: &[QqProcess], state: &mut QqState) {
    let mains: Vec<QqProcess> = all.iter().filter(|p| p.main).cloned().collect();
    for o in process::restart_all(&mains) {
        if o.pid.is_some() {
            state.restarted.push(o);
        } else {
            state.restart_failed.push(o);
        }
    }
}

/// Runs one of the user's commands through the shell (`sh -c` on Unix, `cmd /C` on Windows)
/// and waits for it; its output goes where ours goes.
pub(super) fn run_command(command: &str) -> CommandRun {
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
    // Its output is the user's: to stderr, so `--json` keeps stdout to itself.
    c.stdout(std::process::Stdio::from(std::io::stderr()));
    match c.status() {
        Ok(st) => CommandRun {
            command: command.to_string(),
            exit_code: st.code(),
            error: (!st.success()).then(|| st.to_string()),
        },
        Err(e) => CommandRun {
            command: command.to_string(),
            exit_code: None,
            error: Some(e.to_string()),
        },
    }
}

/// `--stop-cmd`: runs the user's command, then waits for the processes seen before to be gone.
pub(super) fn stop_by_command(
    command: &str,
    seen: &[QqProcess],
    qq_now: &dyn Fn() -> Vec<QqProcess>,
    args: &CleanArgs,
    state: &mut QqState,
) -> Result<(), Failure> {
    let run = run_command(command);
    let ok = run.ok();
    let status = run.error.clone().unwrap_or_default();
    state.stop_cmd = Some(run);
    if !ok {
        return Err(Failure::new(
            Exit::QqRunning,
            msg!("clean.stop_cmd_failed", cmd = command, status = status),
        )
        .with_hint(msg!("clean.hint_stop_cmd")));
    }
    let pids: Vec<u32> = seen.iter().map(|p| p.pid).collect();
    let still = wait(&pids, qq_now, Duration::from_secs(args.stop_timeout));
    if !still.is_empty() {
        return Err(did_not_quit(args, &still));
    }
    state.stopped = true;
    Ok(())
}
