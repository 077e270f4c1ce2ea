//! `llob-doctor schedule install | remove | show`: a nightly (or weekly) unattended clean through
//! the platform's scheduler. Each backend is a pure text builder (tested on any platform) plus a
//! few calls to the scheduler's own command (`crontab`, `systemctl`, `launchctl`, `schtasks`).

mod args;
pub mod cron;
mod installed;
pub mod jobs;
pub mod launchd;
pub mod name;
mod render;
pub mod schtasks;
pub mod status;
pub mod systemd;
mod target;
pub mod task_xml;
mod tool;

pub use installed::Installed;
pub use name::JobName;
pub use render::backend_name;
use render::render;
pub use target::Target;
pub(crate) use tool::run_tool;

use std::path::{Path, PathBuf};

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

    /// The instance it cleans (its `--instance`); `None` for the job for all bots.
    pub fn instance(&self) -> Option<&str> {
        instance_in(&self.args)
    }

    /// The command that removes it, for the scheduler's comments (control characters dropped).
    pub fn remove_command(&self) -> String {
        match self.instance() {
            None => "llob-doctor schedule remove".into(),
            Some(id) => {
                let id: String = id.chars().filter(|c| !c.is_control()).collect();
                format!("llob-doctor schedule remove --instance {}", sh_quote(&id))
            }
        }
    }
}

/// The `--instance` value among a job's arguments, before its `clean`.
pub fn instance_in(args: &[String]) -> Option<&str> {
    let clean = args.iter().position(|a| a == "clean").unwrap_or(args.len());
    let i = args[..clean].iter().position(|a| a == "--instance")?;
    args.get(i + 1).map(String::as_str)
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

/// Where unattended runs log by default: the user's data directory, a file per job
/// (`clean.log`, one instance's `clean-<slug>.log`).
pub fn default_log_file(name: &JobName) -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "llob-doctor")
        .map(|d| d.data_dir().join(name.log_file_name()))
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

fn build_job(
    app: &App,
    args: &ScheduleArgs,
    target: &Target,
    lang: Option<Lang>,
    warnings: &mut Vec<String>,
) -> Result<Job, Failure> {
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
        None => default_log_file(&target.name).ok_or_else(|| {
            Failure::usage(msg!("schedule.no_data_dir")).with_hint(msg!("schedule.hint_log_file"))
        })?,
    };

    // The job's arguments: the overrides this install was given, then the clean.
    let mut job_args = args::overrides(&app.overrides, target, lang)?;
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
pub(super) fn unicode(p: &Path) -> Result<String, Failure> {
    p.to_str().map(str::to_string).ok_or_else(|| {
        Failure::usage(msg!("schedule.path_not_unicode", path = p.display()))
            .with_hint(msg!("schedule.hint_path_not_unicode"))
    })
}

pub(super) fn absolute(p: &Path) -> Result<PathBuf, Failure> {
    std::path::absolute(p)
        .map_err(|e| Failure::usage(format!("{}: {}", p.display(), crate::i18n::os_error(&e))))
}

/// A backend's report with what `schedule` adds for every backend.
#[derive(Debug, Serialize)]
pub struct Outcome {
    #[serde(flatten)]
    pub report: ScheduleReport,
    /// The job's name: `null` for the job for all bots, else its instance's slug.
    pub name: JobName,
    /// The instance it cleans (its `--instance`); `null` for the job for all bots.
    pub instance: Option<String>,
    /// The scheduler will run the job (install), or runs it (show).
    pub active: bool,
    /// remove: something was there and is gone.
    pub removed: bool,
    /// install: a job of this name was there, and this one took its place.
    pub replaced: bool,
    /// When it runs, read back from the scheduler (show): "every day at 04:30".
    pub trigger: Option<String>,
    /// What it runs, read back from the scheduler (show): the executable, then its arguments.
    pub command: Option<Vec<String>>,
    /// Its run log (show: its `--log-file`).
    #[serde(serialize_with = "crate::output::path::opt")]
    pub log_file: Option<PathBuf>,
    /// The last run's result, from the last line of the run log (show).
    pub last_run: Option<String>,
    /// Things that do not stop the job but may keep it from doing its work.
    pub warnings: Vec<String>,
}

impl Outcome {
    pub fn new(report: ScheduleReport, name: JobName) -> Outcome {
        let active = report.installed && report.manual_commands.is_empty();
        let instance = report
            .job
            .as_ref()
            .and_then(|j| j.instance().map(str::to_string));
        Outcome {
            report,
            name,
            instance,
            active,
            removed: false,
            replaced: false,
            trigger: None,
            command: None,
            log_file: None,
            last_run: None,
            warnings: Vec::new(),
        }
    }
}

fn show_backend(app: &App, backend: Backend, name: &JobName) -> Result<ScheduleReport, Failure> {
    match backend {
        Backend::Cron => cron::show(name),
        Backend::Systemd => systemd::show(app, name),
        Backend::Launchd => launchd::show(app, name),
        Backend::Schtasks => schtasks::show(name),
    }
}

fn remove_backend(app: &App, backend: Backend, name: &JobName) -> Result<ScheduleReport, Failure> {
    match backend {
        Backend::Cron => cron::remove(name),
        Backend::Systemd => systemd::remove(app, name),
        Backend::Launchd => launchd::remove(app, name),
        Backend::Schtasks => schtasks::remove(name),
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

pub fn run(app: &App, args: &ScheduleArgs, lang: Option<Lang>) -> anyhow::Result<Exit> {
    let backend = if args.systemd {
        Backend::Systemd
    } else {
        args.backend
            .unwrap_or_else(|| default_backend(Platform::host()))
    };
    // A path with a newline would be a line of its own in the scheduler's files: refused before
    // it is looked for, so the refusal names the real reason.
    if args.action == ScheduleAction::Install {
        for (_, v) in args::override_flags(&app.overrides) {
            if let Some(v) = v {
                refuse_control(&v.to_string_lossy())?;
            }
        }
    }
    target::check_args(app, args)?;
    match args.action {
        ScheduleAction::Show => return jobs::show(app, args, backend),
        ScheduleAction::Remove if args.all => return jobs::remove_all(app, backend),
        _ => {}
    }
    let mut warnings = Vec::new();
    let mut removed = false;
    let mut replaced = false;
    let (report, target) = match args.action {
        ScheduleAction::Install => {
            status::check_backend(backend, Platform::host())?;
            let target = Target::for_install(app)?;
            let job = build_job(app, args, &target, lang, &mut warnings)?;
            let name = &target.name;
            replaced = show_backend(app, backend, name).is_ok_and(|r| r.installed);
            warnings.extend(jobs::overlaps(app, backend, name, &job.log_file));
            let r = match backend {
                Backend::Cron => cron::install(&job, name)?,
                Backend::Systemd => systemd::install(app, &job, name)?,
                Backend::Launchd => launchd::install(app, &job, name)?,
                Backend::Schtasks => schtasks::install(&job, name)?,
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
            (r, target)
        }
        _ => {
            let target = Target::for_remove(app)?;
            let before = show_backend(app, backend, &target.name)
                .map(|r| r.installed)
                .unwrap_or(true);
            let r = remove_backend(app, backend, &target.name)?;
            removed = before;
            (r, target)
        }
    };
    let mut outcome = Outcome::new(report, target.name);
    outcome.instance = outcome.instance.take().or(target.instance);
    outcome.removed = removed;
    outcome.replaced = replaced;
    outcome.warnings = warnings;
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
