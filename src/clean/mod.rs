//! `llob-doctor clean`: preview what goes, ask (or require --yes), stop QQ if asked, remove
//! exactly the previewed entries, restart QQ if asked.

pub mod execute;
pub mod guard;
pub mod lock;
pub mod plan;

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::App;
use crate::cli::CleanArgs;
use crate::discover::Installation;
use crate::exit::{Exit, Failure};
use crate::i18n::{Msg, t};
use crate::output::{Output, Tone, human_size};
use crate::process::{self, QqProcess};
use crate::time::{iso_utc, parse_duration, short_age, unix_secs};
use crate::{msg, tf};
use execute::{Action, Mode};
use guard::DataDirProblem;
use plan::{Kind, Plan};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

#[derive(Debug, Clone, Default, Serialize)]
pub struct QqState {
    pub was_running: bool,
    /// PIDs of QQ's processes found running before cleaning.
    pub pids: Vec<u32>,
    pub stopped: bool,
    /// PIDs that had to be force-killed after the timeout.
    pub killed: Vec<u32>,
    pub restarted_pid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetReport {
    pub kind: Kind,
    pub uin: Option<String>,
    pub path: PathBuf,
    /// Entries this row stands for (1 for a msg_* folder; the items of temp/).
    pub entries: usize,
    pub files: u64,
    pub bytes: u64,
    pub newest_mtime: Option<String>,
    #[serde(skip)]
    pub newest_secs: Option<u64>,
    /// `qq` for QQ's own media cache; absent for LLOneBot's targets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot: Option<&'static str>,
    /// The month folder (`2024-05`) of a QQ cache row, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    pub action: Action,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathError {
    pub path: PathBuf,
    /// English in JSON and logs; the user's language on screen.
    pub error: Msg,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub files: u64,
    pub bytes: u64,
    pub freed_bytes: u64,
    pub failed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CleanReport {
    pub dry_run: bool,
    pub data_dir: PathBuf,
    pub qq: QqState,
    pub targets: Vec<TargetReport>,
    /// Entries that failed or were skipped at deletion time, with why.
    pub problems: Vec<PathError>,
    /// Entries that could not be read while planning (left alone).
    pub unreadable: Vec<PathError>,
    pub totals: Totals,
    pub interrupted: bool,
}

fn data_dir_failure(dir: &Path, p: DataDirProblem) -> Failure {
    let key = match p {
        DataDirProblem::NotAbsolute => "clean.refuse_relative",
        DataDirProblem::FilesystemRoot => "clean.refuse_root",
        DataDirProblem::HomeDirectory => "clean.refuse_home",
        DataDirProblem::NotADataDir => "clean.refuse_not_data",
    };
    Failure::usage(Msg {
        key,
        args: vec![("path", dir.display().to_string())],
    })
    .with_hint(msg!("clean.hint_data_dir"))
}

fn options(args: &CleanArgs) -> Result<plan::Options, Failure> {
    let older_than = match &args.older_than {
        Some(s) => Some(
            parse_duration(s)
                .map_err(|e| {
                    Failure::usage(msg!("clean.bad_older_than", value = s, error = e))
                        .with_hint(msg!("clean.hint_duration"))
                })?
                .as_secs(),
        ),
        None => None,
    };
    for u in &args.uin {
        if u.is_empty() || !u.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Failure::usage(msg!("clean.bad_uin", value = u)));
        }
    }
    Ok(plan::Options {
        uins: args.uin.clone(),
        logs: args.logs,
        database: args.database,
        older_than,
    })
}

fn pid_list(procs: &[QqProcess]) -> String {
    procs
        .iter()
        .map(|p| {
            if p.main {
                format!("{} ({})", p.pid, t("detect.main"))
            } else {
                p.pid.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn progress_bar(out: &Output, len: Option<u64>, msg: &'static str) -> ProgressBar {
    // `msg` is a catalogue text, already in the user's language.
    if out.json || out.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = match len {
        Some(n) => {
            let pb = ProgressBar::new(n);
            pb.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            pb
        }
        None => {
            let pb = ProgressBar::new_spinner();
            pb.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {{msg}} {{pos}} {}",
                    t("clean.entries")
                ))
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb
        }
    };
    pb.set_message(msg);
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// What a run got as far as, for its line in the log file.
#[derive(Default)]
struct Trace {
    data_dir: Option<PathBuf>,
    report: Option<CleanReport>,
}

pub fn run(app: &App, args: &CleanArgs) -> anyhow::Result<Exit> {
    let started = SystemTime::now();
    let mut trace = Trace::default();
    let result = run_traced(app, args, &mut trace);
    if let Some(path) = &args.log_file
        && let Err(e) = append_log(path, started, args, &trace, &result)
    {
        eprintln!(
            "llob-doctor: cannot append to the log file {}: {e}",
            path.display()
        );
    }
    result
}

/// One JSON line per run: time, command, data dir, what was removed, bytes freed, failures,
/// exit code. Language-neutral, for scripts and for reading back a night's run.
fn append_log(
    path: &Path,
    started: SystemTime,
    args: &CleanArgs,
    trace: &Trace,
    result: &anyhow::Result<Exit>,
) -> std::io::Result<()> {
    let (exit, error) = match result {
        Ok(e) => (*e, None),
        Err(e) => (crate::exit::exit_for(e), Some(crate::exit::english(e))),
    };
    let r = trace.report.as_ref();
    let removed: Vec<serde_json::Value> = r
        .map(|r| {
            r.targets
                .iter()
                .filter(|t| matches!(t.action, Action::Deleted | Action::Trashed))
                .map(|t| serde_json::json!({"kind": t.kind, "uin": t.uin, "path": t.path, "files": t.files, "bytes": t.bytes}))
                .collect()
        })
        .unwrap_or_default();
    let line = serde_json::json!({
        "time": iso_utc(unix_secs(started)),
        "command": "clean",
        "version": env!("CARGO_PKG_VERSION"),
        "dry_run": args.dry_run,
        "data_dir": trace.data_dir,
        "removed": removed,
        "freed_bytes": r.map(|r| r.totals.freed_bytes).unwrap_or(0),
        "failed": r.map(|r| r.totals.failed).unwrap_or(0),
        "failures": r.map(|r| r.problems.clone()).unwrap_or_default(),
        "qq": r.map(|r| &r.qq),
        "exit_code": exit.code(),
        "error": error,
    });
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // One write per line, so lines of concurrent runs do not interleave.
    f.write_all(format!("{line}\n").as_bytes())
}

fn run_traced(app: &App, args: &CleanArgs, trace: &mut Trace) -> anyhow::Result<Exit> {
    let out = &app.out;
    let opts = options(args)?;
    let inst = app.discover()?;
    let qq_cache = crate::qq_cache::for_clean(
        &app.env,
        &inst,
        app.overrides.qq_data.as_deref(),
        args.qq_cache,
        &args.qq_cache_kinds,
        opts.older_than,
        &opts.uins,
    )?;
    // QQ's own cache may be cleaned without an LLOneBot data folder.
    let llob_dir = inst.data_dir().map(Path::to_path_buf);
    let Some(data_dir) = llob_dir
        .clone()
        .or_else(|| qq_cache.as_ref().and_then(|q| q.lock_dir()))
    else {
        let (key, hint) = if qq_cache.is_some() {
            ("clean.no_data_or_qq", "clean.hint_no_data_or_qq")
        } else {
            ("clean.no_data_dir", "clean.hint_no_data_dir")
        };
        return Err(Failure::new(Exit::NotFound, Msg { key, args: vec![] })
            .with_hint(Msg {
                key: hint,
                args: vec![],
            })
            .into());
    };
    trace.data_dir = Some(data_dir.clone());
    if llob_dir.is_some() {
        guard::check_data_dir(&data_dir, app.env.home_dir().as_deref())
            .map_err(|p| data_dir_failure(&data_dir, p))?;
    }

    let running: Vec<QqProcess> = inst.qq_processes().cloned().collect();
    let mut qq = QqState {
        was_running: !running.is_empty(),
        pids: running.iter().map(|p| p.pid).collect(),
        ..QqState::default()
    };

    // Refusals first: nothing is stopped or touched before these pass.
    if !args.dry_run {
        if !running.is_empty() && !args.stop_qq {
            return Err(Failure::new(
                Exit::QqRunning,
                msg!("clean.qq_running", pids = pid_list(&running)),
            )
            .with_hint(msg!("clean.hint_qq_running"))
            .into());
        }
        if !running.is_empty() && inst.qq.is_none() {
            return Err(Failure::new(
                Exit::QqRunning,
                msg!("clean.qq_unverified", pids = pid_list(&running)),
            )
            .with_hint(msg!("clean.hint_qq_unverified"))
            .into());
        }
        if !args.yes && (out.json || !std::io::stdin().is_terminal()) {
            return Err(Failure::usage(msg!("clean.no_terminal"))
                .with_hint(msg!("clean.hint_no_terminal"))
                .into());
        }
    }

    let _lock = if args.dry_run {
        None
    } else {
        Some(lock::acquire(&data_dir).map_err(|(path, e)| {
            match e {
                lock::LockError::Held(pid) => {
                    let who = pid.map(|p| format!(" (PID {p})")).unwrap_or_default();
                    Failure::new(
                        Exit::Locked,
                        msg!("clean.locked", who = who, path = data_dir.display()),
                    )
                    .with_hint(msg!("clean.hint_locked", lock = path.display()))
                }
                lock::LockError::Io(e) => {
                    Failure::usage(msg!("clean.lock_io", lock = path.display(), error = e))
                        .with_hint(msg!("clean.hint_lock_io"))
                }
            }
        })?)
    };

    let pb = progress_bar(out, None, t("clean.scanning"));
    let plan = match &llob_dir {
        Some(d) => plan::scan(d, &opts, |_| pb.inc(1)),
        None => Plan {
            data_dir: PathBuf::new(),
            targets: Vec::new(),
            unreadable: Vec::new(),
        },
    };
    let qq_plans = qq_cache
        .as_ref()
        .map(|q| crate::qq_cache::plans(&q.roots, &q.sel))
        .unwrap_or_default();
    pb.finish_and_clear();
    let entry_count = plan.entry_count() + qq_plans.iter().map(Plan::entry_count).sum::<usize>();

    let mut report = report_from_plan(&plan, args.dry_run, qq.clone());
    for p in &qq_plans {
        let r = report_from_plan(p, args.dry_run, QqState::default());
        report.targets.extend(r.targets);
        report.unreadable.extend(r.unreadable);
        report.totals.files += r.totals.files;
        report.totals.bytes += r.totals.bytes;
    }
    if args.dry_run || entry_count == 0 {
        out.emit(&report, || render(&report, out, &inst, args, false))?;
        trace.report = Some(report);
        return Ok(Exit::Ok);
    }

    if !args.yes {
        if !out.quiet {
            print!("{}", render(&report, out, &inst, args, false));
        }
        if !confirm(&tf!(
            "clean.confirm",
            entries = entry_count,
            size = human_size(report.totals.bytes)
        ))? {
            eprintln!("{}", t("clean.nothing_done"));
            return Ok(Exit::Ok);
        }
    }

    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));

    if !running.is_empty()
        && let Err(e) = stop_qq(&inst, &running, args, &mut qq)
    {
        report.qq = qq;
        trace.report = Some(report);
        return Err(e.into());
    }

    let pb = progress_bar(out, Some(entry_count as u64), t("clean.removing"));
    let mode = if args.trash {
        Mode::Trash
    } else {
        Mode::Delete
    };
    let mut done = execute::execute(&plan, mode, &INTERRUPTED, |_| pb.inc(1));
    for p in &qq_plans {
        let d = execute::execute(p, mode, &INTERRUPTED, |_| pb.inc(1));
        done.outcomes.extend(d.outcomes);
        done.interrupted |= d.interrupted;
    }
    crate::qq_cache::plan::remove_empty_months(&crate::qq_cache::month_rows(&qq_plans));
    pb.finish_and_clear();

    if args.restart_qq && qq.stopped {
        restart_qq(&inst, &running, &mut qq);
    }

    apply_outcomes(&mut report, &done);
    report.qq = qq;
    report.interrupted = done.interrupted;
    out.emit(&report, || render(&report, out, &inst, args, true))?;
    let interrupted = report.interrupted;
    trace.report = Some(report);
    Ok(if interrupted {
        Exit::Interrupted
    } else if trace.report.as_ref().is_some_and(|r| r.totals.failed > 0) {
        Exit::DeleteFailed
    } else {
        Exit::Ok
    })
}

fn confirm(question: &str) -> anyhow::Result<bool> {
    let mut err = std::io::stderr().lock();
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let a = line.trim().to_lowercase();
    Ok(matches!(a.as_str(), "y" | "yes" | "是" | "是的"))
}

/// Asks QQ's main process to quit and waits for every QQ process of the install to be gone;
/// force-kills the rest after the timeout only with --force.
fn stop_qq(
    inst: &Installation,
    running: &[QqProcess],
    args: &CleanArgs,
    qq: &mut QqState,
) -> Result<(), Failure> {
    let Some(install) = inst.qq.as_ref().map(|q| q.install_dir.clone()) else {
        return Err(Failure::new(
            Exit::QqRunning,
            msg!("clean.no_install_no_signal"),
        ));
    };
    let platform = inst.platform;
    // Re-check right before signalling: the PID must still be QQ of this install.
    let still = process::running_in_install(platform, &install);
    let mains: Vec<&QqProcess> = still.iter().filter(|p| p.main).collect();
    let targets: Vec<&QqProcess> = if mains.is_empty() {
        still.iter().collect()
    } else {
        mains
    };
    let mut asked = 0;
    for p in &targets {
        match process::request_quit(p.pid) {
            Ok(()) => asked += 1,
            Err(e) => eprintln!(
                "llob-doctor: {}",
                tf!("clean.quit_request_failed", pid = p.pid, error = e)
            ),
        }
    }
    // Nobody could be asked (e.g. a QQ without a window on Windows): waiting would only
    // delay the same answer.
    let timeout = if asked == 0 && !targets.is_empty() {
        Duration::ZERO
    } else {
        Duration::from_secs(args.stop_timeout)
    };
    let deadline = Instant::now() + timeout;
    let mut left = process::running_in_install(platform, &install);
    while !left.is_empty() && Instant::now() < deadline && !INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        left = process::running_in_install(platform, &install);
    }
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Failure::new(
            Exit::Interrupted,
            msg!("clean.interrupted_waiting"),
        ));
    }
    if !left.is_empty() {
        if !args.force {
            return Err(Failure::new(
                Exit::QqRunning,
                msg!(
                    "clean.did_not_quit",
                    secs = args.stop_timeout,
                    pids = pid_list(&left)
                ),
            )
            .with_hint(msg!("clean.hint_did_not_quit")));
        }
        for p in &left {
            if process::force_kill(p.pid).is_ok() {
                qq.killed.push(p.pid);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while !process::running_in_install(platform, &install).is_empty() {
            if Instant::now() > deadline {
                return Err(Failure::new(Exit::QqRunning, msg!("clean.survived_kill")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let _ = running;
    qq.stopped = true;
    Ok(())
}

fn restart_qq(inst: &Installation, running: &[QqProcess], qq: &mut QqState) {
    let main = running.iter().find(|p| p.main).or(running.first());
    let Some(main) = main else { return };
    let mut proc_ = main.clone();
    // Flatpak QQ reports its sandbox path; start it through flatpak instead.
    if inst.qq.as_ref().is_some_and(|q| q.flatpak)
        && !proc_.exe.as_deref().is_some_and(Path::exists)
    {
        proc_.exe = Some(PathBuf::from("flatpak"));
        proc_.cmd = vec!["flatpak".into(), "run".into(), "com.qq.QQ".into()];
    }
    match process::restart(&proc_) {
        Ok(pid) => qq.restarted_pid = Some(pid),
        Err(e) => qq.restart_error = Some(e.to_string()),
    }
}

fn report_from_plan(plan: &Plan, dry_run: bool, qq: QqState) -> CleanReport {
    let targets: Vec<TargetReport> = plan
        .targets
        .iter()
        .map(|t| TargetReport {
            kind: t.kind,
            uin: t.uin.clone(),
            path: t.path.clone(),
            entries: t.entries.len(),
            files: t.files(),
            bytes: t.bytes(),
            newest_mtime: t.newest().map(iso_utc),
            newest_secs: t.newest(),
            bot: matches!(t.kind, Kind::QqCache(_)).then_some("qq"),
            month: crate::qq_cache::month_of(t.kind, &t.path),
            action: Action::Planned,
            error: None,
        })
        .collect();
    let totals = Totals {
        files: targets.iter().map(|t| t.files).sum(),
        bytes: targets.iter().map(|t| t.bytes).sum(),
        freed_bytes: 0,
        failed: 0,
    };
    CleanReport {
        dry_run,
        data_dir: plan.data_dir.clone(),
        qq,
        targets,
        problems: Vec::new(),
        unreadable: plan
            .unreadable
            .iter()
            .map(|(p, e)| PathError {
                path: p.clone(),
                error: Msg::raw(e.clone()),
            })
            .collect(),
        totals,
        interrupted: false,
    }
}

fn apply_outcomes(report: &mut CleanReport, done: &execute::Executed) {
    for (t, outcomes) in report.targets.iter_mut().zip(&done.outcomes) {
        let removed = outcomes
            .iter()
            .filter(|o| matches!(o.action, Action::Deleted | Action::Trashed))
            .count();
        let failed = outcomes
            .iter()
            .filter(|o| o.action == Action::Failed)
            .count();
        for o in outcomes {
            if matches!(o.action, Action::Deleted | Action::Trashed) {
                report.totals.freed_bytes += o.bytes;
            } else if let Some(e) = &o.error {
                report.problems.push(PathError {
                    path: o.path.clone(),
                    error: e.clone(),
                });
            }
        }
        report.totals.failed += failed;
        t.action = if failed > 0 {
            Action::Failed
        } else if removed == 0 {
            Action::Skipped
        } else {
            outcomes
                .iter()
                .find(|o| matches!(o.action, Action::Deleted | Action::Trashed))
                .map(|o| o.action)
                .unwrap_or(Action::Deleted)
        };
        let not_removed = outcomes.len() - removed;
        if not_removed > 0 {
            // JSON text: English, like every JSON field.
            let first = outcomes
                .iter()
                .find_map(|o| o.error.as_ref().map(|m| m.render(crate::i18n::Lang::En)))
                .unwrap_or_default();
            t.error = Some(format!(
                "{not_removed} of {} entries not removed: {first}",
                outcomes.len()
            ));
        }
    }
}

fn kind_text(k: Kind) -> &'static str {
    match k {
        Kind::MsgDb => "msg_db",
        Kind::Temp => "temp",
        Kind::Logs => "logs",
        Kind::Database => "database",
        Kind::QqCache(k) => k.as_str(),
    }
}

/// The preview table, and after a real run (`done`) what happened.
fn render(
    r: &CleanReport,
    out: &Output,
    inst: &Installation,
    args: &CleanArgs,
    done: bool,
) -> String {
    let mut s = String::new();
    if !r.data_dir.as_os_str().is_empty() {
        let _ = writeln!(s, "{}", tf!("clean.data", path = r.data_dir.display()));
    }
    if r.targets.is_empty() {
        let _ = writeln!(s, "{}", t("clean.nothing_to_clean"));
        return s;
    }
    let now = unix_secs(SystemTime::now());
    let mut rows: Vec<Vec<String>> = vec![
        [
            "clean.col_target",
            "clean.col_account",
            "clean.col_path",
            "clean.col_files",
            "clean.col_size",
            "clean.col_age",
        ]
        .iter()
        .map(|k| t(k).to_string())
        .collect(),
    ];
    for tg in &r.targets {
        let rel = tg.path.strip_prefix(&r.data_dir).unwrap_or(&tg.path);
        let mut p = rel.display().to_string();
        if tg.kind == Kind::Temp || tg.kind == Kind::Logs {
            p = tf!(
                "clean.folder_entries",
                path = format!("{p}{}", std::path::MAIN_SEPARATOR),
                n = tg.entries
            );
        }
        let age = tg
            .newest_secs
            .map(|n| short_age(now.saturating_sub(n)))
            .unwrap_or_else(|| "-".into());
        let (target, account) = match tg.kind {
            Kind::QqCache(k) => {
                p = crate::qq_cache::short_path(&tg.path);
                let who = crate::qq_cache::account_label(&tg.path, tg.uin.as_deref());
                (format!("qq {}", k.as_str()), who)
            }
            k => (
                kind_text(k).to_string(),
                tg.uin.clone().unwrap_or_else(|| "-".into()),
            ),
        };
        rows.push(vec![
            target,
            account,
            p,
            tg.files.to_string(),
            human_size(tg.bytes),
            age,
        ]);
    }
    rows.push(vec![
        t("clean.total").to_string(),
        String::new(),
        String::new(),
        r.totals.files.to_string(),
        human_size(r.totals.bytes),
        String::new(),
    ]);
    let lines = crate::output::table(&rows, &[false, false, false, true, true, true]);
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        if i == 0 || i == last {
            let _ = writeln!(s, "{}", out.paint(Tone::Bold, line));
        } else {
            let _ = writeln!(s, "{line}");
        }
    }
    if args.database {
        let _ = writeln!(s, "{}", out.paint(Tone::Warn, t("clean.database_note")));
    }
    if r.targets.iter().any(|t| matches!(t.kind, Kind::QqCache(_))) {
        let note =
            crate::qq_cache::render::clean_note(&args.qq_cache_kinds, args.older_than.as_deref());
        let _ = writeln!(s, "{}", out.paint(Tone::Dim, &note));
    }
    for u in &r.unreadable {
        let _ = writeln!(
            s,
            "{} {}: {}",
            out.paint(Tone::Warn, t("clean.unreadable")),
            u.path.display(),
            u.error
        );
    }

    if r.dry_run {
        if r.qq.was_running {
            let pids = pid_list(&inst.qq_processes().cloned().collect::<Vec<_>>());
            let _ = writeln!(s, "{}", tf!("clean.dry_run_qq_running", pids = pids));
        }
        let _ = writeln!(s, "{}", out.paint(Tone::Dim, t("clean.dry_run_done")));
        return s;
    }
    if !done {
        return s;
    }
    if r.qq.stopped {
        let pids =
            r.qq.pids
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ");
        if r.qq.killed.is_empty() {
            let _ = writeln!(s, "{}", tf!("clean.stopped_qq", pids = pids));
        } else {
            let killed =
                r.qq.killed
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
            let _ = writeln!(
                s,
                "{}",
                tf!("clean.stopped_qq_killed", pids = pids, killed = killed)
            );
        }
    }
    let removed_files: u64 = r
        .targets
        .iter()
        .filter(|t| matches!(t.action, Action::Deleted | Action::Trashed))
        .map(|t| t.files)
        .sum();
    let key = if args.trash {
        "clean.trashed_summary"
    } else {
        "clean.removed_summary"
    };
    let summary = tf!(
        key,
        files = removed_files,
        size = human_size(r.totals.freed_bytes)
    );
    let _ = writeln!(s, "{}", out.paint(Tone::Good, &summary));
    for p in &r.problems {
        let _ = writeln!(
            s,
            "{} {}: {}",
            out.paint(Tone::Bad, t("clean.not_removed")),
            p.path.display(),
            p.error
        );
    }
    if r.totals.failed > 0 {
        let _ = writeln!(
            s,
            "{}",
            out.paint(Tone::Bad, &tf!("clean.failed_count", n = r.totals.failed))
        );
    }
    if r.interrupted {
        let _ = writeln!(s, "{}", out.paint(Tone::Warn, t("clean.interrupted")));
    }
    match (r.qq.restarted_pid, &r.qq.restart_error) {
        (Some(pid), _) => {
            let _ = writeln!(s, "{}", tf!("clean.restarted", pid = pid));
        }
        (None, Some(e)) => {
            let _ = writeln!(s, "{} {e}", out.paint(Tone::Bad, t("clean.restart_failed")));
        }
        (None, None) if args.restart_qq && !r.qq.was_running => {
            let _ = writeln!(s, "{}", t("clean.not_running_before"));
        }
        _ => {}
    }
    s
}
