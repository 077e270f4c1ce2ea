//! Stopping QQ before a clean and starting it again after, over the instance model of
//! [`crate::process`]: each main process is asked to quit, its whole tree waited for, and each
//! stopped main process started again as it was. Only the processes of the user who owns the
//! data folder are ever touched.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::cli::CleanArgs;
use crate::discover::Installation;
use crate::exit::{Exit, Failure};
use crate::i18n::t;
use crate::output::{Output, Tone};
use crate::process::{self, QqProcess, StopError, StopOptions, Target};
use crate::{msg, tf};

use super::QqState;

fn pids(list: impl IntoIterator<Item = u32>) -> String {
    list.into_iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The user whose QQ this run may stop: ourselves, or, as root, the owner of the data folder.
fn allowed_uid(data_dir: &Path) -> Option<u32> {
    let me = process::current_uid()?;
    if me == 0 {
        process::owner_of(data_dir).or(Some(me))
    } else {
        Some(me)
    }
}

/// Refuses when a QQ of this install runs as another user than the one whose processes this
/// run may stop: it is never signalled, and the data is not cleaned under it.
pub fn refuse_foreign(running: &[QqProcess], data_dir: &Path) -> Result<(), Failure> {
    let Some(allowed) = allowed_uid(data_dir) else {
        return Ok(());
    };
    let foreign: Vec<&QqProcess> = running
        .iter()
        .filter(|p| p.uid.is_some_and(|u| u != allowed))
        .collect();
    let Some(first) = foreign.first() else {
        return Ok(());
    };
    let user = process::user_name(first.uid.unwrap_or_default());
    Err(Failure::new(
        Exit::QqRunning,
        msg!(
            "clean.qq_foreign",
            pids = pids(foreign.iter().map(|p| p.pid)),
            user = user,
            path = data_dir.display(),
            owner = process::user_name(allowed)
        ),
    )
    .with_hint(msg!("clean.hint_qq_foreign", user = user)))
}

fn target(p: &QqProcess) -> Target {
    Target::of(p)
}

/// Stops the trees of `mains` (and `strays`, helpers whose main is gone) and records the
/// outcome in `state`; `timed_out` words the refusal when something is still running.
pub(super) fn stop_trees(
    mains: &[Target],
    strays: &[Target],
    opts: &StopOptions,
    state: &mut QqState,
    timed_out: impl FnOnce(Vec<u32>) -> Failure,
) -> Result<(), Failure> {
    let said = |failed: &[(u32, String)]| {
        for (pid, e) in failed {
            crate::stderr_line!(
                "llob-doctor: {}",
                tf!("clean.quit_request_failed", pid = pid, error = e)
            );
        }
    };
    match process::stop_instances(mains, strays, opts) {
        Ok(done) => {
            said(&done.ask_failed);
            state.killed = done.killed;
            state.stopped = true;
            Ok(())
        }
        Err(StopError::Interrupted) => Err(Failure::new(
            Exit::Interrupted,
            msg!("clean.interrupted_waiting"),
        )),
        Err(StopError::TimedOut { left, ask_failed }) => {
            said(&ask_failed);
            Err(timed_out(left))
        }
        Err(StopError::SurvivedKill { .. }) => {
            Err(Failure::new(Exit::QqRunning, msg!("clean.survived_kill")))
        }
    }
}

/// Asks each QQ main process of the install to quit and waits for every tree to be gone;
/// force-kills what is left after the timeout only with --force.
pub fn stop_qq(
    inst: &Installation,
    args: &CleanArgs,
    qq: &mut QqState,
    interrupted: &AtomicBool,
) -> Result<(), Failure> {
    let Some(install) = inst.qq.as_ref().map(|q| q.install_dir.clone()) else {
        return Err(Failure::new(
            Exit::QqRunning,
            msg!("clean.no_install_no_signal"),
        ));
    };
    // Listed again right before signalling: each PID must still be QQ of this install, of
    // the allowed user.
    let allowed = inst.data_dir().and_then(allowed_uid);
    let now: Vec<QqProcess> = process::list_qq_processes(inst.platform)
        .into_iter()
        .filter(|p| {
            p.exe
                .as_deref()
                .is_some_and(|e| process::exe_in_install(e, &install))
        })
        .filter(|p| allowed.is_none() || p.uid.is_none() || p.uid == allowed)
        .collect();
    let mains: Vec<Target> = now.iter().filter(|p| p.main).map(target).collect();
    let strays: Vec<Target> = now
        .iter()
        .filter(|p| !p.main && p.main_pid.is_none())
        .map(target)
        .collect();
    let platform = inst.platform;
    let opts = StopOptions {
        timeout: Duration::from_secs(args.stop_timeout),
        force: args.force,
        interrupted,
        in_tree: &|name| process::is_qq_name(platform, name),
    };
    stop_trees(&mains, &strays, &opts, qq, |left| {
        Failure::new(
            Exit::QqRunning,
            msg!(
                "clean.did_not_quit",
                secs = args.stop_timeout,
                pids = pids(left)
            ),
        )
        .with_hint(msg!("clean.hint_did_not_quit"))
    })
}

/// Starts every stopped main process again, each as it was started.
pub fn restart_qq(inst: &Installation, running: &[QqProcess], qq: &mut QqState) {
    let flatpak = inst.qq.as_ref().is_some_and(|q| q.flatpak);
    let mains: Vec<QqProcess> = running
        .iter()
        .filter(|p| p.main)
        .cloned()
        .map(|mut p| {
            // Flatpak QQ reports its sandbox path; start it through flatpak instead.
            if flatpak && !p.exe.as_deref().is_some_and(Path::exists) {
                p.exe = Some(PathBuf::from("flatpak"));
                p.cmd = vec!["flatpak".into(), "run".into(), "com.qq.QQ".into()];
            }
            p
        })
        .collect();
    for o in process::restart_all(&mains) {
        if o.pid.is_some() {
            qq.restarted.push(o);
        } else {
            qq.restart_failed.push(o);
        }
    }
}

/// The lines saying what became of each restart.
pub fn render_restarts(s: &mut String, qq: &QqState, asked: bool, out: &Output) {
    for o in &qq.restarted {
        if let Some(pid) = o.pid {
            let _ = writeln!(s, "{}", tf!("clean.restarted", pid = pid, was = o.was_pid));
        }
    }
    for o in &qq.restart_failed {
        let _ = writeln!(
            s,
            "{} {}",
            out.paint(Tone::Bad, &tf!("clean.restart_failed", was = o.was_pid)),
            o.error.as_deref().unwrap_or_default()
        );
    }
    if asked && !qq.was_running {
        let _ = writeln!(s, "{}", t("clean.not_running_before"));
    }
}
