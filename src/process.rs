//! QQ's processes: finding them (sysinfo, refreshing only what is needed) and telling the
//! main Electron process from its helpers.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

use crate::env::Platform;

/// The variable LiteLoaderQQNT reads its profile folder from.
pub const PROFILE_VAR: &str = "LITELOADERQQNT_PROFILE";

#[derive(Debug, Clone, Serialize)]
pub struct QqProcess {
    pub pid: u32,
    pub name: String,
    pub exe: Option<PathBuf>,
    /// The command line, program first.
    pub cmd: Vec<String>,
    pub cwd: Option<PathBuf>,
    /// The Electron main process: no `--type=` argument.
    pub main: bool,
    /// Whether the executable lies inside the QQ install found; `None` while no install is known.
    pub verified: Option<bool>,
    /// `LITELOADERQQNT_PROFILE` from the process's environment, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_env: Option<String>,
    /// The whole environment, to restart QQ as it was started (never printed: it may hold secrets).
    #[serde(skip)]
    pub environ: Vec<(String, String)>,
}

/// Process names QQ runs under on each platform.
pub fn is_qq_name(platform: Platform, name: &str) -> bool {
    match platform {
        Platform::Windows => name.eq_ignore_ascii_case("QQ.exe"),
        Platform::Linux => name == "qq",
        Platform::Macos => name == "QQ" || name.starts_with("QQ Helper"),
    }
}

/// Electron's helpers carry `--type=renderer|gpu-process|utility|...`; the main process does not.
pub fn is_main_process(cmd: &[String]) -> bool {
    !cmd.iter().skip(1).any(|a| a.starts_with("--type="))
}

/// Is `exe` inside the install folder? Both sides are canonicalized where possible, since
/// `/proc/<pid>/exe` names the resolved file.
pub fn exe_in_install(exe: &Path, install_dir: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(exe).starts_with(canon(install_dir))
}

/// Every process named like QQ on this machine. Names are read for all processes; executable,
/// command line, working directory and environment only for those whose name matches.
pub fn list_qq_processes(platform: Platform) -> Vec<QqProcess> {
    let mut sys = System::new();
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, ProcessRefreshKind::nothing());
    let pids: Vec<Pid> = sys
        .processes()
        .iter()
        .filter(|(_, p)| p.name().to_str().is_some_and(|n| is_qq_name(platform, n)))
        .map(|(pid, _)| *pid)
        .collect();
    if pids.is_empty() {
        return Vec::new();
    }
    let details = ProcessRefreshKind::nothing()
        .with_exe(UpdateKind::Always)
        .with_cmd(UpdateKind::Always)
        .with_cwd(UpdateKind::Always)
        .with_environ(UpdateKind::Always);
    sys.refresh_processes_specifics(ProcessesToUpdate::Some(&pids), true, details);
    let mut out: Vec<QqProcess> = pids
        .iter()
        .filter_map(|pid| sys.process(*pid))
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
                main: is_main_process(&cmd),
                cmd,
                cwd: p.cwd().map(Path::to_path_buf),
                verified: None,
                profile_env,
                environ,
            }
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}

/// The QQ processes of this install still running, by PID (name match plus executable check).
pub fn running_in_install(platform: Platform, install_dir: &Path) -> Vec<QqProcess> {
    list_qq_processes(platform)
        .into_iter()
        .filter(|p| {
            p.exe
                .as_deref()
                .is_some_and(|e| exe_in_install(e, install_dir))
        })
        .collect()
}

/// Asks a process to quit: SIGTERM on Unix (Electron then quits in order), a plain
/// `taskkill /PID` on Windows (asks the window to close).
pub fn request_quit(pid: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        signal(pid, libc::SIGTERM)
    }
    #[cfg(windows)]
    {
        taskkill(pid, false)
    }
}

/// Kills a process outright: SIGKILL, or `taskkill /F /PID`.
pub fn force_kill(pid: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        signal(pid, libc::SIGKILL)
    }
    #[cfg(windows)]
    {
        taskkill(pid, true)
    }
}

#[cfg(unix)]
fn signal(pid: u32, sig: libc::c_int) -> std::io::Result<()> {
    let pid = libc::pid_t::try_from(pid)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "pid out of range"))?;
    if pid <= 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a process id",
        ));
    }
    // SAFETY: kill(2) has no memory-safety preconditions; pid > 0 names one process only.
    if unsafe { libc::kill(pid, sig) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(windows)]
fn taskkill(pid: u32, force: bool) -> std::io::Result<()> {
    let mut c = std::process::Command::new("taskkill");
    if force {
        c.arg("/F");
    }
    let out = c
        .args(["/PID", &pid.to_string()])
        .stdin(std::process::Stdio::null())
        .output()?;
    if out.status.success() {
        Ok(())
    } else {
        let msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(std::io::Error::other(format!("taskkill failed: {msg}")))
    }
}

/// Starts QQ again as it was started: same executable, arguments, working directory and
/// environment, detached from us (own session on Unix, no console on Windows), so it survives
/// our exit and does not share our terminal. Returns the new PID.
pub fn restart(proc_: &QqProcess) -> std::io::Result<u32> {
    use std::process::{Command, Stdio};
    let exe = proc_.exe.as_deref().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the executable of QQ's main process is unknown",
        )
    })?;
    let mut c = Command::new(exe);
    c.args(proc_.cmd.iter().skip(1))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(cwd) = proc_.cwd.as_deref().filter(|d| d.is_dir()) {
        c.current_dir(cwd);
    }
    if !proc_.environ.is_empty() {
        c.env_clear()
            .envs(proc_.environ.iter().map(|(k, v)| (k, v)));
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid() is async-signal-safe and touches no memory of ours.
        unsafe {
            c.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const DETACHED_PROCESS: u32 = 0x0000_0008;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        c.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
    }
    let child = c.spawn()?;
    Ok(child.id())
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

    #[test]
    fn main_process_has_no_type_argument() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(is_main_process(&v(&["/opt/QQ/qq", "--no-sandbox"])));
        assert!(!is_main_process(&v(&["/opt/QQ/qq", "--type=renderer"])));
        assert!(is_main_process(&[]));
    }
}
