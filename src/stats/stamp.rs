//! Timestamps at the start of a log line, in every shape the stacks write: `toLocaleString()`
//! of LLOneBot 3.x-4.x, the zero-padded time of LLBot 5+, and NapCat's `MM-DD HH:mm:ss` (no year:
//! the year comes from the file). Nothing here allocates or validates UTF-8.

/// A wall-clock time as the log wrote it (local time, no zone): seconds since 1970-01-01 00:00:00
/// of that same clock. Only compared with other log times and with `--since`, never with UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp(pub i64);

impl Stamp {
    #[inline]
    pub fn from_parts(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Stamp {
        Stamp(days_from_civil(y, m, d) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss))
    }

    /// Days since 1970-01-01 on the log's clock.
    pub fn day(self) -> i64 {
        self.0.div_euclid(86_400)
    }
}

/// How a line begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// A timestamp LLOneBot wrote; the text after it starts at `rest`.
    Dated { stamp: Stamp, rest: usize },
    /// Starts like a date (`2024/13/45 ...`) that is not one: a garbled line.
    BadDate,
    /// No timestamp: a continuation of a multi-line entry, or a format not known here.
    Undated,
}

/// (year, month, day) → days since 1970-01-01, proleptic Gregorian (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Reads 1 to `max` ASCII digits at `*i`.
fn digits(b: &[u8], i: &mut usize, max: usize) -> Option<(u32, usize)> {
    let start = *i;
    let mut v: u32 = 0;
    while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
        v = v * 10 + u32::from(b[*i] - b'0');
        *i += 1;
    }
    let n = *i - start;
    (n > 0).then_some((v, n))
}

/// A date and time at the start of `b`, as JavaScript's `toLocaleString()` writes it in the
/// locales QQ runs in, or as LLOneBot 5+ formats it itself:
/// `2024/8/2 15:03:13` (zh-CN), `2025-03-01 10:00:00`, `2024-08-02T15:03:13`,
/// `8/2/2024, 3:03:13 PM` (en-US), `02/08/2024, 15:03:13` (en-GB), `2.8.2024, 15:03:13` (de).
/// Returns the time and the bytes used; `Err(())` when it starts like a date but is not one.
fn datetime(b: &[u8]) -> Result<Option<(Stamp, usize)>, ()> {
    let mut i = 0;
    let Some((f1, n1)) = digits(b, &mut i, 4) else {
        return Ok(None);
    };
    let sep = match b.get(i) {
        Some(&s @ (b'/' | b'-' | b'.')) => s,
        _ => return Ok(None),
    };
    i += 1;
    let Some((f2, n2)) = digits(b, &mut i, 2) else {
        return Ok(None);
    };
    if b.get(i) != Some(&sep) {
        return Ok(None);
    }
    i += 1;
    let Some((f3, n3)) = digits(b, &mut i, 4) else {
        return Ok(None);
    };
    // From here on it looks like a date: anything wrong is a garbled line, not another format.
    if b.get(i) == Some(&b',') {
        i += 1;
    }
    match b.get(i) {
        Some(b' ' | b'T') => i += 1,
        _ => return Err(()),
    }
    let (hh, _) = digits(b, &mut i, 2).ok_or(())?;
    if b.get(i) != Some(&b':') {
        return Err(());
    }
    i += 1;
    let (mm, nm) = digits(b, &mut i, 2).ok_or(())?;
    if b.get(i) != Some(&b':') || nm != 2 {
        return Err(());
    }
    i += 1;
    let (ss, ns) = digits(b, &mut i, 2).ok_or(())?;
    if ns != 2 {
        return Err(());
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        digits(b, &mut i, 9).ok_or(())?;
    }
    // AM/PM (en-US).
    let mut ampm = None;
    if b.get(i) == Some(&b' ') {
        let next = b.get(i + 1..i + 3);
        if next.is_some_and(|n| n.eq_ignore_ascii_case(b"AM") || n.eq_ignore_ascii_case(b"PM"))
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            ampm = Some(b[i + 1].eq_ignore_ascii_case(&b'P'));
            i += 3;
        }
    }
    let (y, m, d) = if n1 == 4 && n2 <= 2 && n3 <= 2 {
        (i64::from(f1), f2, f3)
    } else if n3 == 4 && n1 <= 2 {
        // Year last: month first in en-US (which also writes AM/PM), day first elsewhere;
        // a field above 12 settles it either way.
        let month_first = if f1 > 12 {
            false
        } else if f2 > 12 {
            true
        } else {
            ampm.is_some()
        };
        if month_first {
            (i64::from(f3), f1, f2)
        } else {
            (i64::from(f3), f2, f1)
        }
    } else {
        return Err(());
    };
    let hh = match ampm {
        Some(pm) => {
            if !(1..=12).contains(&hh) {
                return Err(());
            }
            hh % 12 + if pm { 12 } else { 0 }
        }
        None => hh,
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 60
    {
        return Err(());
    }
    Ok(Some((Stamp::from_parts(y, m, d, hh, mm, ss.min(59)), i)))
}

/// The year a log without years in its lines (NapCat) was started in, and the month: a line of an
/// earlier month was written in the next year (a file open over New Year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearHint {
    pub year: i64,
    pub month: u32,
}

/// NapCat's `MM-DD HH:mm:ss` (winston `format.timestamp({format: 'MM-DD HH:mm:ss'})`,
/// `packages/napcat-core/helper/log.ts`): exactly two digits each, then a space.
fn month_day_time(b: &[u8], hint: YearHint) -> Option<(Stamp, usize)> {
    let s = b.get(..15)?;
    let two = |k: usize| -> Option<u32> {
        let (a, c) = (s[k], s[k + 1]);
        (a.is_ascii_digit() && c.is_ascii_digit())
            .then(|| u32::from(a - b'0') * 10 + u32::from(c - b'0'))
    };
    if s[2] != b'-' || s[5] != b' ' || s[8] != b':' || s[11] != b':' || s[14] != b' ' {
        return None;
    }
    let (m, d, hh, mm, ss) = (two(0)?, two(3)?, two(6)?, two(9)?, two(12)?);
    let y = if m < hint.month {
        hint.year + 1
    } else {
        hint.year
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 60
    {
        return None;
    }
    Some((Stamp::from_parts(y, m, d, hh, mm, ss.min(59)), 14))
}

/// Reads the timestamp a line starts with, after the `[level] | ` some versions put first.
pub fn lead(line: &[u8]) -> Lead {
    lead_in(line, None)
}

/// [`lead`], for a file whose lines may carry no year (NapCat): `hint` gives it.
pub fn lead_in(line: &[u8], hint: Option<YearHint>) -> Lead {
    if let Some(h) = hint
        && let Some((stamp, rest)) = month_day_time(line, h)
    {
        return Lead::Dated { stamp, rest };
    }
    let mut i = 0;
    if line.first() == Some(&b'[')
        && let Some(close) = line.iter().take(16).position(|&b| b == b']')
        && line[close + 1..].starts_with(b" | ")
    {
        i = close + 4;
    }
    if !line.get(i).is_some_and(u8::is_ascii_digit) {
        return Lead::Undated;
    }
    match datetime(&line[i..]) {
        Ok(Some((stamp, used))) => Lead::Dated {
            stamp,
            rest: i + used,
        },
        Ok(None) => Lead::Undated,
        Err(()) => Lead::BadDate,
    }
}

/// Whether `line` starts with the timestamp `prev` starts with, so that [`lead`] would read the
/// same `Dated { stamp, rest }` from it as it read from `prev` (given as that `rest`), without
/// parsing it again: consecutive lines of a log mostly share their second.
///
/// `lead` decides from the bytes before `rest` and, after the seconds, from the next one or
/// four (a fraction, an AM/PM). So: `rest` must end right after the seconds of `prev` (`:ss`,
/// no fraction, no AM/PM), the bytes before it must be equal, and the byte at `rest` in `line`
/// must start neither a fraction nor an AM/PM.
/// `a == b` for slices of the same length, without a call to `memcmp` for the short ones (a
/// timestamp: 14-32 bytes), which cost more than the comparison: two overlapping 16- or
/// 8-byte words.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
        let mut w = [0; N];
        w.copy_from_slice(&s[at..at + N]);
        w
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        16..=32 => {
            word::<16>(a, 0) == word::<16>(b, 0) && word::<16>(a, n - 16) == word::<16>(b, n - 16)
        }
        8..16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
        _ => a == b,
    }
}

pub fn same_lead(line: &[u8], prev: &[u8], rest: usize) -> bool {
    rest >= 3
        && prev.len() >= rest
        && prev[rest - 3] == b':'
        && line.len() > rest
        && same_bytes(&line[..rest], &prev[..rest])
        && match line[rest] {
            b'.' => false,
            b' ' => !matches!(line.get(rest + 1), Some(b'A' | b'a' | b'P' | b'p')),
            _ => true,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(line: &str) -> (Stamp, usize) {
        match lead(line.as_bytes()) {
            Lead::Dated { stamp, rest } => (stamp, rest),
            other => panic!("{line:?}: {other:?}"),
        }
    }

    #[test]
    fn timestamps_in_every_known_shape() {
        let want = Stamp::from_parts(2024, 8, 2, 15, 3, 13);
        for line in [
            "2024/8/2 15:03:13 空(1511954122): x",
            "2024/08/02 15:03:13 x",
            "2024-08-02 15:03:13 | x",
            "2024-08-02T15:03:13.123Z x",
            "8/2/2024, 3:03:13 PM x",
            "02/08/2024, 15:03:13 x",
            "2.8.2024, 15:03:13 x",
            "[info] | 2024-08-02 15:03:13 | x",
        ] {
            assert_eq!(dated(line).0, want, "{line}");
        }
        assert_eq!(want.day(), days_from_civil(2024, 8, 2));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            dated("8/2/2024, 12:00:01 AM x").0,
            Stamp::from_parts(2024, 8, 2, 0, 0, 1)
        );
        assert_eq!(
            dated("2024/2/29 23:59:59 x").0,
            Stamp::from_parts(2024, 2, 29, 23, 59, 59)
        );
    }

    #[test]
    fn not_dates_and_bad_dates() {
        for line in [
            "",
            "    at foo (bar.js:1:2)",
            "{}",
            "Error: x",
            "12345 apples",
            "1.5 x",
        ] {
            assert_eq!(lead(line.as_bytes()), Lead::Undated, "{line:?}");
        }
        for line in [
            "2024/13/2 15:03:13 x",
            "2023/2/29 10:00:00 x",
            "2024/8/2 25:03:13 x",
            "2024/8/2 15:3 x",
            "2024/8/2",
            "2024/8/2 15:03:13 AM x",
        ] {
            // The last one: 15 o'clock with AM.
            assert_eq!(lead(line.as_bytes()), Lead::BadDate, "{line:?}");
        }
    }

    #[test]
    fn a_shared_timestamp_reads_the_same() {
        let lines: [&[u8]; 16] = [
            "2024/8/2 15:03:13 空(1): 收到http请求 /send_msg {}".as_bytes(),
            b"2024/8/2 15:03:13 x",
            b"2024/8/2 15:03:13",
            b"2024/8/2 15:03:13 ",
            b"2024/8/2 15:03:13.5 x",
            b"2024/8/2 15:03:13. x",
            b"2024/8/2 15:03:13 PM",
            b"2024/8/2 15:03:13 pmx",
            b"2024/8/2 15:03:13 Ax",
            b"2024/8/2 15:03:134",
            b"2024/8/2 15:03:13,",
            b"8/2/2024, 3:03:13 PM x",
            b"8/2/2024, 3:03:13 PM",
            b"[info] | 2025-01-05 10:00:00 | x",
            b"[error] | 2025-01-05 10:00:00 | x",
            b"2024-08-02T15:03:13.123Z x",
        ];
        for prev in lines {
            let Lead::Dated { rest, .. } = lead(prev) else {
                continue;
            };
            for line in lines {
                if same_lead(line, prev, rest) {
                    assert_eq!(
                        lead(line),
                        lead(prev),
                        "{:?} after {:?}",
                        String::from_utf8_lossy(line),
                        String::from_utf8_lossy(prev)
                    );
                }
            }
        }
        let a = b"2024/8/2 15:03:13 x";
        assert!(same_lead(b"2024/8/2 15:03:13 y", a, 17));
        assert!(!same_lead(b"2024/8/2 15:03:14 y", a, 17));
    }

    proptest::proptest! {
        #[test]
        fn same_lead_agrees_with_lead(
            date in "(2024/8/2 |2024-08-02 |8/2/2024, |\\[info\\] \\| 2025-01-05 )1[0-9]:0[0-9]:[0-5][0-9]",
            prev_tail in "[ .APpamx0-9]{0,4}",
            tail in "[ .APpamx0-9,]{0,4}",
        ) {
            let prev = format!("{date}{prev_tail}");
            let line = format!("{date}{tail}");
            if let Lead::Dated { rest, .. } = lead(prev.as_bytes())
                && same_lead(line.as_bytes(), prev.as_bytes(), rest)
            {
                proptest::prop_assert_eq!(lead(line.as_bytes()), lead(prev.as_bytes()));
            }
        }
    }

    #[test]
    fn napcat_lines_take_the_year_of_their_file() {
        let h = Some(YearHint {
            year: 2025,
            month: 12,
        });
        let l = b"12-31 23:59:59 [error] bot | x";
        assert_eq!(
            lead_in(l, h),
            Lead::Dated {
                stamp: Stamp::from_parts(2025, 12, 31, 23, 59, 59),
                rest: 14
            }
        );
        // After New Year in a file started in December.
        let Lead::Dated { stamp, .. } = lead_in(b"01-01 00:00:01 [info] x", h) else {
            panic!()
        };
        assert_eq!(stamp, Stamp::from_parts(2026, 1, 1, 0, 0, 1));
        assert_eq!(lead(l), Lead::Undated);
        assert_eq!(lead_in(b"13-01 00:00:01 x", h), Lead::Undated);
        assert_eq!(lead_in(b"01-0", h), Lead::Undated);
    }

    #[test]
    fn same_bytes_is_slice_equality_for_every_length() {
        for n in 0..48 {
            let a: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            for k in 0..n {
                let mut b = a.clone();
                b[k] ^= 0x20;
                assert!(!same_bytes(&a, &b), "{n}: byte {k}");
            }
            assert!(!same_bytes(&a, &a[..n.saturating_sub(1)]) || n == 0);
        }
    }
}
