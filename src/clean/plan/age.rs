//! Ages, file by file: `--older-than` (and QQ's own 3 days) applies to each file inside a
//! target's folders, not to a folder as a whole. A folder entry that receives files every day
//! (LLBot's `temp/video/`, `temp/forward/<id>/`, a month of QQ's pictures) is *swept*: the files
//! older than the age go, folders left empty by that go too, and a folder keeps whatever is
//! newer. [`Sweep`] is what a planned folder entry carries for that.
//!
//! Times are signed seconds since 1970, so dates before it are ages like any other. An age
//! longer than the time since 1970 takes only files dated before that (none of a file dated
//! 1970, whose time is 0): a huge `--older-than` never takes a file whose date is unknown or
//! reset.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::qq_cache::CacheKind;

/// Which files a sweep takes (always only those old enough).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    /// Everything that is not a folder (a bot's temp folder: files and links, links removed
    /// as themselves).
    Any,
    /// Regular files of one kind of QQ's cache, by the kinds table (never links, never
    /// anything on the never-touch list).
    QqCache(CacheKind),
}

/// A folder entry aged file by file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sweep {
    /// Files changed at or before this time go (seconds since 1970, signed).
    pub cutoff: i64,
    /// Every file inside, old or not (the preview's "1,234 of 1,300 files").
    pub of_files: u64,
    /// When the plan was made (seconds, nanoseconds): a file whose inode changed after it
    /// (created, moved in, rewritten) was not in the preview and stays.
    #[serde(skip)]
    pub planned_at: (i64, u32),
    #[serde(skip)]
    pub only: Only,
    /// Whether folders left empty go (and the entry's own folder when it is left empty);
    /// `false` keeps every folder (QQ's `File/`, `log/`: QQ expects them).
    #[serde(skip)]
    pub folders: bool,
}

impl Sweep {
    /// Is a file of this modification time and inode change time one to take?
    pub fn takes(&self, mtime: i64, ctime: (i64, u32)) -> bool {
        mtime <= self.cutoff && ctime <= self.planned_at
    }
}

/// A time as signed seconds since 1970 (before it: negative).
pub fn signed_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// Now, as (seconds, nanoseconds) since 1970.
pub fn now_precise() -> (i64, u32) {
    let now = SystemTime::now();
    match now.duration_since(UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(_) => (0, 0),
    }
}

/// The newest time a file may have to be older than `age` seconds, from `now`: may be before
/// 1970, and is `i64::MIN` (nothing is that old) for an age past any date.
pub fn cutoff(now: i64, age: u64) -> i64 {
    i64::try_from(age).map_or(i64::MIN, |a| now.saturating_sub(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_signed_and_a_huge_age_takes_nothing_of_1970() {
        let now = 1_780_000_000;
        let s = Sweep {
            cutoff: cutoff(now, 3 * 86_400),
            of_files: 0,
            planned_at: (now, 0),
            only: Only::Any,
            folders: true,
        };
        assert!(s.takes(now - 4 * 86_400, (now - 10, 0)));
        assert!(!s.takes(now - 2 * 86_400, (now - 10, 0)));
        // Changed after the plan: not in the preview.
        assert!(!s.takes(now - 4 * 86_400, (now, 1)));
        // 100 years: a file dated 1970 (time 0) is 56 years old, one of 1900 is 126.
        let century = Sweep {
            cutoff: cutoff(now, 100 * 365 * 86_400),
            ..s
        };
        assert!(!century.takes(0, (0, 0)));
        assert!(century.takes(-2_208_988_800, (0, 0)));
        assert_eq!(cutoff(now, u64::MAX), i64::MIN);
        assert!(
            !Sweep {
                cutoff: i64::MIN,
                ..s
            }
            .takes(i64::MIN + 1, (0, 0))
        );
        assert_eq!(
            signed_secs(UNIX_EPOCH - std::time::Duration::from_secs(5)),
            -5
        );
    }
}
