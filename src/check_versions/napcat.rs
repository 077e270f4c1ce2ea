//! NapCat's row: against `--min-napcat` when given (NapCat has no known minimum), and whether
//! it supports the QQ it runs on: NapCat looks QQ's full version up in the table its
//! `napcat.mjs` carries, so a QQ newer than the table (or missing from it) is `unsupported`.

use super::path::{Facts, QqTarget};
use super::{Component, Fact, MAX_SHOWN_HUMAN, MAX_SHOWN_JSON, Name, clip, text};
use crate::discover::NapCat;
use crate::exit::Failure;
use crate::i18n::t;
use crate::msg;
use crate::policy::support::{self, NapcatSupport};
use crate::policy::{self, Reason, Rule, Status, Verdict};
use crate::version::Dotted;

/// `--min-napcat`, checked before anything is read.
pub(super) fn min_napcat(min: Option<&str>) -> Result<Option<Dotted>, Failure> {
    min.map(|m| {
        Dotted::parse(m.trim().trim_start_matches('v')).map_err(|_| {
            Failure::usage(msg!(
                "cv.min_napcat_malformed",
                value = format!("{:?}", clip(m, MAX_SHOWN_HUMAN))
            ))
        })
    })
    .transpose()
}

pub(super) fn napcat(
    n: &NapCat,
    min: Option<Dotted>,
    facts: &Facts,
    target: Option<&QqTarget>,
) -> Component {
    let version = n.version.as_deref();
    let mut verdict = match (policy::read_dotted(version), min) {
        (Ok(v), Some(m)) if v < m => Verdict {
            status: Status::Outdated,
            reason: Reason::BelowMinimum,
            rule: Some(Rule::Minimum),
        },
        (Ok(_), Some(_)) => Verdict {
            status: Status::Ok,
            reason: Reason::MeetsMinimum,
            rule: Some(Rule::Minimum),
        },
        (Ok(_), None) => Verdict {
            status: Status::Ok,
            reason: Reason::NoMinimum,
            rule: None,
        },
        (Err(r), _) => Verdict::unknown(r),
    };
    let mut facts_out = Vec::new();
    let support = match &n.qq_table {
        Some(table) => {
            facts_out.push(Fact::NapcatTable {
                entries: table.entries,
                newest: table.newest_for(facts.platform).map(str::to_string),
            });
            facts
                .qq_version
                .and_then(|q| support::napcat_support(&table.versions, q))
        }
        None => {
            if n.dir.is_some() {
                facts_out.push(Fact::NapcatTableUnread);
            }
            None
        }
    };
    if let Some(s) = support
        && verdict.status == Status::Ok
    {
        verdict = support::napcat_verdict(s);
    }
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Unsupported => Some(match (support, target) {
            (Some(NapcatSupport::Newer), _) => {
                text::update_napcat_text(facts.qq_version.map(|v| {
                    (
                        v,
                        version,
                        n.qq_table
                            .as_ref()
                            .and_then(|t| t.newest_for(facts.platform)),
                    )
                }))
            }
            (_, Some(t)) if !t.keep => text::install_qq_step_text(
                t.version.as_deref().unwrap_or("?"),
                facts.platform,
                text::InstallWhy::NapcatLists(version),
                None,
            ),
            _ => text::update_napcat_text(None),
        }),
        Status::Outdated | Status::Refused => Some(text::update_napcat_text(None)),
        Status::Unknown => Some(t("cv.napcat_unknown").to_string()),
    };
    Component {
        name: Name::Napcat,
        installed: version.map(|v| clip(v, MAX_SHOWN_JSON)),
        build: None,
        windows_equivalent: None,
        equivalents: None,
        minimum: min.map(|m| m.to_string()),
        minimum_build: None,
        status: verdict.status,
        reason: verdict.reason,
        rule: verdict.rule,
        login_floor: None,
        install: None,
        advice,
        facts: facts_out,
        staged_update: None,
        version_file: n.version_file.clone(),
        platform: None,
        minimum_foreign: false,
    }
}
