//! launchd (macOS): a LaunchAgent plist with `StartCalendarInterval`, loaded with `launchctl`;
//! labelled `io.github.llob-doctor.clean` (one instance's: `io.github.llob-doctor.clean.<slug>`).

use std::fs;
use std::path::PathBuf;

use super::{Job, JobName, ScheduleReport, run_tool};
use crate::app::App;
use crate::cli::Backend;
use crate::exit::Failure;
use crate::msg;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn plist(job: &Job, name: &JobName) -> String {
    let label = name.launchd_label();
    let mut args = format!(
        "    <string>{}</string>\n",
        xml_escape(&job.exe.display().to_string())
    );
    for a in &job.args {
        args.push_str(&format!("    <string>{}</string>\n", xml_escape(a)));
    }
    let weekday = job
        .weekday
        .map(|d| {
            format!(
                "    <key>Weekday</key>\n    <integer>{}</integer>\n",
                d.number()
            )
        })
        .unwrap_or_default();
    let err_log = job.log_file.with_extension("stderr.log");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>{label}</string>
  <key>ProgramArguments</key>
  <array>
{args}  </array>
  <key>StartCalendarInterval</key>
  <dict>
    <key>Hour</key>
    <integer>{}</integer>
    <key>Minute</key>
    <integer>{}</integer>
{weekday}  </dict>
  <key>StandardErrorPath</key>
  <string>{}</string>
</dict>
</plist>
"#,
        job.hour,
        job.minute,
        xml_escape(&err_log.display().to_string())
    )
}

pub fn plist_path(app: &App, name: &JobName) -> Result<PathBuf, Failure> {
    app.env
        .in_home(&format!(
            "Library/LaunchAgents/{}.plist",
            name.launchd_label()
        ))
        .ok_or_else(|| {
            Failure::usage(msg!("schedule.no_home")).with_hint(msg!("schedule.hint_home"))
        })
}

fn base(
    action: &'static str,
    path: &std::path::Path,
    installed: bool,
    job: Option<&Job>,
) -> ScheduleReport {
    ScheduleReport {
        action,
        backend: Backend::Launchd,
        location: path.display().to_string(),
        installed,
        content: None,
        next_run: None,
        manual_commands: Vec::new(),
        job: job.cloned(),
    }
}

pub fn install(app: &App, job: &Job, name: &JobName) -> Result<ScheduleReport, Failure> {
    let path = plist_path(app, name)?;
    let text = plist(job, name);
    super::write_file(&path, text.as_bytes())?;
    let mut r = base("install", &path, true, Some(job));
    r.content = Some(text);
    let p = path.display().to_string();
    // Reloading picks up a changed plist; unloading one that is not loaded just fails.
    let _ = run_tool("launchctl", &["unload", &p], None);
    if let Err(e) = run_tool("launchctl", &["load", "-w", &p], None) {
        crate::stderr_line!("llob-doctor: {e}");
        r.manual_commands.push(format!("launchctl load -w '{p}'"));
    }
    Ok(r)
}

pub fn remove(app: &App, name: &JobName) -> Result<ScheduleReport, Failure> {
    let path = plist_path(app, name)?;
    let mut r = base("remove", &path, false, None);
    if path.exists() {
        let p = path.display().to_string();
        if let Err(e) = run_tool("launchctl", &["unload", "-w", &p], None) {
            crate::stderr_line!("llob-doctor: {e}");
            r.manual_commands.push(format!("launchctl unload -w '{p}'"));
        }
        fs::remove_file(&path).map_err(|e| {
            Failure::usage(msg!(
                "schedule.cannot_remove",
                path = path.display(),
                error = crate::i18n::os_error(&e)
            ))
        })?;
    }
    Ok(r)
}

/// The time and program arguments of our plist, read back.
pub fn parse(content: &str) -> Option<super::Installed> {
    let int_after = |key: &str| -> Option<u8> {
        let at = content.find(&format!("<key>{key}</key>"))?;
        let rest = &content[at..];
        let start = rest.find("<integer>")? + "<integer>".len();
        let end = rest[start..].find("</integer>")? + start;
        rest[start..end].trim().parse().ok()
    };
    let args_at = content.find("<key>ProgramArguments</key>")?;
    let rest = &content[args_at..];
    let array = &rest[..rest.find("</array>")?];
    let words = array
        .split("<string>")
        .skip(1)
        .filter_map(|p| p.split("</string>").next())
        .map(|w| {
            w.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect();
    Some(super::Installed {
        hour: int_after("Hour")?,
        minute: int_after("Minute")?,
        weekday: int_after("Weekday"),
        words,
    })
}

pub fn show(app: &App, name: &JobName) -> Result<ScheduleReport, Failure> {
    let path = plist_path(app, name)?;
    let content = fs::read_to_string(&path).ok();
    let mut r = base("show", &path, content.is_some(), None);
    r.content = content;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Weekday;

    #[test]
    fn the_plist_parses_back() {
        let job = Job {
            exe: PathBuf::from("/Applications/x & y/llob-doctor"),
            args: ["clean", "--yes", "--quiet", "--older-than", "7d"]
                .map(String::from)
                .to_vec(),
            hour: 5,
            minute: 45,
            weekday: Some(Weekday::Sat),
            log_file: PathBuf::from("/Users/a/clean.log"),
        };
        let text = plist(&job, &JobName::for_all());
        let v: plist::Value = plist::from_bytes(text.as_bytes()).expect("a valid plist");
        let d = v.as_dictionary().expect("a dictionary");
        assert_eq!(d["Label"].as_string(), Some("io.github.llob-doctor.clean"));
        let args: Vec<&str> = d["ProgramArguments"]
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|a| a.as_string())
            .collect();
        assert_eq!(args[0], "/Applications/x & y/llob-doctor");
        assert_eq!(
            &args[1..],
            ["clean", "--yes", "--quiet", "--older-than", "7d"]
        );
        let cal = d["StartCalendarInterval"]
            .as_dictionary()
            .expect("a dictionary");
        assert_eq!(cal["Hour"].as_signed_integer(), Some(5));
        assert_eq!(cal["Weekday"].as_signed_integer(), Some(6));
        let back = parse(&text).expect("parses back");
        assert_eq!((back.hour, back.minute, back.weekday), (5, 45, Some(6)));
        assert_eq!(back.words[0], "/Applications/x & y/llob-doctor");
    }
}
