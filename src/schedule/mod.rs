//! `llob-doctor schedule install | remove | show`: a nightly (or weekly) unattended clean through
//! the platform's scheduler. Each backend is a pure text builder (tested on any platform) plus a
//! few calls to the scheduler's own command (`crontab`, `systemctl`, `launchctl`, `schtasks`).

pub mod cron;
pub mod launchd;
pub mod schtasks;
pub mod systemd;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::Parser;
use serde::Serialize;

use crate::App;
use crate::cli::{Backend, Cli, Every, ScheduleAction, ScheduleArgs, Weekday};
use crate::env::Platform;
use crate::exit::{Exit, Failure};
use crate::i18n::{Lang, fill, pad, t, t_in, width};
use crate::msg;

/// What the scheduler runs, and when.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// This executable, absolute.
    pub exe: PathBuf,
    /// Everything after the executable: overrides, `clean --yes --quiet --log-file ...`, extras.
    pub args: Vec<String>,
    pub hour: u8,
    pub minute: u8,
    /// `None`: every day.
    pub weekday: Option<Weekday>,
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
    let mut child = c
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if let Some(input) = stdin
        && let Some(mut pipe) = child.stdin.take()
    {
        use std::io::Write;
        pipe.write_all(input.as_bytes())
            .map_err(|e| format!("{program}: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{program}: {e}"))?;
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

fn build_job(app: &App, args: &ScheduleArgs) -> Result<Job, Failure> {
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
        .map_err(|e| Failure::usage(msg!("schedule.no_exe", error = e)))?;
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
            job_args.push(absolute(v)?.display().to_string());
        }
    }
    job_args.extend(["clean", "--yes", "--quiet", "--log-file"].map(String::from));
    job_args.push(log_file.display().to_string());
    for a in &args.clean_args {
        if matches!(a.as_str(), "--yes" | "-y" | "--quiet" | "-q") {
            continue;
        }
        job_args.push(a.clone());
    }
    // The scheduled command must parse now, not fail at 4 a.m.
    let argv = std::iter::once("llob-doctor".to_string()).chain(job_args.iter().cloned());
    if let Err(e) = Cli::try_parse_from(argv) {
        let first = e.to_string().lines().next().unwrap_or("").to_string();
        return Err(
            Failure::usage(msg!("schedule.bad_clean_args", error = first))
                .with_hint(msg!("schedule.hint_clean_args")),
        );
    }
    Ok(Job {
        exe,
        args: job_args,
        hour,
        minute,
        weekday,
        log_file,
    })
}

fn absolute(p: &Path) -> Result<PathBuf, Failure> {
    std::path::absolute(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))
}

pub fn run(app: &App, args: &ScheduleArgs) -> anyhow::Result<Exit> {
    let backend = if args.systemd {
        Backend::Systemd
    } else {
        args.backend
            .unwrap_or_else(|| default_backend(Platform::host()))
    };
    let report = match args.action {
        ScheduleAction::Install => {
            let job = build_job(app, args)?;
            match backend {
                Backend::Cron => cron::install(&job)?,
                Backend::Systemd => systemd::install(app, &job)?,
                Backend::Launchd => launchd::install(app, &job)?,
                Backend::Schtasks => schtasks::install(&job)?,
            }
        }
        ScheduleAction::Remove => match backend {
            Backend::Cron => cron::remove()?,
            Backend::Systemd => systemd::remove(app)?,
            Backend::Launchd => launchd::remove(app)?,
            Backend::Schtasks => schtasks::remove()?,
        },
        ScheduleAction::Show => match backend {
            Backend::Cron => cron::show()?,
            Backend::Systemd => systemd::show(app)?,
            Backend::Launchd => launchd::show(app)?,
            Backend::Schtasks => schtasks::show()?,
        },
    };
    app.out.emit(&report, || render(&report))?;
    Ok(Exit::Ok)
}

fn render(r: &ScheduleReport) -> String {
    let mut s = String::new();
    let what = match (r.action, r.installed) {
        ("install", _) | ("show", true) => t("schedule.installed"),
        ("remove", _) => t("schedule.removed"),
        _ => t("schedule.not_installed"),
    };
    let _ = writeln!(s, "{what}: {} ({})", r.location, backend_name(r.backend));
    let rows: Vec<(&str, String)> = [
        r.job
            .as_ref()
            .map(|j| ("schedule.runs", j.when_text(crate::i18n::lang()))),
        r.job
            .as_ref()
            .map(|j| ("schedule.logs_to", j.log_file.display().to_string())),
        r.next_run.clone().map(|n| ("schedule.next_run", n)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let w = rows.iter().map(|(k, _)| width(t(k))).max().unwrap_or(0) + 2;
    for (k, v) in rows {
        let _ = writeln!(s, "  {}{v}", pad(t(k), w));
    }
    if let Some(c) = &r.content {
        let _ = writeln!(s);
        for line in c.lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    if !r.manual_commands.is_empty() {
        let _ = writeln!(s, "\n{}", t("schedule.run_by_hand"));
        for c in &r.manual_commands {
            let _ = writeln!(s, "  {c}");
        }
    }
    s
}

pub fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Cron => "cron",
        Backend::Systemd => t("schedule.backend_systemd"),
        Backend::Launchd => t("schedule.backend_launchd"),
        Backend::Schtasks => t("schedule.backend_schtasks"),
    }
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
