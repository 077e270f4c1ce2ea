//! Tests of the timestamps of every stack and locale.
use super::*;

fn dated(line: &str) -> (Stamp, usize) {
    match lead(line.as_bytes()) {
        Lead::Dated { stamp, rest } => (stamp, rest),
        other => panic!("{line:?}: {other:?}"),
    }
}

#[test]
fn timestamps_in_every_known_shape() {
    let want = Stamp::from_parts(2024, 8, 2, 15, 3, 13);
    for line in [
        "2024/8/2 15:03:13 空(1511954122): x",
        "2024/08/02 15:03:13 x",
        "2024-08-02 15:03:13 | x",
        "2024-08-02T15:03:13.123Z x",
        "8/2/2024, 3:03:13 PM x",
        "02/08/2024, 15:03:13 x",
        "2.8.2024, 15:03:13 x",
        "[info] | 2024-08-02 15:03:13 | x",
        // toLocaleString() in other locales and ICU versions.
        "8/2/2024, 3:03:13\u{202f}PM [info] (1) | onebot x",
        "8/2/2024, 3:03:13\u{a0}PM x",
        "2024/8/2 下午3:03:13 x",
        "2024/8/2 午後3:03:13 x",
        "2024. 8. 2. 오후 3:03:13 x",
        "02/08/2024 15:03:13 x",
        "02.08.2024, 15:03:13 x",
        "2/8/2024, 3:03:13 pm x",
        "2024-08-02, 3:03:13 p.m. x",
        "2-8-2024, 15:03:13 x",
    ] {
        assert_eq!(dated(line).0, want, "{line}");
    }
    // The period is part of the timestamp: the message starts after it.
    assert_eq!(dated("8/2/2024, 3:03:13\u{202f}PM x").1, 22);
    assert_eq!(dated("8/2/2024, 3:03:13 p.m. x").1, 22);
    // A file's own order wins over the default when no field settles it.
    let us = Clock {
        year: None,
        month_first: Some(true),
    };
    assert_eq!(
        lead_at(b"3/2/2026, 09:00:03 x", us),
        lead(b"3/2/2026, 09:00:03 AM x").map_rest(|r| r - 3)
    );
    assert_eq!(date_order(b"25/3/2026, 09:00:03"), Some(false));
    assert_eq!(date_order(b"3/25/2026, 9:00:03 AM"), Some(true));
    assert_eq!(date_order(b"3/2/2026, 9:00:03 AM"), None);
    assert_eq!(date_order(b"2026/3/25 9:00:03"), None);
    assert_eq!(want.day(), days_from_civil(2024, 8, 2));
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    assert_eq!(
        dated("8/2/2024, 12:00:01 AM x").0,
        Stamp::from_parts(2024, 8, 2, 0, 0, 1)
    );
    assert_eq!(
        dated("2024/2/29 23:59:59 x").0,
        Stamp::from_parts(2024, 2, 29, 23, 59, 59)
    );
}

#[test]
fn not_dates_and_bad_dates() {
    for line in [
        "",
        "    at foo (bar.js:1:2)",
        "{}",
        "Error: x",
        "12345 apples",
        "1.5 x",
    ] {
        assert_eq!(lead(line.as_bytes()), Lead::Undated, "{line:?}");
    }
    for line in [
        "2024/13/2 15:03:13 x",
        "2023/2/29 10:00:00 x",
        "2024/8/2 25:03:13 x",
        "2024/8/2 15:3 x",
        "2024/8/2",
        "2024/8/2 15:03:13 AM x",
    ] {
        // The last one: 15 o'clock with AM.
        assert_eq!(lead(line.as_bytes()), Lead::BadDate, "{line:?}");
    }
}

#[test]
fn a_shared_timestamp_reads_the_same() {
    let lines: [&[u8]; 16] = [
        "2024/8/2 15:03:13 空(1): 收到http请求 /send_msg {}".as_bytes(),
        b"2024/8/2 15:03:13 x",
        b"2024/8/2 15:03:13",
        b"2024/8/2 15:03:13 ",
        b"2024/8/2 15:03:13.5 x",
        b"2024/8/2 15:03:13. x",
        b"2024/8/2 15:03:13 PM",
        b"2024/8/2 15:03:13 pmx",
        b"2024/8/2 15:03:13 Ax",
        b"2024/8/2 15:03:134",
        b"2024/8/2 15:03:13,",
        b"8/2/2024, 3:03:13 PM x",
        b"8/2/2024, 3:03:13 PM",
        b"[info] | 2025-01-05 10:00:00 | x",
        b"[error] | 2025-01-05 10:00:00 | x",
        b"2024-08-02T15:03:13.123Z x",
    ];
    for prev in lines {
        let Lead::Dated { rest, .. } = lead(prev) else {
            continue;
        };
        for line in lines {
            if same_lead(line, prev, rest) {
                assert_eq!(
                    lead(line),
                    lead(prev),
                    "{:?} after {:?}",
                    String::from_utf8_lossy(line),
                    String::from_utf8_lossy(prev)
                );
            }
        }
    }
    let a = b"2024/8/2 15:03:13 x";
    assert!(same_lead(b"2024/8/2 15:03:13 y", a, 17));
    assert!(!same_lead(b"2024/8/2 15:03:14 y", a, 17));
}

proptest::proptest! {
    #[test]
    fn same_lead_agrees_with_lead(
        date in "(2024/8/2 |2024-08-02 |8/2/2024, |\\[info\\] \\| 2025-01-05 )1[0-9]:0[0-9]:[0-5][0-9]",
        prev_tail in "[ .APpamx0-9]{0,4}",
        tail in "[ .APpamx0-9,]{0,4}",
    ) {
        let prev = format!("{date}{prev_tail}");
        let line = format!("{date}{tail}");
        if let Lead::Dated { rest, .. } = lead(prev.as_bytes())
            && same_lead(line.as_bytes(), prev.as_bytes(), rest)
        {
            proptest::prop_assert_eq!(lead(line.as_bytes()), lead(prev.as_bytes()));
        }
    }
}

proptest::proptest! {
    /// The fixed-place reading of `YYYY-MM-DD HH:mm:ss` gives what the reading field by field
    /// gives, for any bytes in and after it.
    #[test]
    fn padded_dates_read_as_every_date(
        date in "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}",
        cut in 0usize..24,
        tail in "[ .:,|APpamx0-9\u{202f}\u{a0}下]{0,5}",
        month_first in proptest::option::of(proptest::bool::ANY),
    ) {
        let mut line = format!("{date}{tail}").into_bytes();
        line.truncate(cut.max(15));
        proptest::prop_assert_eq!(datetime(&line, month_first), datetime_any(&line, month_first));
    }
}

#[test]
fn padded_dates_at_their_edges() {
    for l in [
        "2024-02-29 23:59:60 x",
        "2023-02-29 10:00:00 x",
        "2024-13-01 10:00:00 x",
        "2024-00-01 10:00:00 x",
        "2024-01-00 10:00:00 x",
        "2024-01-01 24:00:00 x",
        "2024-01-01 10:60:00 x",
        "2024-01-01 10:00:61",
        "2024-01-01 10:00:00",
        "2024-01-01 10:00:00.123 x",
        "2024-01-01 10:00:00 PM x",
        "2024-01-01 10:00:00 am",
        "2024-01-01 10:00:00\u{202f}PM",
        "2024-01-01 10:00:001 x",
        "2024-01-01 1a:00:00 x",
    ] {
        let b = l.as_bytes();
        assert_eq!(datetime(b, None), datetime_any(b, None), "{l}");
    }
}

#[test]
fn napcat_lines_take_the_year_of_their_file() {
    let h = Some(YearHint {
        year: 2025,
        month: 12,
    });
    let l = b"12-31 23:59:59 [error] bot | x";
    assert_eq!(
        lead_in(l, h),
        Lead::Dated {
            stamp: Stamp::from_parts(2025, 12, 31, 23, 59, 59),
            rest: 14
        }
    );
    // After New Year in a file started in December.
    let Lead::Dated { stamp, .. } = lead_in(b"01-01 00:00:01 [info] x", h) else {
        panic!()
    };
    assert_eq!(stamp, Stamp::from_parts(2026, 1, 1, 0, 0, 1));
    assert_eq!(lead(l), Lead::Undated);
    assert_eq!(lead_in(b"13-01 00:00:01 x", h), Lead::Undated);
    assert_eq!(lead_in(b"01-0", h), Lead::Undated);
}

#[test]
fn same_bytes_is_slice_equality_for_every_length() {
    for n in 0..48 {
        let a: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
        assert!(same_bytes(&a, &a.clone()), "{n}");
        for k in 0..n {
            let mut b = a.clone();
            b[k] ^= 0x20;
            assert!(!same_bytes(&a, &b), "{n}: byte {k}");
        }
        assert!(!same_bytes(&a, &a[..n.saturating_sub(1)]) || n == 0);
    }
}
