//! QQ's processes: finding them (sysinfo, refreshing only what is needed) and telling the
//! main Electron process from its helpers.
//!
//! Electron is Chromium: one browser (main) process, then zygotes, GPU, utility and renderer
//! helpers of the same executable, each with `--type=`. Chromium rewrites a helper's process
//! title, so its `/proc/<pid>/cmdline` is often one space-joined string without NULs; the
//! `--type=` is then inside the first "argument". A helper's environment area is overwritten by
//! that title too: arguments and environment are only ever taken from a main process.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

use crate::env::Platform;
use crate::stack::Stop;

/// The variable LiteLoaderQQNT reads its profile folder from.
pub const PROFILE_VAR: &str = "LITELOADERQQNT_PROFILE";

#[derive(Debug, Clone, Serialize)]
pub struct QqProcess {
    pub pid: u32,
    pub name: String,
    #[serde(serialize_with = "crate::output::path::opt")]
    pub exe: Option<PathBuf>,
    /// The command line, program first.
    pub cmd: Vec<String>,
    #[serde(serialize_with = "crate::output::path::opt")]
    pub cwd: Option<PathBuf>,
    /// The Electron main process: no `--type=` anywhere in the command line, and its parent is
    /// not a QQ process of the same executable.
    pub main: bool,
    /// The parent process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<u32>,
    /// For a helper: the main process whose tree it belongs to, when that is running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_pid: Option<u32>,
    /// The user it runs as (Unix uid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// When it started (seconds since the epoch), to tell it from a later process that reuses
    /// its PID.
    #[serde(skip)]
    pub start_time: u64,
    /// Whether the executable lies inside the QQ install found; `None` while no install is known.
    pub verified: Option<bool>,
    /// `LITELOADERQQNT_PROFILE` from the process's environment, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_env: Option<String>,
    /// The whole environment, to restart QQ as it was started (never printed: it may hold secrets).
    #[serde(skip)]
    pub environ: Vec<(String, String)>,
    /// The mount namespace it runs in (Linux: the inode of `/proc/<pid>/ns/mnt`), when readable:
    /// one other than ours is a container's, whose paths are inside `/proc/<pid>/root`.
    #[serde(skip)]
    pub mnt_ns: Option<u64>,
    /// How it is asked to quit and started again: QQ's way unless its stack's program row says
    /// otherwise.
    #[serde(skip)]
    pub stop: Stop,
}

/// Every process of a listing whose name was wanted, plus the parent of every process on the
/// machine (to tell whose child a QQ is, through any program in between).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub procs: Vec<QqProcess>,
    pub parents: std::collections::HashMap<u32, u32>,
}

impl Listing {
    /// The ancestors of `pid`, nearest first (bounded: PIDs are data, a cycle cannot loop).
    pub fn ancestors(&self, pid: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut at = pid;
        while let Some(&p) = self.parents.get(&at) {
            if p == 0 || out.contains(&p) || out.len() > 512 {
                break;
            }
            out.push(p);
            at = p;
        }
        out
    }
}

/// Process names QQ runs under on each platform.
pub fn is_qq_name(platform: Platform, name: &str) -> bool {
    match platform {
        Platform::Windows => name.eq_ignore_ascii_case("QQ.exe"),
        Platform::Linux => name == "qq",
        Platform::Macos => name == "QQ" || name.starts_with("QQ Helper"),
    }
}

/// Electron's helpers carry `--type=renderer|gpu-process|zygote|utility|...`; the main process
/// does not. Found as an argument of its own, or inside a rewritten title (`/opt/QQ/qq
/// --type=zygote ...` as one string).
pub fn has_type_arg(cmd: &[String]) -> bool {
    cmd.iter()
        .enumerate()
        .any(|(i, a)| (i > 0 && a.starts_with("--type=")) || a.contains(" --type="))
}

/// Sets `main` and `main_pid` from the command lines and the parent relation: a process is a
/// helper when it has `--type=`, or (not on Windows) when its parent is a listed process of the
/// same executable (a zygote's children, or a child of the main process). A helper's main process is the first
/// ancestor in the list that is a main process.
pub fn classify(procs: &mut [QqProcess]) {
    use std::collections::HashMap;
    let index: HashMap<u32, usize> = procs.iter().enumerate().map(|(i, p)| (p.pid, i)).collect();
    let same_exe = |a: &QqProcess, b: &QqProcess| match (&a.exe, &b.exe) {
        (Some(x), Some(y)) => x == y,
        _ => a.name == b.name,
    };
    let listed_parent = |i: usize| -> Option<usize> {
        let p = &procs[i];
        let j = *index.get(&p.parent?)?;
        // Windows keeps a dead parent's PID, which a later QQ may reuse.
        let in_order = super::stop::started_in_order(procs[j].start_time, p.start_time);
        (j != i && same_exe(p, &procs[j]) && in_order).then_some(j)
    };
    // The parent decides only where a helper can rewrite its command line (Chromium's process
    // titles on Linux and macOS). On Windows `--type=` always stands in a helper's command
    // line, while a dead parent's PID may be taken by another QQ started in the same second
    // (seen under Wine), which would make a main process look like a helper.
    let parent_decides = !cfg!(windows);
    let mains: Vec<bool> = (0..procs.len())
        .map(|i| {
            !has_type_arg(&procs[i].cmd)
                && (!parent_decides || listed_parent(i).is_none())
                // macOS: the helpers are separate executables, `QQ Helper (Renderer)` etc.
                && !procs[i].name.starts_with("QQ Helper")
        })
        .collect();
    let main_of: Vec<Option<u32>> = (0..procs.len())
        .map(|i| {
            if mains[i] {
                return None;
            }
            let mut at = i;
            // Bounded: a parent cycle (impossible, but PIDs are data) cannot loop forever.
            for _ in 0..procs.len() {
                at = listed_parent(at)?;
                if mains[at] {
                    return Some(procs[at].pid);
                }
            }
            None
        })
        .collect();
    for (i, p) in procs.iter_mut().enumerate() {
        p.main = mains[i];
        p.main_pid = main_of[i];
        if !p.main {
            // A helper's environment area holds its rewritten title, not its environment.
            p.environ.clear();
            p.profile_env = None;
        }
    }
}

/// Is `exe` inside the install folder? Both sides are canonicalized where possible, since
/// `/proc/<pid>/exe` names the resolved file.
pub fn exe_in_install(exe: &Path, install_dir: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(exe).starts_with(canon(install_dir))
}

/// Every process on this machine whose name `wanted` accepts, by PID. Names are read for all
/// processes; executable, command line, working directory, user and environment only for those
/// that match. A process that has exited but is not reaped yet (a zombie) is gone already.
pub fn list_named(wanted: impl Fn(&str) -> bool) -> Vec<QqProcess> {
    list_all(wanted).procs
}

/// [`list_named`], with every process's parent.
pub fn list_all(wanted: impl Fn(&str) -> bool) -> Listing {
    let mut sys = System::new();
    // Without tasks: on Linux sysinfo otherwise lists every thread as a process of its own,
    // and an Electron main process has dozens of threads, many named like it.
    let names_only = ProcessRefreshKind::nothing().without_tasks();
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, names_only);
    let pids: Vec<Pid> = sys
        .processes()
        .iter()
        .filter(|(_, p)| p.thread_kind().is_none())
        .filter(|(_, p)| p.name().to_str().is_some_and(&wanted))
        .map(|(pid, _)| *pid)
        .collect();
    let parents = sys
        .processes()
        .iter()
        .filter_map(|(pid, p)| Some((pid.as_u32(), p.parent()?.as_u32())))
        .collect();
    if pids.is_empty() {
        return Listing {
            procs: Vec::new(),
            parents,
        };
    }
    let details = ProcessRefreshKind::nothing()
        .without_tasks()
        .with_exe(UpdateKind::Always)
        .with_cmd(UpdateKind::Always)
        .with_cwd(UpdateKind::Always)
        .with_environ(UpdateKind::Always)
        .with_user(UpdateKind::Always);
    sys.refresh_processes_specifics(ProcessesToUpdate::Some(&pids), true, details);
    let mut out: Vec<QqProcess> = pids
        .iter()
        .filter_map(|pid| sys.process(*pid))
        .filter(|p| p.status() != sysinfo::ProcessStatus::Zombie)
        .map(|p| {
            let cmd: Vec<String> = p
                .cmd()
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let environ: Vec<(String, String)> = p
                .environ()
                .iter()
                .filter_map(|kv| {
                    let (k, v) = kv.to_str()?.split_once('=')?;
                    Some((k.to_string(), v.to_string()))
                })
                .collect();
            let profile_env = environ
                .iter()
                .find(|(k, v)| k == PROFILE_VAR && !v.is_empty())
                .map(|(_, v)| v.clone());
            QqProcess {
                pid: p.pid().as_u32(),
                name: p.name().to_string_lossy().into_owned(),
                exe: p.exe().map(Path::to_path_buf),
                main: false,
                parent: p.parent().map(|pp| pp.as_u32()),
                main_pid: None,
                uid: process_uid(p),
                start_time: p.start_time(),
                cmd,
                // Windows reports `C:\QQ\` with a trailing separator: rebuilt from components.
                cwd: p.cwd().map(|c| c.components().collect()),
                verified: None,
                profile_env,
                environ,
                mnt_ns: mount_namespace(p.pid().as_u32()),
                stop: Stop::EndSession,
            }
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    Listing {
        procs: out,
        parents,
    }
}

/// The mount namespace of a process (Linux), when we may read it.
pub fn mount_namespace(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        // `mnt:[4026531841]`
        let link = std::fs::read_link(format!("/proc/{pid}/ns/mnt")).ok()?;
        let s = link.to_str()?;
        s.strip_prefix("mnt:[")?.strip_suffix(']')?.parse().ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// Our own mount namespace.
pub fn own_mount_namespace() -> Option<u64> {
    mount_namespace(std::process::id())
}

/// Every process named like QQ on this machine, main processes told from helpers.
pub fn list_qq_processes(platform: Platform) -> Vec<QqProcess> {
    let mut out = list_named(|n| is_qq_name(platform, n));
    classify(&mut out);
    out
}

/// QQ's processes and the stacks' own programs (by `other`), in one listing; QQ's main
/// processes told from their helpers.
pub fn list_for_discovery(platform: Platform, other: impl Fn(&str) -> bool) -> Listing {
    let mut all = list_all(|n| is_qq_name(platform, n) || other(n));
    let (mut qq, rest): (Vec<QqProcess>, Vec<QqProcess>) = all
        .procs
        .into_iter()
        .partition(|p| is_qq_name(platform, &p.name));
    classify(&mut qq);
    qq.extend(rest);
    qq.sort_by_key(|p| p.pid);
    all.procs = qq;
    all
}

#[cfg(unix)]
pub fn process_uid(p: &sysinfo::Process) -> Option<u32> {
    p.user_id().map(|u| **u)
}

#[cfg(not(unix))]
pub fn process_uid(_: &sysinfo::Process) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_platform() {
        assert!(is_qq_name(Platform::Windows, "QQ.exe"));
        assert!(is_qq_name(Platform::Windows, "qq.EXE"));
        assert!(!is_qq_name(Platform::Windows, "QQMusic.exe"));
        assert!(is_qq_name(Platform::Linux, "qq"));
        assert!(!is_qq_name(Platform::Linux, "qqq"));
        assert!(is_qq_name(Platform::Macos, "QQ Helper (Renderer)"));
        assert!(!is_qq_name(Platform::Macos, "QQMail"));
    }

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn type_argument_found_alone_or_in_a_rewritten_title() {
        assert!(!has_type_arg(&v(&["/opt/QQ/qq", "--no-sandbox"])));
        assert!(has_type_arg(&v(&["/opt/QQ/qq", "--type=renderer"])));
        assert!(has_type_arg(&v(&["/opt/QQ/qq --type=zygote --no-sandbox"])));
        assert!(has_type_arg(&v(&[
            "/opt/QQ/qq --type=zygote --no-sandbox",
            ""
        ])));
        assert!(!has_type_arg(&[]));
        assert!(!has_type_arg(&v(&["--type=x"])));
    }

    fn proc_(pid: u32, parent: u32, cmd: &[&str]) -> QqProcess {
        QqProcess {
            pid,
            name: "qq".into(),
            exe: Some(PathBuf::from("/opt/QQ/qq")),
            cmd: v(cmd),
            cwd: None,
            main: false,
            parent: Some(parent),
            main_pid: None,
            uid: None,
            start_time: 0,
            verified: None,
            profile_env: Some("/p".into()),
            environ: vec![("A".into(), "1".into())],
            mnt_ns: None,
            stop: Stop::EndSession,
        }
    }

    /// A Chromium tree as Debian's chromium shows it, with PIDs wrapped: helpers below the
    /// main PID, a zygote's children, titles rewritten into one string.
    #[test]
    fn chromium_tree_with_wrapped_pids() {
        let mut ps = vec![
            proc_(5, 900, &["/opt/QQ/qq --type=zygote --no-zygote-sandbox"]),
            proc_(6, 900, &["/opt/QQ/qq --type=zygote"]),
            proc_(7, 6, &["/opt/QQ/qq --type=renderer --lang=en-US"]),
            proc_(8, 5, &["/opt/QQ/qq --type=gpu-process"]),
            proc_(9, 900, &["/opt/QQ/qq", "--type=utility"]),
            // A child of the main process without --type= is still a helper.
            proc_(10, 900, &["/opt/QQ/qq"]),
            proc_(900, 1, &["./qq", "--no-sandbox"]),
            // A second instance.
            proc_(950, 1, &["/opt/QQ/qq"]),
            proc_(951, 950, &["/opt/QQ/qq --type=zygote"]),
            // A helper whose main process is gone.
            proc_(960, 1, &["/opt/QQ/qq --type=renderer"]),
        ];
        classify(&mut ps);
        let mains: Vec<u32> = ps.iter().filter(|p| p.main).map(|p| p.pid).collect();
        // On Windows only `--type=` makes a helper (command lines are never rewritten there).
        let child_is_main = cfg!(windows);
        let want_mains: Vec<u32> = if child_is_main {
            vec![10, 900, 950]
        } else {
            vec![900, 950]
        };
        assert_eq!(mains, want_mains);
        for p in &ps {
            let want = match p.pid {
                900 | 950 | 960 => None,
                10 if child_is_main => None,
                951 => Some(950),
                _ => Some(900),
            };
            assert_eq!(p.main_pid, want, "pid {}", p.pid);
            assert_eq!(p.environ.is_empty(), !p.main, "pid {}", p.pid);
        }
    }

    #[test]
    fn another_executable_is_not_a_parent() {
        let mut ps = vec![proc_(10, 20, &["/other/qq"]), proc_(20, 1, &["/opt/QQ/qq"])];
        ps[0].exe = Some(PathBuf::from("/other/qq"));
        classify(&mut ps);
        assert!(ps[0].main && ps[1].main);
    }
}
