//! systemd user timer: `llob-doctor-clean.service` + `.timer` in `~/.config/systemd/user/`
//! (one instance's: `llob-doctor-clean-<slug>.service` + `.timer`).

use std::fs;
use std::path::PathBuf;

use super::{Job, JobName, ScheduleReport, run_tool};
use crate::app::App;
use crate::cli::Backend;
use crate::exit::Failure;
use crate::i18n::Lang;
use crate::msg;

/// One word of `ExecStart=`: double-quoted with C escapes; `%` and `$` doubled so that systemd
/// neither expands specifiers nor variables in it.
pub fn exec_word(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '%' => out.push_str("%%"),
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn service(job: &Job) -> String {
    let mut exec = exec_word(&job.exe.display().to_string());
    for a in &job.args {
        exec.push(' ');
        exec.push_str(&exec_word(a));
    }
    format!(
        "[Unit]\n\
         Description=llob-doctor: clean LLOneBot's message caches and temp files\n\
         Documentation=man:llob-doctor(1)\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={exec}\n\
         # A QQ restarted by --restart-qq must outlive this run.\n\
         KillMode=process\n"
    )
}

pub fn on_calendar(job: &Job) -> String {
    let day = job
        .weekday
        .map(|d| format!("{} ", d.short()))
        .unwrap_or_default();
    format!("{day}*-*-* {:02}:{:02}:00", job.hour, job.minute)
}

pub fn timer(job: &Job) -> String {
    format!(
        "[Unit]\n\
         Description=Run llob-doctor clean {}\n\
         \n\
         [Timer]\n\
         OnCalendar={}\n\
         Persistent=true\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n",
        job.when_text(Lang::En),
        on_calendar(job)
    )
}

/// `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`.
pub fn unit_dir(app: &App) -> Result<PathBuf, Failure> {
    let env = &app.env;
    let base = match env.path_var("XDG_CONFIG_HOME") {
        Some(x) => Some(env.resolve(x)),
        None => env.in_home(".config"),
    };
    base.map(|b| b.join("systemd/user")).ok_or_else(|| {
        Failure::usage(msg!("schedule.no_home")).with_hint(msg!("schedule.hint_home"))
    })
}

fn systemctl(args: &[&str]) -> Result<String, String> {
    let mut all = vec!["--user"];
    all.extend_from_slice(args);
    run_tool("systemctl", &all, None)
}

fn report(
    app: &App,
    action: &'static str,
    installed: bool,
    job: Option<&Job>,
    name: &JobName,
) -> Result<ScheduleReport, Failure> {
    let dir = unit_dir(app)?;
    Ok(ScheduleReport {
        action,
        backend: Backend::Systemd,
        location: dir
            .join(format!("{}.timer", name.systemd_unit()))
            .display()
            .to_string(),
        installed,
        content: None,
        next_run: None,
        manual_commands: Vec::new(),
        job: job.cloned(),
    })
}

pub fn install(app: &App, job: &Job, name: &JobName) -> Result<ScheduleReport, Failure> {
    let unit = name.systemd_unit();
    let dir = unit_dir(app)?;
    let svc = dir.join(format!("{unit}.service"));
    let tmr = dir.join(format!("{unit}.timer"));
    for (path, text) in [(&svc, service(job)), (&tmr, timer(job))] {
        super::write_file(path, text.as_bytes())?;
    }
    let mut r = report(app, "install", true, Some(job), name)?;
    r.content = Some(format!("{}\n{}", service(job), timer(job)));
    let timer_unit = format!("{unit}.timer");
    let steps = [
        vec!["daemon-reload"],
        vec!["enable", "--now", timer_unit.as_str()],
    ];
    for (i, step) in steps.iter().enumerate() {
        if let Err(e) = systemctl(step) {
            crate::stderr_line!("llob-doctor: {e}");
            r.manual_commands = steps[i..]
                .iter()
                .map(|s| format!("systemctl --user {}", s.join(" ")))
                .collect();
            break;
        }
    }
    if r.manual_commands.is_empty() {
        r.next_run = next_run(name);
    }
    Ok(r)
}

fn next_run(name: &JobName) -> Option<String> {
    let timer = format!("{}.timer", name.systemd_unit());
    let out = systemctl(&["list-timers", &timer, "--no-pager", "--no-legend"]).ok()?;
    let line = out.lines().next()?.trim();
    // NEXT is the first columns up to the "LEFT" column; keep the date and time words.
    let words: Vec<&str> = line.split_whitespace().collect();
    (words.len() >= 4).then(|| words[..4].join(" "))
}

pub fn remove(app: &App, name: &JobName) -> Result<ScheduleReport, Failure> {
    let dir = unit_dir(app)?;
    let unit = name.systemd_unit();
    let timer = format!("{unit}.timer");
    let mut r = report(app, "remove", false, None, name)?;
    if let Err(e) = systemctl(&["disable", "--now", &timer])
        && dir.join(&timer).exists()
    {
        crate::stderr_line!("llob-doctor: {e}");
        r.manual_commands
            .push(format!("systemctl --user disable --now {timer}"));
    }
    for ext in ["timer", "service"] {
        let p = dir.join(format!("{unit}.{ext}"));
        match fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Failure::usage(msg!(
                    "schedule.cannot_remove",
                    path = p.display(),
                    error = crate::i18n::os_error(&e)
                )));
            }
        }
    }
    let _ = systemctl(&["daemon-reload"]);
    Ok(r)
}

pub fn show(app: &App, name: &JobName) -> Result<ScheduleReport, Failure> {
    let dir = unit_dir(app)?;
    let unit = name.systemd_unit();
    let svc_path = dir.join(format!("{unit}.service"));
    let tmr_path = dir.join(format!("{unit}.timer"));
    let svc = fs::read_to_string(&svc_path).ok();
    let tmr = fs::read_to_string(&tmr_path).ok();
    let installed = tmr.is_some();
    let mut r = report(app, "show", installed, None, name)?;
    if installed {
        // Each file under its own name, as `systemctl cat` shows them.
        let mut content = String::new();
        for (path, text) in [(&svc_path, &svc), (&tmr_path, &tmr)] {
            if let Some(text) = text {
                content.push_str(&format!("# {}\n{text}\n", path.display()));
            }
        }
        r.content = Some(content);
        r.next_run = next_run(name);
        if !is_enabled(name) {
            r.manual_commands = vec![format!("systemctl --user enable --now {unit}.timer")];
        }
    }
    Ok(r)
}

/// Whether the user manager has the timer enabled (false when it cannot be reached).
fn is_enabled(name: &JobName) -> bool {
    let timer = format!("{}.timer", name.systemd_unit());
    systemctl(&["is-enabled", &timer]).is_ok_and(|s| s.trim() == "enabled")
}

/// A user timer runs only while the user's manager runs: after logout on a headless server
/// that is never, unless lingering is on. The warning, when it is off.
pub fn linger_warning() -> Option<String> {
    let user = user_name()?;
    let out = run_tool(
        "loginctl",
        &["show-user", &user, "--property=Linger", "--value"],
        None,
    );
    match out {
        Ok(v) if v.trim() == "yes" => None,
        Ok(_) => Some(crate::tf!("schedule.linger_off", user = user)),
        // No logind (a container, no session yet): lingering cannot be checked; say so.
        Err(_) => Some(crate::tf!("schedule.linger_unknown", user = user)),
    }
}

fn user_name() -> Option<String> {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| {
            run_tool("id", &["-un"], None)
                .ok()
                .map(|s| s.trim().to_string())
        })
        .filter(|u| !u.is_empty())
}

/// The time and words of our units, read back from `OnCalendar=` and `ExecStart=`.
pub fn parse(content: &str) -> Option<super::Installed> {
    let cal = content
        .lines()
        .find_map(|l| l.trim().strip_prefix("OnCalendar="))?;
    let mut parts: Vec<&str> = cal.split_whitespace().collect();
    let weekday = if parts.len() == 3 {
        let d = parts.remove(0);
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        Some(days.iter().position(|x| *x == d)? as u8)
    } else {
        None
    };
    let mut hm = parts.get(1)?.split(':');
    let hour = hm.next()?.parse().ok()?;
    let minute = hm.next()?.parse().ok()?;
    let exec = content
        .lines()
        .find_map(|l| l.trim().strip_prefix("ExecStart="))
        .unwrap_or("");
    Some(super::Installed {
        hour,
        minute,
        weekday,
        words: exec_words(exec),
    })
}

/// The words [`exec_word`] wrote, unquoted.
fn exec_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut w = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => w.extend(chars.next()),
                '%' | '$' if chars.peek() == Some(&c) => {
                    chars.next();
                    w.push(c);
                }
                c => w.push(c),
            }
        }
        words.push(w);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Weekday;

    #[test]
    fn units() {
        let job = Job {
            exe: PathBuf::from("/opt/x y/llob-doctor"),
            args: vec!["clean".into(), "--data-dir".into(), "/d/100%$HOME".into()],
            hour: 4,
            minute: 0,
            weekday: Some(Weekday::Sat),
            log_file: PathBuf::from("/l"),
        };
        let s = service(&job);
        assert!(
            s.contains(r#"ExecStart="/opt/x y/llob-doctor" "clean" "--data-dir" "/d/100%%$$HOME""#),
            "{s}"
        );
        assert!(s.contains("KillMode=process"));
        assert!(timer(&job).contains("OnCalendar=Sat *-*-* 04:00:00"));
        let weekly = parse(&timer(&job)).unwrap();
        assert_eq!(weekly.weekday, Some(6));
        let daily = Job {
            weekday: None,
            ..job
        };
        assert!(timer(&daily).contains("OnCalendar=*-*-* 04:00:00"));
        let back = parse(&format!("{}{}", service(&daily), timer(&daily))).unwrap();
        assert_eq!((back.hour, back.minute, back.weekday), (4, 0, None));
        assert_eq!(
            back.words,
            [
                "/opt/x y/llob-doctor",
                "clean",
                "--data-dir",
                "/d/100%$HOME"
            ]
        );
    }
}
