//! Every job of ours a scheduler holds, the one for all bots and each instance's: listed by
//! `show` and `remove --all`, and looked at when a job is installed beside them (two jobs that
//! clean the same bots, two jobs that write one run log).

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::{
    JobName, Outcome, Target, default_log_file, installed_job, instance_in, remove_backend, render,
    show_backend, status,
};
use crate::app::App;
use crate::cli::{Backend, ScheduleAction, ScheduleArgs, Weekday};
use crate::exit::{Exit, Failure};
use crate::i18n::{fill, t, t_in};
use crate::tf;

/// `show` and `remove --all`: every job, each as `install` and `remove` tell one.
#[derive(Debug, Serialize)]
pub struct JobList {
    pub action: &'static str,
    pub backend: Backend,
    /// show: any job is installed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed: Option<bool>,
    /// remove: any was there and is gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<bool>,
    pub jobs: Vec<Outcome>,
}

/// The jobs of ours the scheduler holds: the one for all bots first, then by name.
pub fn names(app: &App, backend: Backend) -> Result<Vec<JobName>, Failure> {
    let mut out: Vec<JobName> = match backend {
        Backend::Cron => super::cron::read()?
            .lines()
            .filter_map(|l| JobName::from_cron_begin(l.trim_end_matches('\r')))
            .collect(),
        Backend::Systemd => files_in(&super::systemd::unit_dir(app)?, JobName::from_systemd_timer),
        Backend::Launchd => match app.env.in_home("Library/LaunchAgents") {
            Some(dir) => files_in(&dir, JobName::from_launchd_plist),
            None => Vec::new(),
        },
        Backend::Schtasks => {
            let mut v: Vec<JobName> = super::schtasks::store_dir()
                .map(|d| files_in(&d, JobName::from_task))
                .unwrap_or_default();
            // Windows keeps its store from users; `schtasks /Query` lists the tasks, the name
            // (`\llob-doctor clean …`) first on each line.
            if let Ok(csv) = super::schtasks::schtasks(&["/Query", "/FO", "CSV", "/NH"]) {
                v.extend(csv.lines().filter_map(|l| {
                    let first = l.trim().strip_prefix('"')?.split('"').next()?;
                    JobName::from_task(first)
                }));
            }
            v
        }
    };
    out.sort();
    out.dedup();
    Ok(out)
}

/// The jobs a folder's file names are ours for.
fn files_in(dir: &Path, job: impl Fn(&str) -> Option<JobName>) -> Vec<JobName> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(&job))
        .collect()
}

/// One job as `show` tells it: where, when, what it runs, its log, its next and last run.
/// `log_file`: the log to read when the scheduler's text does not name one.
pub fn describe(
    app: &App,
    backend: Backend,
    name: &JobName,
    log_file: Option<&Path>,
) -> Result<Outcome, Failure> {
    let report = show_backend(app, backend, name)?;
    let mut o = Outcome::new(report, name.clone());
    if !o.report.installed {
        return Ok(o);
    }
    let parsed = o
        .report
        .content
        .as_deref()
        .and_then(|c| installed_job(backend, c));
    if let Some(job) = &parsed {
        if o.report.next_run.is_none() {
            o.report.next_run = status::next_run(job.hour, job.minute, job.weekday);
        }
        o.trigger = Some(when_text(job.hour, job.minute, job.weekday));
        o.instance = instance_in(job.words.get(1..).unwrap_or(&[])).map(str::to_string);
        o.command = Some(job.words.clone());
    }
    let log = parsed
        .as_ref()
        .and_then(|j| status::log_file_in(&j.words))
        .or_else(|| log_file.map(Path::to_path_buf))
        .or_else(|| default_log_file(name));
    o.last_run = Some(
        log.as_deref()
            .and_then(status::last_run)
            .unwrap_or_else(|| t("schedule.no_run_yet").to_string()),
    );
    o.log_file = log;
    Ok(o)
}

/// "every day at 04:30" from what the scheduler holds (0 = Sunday).
fn when_text(hour: u8, minute: u8, weekday: Option<u8>) -> String {
    let lang = crate::i18n::lang();
    let time = format!("{hour:02}:{minute:02}");
    let day = weekday.and_then(|n| {
        [
            Weekday::Sun,
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
        ]
        .get(usize::from(n))
        .copied()
    });
    match day {
        None => fill(t_in(lang, "schedule.every_day"), &[("time", &time)]),
        Some(d) => fill(
            t_in(lang, "schedule.every_weekday"),
            &[("day", &t_in(lang, d.key())), ("time", &time)],
        ),
    }
}

/// `show`: every job (with `--instance`: those instances'), each with its trigger, command,
/// log, next and last run.
pub fn show(app: &App, args: &ScheduleArgs, backend: Backend) -> anyhow::Result<Exit> {
    let wanted = &app.overrides.instances;
    let names: Vec<JobName> = if wanted.is_empty() {
        names(app, backend)?
    } else {
        wanted
            .iter()
            .map(|w| Target::resolve(app, w).name)
            .collect()
    };
    let mut jobs = Vec::new();
    for name in &names {
        // `--log-file` given to show: the log of the job for all bots, when its text names none.
        let given = args.log_file.as_deref().filter(|_| name.is_for_all());
        jobs.push(describe(app, backend, name, given)?);
    }
    let list = JobList {
        action: "show",
        backend,
        installed: Some(jobs.iter().any(|j| j.report.installed)),
        removed: None,
        jobs,
    };
    let none = if list.jobs.is_empty() {
        Some(describe(app, backend, &JobName::for_all(), None)?)
    } else {
        None
    };
    app.out.emit(&list, || match &none {
        Some(o) => render(o, ScheduleAction::Show, app.out.verbose),
        None => render_all(&list, ScheduleAction::Show, app.out.verbose),
    })?;
    Ok(Exit::Ok)
}

/// `remove --all`: every job of ours.
pub fn remove_all(app: &App, backend: Backend) -> anyhow::Result<Exit> {
    let mut jobs = Vec::new();
    for name in names(app, backend)? {
        let before = describe(app, backend, &name, None)?;
        let mut o = Outcome::new(remove_backend(app, backend, &name)?, name);
        o.instance = before.instance;
        o.removed = before.report.installed;
        jobs.push(o);
    }
    let list = JobList {
        action: "remove",
        backend,
        installed: None,
        removed: Some(jobs.iter().any(|j| j.removed)),
        jobs,
    };
    app.out.emit(&list, || {
        if list.jobs.is_empty() {
            format!("{}\n", t("schedule.nothing_to_remove"))
        } else {
            render_all(&list, ScheduleAction::Remove, app.out.verbose)
        }
    })?;
    Ok(Exit::Ok)
}

fn render_all(list: &JobList, action: ScheduleAction, verbose: u8) -> String {
    let mut s = String::new();
    for (i, job) in list.jobs.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(s);
        }
        s.push_str(&render(job, action, verbose));
    }
    s
}

/// Warnings about the jobs already there when `name` is installed with `log_file`: the job for
/// all bots beside an instance's (both clean that instance), and a run log two jobs share.
pub fn overlaps(app: &App, backend: Backend, name: &JobName, log_file: &Path) -> Vec<String> {
    let Ok(all) = names(app, backend) else {
        return Vec::new();
    };
    let others: Vec<Outcome> = all
        .iter()
        .filter(|n| *n != name)
        .filter_map(|n| describe(app, backend, n, None).ok())
        .collect();
    let mut out = Vec::new();
    // Each instance's job by its instance's id (its name when its text does not say).
    let named: Vec<String> = others
        .iter()
        .filter_map(|o| {
            o.instance
                .clone()
                .or_else(|| o.name.slug().map(str::to_string))
        })
        .collect();
    if name.is_for_all() && !named.is_empty() {
        out.push(tf!(
            "schedule.warn_instances_also",
            names = named.join(", ")
        ));
    } else if !name.is_for_all()
        && let Some(all) = others.iter().find(|o| o.name.is_for_all())
    {
        out.push(tf!(
            "schedule.warn_default_also",
            location = all.report.location
        ));
    }
    for o in &others {
        if o.log_file.as_deref() == Some(log_file) {
            out.push(tf!(
                "schedule.warn_same_log",
                location = o.report.location,
                path = log_file.display()
            ));
        }
    }
    out
}
