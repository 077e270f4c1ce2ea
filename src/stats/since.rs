//! Times: `--since` values, the local clock the logs write, and how times are printed.

use std::time::SystemTime;

use super::line::{self, Stamp};
use crate::exit::Failure;
use crate::msg;
use crate::time::{civil_from_days, parse_duration, unix_secs};

pub(super) fn date_of_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub(super) fn stamp_text(s: Stamp) -> String {
    let secs = s.0.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        date_of_day(s.day()),
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// Seconds east of UTC of this machine's local time at `t` (what LLOneBot's clock writes).
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "freebsd"
))]
pub fn local_offset_secs(t: i64) -> i64 {
    // time_t is 64 bits on every target this branch builds for.
    let tt = t as libc::time_t;
    // SAFETY: an all-zero `tm` is a valid value (integers and a null pointer).
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: localtime_r only reads `tt` and writes `tm`, both alive for the call.
    let res = unsafe { libc::localtime_r(&tt, &mut tm) };
    if res.is_null() {
        return 0;
    }
    // c_long: 32 bits on 32-bit targets.
    #[allow(clippy::useless_conversion)]
    i64::from(tm.tm_gmtoff)
}

/// Elsewhere (Windows) the offset is not looked up: durations count back from UTC, which
/// shifts `--since 7d` by the zone's offset at most.
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "freebsd"
)))]
pub fn local_offset_secs(_t: i64) -> i64 {
    0
}

/// `2024-08-01` or `2024/8/1` (optionally with ` HH:MM[:SS]`) → that moment; `7d`, `12h` → that
/// long before now, on the local clock.
pub fn parse_since(s: &str) -> Result<Stamp, Failure> {
    let t = s.trim();
    let bad =
        || Failure::usage(msg!("stats.bad_since", value = s)).with_hint(msg!("stats.hint_since"));
    if t.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && t.bytes().any(|b| b == b'-' || b == b'/')
    {
        let with_time = if t.len() <= 10 {
            format!("{t} 00:00:00")
        } else if t.matches(':').count() == 1 {
            format!("{t}:00")
        } else {
            t.to_string()
        };
        return match line::lead(with_time.as_bytes()) {
            line::Lead::Dated { stamp, rest } if rest == with_time.len() => Ok(stamp),
            _ => Err(bad()),
        };
    }
    // Starting with a digit, it was meant as a duration: say what is wrong with it.
    let d = parse_duration(t).map_err(|e| {
        if t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            Failure::usage(msg!("stats.bad_since_duration", value = s, error = e))
                .with_hint(msg!("stats.hint_since"))
        } else {
            bad()
        }
    })?;
    let now = i64::try_from(unix_secs(SystemTime::now())).unwrap_or(i64::MAX / 2);
    let back = i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2);
    // Logs hold no time before 1970: a longer duration means all of them.
    Ok(Stamp((now + local_offset_secs(now) - back).max(0)))
}
