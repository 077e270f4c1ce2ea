//! Does the bot support the QQ build it runs on? NapCat carries a table of the QQ versions it
//! knows (its `appid.json`) and looks the running QQ's full version up in it; LLBot in PMHQ mode
//! needs PMHQ's offsets for the build, fetched at run time and reported only in its output.
//! Facts in, verdicts out; the table and the log lines are read by discovery and
//! `check_versions`.

use super::{Reason, Rule, Status, Verdict};
use crate::env::Platform;
use crate::version::{QqVersion, platform_of};

/// Where a QQ version stands against NapCat's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NapcatSupport {
    /// The table lists this exact version.
    Listed,
    /// Newer than the newest version the table lists for this platform.
    Newer,
    /// Not listed, and not newer (an older or in-between build).
    Missing,
}

/// The entries of one platform, parsed.
fn of_platform(table: &[String], p: Platform) -> impl Iterator<Item = (QqVersion, &String)> {
    table
        .iter()
        .filter_map(|s| Some((QqVersion::parse(s).ok()?, s)))
        .filter(move |(q, _)| platform_of(q) == Some(p))
}

/// NapCat matches the full version string (`9.9.35-52892`), as QQ's `curVersion` writes it.
/// `None` when the version has no build or no known platform numbering.
pub fn napcat_support(table: &[String], qq: &str) -> Option<NapcatSupport> {
    let v = QqVersion::parse(qq).ok()?;
    let build = v.build?;
    let p = platform_of(&v)?;
    if table.iter().any(|t| t == qq.trim()) {
        return Some(NapcatSupport::Listed);
    }
    let newest = of_platform(table, p)
        .map(|(q, _)| (q.dotted, q.build))
        .max();
    Some(match newest {
        Some(n) if (v.dotted, Some(build)) > n => NapcatSupport::Newer,
        _ => NapcatSupport::Missing,
    })
}

pub fn napcat_verdict(s: NapcatSupport) -> Verdict {
    let (status, reason) = match s {
        NapcatSupport::Listed => (Status::Ok, Reason::KnowsQqBuild),
        NapcatSupport::Newer => (Status::Unsupported, Reason::QqNewerThanBot),
        NapcatSupport::Missing => (Status::Unsupported, Reason::QqNotInBotTable),
    };
    Verdict {
        status,
        reason,
        rule: Some(Rule::BotSupport),
    }
}

/// The newest version NapCat lists for a platform at or above a build (the QQ to install for
/// it), as the table writes it; of those `real` accepts (builds known to exist) when any.
pub fn napcat_best_from(
    table: &[String],
    p: Platform,
    from: u32,
    real: impl Fn(&str) -> bool,
) -> Option<String> {
    let best = |only_real: bool| {
        of_platform(table, p)
            .filter(|(q, _)| q.build.is_some_and(|b| b >= from))
            .filter(|(_, s)| !only_real || real(s))
            .max_by_key(|(q, _)| (q.dotted, q.build))
            .map(|(_, s)| s.clone())
    };
    best(true).or_else(|| best(false))
}

/// What PMHQ's output says about the offsets for a QQ build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetsCause {
    /// Neither PMHQ nor its server has offsets for the build yet ("远程也没有版本 N 的偏移数据").
    NotYet,
    /// No local offsets, and the offsets server could not be reached ("从远程获取偏移数据失败").
    Unreachable,
    /// Only "未找到当前 QQ 版本 (N) 的偏移数据" was seen.
    Unknown,
}

pub fn offsets_verdict(c: OffsetsCause) -> Verdict {
    let reason = match c {
        OffsetsCause::Unreachable => Reason::OffsetsUnreachable,
        OffsetsCause::NotYet | OffsetsCause::Unknown => Reason::NoOffsetsForQq,
    };
    Verdict {
        status: Status::Unsupported,
        reason,
        rule: Some(Rule::BotSupport),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<String> {
        [
            "9.9.19-34740",
            "3.2.17-34740",
            "6.9.61-29927",
            "9.9.32-50969",
            "3.2.30-50969",
            "9.9.32-55230",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn napcat_knows_exact_versions_only() {
        let t = table();
        let s = |q: &str| napcat_support(&t, q);
        assert_eq!(s("9.9.19-34740"), Some(NapcatSupport::Listed));
        assert_eq!(s(" 3.2.30-50969 "), Some(NapcatSupport::Listed));
        // Newer than the newest of its platform, by version first (9.9.35 > 9.9.32-55230).
        assert_eq!(s("9.9.35-52892"), Some(NapcatSupport::Newer));
        assert_eq!(s("3.2.33-52892"), Some(NapcatSupport::Newer));
        // An in-between or older build, and a platform the table has nothing newer for.
        assert_eq!(s("9.9.20-37475"), Some(NapcatSupport::Missing));
        assert_eq!(s("9.9.19-34606"), Some(NapcatSupport::Missing));
        assert_eq!(s("7.0.2-53644"), Some(NapcatSupport::Newer));
        assert_eq!(s("9.9.19"), None);
        assert_eq!(s("garbage"), None);
        let v = napcat_verdict(NapcatSupport::Newer);
        assert_eq!(
            (v.status, v.reason, v.rule),
            (
                Status::Unsupported,
                Reason::QqNewerThanBot,
                Some(Rule::BotSupport)
            )
        );
        assert_eq!(napcat_verdict(NapcatSupport::Listed).status, Status::Ok);
    }

    #[test]
    fn best_listed_version_at_or_above_a_build() {
        let t = table();
        let any = |_: &str| true;
        assert_eq!(
            napcat_best_from(&t, Platform::Linux, 37475, any).as_deref(),
            Some("3.2.30-50969")
        );
        assert_eq!(
            napcat_best_from(&t, Platform::Windows, 37475, any).as_deref(),
            Some("9.9.32-55230")
        );
        // A typo of the table (no such build) is passed over for a real one.
        let real = |s: &str| s != "9.9.32-55230";
        assert_eq!(
            napcat_best_from(&t, Platform::Windows, 37475, real).as_deref(),
            Some("9.9.32-50969")
        );
        assert_eq!(napcat_best_from(&t, Platform::Macos, 37475, any), None);
        assert_eq!(napcat_best_from(&t, Platform::Linux, 60000, any), None);
    }

    #[test]
    fn offsets_causes() {
        assert_eq!(
            offsets_verdict(OffsetsCause::Unreachable).reason,
            Reason::OffsetsUnreachable
        );
        assert_eq!(
            offsets_verdict(OffsetsCause::NotYet).reason,
            Reason::NoOffsetsForQq
        );
        assert_eq!(
            offsets_verdict(OffsetsCause::Unknown).status,
            Status::Unsupported
        );
    }
}
