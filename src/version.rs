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
#[path = "version_tests.rs"]
mod tests;
