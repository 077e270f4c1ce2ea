//! Who listens on a local TCP port, and whether the bot's OneBot token may be sent there.
//!
//! The probe asks `127.0.0.1:<port>` with `Authorization: Bearer <token>`. When the bot is down,
//! any user's program can listen on that port and would receive the token. So before the token
//! is sent, the listening socket's process is looked up:
//! - Linux: the socket's inode in `/proc/net/tcp` and `tcp6` (state LISTEN on the port, on
//!   127.0.0.1 or any address), then which `/proc/<pid>/fd/*` is `socket:[inode]`;
//! - Windows: `GetExtendedTcpTable` (the owning PID of each listener);
//! - macOS: `lsof -nP -iTCP:<port> -sTCP:LISTEN -F pu`.
//!
//! The token may go to a listener held by one of the bot instance's processes ([`Expected`]
//! `pids`), or, when no process of it is known, by a process of the user who owns its data
//! folder (`uid`, who can read the token anyway). A process of root (on Windows, SYSTEM) is
//! accepted too: root reads every config anyway, and publishes a container's port
//! (`docker-proxy`). Anything else, or a listener whose process cannot be seen, gets nothing.

use serde::Serialize;

#[cfg(target_os = "linux")]
#[path = "listener/linux.rs"]
mod os;
#[cfg(target_os = "macos")]
#[path = "listener/macos.rs"]
mod os;
#[cfg(windows)]
#[path = "listener/windows.rs"]
mod os;
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod os {
    pub fn holders(
        _port: u16,
        _first: &[u32],
        _enough: &dyn Fn(&super::Holder) -> bool,
    ) -> Result<Option<Vec<super::Holder>>, String> {
        Err("this platform offers no way to tell which program listens on a port".into())
    }
}

/// Whose listener may get the token: the bot instance's processes, else its data folder's owner.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub pids: Vec<u32>,
    /// The owner of the bot's data folder (Unix); on Windows `None` means this user.
    pub uid: Option<u32>,
}

/// A process holding the listening socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub pid: u32,
    /// Unix uid; on Windows 0 for SYSTEM, else `None` (another user) or this user's marker.
    pub uid: Option<u32>,
    pub name: Option<String>,
    /// Windows: the process runs as this user.
    #[serde(skip)]
    pub same_user: bool,
}

/// What was found on the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A process of the bot (or of the user it runs as) listens: the token may go.
    Bot(Holder),
    /// Nothing listens on that port.
    Nothing,
    /// Only other programs listen: the token must not go.
    Other(Vec<Holder>),
    /// Someone listens, but which process cannot be told (why).
    Unknown(String),
}

/// Is `h` allowed to receive the token?
fn allowed(h: &Holder, e: &Expected) -> bool {
    if h.uid == Some(0) {
        return true;
    }
    if !e.pids.is_empty() {
        return e.pids.contains(&h.pid);
    }
    match e.uid {
        Some(uid) => h.uid == Some(uid),
        // Windows: the data folder's owner is not looked up; this user's processes.
        None => h.same_user,
    }
}

/// Who listens on `127.0.0.1:port`, judged against `expected`.
pub fn check(port: u16, expected: &Expected) -> Verdict {
    let enough = |h: &Holder| allowed(h, expected);
    let holders = match os::holders(port, &expected.pids, &enough) {
        Ok(Some(h)) => h,
        Ok(None) => return Verdict::Nothing,
        Err(why) => return Verdict::Unknown(why),
    };
    if holders.is_empty() {
        return Verdict::Unknown(crate::i18n::t("listener.not_visible").to_string());
    }
    match holders.iter().find(|h| allowed(h, expected)) {
        Some(h) => Verdict::Bot(h.clone()),
        None => Verdict::Other(holders),
    }
}

/// The holders in words for a message: `PID 4242 (nc, user mallory)`.
pub fn describe(holders: &[Holder]) -> String {
    holders
        .iter()
        .map(|h| {
            let mut parts = Vec::new();
            if let Some(n) = &h.name {
                parts.push(crate::clean::guard::escape(n));
            }
            if let Some(uid) = h.uid {
                parts.push(crate::tf!(
                    "listener.user",
                    user = crate::process::user_name(uid)
                ));
            }
            if parts.is_empty() {
                format!("PID {}", h.pid)
            } else {
                format!("PID {} ({})", h.pid, parts.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(pid: u32, uid: Option<u32>) -> Holder {
        Holder {
            pid,
            uid,
            name: None,
            same_user: false,
        }
    }

    #[test]
    fn who_may_get_the_token() {
        let bot = Expected {
            pids: vec![10, 11],
            uid: Some(1000),
        };
        assert!(allowed(&holder(11, Some(1000)), &bot));
        // Known processes: another process of the same user is not the bot.
        assert!(!allowed(&holder(12, Some(1000)), &bot));
        assert!(allowed(&holder(12, Some(0)), &bot));
        let by_owner = Expected {
            pids: Vec::new(),
            uid: Some(1000),
        };
        assert!(allowed(&holder(12, Some(1000)), &by_owner));
        assert!(!allowed(&holder(12, Some(1001)), &by_owner));
        assert!(!allowed(&holder(12, None), &by_owner));
    }

    /// A listener of this very test process: seen, and judged by PID and by uid.
    #[cfg(any(target_os = "linux", windows))]
    #[test]
    fn this_process_listening_is_found() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let me = std::process::id();
        let mine = Expected {
            pids: vec![me],
            uid: None,
        };
        match check(port, &mine) {
            Verdict::Bot(h) => assert_eq!(h.pid, me),
            // Wine 8 reports no owning PID: then nothing may be sent, and that is what is said.
            Verdict::Unknown(why) if cfg!(windows) => {
                eprintln!("SKIPPED: the system reports no listener's PID here: {why}");
                return;
            }
            other => panic!("{other:?}"),
        }
        let someone_else = Expected {
            pids: vec![1],
            uid: None,
        };
        match check(port, &someone_else) {
            Verdict::Other(h) => assert!(h.iter().any(|h| h.pid == me), "{h:?}"),
            // As root, this process is root's: allowed.
            Verdict::Bot(h) => assert_eq!(h.uid, Some(0)),
            other => panic!("{other:?}"),
        }
        drop(l);
        assert_eq!(check(port, &mine), Verdict::Nothing);
    }
}
