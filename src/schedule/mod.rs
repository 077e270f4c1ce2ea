//! `llob-doctor schedule install | remove | show`: a nightly (or weekly) unattended clean through
//! the platform's scheduler. Each backend is a pure text builder (tested on any platform) plus a
//! few calls to the scheduler's own command (`crontab`, `systemctl`, `launchctl`, `schtasks`).

pub mod cron;
mod installed;
pub mod launchd;
mod render;
pub mod schtasks;
pub mod status;
pub mod systemd;
pub mod task_xml;

pub use installed::Installed;
pub use render::backend_name;
use render::render;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::app::App;
use crate::cli::{Backend, Every, ScheduleAction, ScheduleArgs, Weekday};
use crate::env::Platform;
use crate::exit::{Exit, Failure};
use crate::i18n::{Lang, fill, t, t_in};
use crate::msg;

/// What the scheduler runs, and when.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// This executable, absolute.
    #[serde(serialize_with = "crate::output::path::one")]
    pub exe: PathBuf,
    /// Everything after the executable: overrides, `clean --yes --quiet --log-file ...`, extras.
    pub args: Vec<String>,
    pub hour: u8,
    pub minute: u8,
    /// `None`: every day.
    pub weekday: Option<Weekday>,
    #[serde(serialize_with = "crate::output::path::one")]
    pub log_file: PathBuf,
}

impl Job {
    /// "every day at 04:30" in a language (files the scheduler keeps are written in English).
    pub fn when_text(&self, lang: Lang) -> String {
        let time = format!("{:02}:{:02}", self.hour, self.minute);
        match self.weekday {
            None => fill(t_in(lang, "schedule.every_day"), &[("time", &time)]),
            Some(d) => fill(
                t_in(lang, "schedule.every_weekday"),
                &[("day", &t_in(lang, d.key())), ("time", &time)],
            ),
        }
    }
}

impl Weekday {
    /// cron and launchd number: Sunday 0.
    pub fn number(self) -> u8 {
        match self {
            Weekday::Sun => 0,
            Weekday::Mon => 1,
            Weekday::Tue => 2,
            Weekday::Wed => 3,
            Weekday::Thu => 4,
            Weekday::Fri => 5,
            Weekday::Sat => 6,
        }
    }

    /// systemd and schtasks: `Mon`, `MON`.
    pub fn short(self) -> &'static str {
        match self {
            Weekday::Sun => "Sun",
            Weekday::Mon => "Mon",
            Weekday::Tue => "Tue",
            Weekday::Wed => "Wed",
            Weekday::Thu => "Thu",
            Weekday::Fri => "Fri",
            Weekday::Sat => "Sat",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Weekday::Sun => "schedule.sunday",
            Weekday::Mon => "schedule.monday",
            Weekday::Tue => "schedule.tuesday",
            Weekday::Wed => "schedule.wednesday",
            Weekday::Thu => "schedule.thursday",
            Weekday::Fri => "schedule.friday",
            Weekday::Sat => "schedule.saturday",
        }
    }
}

/// What a backend did or found.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleReport {
    pub action: &'static str,
    pub backend: Backend,
    /// Where the job lives (crontab of this user, unit files, plist, task name).
    pub location: String,
    pub installed: bool,
    /// The job as the scheduler holds it (crontab block, unit files, plist, task query).
    pub content: Option<String>,
    pub next_run: Option<String>,
    /// Commands to run by hand when the scheduler could not be reached.
    pub manual_commands: Vec<String>,
    pub job: Option<Job>,
}

/// The scheduler a platform uses unless told otherwise.
pub fn default_backend(platform: Platform) -> Backend {
    match platform {
        Platform::Windows => Backend::Schtasks,
        Platform::Macos => Backend::Launchd,
        Platform::Linux => Backend::Cron,
    }
}

/// Where unattended runs log by default: the user's data directory.
pub fn default_log_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "llob-doctor").map(|d| d.data_dir().join("clean.log"))
}

/// `HH:MM`, 24-hour.
pub fn parse_at(s: &str) -> Result<(u8, u8), &'static str> {
    let (h, m) = s.trim().split_once(':').ok_or("schedule.at_format")?;
    let h: u8 = h.parse().map_err(|_| "schedule.at_hour")?;
    let m: u8 = m.parse().map_err(|_| "schedule.at_minute")?;
    if h > 23 || m > 59 {
        return Err("schedule.at_range");
    }
    Ok((h, m))
}

/// Quotes one word for a POSIX shell, only when it needs it.
pub fn sh_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:=@+,%".contains(&b));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs a scheduler command; `Err` carries what it said, for the message.
pub(crate) fn run_tool(
    program: &str,
    args: &[&str],
    stdin: Option<&str>,
) -> Result<String, String> {
    let mut c = Command::new(program);
    c.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = c.spawn().map_err(|e| {
        crate::tf!(
            "schedule.cannot_run",
            program = program,
            error = crate::i18n::os_error(&e)
        )
    })?;
    if let Some(input) = stdin
        && let Some(mut pipe) = child.stdin.take()
    {
        use std::io::Write;
        pipe.write_all(input.as_bytes())
            .map_err(|e| format!("{program}: {}", crate::i18n::os_error(&e)))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{program}: {}", crate::i18n::os_error(&e)))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        // Some tools (schtasks under Wine, crontab) say why on stdout, others on stderr.
        let said: Vec<String> = [&out.stderr, &out.stdout]
            .iter()
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let code = out
            .status
            .code()
            .map(|c| format!("exit {c}"))
            .unwrap_or_else(|| "killed".into());
        Err(format!(
            "{program} {} ({code}): {}",
            args.join(" "),
            said.join(" / ")
        ))
    }
}

fn build_job(app: &App, args: &ScheduleArgs, warnings: &mut Vec<String>) -> Result<Job, Failure> {
    let at = args
        .at
        .as_deref()
        .ok_or_else(|| Failure::usage(msg!("schedule.needs_at")))?;
    let (hour, minute) = parse_at(at)
        .map_err(|k| Failure::usage(msg!("schedule.bad_at", value = at, error = t(k))))?;
    let weekday = match (args.every, args.weekday) {
        (Every::Week, None) => Some(Weekday::Sun),
        (Every::Week, Some(d)) => Some(d),
        (Every::Day, Some(d)) => {
            return Err(Failure::usage(msg!(
                "schedule.weekday_needs_week",
                day = d.short().to_lowercase()
            )));
        }
        (Every::Day, None) => None,
    };
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map(|p| crate::winpath::plain(&p))
        .map_err(|e| Failure::usage(msg!("schedule.no_exe", error = crate::i18n::os_error(&e))))?;
    let log_file = match &args.log_file {
        Some(p) => absolute(p)?,
        None => default_log_file().ok_or_else(|| {
            Failure::usage(msg!("schedule.no_data_dir")).with_hint(msg!("schedule.hint_log_file"))
        })?,
    };

    // The job's arguments: the overrides this install was given, then the clean.
    let mut job_args: Vec<String> = Vec::new();
    let o = &app.overrides;
    for (flag, value) in [
        ("--qq-dir", &o.qq_dir),
        ("--ll-dir", &o.ll_dir),
        ("--profile", &o.profile),
        ("--data-dir", &o.data_dir),
        ("--qq-data", &o.qq_data),
    ] {
        if let Some(v) = value {
            job_args.push(flag.into());
            job_args.push(unicode(&absolute(v)?)?);
        }
    }
    job_args.extend(["clean", "--yes", "--quiet", "--log-file"].map(String::from));
    job_args.push(unicode(&log_file)?);
    for a in &args.clean_args {
        if matches!(a.as_str(), "--yes" | "-y" | "--quiet" | "-q") {
            continue;
        }
        job_args.push(a.clone());
    }
    // A newline would end the crontab line or the unit's ExecStart= and start a line of its own.
    refuse_control(&exe.to_string_lossy())?;
    for a in &job_args {
        refuse_control(a)?;
    }
    // The scheduled command must run now, not fail at 4 a.m.: parsed and checked as clean would.
    let argv: Vec<String> = std::iter::once("llob-doctor".to_string())
        .chain(job_args.iter().cloned())
        .collect();
    warnings.extend(status::check_job_args(&argv)?);
    Ok(Job {
        exe,
        args: job_args,
        hour,
        minute,
        weekday,
        log_file,
    })
}

/// Writes one of the scheduler's files (unit, plist, task definition): replaced whole by a
/// rename in a folder of this user's (made if missing), mode 0600 whatever the umask, since the
/// job's command line may hold a `--stop-cmd` with a password.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    crate::outfile::replace(path, bytes, 0o600, crate::outfile::Folder::Private, true)
        .map_err(|p| Failure::usage(msg!("schedule.cannot_write", error = p.msg())))
}

/// The scheduler's files are lines of text: an argument with a control character (a newline, a
/// carriage return, an escape, any C0 or C1 code or DEL) is refused before anything is written.
fn refuse_control(arg: &str) -> Result<(), Failure> {
    match arg.chars().find(|c| c.is_control()) {
        None => Ok(()),
        Some(c) => Err(Failure::usage(msg!(
            "schedule.control_char",
            arg = crate::clean::guard::escape(arg),
            char = crate::clean::guard::escape(&c.to_string())
        ))
        .with_hint(msg!("schedule.hint_control_char"))),
    }
}

/// A path for the scheduler's files, which are text: one that is not valid Unicode would be
/// written changed and name another folder, so it is refused.
fn unicode(p: &Path) -> Result<String, Failure> {
    p.to_str().map(str::to_string).ok_or_else(|| {
        Failure::usage(msg!("schedule.path_not_unicode", path = p.display()))
            .with_hint(msg!("schedule.hint_path_not_unicode"))
    })
}

fn absolute(p: &Path) -> Result<PathBuf, Failure> {
    std::path::absolute(p)
        .map_err(|e| Failure::usage(format!("{}: {}", p.display(), crate::i18n::os_error(&e))))
}

/// A backend's report with what `schedule` adds for every backend.
#[derive(Debug, Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub report: ScheduleReport,
    /// The scheduler will run the job (install), or runs it (show).
    pub active: bool,
    /// remove: something was there and is gone.
    pub removed: bool,
    /// The last run's result, from the last line of the run log (show).
    pub last_run: Option<String>,
    /// When the installed job runs, read back from the scheduler (show).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs: Option<String>,
    /// What it runs, read back from the scheduler (show).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Things that do not stop the job but may keep it from doing its work.
    pub warnings: Vec<String>,
}

fn show_backend(app: &App, backend: Backend) -> Result<ScheduleReport, Failure> {
    match backend {
        Backend::Cron => cron::show(),
        Backend::Systemd => systemd::show(app),
        Backend::Launchd => launchd::show(app),
        Backend::Schtasks => schtasks::show(),
    }
}

fn installed_job(backend: Backend, content: &str) -> Option<Installed> {
    match backend {
        Backend::Cron => cron::parse(content),
        Backend::Systemd => systemd::parse(content),
        Backend::Launchd => launchd::parse(content),
        Backend::Schtasks => task_xml::parse(content),
    }
}

pub fn run(app: &App, args: &ScheduleArgs) -> anyhow::Result<Exit> {
    let backend = if args.systemd {
        Backend::Systemd
    } else {
        args.backend
            .unwrap_or_else(|| default_backend(Platform::host()))
    };
    let mut warnings = Vec::new();
    let mut removed = false;
    let report = match args.action {
        ScheduleAction::Install => {
            status::check_backend(backend, Platform::host())?;
            let job = build_job(app, args, &mut warnings)?;
            let r = match backend {
                Backend::Cron => cron::install(&job)?,
                Backend::Systemd => systemd::install(app, &job)?,
                Backend::Launchd => launchd::install(app, &job)?,
                Backend::Schtasks => schtasks::install(&job)?,
            };
            if backend == Backend::Systemd
                && let Some(w) = systemd::linger_warning()
            {
                warnings.push(w);
            }
            if backend == Backend::Schtasks
                && let Some(w) = schtasks::placement_warning(&job.exe, &app.env)
            {
                warnings.push(w);
            }
            r
        }
        ScheduleAction::Remove => {
            let before = show_backend(app, backend)
                .map(|r| r.installed)
                .unwrap_or(true);
            let r = match backend {
                Backend::Cron => cron::remove()?,
                Backend::Systemd => systemd::remove(app)?,
                Backend::Launchd => launchd::remove(app)?,
                Backend::Schtasks => schtasks::remove()?,
            };
            removed = before;
            r
        }
        ScheduleAction::Show => show_backend(app, backend)?,
    };
    let active = report.installed && report.manual_commands.is_empty();
    let mut outcome = Outcome {
        report,
        active,
        removed,
        last_run: None,
        runs: None,
        command: None,
        warnings,
    };
    if args.action == ScheduleAction::Show
        && let Some(job) = outcome
            .report
            .content
            .as_deref()
            .and_then(|c| installed_job(backend, c))
    {
        outcome.runs = Some(job.when_text(crate::i18n::lang()));
        outcome.command = Some(job.command_text());
        if outcome.report.next_run.is_none() {
            outcome.report.next_run = status::next_run(job.hour, job.minute, job.weekday);
        }
        let log = status::log_file_in(&job.words)
            .or_else(|| args.log_file.clone())
            .or_else(default_log_file);
        outcome.last_run = Some(
            log.as_deref()
                .and_then(status::last_run)
                .unwrap_or_else(|| t("schedule.no_run_yet").to_string()),
        );
    }
    if args.action == ScheduleAction::Install
        && outcome.active
        && outcome.report.next_run.is_none()
        && let Some(j) = &outcome.report.job
    {
        outcome.report.next_run =
            status::next_run(j.hour, j.minute, j.weekday.map(Weekday::number));
    }
    for w in &outcome.warnings {
        crate::stderr_line!("llob-doctor: {w}");
    }
    app.out
        .emit(&outcome, || render(&outcome, args.action, app.out.verbose))?;
    // Written but not active: the scheduler will not run it; say so in the exit code too.
    if args.action == ScheduleAction::Install && !outcome.active {
        return Ok(Exit::Problem);
    }
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_quoting() {
        assert_eq!(parse_at("04:30"), Ok((4, 30)));
        assert_eq!(parse_at("24:00"), Err("schedule.at_range"));
        assert_eq!(parse_at("4:05"), Ok((4, 5)));
        assert!(parse_at("24:00").is_err() && parse_at("4").is_err() && parse_at("a:b").is_err());
        assert_eq!(sh_quote("/usr/bin/llob-doctor"), "/usr/bin/llob-doctor");
        assert_eq!(sh_quote("/a b/c"), "'/a b/c'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
    }
}
