//! NapCat started again. On Windows NapCat.Shell's QQ runs NapCat only when NapCat's own
//! launcher started it (`NapCatWinBootMain.exe QQ.exe NapCatWinBootHook.dll ARGS`, which
//! injects it): that QQ is started again through that launcher, in a console of its own as its
//! `.bat` gives it. Either way a restart counts only when NapCat is back: a new or longer log
//! in its work dir's `logs/`, or one of its OneBot servers accepting connections again, not
//! merely a QQ.exe.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::process::QqProcess;
use crate::stack::napcat::{
    SHELL_HOOK, SHELL_HOOK_VAR, SHELL_LAUNCHER, SHELL_LAUNCHER_VAR, SHELL_MAIN_VAR,
};

/// What NapCat had written, and where it listened, before it was stopped.
#[derive(Debug, Clone, Default)]
pub struct Before {
    work_dir: PathBuf,
    logs: Vec<(PathBuf, u64)>,
    ports: Vec<u16>,
}

fn logs(work_dir: &Path) -> Vec<(PathBuf, u64)> {
    std::fs::read_dir(work_dir.join("logs"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let m = e.metadata().ok().filter(std::fs::Metadata::is_file)?;
            Some((e.path(), m.len()))
        })
        .take(4096)
        .collect()
}

/// The ports of NapCat's enabled OneBot servers (`config/onebot11_<uin>.json`'s
/// `network.httpServers`, `httpSseServers`, `websocketServers`).
fn ports(work_dir: &Path) -> Vec<u16> {
    let mut out = Vec::new();
    for uin in crate::discover::napcat_config_uins(work_dir) {
        let file = work_dir.join("config").join(format!("onebot11_{uin}.json"));
        let Some(v) = crate::fsread::read_capped(&file, 1 << 20)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        else {
            continue;
        };
        for list in ["httpServers", "httpSseServers", "websocketServers"] {
            for s in v["network"][list].as_array().into_iter().flatten() {
                if s["enable"].as_bool() == Some(true)
                    && let Some(port) = s["port"].as_u64().and_then(|p| u16::try_from(p).ok())
                    && !out.contains(&port)
                {
                    out.push(port);
                }
            }
        }
    }
    out
}

impl Before {
    pub fn of(work_dir: &Path) -> Before {
        Before {
            work_dir: work_dir.to_path_buf(),
            logs: logs(work_dir),
            ports: ports(work_dir),
        }
    }

    /// Has NapCat written a log (a new file, or one grown) since, or does a server of it
    /// accept connections?
    fn back(&self) -> bool {
        let grown = logs(&self.work_dir).iter().any(|(p, len)| {
            self.logs
                .iter()
                .find(|(q, _)| q == p)
                .is_none_or(|(_, old)| len > old)
        });
        grown
            || self.ports.iter().any(|&port| {
                std::net::TcpStream::connect_timeout(
                    &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                    Duration::from_millis(300),
                )
                .is_ok()
            })
    }

    /// Waits up to `timeout` for NapCat to be back; `false` when it is not.
    pub fn wait_back(&self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        loop {
            if self.back() {
                return true;
            }
            if Instant::now() >= end || super::INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
            {
                return false;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Where it was looked for NapCat, for the message when it is not back.
    pub fn looked_at(&self) -> String {
        let mut s = self.work_dir.join("logs").display().to_string();
        if !self.ports.is_empty() {
            let ports: Vec<String> = self.ports.iter().map(u16::to_string).collect();
            s.push_str(&format!(", 127.0.0.1:{}", ports.join(", ")));
        }
        s
    }
}

/// A file named in QQ's environment, when it exists here.
fn named_file(qq: &QqProcess, var: &str) -> Option<PathBuf> {
    qq.environ
        .iter()
        .find(|(k, _)| k == var)
        .map(|(_, v)| PathBuf::from(v))
        .filter(|p| p.is_file())
}

/// The running launcher that started this QQ (its parent), when it still runs.
fn parent_launcher(qq: &QqProcess) -> Option<PathBuf> {
    let parent = qq.parent?;
    crate::process::list_named(|n| n.eq_ignore_ascii_case(SHELL_LAUNCHER))
        .into_iter()
        .find(|p| p.pid == parent)
        .and_then(|p| p.exe)
}

/// The launcher of a QQ that NapCat.Shell started (its `NAPCAT_MAIN_PATH` in QQ's
/// environment): QQ's parent, else the one its environment names, else the one in NapCat's
/// folder; with the DLL beside it. `None` for any other QQ, or when no launcher is found.
pub fn shell_launcher(qq: &QqProcess, napcat_dir: Option<&Path>) -> Option<QqProcess> {
    if !qq.environ.iter().any(|(k, _)| k == SHELL_MAIN_VAR) {
        return None;
    }
    let qq_exe = qq.exe.clone()?;
    let launcher = parent_launcher(qq)
        .or_else(|| named_file(qq, SHELL_LAUNCHER_VAR))
        .or_else(|| {
            napcat_dir
                .map(|d| d.join(SHELL_LAUNCHER))
                .filter(|p| p.is_file())
        })?;
    let folder = launcher.parent()?.to_path_buf();
    let hook = named_file(qq, SHELL_HOOK_VAR)
        .or_else(|| Some(folder.join(SHELL_HOOK)).filter(|p| p.is_file()))?;
    let mut cmd = vec![
        launcher.to_string_lossy().into_owned(),
        qq_exe.to_string_lossy().into_owned(),
        hook.to_string_lossy().into_owned(),
    ];
    cmd.extend(qq.cmd.iter().skip(1).cloned());
    let mut p = qq.clone();
    p.name = SHELL_LAUNCHER.to_string();
    p.exe = Some(launcher);
    p.cmd = cmd;
    // The `.bat` runs it from NapCat's folder, in a console window.
    p.cwd = Some(folder);
    p.stop = crate::stack::Stop::ConsoleBreak;
    Some(p)
}

/// The QQ the launcher started: a new main QQ process of the same executable.
pub fn new_qq(was: &QqProcess, launcher_pid: u32, platform: crate::env::Platform) -> Option<u32> {
    let now = crate::process::list_qq_processes(platform);
    let fresh = |p: &&QqProcess| p.pid != was.pid && p.main && p.exe == was.exe;
    now.iter()
        .filter(fresh)
        .find(|p| p.parent == Some(launcher_pid))
        .or_else(|| now.iter().filter(fresh).max_by_key(|p| p.start_time))
        .map(|p| p.pid)
}
