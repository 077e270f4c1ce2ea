//! A stand-in for QQ in tests: copied into a fake install as `qq` / `QQ.exe` and started there.
//! It sleeps until stopped (at most ten minutes, or `FAKE_QQ_LIFETIME` seconds, so a failed
//! test leaves nothing behind).
//!
//! - Quits on SIGTERM (Unix) or, on Windows, when its hidden top-level window gets `WM_CLOSE`
//!   (what a plain `taskkill /PID` sends), like QQ asked to quit.
//! - `--ignore-term`: ignore SIGTERM / `WM_CLOSE`, like a QQ that hangs on quit.
//! - `--no-window` (Windows): no window at all, so only `taskkill /F` can end it.
//! - `--children N`: start N helpers of itself with `--type=renderer`, like Electron; each exits
//!   when its parent is gone (its stdin, a pipe from the parent, reaches end of file).
//! - `FAKE_QQ_LOG=FILE`: append "pid<TAB>cwd<TAB>args..." on start, so a test can see how it was
//!   (re)started.
//! - `FAKE_QQ_READY=FILE`: create FILE once the helpers run and the window exists.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lifetime = Duration::from_secs(
        std::env::var("FAKE_QQ_LIFETIME")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(600),
    );
    if let Some(log) = std::env::var_os("FAKE_QQ_LOG") {
        let cwd = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(
                f,
                "{}\t{}\t{}",
                std::process::id(),
                cwd,
                args[1..].join("\t")
            );
        }
    }
    let ignore_term = args.iter().any(|a| a == "--ignore-term");
    #[cfg(unix)]
    if ignore_term {
        // SAFETY: setting a signal to be ignored has no preconditions.
        unsafe {
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
        }
    }
    if args.iter().any(|a| a.starts_with("--type=")) {
        // A helper: gone with its parent, whose end of our stdin closes when it exits.
        std::thread::spawn(|| {
            let mut buf = [0u8; 64];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            std::process::exit(0);
        });
    }
    // Kept alive as long as we live: each helper's stdin.
    let mut helpers = Vec::new();
    if let Some(i) = args.iter().position(|a| a == "--children") {
        let n: usize = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(0);
        for _ in 0..n {
            if let Ok(child) = Command::new(&args[0])
                .arg("--type=renderer")
                .stdin(Stdio::piped())
                .spawn()
            {
                helpers.push(child);
            }
        }
    }
    std::thread::spawn(move || {
        std::thread::sleep(lifetime);
        std::process::exit(0);
    });
    let ready = || {
        if let Some(ready) = std::env::var_os("FAKE_QQ_READY") {
            let _ = std::fs::write(ready, std::process::id().to_string());
        }
    };
    if cfg!(windows) && args.iter().any(|a| a == "--no-window") {
        ready();
        park();
    } else {
        wait_for_quit(ignore_term, ready);
    }
}

#[cfg(not(windows))]
fn wait_for_quit(_ignore_term: bool, ready: impl FnOnce()) {
    ready();
    // SIGTERM's default action ends the process.
    park();
}

/// Sleeps until the process ends (a signal, a kill, or the lifetime thread).
fn park() -> ! {
    loop {
        std::thread::park();
    }
}

/// A hidden top-level window: `taskkill /PID` (no `/F`) posts `WM_CLOSE` to it.
#[cfg(windows)]
fn wait_for_quit(ignore_term: bool, ready: impl FnOnce()) {
    use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
    use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        CreateWindowExW, DefWindowProcW, DestroyWindow, DispatchMessageW, GetMessageW, MSG,
        PostQuitMessage, RegisterClassW, WM_CLOSE, WM_DESTROY, WNDCLASSW, WS_OVERLAPPEDWINDOW,
    };

    static IGNORE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    IGNORE.store(ignore_term, std::sync::atomic::Ordering::SeqCst);

    unsafe extern "system" fn proc_(hwnd: HWND, msg: u32, w: WPARAM, l: LPARAM) -> LRESULT {
        match msg {
            WM_CLOSE => {
                if !IGNORE.load(std::sync::atomic::Ordering::SeqCst) {
                    // SAFETY: our own window, on its own thread.
                    unsafe { DestroyWindow(hwnd) };
                }
                0
            }
            WM_DESTROY => {
                // SAFETY: no preconditions.
                unsafe { PostQuitMessage(0) };
                0
            }
            // SAFETY: the default handling for everything else.
            _ => unsafe { DefWindowProcW(hwnd, msg, w, l) },
        }
    }

    let class: Vec<u16> = "FakeQQMainWindow\0".encode_utf16().collect();
    // SAFETY: plain Win32 calls with valid, NUL-terminated strings that outlive them; the
    // message loop runs on the thread that created the window.
    unsafe {
        let instance = GetModuleHandleW(std::ptr::null());
        let wc = WNDCLASSW {
            lpfnWndProc: Some(proc_),
            hInstance: instance,
            lpszClassName: class.as_ptr(),
            // SAFETY: all-zero is a valid WNDCLASSW for the remaining fields.
            ..std::mem::zeroed()
        };
        if RegisterClassW(&wc) == 0 {
            eprintln!("fake_qq: RegisterClassW failed");
            std::process::exit(3);
        }
        let hwnd = CreateWindowExW(
            0,
            class.as_ptr(),
            class.as_ptr(),
            WS_OVERLAPPEDWINDOW,
            0,
            0,
            100,
            100,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            instance,
            std::ptr::null(),
        );
        if hwnd.is_null() {
            eprintln!("fake_qq: CreateWindowExW failed");
            std::process::exit(3);
        }
        ready();
        let mut msg: MSG = std::mem::zeroed();
        while GetMessageW(&mut msg, std::ptr::null_mut(), 0, 0) > 0 {
            DispatchMessageW(&msg);
        }
    }
}
