//! The live checks (`--probe`): asks the running LLOneBot of each account over HTTP.

use super::config::{HTTP_OFF, Probeable};
use crate::{msg, probe};
use serde_json::json;

use super::{Finding, Severity, finding};

/// Whose listener may get an account's token: the instance's own processes (those of its data
/// folder's owner), else (none running) any process of that owner.
pub(super) fn expected_listener(i: &crate::discover::Instance) -> crate::listener::Expected {
    let uid = i.owner.as_ref().map(|o| o.uid);
    let pids = i
        .running
        .iter()
        .filter(|p| uid.is_none() || p.uid.is_none() || p.uid == uid)
        .map(|p| p.pid)
        .collect();
    crate::listener::Expected { pids, uid }
}

/// How to turn on the HTTP API that `--probe` asks: NapCat's config is not LLOneBot's.
pub(super) fn remedy_probe_none(i: &crate::discover::Instance) -> crate::i18n::Msg {
    if i.stack == crate::stack::napcat::STACK.id {
        msg!("doctor.remedy_probe_none_napcat")
    } else {
        msg!("doctor.remedy_probe_none")
    }
}

/// Asks each account of one instance; only the instance's own listener (`expected_listener`)
/// may be sent its token.
pub(super) fn check_probe(
    accounts: &[Probeable],
    installed: Option<&str>,
    i: &crate::discover::Instance,
    f: &mut Vec<Finding>,
) {
    let expected = &expected_listener(i);
    for a in accounts {
        if a.port == HTTP_OFF {
            f.push(finding(
                format!("probe.{}", a.uin),
                Severity::Warn,
                msg!("doctor.probe_http_off", uin = a.uin),
                Some(remedy_probe_none(i)),
                serde_json::Value::Null,
            ));
            continue;
        }
        let r = probe::probe(&a.uin, a.port, &a.token, expected);
        let id = format!("probe.{}", a.uin);
        let data = json!(r);
        let (sev, message, remedy) = match &r.error {
            None => {
                let online = r.online == Some(true);
                let version = r.app_version.clone().unwrap_or_else(|| "?".into());
                let ms = r.rtt_ms.unwrap_or(0);
                let stale = installed.is_some_and(|i| {
                    r.app_version
                        .as_deref()
                        .is_some_and(|v| v.trim_start_matches('v') != i)
                });
                if stale {
                    let installed = installed.unwrap_or_default();
                    (
                        Severity::Warn,
                        msg!(
                            "doctor.probe_stale",
                            uin = a.uin,
                            version = version,
                            installed = installed
                        ),
                        Some(msg!("doctor.remedy_stale")),
                    )
                } else if online {
                    (
                        Severity::Ok,
                        msg!("doctor.probe_ok", uin = a.uin, version = version, ms = ms),
                        None,
                    )
                } else {
                    (
                        Severity::Warn,
                        msg!("doctor.probe_offline", uin = a.uin, version = version),
                        Some(msg!("doctor.remedy_offline")),
                    )
                }
            }
            Some(probe::ProbeError::Refused) => (
                Severity::Fail,
                msg!("doctor.probe_refused", uin = a.uin, port = a.port),
                Some(msg!("doctor.remedy_refused")),
            ),
            Some(probe::ProbeError::Unauthorized { status }) => (
                Severity::Fail,
                msg!("doctor.probe_auth", uin = a.uin, status = status),
                Some(msg!("doctor.remedy_auth")),
            ),
            Some(probe::ProbeError::Timeout) => (
                Severity::Fail,
                msg!("doctor.probe_timeout", uin = a.uin, port = a.port),
                Some(msg!("doctor.remedy_probe_timeout")),
            ),
            Some(probe::ProbeError::Http { status }) => (
                Severity::Fail,
                msg!("doctor.probe_http", uin = a.uin, status = status),
                Some(msg!("doctor.remedy_probe_other")),
            ),
            Some(probe::ProbeError::Malformed { detail }) => (
                Severity::Fail,
                msg!("doctor.probe_malformed", uin = a.uin, detail = detail),
                Some(msg!("doctor.remedy_probe_other")),
            ),
            Some(probe::ProbeError::Failed { retcode, message }) => (
                Severity::Fail,
                msg!(
                    "doctor.probe_failed",
                    uin = a.uin,
                    retcode = retcode,
                    message = message
                ),
                Some(msg!("doctor.remedy_probe_other")),
            ),
            Some(probe::ProbeError::Io { detail }) => (
                Severity::Fail,
                msg!("doctor.probe_io", uin = a.uin, detail = detail),
                Some(msg!("doctor.remedy_probe_other")),
            ),
            Some(probe::ProbeError::OtherAccount { self_id }) => (
                Severity::Fail,
                msg!(
                    "doctor.probe_other_account",
                    uin = a.uin,
                    port = a.port,
                    other = self_id
                ),
                Some(msg!("doctor.remedy_probe_other_account")),
            ),
            Some(probe::ProbeError::NotTheBot { holders }) => (
                Severity::Fail,
                msg!(
                    "doctor.probe_not_bot",
                    uin = a.uin,
                    port = a.port,
                    holders = holders,
                    expected = expected_words(expected)
                ),
                Some(msg!("doctor.remedy_probe_not_bot", port = a.port)),
            ),
            Some(probe::ProbeError::Unverified { detail }) => (
                Severity::Fail,
                msg!(
                    "doctor.probe_unverified",
                    uin = a.uin,
                    port = a.port,
                    detail = detail
                ),
                Some(msg!("doctor.remedy_probe_unverified")),
            ),
        };
        f.push(finding(id, sev, message, remedy, data));
    }
}

/// Whose listener was expected, in words.
fn expected_words(e: &crate::listener::Expected) -> String {
    if !e.pids.is_empty() {
        let pids: Vec<String> = e.pids.iter().map(u32::to_string).collect();
        crate::tf!("listener.expected_pids", pids = pids.join(", "))
    } else if let Some(uid) = e.uid {
        crate::tf!(
            "listener.expected_owner",
            user = crate::process::user_name(uid)
        )
    } else {
        crate::i18n::t("listener.expected_me").to_string()
    }
}
