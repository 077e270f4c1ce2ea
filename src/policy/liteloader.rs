//! LiteLoaderQQNT against the QQ build it loads into: its own minimum per QQ build, the builds
//! its newer lines dropped, and which of its lines are still maintained. Facts as rows; the
//! verdicts are in `policy`.

use crate::version::Dotted;

/// From `qq_build` on, LiteLoaderQQNT must be at least `min`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LlMinimum {
    pub qq_build: u32,
    pub min: Dotted,
    /// Where the rule comes from.
    pub source: &'static str,
}

/// Sorted by QQ build. The last row whose build the QQ has reached applies.
pub const LL_MINIMUMS: &[LlMinimum] = &[
    LlMinimum {
        qq_build: 28060,
        min: Dotted::new(1, 2, 2),
        source: "LLOneBot FAQ: QQ 9.9.15-28060 and later need LiteLoaderQQNT 1.2.2",
    },
    LlMinimum {
        // "34xxx": the 9.9.19 / 3.2.17 builds, whose first is 34231.
        qq_build: 34231,
        min: Dotted::new(1, 2, 4),
        source: "LiteLoaderQQNT 1.2.4 (2025-07-23): \"support 34xxx+\"",
    },
    LlMinimum {
        qq_build: 41857,
        min: Dotted::new(1, 4, 0),
        source: "LiteLoaderQQNT 1.4.0 (2025-12-02) fixes QQ 41857, where 1.3.0 does not start (LiteLoaderQQNT #1094)",
    },
];

/// LiteLoaderQQNT from `since` on removed support for QQ builds before `qq_build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LlDropped {
    pub since: Dotted,
    pub qq_build: u32,
    pub source: &'static str,
}

pub const LL_DROPPED: &[LlDropped] = &[LlDropped {
    since: Dotted::new(1, 3, 0),
    qq_build: 34231,
    source: "LiteLoaderQQNT 1.3.0 (2025-08-23): \"remove compatibility with versions before 34xxx\"",
}];

/// The newest LiteLoaderQQNT release known, and its date.
pub const LL_LATEST: Dotted = Dotted::new(1, 4, 1);
pub const LL_LATEST_DATE: &str = "2025-12-02";

/// Is this LiteLoaderQQNT on a line that still gets releases? Only the newest line (1.4.x)
/// does, and the project is reportedly archived after 1.4.1.
pub fn line_maintained(v: Dotted) -> bool {
    (v.major, v.minor) >= (LL_LATEST.major, LL_LATEST.minor)
}

/// LiteLoaderQQNT's own minimum for a QQ build.
pub fn minimum_for(qq_build: u32) -> Option<&'static LlMinimum> {
    LL_MINIMUMS.iter().rev().find(|r| qq_build >= r.qq_build)
}

/// The rule a LiteLoaderQQNT version breaks by being too new for a QQ build.
pub fn dropped_for(v: Dotted, qq_build: u32) -> Option<&'static LlDropped> {
    LL_DROPPED
        .iter()
        .find(|d| v >= d.since && qq_build < d.qq_build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(
            LL_MINIMUMS
                .windows(2)
                .all(|w| w[0].qq_build < w[1].qq_build)
        );
        assert!(LL_MINIMUMS.windows(2).all(|w| w[0].min < w[1].min));
        assert!(LL_MINIMUMS.iter().all(|r| r.min <= LL_LATEST));
    }

    #[test]
    fn minimum_per_build() {
        let m = |b| minimum_for(b).map(|r| r.min.to_string());
        assert_eq!(m(28059), None);
        assert_eq!(m(28060).as_deref(), Some("1.2.2"));
        assert_eq!(m(34230).as_deref(), Some("1.2.2"));
        assert_eq!(m(34231).as_deref(), Some("1.2.4"));
        assert_eq!(m(41856).as_deref(), Some("1.2.4"));
        assert_eq!(m(41857).as_deref(), Some("1.4.0"));
        assert_eq!(m(53644).as_deref(), Some("1.4.0"));
    }

    #[test]
    fn lines_and_dropped_builds() {
        assert!(!line_maintained(Dotted::new(1, 2, 2)));
        assert!(!line_maintained(Dotted::new(1, 3, 0)));
        assert!(line_maintained(Dotted::new(1, 4, 0)));
        assert!(line_maintained(Dotted::new(1, 5, 0)));
        assert!(dropped_for(Dotted::new(1, 3, 0), 29927).is_some());
        assert!(dropped_for(Dotted::new(1, 2, 4), 29927).is_none());
        assert!(dropped_for(Dotted::new(1, 4, 1), 34231).is_none());
    }
}
