//! The version policy: the minimums (QQ 9.9.15, LLOneBot 3.28.3), the LiteLoaderQQNT
//! compatibility rule, and the verdict each installed version gets. No human text here: the
//! verdicts are enums that `check_versions` renders.

use serde::Serialize;

use crate::env::Platform;
use crate::version::{BuildTable, Dotted, ParseError, QqVersion};

/// The default QQ minimum as users know it (Windows numbering): build 26702 on every platform.
pub const DEFAULT_MIN_QQ: &str = "9.9.15";
/// The default LLOneBot minimum.
pub const DEFAULT_MIN_LLONEBOT: Dotted = Dotted::new(3, 28, 3);
/// From this QQ build on, LiteLoaderQQNT must be at least [`LITELOADER_MIN_FOR_NEW_QQ`]
/// (LLOneBot FAQ).
pub const LITELOADER_NEW_QQ_BUILD: u32 = 28060;
pub const LITELOADER_MIN_FOR_NEW_QQ: Dotted = Dotted::new(1, 2, 2);
/// From this LLOneBot version on, messages live in `database/`; `msg_*` folders are leftovers.
pub const LLONEBOT_DATABASE_SINCE: Dotted = Dotted::new(3, 29, 0);
/// From this LLOneBot version on, it runs standalone (no LiteLoaderQQNT).
pub const LLONEBOT_STANDALONE_SINCE: Dotted = Dotted::new(5, 0, 0);

pub const LITELOADER_RELEASES: &str = "https://github.com/LiteLoaderQQNT/LiteLoaderQQNT/releases";
pub const LLONEBOT_RELEASES: &str = "https://github.com/LLOneBot/LLOneBot/releases";

/// QQ's official download page for a platform.
pub fn qq_download(platform: Platform) -> &'static str {
    match platform {
        Platform::Windows => "https://im.qq.com/pcqq/index.shtml",
        Platform::Linux => "https://im.qq.com/linuxqq/index.shtml",
        Platform::Macos => "https://im.qq.com/macqq/index.shtml",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Outdated,
    Unknown,
}

/// Why a component got its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// At or above its minimum.
    MeetsMinimum,
    /// Readable, and no minimum applies (LiteLoaderQQNT with a QQ build below 28060).
    NoMinimum,
    /// Below its minimum.
    BelowMinimum,
    /// LiteLoaderQQNT too old for the installed QQ build.
    IncompatibleWithQq,
    /// The version file was found but holds no version string.
    VersionMissing,
    /// The version string is not a version.
    VersionMalformed,
    /// A QQ version without a build number, and no build beside it.
    NoBuildNumber,
    /// The version file is there but unreadable or malformed JSON.
    VersionFileUnreadable,
    /// A LiteLoaderQQNT profile was found but not its root (which holds the version).
    RootNotFound,
    /// An LLOneBot data folder was found but not its plugin (which holds the version).
    PluginNotFound,
    /// A standalone LLOneBot data folder: no manifest to read a version from.
    StandaloneNoManifest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub reason: Reason,
}

impl Verdict {
    pub const fn unknown(reason: Reason) -> Verdict {
        Verdict {
            status: Status::Unknown,
            reason,
        }
    }
}

/// The QQ minimum resolved to a build, and written in the numbering the user gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QqMinimum {
    pub build: u32,
    /// E.g. `9.9.15-26702` for the default, `3.2.12-26702` for `--min-qq 3.2.12`.
    pub text: String,
}

impl QqMinimum {
    /// The minimum in a platform's own numbering when the table has that build for it.
    pub fn own_numbering(&self, platform: Platform, table: &BuildTable) -> Option<String> {
        table
            .get(self.build)
            .and_then(|e| e.version_for(platform))
            .map(str::to_string)
    }

    /// What to install on a platform: its first known version at or after the minimum build
    /// (macOS has no 26702: the first 9.9.15-level macOS build is 6.9.53-27597).
    pub fn install_target(&self, platform: Platform, table: &BuildTable) -> Option<String> {
        table
            .first_for_platform_from(platform, self.build)
            .map(str::to_string)
    }
}

/// Why a `--min-*` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MinError {
    /// `--min-qq` is not a QQ version at all.
    QqMalformed(String),
    /// `--min-qq` has no build and its `x.y.z` is in no platform's column of the table.
    QqNotInTable(String),
    /// `--min-llonebot` is not `x.y.z`.
    LlonebotMalformed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minimums {
    pub qq: QqMinimum,
    pub llonebot: Dotted,
}

impl Minimums {
    pub fn resolve(
        min_qq: Option<&str>,
        min_llonebot: Option<&str>,
        table: &BuildTable,
    ) -> Result<Minimums, MinError> {
        let qq = resolve_qq_minimum(min_qq.unwrap_or(DEFAULT_MIN_QQ), table)?;
        let llonebot = match min_llonebot {
            Some(s) => Dotted::parse(s).map_err(|_| MinError::LlonebotMalformed(s.to_string()))?,
            None => DEFAULT_MIN_LLONEBOT,
        };
        Ok(Minimums { qq, llonebot })
    }
}

/// `9.9.16-28788` → build 28788 as given; `9.9.15` / `3.2.12` / `6.9.53` → the smallest build
/// in the table whose version on some platform has that `x.y.z`.
pub fn resolve_qq_minimum(s: &str, table: &BuildTable) -> Result<QqMinimum, MinError> {
    let v = QqVersion::parse(s).map_err(|_| MinError::QqMalformed(s.to_string()))?;
    if let Some(build) = v.build {
        return Ok(QqMinimum {
            build,
            text: v.to_string(),
        });
    }
    let (build, platform) = table
        .first_build_of(v.dotted)
        .ok_or_else(|| MinError::QqNotInTable(s.to_string()))?;
    let text = table
        .get(build)
        .and_then(|e| e.version_for(platform))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}-{build}", v.dotted));
    Ok(QqMinimum { build, text })
}

/// The installed QQ's build, from its version string; a version written without a build takes
/// the build read beside it (`package.json` `buildVersion`). A version that is not a version
/// is never rescued by that build: it stays unknown.
pub fn qq_build(version: Option<&str>, build_beside: Option<u32>) -> Result<u32, Reason> {
    let Some(version) = version else {
        return Err(Reason::VersionMissing);
    };
    match QqVersion::parse(version) {
        Ok(QqVersion { build: Some(b), .. }) => Ok(b),
        Ok(QqVersion { build: None, .. }) => build_beside.ok_or(Reason::NoBuildNumber),
        Err(_) => Err(Reason::VersionMalformed),
    }
}

/// QQ against its minimum, by the shared build number.
pub fn judge_qq(build: u32, min: &QqMinimum) -> Verdict {
    if build >= min.build {
        Verdict {
            status: Status::Ok,
            reason: Reason::MeetsMinimum,
        }
    } else {
        Verdict {
            status: Status::Outdated,
            reason: Reason::BelowMinimum,
        }
    }
}

/// A dotted version read from a file (`None`: the file had no version string).
pub fn read_dotted(version: Option<&str>) -> Result<Dotted, Reason> {
    let v = version.ok_or(Reason::VersionMissing)?;
    Dotted::parse(v).map_err(|e| match e {
        ParseError::Empty => Reason::VersionMissing,
        ParseError::TooLong | ParseError::Malformed => Reason::VersionMalformed,
    })
}

pub fn judge_llonebot(version: Option<&str>, min: Dotted) -> Verdict {
    match read_dotted(version) {
        Ok(v) if v >= min => Verdict {
            status: Status::Ok,
            reason: Reason::MeetsMinimum,
        },
        Ok(_) => Verdict {
            status: Status::Outdated,
            reason: Reason::BelowMinimum,
        },
        Err(r) => Verdict::unknown(r),
    }
}

/// LiteLoaderQQNT's minimum for a QQ build: 1.2.2 from build 28060 on, else none.
pub fn liteloader_minimum(qq_build: Option<u32>) -> Option<Dotted> {
    qq_build
        .filter(|b| *b >= LITELOADER_NEW_QQ_BUILD)
        .map(|_| LITELOADER_MIN_FOR_NEW_QQ)
}

pub fn judge_liteloader(version: Option<&str>, qq_build: Option<u32>) -> Verdict {
    let v = match read_dotted(version) {
        Ok(v) => v,
        Err(r) => return Verdict::unknown(r),
    };
    match liteloader_minimum(qq_build) {
        Some(min) if v < min => Verdict {
            status: Status::Outdated,
            reason: Reason::IncompatibleWithQq,
        },
        Some(_) => Verdict {
            status: Status::Ok,
            reason: Reason::MeetsMinimum,
        },
        None => Verdict {
            status: Status::Ok,
            reason: Reason::NoMinimum,
        },
    }
}

/// Does this LLOneBot keep messages in `database/` (so `msg_*` folders are leftovers)?
pub fn llonebot_uses_database(v: Dotted) -> bool {
    v >= LLONEBOT_DATABASE_SINCE
}

/// Does this LLOneBot run standalone?
pub fn llonebot_runs_standalone(v: Dotted) -> bool {
    v >= LLONEBOT_STANDALONE_SINCE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::table;

    fn min(s: &str) -> QqMinimum {
        resolve_qq_minimum(s, table()).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn qq(version: &str, m: &QqMinimum) -> Status {
        let b = qq_build(Some(version), None).unwrap_or_else(|r| panic!("{version}: {r:?}"));
        judge_qq(b, m).status
    }

    #[test]
    fn default_minimum_is_build_26702_on_every_platform() {
        let m = min(DEFAULT_MIN_QQ);
        assert_eq!(m.build, 26702);
        assert_eq!(m.text, "9.9.15-26702");
        assert_eq!(min("3.2.12").build, 26702);
        assert_eq!(min("3.2.12").text, "3.2.12-26702");
        assert_eq!(min("6.9.53").build, 27597);
        assert_eq!(min(" v9.9.16-28788 ").build, 28788);
        assert_eq!(min("9.9.16-28788").text, "9.9.16-28788");
        // A build unknown to the table is taken as given.
        assert_eq!(min("9.9.99-99999").build, 99999);
        assert_eq!(
            m.own_numbering(Platform::Linux, table()).as_deref(),
            Some("3.2.12-26702")
        );
        assert_eq!(m.own_numbering(Platform::Macos, table()), None);
        assert_eq!(
            m.install_target(Platform::Macos, table()).as_deref(),
            Some("6.9.53-27597")
        );
    }

    #[test]
    fn every_platform_form_at_and_around_the_boundary() {
        let m = min(DEFAULT_MIN_QQ);
        assert_eq!(qq("9.9.12-26466", &m), Status::Outdated);
        assert_eq!(qq("9.9.15-26702", &m), Status::Ok);
        assert_eq!(qq("3.2.10-25765", &m), Status::Outdated);
        assert_eq!(qq("3.2.12-26702", &m), Status::Ok);
        assert_eq!(qq("6.9.53-27597", &m), Status::Ok);
        assert_eq!(qq("3.2.13-29927", &m), Status::Ok);
        assert_eq!(qq("9.9.15-26701", &m), Status::Outdated);
        // The same versions against a higher minimum given in another platform's numbering.
        let m = min("3.2.13-28788");
        assert_eq!(qq("9.9.15-28418", &m), Status::Outdated);
        assert_eq!(qq("6.9.58-28971", &m), Status::Ok);
    }

    #[test]
    fn qq_build_needs_a_well_formed_version() {
        assert_eq!(qq_build(Some("9.9.15-28418"), Some(1)), Ok(28418));
        assert_eq!(qq_build(Some("9.9.15"), Some(28418)), Ok(28418));
        assert_eq!(qq_build(Some("9.9.15"), None), Err(Reason::NoBuildNumber));
        assert_eq!(
            qq_build(Some("9.9"), Some(28418)),
            Err(Reason::VersionMalformed)
        );
        assert_eq!(qq_build(None, Some(28418)), Err(Reason::VersionMissing));
        assert_eq!(
            qq_build(Some(&"9".repeat(10_000)), None),
            Err(Reason::VersionMalformed)
        );
    }

    #[test]
    fn llonebot_versions() {
        let m = DEFAULT_MIN_LLONEBOT;
        let s = |v: &str| judge_llonebot(Some(v), m);
        assert_eq!(s("3.28.2").status, Status::Outdated);
        assert_eq!(s("3.28.3").status, Status::Ok);
        assert_eq!(s("3.28.10").status, Status::Ok);
        assert_eq!(s("4.9.4").status, Status::Ok);
        assert_eq!(s("v3.28.3").status, Status::Ok);
        assert_eq!(s("3.28").reason, Reason::VersionMalformed);
        assert_eq!(s("").reason, Reason::VersionMissing);
        assert_eq!(judge_llonebot(None, m).reason, Reason::VersionMissing);
        assert_eq!(s("\u{0}\u{ff}junk").status, Status::Unknown);
        assert!(llonebot_uses_database(Dotted::new(3, 29, 0)));
        assert!(!llonebot_uses_database(Dotted::new(3, 28, 7)));
        assert!(llonebot_runs_standalone(Dotted::new(5, 0, 0)));
        assert!(!llonebot_runs_standalone(Dotted::new(4, 9, 4)));
    }

    #[test]
    fn liteloader_must_be_1_2_2_for_qq_28060_and_later() {
        let v = |ll: &str, b: Option<u32>| judge_liteloader(Some(ll), b);
        assert_eq!(v("1.1.2", Some(28131)).reason, Reason::IncompatibleWithQq);
        assert_eq!(v("1.1.2", Some(28131)).status, Status::Outdated);
        assert_eq!(v("1.2.2", Some(28131)).status, Status::Ok);
        assert_eq!(v("1.1.2", Some(28060)).status, Status::Outdated);
        assert_eq!(v("1.1.2", Some(28059)).reason, Reason::NoMinimum);
        assert_eq!(v("1.1.2", None).reason, Reason::NoMinimum);
        assert_eq!(v("1.2", Some(28131)).status, Status::Unknown);
        assert_eq!(liteloader_minimum(Some(30000)), Some(Dotted::new(1, 2, 2)));
        assert_eq!(liteloader_minimum(Some(26702)), None);
    }

    #[test]
    fn malformed_minimums_are_refused_by_name() {
        let r = |q: Option<&str>, l: Option<&str>| Minimums::resolve(q, l, table());
        assert_eq!(
            r(Some("9.9"), None),
            Err(MinError::QqMalformed("9.9".into()))
        );
        assert_eq!(
            r(Some("9.9.99"), None),
            Err(MinError::QqNotInTable("9.9.99".into()))
        );
        assert_eq!(
            r(None, Some("3.28")),
            Err(MinError::LlonebotMalformed("3.28".into()))
        );
        assert_eq!(r(Some(""), None), Err(MinError::QqMalformed("".into())));
        let m = r(None, Some("v3.29.0")).expect("ok");
        assert_eq!(m.llonebot, Dotted::new(3, 29, 0));
        assert_eq!(m.qq.build, 26702);
    }
}
