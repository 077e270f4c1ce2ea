//! A stand-in for QQ in tests: copied into a fake install as `qq` / `QQ.exe` and started there.
//! It sleeps until stopped (at most ten minutes, so a failed test leaves nothing behind).
//!
//! - `--ignore-term`: ignore SIGTERM, like a QQ that hangs on quit (Unix).
//! - `--children N`: start N helpers of itself with `--type=renderer`, like Electron; each exits
//!   when its parent is gone.
//! - `FAKE_QQ_LOG=FILE`: append "pid<TAB>cwd<TAB>args..." on start, so a test can see how it was
//!   (re)started.

use std::io::Write;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
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
    #[cfg(unix)]
    if args.iter().any(|a| a == "--ignore-term") {
        // SAFETY: setting a signal to be ignored has no preconditions.
        unsafe {
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
        }
    }
    let is_helper = args.iter().any(|a| a.starts_with("--type="));
    #[cfg(unix)]
    let parent = unsafe { libc::getppid() };
    if let Some(i) = args.iter().position(|a| a == "--children") {
        let n: usize = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(0);
        for _ in 0..n {
            let _ = std::process::Command::new(&args[0])
                .arg("--type=renderer")
                .spawn();
        }
    }
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(50));
        #[cfg(unix)]
        if is_helper && unsafe { libc::getppid() } != parent {
            return;
        }
        let _ = is_helper;
    }
}
