use super::*;
use proptest::prelude::*;

fn d(s: &str) -> Dotted {
    Dotted::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

fn q(s: &str) -> QqVersion {
    QqVersion::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

#[test]
fn embedded_table_parses() {
    let t = BuildTable::from_json(BUILDS_JSON).expect("parses");
    assert!(t.entries().len() > 50);
    let e = t.get(26702).expect("26702 is in the table");
    assert_eq!(e.windows.as_deref(), Some("9.9.15-26702"));
    assert_eq!(e.linux.as_deref(), Some("3.2.12-26702"));
    let e = t.get(27597).expect("27597");
    assert_eq!(e.macos.as_deref(), Some("6.9.53-27597"));
    assert_eq!(
        t.get(29927).and_then(|e| e.windows.as_deref()),
        Some("9.9.16-29927")
    );
    assert!(t.get(29999).is_none());
    // Every string in it is a QQ version whose build is the entry's build.
    for e in t.entries() {
        for p in PLATFORMS {
            if let Some(v) = e.version_for(p) {
                assert_eq!(q(v).build, Some(e.build), "{v}");
            }
        }
    }
    // Sorted and without duplicates in the file itself (binary search relies on it, and
    // a new build goes in its place, not at the end).
    let raw: RawTable = serde_json::from_str(BUILDS_JSON).expect("parses");
    for w in raw.builds.windows(2) {
        assert!(
            w[0].build < w[1].build,
            "{} then {}",
            w[0].build,
            w[1].build
        );
    }
    // Each platform's numbering: Windows 9.x, Linux 3.x, macOS 6.x then 7.x.
    for e in t.entries() {
        for (p, majors) in [
            (Platform::Windows, &[9][..]),
            (Platform::Linux, &[3][..]),
            (Platform::Macos, &[6, 7][..]),
        ] {
            if let Some(v) = e.version_for(p) {
                assert!(majors.contains(&q(v).dotted.major), "{v} is not {p:?}'s");
            }
        }
    }
    // An entry without any platform's string says why.
    for e in t.entries() {
        let strings = PLATFORMS
            .iter()
            .filter(|p| e.version_for(**p).is_some())
            .count();
        assert!(strings > 0 || e.note.is_some(), "{} has no string", e.build);
        // Every row names where it was seen.
        assert!(
            e.source.as_deref().is_some_and(|s| !s.trim().is_empty()),
            "{} has no source",
            e.build
        );
    }
    assert_eq!(table().get(26702).map(|e| e.build), Some(26702));
}

#[test]
fn builds_of_2026() {
    let t = table();
    // The old typo 55230 is 52230 (Windows 9.9.33).
    assert!(t.get(55230).is_none());
    assert_eq!(
        t.get(52230).and_then(|e| e.windows.as_deref()),
        Some("9.9.33-52230")
    );
    for b in [
        51102, 51552, 51728, 51802, 52194, 52230, 52892, 53489, 53644,
    ] {
        assert!(t.get(b).is_some(), "{b}");
    }
    let e = t.get(53644).expect("53644");
    assert_eq!(e.windows.as_deref(), Some("9.9.36-53644"));
    assert_eq!(e.linux.as_deref(), Some("3.2.34-53644"));
    assert_eq!(e.macos.as_deref(), Some("7.0.2-53644"));
    assert_eq!(q("7.0.2-53644").dotted, d("7.0.2"));
    assert_eq!(t.first_build_of(d("7.0.2")), Some((53644, Platform::Macos)));
    assert_eq!(
        t.first_build_of(d("3.2.33")),
        Some((52892, Platform::Linux))
    );
    assert_eq!(
        t.first_for_platform_from(Platform::Macos, 42942),
        Some("6.9.88-44725")
    );
}

#[test]
fn minimum_forms_map_to_their_first_build() {
    let t = table();
    assert_eq!(
        t.first_build_of(d("9.9.15")),
        Some((26702, Platform::Windows))
    );
    assert_eq!(
        t.first_build_of(d("3.2.12")),
        Some((26702, Platform::Linux))
    );
    assert_eq!(
        t.first_build_of(d("6.9.53")),
        Some((27597, Platform::Macos))
    );
    assert_eq!(
        t.first_build_of(d("9.9.16")),
        Some((28788, Platform::Windows))
    );
    assert_eq!(t.first_build_of(d("9.9.99")), None);
    assert_eq!(
        t.first_for_platform_from(Platform::Macos, 26702),
        Some("6.9.53-27597")
    );
    assert_eq!(
        t.first_for_platform_from(Platform::Linux, 26702),
        Some("3.2.12-26702")
    );
    assert_eq!(t.first_for_platform_from(Platform::Linux, 99_999), None);
}

#[test]
fn numbering_names_the_platform() {
    let p = |s: &str| platform_of(&q(s));
    assert_eq!(p("9.9.35-52892"), Some(Platform::Windows));
    assert_eq!(p("3.2.33-52892"), Some(Platform::Linux));
    assert_eq!(p("6.9.61-29927"), Some(Platform::Macos));
    assert_eq!(p("7.0.2-53644"), Some(Platform::Macos));
    assert_eq!(p("1.0.0-1"), None);
}

#[test]
fn dotted_versions_compare_numerically() {
    assert!(d("3.28.10") > d("3.28.3"));
    assert!(d("3.28.2") < d("3.28.3"));
    assert!(d("4.9.4") > d("3.28.3"));
    assert_eq!(d("3.28.3"), d("3.028.3"));
    assert_eq!(d("1.2.2").to_string(), "1.2.2");
}

#[test]
fn leading_v_and_whitespace_are_accepted() {
    assert_eq!(d("v3.28.3"), d("3.28.3"));
    assert_eq!(d("  V3.28.3 \n"), d("3.28.3"));
    assert_eq!(q(" v9.9.15-28418\t"), q("9.9.15-28418"));
    // Only one v, and only before the number.
    assert!(Dotted::parse("vv3.28.3").is_err());
    assert!(Dotted::parse("v 3.28.3").is_err());
    assert!(Dotted::parse("3.28.3v").is_err());
}

#[test]
fn malformed_versions_are_errors() {
    for bad in [
        "",
        "   ",
        "v",
        "9.9",
        "3",
        "3.28",
        "3.28.3.1",
        "3..3",
        "3.28.",
        ".3.28",
        "a.b.c",
        "3.28.3-beta",
        "+3.28.3",
        "3.-28.3",
        "3 .28.3",
        "99999999999.0.0",
        "３.２８.３",
        "3.28.3\0",
    ] {
        assert!(Dotted::parse(bad).is_err(), "{bad:?} parsed");
    }
    assert_eq!(Dotted::parse(""), Err(ParseError::Empty));
    assert_eq!(Dotted::parse(&"9".repeat(100)), Err(ParseError::TooLong));
    assert_eq!(
        Dotted::parse(&"1.".repeat(1_000_000)),
        Err(ParseError::TooLong)
    );
    for bad in [
        "9.9",
        "9.9.15-",
        "9.9.15-abc",
        "9.9.15-28418-1",
        "9.9.15--28418",
        "-28418",
        "9.9.15-99999999999",
        "9.9.15-+1",
    ] {
        assert!(QqVersion::parse(bad).is_err(), "{bad:?} parsed");
    }
}

#[test]
fn qq_versions_compare_by_build_across_platforms() {
    let win = q("9.9.15-26702");
    let linux = q("3.2.12-26702");
    let mac = q("6.9.53-27597");
    assert_eq!(win.cmp_build(&linux), Some(Ordering::Equal));
    assert_eq!(mac.cmp_build(&win), Some(Ordering::Greater));
    assert_eq!(q("9.9.12-26466").cmp_build(&win), Some(Ordering::Less));
    assert_eq!(q("9.9.15").build, None);
    assert_eq!(q("9.9.15").cmp_build(&win), None);
    assert_eq!(q("3.2.13-29927").to_string(), "3.2.13-29927");
}

proptest! {
    #[test]
    fn parsers_never_panic_on_strings(s in any::<String>()) {
        let _ = Dotted::parse(&s);
        let _ = QqVersion::parse(&s);
    }

    #[test]
    fn parsers_never_panic_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        let s = String::from_utf8_lossy(&b);
        let _ = Dotted::parse(&s);
        let _ = QqVersion::parse(&s);
    }

    #[test]
    fn version_like_strings_never_panic(s in "[vV ]?[0-9.+\\-]{0,40}[ \t]?") {
        let _ = Dotted::parse(&s);
        let _ = QqVersion::parse(&s);
    }

    #[test]
    fn dotted_round_trips_and_compares_antisymmetrically(
        a in (0u32..50, 0u32..50, 0u32..50),
        b in (0u32..50, 0u32..50, 0u32..50),
    ) {
        let sa = format!("{}.{}.{}", a.0, a.1, a.2);
        let sb = format!("v{}.{}.{} ", b.0, b.1, b.2);
        let va = Dotted::parse(&sa).expect("well-formed");
        let vb = Dotted::parse(&sb).expect("well-formed");
        prop_assert_eq!(va.to_string(), sa.clone());
        prop_assert_eq!(va.cmp(&vb), vb.cmp(&va).reverse());
        prop_assert_eq!(va.cmp(&vb), a.cmp(&b));
        prop_assert_eq!(Dotted::parse(&va.to_string()), Ok(va));
    }

    #[test]
    fn qq_compare_is_antisymmetric_and_by_build(
        a in (0u32..10, 0u32..10, 0u32..100, 0u32..100_000),
        b in (0u32..10, 0u32..10, 0u32..100, 0u32..100_000),
    ) {
        let va = QqVersion::parse(&format!("{}.{}.{}-{}", a.0, a.1, a.2, a.3)).expect("ok");
        let vb = QqVersion::parse(&format!("{}.{}.{}-{}", b.0, b.1, b.2, b.3)).expect("ok");
        let ab = va.cmp_build(&vb).expect("both have builds");
        let ba = vb.cmp_build(&va).expect("both have builds");
        prop_assert_eq!(ab, ba.reverse());
        prop_assert_eq!(ab, a.3.cmp(&b.3));
        prop_assert_eq!(QqVersion::parse(&va.to_string()), Ok(va));
    }
}
