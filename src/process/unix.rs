//! Unix calls behind small functions: signals, who we are, the passwd database, and the steps
//! that turn a child into another user before it runs QQ.

use std::ffi::{CStr, CString};
use std::io;
use std::path::PathBuf;

pub fn effective_uid() -> u32 {
    // SAFETY: geteuid(2) cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

pub fn signal(pid: u32, sig: libc::c_int) -> io::Result<()> {
    let pid = libc::pid_t::try_from(pid)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "pid out of range"))?;
    if pid <= 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a process id",
        ));
    }
    // SAFETY: kill(2) has no memory-safety preconditions; pid > 0 names one process only.
    if unsafe { libc::kill(pid, sig) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// A user from the passwd database, with the groups it belongs to.
#[derive(Debug, Clone)]
pub struct User {
    pub uid: u32,
    pub gid: u32,
    pub name: String,
    pub home: PathBuf,
    pub shell: String,
    pub groups: Vec<libc::gid_t>,
}

/// Looks a uid up in the passwd database (`getpwuid_r`), with its supplementary groups.
pub fn user(uid: u32) -> Option<User> {
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: all-zero is a valid `passwd` to be filled in.
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: the buffer and its length match; `pw` and `result` outlive the call.
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pw,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() {
        return None;
    }
    // SAFETY: on success the fields point into `buf`, NUL-terminated.
    let text = |p: *const libc::c_char| -> String {
        if p.is_null() {
            String::new()
        } else {
            unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
        }
    };
    let name = text(pw.pw_name);
    let home = PathBuf::from(text(pw.pw_dir));
    let shell = text(pw.pw_shell);
    let gid = pw.pw_gid;
    let groups = group_list(&name, gid);
    Some(User {
        uid,
        gid,
        name,
        home,
        shell,
        groups,
    })
}

pub fn user_name(uid: u32) -> Option<String> {
    user(uid).map(|u| u.name)
}

/// macOS declares `getgrouplist` with `int` group ids.
#[cfg(target_vendor = "apple")]
type GroupId = libc::c_int;
#[cfg(not(target_vendor = "apple"))]
type GroupId = libc::gid_t;

/// The groups `name` belongs to (`getgrouplist`), read before a fork: reading the group
/// database is not safe between fork and exec.
fn group_list(name: &str, gid: libc::gid_t) -> Vec<libc::gid_t> {
    let Ok(cname) = CString::new(name) else {
        return vec![gid];
    };
    let mut n: libc::c_int = 64;
    for _ in 0..4 {
        let mut groups: Vec<GroupId> = vec![0; usize::try_from(n).unwrap_or(64)];
        let mut count = n;
        // SAFETY: `groups` holds `count` entries; `cname` is NUL-terminated.
        let rc = unsafe {
            libc::getgrouplist(
                cname.as_ptr(),
                gid as GroupId,
                groups.as_mut_ptr(),
                &mut count,
            )
        };
        if rc >= 0 {
            groups.truncate(usize::try_from(count).unwrap_or(0));
            return groups.into_iter().map(|g| g as libc::gid_t).collect();
        }
        n = count.max(n * 2);
    }
    vec![gid]
}

/// Run between fork and exec: a new session (QQ outlives us and does not share our terminal),
/// then, when given, become `user` (groups, gid, then uid; any failure stops the exec).
pub fn detach_and_become(user: Option<&(u32, u32, Vec<libc::gid_t>)>) -> io::Result<()> {
    // SAFETY: setsid, setgroups, setgid and setuid are async-signal-safe system calls; the
    // group list was prepared before the fork.
    unsafe {
        libc::setsid();
        if let Some((uid, gid, groups)) = user
            && (libc::setgroups(groups.len() as _, groups.as_ptr()) != 0
                || libc::setgid(*gid) != 0
                || libc::setuid(*uid) != 0)
        {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
