//! `schedule`'s human output: what happened, when the job runs, and what the scheduler holds,
//! with control characters escaped.

use std::fmt::Write as _;

use super::Outcome;
use crate::cli::{Backend, ScheduleAction};
use crate::i18n::{pad, t, width};

pub(super) fn render(o: &Outcome, action: ScheduleAction, verbose: u8) -> String {
    let r = &o.report;
    let mut s = String::new();
    let what = match action {
        ScheduleAction::Install if o.active => t("schedule.installed"),
        ScheduleAction::Install => t("schedule.written_not_enabled"),
        ScheduleAction::Remove if o.removed => t("schedule.removed"),
        ScheduleAction::Remove => t("schedule.nothing_to_remove"),
        ScheduleAction::Show if r.installed && !r.manual_commands.is_empty() => {
            t("schedule.written_not_enabled")
        }
        ScheduleAction::Show if r.installed => t("schedule.installed"),
        ScheduleAction::Show => t("schedule.not_installed"),
    };
    // What the scheduler holds and the run log says is shown, never obeyed: control characters
    // (an escape sequence in a crontab line or a log's error) are printed escaped.
    let esc = crate::clean::guard::escape;
    let _ = writeln!(
        s,
        "{what}: {} ({})",
        esc(&r.location),
        backend_name(r.backend)
    );
    if o.replaced {
        let _ = writeln!(s, "  {}", t("schedule.replaced_note"));
    }
    let lang = crate::i18n::lang();
    let command = o.command.as_ref().map(|words| {
        words
            .iter()
            .map(|w| crate::winpath::quote_arg(w))
            .collect::<Vec<_>>()
            .join(" ")
    });
    let rows: Vec<(&str, String)> = [
        o.instance.clone().map(|i| ("schedule.instance", i)),
        r.job
            .as_ref()
            .map(|j| j.when_text(lang))
            .or_else(|| o.trigger.clone())
            .map(|w| ("schedule.runs", w)),
        command.map(|c| ("schedule.command", c)),
        r.job
            .as_ref()
            .map(|j| j.log_file.clone())
            .or_else(|| o.log_file.clone())
            .map(|l| ("schedule.logs_to", l.display().to_string())),
        r.next_run.clone().map(|n| ("schedule.next_run", n)),
        o.last_run.clone().map(|n| ("schedule.last_run", n)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let w = rows.iter().map(|(k, _)| width(t(k))).max().unwrap_or(0) + 2;
    for (k, v) in rows {
        let _ = writeln!(s, "  {}{}", pad(t(k), w), esc(&v));
    }
    // A task definition (some 40 lines of XML) is summed up above; itself only with -v.
    let summed_up =
        r.backend == Backend::Schtasks && (o.trigger.is_some() || r.job.is_some()) && verbose == 0;
    if let Some(c) = r.content.as_ref().filter(|_| !summed_up) {
        let _ = writeln!(s);
        for line in c.lines() {
            let _ = writeln!(s, "  {}", esc(line));
        }
    }
    if summed_up {
        let _ = writeln!(s, "\n{}", t("schedule.definition_with_v"));
    }
    if !r.manual_commands.is_empty() {
        let _ = writeln!(s, "\n{}", t("schedule.run_by_hand"));
        for c in &r.manual_commands {
            let _ = writeln!(s, "  {}", esc(c));
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
