//! Durations as users type them (`7d`, `12h`) and timestamps as JSON carries them (UTC, ISO 8601).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::i18n::Msg;
use crate::msg;

/// Parses `30s`, `15m`, `12h`, `7d`, `2w`, or a combination such as `1d12h`. No bare numbers:
/// `--older-than 7` is ambiguous, so it is refused with a message naming the units. The error
/// is a catalogue message (shown in the user's language, English in JSON and logs).
pub fn parse_duration(s: &str) -> Result<Duration, Msg> {
    let t = s.trim();
    if t.is_empty() {
        return Err(msg!("dur.empty"));
    }
    if t.starts_with('-') {
        return Err(msg!("dur.negative"));
    }
    let mut total: u64 = 0;
    let mut num = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        if c == '.' || c == ',' {
            return Err(msg!("dur.fraction"));
        }
        let unit: u64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(msg!("dur.unknown_unit", unit = c)),
        };
        let n: u64 = match num.parse() {
            Ok(n) => n,
            Err(_) if num.is_empty() => return Err(msg!("dur.number_first", unit = c)),
            // Only digits, so too many of them.
            Err(_) => return Err(msg!("dur.too_large")),
        };
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or(msg!("dur.too_large"))?;
        num.clear();
    }
    if !num.is_empty() {
        return Err(msg!("dur.no_unit", number = num));
    }
    Ok(Duration::from_secs(total))
}

/// Seconds since the Unix epoch, 0 for times before it.
pub fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `2024-08-02T15:03:13Z` for a time in seconds since the epoch.
pub fn iso_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01: the inverse of [`civil_from_days`].
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A short age for tables: `45s`, `12m`, `5h`, `3d`, `8w`.
pub fn short_age(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s if s < 14 * 86_400 => format!("{}d", s / 86_400),
        s => format!("{}w", s / (7 * 86_400)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_both_ways() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in [-800_000, -1, 0, 59, 60, 11_016, 20_000, 1_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(12 * 3600)));
        assert_eq!(parse_duration("1d12h"), Ok(Duration::from_secs(36 * 3600)));
        assert_eq!(parse_duration(" 30m "), Ok(Duration::from_secs(1800)));
        assert!(parse_duration("7").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("d").is_err());
        assert!(parse_duration("3x").is_err());
        assert!(parse_duration("-1d").is_err());
        assert_eq!(
            parse_duration("99999999999999999999d"),
            Err(msg!("dur.too_large"))
        );
        assert_eq!(
            parse_duration("d"),
            Err(msg!("dur.number_first", unit = 'd'))
        );
        assert_eq!(parse_duration("-1d"), Err(msg!("dur.negative")));
        assert_eq!(parse_duration("1.5d"), Err(msg!("dur.fraction")));
        assert_eq!(
            parse_duration("3x"),
            Err(msg!("dur.unknown_unit", unit = 'x'))
        );
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_722_610_993), "2024-08-02T15:03:13Z");
        assert_eq!(iso_utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}
