//! A stand-in for QQ in tests: copied into a fake install as `qq` / `QQ.exe` and started there.
//! It sleeps until stopped (at most ten minutes, or `FAKE_QQ_LIFETIME` seconds, so a failed
//! test leaves nothing behind).
//!
//! - Quits on SIGTERM (Unix) or, on Windows, when its hidden top-level window gets `WM_CLOSE`
//!   (what a plain `taskkill /PID` sends) or the end-session sequence (`WM_QUERYENDSESSION`,
//!   then `WM_ENDSESSION` with TRUE, as at log-off), like QQ asked to quit.
//! - `--tray` (Windows): on `WM_CLOSE` only hide the window, as QQ does by default (it goes to
//!   the tray); quit only on the end-session sequence.
//! - `--ignore-term`: ignore SIGTERM / `WM_CLOSE` / end-session, like a QQ that hangs on quit.
//! - `--once FILE`: exit at once (status 1) when FILE exists, else create it: a QQ that dies
//!   when started again.
//! - `--spawn-other FILE` (Unix): start a `sleep` that outlives it (like a browser QQ opened a
//!   link in) and write its PID to FILE.
//! - `FAKE_QQ_SIGNALS=FILE` (Unix): append "pid<TAB>TERM" when a SIGTERM arrives (then quit),
//!   so a test can count who was signalled.
//! - `--no-window` (Windows): no window at all, so only `taskkill /F` can end it.
//! - `--children N`: start N helpers of itself with `--type=renderer`, like Electron; each exits
//!   when its parent is gone (its stdin, a pipe from the parent, reaches end of file).
//! - `FAKE_QQ_SPAWN="exe<TAB>arg…<LF>exe<TAB>arg…"`: start the first program with its arguments,
//!   handing it the rest of the list, so a chain such as a launcher → node → qq can be built from
//!   copies of this program; each started one exits when its parent is gone.
//! - `FAKE_QQ_LOG=FILE`: append "pid<TAB>cwd<TAB>args..." on start, so a test can see how it was
//!   (re)started.
//! - `FAKE_QQ_READY=FILE`: create FILE once the helpers run and the window exists.
//! - `--console` (Windows): a console program with no window, like LLBot's launcher: prints a
//!   line, and on Ctrl-C, Ctrl-Break or its console closing appends "pid<TAB>BREAK" to
//!   `FAKE_QQ_SIGNALS` and quits. Its helpers share its console (and so get Ctrl-Break too).
//! - `FAKE_QQ_CONSOLE=FILE` (Windows): append "pid<TAB>N" on start, N the number of processes
//!   on its console (1: a console of its own; 0: none).
//! - `--outlive`: a started helper that does not end with its parent, as on Windows, where a
//!   killed parent leaves its children running.
//! - Named `NapCatWinBootMain.exe`: NapCat.Shell's Windows launcher, started as its `.bat`
//!   starts it (`NapCatWinBootMain.exe QQ.exe NapCatWinBootHook.dll ARGS…`): starts QQ.exe
//!   with ARGS, "injects" NapCat (creates `<hook>.<QQ's PID>`), and exits.
//! - `FAKE_NAPCAT_LOGS=DIR`: a QQ with NapCat's `NAPCAT_MAIN_PATH` in its environment loads
//!   NapCat (on Windows only when injected: `<hook>.<pid>` appears within ten seconds, the
//!   hook the launcher was given, which it passes on as `FAKE_NAPCAT_HOOK`), and NapCat
//!   writes `DIR/<pid>.log`.

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
            // One write(2) per line: two instances starting at once append whole lines, never
            // interleaved pieces of them.
            let line = format!(
                "{}\t{}\t{}\n",
                std::process::id(),
                cwd,
                args[1..].join("\t")
            );
            let _ = f.write_all(line.as_bytes());
        }
    }
    if let Some(i) = args.iter().position(|a| a == "--once")
        && let Some(marker) = args.get(i + 1)
    {
        if std::path::Path::new(marker).exists() {
            std::process::exit(1);
        }
        let _ = std::fs::write(marker, b"started");
    }
    let ignore_term = args.iter().any(|a| a == "--ignore-term");
    #[cfg(unix)]
    if ignore_term {
        // SAFETY: setting a signal to be ignored has no preconditions.
        unsafe {
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
        }
    } else if let Some(log) = std::env::var_os("FAKE_QQ_SIGNALS") {
        log_sigterm(log);
    }
    #[cfg(windows)]
    console::note_console();
    if is_napcat_boot(&args) {
        boot_napcat(&args);
    }
    napcat_log();
    let spawned = std::env::var_os("FAKE_QQ_PARENT").is_some();
    let outlive = args.iter().any(|a| a == "--outlive");
    if !outlive && (spawned || args.iter().any(|a| a.starts_with("--type="))) {
        // A helper: gone with its parent, whose end of our stdin closes when it exits.
        std::thread::spawn(|| {
            let mut buf = [0u8; 64];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            std::process::exit(0);
        });
    }
    #[cfg(unix)]
    if let Some(i) = args.iter().position(|a| a == "--spawn-other")
        && let Some(file) = args.get(i + 1)
        && let Ok(other) = Command::new("sleep")
            .arg("120")
            .stdin(Stdio::null())
            .spawn()
    {
        let _ = std::fs::write(file, other.id().to_string());
    }
    // Kept alive as long as we live: each helper's stdin.
    let mut helpers = Vec::new();
    if let Some(chain) = std::env::var("FAKE_QQ_SPAWN")
        .ok()
        .filter(|c| !c.is_empty())
    {
        let (first, rest) = chain.split_once('\n').unwrap_or((&chain, ""));
        let mut parts = first.split('\t');
        // One that outlives us is not tied to us by a pipe.
        let stdin = if first.split('\t').any(|a| a == "--outlive") {
            Stdio::null()
        } else {
            Stdio::piped()
        };
        if let Some(exe) = parts.next()
            && let Ok(child) = Command::new(exe)
                .args(parts)
                .env("FAKE_QQ_SPAWN", rest)
                .env("FAKE_QQ_PARENT", std::process::id().to_string())
                .env_remove("FAKE_QQ_READY")
                .stdin(stdin)
                .spawn()
        {
            helpers.push(child);
        }
    }
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
    #[cfg(windows)]
    if args.iter().any(|a| a == "--console") {
        console::run(ready);
    }
    if cfg!(windows) && args.iter().any(|a| a == "--no-window") {
        ready();
        park();
    } else {
        wait_for_quit(ignore_term, ready);
    }
}

/// Run as NapCat.Shell's launcher?
fn is_napcat_boot(args: &[String]) -> bool {
    std::path::Path::new(&args[0])
        .file_stem()
        .is_some_and(|s| s.eq_ignore_ascii_case("NapCatWinBootMain"))
}

/// NapCat.Shell's launcher: QQ.exe started with the arguments after the hook, the hook's
/// marker for its PID, then gone.
fn boot_napcat(args: &[String]) -> ! {
    let (Some(qq), Some(hook)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: NapCatWinBootMain.exe QQ.exe NapCatWinBootHook.dll [ARGS]");
        std::process::exit(2);
    };
    match Command::new(qq)
        .args(&args[3..])
        .env_remove("FAKE_QQ_PARENT")
        .env("FAKE_NAPCAT_HOOK", hook)
        .stdin(Stdio::null())
        .spawn()
    {
        Ok(child) => {
            let _ = std::fs::write(format!("{hook}.{}", child.id()), b"injected");
            std::process::exit(0);
        }
        Err(e) => {
            eprintln!("NapCatWinBootMain: {qq}: {e}");
            std::process::exit(1);
        }
    }
}

/// `FAKE_NAPCAT_LOGS`: NapCat, loaded in this QQ, writes its log (on a thread of its own).
fn napcat_log() {
    let Some(logs) = std::env::var_os("FAKE_NAPCAT_LOGS") else {
        return;
    };
    if std::env::var_os("NAPCAT_MAIN_PATH").is_none() {
        return;
    }
    std::thread::spawn(move || {
        if cfg!(windows) {
            let Some(hook) = std::env::var_os("FAKE_NAPCAT_HOOK") else {
                return;
            };
            let mut marker = hook;
            marker.push(format!(".{}", std::process::id()));
            let t = std::time::Instant::now();
            while !std::path::Path::new(&marker).exists() {
                if t.elapsed() > Duration::from_secs(10) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let dir = std::path::PathBuf::from(logs);
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(
            dir.join(format!("{}.log", std::process::id())),
            "NapCat.Core Version: 4.8.0\n",
        );
    });
}

/// The signal log's descriptor and the line to write, prepared before the handler is set: the
/// handler only calls write(2) and _exit(2).
#[cfg(unix)]
static SIG_FD: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);
#[cfg(unix)]
static SIG_LINE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

#[cfg(unix)]
fn log_sigterm(log: std::ffi::OsString) {
    use std::os::fd::IntoRawFd;
    extern "C" fn on_term(_: libc::c_int) {
        let fd = SIG_FD.load(std::sync::atomic::Ordering::SeqCst);
        if let Some(line) = SIG_LINE.get() {
            // SAFETY: write(2) and _exit(2) are async-signal-safe; the buffer is static.
            unsafe { libc::write(fd, line.as_ptr().cast(), line.len()) };
        }
        // SAFETY: as above.
        unsafe { libc::_exit(0) };
    }
    let Ok(f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    else {
        return;
    };
    let _ = SIG_LINE.set(format!("{}\tTERM\n", std::process::id()).into_bytes());
    SIG_FD.store(f.into_raw_fd(), std::sync::atomic::Ordering::SeqCst);
    // SAFETY: the handler only makes async-signal-safe calls.
    unsafe {
        libc::signal(
            libc::SIGTERM,
            on_term as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
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

/// A hidden top-level window: `taskkill /PID` (no `/F`) posts `WM_CLOSE` to it; the end-session
/// messages are sent to it.
#[cfg(windows)]
fn wait_for_quit(ignore_term: bool, ready: impl FnOnce()) {
    use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
    use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        CreateWindowExW, DefWindowProcW, DestroyWindow, DispatchMessageW, GetMessageW, MSG,
        PostQuitMessage, RegisterClassW, SW_HIDE, ShowWindow, WM_CLOSE, WM_DESTROY, WM_ENDSESSION,
        WM_QUERYENDSESSION, WNDCLASSW, WS_OVERLAPPEDWINDOW,
    };

    static IGNORE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    static TRAY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    IGNORE.store(ignore_term, std::sync::atomic::Ordering::SeqCst);
    TRAY.store(
        std::env::args().any(|a| a == "--tray"),
        std::sync::atomic::Ordering::SeqCst,
    );

    unsafe extern "system" fn proc_(hwnd: HWND, msg: u32, w: WPARAM, l: LPARAM) -> LRESULT {
        match msg {
            WM_CLOSE => {
                if IGNORE.load(std::sync::atomic::Ordering::SeqCst) {
                } else if TRAY.load(std::sync::atomic::Ordering::SeqCst) {
                    // Like QQ: closing the window only hides it.
                    // SAFETY: our own window, on its own thread.
                    unsafe { ShowWindow(hwnd, SW_HIDE) };
                } else {
                    // SAFETY: our own window, on its own thread.
                    unsafe { DestroyWindow(hwnd) };
                }
                0
            }
            // May the session end? Yes (a QQ that hangs on quit says so too, then stays).
            WM_QUERYENDSESSION => 1,
            WM_ENDSESSION => {
                if w != 0 && !IGNORE.load(std::sync::atomic::Ordering::SeqCst) {
                    std::process::exit(0);
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

/// The console mode: a console program without a window, as LLBot's launcher is.
#[cfg(windows)]
mod console {
    use std::io::Write;

    use windows_sys::Win32::System::Console::{GetConsoleProcessList, SetConsoleCtrlHandler};

    fn append(var: &str, line: &str) {
        if let Some(path) = std::env::var_os(var)
            && let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }

    /// `FAKE_QQ_CONSOLE`: how many processes share our console as we start.
    pub fn note_console() {
        let mut ids = [0u32; 64];
        // SAFETY: the buffer and its length match.
        let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
        append("FAKE_QQ_CONSOLE", &format!("{}\t{n}\n", std::process::id()));
    }

    /// Ctrl-C (0), Ctrl-Break (1), the console closing (2): noted, then we quit.
    unsafe extern "system" fn on_ctrl(event: u32) -> i32 {
        let name = match event {
            0 => "CTRL_C",
            1 => "BREAK",
            2 => "CLOSE",
            _ => return 0,
        };
        append(
            "FAKE_QQ_SIGNALS",
            &format!("{}\t{name}\n", std::process::id()),
        );
        std::process::exit(0);
    }

    pub fn run(ready: impl FnOnce()) -> ! {
        // SAFETY: a handler for this process; it only writes a file and exits.
        unsafe { SetConsoleCtrlHandler(Some(on_ctrl), 1) };
        println!("fake llbot: running as PID {}", std::process::id());
        let _ = std::io::stdout().flush();
        ready();
        super::park();
    }
}
