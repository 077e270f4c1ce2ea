//! What `schedule` checks and tells beyond the scheduler's own files: that the job's clean
//! arguments would run (values, data folder, no `--dry-run`), that the backend belongs to this
//! platform, when the job runs next, and how its last run went (the run log's last line).

use std::path::{Path, PathBuf};

use crate::app::App;
use crate::cli::{Backend, Cli, Command};
use crate::env::Platform;
use crate::exit::Failure;
use crate::i18n::t;
use crate::msg;
use crate::tf;

/// A backend runs on its own platform only: a plist on Linux or a schtasks line on macOS
/// would be written and never run.
pub fn check_backend(backend: Backend, platform: Platform) -> Result<(), Failure> {
    let fits = match backend {
        Backend::Cron => platform != Platform::Windows,
        Backend::Systemd => platform == Platform::Linux,
        Backend::Launchd => platform == Platform::Macos,
        Backend::Schtasks => platform == Platform::Windows,
    };
    if fits {
        return Ok(());
    }
    let native = super::default_backend(platform);
    Err(Failure::usage(msg!(
        "schedule.wrong_platform",
        backend = super::backend_name(backend),
        platform = platform_name(platform)
    ))
    .with_hint(msg!(
        "schedule.hint_wrong_platform",
        backend = format!("{native:?}").to_lowercase()
    )))
}

fn platform_name(p: Platform) -> &'static str {
    match p {
        Platform::Windows => "Windows",
        Platform::Linux => "Linux",
        Platform::Macos => "macOS",
    }
}

/// Checks the scheduled command as `clean` would check it at 4 a.m.: it parses (clap's whole
/// message when not), it cleans (no `--dry-run`), its values are valid, and a data folder is
/// found now. Returns warnings that do not stop the install.
pub fn check_job_args(argv: &[String]) -> Result<Vec<String>, Failure> {
    let cli = match <Cli as clap::Parser>::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let r = crate::clap_msg::render(&e);
            return Err(
                Failure::usage(msg!("schedule.bad_clean_args", error = r.message))
                    .with_hint(msg!("schedule.hint_clean_args")),
            );
        }
    };
    let Command::Clean(clean) = &cli.command else {
        return Ok(Vec::new());
    };
    if clean.dry_run {
        return Err(
            Failure::usage(msg!("schedule.dry_run")).with_hint(msg!("schedule.hint_dry_run"))
        );
    }
    crate::clean::options(clean).map_err(|f| f.with_hint(msg!("schedule.hint_clean_args")))?;
    let g = &cli.global;
    let overrides = [
        ("--qq-dir", &g.qq_dir),
        ("--ll-dir", &g.ll_dir),
        ("--profile", &g.profile),
        ("--data-dir", &g.data_dir),
        ("--llbot-dir", &g.llbot_dir),
        ("--napcat-dir", &g.napcat_dir),
        ("--qq-data", &g.qq_data),
    ];
    // QQ's own data folder alone names no bot: a job of --qq-cache may clean only that.
    let given = overrides
        .iter()
        .any(|(flag, o)| o.is_some() && *flag != "--qq-data")
        || !g.instances.is_empty();
    for (flag, path) in overrides {
        if let Some(p) = path
            && !p.is_dir()
        {
            return Err(Failure::usage(msg!(
                "schedule.override_missing",
                flag = flag,
                path = p.display()
            ))
            .with_hint(msg!("schedule.hint_override_missing")));
        }
    }
    let app = App::from_args(&cli.global)?;
    // A folder to clean of any bot the job will see (NapCat's too), as `clean` plans them.
    let found = app.discover().ok().is_some_and(|inst| {
        inst.instances
            .iter()
            .any(|i| i.roots.iter().any(|(_, d)| d.is_dir()))
    });
    if found {
        Ok(Vec::new())
    } else if given {
        Err(Failure::usage(msg!("schedule.no_data_dir_found"))
            .with_hint(msg!("schedule.hint_override_missing")))
    } else {
        Ok(vec![t("schedule.warn_no_data_dir").to_string()])
    }
}

/// When a job at `hour:minute` (on `weekday`, 0 = Sunday) runs next, in local time:
/// `2026-11-29 04:30 (Sunday)`. `None` where the local clock cannot be read.
pub fn next_run(hour: u8, minute: u8, weekday: Option<u8>) -> Option<String> {
    let now = local_now()?;
    for d in 0..8i64 {
        let wd = ((now.weekday as i64 + d) % 7) as u8;
        if weekday.is_some_and(|w| w != wd) {
            continue;
        }
        if d == 0 && (hour, minute) <= (now.hour, now.minute) {
            continue;
        }
        let (y, m, day) = crate::time::civil_from_days(now.days + d);
        let name = t(day_key(wd));
        return Some(format!(
            "{y:04}-{m:02}-{day:02} {hour:02}:{minute:02} ({name})"
        ));
    }
    None
}

fn day_key(wd: u8) -> &'static str {
    [
        "schedule.sunday",
        "schedule.monday",
        "schedule.tuesday",
        "schedule.wednesday",
        "schedule.thursday",
        "schedule.friday",
        "schedule.saturday",
    ][(wd % 7) as usize]
}

struct LocalNow {
    /// Days since 1970-01-01 of the local date.
    days: i64,
    hour: u8,
    minute: u8,
    /// 0 = Sunday.
    weekday: u8,
}

#[cfg(unix)]
fn local_now() -> Option<LocalNow> {
    // SAFETY: time(NULL) and localtime_r with valid pointers to locals.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return None;
        }
        let local = now + tm.tm_gmtoff;
        Some(LocalNow {
            days: local.div_euclid(86_400),
            hour: tm.tm_hour as u8,
            minute: tm.tm_min as u8,
            weekday: tm.tm_wday as u8,
        })
    }
}

#[cfg(windows)]
fn local_now() -> Option<LocalNow> {
    use windows_sys::Win32::System::SystemInformation::GetLocalTime;
    // SAFETY: GetLocalTime fills the SYSTEMTIME we pass.
    let st = unsafe {
        let mut st = std::mem::zeroed();
        GetLocalTime(&mut st);
        st
    };
    Some(LocalNow {
        days: crate::time::days_from_civil(st.wYear.into(), st.wMonth.into(), st.wDay.into()),
        hour: st.wHour as u8,
        minute: st.wMinute as u8,
        weekday: st.wDayOfWeek as u8,
    })
}

#[cfg(not(any(unix, windows)))]
fn local_now() -> Option<LocalNow> {
    None
}

/// The `--log-file` value among a job's words.
pub fn log_file_in(words: &[String]) -> Option<PathBuf> {
    let i = words.iter().position(|w| w == "--log-file")?;
    words.get(i + 1).map(PathBuf::from)
}

/// The last run's result, from the last JSON line of the run log: `2026-11-28T04:30:02Z, exit
/// 0, removed 38 entries (24,654 files, 1.2 GiB)`; `None` when the log has no line yet.
/// A log that is there but cannot be read (a FIFO, a device) is said, by its path.
pub fn last_run(log: &Path) -> Option<String> {
    // Only its end: the run log only grows (and could be anything, such as `/dev/zero`).
    let (tail, cut) = match crate::fsread::read_tail(log, 1 << 20) {
        Ok(read) => read,
        Err(crate::fsread::ReadError::Absent) => return None,
        Err(e) => {
            return Some(tf!(
                "schedule.log_unreadable",
                path = crate::clean::guard::shown(log),
                error = e.words()
            ));
        }
    };
    let line = crate::fsread::tail_lines(&tail, cut)
        .rev()
        .find(|l| l.trim_ascii_start().starts_with(b"{"))?;
    let v: serde_json::Value = serde_json::from_slice(line).ok()?;
    let time = v["time"].as_str().unwrap_or("?");
    let code = v["exit_code"].as_i64().unwrap_or(-1);
    // Each `removed` row is one target: its entries (a row of an older line: one) and files.
    let rows = v["removed"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let removed: u64 = rows
        .iter()
        .map(|r| r["entries"].as_u64().unwrap_or(1))
        .sum();
    let files: Option<u64> = rows
        .iter()
        .filter_map(|r| r["files"].as_u64())
        .reduce(|a, b| a + b);
    let freed = crate::output::human_size(v["freed_bytes"].as_u64().unwrap_or(0));
    let failed = v["failed"].as_u64().unwrap_or(0);
    let mut s = match files {
        Some(files) => tf!(
            "schedule.last_run_line",
            time = time,
            code = code,
            removed = crate::i18n::count(removed),
            files = crate::i18n::count(files),
            freed = freed
        ),
        None => tf!(
            "schedule.last_run_line_no_files",
            time = time,
            code = code,
            removed = crate::i18n::count(removed),
            freed = freed
        ),
    };
    if failed > 0 {
        s.push_str(&tf!("schedule.last_run_failed", n = failed));
    }
    if let Some(e) = v["error"].as_str() {
        s.push_str(&format!(": {e}"));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_of_other_platforms_are_refused() {
        assert!(check_backend(Backend::Cron, Platform::Linux).is_ok());
        assert!(check_backend(Backend::Systemd, Platform::Linux).is_ok());
        assert!(check_backend(Backend::Launchd, Platform::Linux).is_err());
        assert!(check_backend(Backend::Schtasks, Platform::Linux).is_err());
        assert!(check_backend(Backend::Cron, Platform::Macos).is_ok());
        assert!(check_backend(Backend::Systemd, Platform::Macos).is_err());
        assert!(check_backend(Backend::Schtasks, Platform::Windows).is_ok());
        assert!(check_backend(Backend::Cron, Platform::Windows).is_err());
    }

    #[test]
    fn the_last_line_of_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("clean.log");
        assert_eq!(last_run(&log), None);
        std::fs::write(
            &log,
            "{\"time\":\"2026-01-01T04:30:00Z\",\"exit_code\":0,\"removed\":[],\"freed_bytes\":0,\"failed\":0}\n\
             {\"time\":\"2026-01-02T04:30:00Z\",\"exit_code\":5,\"removed\":[{},{}],\"freed_bytes\":2048,\"failed\":1,\"error\":null}\n",
        )
        .unwrap();
        let s = last_run(&log).unwrap();
        assert!(
            s.contains("2026-01-02T04:30:00Z") && s.contains("5") && s.contains("2.0 KiB"),
            "{s}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn next_run_is_in_the_coming_week() {
        let s = next_run(4, 30, Some(1)).unwrap();
        assert!(
            s.ends_with("04:30 (Monday)") || s.ends_with("04:30 (星期一)"),
            "{s}"
        );
    }
}
