//! Property tests over names as users have them: Chinese, emoji (with joiners), combining
//! marks and any other character, mixed with the ASCII the name patterns look for (`.db`,
//! `config_`, digits, `-`). Every function that looks at a name from disk, the user or the OS
//! must answer for all of them without a panic (a name sliced by bytes inside a character once
//! made every clean of QQ's cache hang), and keep its rule for the ASCII part.
//!
//! The strategies here are shared by the name properties of `discover` and `stats`, whose
//! functions are private to them.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// One character of a name: what the patterns look for, and the characters users have.
pub(crate) fn name_char() -> impl Strategy<Value = char> {
    prop_oneof![
        select(vec![
            '.', '-', '_', ' ', 'd', 'b', 'j', 's', 'o', 'n', 'l', 'g'
        ]),
        proptest::char::range('0', '9'),
        proptest::char::range('a', 'z'),
        // CJK, and CJK punctuation (full-width: three bytes each).
        proptest::char::range('\u{4e00}', '\u{9fff}'),
        proptest::char::range('\u{3000}', '\u{303f}'),
        // Emoji, the zero-width joiner and variation selectors between them.
        proptest::char::range('\u{1f300}', '\u{1faff}'),
        select(vec!['\u{200d}', '\u{fe0f}']),
        // Combining marks.
        proptest::char::range('\u{0300}', '\u{036f}'),
        any::<char>(),
    ]
}

/// A name of up to 24 such characters.
pub(crate) fn name() -> impl Strategy<Value = String> {
    vec(name_char(), 0..24).prop_map(String::from_iter)
}

/// Endings and starts the name rules look for.
const SUFFIXES: [&str; 12] = [
    ".db", "-wal", "-shm", "-journal", ".json", ".log", ".log.1", ".zip", ".v2.db", ".mjs", "",
    "Temp",
];
const PREFIXES: [&str; 8] = [
    "config_",
    "msg_",
    "nt_qq_",
    "onebot11_",
    "llonebot-",
    "llbot-",
    "2024-06",
    "",
];

/// A name that often starts or ends with what a rule looks for, right after or before
/// arbitrary characters: the place where a byte slice would cut a character.
pub(crate) fn any_name() -> impl Strategy<Value = String> {
    (select(PREFIXES.to_vec()), name(), select(SUFFIXES.to_vec()))
        .prop_map(|(p, n, s)| format!("{p}{n}{s}"))
}

/// Text of a file (a launcher, an rc file, a log head): lines of names and pattern words.
pub(crate) fn text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        any_name(),
        select(vec![
            "require(",
            "import(",
            "\"",
            "'",
            "`",
            "String.raw`",
            "export ",
            "set -gx ",
            "LITELOADERQQNT_PROFILE=",
            "# BEGIN LITELOADERQQNT",
            "# END LITELOADERQQNT",
            "napCatVersion = ",
            "|| \"1.0.0-dev\"",
            "NapCat.Core Version: ",
            ".exe",
            "%",
            "\n",
            "file:///",
            "C:\\",
        ])
        .prop_map(str::to_string),
    ];
    vec(word, 0..16).prop_map(|w| w.concat())
}

#[cfg(test)]
mod props {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::{any_name, name, text};
    use crate::clean::guard::{check_entry, escape};
    use crate::clean::plan::{EntryType, Kind, database_uin};
    use crate::env::{Env, Platform, Registry};
    use crate::qq_cache::kinds::{classify, is_hot_update_zip, is_month, is_never};
    use crate::qq_cache::{account_label, discover, guard_allows, short_path};
    use crate::stack::{Name, Shape, is_log_name, uin_of};

    fn env(platform: Platform, root: Option<PathBuf>) -> Env {
        Env {
            platform,
            home: Some("/home/爱丽丝".into()),
            vars: Default::default(),
            root,
            registry: Registry::Fake(Default::default()),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// QQ's cache table: any name, at any depth; databases never, whatever comes before
        /// their suffix; a plain name in a received-files folder is a received file.
        #[test]
        fn qq_cache_kinds(a in any_name(), b in any_name(), c in any_name()) {
            let _ = is_month(&a);
            let _ = is_hot_update_zip(&[a.as_str()]);
            for parts in [
                vec![a.as_str()],
                vec!["Pic", a.as_str(), b.as_str(), c.as_str()],
                vec!["File", a.as_str(), b.as_str()],
                vec!["Emoji", "emoji-recv", "2024-06", a.as_str(), b.as_str()],
                vec![a.as_str(), b.as_str(), c.as_str()],
            ] {
                let _ = classify(&parts);
                for k in crate::qq_cache::kinds::KINDS.iter().map(|r| r.kind) {
                    let _ = guard_allows(k, &parts);
                }
            }
            for s in [".db", "-wal", "-SHM", "-journal"] {
                let db = format!("{a}{s}");
                prop_assert!(is_never(&db), "{db}");
                prop_assert_eq!(classify(&["Pic", "2024-06", "Ori", db.as_str()]), None);
            }
            let lower = c.to_ascii_lowercase();
            let plain = !c.is_empty() && c != "." && c != ".." && !c.contains('/')
                && ![".db", "-wal", "-shm", "-journal"].iter().any(|s| lower.ends_with(s))
                && !crate::qq_cache::kinds::NEVER_FOLDERS.iter().any(|n| n.eq_ignore_ascii_case(&c));
            if plain {
                prop_assert!(classify(&["File", "file_assistant", c.as_str()]).is_some(), "{c}");
            }
        }

        /// The preview's labels of QQ's cache rows.
        #[test]
        fn qq_cache_labels(a in any_name(), b in any_name()) {
            let p = Path::new("/q").join(&a).join("nt_data").join(&b);
            let _ = short_path(&p);
            let _ = account_label(&p, None);
            let _ = discover::is_account_folder(&a);
            let _ = discover::uin_from_mmkv(a.as_bytes(), &b);
            let e = env(Platform::Windows, None);
            let expanded = e.expand_percent(&a);
            if !a.contains('%') {
                prop_assert_eq!(expanded, a);
            }
        }

        /// Account names: `<prefix><digits><suffix>` and nothing else.
        #[test]
        fn account_and_store_names(n in any_name(), digits in "[0-9]{5,11}") {
            let cfg = format!("config_{digits}.json");
            prop_assert_eq!(uin_of(&cfg, "config_", ".json"), Some(digits.as_str()));
            let got = uin_of(&n, "config_", ".json");
            prop_assert!(got.is_none_or(|u| u.bytes().all(|b| b.is_ascii_digit())));
            let _ = database_uin(&n);
            let _ = is_log_name(&n);
            let _ = Name::Around { prefix: "llbot-", suffix: ".log" }.matches(&n);
            let _ = Shape::Store { stores: &[".db", ".v2.db"] }.fits(&n);
            let log = format!("{n}.log");
            prop_assert!(is_log_name(&log), "{}", log);
        }

        /// Names on a terminal: control characters escaped, everything else as it is.
        #[test]
        fn escaped_for_a_terminal(n in any_name()) {
            let shown = escape(&n);
            let raw_control = shown.chars().any(|c| (c as u32) < 0x20 || c == '\u{7f}');
            prop_assert!(!raw_control, "{}", shown);
            if !n.chars().any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')) {
                prop_assert_eq!(shown, n);
            }
        }

        /// The guard's last check on an entry's path: any name in temp/ is a temp entry;
        /// never the data dir itself, never outside.
        #[test]
        fn guard_checks_any_name(n in any_name()) {
            let data = Path::new("/d/LLOneBot");
            let ok = !n.is_empty() && n != "." && n != ".." && !n.contains('/') && !n.contains('\0');
            let got = check_entry(data, Kind::Temp, EntryType::File, &data.join("temp").join(&n));
            if ok {
                prop_assert!(got.is_ok(), "{n}: {got:?}");
            }
            prop_assert!(check_entry(data, Kind::Temp, EntryType::Dir, Path::new("/elsewhere").join(&n).as_path()).is_err());
        }

        /// Platform paths of any names resolve under the root (never above it), and home
        /// expansion keeps the rest of the value.
        #[test]
        fn platform_paths_stay_under_the_root(a in any_name(), b in any_name(), t in text()) {
            let root = PathBuf::from("/nonexistent-root-for-props");
            for platform in [Platform::Linux, Platform::Windows, Platform::Macos] {
                let e = env(platform, Some(root.clone()));
                for p in [format!("/{a}/{b}"), format!("C:\\{a}\\..\\{b}"), format!("{a}/../../{b}"), t.clone()] {
                    if e.is_absolute(&p) {
                        prop_assert!(e.resolve(&p).starts_with(&root), "{p}");
                        let _ = e.climbs_above_root_dir(&p);
                    }
                    prop_assert!(e.resolve_from(&root.join("x"), &p).starts_with(&root), "{p}");
                }
                let _ = e.expand_home(&a);
                prop_assert_eq!(e.expand_home(&format!("~/{b}")), Some(format!("/home/爱丽丝/{b}")));
            }
        }

        /// Tables of names line up by display width, whatever the names.
        #[test]
        fn tables_of_names(a in name(), b in name()) {
            let rows = vec![vec![a.clone(), "1".into()], vec![b.clone(), "22".into()]];
            let lines = crate::output::table(&rows, &[false, true]);
            prop_assert_eq!(lines.len(), 2);
        }

        /// Catalogue texts filled with any names.
        #[test]
        fn messages_filled_with_names(a in any_name()) {
            let s = crate::i18n::fill("{path}: {n:file|files} {x}", &[("path", &a), ("n", &2), ("x", &a)]);
            prop_assert!(s.contains("files"));
        }
    }
}
