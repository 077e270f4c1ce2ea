//! Windows Task Scheduler: one task per job, "llob-doctor clean" (one instance's:
//! "llob-doctor clean <slug>"), registered from a task definition XML
//! (`schtasks /Create /XML <file> /TN … /F`). The XML carries what a nightly clean needs and
//! `/SC /ST` cannot: a missed run happens at the next start, no stop on battery, a time limit,
//! never two runs at once, the user's interactive session (a restarted QQ shows on the desktop),
//! and the working folder. Nothing registered never reads as success: every failure exits
//! non-zero with the command to run by hand.

use std::path::{Path, PathBuf};

use super::task_xml::{decode, task_xml, utf16_with_bom};
use super::{Job, JobName, ScheduleReport};
use crate::cli::Backend;
use crate::exit::Failure;
use crate::i18n::t;
use crate::msg;
use crate::winpath::plain;
use crate::winpath::quote_arg;

/// Where the task definition is written: next to the run log, so the manual command has a
/// file to name.
pub fn xml_path(job: &Job, name: &JobName) -> PathBuf {
    let dir = job
        .log_file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    dir.join(name.task_xml_file())
}

pub fn create_args(xml: &Path, name: &JobName) -> Vec<String> {
    vec![
        "/Create".into(),
        "/XML".into(),
        plain(xml).to_string_lossy().into_owned(),
        "/TN".into(),
        name.task(),
        "/F".into(),
    ]
}

/// The same command as one would type it in cmd.exe or PowerShell.
pub fn create_command_line(xml: &Path, name: &JobName) -> String {
    let mut s = String::from("schtasks");
    for a in create_args(xml, name) {
        s.push(' ');
        s.push_str(&quote_arg(&a));
    }
    s
}

pub fn delete_command_line(name: &JobName) -> String {
    format!("schtasks /Delete /TN {} /F", quote_arg(&name.task()))
}

/// Runs schtasks; `Err` carries what it said. Its output goes through files, not pipes: a
/// process schtasks starts (Wine starts `explorer.exe /desktop` on first use of COM) inherits
/// the handles and would hold a pipe open long after schtasks has exited.
pub(super) fn schtasks(args: &[&str]) -> Result<String, String> {
    let capture = Capture::new().map_err(|e| format!("cannot run schtasks: {e}"))?;
    let status = std::process::Command::new("schtasks")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(capture.out.try_clone().map_err(|e| e.to_string())?)
        .stderr(capture.err.try_clone().map_err(|e| e.to_string())?)
        .status()
        .map_err(|e| format!("cannot run schtasks: {e}"))?;
    let (stdout, stderr) = capture.read();
    if status.success() {
        return Ok(decode(&stdout));
    }
    let words: Vec<String> = [decode(&stderr), decode(&stdout)]
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let code = status
        .code()
        .map(|c| format!("exit {c}"))
        .unwrap_or_else(|| "killed".into());
    Err(format!(
        "schtasks {} ({code}) {}",
        args.first().copied().unwrap_or(""),
        words.join(" / ")
    )
    .trim()
    .to_string())
}

/// Two temporary files for a child's stdout and stderr, removed when dropped.
struct Capture {
    paths: [PathBuf; 2],
    out: std::fs::File,
    err: std::fs::File,
}

impl Capture {
    fn new() -> std::io::Result<Capture> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let base = format!("llob-doctor-schtasks-{}-{n}", std::process::id());
        let dir = std::env::temp_dir();
        let paths = [
            dir.join(format!("{base}.out")),
            dir.join(format!("{base}.err")),
        ];
        let open = |p: &Path| {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(p)
        };
        let out = open(&paths[0])?;
        let err = open(&paths[1]).inspect_err(|_| {
            let _ = std::fs::remove_file(&paths[0]);
        })?;
        Ok(Capture { paths, out, err })
    }

    fn read(&self) -> (Vec<u8>, Vec<u8>) {
        let read = |p: &Path| std::fs::read(p).unwrap_or_default();
        (read(&self.paths[0]), read(&self.paths[1]))
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        for p in &self.paths {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Task Scheduler's own store: `%SystemRoot%\System32\Tasks`, a file per task. Read when
/// `schtasks /Query` gives nothing (Wine's schtasks has no /Query).
pub(super) fn store_dir() -> Option<PathBuf> {
    let root = std::env::var_os("SystemRoot").or_else(|| std::env::var_os("windir"))?;
    Some(PathBuf::from(root).join("System32").join("Tasks"))
}

/// The registered task's XML, or `None` when there is no such task.
fn read_task(name: &JobName) -> Option<String> {
    let task = name.task();
    if let Ok(xml) = schtasks(&["/Query", "/TN", &task, "/XML", "ONE"])
        && xml.contains("<Task")
    {
        return Some(xml);
    }
    let bytes = std::fs::read(store_dir()?.join(&task)).ok()?;
    Some(decode(&bytes)).filter(|x| x.contains("<Task"))
}

/// Next and last run from `schtasks /Query /V /FO CSV /NH`: columns 3 and 6 whatever the
/// language of Windows (the headers are translated, their order is not). `N/A` is no time.
pub fn run_times(csv: &str) -> (Option<String>, Option<String>) {
    let line = csv.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let fields: Vec<String> = line
        .trim()
        .trim_matches('"')
        .split("\",\"")
        .map(str::to_string)
        .collect();
    let pick = |i: usize| {
        fields
            .get(i)
            .map(|s| s.trim().to_string())
            // A task that never ran shows 30 Nov 1999, Task Scheduler's "never".
            .filter(|s| !s.is_empty() && s != "N/A" && !s.contains("1999"))
    };
    (pick(2), pick(5))
}

fn base(
    action: &'static str,
    installed: bool,
    job: Option<&Job>,
    name: &JobName,
) -> ScheduleReport {
    ScheduleReport {
        action,
        backend: Backend::Schtasks,
        location: format!("task \"{}\"", name.task()),
        installed,
        content: None,
        next_run: None,
        manual_commands: Vec::new(),
        job: job.cloned(),
    }
}

fn with_run_times(mut r: ScheduleReport, name: &JobName) -> ScheduleReport {
    if let Ok(csv) = schtasks(&["/Query", "/TN", &name.task(), "/V", "/FO", "CSV", "/NH"]) {
        let (next, last) = run_times(&csv);
        r.next_run = next;
        if let Some(last) = last {
            let content = r.content.take().unwrap_or_default();
            r.content = Some(format!("{}: {last}\n\n{content}", t("schedule.last_run")));
        }
    }
    r
}

pub fn install(job: &Job, name: &JobName) -> Result<ScheduleReport, Failure> {
    let xml = task_xml(job, name);
    let file = xml_path(job, name);
    super::write_file(&file, &utf16_with_bom(&xml))?;
    if let Err(e) = schtasks(
        &create_args(&file, name)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    ) {
        return Err(
            Failure::usage(msg!("schedule.task_not_registered", error = e)).with_hint(msg!(
                "schedule.hint_task_create",
                command = create_command_line(&file, name)
            )),
        );
    }
    let mut r = base("install", true, Some(job), name);
    r.content = Some(read_task(name).unwrap_or(xml));
    Ok(with_run_times(r, name))
}

/// The task definitions `install` left next to the log: the installed task's (its `--log-file`)
/// and the default log folder's.
fn definition_files(task: Option<&str>, name: &JobName) -> Vec<PathBuf> {
    let from_task = task
        .and_then(super::task_xml::parse)
        .and_then(|i| super::status::log_file_in(&i.words));
    let mut out: Vec<PathBuf> = from_task
        .into_iter()
        .chain(super::default_log_file(name))
        .filter_map(|log| log.parent().map(|d| d.join(name.task_xml_file())))
        .collect();
    out.dedup();
    out
}

/// Removes the task definitions that are this program's (a regular file naming the task),
/// saying so when one cannot be removed.
fn remove_definitions(files: &[PathBuf], name: &JobName) {
    for f in files {
        let ours = std::fs::symlink_metadata(f).is_ok_and(|m| m.file_type().is_file())
            && std::fs::read(f)
                .is_ok_and(|b| decode(&b).contains(&format!("<URI>\\{}</URI>", name.task())));
        if !ours {
            continue;
        }
        if let Err(e) = std::fs::remove_file(f) {
            crate::stderr_line!(
                "llob-doctor: {}",
                crate::tf!(
                    "schedule.cannot_remove",
                    path = plain(f).display(),
                    error = crate::i18n::os_error(&e)
                )
            );
        }
    }
}

/// A warning when this llob-doctor runs from a place it will not stay in: the task runs the
/// exe by its full path, and Downloads gets cleaned out (a program started from inside a zip
/// runs from a temporary folder that is gone as soon as the zip is closed).
pub fn placement_warning(exe: &Path, env: &crate::env::Env) -> Option<String> {
    let inside = |dir: &Path| {
        let canon = |p: &Path| std::fs::canonicalize(p).map(|c| plain(&c));
        match (canon(exe), canon(dir)) {
            (Ok(e), Ok(d)) => e.starts_with(d),
            _ => plain(exe).starts_with(plain(dir)),
        }
    };
    let place = env
        .downloads()
        .into_iter()
        .chain(std::iter::once(std::env::temp_dir()))
        .find(|d| inside(d))?;
    Some(crate::tf!(
        "schedule.exe_in_passing_folder",
        exe = plain(exe).display(),
        folder = plain(&place).display()
    ))
}

pub fn remove(name: &JobName) -> Result<ScheduleReport, Failure> {
    let task = name.task();
    let installed = read_task(name);
    let was_there = installed.is_some();
    let definitions = definition_files(installed.as_deref(), name);
    match schtasks(&["/Delete", "/TN", &task, "/F"]) {
        Ok(_) => {
            remove_definitions(&definitions, name);
            Ok(base(
                if was_there { "remove" } else { "absent" },
                false,
                None,
                name,
            ))
        }
        // Nothing to delete, before and after: not an error.
        Err(_) if !was_there && read_task(name).is_none() => {
            remove_definitions(&definitions, name);
            Ok(base("absent", false, None, name))
        }
        Err(e) => Err(
            Failure::usage(msg!("schedule.task_not_removed", task = task, error = e)).with_hint(
                msg!(
                    "schedule.hint_task_delete",
                    command = delete_command_line(name)
                ),
            ),
        ),
    }
}

pub fn show(name: &JobName) -> Result<ScheduleReport, Failure> {
    match read_task(name) {
        Some(xml) => {
            let mut r = base("show", true, None, name);
            r.content = Some(xml);
            Ok(with_run_times(r, name))
        }
        None => Ok(base("show", false, None, name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_commands_name_the_file() {
        let p = Path::new(r"C:\Users\张三\AppData\Roaming\llob-doctor\data\llob-doctor-task.xml");
        let all = JobName::for_all();
        assert_eq!(
            create_command_line(p, &all),
            r#"schtasks /Create /XML C:\Users\张三\AppData\Roaming\llob-doctor\data\llob-doctor-task.xml /TN "llob-doctor clean" /F"#
        );
        assert_eq!(
            delete_command_line(&all),
            r#"schtasks /Delete /TN "llob-doctor clean" /F"#
        );
        let one = JobName::for_instance(r"llbot@C:\bots\a");
        let slug = one.slug().unwrap();
        assert_eq!(
            delete_command_line(&one),
            format!(r#"schtasks /Delete /TN "llob-doctor clean {slug}" /F"#)
        );
    }

    #[test]
    fn next_and_last_run_by_column() {
        let csv = "\r\n\"PC\",\"\\llob-doctor clean\",\"2026/11/29 4:30:00\",\"就绪\",\"交互方式\",\"N/A\",\"267011\"\r\n";
        assert_eq!(run_times(csv), (Some("2026/11/29 4:30:00".into()), None));
        assert_eq!(run_times(""), (None, None));
        let never = r#""PC","\llob-doctor clean","N/A","Ready","Interactive only","11/30/1999 12:00:00 AM","267011""#;
        assert_eq!(run_times(never), (None, None));
    }
}
