//! NapCat's row: checked against `--min-napcat` when given; without it, only whether its
//! version could be read (NapCat has no known minimum).

use super::{Component, MAX_SHOWN_HUMAN, MAX_SHOWN_JSON, Name, Report, clip};
use crate::discover::Installation;
use crate::exit::Failure;
use crate::i18n::t;
use crate::msg;
use crate::policy::{self, Reason, Rule, Status, Verdict};
use crate::version::Dotted;

pub(super) fn add_napcat(
    report: &mut Report,
    inst: &Installation,
    min: Option<&str>,
) -> Result<(), Failure> {
    let min = match min {
        Some(m) => Some(
            Dotted::parse(m.trim().trim_start_matches('v')).map_err(|_| {
                Failure::usage(msg!(
                    "cv.min_napcat_malformed",
                    value = format!("{:?}", clip(m, MAX_SHOWN_HUMAN))
                ))
            })?,
        ),
        None => None,
    };
    let Some(n) = &inst.napcat else {
        return Ok(());
    };
    let version = n.version.as_deref();
    let verdict = match (policy::read_dotted(version), min) {
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
    let advice = match verdict.status {
        Status::Ok => None,
        Status::Outdated | Status::Refused => Some(t("cv.napcat_outdated").to_string()),
        Status::Unknown => Some(t("cv.napcat_unknown").to_string()),
    };
    report.components.push(Component {
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
        facts: Vec::new(),
        version_file: n.version_file.clone(),
        platform: None,
        minimum_foreign: false,
    });
    report.ok = report.components.iter().all(|c| c.status == Status::Ok);
    Ok(())
}
