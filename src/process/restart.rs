//! Restarting: every stopped main process, each with its own executable, arguments, working
//! directory and environment (all read from that main process), detached from us; then, about
//! a second later, a check that each new process still runs.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde::Serialize;

use super::QqProcess;

/// What became of one stopped main process.
#[derive(Debug, Clone, Serialize)]
pub struct RestartOutcome {
    /// The PID of the main process that was stopped.
    pub was_pid: u32,
    /// The new process, when it was started and still ran a second later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Why it was not started, or how it ended at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How long a new process must live to count as started.
const SETTLE: Duration = Duration::from_millis(1200);

/// A started process, however it was started.
enum Launched {
    Child(Child),
    /// A console program in a new console of its own (Windows).
    #[cfg(windows)]
    Console(super::windows_console::Launched),
}

impl Launched {
    fn id(&self) -> u32 {
        match self {
            Launched::Child(c) => c.id(),
            #[cfg(windows)]
            Launched::Console(c) => c.pid,
        }
    }

    /// `None` while it runs; how it ended, in words, once it has.
    fn ended(&mut self) -> std::io::Result<Option<String>> {
        match self {
            Launched::Child(c) => Ok(c.try_wait()?.map(|s| s.to_string())),
            #[cfg(windows)]
            Launched::Console(c) => Ok(c.try_wait()?.map(|code| format!("exit code: {code}"))),
        }
    }
}

/// Starts every main process of `mains` again; returns one outcome per main, in order.
pub fn restart_all(mains: &[QqProcess]) -> Vec<RestartOutcome> {
    let mut started: Vec<(u32, std::io::Result<Launched>)> =
        mains.iter().map(|m| (m.pid, spawn(m))).collect();
    if started.iter().any(|(_, c)| c.is_ok()) {
        std::thread::sleep(SETTLE);
    }
    started
        .iter_mut()
        .map(|(was_pid, child)| {
            let was_pid = *was_pid;
            match child {
                Err(e) => RestartOutcome {
                    was_pid,
                    pid: None,
                    error: Some(e.to_string()),
                },
                Ok(c) => match c.ended() {
                    Ok(None) => RestartOutcome {
                        was_pid,
                        pid: Some(c.id()),
                        error: None,
                    },
                    Ok(Some(status)) => RestartOutcome {
                        was_pid,
                        pid: None,
                        error: Some(format!(
                            "the new process (PID {}) exited within a second ({status})",
                            c.id()
                        )),
                    },
                    Err(e) => RestartOutcome {
                        was_pid,
                        pid: None,
                        error: Some(format!("the new process (PID {}): {e}", c.id())),
                    },
                },
            }
        })
        .collect()
}

/// Starts a launcher that may end once it has started what it starts (NapCat.Shell's
/// `NapCatWinBootMain.exe`): its PID, nothing waited for. A console program (on Windows) gets a
/// console of its own.
pub fn launch(p: &QqProcess) -> std::io::Result<u32> {
    spawn(p).map(|l| l.id())
}

/// Starts one main process again as it was started, as the user it ran as; a console program
/// (on Windows) in a console of its own.
fn spawn(main: &QqProcess) -> std::io::Result<Launched> {
    let exe = main.exe.as_deref().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the executable of PID {} is unknown", main.pid),
        )
    })?;
    #[cfg(windows)]
    if main.stop.new_console() {
        let cwd = main.cwd.as_deref().filter(|d| d.is_dir());
        let args = main.cmd.get(1..).unwrap_or_default();
        return super::windows_console::spawn_in_new_console(exe, args, cwd, &main.environ)
            .map(Launched::Console);
    }
    let mut c = Command::new(exe);
    c.args(main.cmd.iter().skip(1))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(cwd) = main.cwd.as_deref().filter(|d| d.is_dir()) {
        c.current_dir(cwd);
    }
    if !main.environ.is_empty() {
        c.env_clear().envs(main.environ.iter().map(|(k, v)| (k, v)));
    }
    #[cfg(unix)]
    unix_setup(&mut c, main)?;
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const DETACHED_PROCESS: u32 = 0x0000_0008;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        c.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
        super::windows::keep_std_handles_from_children();
    }
    c.spawn().map(Launched::Child)
}

/// The same program name QQ saw (`./qq`, a symlink's name), a new session, and, when we are
/// root and QQ ran as another user, that user: groups, gid, uid and the passwd HOME, USER,
/// LOGNAME and SHELL. A QQ of another user is never started as root.
#[cfg(unix)]
fn unix_setup(c: &mut Command, main: &QqProcess) -> std::io::Result<()> {
    use std::os::unix::process::CommandExt;
    if let Some(arg0) = main
        .cmd
        .first()
        .filter(|a| !a.is_empty() && !a.contains(' '))
    {
        c.arg0(arg0);
    }
    let me = super::unix::effective_uid();
    let target = main.uid.unwrap_or(me);
    let switch = if target == me {
        if super::acting_as() == Some(me)
            && let Some(u) = super::unix::user(me)
        {
            // Root acting as this user: the program gets the user's own environment.
            c.env("HOME", &u.home)
                .env("USER", &u.name)
                .env("LOGNAME", &u.name);
            if !u.shell.is_empty() {
                c.env("SHELL", &u.shell);
            }
        }
        None
    } else if me == 0 {
        let u = super::unix::user(target).ok_or_else(|| {
            std::io::Error::other(format!(
                "QQ ran as uid {target}, which the passwd database does not know: not starting it as root"
            ))
        })?;
        c.env("HOME", &u.home)
            .env("USER", &u.name)
            .env("LOGNAME", &u.name);
        if !u.shell.is_empty() {
            c.env("SHELL", &u.shell);
        }
        Some((u.uid, u.gid, u.groups))
    } else {
        return Err(std::io::Error::other(format!(
            "QQ ran as {}, not as this user: only that user (or root) can start it again",
            super::user_name(target)
        )));
    };
    // SAFETY: the closure only makes async-signal-safe system calls on data prepared before
    // the fork (see detach_and_become).
    unsafe {
        c.pre_exec(move || super::unix::detach_and_become(switch.as_ref()));
    }
    Ok(())
}
