//! The task definition `schtasks /Create /XML` registers: Task Scheduler's schema 1.2, written
//! as UTF-16 with a byte-order mark, and the text schtasks and the task store give back.

use super::{Job, JobName};
use crate::i18n::Lang;
use crate::winpath::plain_text;
use crate::winpath::quote_arg;

/// Task Scheduler stops a run still going after this long (a clean takes minutes at most).
pub const TIME_LIMIT: &str = "PT2H";

/// The task's `<Arguments>`: everything after the executable, quoted for CommandLineToArgvW.
pub fn arguments(job: &Job) -> String {
    job.args
        .iter()
        .map(|a| quote_arg(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The task's executable as written in the XML: a plain path, never `\\?\`.
pub fn command(job: &Job) -> String {
    plain_text(&job.exe.to_string_lossy())
}

/// The whole command line, as the task's description shows it.
pub fn command_line(job: &Job) -> String {
    format!("{} {}", quote_arg(&command(job)), arguments(job))
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of the first `<name>…</name>` in a task XML (enough for the few fields shown).
pub fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let len = xml[start..].find(&close)?;
    Some(xml_unescape(xml[start..start + len].trim()))
}

/// The task definition, in Task Scheduler's schema 1.2 (Windows 7 and later).
pub fn task_xml(job: &Job, name: &JobName) -> String {
    let exe = command(job);
    // The folder of the executable, by text: the same result whichever system writes it.
    let workdir = match exe.rsplit_once('\\') {
        Some((dir, _)) if dir.ends_with(':') => format!("{dir}\\"),
        Some((dir, _)) => dir.to_string(),
        None => String::new(),
    };
    let schedule = match job.weekday {
        None => "<ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay>".to_string(),
        Some(d) => format!(
            "<ScheduleByWeek><DaysOfWeek><{}day /></DaysOfWeek><WeeksInterval>1</WeeksInterval></ScheduleByWeek>",
            day_name(d.short())
        ),
    };
    let description = format!(
        "llob-doctor: cleans LLOneBot's caches {}. {}",
        job.when_text(Lang::En),
        command_line(job)
    );
    format!(
        r#"<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{description}</Description>
    <URI>\{task}</URI>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2024-01-01T{hh:02}:{mm:02}:00</StartBoundary>
      <Enabled>true</Enabled>
      {schedule}
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <AllowHardTerminate>true</AllowHardTerminate>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
    <RunOnlyIfIdle>false</RunOnlyIfIdle>
    <WakeToRun>false</WakeToRun>
    <ExecutionTimeLimit>{limit}</ExecutionTimeLimit>
    <Priority>7</Priority>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{exe}</Command>
      <Arguments>{args}</Arguments>
      <WorkingDirectory>{workdir}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"#,
        description = xml_escape(&description),
        task = xml_escape(&name.task()),
        hh = job.hour,
        mm = job.minute,
        limit = TIME_LIMIT,
        exe = xml_escape(&exe),
        args = xml_escape(&arguments(job)),
        workdir = xml_escape(&workdir),
    )
}

/// `Mon` → `Mon` (+ `day`): the schema's day elements are `<Monday />` … `<Sunday />`.
fn day_name(short: &str) -> &'static str {
    match short {
        "Mon" => "Mon",
        "Tue" => "Tues",
        "Wed" => "Wednes",
        "Thu" => "Thurs",
        "Fri" => "Fri",
        "Sat" => "Satur",
        _ => "Sun",
    }
}

/// UTF-16 little-endian with a byte-order mark: what schtasks reads as Unicode (without the
/// mark it reads the ANSI code page, and a user name like 张三 would not survive).
pub fn utf16_with_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// Text from schtasks or the task store: UTF-16 with a mark (Windows' store), UTF-8 (Wine's
/// store), else the console's code page (schtasks' own output, GBK on Chinese Windows).
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => from_console_code_page(bytes),
    }
}

#[cfg(windows)]
fn from_console_code_page(bytes: &[u8]) -> String {
    use windows_sys::Win32::Globalization::{CP_OEMCP, MultiByteToWideChar};
    use windows_sys::Win32::System::Console::GetConsoleOutputCP;
    let Ok(len) = i32::try_from(bytes.len()) else {
        return String::from_utf8_lossy(bytes).into_owned();
    };
    // SAFETY: plain calls; the buffers and their lengths come from the same slices.
    let cp = match unsafe { GetConsoleOutputCP() } {
        0 => CP_OEMCP,
        cp => cp,
    };
    let n = unsafe { MultiByteToWideChar(cp, 0, bytes.as_ptr(), len, std::ptr::null_mut(), 0) };
    if n <= 0 {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut wide = vec![0u16; n as usize];
    let n = unsafe { MultiByteToWideChar(cp, 0, bytes.as_ptr(), len, wide.as_mut_ptr(), n) };
    wide.truncate(n.max(0) as usize);
    String::from_utf16_lossy(&wide)
}

#[cfg(not(windows))]
fn from_console_code_page(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// When and what a registered task runs, read back from its definition: the calendar trigger's
/// start time and day of the week, and the action's program and arguments. Where the store kept
/// no trigger or action (Wine 8 keeps only the settings and the description), from the
/// description this program wrote ("… every Monday at 05:15. "C:\…\llob-doctor.exe" clean …").
pub fn parse(xml: &str) -> Option<super::Installed> {
    let from_trigger = element(xml, "StartBoundary").and_then(|b| {
        let (_, time) = b.split_once('T')?;
        let mut hm = time.split(':');
        Some((hm.next()?.parse().ok()?, hm.next()?.parse().ok()?))
    });
    let description = element(xml, "Description").unwrap_or_default();
    let (hour, minute) = from_trigger.or_else(|| {
        let at = description.find(" at ")? + " at ".len();
        let (h, rest) = description[at..].split_once(':')?;
        Some((h.parse().ok()?, rest.get(..2)?.parse().ok()?))
    })?;
    const DAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let weekday = match element(xml, "DaysOfWeek") {
        Some(days) => Some(DAYS.iter().position(|d| days.contains(&format!("<{d}")))?),
        None if xml.contains("<ScheduleByDay>") => None,
        None => DAYS
            .iter()
            .position(|d| description.contains(&format!("every {d} at"))),
    };
    with_words(xml, &description, hour, minute, weekday.map(|d| d as u8))
}

/// The program and its arguments: from `<Command>` and `<Arguments>`, else from the command
/// line at the end of the description.
fn with_words(
    xml: &str,
    description: &str,
    hour: u8,
    minute: u8,
    weekday: Option<u8>,
) -> Option<super::Installed> {
    use crate::winpath::split_command_line;
    let words = match element(xml, "Command") {
        Some(cmd) => std::iter::once(cmd)
            .chain(split_command_line(
                &element(xml, "Arguments").unwrap_or_default(),
            ))
            .collect(),
        None => description
            .split_once(". ")
            .map(|(_, line)| split_command_line(line))
            .unwrap_or_default(),
    };
    Some(super::Installed {
        hour,
        minute,
        weekday,
        words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Weekday;
    use std::path::PathBuf;

    fn job(exe: &str, weekday: Option<Weekday>) -> Job {
        let log = r"C:\Users\张三\AppData\Roaming\llob-doctor\data\clean.log";
        Job {
            exe: PathBuf::from(exe),
            args: ["clean", "--yes", "--quiet", "--log-file", log]
                .map(String::from)
                .to_vec(),
            hour: 4,
            minute: 30,
            weekday,
            log_file: PathBuf::from(log),
        }
    }

    #[test]
    fn quoting_like_command_line_to_argv() {
        assert_eq!(quote_arg("clean"), "clean");
        assert_eq!(
            quote_arg(r"C:\Program Files\llob\llob-doctor.exe"),
            r#""C:\Program Files\llob\llob-doctor.exe""#
        );
        assert_eq!(quote_arg(r"C:\a b\"), r#""C:\a b\\""#);
        assert_eq!(quote_arg(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quote_arg(""), r#""""#);
    }

    #[test]
    fn the_task_definition_carries_the_settings_and_a_plain_path() {
        let j = job(
            r"\\?\C:\Users\张三\llob doctor\llob-doctor.exe",
            Some(Weekday::Wed),
        );
        let xml = task_xml(&j, &JobName::for_all());
        assert_eq!(
            element(&xml, "Command").as_deref(),
            Some(r"C:\Users\张三\llob doctor\llob-doctor.exe")
        );
        assert_eq!(
            element(&xml, "WorkingDirectory").as_deref(),
            Some(r"C:\Users\张三\llob doctor")
        );
        assert_eq!(
            element(&xml, "Arguments").as_deref(),
            Some(
                r"clean --yes --quiet --log-file C:\Users\张三\AppData\Roaming\llob-doctor\data\clean.log"
            )
        );
        for (name, value) in [
            ("StartWhenAvailable", "true"),
            ("DisallowStartIfOnBatteries", "false"),
            ("StopIfGoingOnBatteries", "false"),
            ("ExecutionTimeLimit", TIME_LIMIT),
            ("MultipleInstancesPolicy", "IgnoreNew"),
            ("LogonType", "InteractiveToken"),
            ("StartBoundary", "2024-01-01T04:30:00"),
        ] {
            assert_eq!(element(&xml, name).as_deref(), Some(value), "{name}");
        }
        assert!(xml.contains("<DaysOfWeek><Wednesday /></DaysOfWeek>"));
        assert!(!xml.contains(r"\\?\"));
        let daily = task_xml(&job(r"C:\t\llob-doctor.exe", None), &JobName::for_all());
        assert!(daily.contains("<DaysInterval>1</DaysInterval>"));
        for d in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ] {
            let x = task_xml(&job(r"C:\t\x.exe", Some(d)), &JobName::for_all());
            let day = element(&x, "DaysOfWeek").unwrap();
            assert!(day.ends_with("day />") && day.len() > 9, "{day}");
        }
    }

    #[test]
    fn characters_xml_and_the_command_line_care_about() {
        let mut j = job(r"C:\Tools & <more>\llob-doctor.exe", None);
        j.args.push(r#"--older-than "3d""#.into());
        let xml = task_xml(&j, &JobName::for_all());
        assert_eq!(
            element(&xml, "Command").as_deref(),
            Some(r"C:\Tools & <more>\llob-doctor.exe")
        );
        assert!(
            element(&xml, "Arguments")
                .unwrap()
                .ends_with(r#""--older-than \"3d\"""#)
        );
    }

    #[test]
    fn a_registered_task_reads_back_from_its_definition_or_its_description() {
        let j = job(
            r"C:\Users\张三\llob doctor\llob-doctor.exe",
            Some(Weekday::Mon),
        );
        let xml = task_xml(&j, &JobName::for_all());
        let want_words: Vec<String> = std::iter::once(r"C:\Users\张三\llob doctor\llob-doctor.exe")
            .chain(j.args.iter().map(String::as_str))
            .map(String::from)
            .collect();
        let got = parse(&xml).expect("parsed");
        assert_eq!((got.hour, got.minute, got.weekday), (4, 30, Some(1)));
        assert_eq!(got.words, want_words);
        // What Wine's store keeps: the settings and the description, no trigger, no action.
        let description = element(&xml, "Description").unwrap();
        let stored = format!(
            "<Task><RegistrationInfo><Description>{}</Description></RegistrationInfo></Task>",
            xml_escape(&description)
        );
        let got = parse(&stored).expect("parsed from the description");
        assert_eq!((got.hour, got.minute, got.weekday), (4, 30, Some(1)));
        assert_eq!(got.words, want_words);
        let daily = parse(&task_xml(
            &job(r"C:\t\llob-doctor.exe", None),
            &JobName::for_all(),
        ))
        .unwrap();
        assert_eq!(daily.weekday, None);
        assert!(parse("<Task></Task>").is_none());
    }

    #[test]
    fn long_paths_stay_whole() {
        let deep = format!(r"C:\Users\张三\{}\llob-doctor.exe", "深".repeat(150));
        let xml = task_xml(&job(&format!(r"\\?\{deep}"), None), &JobName::for_all());
        assert_eq!(element(&xml, "Command").as_deref(), Some(deep.as_str()));
    }

    #[test]
    fn encodings() {
        let bytes = utf16_with_bom("<Task>张三</Task>");
        assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
        assert_eq!(decode(&bytes), "<Task>张三</Task>");
        assert_eq!(decode("\u{feff}<Task/>".as_bytes()), "<Task/>");
    }
}
