//! LLBot's row (LLOneBot 5+ standalone, the LLBot CLI/Desktop, Docker, 8.x headless): its
//! version from `package.json`, against the same minimum as the plugin (`--min-llonebot`); and,
//! when it drives QQ through PMHQ, whether PMHQ's output says it has no offsets for QQ's build.

use super::pmhq_log::OffsetsMissing;
use super::{Component, Fact, MAX_SHOWN_JSON, Name, clip, text};
use crate::discover::Instance;
use crate::i18n::t;
use crate::policy::support::{self, OffsetsCause};
use crate::policy::{self, Status};
use crate::version::Dotted;

pub(super) fn llbot(
    b: &Instance,
    min: Dotted,
    offsets: Option<&OffsetsMissing>,
    qq_build: Option<u32>,
) -> Component {
    let version = b.version.as_deref();
    let mut verdict = policy::judge_llonebot(version, min);
    let mut facts = Vec::new();
    // PMHQ gave up on the build QQ has now (or QQ's build is unknown): LLBot cannot start.
    let current = offsets.filter(|m| qq_build.is_none_or(|q| q == m.build));
    if let Some(m) = offsets {
        facts.push(Fact::PmhqOffsets { missing: m.clone() });
    }
    if let Some(m) = current
        && verdict.status == Status::Ok
    {
        verdict = support::offsets_verdict(m.cause);
    }
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Unsupported => current.map(|m| match m.cause {
            OffsetsCause::Unreachable => text::reach_offsets_text(m),
            _ => text::update_llbot_offsets_text(m.build),
        }),
        Status::Outdated | Status::Refused => Some(text::llonebot_outdated_text(min)),
        Status::Unknown => Some(t("cv.llbot_unknown").to_string()),
    };
    Component {
        name: Name::Llbot,
        installed: version.map(|v| clip(v, MAX_SHOWN_JSON)),
        build: None,
        windows_equivalent: None,
        equivalents: None,
        minimum: Some(min.to_string()),
        minimum_build: None,
        status: verdict.status,
        reason: verdict.reason,
        rule: verdict.rule,
        login_floor: None,
        install: (verdict.status == Status::Outdated).then(|| min.to_string()),
        advice,
        facts,
        staged_update: None,
        version_file: b.version_file.clone(),
        platform: None,
        minimum_foreign: false,
    }
}
