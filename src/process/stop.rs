//! Stopping instances: ask each main process to quit (never a helper first), then wait until
//! its whole tree is gone; only with `force`, kill what is left, helpers included.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sysinfo::{ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System};

use super::QqProcess;
use crate::stack::Stop;

/// A process by PID and start time (0: unknown), so a PID reused by a later process is not
/// mistaken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    pub pid: u32,
    pub start_time: u64,
    /// How it is asked to quit (a main process), from its stack's program row.
    pub stop: Stop,
}

impl Target {
    /// A listed process as a target.
    pub fn of(p: &QqProcess) -> Target {
        Target {
            pid: p.pid,
            start_time: p.start_time,
            stop: p.stop,
        }
    }
}

pub struct StopOptions<'a> {
    /// How long to wait for the trees to be gone after asking.
    pub timeout: Duration,
    /// Kill what is left after the timeout.
    pub force: bool,
    /// Set by a Ctrl-C handler: stop waiting.
    pub interrupted: &'a AtomicBool,
    /// Which descendants, by process name, belong to an instance's tree (for QQ: QQ's own
    /// helpers; for a launcher: its runtime and the QQ it starts). Others, such as a browser
    /// QQ opened a link in, or Wine's `explorer.exe`, are neither waited for nor killed.
    pub in_tree: &'a dyn Fn(&str) -> bool,
}

/// What a successful stop did.
#[derive(Debug, Default)]
pub struct Stopped {
    /// Main processes that were asked to quit.
    pub asked: Vec<u32>,
    /// Main processes that could not be asked, with the reason.
    pub ask_failed: Vec<(u32, String)>,
    /// Processes killed after the timeout (only with `force`).
    pub killed: Vec<u32>,
}

#[derive(Debug)]
pub enum StopError {
    Interrupted,
    /// Still running after the timeout (without `force`): these PIDs, main processes first.
    TimedOut {
        left: Vec<u32>,
        ask_failed: Vec<(u32, String)>,
    },
    /// Still running after a kill.
    SurvivedKill {
        left: Vec<u32>,
    },
}

/// Every process on the machine: parent, start time, name; zombies count as gone.
struct Snapshot {
    procs: HashMap<u32, (Option<u32>, u64, String)>,
}

impl Snapshot {
    fn take() -> Snapshot {
        let mut sys = System::new();
        sys.refresh_processes_specifics(
            ProcessesToUpdate::All,
            true,
            ProcessRefreshKind::nothing().without_tasks(),
        );
        let procs = sys
            .processes()
            .iter()
            .filter(|(_, p)| p.thread_kind().is_none())
            .filter(|(_, p)| !matches!(p.status(), ProcessStatus::Zombie | ProcessStatus::Dead))
            .map(|(pid, p)| {
                (
                    pid.as_u32(),
                    (
                        p.parent().map(|q| q.as_u32()),
                        p.start_time(),
                        p.name().to_string_lossy().into_owned(),
                    ),
                )
            })
            .collect();
        Snapshot { procs }
    }

    fn alive(&self, t: &Target) -> bool {
        self.procs
            .get(&t.pid)
            .is_some_and(|(_, start, _)| t.start_time == 0 || *start == 0 || *start == t.start_time)
    }

    /// Adds every running descendant of the running members of `tree` whose name `in_tree`
    /// accepts (found through any descendant) to it.
    fn grow(&self, tree: &mut Vec<Target>, in_tree: &dyn Fn(&str) -> bool) {
        let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
        for (pid, (parent, start, _)) in &self.procs {
            // Windows keeps a dead parent's PID, which a later process may reuse: a parent
            // cannot have started after its child.
            if let Some(pp) = parent
                && self
                    .procs
                    .get(pp)
                    .is_some_and(|(_, pstart, _)| started_in_order(*pstart, *start))
            {
                children.entry(*pp).or_default().push(*pid);
            }
        }
        let mut seen: HashSet<u32> = tree.iter().map(|t| t.pid).collect();
        let mut todo: Vec<u32> = tree
            .iter()
            .filter(|t| self.alive(t))
            .map(|t| t.pid)
            .collect();
        while let Some(pid) = todo.pop() {
            for c in children.get(&pid).into_iter().flatten() {
                if seen.insert(*c) {
                    if let Some((_, start, name)) = self.procs.get(c)
                        && in_tree(name)
                    {
                        tree.push(Target {
                            pid: *c,
                            start_time: *start,
                            // Never asked: a descendant follows its main process.
                            stop: Stop::default(),
                        });
                    }
                    todo.push(*c);
                }
            }
        }
    }

    fn left(&self, tree: &[Target]) -> Vec<Target> {
        tree.iter().filter(|t| self.alive(t)).copied().collect()
    }
}

/// Which of `targets` still run (a PID now taken by a later process does not count).
pub fn still_running(targets: &[Target]) -> Vec<Target> {
    Snapshot::take().left(targets)
}

/// Could a process started at `parent` (seconds; 0: unknown) be the parent of one started at
/// `child`?
pub fn started_in_order(parent: u64, child: u64) -> bool {
    parent == 0 || child == 0 || parent <= child
}

/// Stops instances: `mains` are asked to quit (SIGTERM on Unix, the end-session sequence on
/// Windows); `strays` (helpers whose main process is gone) are only waited for. Returns once
/// every process of every tree is gone.
pub fn stop_instances(
    mains: &[Target],
    strays: &[Target],
    opts: &StopOptions,
) -> Result<Stopped, StopError> {
    let snap = Snapshot::take();
    let mut tree: Vec<Target> = mains.iter().chain(strays).copied().collect();
    snap.grow(&mut tree, opts.in_tree);
    let mut done = Stopped::default();
    for m in mains.iter().filter(|m| snap.alive(m)) {
        match request_quit(m) {
            Ok(()) => done.asked.push(m.pid),
            Err(e) => done.ask_failed.push((m.pid, e.to_string())),
        }
    }
    // Nobody could be asked (e.g. a QQ without a window on Windows): waiting would only delay
    // the same answer.
    let timeout = if done.asked.is_empty() && !done.ask_failed.is_empty() {
        Duration::ZERO
    } else {
        opts.timeout
    };
    let left = wait_gone(&mut tree, timeout, opts);
    if opts.interrupted.load(Ordering::SeqCst) {
        return Err(StopError::Interrupted);
    }
    if left.is_empty() {
        return Ok(done);
    }
    if !opts.force {
        return Err(StopError::TimedOut {
            left: left.iter().map(|t| t.pid).collect(),
            ask_failed: done.ask_failed,
        });
    }
    // Main processes first, so none can start a new helper while the others go.
    let mut order = left;
    order.sort_by_key(|t| !mains.contains(t));
    for t in &order {
        if force_kill(t.pid).is_ok() {
            done.killed.push(t.pid);
        }
    }
    let left = wait_gone(&mut tree, Duration::from_secs(5), opts);
    if left.is_empty() {
        Ok(done)
    } else {
        Err(StopError::SurvivedKill {
            left: left.iter().map(|t| t.pid).collect(),
        })
    }
}

/// Waits until nothing of `tree` runs (new descendants join it as they appear); returns what is
/// left at the deadline.
fn wait_gone(tree: &mut Vec<Target>, timeout: Duration, opts: &StopOptions) -> Vec<Target> {
    let deadline = Instant::now() + timeout;
    loop {
        let snap = Snapshot::take();
        snap.grow(tree, opts.in_tree);
        let left = snap.left(tree);
        if left.is_empty() || Instant::now() >= deadline || opts.interrupted.load(Ordering::SeqCst)
        {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Asks a main process to quit: SIGTERM on Unix (Electron then quits in order); on Windows as
/// its program row says: the end-session sequence to its top-level windows (a `WM_CLOSE` may
/// only hide QQ in the tray), or Ctrl-Break to a console program's console.
fn request_quit(t: &Target) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let _ = t.stop;
        super::unix::signal(t.pid, libc::SIGTERM)
    }
    #[cfg(windows)]
    {
        match t.stop {
            Stop::EndSession => super::windows::end_session(t.pid),
            // A console program without a console (started detached) may still have a window.
            Stop::ConsoleBreak => super::windows_console::console_break(t.pid)
                .or_else(|e| super::windows::end_session(t.pid).map_err(|_| e)),
        }
    }
}

/// Kills a process outright: SIGKILL, or `taskkill /F /PID`.
fn force_kill(pid: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        super::unix::signal(pid, libc::SIGKILL)
    }
    #[cfg(windows)]
    {
        super::windows::taskkill_force(pid)
    }
}
