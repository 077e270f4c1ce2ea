//! Processes a test started, by PID only: is it alive, stop it, wait for it to be gone. Never
//! by name: the machine's other programs are not the test's.
#![allow(dead_code)]

#[cfg(target_os = "linux")]
use std::fs;
use std::time::{Duration, Instant};

/// Is a PID still running (and not a zombie)?
pub fn alive(pid: u32) -> bool {
    #[cfg(target_os = "linux")]
    {
        match fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => !stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
            Err(_) => false,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
        let mut s = System::new();
        let pid = Pid::from_u32(pid);
        s.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[pid]),
            true,
            ProcessRefreshKind::nothing(),
        );
        s.process(pid).is_some()
    }
}

/// Stops a PID the test started (or that llob-doctor reported starting for it), by PID only.
pub fn stop_pid(pid: u32) {
    #[cfg(unix)]
    // SAFETY: kill(2) on one PID the test is responsible for.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
    #[cfg(windows)]
    {
        let _ = std::process::Command::new("taskkill")
            .args(["/F", "/PID", &pid.to_string()])
            .output();
    }
}

/// Waits up to 10 s for a PID to be gone.
pub fn wait_gone(pid: u32) -> bool {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}
