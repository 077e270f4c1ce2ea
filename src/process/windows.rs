//! Windows calls behind small functions: the end-session sequence that asks QQ to quit, the
//! forced kill, and keeping our standard handles from a restarted QQ.
//!
//! Why not `taskkill /PID`: it posts `WM_CLOSE`, and QQ's default answer to closing its window
//! is to hide in the tray. At log-off Windows sends `WM_QUERYENDSESSION` then `WM_ENDSESSION`
//! to every top-level window, and Chromium-based programs shut down on it; so do we, to the
//! windows of the main process only.

use std::io;

use windows_sys::Win32::Foundation::{HWND, LPARAM, WPARAM};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    ENDSESSION_CLOSEAPP, EnumWindows, GetWindowThreadProcessId, SMTO_ABORTIFHUNG,
    SendMessageTimeoutW, WM_ENDSESSION, WM_QUERYENDSESSION,
};

/// How long one window may take to answer a message.
const ANSWER_MS: u32 = 5000;

/// The top-level windows (visible or hidden) of process `pid`.
fn top_level_windows(pid: u32) -> Vec<HWND> {
    struct Search {
        pid: u32,
        found: Vec<HWND>,
    }
    unsafe extern "system" fn each(hwnd: HWND, data: LPARAM) -> i32 {
        // SAFETY: `data` is the `Search` below, alive for the whole EnumWindows call.
        let search = unsafe { &mut *(data as *mut Search) };
        let mut owner = 0u32;
        // SAFETY: a window handle given by EnumWindows; `owner` is a valid out pointer.
        unsafe { GetWindowThreadProcessId(hwnd, &mut owner) };
        if owner == search.pid {
            search.found.push(hwnd);
        }
        1
    }
    let mut search = Search {
        pid,
        found: Vec::new(),
    };
    // SAFETY: the callback only touches `search`, which outlives the call.
    unsafe { EnumWindows(Some(each), &mut search as *mut Search as LPARAM) };
    search.found
}

fn send(hwnd: HWND, msg: u32, w: WPARAM, l: LPARAM) -> Option<usize> {
    let mut answer: usize = 0;
    // SAFETY: a window handle (a stale one makes the call fail); `answer` is a valid out pointer.
    let ok =
        unsafe { SendMessageTimeoutW(hwnd, msg, w, l, SMTO_ABORTIFHUNG, ANSWER_MS, &mut answer) };
    (ok != 0).then_some(answer)
}

/// Asks process `pid` to quit as at log-off: `WM_QUERYENDSESSION`, then `WM_ENDSESSION`
/// (TRUE) to each of its top-level windows.
pub fn end_session(pid: u32) -> io::Result<()> {
    let windows = top_level_windows(pid);
    if windows.is_empty() {
        return Err(io::Error::other(format!(
            "PID {pid} has no window to send the end-session messages to"
        )));
    }
    let lparam = ENDSESSION_CLOSEAPP as LPARAM;
    let refused = windows
        .iter()
        .filter(|h| send(**h, WM_QUERYENDSESSION, 0, lparam) == Some(0))
        .count();
    if refused > 0 {
        for h in &windows {
            let _ = send(*h, WM_ENDSESSION, 0, lparam);
        }
        return Err(io::Error::other(format!(
            "PID {pid} refused to end its session (WM_QUERYENDSESSION answered FALSE)"
        )));
    }
    for h in &windows {
        // The window may be gone before it answers: that is what we asked for.
        let _ = send(*h, WM_ENDSESSION, 1, lparam);
    }
    Ok(())
}

/// `taskkill /F /PID`.
pub fn taskkill_force(pid: u32) -> io::Result<()> {
    let out = std::process::Command::new("taskkill")
        .args(["/F", "/PID", &pid.to_string()])
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
    Err(io::Error::other(if said.is_empty() {
        format!("taskkill /F /PID {pid} failed ({code})")
    } else {
        format!("taskkill /F /PID {pid} failed ({code}): {}", said.join(" "))
    }))
}

/// CreateProcess hands every inheritable handle to the child. Our stdin, stdout and stderr are
/// often pipes from whoever runs us (a script, a scheduler, a bot manager): inherited by QQ,
/// they would stay open as long as QQ runs, and the caller, waiting for the end of our output,
/// would wait for QQ to exit. QQ gets null ones; ours need not be inheritable.
pub fn keep_std_handles_from_children() {
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
