//! Root acts on another user's bot as that user. The work for one instance (its lock, plan,
//! removal, trash, and the signals and restarts of its processes) runs on a thread of its own
//! whose credentials are dropped to the owner's uid, gid and groups (Linux keeps credentials per
//! thread; the raw system calls change only the calling thread, unlike libc's wrappers, which
//! change every thread of the process). The kernel then refuses whatever that user could not
//! do: another user's file, a root-only file reached through a planted link, another user's
//! process. Threads started from that thread inherit the dropped credentials.

use crate::i18n::Msg;
use crate::msg;

/// The user to act as, with the groups read before the drop (reading the group database
/// afterwards may fail for lack of permission).
#[derive(Debug, Clone)]
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub struct ActAs {
    pub uid: u32,
    gid: u32,
    groups: Vec<u32>,
}

impl ActAs {
    /// Whom this run must act as for a folder owned by `uid`: `None` when that is us already
    /// (or the OS has no such thing), the user otherwise. Root only: an ordinary user cannot
    /// act for another, and is refused elsewhere.
    pub fn for_owner(uid: Option<u32>) -> Option<ActAs> {
        let uid = uid?;
        let me = crate::process::current_uid()?;
        if me != 0 || uid == 0 {
            return None;
        }
        #[cfg(unix)]
        {
            let (gid, groups) = match crate::process::user_groups(uid) {
                Some(g) => g,
                // A uid without a passwd entry: its own number as its group, nothing more.
                None => (uid, vec![uid]),
            };
            Some(ActAs { uid, gid, groups })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

/// Runs `work` as `who` (on a thread with dropped credentials), or as we are when `who` is
/// `None`. Fails, running nothing, when the credentials cannot be dropped.
pub fn run<T: Send>(who: Option<&ActAs>, work: impl FnOnce() -> T + Send) -> Result<T, Msg> {
    let Some(who) = who else {
        return Ok(work());
    };
    std::thread::scope(|s| {
        let t = s.spawn(move || {
            become_user(who)?;
            Ok(work())
        });
        match t.join() {
            Ok(r) => r,
            Err(p) => std::panic::resume_unwind(p),
        }
    })
}

#[cfg(target_os = "linux")]
fn become_user(who: &ActAs) -> Result<(), Msg> {
    let fail = |step: &str| {
        msg!(
            "clean.as_owner_failed",
            user = crate::process::user_name(who.uid),
            step = step,
            error = std::io::Error::last_os_error()
        )
    };
    let groups: Vec<libc::gid_t> = who.groups.iter().map(|g| *g as libc::gid_t).collect();
    // SAFETY: raw system calls with plain integer arguments and a pointer to `groups`, which
    // outlives the call. They change this thread's credentials only.
    unsafe {
        if libc::syscall(libc::SYS_setgroups, groups.len(), groups.as_ptr()) != 0 {
            return Err(fail("setgroups"));
        }
        if libc::syscall(libc::SYS_setresgid, who.gid, who.gid, who.gid) != 0 {
            return Err(fail("setresgid"));
        }
        if libc::syscall(libc::SYS_setresuid, who.uid, who.uid, who.uid) != 0 {
            return Err(fail("setresuid"));
        }
    }
    // Checked, not assumed: from here on this thread is that user.
    // SAFETY: geteuid reads this thread's effective uid.
    if unsafe { libc::syscall(libc::SYS_geteuid) } as u32 != who.uid {
        return Err(fail("geteuid"));
    }
    crate::process::mark_acting_as(who.uid);
    Ok(())
}

/// Without per-thread credentials (macOS, the BSDs) root does not act for another user: that
/// user runs the clean.
#[cfg(not(target_os = "linux"))]
fn become_user(who: &ActAs) -> Result<(), Msg> {
    Err(msg!(
        "clean.as_owner_unsupported",
        user = crate::process::user_name(who.uid)
    ))
}
