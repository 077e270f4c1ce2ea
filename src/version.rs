//! Version strings of QQ, LiteLoaderQQNT and LLOneBot, and the table of QQ builds.
//!
//! Two shapes only, both parsed strictly and never as semver:
//! - [`Dotted`]: `x.y.z`, three decimal numbers (LiteLoaderQQNT, LLOneBot): compared
//!   numerically, so 3.28.10 > 3.28.3.
//! - [`QqVersion`]: `x.y.z-build` as QQ writes it (`9.9.15-28418` on Windows, `3.2.12-28418` on
//!   Linux, `6.9.56-28418` or `7.0.2-53644` on macOS). The build after `-` is shared by every platform and is what
//!   two QQ versions are compared by; `9.9.15-28131` is not a pre-release.
//!
//! Tolerance, chosen on purpose: surrounding whitespace and one leading `v`/`V` are accepted
//! (`" v3.28.3 "` is 3.28.3), because release tags and hand-typed flags carry them and the number
//! is still unambiguous. Anything else (two parts, letters, signs, a pre-release suffix, more than
//! [`MAX_LEN`] bytes) is not a version: callers report it as `unknown`, never as a pass.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::env::Platform;

/// No real version is anywhere near this long; longer input is rejected before any work.
pub const MAX_LEN: usize = 64;

/// Why a string is not a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    TooLong,
    Malformed,
}

/// Trims whitespace and one leading `v`/`V`.
fn normalize(s: &str) -> Result<&str, ParseError> {
    if s.len() > MAX_LEN * 4 {
        // Do not even trim megabytes of input.
        return Err(ParseError::TooLong);
    }
    let t = s.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    if t.is_empty() {
        return Err(ParseError::Empty);
    }
    if t.len() > MAX_LEN {
        return Err(ParseError::TooLong);
    }
    Ok(t)
}

/// A decimal number made of ASCII digits only (`u32::from_str` would also take `+5`).
fn number(s: &str) -> Result<u32, ParseError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::Malformed);
    }
    s.parse().map_err(|_| ParseError::Malformed)
}

/// `x.y.z`, three numbers; ordered numerically, component by component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dotted {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Dotted {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Dotted {
        Dotted {
            major,
            minor,
            patch,
        }
    }

    pub fn parse(s: &str) -> Result<Dotted, ParseError> {
        parse_dotted(normalize(s)?)
    }
}

/// `x.y.z` without normalizing.
fn parse_dotted(s: &str) -> Result<Dotted, ParseError> {
    let mut parts = s.split('.');
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ParseError::Malformed);
    };
    Ok(Dotted::new(number(a)?, number(b)?, number(c)?))
}

impl fmt::Display for Dotted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// A QQ version: `x.y.z` in one platform's numbering, and the shared build when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QqVersion {
    pub dotted: Dotted,
    pub build: Option<u32>,
}

impl QqVersion {
    /// `9.9.15-28418`, or `9.9.15` without a build.
    pub fn parse(s: &str) -> Result<QqVersion, ParseError> {
        let s = normalize(s)?;
        let (dotted, build) = match s.split_once('-') {
            Some((d, b)) => (d, Some(number(b)?)),
            None => (s, None),
        };
        Ok(QqVersion {
            dotted: parse_dotted(dotted)?,
            build,
        })
    }

    /// Orders two QQ versions by their shared build; `None` when either has none (the `x.y.z`
    /// of different platforms cannot be compared).
    pub fn cmp_build(&self, other: &QqVersion) -> Option<Ordering> {
        Some(self.build?.cmp(&other.build?))
    }
}

impl fmt::Display for QqVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.build {
            Some(b) => write!(f, "{}-{b}", self.dotted),
            None => write!(f, "{}", self.dotted),
        }
    }
}

/// The platform whose numbering a QQ version is in, by its major number: Windows 9.x, Linux
/// 3.x, macOS 6.x and 7.x (`None` for any other).
pub fn platform_of(v: &QqVersion) -> Option<Platform> {
    match v.dotted.major {
        9 => Some(Platform::Windows),
        3 => Some(Platform::Linux),
        6 | 7 => Some(Platform::Macos),
        _ => None,
    }
}

/// The embedded copy of the shared `data/qq-builds.json`.
const BUILDS_JSON: &str = include_str!("../data/qq-builds.json");

/// One known build and each platform's version string for it.
#[derive(Debug, Clone, Deserialize)]
pub struct BuildEntry {
    pub build: u32,
    pub windows: Option<String>,
    pub linux: Option<String>,
    pub macos: Option<String>,
    /// Why an entry has no platform's string (a build seen only by number).
    #[serde(default)]
    pub note: Option<String>,
    /// Where the build was seen.
    #[serde(default)]
    pub source: Option<String>,
}

impl BuildEntry {
    pub fn version_for(&self, platform: Platform) -> Option<&str> {
        match platform {
            Platform::Windows => self.windows.as_deref(),
            Platform::Linux => self.linux.as_deref(),
            Platform::Macos => self.macos.as_deref(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct RawTable {
    builds: Vec<BuildEntry>,
}

/// Known QQ builds, sorted by build.
#[derive(Debug)]
pub struct BuildTable {
    entries: Vec<BuildEntry>,
}

pub const PLATFORMS: [Platform; 3] = [Platform::Windows, Platform::Linux, Platform::Macos];

impl BuildTable {
    pub fn from_json(text: &str) -> Result<BuildTable, serde_json::Error> {
        let raw: RawTable = serde_json::from_str(text)?;
        let mut entries = raw.builds;
        entries.sort_by_key(|e| e.build);
        Ok(BuildTable { entries })
    }

    pub fn entries(&self) -> &[BuildEntry] {
        &self.entries
    }

    pub fn get(&self, build: u32) -> Option<&BuildEntry> {
        self.entries
            .binary_search_by_key(&build, |e| e.build)
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The smallest build whose version on some platform has this `x.y.z`, and that platform.
    pub fn first_build_of(&self, dotted: Dotted) -> Option<(u32, Platform)> {
        self.entries.iter().find_map(|e| {
            PLATFORMS.into_iter().find_map(|p| {
                let v = QqVersion::parse(e.version_for(p)?).ok()?;
                (v.dotted == dotted).then_some((e.build, p))
            })
        })
    }

    /// The first build at or after `build` that this platform has a version string for.
    pub fn first_for_platform_from(&self, platform: Platform, build: u32) -> Option<&str> {
        self.entries
            .iter()
            .filter(|e| e.build >= build)
            .find_map(|e| e.version_for(platform))
    }
}

/// The embedded build table, parsed once.
pub fn table() -> &'static BuildTable {
    static TABLE: OnceLock<BuildTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Compiled into the binary and checked by the unit test `embedded_table_parses`: no
        // input of the user's can make this fail.
        #[allow(clippy::expect_used)]
        BuildTable::from_json(BUILDS_JSON).expect("embedded data/qq-builds.json parses")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Dotted {
        Dotted::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn q(s: &str) -> QqVersion {
        QqVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn embedded_table_parses() {
        let t = BuildTable::from_json(BUILDS_JSON).expect("parses");
        assert!(t.entries().len() > 50);
        let e = t.get(26702).expect("26702 is in the table");
        assert_eq!(e.windows.as_deref(), Some("9.9.15-26702"));
        assert_eq!(e.linux.as_deref(), Some("3.2.12-26702"));
        let e = t.get(27597).expect("27597");
        assert_eq!(e.macos.as_deref(), Some("6.9.53-27597"));
        assert_eq!(
            t.get(29927).and_then(|e| e.windows.as_deref()),
            Some("9.9.16-29927")
        );
        assert!(t.get(29999).is_none());
        // Every string in it is a QQ version whose build is the entry's build.
        for e in t.entries() {
            for p in PLATFORMS {
                if let Some(v) = e.version_for(p) {
                    assert_eq!(q(v).build, Some(e.build), "{v}");
                }
            }
        }
        // Sorted and without duplicates in the file itself (binary search relies on it, and
        // a new build goes in its place, not at the end).
        let raw: RawTable = serde_json::from_str(BUILDS_JSON).expect("parses");
        for w in raw.builds.windows(2) {
            assert!(
                w[0].build < w[1].build,
                "{} then {}",
                w[0].build,
                w[1].build
            );
        }
        // Each platform's numbering: Windows 9.x, Linux 3.x, macOS 6.x then 7.x.
        for e in t.entries() {
            for (p, majors) in [
                (Platform::Windows, &[9][..]),
                (Platform::Linux, &[3][..]),
                (Platform::Macos, &[6, 7][..]),
            ] {
                if let Some(v) = e.version_for(p) {
                    assert!(majors.contains(&q(v).dotted.major), "{v} is not {p:?}'s");
                }
            }
        }
        // An entry without any platform's string says why.
        for e in t.entries() {
            let strings = PLATFORMS
                .iter()
                .filter(|p| e.version_for(**p).is_some())
                .count();
            assert!(strings > 0 || e.note.is_some(), "{} has no string", e.build);
            // Every row names where it was seen.
            assert!(
                e.source.as_deref().is_some_and(|s| !s.trim().is_empty()),
                "{} has no source",
                e.build
            );
        }
        assert_eq!(table().get(26702).map(|e| e.build), Some(26702));
    }

    #[test]
    fn builds_of_2026() {
        let t = table();
        // The old typo 55230 is 52230 (Windows 9.9.33).
        assert!(t.get(55230).is_none());
        assert_eq!(
            t.get(52230).and_then(|e| e.windows.as_deref()),
            Some("9.9.33-52230")
        );
        for b in [
            51102, 51552, 51728, 51802, 52194, 52230, 52892, 53489, 53644,
        ] {
            assert!(t.get(b).is_some(), "{b}");
        }
        let e = t.get(53644).expect("53644");
        assert_eq!(e.windows.as_deref(), Some("9.9.36-53644"));
        assert_eq!(e.linux.as_deref(), Some("3.2.34-53644"));
        assert_eq!(e.macos.as_deref(), Some("7.0.2-53644"));
        assert_eq!(q("7.0.2-53644").dotted, d("7.0.2"));
        assert_eq!(t.first_build_of(d("7.0.2")), Some((53644, Platform::Macos)));
        assert_eq!(
            t.first_build_of(d("3.2.33")),
            Some((52892, Platform::Linux))
        );
        assert_eq!(
            t.first_for_platform_from(Platform::Macos, 42942),
            Some("6.9.88-44725")
        );
    }

    #[test]
    fn minimum_forms_map_to_their_first_build() {
        let t = table();
        assert_eq!(
            t.first_build_of(d("9.9.15")),
            Some((26702, Platform::Windows))
        );
        assert_eq!(
            t.first_build_of(d("3.2.12")),
            Some((26702, Platform::Linux))
        );
        assert_eq!(
            t.first_build_of(d("6.9.53")),
            Some((27597, Platform::Macos))
        );
        assert_eq!(
            t.first_build_of(d("9.9.16")),
            Some((28788, Platform::Windows))
        );
        assert_eq!(t.first_build_of(d("9.9.99")), None);
        assert_eq!(
            t.first_for_platform_from(Platform::Macos, 26702),
            Some("6.9.53-27597")
        );
        assert_eq!(
            t.first_for_platform_from(Platform::Linux, 26702),
            Some("3.2.12-26702")
        );
        assert_eq!(t.first_for_platform_from(Platform::Linux, 99_999), None);
    }

    #[test]
    fn numbering_names_the_platform() {
        let p = |s: &str| platform_of(&q(s));
        assert_eq!(p("9.9.35-52892"), Some(Platform::Windows));
        assert_eq!(p("3.2.33-52892"), Some(Platform::Linux));
        assert_eq!(p("6.9.61-29927"), Some(Platform::Macos));
        assert_eq!(p("7.0.2-53644"), Some(Platform::Macos));
        assert_eq!(p("1.0.0-1"), None);
    }

    #[test]
    fn dotted_versions_compare_numerically() {
        assert!(d("3.28.10") > d("3.28.3"));
        assert!(d("3.28.2") < d("3.28.3"));
        assert!(d("4.9.4") > d("3.28.3"));
        assert_eq!(d("3.28.3"), d("3.028.3"));
        assert_eq!(d("1.2.2").to_string(), "1.2.2");
    }

    #[test]
    fn leading_v_and_whitespace_are_accepted() {
        assert_eq!(d("v3.28.3"), d("3.28.3"));
        assert_eq!(d("  V3.28.3 \n"), d("3.28.3"));
        assert_eq!(q(" v9.9.15-28418\t"), q("9.9.15-28418"));
        // Only one v, and only before the number.
        assert!(Dotted::parse("vv3.28.3").is_err());
        assert!(Dotted::parse("v 3.28.3").is_err());
        assert!(Dotted::parse("3.28.3v").is_err());
    }

    #[test]
    fn malformed_versions_are_errors() {
        for bad in [
            "",
            "   ",
            "v",
            "9.9",
            "3",
            "3.28",
            "3.28.3.1",
            "3..3",
            "3.28.",
            ".3.28",
            "a.b.c",
            "3.28.3-beta",
            "+3.28.3",
            "3.-28.3",
            "3 .28.3",
            "99999999999.0.0",
            "３.２８.３",
            "3.28.3\0",
        ] {
            assert!(Dotted::parse(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(Dotted::parse(""), Err(ParseError::Empty));
        assert_eq!(Dotted::parse(&"9".repeat(100)), Err(ParseError::TooLong));
        assert_eq!(
            Dotted::parse(&"1.".repeat(1_000_000)),
            Err(ParseError::TooLong)
        );
        for bad in [
            "9.9",
            "9.9.15-",
            "9.9.15-abc",
            "9.9.15-28418-1",
            "9.9.15--28418",
            "-28418",
            "9.9.15-99999999999",
            "9.9.15-+1",
        ] {
            assert!(QqVersion::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn qq_versions_compare_by_build_across_platforms() {
        let win = q("9.9.15-26702");
        let linux = q("3.2.12-26702");
        let mac = q("6.9.53-27597");
        assert_eq!(win.cmp_build(&linux), Some(Ordering::Equal));
        assert_eq!(mac.cmp_build(&win), Some(Ordering::Greater));
        assert_eq!(q("9.9.12-26466").cmp_build(&win), Some(Ordering::Less));
        assert_eq!(q("9.9.15").build, None);
        assert_eq!(q("9.9.15").cmp_build(&win), None);
        assert_eq!(q("3.2.13-29927").to_string(), "3.2.13-29927");
    }

    proptest! {
        #[test]
        fn parsers_never_panic_on_strings(s in any::<String>()) {
            let _ = Dotted::parse(&s);
            let _ = QqVersion::parse(&s);
        }

        #[test]
        fn parsers_never_panic_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let s = String::from_utf8_lossy(&b);
            let _ = Dotted::parse(&s);
            let _ = QqVersion::parse(&s);
        }

        #[test]
        fn version_like_strings_never_panic(s in "[vV ]?[0-9.+\\-]{0,40}[ \t]?") {
            let _ = Dotted::parse(&s);
            let _ = QqVersion::parse(&s);
        }

        #[test]
        fn dotted_round_trips_and_compares_antisymmetrically(
            a in (0u32..50, 0u32..50, 0u32..50),
            b in (0u32..50, 0u32..50, 0u32..50),
        ) {
            let sa = format!("{}.{}.{}", a.0, a.1, a.2);
            let sb = format!("v{}.{}.{} ", b.0, b.1, b.2);
            let va = Dotted::parse(&sa).expect("well-formed");
            let vb = Dotted::parse(&sb).expect("well-formed");
            prop_assert_eq!(va.to_string(), sa.clone());
            prop_assert_eq!(va.cmp(&vb), vb.cmp(&va).reverse());
            prop_assert_eq!(va.cmp(&vb), a.cmp(&b));
            prop_assert_eq!(Dotted::parse(&va.to_string()), Ok(va));
        }

        #[test]
        fn qq_compare_is_antisymmetric_and_by_build(
            a in (0u32..10, 0u32..10, 0u32..100, 0u32..100_000),
            b in (0u32..10, 0u32..10, 0u32..100, 0u32..100_000),
        ) {
            let va = QqVersion::parse(&format!("{}.{}.{}-{}", a.0, a.1, a.2, a.3)).expect("ok");
            let vb = QqVersion::parse(&format!("{}.{}.{}-{}", b.0, b.1, b.2, b.3)).expect("ok");
            let ab = va.cmp_build(&vb).expect("both have builds");
            let ba = vb.cmp_build(&va).expect("both have builds");
            prop_assert_eq!(ab, ba.reverse());
            prop_assert_eq!(ab, a.3.cmp(&b.3));
            prop_assert_eq!(QqVersion::parse(&va.to_string()), Ok(va));
        }
    }
}
