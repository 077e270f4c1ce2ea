//! How a run ends early: Ctrl-C, SIGTERM and SIGHUP (systemd stopping a job, a shutdown), and a
//! panic in any thread.
//!
//! A signal sets [`INTERRUPTED`]. While a clean removes (and then restarts what it stopped),
//! [`defer`] holds: the removal stops between entries (between files of a swept folder), the
//! bot is started again, and the run reports and logs what it did. In every other phase
//! (discovery, planning, waiting, `stats`, `doctor`) the run ends within 2 seconds whatever it
//! was doing: code that looks at the flag ([`watch`]: waiting for QQ to quit, asking the user)
//! gets a moment to end on its own words, then the process exits with 130. A lock held by then
//! is a kernel lock on an open file, released as the process ends.
//!
//! A panic in any thread prints `llob-doctor: internal error …` and ends the process at once
//! with [`Exit::Internal`], never leaving another thread waiting for the one that panicked.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::exit::Exit;
use crate::i18n::t;

/// Set by Ctrl-C, SIGTERM or SIGHUP.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How many [`Deferred`] guards are alive.
static DEFERRED: AtomicUsize = AtomicUsize::new(0);
/// Whether the running command looks at [`INTERRUPTED`] itself (and so gets a moment to end on
/// its own words).
static WATCHED: AtomicBool = AtomicBool::new(false);
/// Whether errors go to stdout as one JSON document too (`--json`).
static JSON: AtomicBool = AtomicBool::new(false);

/// The moment a watching command gets to end on its own before the process exits: with the
/// handler's own steps, well within 2 seconds of the signal.
const GRACE: Duration = Duration::from_millis(1500);

/// Installs the signal handler and the panic hook; first thing in `main`.
pub fn install(json: bool) {
    JSON.store(json, Ordering::SeqCst);
    let _ = ctrlc::set_handler(on_signal);
    std::panic::set_hook(Box::new(on_panic));
}

/// Has a signal asked the run to stop?
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The running command looks at [`INTERRUPTED`] at its own points and ends there (with its
/// report and its log line): a signal gives it [`GRACE`] before the process exits.
pub fn watch() {
    WATCHED.store(true, Ordering::SeqCst);
}

/// While alive, a signal only sets the flag: the removal under way stops at its next entry
/// and what was stopped is started again. See the module's text.
pub struct Deferred(());

pub fn defer() -> Deferred {
    DEFERRED.fetch_add(1, Ordering::SeqCst);
    Deferred(())
}

impl Drop for Deferred {
    fn drop(&mut self) {
        DEFERRED.fetch_sub(1, Ordering::SeqCst);
    }
}

fn deferred() -> bool {
    DEFERRED.load(Ordering::SeqCst) > 0
}

fn on_signal() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    if deferred() {
        return;
    }
    if WATCHED.load(Ordering::SeqCst) {
        let step = Duration::from_millis(50);
        let mut waited = Duration::ZERO;
        while waited < GRACE {
            std::thread::sleep(step);
            waited += step;
            // The removal began meanwhile: it stops between entries by itself.
            if deferred() {
                return;
            }
        }
    }
    end(Exit::Interrupted, t("err.interrupted"), None);
}

fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let place = info
        .location()
        .map(|l| format!(" ({}:{})", l.file(), l.line()))
        .unwrap_or_default();
    let thread = std::thread::current()
        .name()
        .map(|n| format!(" [{n}]"))
        .unwrap_or_default();
    let error = format!("{}: {what}{place}{thread}", t("err.internal"));
    end(Exit::Internal, &error, Some(t("err.hint_internal")));
}

/// Says why, on stderr (and with `--json` as the JSON document on stdout), and exits.
fn end(exit: Exit, error: &str, hint: Option<&str>) -> ! {
    if JSON.load(Ordering::SeqCst) {
        let doc = serde_json::json!({
            "error": error,
            "hint": hint,
            "exit_code": exit.code(),
        });
        let mut buf = Vec::new();
        let _ = crate::console::write_json_ascii(&mut buf, &doc);
        buf.push(b'\n');
        let _ = crate::output::write_stdout(&buf);
    }
    crate::stderr_line!("llob-doctor: {error}");
    if let Some(h) = hint {
        crate::stderr_line!("  {h}");
    }
    std::process::exit(exit.code())
}

/// Test builds only: `LLOB_DOCTOR_FAILPOINT=<place>=panic|hang[,…]` makes a named place panic
/// or never return, so the tests can check that a panic in any thread, or a signal in any
/// phase, ends the run. Compiled out of release builds.
#[cfg(debug_assertions)]
pub fn failpoint(place: &str) {
    let Some(spec) = std::env::var_os("LLOB_DOCTOR_FAILPOINT") else {
        return;
    };
    let spec = spec.to_string_lossy();
    for one in spec.split(',') {
        match one.split_once('=') {
            Some((p, "panic")) if p == place => panic!("failpoint {place}"),
            Some((p, "hang")) if p == place => {
                // For the test to know where the run is.
                crate::stderr_line!("failpoint {place}: hanging");
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
            _ => {}
        }
    }
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn failpoint(_place: &str) {}
