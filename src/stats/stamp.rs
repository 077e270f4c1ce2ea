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

impl Lead {
    /// The same lead with its `rest` changed (tests compare leads of different lengths).
    #[cfg(test)]
    fn map_rest(self, f: impl Fn(usize) -> usize) -> Lead {
        match self {
            Lead::Dated { stamp, rest } => Lead::Dated {
                stamp,
                rest: f(rest),
            },
            other => other,
        }
    }
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

/// How a log's clock writes dates whose year comes last (`3/2/2026`): month first (en-US) or
/// day first (en-GB, de, fr, ru, ...). `None`: decide per line (a field above 12 settles it;
/// else an `AM`/`PM` in capitals, as en-US writes it, means month first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    /// The year of lines that carry none (NapCat).
    pub year: Option<YearHint>,
    pub month_first: Option<bool>,
}

/// A day period written before the hour: `上午`/`下午` (zh), `午前`/`午後` (ja), `오전`/`오후` (ko).
const PERIODS_BEFORE: [(&[u8], bool); 6] = [
    ("上午".as_bytes(), false),
    ("下午".as_bytes(), true),
    ("午前".as_bytes(), false),
    ("午後".as_bytes(), true),
    ("오전".as_bytes(), false),
    ("오후".as_bytes(), true),
];

/// The spaces ICU puts before `AM`/`PM`: a space, U+202F (narrow no-break, ICU 72+), U+00A0.
fn period_gap(b: &[u8]) -> usize {
    match b {
        [b' ', ..] => 1,
        [0xE2, 0x80, 0xAF, ..] => 3,
        [0xC2, 0xA0, ..] => 2,
        _ => 0,
    }
}

/// `AM`, `PM`, `am`, `pm`, `a.m.`, `p.m.` at the start of `b`, not followed by a letter or
/// digit: (afternoon, written in capitals, bytes).
fn period_after(b: &[u8]) -> Option<(bool, bool, usize)> {
    let first = *b.first()?;
    let pm = match first.to_ascii_lowercase() {
        b'a' => false,
        b'p' => true,
        _ => return None,
    };
    let n = if b.get(1).is_some_and(|c| c.eq_ignore_ascii_case(&b'm')) {
        2
    } else if b.get(1..4).is_some_and(|d| d.eq_ignore_ascii_case(b".m.")) {
        4
    } else {
        return None;
    };
    if b.get(n).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    Some((pm, first.is_ascii_uppercase(), n))
}

/// A date and time at the start of `b`, as JavaScript's `toLocaleString()` writes it in the
/// locales QQ and Node run in, or as LLOneBot 5+ formats it itself:
/// `2024/8/2 15:03:13` (zh-CN, ja), `2024/8/2 下午3:03:13` (zh-CN before ICU 72, zh-TW),
/// `2025-03-01 10:00:00` (LLBot, sv), `2024-08-02T15:03:13`, `8/2/2024, 3:03:13 PM` (en-US, C;
/// with U+202F before `PM` since ICU 72), `02/08/2024, 15:03:13` (en-GB), `2.8.2024, 15:03:13`
/// (de), `02.08.2024, 15:03:13` (ru), `02/08/2024 15:03:13` (fr), `2/8/2024, 3:03:13 pm`
/// (en-AU), `2024. 8. 2. 오후 3:03:13` (ko).
/// Returns the time and the bytes used; `Err(())` when it starts like a date but is not one.
#[inline]
fn datetime(b: &[u8], month_first: Option<bool>) -> Result<Option<(Stamp, usize)>, ()> {
    match padded(b) {
        Some(r) => r,
        None => datetime_any(b, month_first),
    }
}

/// LLBot 5+'s own `YYYY-MM-DD HH:mm:ss` (zero-padded, no fraction or day period after it), read
/// at fixed places: `Some` with what [`datetime_any`] would return, `None` for any other shape.
#[inline]
fn padded(b: &[u8]) -> Option<Result<Option<(Stamp, usize)>, ()>> {
    let s = b.get(..19)?;
    if s[4] != b'-' || s[7] != b'-' || s[10] != b' ' || s[13] != b':' || s[16] != b':' {
        return None;
    }
    // After the seconds: no fraction, and nothing [`datetime_any`] would read as `AM`/`PM`.
    match b.get(19..) {
        Some([b'.', ..] | [0xE2 | 0xC2, ..]) => return None,
        Some([b' ', b'A' | b'a' | b'P' | b'p', ..]) => return None,
        _ => {}
    }
    let num = |k: usize, n: usize| -> Option<u32> {
        s[k..k + n].iter().try_fold(0u32, |v, &c| {
            c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hh, mm, ss) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let y = i64::from(y);
    Some(
        if !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
            || hh > 23
            || mm > 59
            || ss > 60
        {
            Err(())
        } else {
            Ok(Some((Stamp::from_parts(y, m, d, hh, mm, ss.min(59)), 19)))
        },
    )
}

/// [`datetime`] in every shape, field by field.
fn datetime_any(b: &[u8], month_first: Option<bool>) -> Result<Option<(Stamp, usize)>, ()> {
    let mut i = 0;
    let Some((f1, n1)) = digits(b, &mut i, 4) else {
        return Ok(None);
    };
    let sep = match b.get(i) {
        Some(&s @ (b'/' | b'-' | b'.')) => s,
        _ => return Ok(None),
    };
    i += 1;
    // ko: `2024. 8. 2. `.
    let spaced = sep == b'.' && n1 == 4 && b.get(i) == Some(&b' ');
    if spaced {
        i += 1;
    }
    let Some((f2, n2)) = digits(b, &mut i, 2) else {
        return Ok(None);
    };
    if b.get(i) != Some(&sep) {
        return Ok(None);
    }
    i += 1;
    if spaced && b.get(i) == Some(&b' ') {
        i += 1;
    }
    let Some((f3, n3)) = digits(b, &mut i, 4) else {
        return Ok(None);
    };
    if spaced && b.get(i) == Some(&b'.') {
        i += 1;
    }
    // From here on it looks like a date: anything wrong is a garbled line, not another format.
    if b.get(i) == Some(&b',') {
        i += 1;
    }
    match b.get(i) {
        Some(b' ' | b'T') => i += 1,
        _ => return Err(()),
    }
    let mut period = None;
    if b.get(i).is_some_and(|&c| c >= 0x80)
        && let Some(&(p, pm)) = PERIODS_BEFORE.iter().find(|(p, _)| b[i..].starts_with(p))
    {
        period = Some((pm, false));
        i += p.len();
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
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
    if period.is_none() {
        let gap = period_gap(&b[i..]);
        if gap > 0
            && let Some((pm, caps, n)) = period_after(&b[i + gap..])
        {
            period = Some((pm, caps));
            i += gap + n;
        }
    }
    let (y, m, d) = if n1 == 4 && n2 <= 2 && n3 <= 2 {
        (i64::from(f1), f2, f3)
    } else if n3 == 4 && n1 <= 2 {
        // Year last: a field above 12 settles the order; else the file's order, else an
        // `AM`/`PM` in capitals (en-US) means month first.
        let month_first = if f1 > 12 {
            false
        } else if f2 > 12 {
            true
        } else {
            month_first.unwrap_or(matches!(period, Some((_, true))))
        };
        if month_first {
            (i64::from(f3), f1, f2)
        } else {
            (i64::from(f3), f2, f1)
        }
    } else {
        return Err(());
    };
    let hh = match period {
        Some((pm, _)) => {
            if hh > 12 {
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

/// Which order a year-last date of this line settles, if any: `Some(true)` month first
/// (`3/25/2026`), `Some(false)` day first (`25/3/2026`).
pub fn date_order(line: &[u8]) -> Option<bool> {
    let mut i = 0;
    let (f1, n1) = digits(line, &mut i, 2)?;
    if !matches!(line.get(i), Some(b'/' | b'-' | b'.')) || n1 > 2 {
        return None;
    }
    i += 1;
    let (f2, _) = digits(line, &mut i, 2)?;
    let mut j = i + 1;
    let (_, n3) = digits(line, &mut j, 4)?;
    if n3 != 4 {
        return None;
    }
    if f1 > 12 && f2 <= 12 {
        Some(false)
    } else if f2 > 12 && f1 <= 12 {
        Some(true)
    } else {
        None
    }
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
    lead_at(line, Clock::default())
}

/// [`lead`], for a file whose lines may carry no year (NapCat): `hint` gives it.
pub fn lead_in(line: &[u8], hint: Option<YearHint>) -> Lead {
    lead_at(
        line,
        Clock {
            year: hint,
            month_first: None,
        },
    )
}

/// [`lead`], on a clock whose year (NapCat) or date order the file told.
pub fn lead_at(line: &[u8], clock: Clock) -> Lead {
    if let Some(h) = clock.year
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
    match datetime(&line[i..], clock.month_first) {
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
    if rest < 3
        || prev.len() < rest
        || line.len() <= rest
        || !same_bytes(&line[..rest], &prev[..rest])
    {
        return false;
    }
    if prev[rest - 3] == b':' {
        // Ended at the seconds, where every layout puts a space (NapCat's needs it): the next
        // bytes must start neither a fraction nor a day period.
        return line[rest] == b' '
            && !matches!(line.get(rest + 1), Some(b'A' | b'a' | b'P' | b'p'));
    }
    // Ended at a day period (`AM`, `a.m.`): the next byte must not make it a word.
    matches!(prev[rest - 1], b'M' | b'm' | b'.') && !line[rest].is_ascii_alphanumeric()
}

#[cfg(test)]
#[path = "stamp_tests.rs"]
mod tests;
