//! Console programs on Windows (LLBot's launcher, PMHQ, node): stopped the way a console is,
//! with Ctrl-Break, and started again in a console of their own.
//!
//! A console program has no window, so the end-session messages reach nothing. Ctrl-Break can
//! only be sent from a process attached to the same console (`GenerateConsoleCtrlEvent`), and
//! a process has one console at most: attaching would mean leaving ours (the user's window, or
//! the double-click's, which would close). So a helper does it: this program started again,
//! without a console (`DETACHED_PROCESS`), as `llob-doctor __console-break <pid>`; it attaches
//! to that process's console, ignores the event itself and sends it. What the program then
//! does with Ctrl-Break is its own affair: LLBot's launcher and node end what they started and
//! quit, as when the user presses Ctrl-C or Ctrl-Break in their window.

use std::ffi::OsStr;
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::time::{Duration, Instant};

use windows_sys::Win32::Foundation::{CloseHandle, GetLastError, HANDLE, WAIT_OBJECT_0};
use windows_sys::Win32::System::Console::{
    AttachConsole, CTRL_BREAK_EVENT, CTRL_C_EVENT, FreeConsole, GenerateConsoleCtrlEvent,
    GetConsoleProcessList, SetConsoleCtrlHandler,
};
use windows_sys::Win32::System::Threading::{
    CREATE_NEW_CONSOLE, CREATE_UNICODE_ENVIRONMENT, CreateProcessW, DETACHED_PROCESS,
    GetExitCodeProcess, PROCESS_INFORMATION, STARTUPINFOW, WaitForSingleObject,
};

use crate::tf;

/// The helper's first argument. Not a command of the CLI: nobody types it.
pub const HELPER_ARG: &str = "__console-break";

/// Why the helper did not send the event: its exit code (it prints the OS error code, if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// Not attached: the process has no console (or is gone).
    NoConsole = 3,
    /// The process shares llob-doctor's own console: the event would stop us too.
    OurConsole = 4,
    /// Attached, but the event could not be sent.
    NotSent = 5,
}

/// How long the helper may take (it attaches, sends and exits at once).
const HELPER_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends Ctrl-Break to the console of process `pid`, through the helper.
pub fn console_break(pid: u32) -> io::Result<()> {
    use std::os::windows::process::CommandExt;
    let exe = std::env::current_exe()?;
    let mut child = std::process::Command::new(exe)
        .arg(HELPER_ARG)
        .arg(pid.to_string())
        .arg(std::process::id().to_string())
        .creation_flags(DETACHED_PROCESS)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + HELPER_TIMEOUT;
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other(tf!(
                "process.ctrl_break_slow",
                pid = pid,
                secs = HELPER_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if status.success() {
        return Ok(());
    }
    let mut said = String::new();
    if let Some(mut out) = child.stdout.take() {
        use std::io::Read;
        let _ = out.read_to_string(&mut said);
    }
    let error = said
        .trim()
        .parse::<i32>()
        .map(|code| crate::i18n::os_error(&io::Error::from_raw_os_error(code)))
        .unwrap_or_else(|_| status.to_string());
    let code = status.code();
    Err(io::Error::other(
        if code == Some(Refusal::NoConsole as i32) {
            tf!("process.no_console", pid = pid, error = error)
        } else if code == Some(Refusal::OurConsole as i32) {
            tf!("process.our_console", pid = pid)
        } else {
            tf!("process.ctrl_break_failed", pid = pid, error = error)
        },
    ))
}

/// The helper's side: `Some(exit code)` when this run is the helper (`args[1]` is
/// [`HELPER_ARG`]): attaches to the console of `args[2]`, unless llob-doctor (`args[3]`) is on
/// it, and sends Ctrl-Break. On failure it prints the OS error code.
pub fn helper(args: &[std::ffi::OsString]) -> Option<i32> {
    if args.get(1).map(|a| a.as_os_str()) != Some(OsStr::new(HELPER_ARG)) {
        return None;
    }
    let pid_at = |i: usize| {
        args.get(i)
            .and_then(|p| p.to_str())
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (Some(pid), Some(caller)) = (pid_at(2), pid_at(3)) else {
        return Some(2);
    };
    Some(match attach_and_break(pid, caller) {
        Ok(()) => 0,
        Err((why, os_code)) => {
            if let Some(c) = os_code {
                println!("{c}");
            }
            why as i32
        }
    })
}

/// Our handler for the event we send ourselves: handled (nothing to do), so we live on.
unsafe extern "system" fn ignore(_: u32) -> i32 {
    1
}

fn last_error() -> io::Error {
    io::Error::last_os_error()
}

/// The processes attached to our console.
fn console_processes() -> Vec<u32> {
    let mut ids = vec![0u32; 64];
    loop {
        // SAFETY: the buffer and its length match.
        let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) } as usize;
        if n <= ids.len() {
            ids.truncate(n);
            return ids;
        }
        ids.resize(n, 0);
    }
}

fn attach_and_break(pid: u32, caller: u32) -> Result<(), (Refusal, Option<u32>)> {
    // SAFETY: no arguments; a helper started detached has no console to lose.
    unsafe { FreeConsole() };
    // SAFETY: attaching takes a PID only.
    if unsafe { AttachConsole(pid) } == 0 {
        // SAFETY: no arguments.
        return Err((Refusal::NoConsole, Some(unsafe { GetLastError() })));
    }
    let result = if console_processes().contains(&caller) {
        Err((Refusal::OurConsole, None))
    } else {
        send_break()
    };
    // SAFETY: leaving the console we attached to.
    unsafe { FreeConsole() };
    result
}

/// Ctrl-Break to every process on our (just attached) console: the program, what it started
/// there, and the shell it may have been started from, as when the user presses Ctrl-Break in
/// the window. Where Ctrl-Break cannot be sent (Wine 8 does not implement it), Ctrl-C, which a
/// program that was not started in a process group of its own gets too.
fn send_break() -> Result<(), (Refusal, Option<u32>)> {
    // SAFETY: a handler that only returns; registered for this process.
    let handled = unsafe { SetConsoleCtrlHandler(Some(ignore), 1) } != 0;
    // SAFETY: no pointers.
    let sent = [CTRL_BREAK_EVENT, CTRL_C_EVENT]
        .into_iter()
        .any(|event| unsafe { GenerateConsoleCtrlEvent(event, 0) } != 0);
    if !sent {
        // SAFETY: no arguments.
        return Err((Refusal::NotSent, Some(unsafe { GetLastError() })));
    }
    if handled {
        // The event reaches our own handler too, on a thread of its own: let it arrive before
        // we leave the console.
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

/// A program started in a new console of its own.
pub struct Launched {
    pub pid: u32,
    process: HANDLE,
}

// SAFETY: a process handle may be used and closed from any thread.
unsafe impl Send for Launched {}

impl Launched {
    /// `None` while it runs; its exit code once it has ended.
    pub fn try_wait(&mut self) -> io::Result<Option<u32>> {
        // SAFETY: our own process handle, open until drop.
        let r = unsafe { WaitForSingleObject(self.process, 0) };
        if r != WAIT_OBJECT_0 {
            return Ok(None);
        }
        let mut code = 0u32;
        // SAFETY: as above; `code` is a valid out pointer.
        if unsafe { GetExitCodeProcess(self.process, &mut code) } == 0 {
            return Err(last_error());
        }
        Ok(Some(code))
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        // SAFETY: closed once, here.
        unsafe { CloseHandle(self.process) };
    }
}

fn wide(s: &OsStr) -> Vec<u16> {
    s.encode_wide().chain(std::iter::once(0)).collect()
}

/// The environment block CreateProcessW takes: `NAME=value\0…\0\0`, sorted by name without
/// regard to case, as Windows keeps it.
fn env_block(vars: &[(String, String)]) -> Vec<u16> {
    let mut vars: Vec<&(String, String)> = vars.iter().collect();
    vars.sort_by_key(|(k, _)| k.to_uppercase());
    let mut block = Vec::new();
    for (k, v) in vars {
        block.extend(format!("{k}={v}").encode_utf16());
        block.push(0);
    }
    if block.is_empty() {
        block.push(0);
    }
    block.push(0);
    block
}

/// Starts `exe` with `args` (after the program name) in a new console of its own, in
/// `cwd`, with `env` (when not empty), inheriting no handle of ours: the program writes to its
/// new console window, as when started from Explorer. Not in a process group of its own: that
/// would turn Ctrl-C off for it, and the user's Ctrl-C in its window must stop it.
pub fn spawn_in_new_console(
    exe: &Path,
    args: &[String],
    cwd: Option<&Path>,
    env: &[(String, String)],
) -> io::Result<Launched> {
    let mut line = crate::winpath::quote_arg(&exe.to_string_lossy());
    for a in args {
        line.push(' ');
        line.push_str(&crate::winpath::quote_arg(a));
    }
    let mut line = wide(OsStr::new(&line));
    let app = wide(exe.as_os_str());
    let dir = cwd.map(|d| wide(d.as_os_str()));
    let block = (!env.is_empty()).then(|| env_block(env));
    // SAFETY: all-zero is a valid STARTUPINFOW apart from its size.
    let mut si: STARTUPINFOW = unsafe { std::mem::zeroed() };
    si.cb = std::mem::size_of::<STARTUPINFOW>() as u32;
    // SAFETY: as above.
    let mut pi: PROCESS_INFORMATION = unsafe { std::mem::zeroed() };
    let flags = CREATE_NEW_CONSOLE | CREATE_UNICODE_ENVIRONMENT;
    // SAFETY: every pointer is to a NUL-terminated buffer (the environment block doubly
    // terminated) alive for the call; the command line buffer is writable, as required.
    let ok = unsafe {
        CreateProcessW(
            app.as_ptr(),
            line.as_mut_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            0,
            flags,
            block
                .as_ref()
                .map_or(std::ptr::null(), |b| b.as_ptr().cast()),
            dir.as_ref().map_or(std::ptr::null(), |d| d.as_ptr()),
            &si,
            &mut pi,
        )
    };
    if ok == 0 {
        return Err(last_error());
    }
    // SAFETY: the thread handle is ours and not needed.
    unsafe { CloseHandle(pi.hThread) };
    Ok(Launched {
        pid: pi.dwProcessId,
        process: pi.hProcess,
    })
}

/// The last error, for the tests of this module.
#[allow(dead_code)]
fn last_error_code() -> u32 {
    // SAFETY: no arguments.
    unsafe { GetLastError() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_block_is_sorted_without_case_and_doubly_terminated() {
        let vars = [
            ("path".to_string(), r"C:\Windows".to_string()),
            ("APPDATA".to_string(), r"C:\Users\张三\AppData".to_string()),
        ];
        let block = String::from_utf16(&env_block(&vars)).unwrap();
        assert_eq!(
            block,
            "APPDATA=C:\\Users\\张三\\AppData\0path=C:\\Windows\0\0"
        );
        assert_eq!(env_block(&[]), [0, 0]);
    }
}
