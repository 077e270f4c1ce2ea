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
            let profile_env = p.environ().iter().find_map(|kv| {
                let kv = kv.to_str()?;
                let (k, v) = kv.split_once('=')?;
                (k == PROFILE_VAR && !v.is_empty()).then(|| v.to_string())
            });
            QqProcess {
                pid: p.pid().as_u32(),
                name: p.name().to_string_lossy().into_owned(),
                exe: p.exe().map(Path::to_path_buf),
                main: is_main_process(&cmd),
                cmd,
                cwd: p.cwd().map(Path::to_path_buf),
                verified: None,
                profile_env,
            }
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    out
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
