//! The policy's verdicts, table-driven: every platform's form at and around each bar.

use super::*;
use crate::version::table;

fn min(s: &str) -> QqMinimum {
    resolve_qq_minimum(s, table()).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

fn qq(version: &str, m: &QqMinimum) -> Status {
    let b = qq_build(Some(version), None).unwrap_or_else(|r| panic!("{version}: {r:?}"));
    judge_qq(b, m, None).status
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
fn liteloader_minimum_per_qq_build() {
    let v = |ll: &str, b: Option<u32>| judge_liteloader(Some(ll), b);
    assert_eq!(v("1.1.2", Some(28131)).reason, Reason::IncompatibleWithQq);
    assert_eq!(v("1.1.2", Some(28131)).status, Status::Outdated);
    assert_eq!(v("1.1.2", Some(28131)).rule, Some(Rule::LiteloaderForQq));
    assert_eq!(v("1.2.2", Some(28131)).status, Status::Ok);
    assert_eq!(v("1.1.2", Some(28060)).status, Status::Outdated);
    assert_eq!(v("1.1.2", Some(28059)).reason, Reason::NoMinimum);
    assert_eq!(v("1.1.2", None).reason, Reason::NoMinimum);
    assert_eq!(v("1.2", Some(28131)).status, Status::Unknown);
    // "34xxx" needs 1.2.4; 41857 and later need 1.4.0.
    assert_eq!(v("1.2.2", Some(34740)).status, Status::Outdated);
    assert_eq!(v("1.2.4", Some(34740)).status, Status::Ok);
    assert_eq!(v("1.3.0", Some(41857)).status, Status::Outdated);
    assert_eq!(v("1.4.1", Some(53644)).status, Status::Ok);
    // 1.3.0 and later dropped the builds before 34xxx.
    assert_eq!(v("1.3.0", Some(29927)).reason, Reason::DroppedQqBuild);
    assert_eq!(liteloader_minimum(Some(30000)), Some(Dotted::new(1, 2, 2)));
    assert_eq!(liteloader_minimum(Some(26702)), None);
}

#[test]
fn login_floor_outranks_the_minimum_and_min_qq_does_not_move_it() {
    let floor = LoginFloor::from_table(floors()).expect("a floor");
    assert_eq!(floor.build, 37475);
    let m = min(DEFAULT_MIN_QQ);
    let j = |v: &str, m: &QqMinimum| {
        let b = qq_build(Some(v), None).unwrap_or_else(|r| panic!("{v}: {r:?}"));
        judge_qq(b, m, Some(&floor))
    };
    // Table-driven: each platform's string, its build, its verdict and the deciding rule.
    for (v, status, rule) in [
        ("9.9.12-26466", Status::Refused, Rule::LoginFloor),
        ("9.9.15-28131", Status::Refused, Rule::LoginFloor),
        ("3.2.13-29927", Status::Refused, Rule::LoginFloor),
        ("6.9.66-32690", Status::Refused, Rule::LoginFloor),
        ("9.9.19-34606", Status::Refused, Rule::LoginFloor),
        ("9.9.19-34740", Status::Refused, Rule::LoginFloor),
        ("3.2.17-34740", Status::Refused, Rule::LoginFloor),
        ("9.9.20-37475", Status::Ok, Rule::LoginFloor),
        ("3.2.18-37475", Status::Ok, Rule::LoginFloor),
        ("6.9.82-40768", Status::Ok, Rule::LoginFloor),
        ("9.9.36-53644", Status::Ok, Rule::LoginFloor),
        ("7.0.2-53644", Status::Ok, Rule::LoginFloor),
    ] {
        let got = j(v, &m);
        assert_eq!((got.status, got.rule), (status, Some(rule)), "{v}");
    }
    // A lower --min-qq changes nothing; a higher one is the deciding rule above the floor.
    assert_eq!(j("9.9.18-33800", &min("9.9.12")).status, Status::Refused);
    let high = min("9.9.36-53644");
    assert_eq!(
        (
            j("9.9.35-52892", &high).status,
            j("9.9.35-52892", &high).rule
        ),
        (Status::Outdated, Some(Rule::Minimum))
    );
    assert_eq!(j("9.9.36-53644", &high).rule, Some(Rule::Minimum));
    let mins = Minimums::resolve(Some("9.9.12"), None, table()).expect("ok");
    assert_eq!(mins.login_floor.as_ref().map(|f| f.build), Some(37475));
    let mins = mins.with_login_floor(Some("30000"), table()).expect("ok");
    assert_eq!(
        mins.login_floor.as_ref().map(|f| (f.build, f.origin)),
        Some((30000, FloorOrigin::Flag))
    );
    assert_eq!(
        Minimums::resolve(None, None, table()).and_then(|m| m.with_login_floor(Some("x"), table())),
        Err(MinError::LoginFloorMalformed("x".into()))
    );
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
    // Two numbers are taken as x.y.0.
    assert_eq!(
        r(None, Some("3.28")).map(|m| m.llonebot),
        Ok(Dotted::new(3, 28, 0))
    );
    assert_eq!(
        r(None, Some("3")),
        Err(MinError::LlonebotMalformed("3".into()))
    );
    assert_eq!(
        r(None, Some("3.28.x")),
        Err(MinError::LlonebotMalformed("3.28.x".into()))
    );
    assert_eq!(r(Some(""), None), Err(MinError::QqMalformed("".into())));
    let m = r(None, Some("v3.29.0")).expect("ok");
    assert_eq!(m.llonebot, Dotted::new(3, 29, 0));
    assert_eq!(m.qq.build, 26702);
}
