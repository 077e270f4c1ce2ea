//! Processes: finding QQ's (and telling an Electron/Chromium main process from its helpers),
//! stopping and restarting whole instances.
//!
//! An *instance* is one main process plus its tree (every descendant, whatever its name). Which
//! process is the main one is data: for QQ the Electron main process (no `--type=`, parent not
//! a QQ of the same executable); for a launcher-based stack it would be the launcher. Stopping
//! asks each instance's main process only, then waits for the whole tree; restarting starts each
//! stopped main process again from what was read from that main process alone.

mod list;
mod restart;
mod stop;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
mod windows_console;

pub use list::{
    Listing, PROFILE_VAR, QqProcess, classify, exe_in_install, has_type_arg, is_qq_name, list_all,
    list_for_discovery, list_named, list_qq_processes, mount_namespace, own_mount_namespace,
    process_uid,
};
pub use restart::{RestartOutcome, launch, restart_all};
pub use stop::{StopError, StopOptions, Stopped, Target, still_running, stop_instances};

thread_local! {
    /// Set on a thread where root acts as another user (`clean::as_owner`).
    static ACTING_AS: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

/// Marks this thread as root acting for `uid`: a program started again here gets that user's
/// own environment (HOME, USER, LOGNAME, SHELL from the passwd database), as root's would not do.
pub fn mark_acting_as(uid: u32) {
    ACTING_AS.with(|a| a.set(Some(uid)));
}

/// The user this thread acts for, when root dropped to it.
pub fn acting_as() -> Option<u32> {
    ACTING_AS.with(|a| a.get())
}

/// `Some(exit code)` when this run is the Windows console helper (see `windows_console`):
/// `main` calls it first, before the command line is parsed.
pub fn helper(args: &[std::ffi::OsString]) -> Option<i32> {
    #[cfg(windows)]
    {
        windows_console::helper(args)
    }
    #[cfg(not(windows))]
    {
        let _ = args;
        None
    }
}

/// The user a process runs as (Unix uid); `None` where unknown or not meaningful (Windows).
pub fn current_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        Some(unix::effective_uid())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The owner (uid) of a file or folder on Unix.
pub fn owner_of(path: &std::path::Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// A user's primary group and every group it belongs to (Unix), from the passwd and group
/// databases.
#[cfg(unix)]
pub fn user_groups(uid: u32) -> Option<(u32, Vec<u32>)> {
    let u = unix::user(uid)?;
    Some((u.gid, u.groups.clone()))
}

/// Kills one process (SIGKILL): a command of the user's that llob-doctor started itself.
#[cfg(unix)]
pub fn signal_kill(pid: u32) -> std::io::Result<()> {
    unix::signal(pid, libc::SIGKILL)
}

/// A user's login name, for messages (`uid 1001` when the passwd database does not know it).
pub fn user_name(uid: u32) -> String {
    #[cfg(unix)]
    {
        unix::user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
    }
    #[cfg(not(unix))]
    {
        format!("uid {uid}")
    }
}
