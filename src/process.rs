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
    #[serde(serialize_with = "crate::output::path::opt")]
    pub exe: Option<PathBuf>,
    /// The command line, program first.
    pub cmd: Vec<String>,
    #[serde(serialize_with = "crate::output::path::opt")]
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
    // Without tasks: on Linux sysinfo otherwise lists every thread as a process of its own,
    // and an Electron main process has dozens of threads, many named like it.
    let names_only = ProcessRefreshKind::nothing().without_tasks();
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, names_only);
    let pids: Vec<Pid> = sys
        .processes()
        .iter()
        .filter(|(_, p)| p.thread_kind().is_none())
        .filter(|(_, p)| p.name().to_str().is_some_and(|n| is_qq_name(platform, n)))
        .map(|(pid, _)| *pid)
        .collect();
    if pids.is_empty() {
        return Vec::new();
    }
    let details = ProcessRefreshKind::nothing()
        .without_tasks()
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
                // Windows reports `C:\QQ\` with a trailing separator: rebuilt from components.
                cwd: p.cwd().map(|c| c.components().collect()),
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
        return Ok(());
    }
    // taskkill explains itself on stderr (Windows) or stdout (Wine); the console's code page
    // may not be UTF-8, hence lossy.
    let said: Vec<String> = [&out.stderr, &out.stdout]
        .iter()
        .map(|b| String::from_utf8_lossy(b).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let code = out
        .status
        .code()
        .map_or_else(|| "no exit code".to_string(), |c| format!("exit code {c}"));
    let what = if force {
        "taskkill /F /PID"
    } else {
        "taskkill /PID"
    };
    Err(std::io::Error::other(if said.is_empty() {
        format!("{what} {pid} failed ({code})")
    } else {
        format!("{what} {pid} failed ({code}): {}", said.join(" "))
    }))
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
        keep_std_handles_from_children();
    }
    let child = c.spawn()?;
    Ok(child.id())
}

/// CreateProcess hands every inheritable handle to the child. Our stdin, stdout and stderr are
/// often pipes from whoever runs us (a script, a scheduler, a bot manager): inherited by QQ,
/// they would stay open as long as QQ runs, and the caller, waiting for the end of our output,
/// would wait for QQ to exit. QQ gets null ones; ours need not be inheritable.
#[cfg(windows)]
fn keep_std_handles_from_children() {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Foundation::{HANDLE_FLAG_INHERIT, SetHandleInformation};
    let handles = [
        std::io::stdin().as_raw_handle(),
        std::io::stdout().as_raw_handle(),
        std::io::stderr().as_raw_handle(),
    ];
    for h in handles.into_iter().filter(|h| !h.is_null()) {
        // SAFETY: a handle of this process, or an invalid one, which the call rejects; only
        // its inherit flag changes. Failure leaves things as they were.
        unsafe { SetHandleInformation(h, HANDLE_FLAG_INHERIT, 0) };
    }
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
