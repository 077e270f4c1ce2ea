//! The version policy: the minimums (QQ 9.9.15, LLOneBot 3.28.3), Tencent's login floor, the
//! LiteLoaderQQNT compatibility rules, and the verdict each installed version gets. No human
//! text here: the verdicts are enums that `check_versions` renders.

mod floor;
pub mod liteloader;
pub mod support;

use serde::Serialize;

use crate::env::Platform;
use crate::version::{BuildTable, Dotted, ParseError, QqVersion};

pub use floor::{FloorEntry, FloorOrigin, FloorTable, LoginFloor, floors};

/// The default QQ minimum as users know it (Windows numbering): build 26702 on every platform.
pub const DEFAULT_MIN_QQ: &str = "9.9.15";
/// The default LLOneBot minimum.
pub const DEFAULT_MIN_LLONEBOT: Dotted = Dotted::new(3, 28, 3);
/// From this QQ build on, LiteLoaderQQNT has a minimum at all (the first row of
/// [`liteloader::LL_MINIMUMS`]).
pub const LITELOADER_NEW_QQ_BUILD: u32 = 28060;
/// From this LLOneBot version on, messages live in `database/`; `msg_*` folders are leftovers.
pub const LLONEBOT_DATABASE_SINCE: Dotted = Dotted::new(3, 29, 0);
/// From this LLOneBot version on, it runs standalone (no LiteLoaderQQNT).
pub const LLONEBOT_STANDALONE_SINCE: Dotted = Dotted::new(5, 0, 0);

pub const LITELOADER_RELEASES: &str = "https://github.com/LiteLoaderQQNT/LiteLoaderQQNT/releases";
pub const LLONEBOT_RELEASES: &str = "https://github.com/LLOneBot/LLOneBot/releases";
/// LLBot (LLOneBot 5+, the CLI and Desktop): where the plugin's users move to.
pub const LLBOT_RELEASES: &str = "https://github.com/LLOneBot/LuckyLilliaBot/releases";
pub const NAPCAT_RELEASES: &str = "https://github.com/NapNeko/NapCatQQ/releases";
/// The last release of the LLOneBot plugin for LiteLoaderQQNT.
pub const LLONEBOT_PLUGIN_LAST: Dotted = Dotted::new(4, 9, 4);
pub const LLONEBOT_PLUGIN_LAST_DATE: &str = "2025-05-12";
/// The newest QQ build the plugin line was released for: LLOneBot 4.9.4 shipped a bundle with
/// QQ 34958 (`LLOneBot_QQ34958_win_x64.7z`, LuckyLilliaBot #572). A QQ that must move past it
/// (the login floor is above it) leaves the plugin behind.
pub const LLONEBOT_PLUGIN_LAST_QQ_BUILD: u32 = 34958;

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
    /// QQ: below Tencent's login floor, so it cannot log in at all.
    Refused,
    /// A bot that does not support the QQ build it runs on (NapCat's table lacks it, PMHQ has
    /// no offsets for it).
    Unsupported,
    Unknown,
}

/// Which rule decided a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The minimum asked for (`--min-qq`, `--min-llonebot`, or the defaults).
    Minimum,
    /// Tencent's login floor (the table in `data/login-floor.json`, or `--login-floor`).
    LoginFloor,
    /// LiteLoaderQQNT's own minimum for the QQ build, or the builds its line dropped.
    LiteloaderForQq,
    /// Does the bot support this QQ build (NapCat's table, PMHQ's offsets in the logs)?
    BotSupport,
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
    /// QQ below Tencent's login floor.
    BelowLoginFloor,
    /// LiteLoaderQQNT too old for the installed QQ build.
    IncompatibleWithQq,
    /// LiteLoaderQQNT's line dropped support for the installed (older) QQ build.
    DroppedQqBuild,
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
    /// NapCat lists this QQ build in its table.
    KnowsQqBuild,
    /// The QQ build is newer than the newest one in NapCat's table.
    QqNewerThanBot,
    /// NapCat's table has no entry for this QQ build (an older or in-between one).
    QqNotInBotTable,
    /// PMHQ's logs: no offsets for this QQ build, locally or on its server.
    NoOffsetsForQq,
    /// PMHQ's logs: no local offsets for this QQ build, and its offsets server was unreachable.
    OffsetsUnreachable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub reason: Reason,
    /// The rule that decided it (`None`: no rule could be applied).
    pub rule: Option<Rule>,
}

impl Verdict {
    pub const fn unknown(reason: Reason) -> Verdict {
        Verdict {
            status: Status::Unknown,
            reason,
            rule: None,
        }
    }

    const fn new(status: Status, reason: Reason, rule: Rule) -> Verdict {
        Verdict {
            status,
            reason,
            rule: Some(rule),
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
    /// `--login-floor` is neither a build number nor a QQ version the table knows.
    LoginFloorMalformed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minimums {
    pub qq: QqMinimum,
    pub llonebot: Dotted,
    /// Tencent's login floor: the table's newest unless `--login-floor` replaced it.
    pub login_floor: Option<LoginFloor>,
}

impl Minimums {
    pub fn resolve(
        min_qq: Option<&str>,
        min_llonebot: Option<&str>,
        table: &BuildTable,
    ) -> Result<Minimums, MinError> {
        let qq = resolve_qq_minimum(min_qq.unwrap_or(DEFAULT_MIN_QQ), table)?;
        let llonebot = match min_llonebot {
            Some(s) => parse_minimum(s).map_err(|_| MinError::LlonebotMalformed(s.to_string()))?,
            None => DEFAULT_MIN_LLONEBOT,
        };
        Ok(Minimums {
            qq,
            llonebot,
            login_floor: LoginFloor::from_table(floors()),
        })
    }

    /// Replaces the table's login floor with `--login-floor`.
    pub fn with_login_floor(
        mut self,
        flag: Option<&str>,
        table: &BuildTable,
    ) -> Result<Minimums, MinError> {
        if let Some(s) = flag {
            let f = LoginFloor::from_flag(s, table)
                .ok_or_else(|| MinError::LoginFloorMalformed(s.to_string()))?;
            self.login_floor = Some(f);
        }
        Ok(self)
    }
}

/// A minimum as users type it: `x.y.z`, or `x.y` taken as `x.y.0` (`3.28` is 3.28.0).
pub fn parse_minimum(s: &str) -> Result<Dotted, ParseError> {
    match Dotted::parse(s) {
        Ok(v) => Ok(v),
        Err(ParseError::Malformed) if s.trim().matches('.').count() == 1 => {
            Dotted::parse(&format!("{}.0", s.trim()))
        }
        Err(e) => Err(e),
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

/// QQ against its minimum and Tencent's login floor, by the shared build number. Below the
/// floor QQ cannot log in at all, which outranks any minimum; when both are met, the rule
/// named is the higher bar.
pub fn judge_qq(build: u32, min: &QqMinimum, floor: Option<&LoginFloor>) -> Verdict {
    if let Some(f) = floor
        && f.refuses(build)
    {
        return Verdict::new(Status::Refused, Reason::BelowLoginFloor, Rule::LoginFloor);
    }
    if build < min.build {
        return Verdict::new(Status::Outdated, Reason::BelowMinimum, Rule::Minimum);
    }
    let rule = match floor {
        Some(f) if f.build > min.build => Rule::LoginFloor,
        _ => Rule::Minimum,
    };
    Verdict::new(Status::Ok, Reason::MeetsMinimum, rule)
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
        Ok(v) if v >= min => Verdict::new(Status::Ok, Reason::MeetsMinimum, Rule::Minimum),
        Ok(_) => Verdict::new(Status::Outdated, Reason::BelowMinimum, Rule::Minimum),
        Err(r) => Verdict::unknown(r),
    }
}

/// LiteLoaderQQNT's minimum for a QQ build, from [`liteloader::LL_MINIMUMS`]: 1.2.2 from
/// 28060, 1.2.4 from 34231 ("34xxx"), 1.4.0 from 41857; none before 28060.
pub fn liteloader_minimum(qq_build: Option<u32>) -> Option<Dotted> {
    qq_build.and_then(liteloader::minimum_for).map(|r| r.min)
}

pub fn judge_liteloader(version: Option<&str>, qq_build: Option<u32>) -> Verdict {
    let v = match read_dotted(version) {
        Ok(v) => v,
        Err(r) => return Verdict::unknown(r),
    };
    if let Some(b) = qq_build
        && liteloader::dropped_for(v, b).is_some()
    {
        return Verdict::new(
            Status::Outdated,
            Reason::DroppedQqBuild,
            Rule::LiteloaderForQq,
        );
    }
    match liteloader_minimum(qq_build) {
        Some(min) if v < min => Verdict::new(
            Status::Outdated,
            Reason::IncompatibleWithQq,
            Rule::LiteloaderForQq,
        ),
        Some(_) => Verdict::new(Status::Ok, Reason::MeetsMinimum, Rule::LiteloaderForQq),
        None => Verdict {
            status: Status::Ok,
            reason: Reason::NoMinimum,
            rule: None,
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
mod tests;
