//! LLBot's row (LLOneBot 5+ standalone, the LLBot CLI/Desktop, Docker, 8.x headless): its
//! version from `package.json`, against the same minimum as the plugin (`--min-llonebot`).

use super::{Component, MAX_SHOWN_JSON, Name, clip, text};
use crate::discover::Instance;
use crate::i18n::t;
use crate::policy::{self, Status};
use crate::version::Dotted;

pub(super) fn llbot(b: &Instance, min: Dotted) -> Component {
    let version = b.version.as_deref();
    let verdict = policy::judge_llonebot(version, min);
    let advice = match verdict.status {
        Status::Ok => None,
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
        facts: Vec::new(),
        version_file: b.version_file.clone(),
        platform: None,
        minimum_foreign: false,
    }
}
