//! Windows Task Scheduler through `schtasks`: one task named "llob-doctor clean".

use super::{Job, ScheduleReport, run_tool};
use crate::cli::Backend;
use crate::exit::Failure;
use crate::msg;

pub const TASK: &str = "llob-doctor clean";
/// schtasks refuses a /TR longer than this.
pub const MAX_TR: usize = 261;

/// Quotes one argument the way Windows programs split their command line
/// (CommandLineToArgvW): quotes around anything with a space, tab or quote; backslashes doubled
/// only before a quote.
pub fn win_quote(arg: &str) -> String {
    if !arg.is_empty() && !arg.contains([' ', '\t', '"']) {
        return arg.to_string();
    }
    let mut out = String::from("\"");
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(backslashes * 2 + 1));
                out.push('"');
                backslashes = 0;
            }
            c => {
                out.push_str(&"\\".repeat(backslashes));
                out.push(c);
                backslashes = 0;
            }
        }
    }
    out.push_str(&"\\".repeat(backslashes * 2));
    out.push('"');
    out
}

/// The task's command line (`/TR`).
pub fn task_run(job: &Job) -> String {
    let mut tr = win_quote(&job.exe.display().to_string());
    for a in &job.args {
        tr.push(' ');
        tr.push_str(&win_quote(a));
    }
    tr
}

/// The arguments to `schtasks` that create the task.
pub fn create_args(job: &Job) -> Vec<String> {
    let mut a: Vec<String> = ["/Create", "/F", "/TN", TASK].map(String::from).to_vec();
    match job.weekday {
        None => a.extend(["/SC".into(), "DAILY".into()]),
        Some(d) => a.extend([
            "/SC".into(),
            "WEEKLY".into(),
            "/D".into(),
            d.short().to_uppercase(),
        ]),
    }
    a.extend([
        "/ST".into(),
        format!("{:02}:{:02}", job.hour, job.minute),
        "/TR".into(),
        task_run(job),
    ]);
    a
}

/// The same command as one would type it in cmd.exe.
pub fn create_command_line(job: &Job) -> String {
    let mut s = String::from("schtasks");
    for a in create_args(job) {
        s.push(' ');
        s.push_str(&win_quote(&a));
    }
    s
}

fn base(action: &'static str, installed: bool, job: Option<&Job>) -> ScheduleReport {
    ScheduleReport {
        action,
        backend: Backend::Schtasks,
        location: format!("task \"{TASK}\""),
        installed,
        content: None,
        next_run: None,
        manual_commands: Vec::new(),
        job: job.cloned(),
    }
}

pub fn install(job: &Job) -> Result<ScheduleReport, Failure> {
    let tr = task_run(job);
    if tr.chars().count() > MAX_TR {
        return Err(Failure::usage(msg!(
            "schedule.tr_too_long",
            n = tr.chars().count(),
            max = MAX_TR
        ))
        .with_hint(msg!("schedule.hint_tr_too_long")));
    }
    let args = create_args(job);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut r = base("install", true, Some(job));
    r.content = Some(create_command_line(job));
    if let Err(e) = run_tool("schtasks", &refs, None) {
        eprintln!("llob-doctor: {e}");
        r.manual_commands.push(create_command_line(job));
    } else {
        r.next_run = query().ok().and_then(|q| next_run(&q));
    }
    Ok(r)
}

fn query() -> Result<String, String> {
    run_tool(
        "schtasks",
        &["/Query", "/TN", TASK, "/V", "/FO", "LIST"],
        None,
    )
}

/// "Next Run Time:" from `schtasks /Query /V /FO LIST`.
pub fn next_run(query: &str) -> Option<String> {
    query.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == "Next Run Time").then(|| v.trim().to_string())
    })
}

pub fn remove() -> Result<ScheduleReport, Failure> {
    let mut r = base("remove", false, None);
    if query().is_ok()
        && let Err(e) = run_tool("schtasks", &["/Delete", "/F", "/TN", TASK], None)
    {
        eprintln!("llob-doctor: {e}");
        r.manual_commands
            .push(format!("schtasks /Delete /F /TN \"{TASK}\""));
    }
    Ok(r)
}

pub fn show() -> Result<ScheduleReport, Failure> {
    match query() {
        Ok(q) => {
            let mut r = base("show", true, None);
            r.next_run = next_run(&q);
            r.content = Some(q);
            Ok(r)
        }
        Err(_) => Ok(base("show", false, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Weekday;
    use std::path::PathBuf;

    #[test]
    fn quoting_like_command_line_to_argv() {
        assert_eq!(win_quote("clean"), "clean");
        assert_eq!(
            win_quote(r"C:\Program Files\llob\llob-doctor.exe"),
            r#""C:\Program Files\llob\llob-doctor.exe""#
        );
        assert_eq!(win_quote(r"C:\a b\"), r#""C:\a b\\""#);
        assert_eq!(win_quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(win_quote(""), r#""""#);
    }

    #[test]
    fn create_command() {
        let job = Job {
            exe: PathBuf::from(r"C:\Program Files\llob-doctor\llob-doctor.exe"),
            args: [
                "clean",
                "--yes",
                "--quiet",
                "--log-file",
                r"C:\Users\A B\AppData\Roaming\llob-doctor\data\clean.log",
            ]
            .map(String::from)
            .to_vec(),
            hour: 4,
            minute: 30,
            weekday: Some(Weekday::Mon),
            log_file: PathBuf::from("x"),
        };
        let args = create_args(&job);
        assert_eq!(
            &args[..9],
            [
                "/Create",
                "/F",
                "/TN",
                "llob-doctor clean",
                "/SC",
                "WEEKLY",
                "/D",
                "MON",
                "/ST"
            ]
        );
        assert_eq!(args[9], "04:30");
        assert_eq!(
            args[11],
            r#""C:\Program Files\llob-doctor\llob-doctor.exe" clean --yes --quiet --log-file "C:\Users\A B\AppData\Roaming\llob-doctor\data\clean.log""#
        );
        assert_eq!(
            create_command_line(&job),
            r#"schtasks /Create /F /TN "llob-doctor clean" /SC WEEKLY /D MON /ST 04:30 /TR "\"C:\Program Files\llob-doctor\llob-doctor.exe\" clean --yes --quiet --log-file \"C:\Users\A B\AppData\Roaming\llob-doctor\data\clean.log\"""#
        );
        assert_eq!(
            next_run("TaskName: x\nNext Run Time:   11/26/2026 4:30:00 AM\n").as_deref(),
            Some("11/26/2026 4:30:00 AM")
        );
    }
}
