//! Every human-facing message, in English and Simplified Chinese. The texts live in one
//! catalogue per language (`i18n/en.txt`, `i18n/zh.txt`: `key = text`, `{name}` placeholders,
//! `\n` for a line break); tests check that both have the same keys and that every key the code
//! uses exists. JSON output, exit codes and log lines stay English whatever the language.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use clap::ValueEnum;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

pub const EN_TEXT: &str = include_str!("../i18n/en.txt");
pub const ZH_TEXT: &str = include_str!("../i18n/zh.txt");

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language for this process (once, at start-up; `--json` forces English).
pub fn set_lang(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

pub fn lang() -> Lang {
    if CURRENT.load(Ordering::Relaxed) == Lang::Zh as u8 {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// `key = text` lines; `#` starts a comment line; `\n` in a text is a line break; `{/}` is the
/// separator of a path written in a message (`temp{/}`: `temp\` on Windows, `temp/` elsewhere).
/// Help texts keep `/`: they are also the man pages and completion scripts, the same on every
/// platform.
pub fn parse(text: &'static str) -> Result<Vec<(&'static str, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (k, v) = t
            .split_once(" = ")
            .ok_or_else(|| format!("line {}: expected `key = text`", i + 1))?;
        let sep = if cfg!(windows) { "\\" } else { "/" };
        out.push((k.trim(), v.replace("\\n", "\n").replace("{/}", sep)));
    }
    Ok(out)
}

fn table(lang: Lang) -> &'static HashMap<&'static str, String> {
    static EN: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    static ZH: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    let (cell, text) = match lang {
        Lang::En => (&EN, EN_TEXT),
        Lang::Zh => (&ZH, ZH_TEXT),
    };
    // The catalogues are compiled in and checked by tests; a broken line only loses that line.
    cell.get_or_init(|| parse(text).unwrap_or_default().into_iter().collect())
}

/// The text for `key` in the current language (English, then the key itself, as fallbacks).
pub fn t(key: &str) -> &'static str {
    t_in(lang(), key)
}

pub fn t_in(lang: Lang, key: &str) -> &'static str {
    if let Some(v) = table(lang).get(key) {
        return v.as_str();
    }
    match table(Lang::En).get_key_value(key) {
        Some((_, v)) => v.as_str(),
        None => {
            debug_assert!(false, "missing message key {key}");
            // Leak-free fallback: the key is 'static only when a literal; show a marker instead.
            "?"
        }
    }
}

pub fn has(key: &str) -> bool {
    has_in(lang(), key)
}

pub fn has_in(lang: Lang, key: &str) -> bool {
    table(lang).contains_key(key)
}

/// Fills `{name}` placeholders, and `{name:one|other}` plural choices (English: `Removed
/// {files} {files:file|files}`): `one` when the value is 1, else `other`.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        let value = value.to_string();
        out = out.replace(&format!("{{{name}}}"), &value);
        let open = format!("{{{name}:");
        while let Some(start) = out.find(&open) {
            let Some(len) = out[start..].find('}') else {
                break;
            };
            let inner = &out[start + open.len()..start + len];
            let (one, other) = inner.split_once('|').unwrap_or((inner, inner));
            let word = if value == "1" { one } else { other }.to_string();
            out.replace_range(start..start + len + 1, &word);
        }
    }
    out
}

/// A count as users read it, its thousands grouped: `24,654`. Still `1` for one, so a plural
/// choice (`{n:file|files}`) picks by it.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A message to show later, in whatever language is current then (or English, for logs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    /// Text that is not in the catalogue (e.g. an OS error); shown as it is.
    pub fn raw(text: impl Into<String>) -> Msg {
        Msg {
            key: "",
            args: vec![("", text.into())],
        }
    }

    pub fn render(&self, lang: Lang) -> String {
        if self.key.is_empty() {
            return self
                .args
                .first()
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
        }
        let args: Vec<(&str, &dyn Display)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, v as &dyn Display))
            .collect();
        fill(t_in(lang, self.key), &args)
    }
}

/// In JSON a message is its English text: JSON output is language-neutral.
impl Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.render(Lang::En))
    }
}

impl From<String> for Msg {
    fn from(s: String) -> Msg {
        Msg::raw(s)
    }
}

impl From<&str> for Msg {
    fn from(s: &str) -> Msg {
        Msg::raw(s)
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(lang()))
    }
}

/// `msg!("key", name = value, ...)`: a [`Msg`] with its arguments captured as text.
#[macro_export]
macro_rules! msg {
    ($key:expr $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::i18n::Msg { key: $key, args: vec![$((stringify!($name), ($val).to_string())),*] }
    };
}

/// `tf!("key", name = value, ...)`: the text for `key` with its placeholders filled.
#[macro_export]
macro_rules! tf {
    ($key:expr $(, $name:ident = $val:expr)* $(,)?) => {
        $crate::i18n::fill($crate::i18n::t($key), &[$((stringify!($name), &$val as &dyn ::std::fmt::Display)),*])
    };
}

/// An OS error as words in the current language, for use inside a sentence: the common kinds
/// come from the catalogue, anything else is the OS's own text (without "(os error N)" noise
/// when a catalogue word exists).
pub fn os_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: another program holds the file
    // open (QQ, an exporter reading a metrics file, an editor).
    if cfg!(windows) && matches!(e.raw_os_error(), Some(32 | 33)) {
        return t("os.in_use").to_string();
    }
    let key = match e.kind() {
        K::NotFound => "os.not_found",
        K::PermissionDenied => "os.permission_denied",
        K::AlreadyExists => "os.already_exists",
        K::DirectoryNotEmpty => "os.not_empty",
        K::ReadOnlyFilesystem => "os.read_only",
        K::StorageFull => "os.storage_full",
        K::NotADirectory => "os.not_a_directory",
        K::IsADirectory => "os.is_a_directory",
        K::ResourceBusy => "os.busy",
        K::ConnectionRefused => "os.connection_refused",
        K::TimedOut => "os.timed_out",
        K::InvalidFilename => "os.invalid_filename",
        _ => return e.to_string(),
    };
    t(key).to_string()
}

/// The language from `LC_ALL`, `LC_MESSAGES`, `LANG`, then the OS locale: Chinese for `zh*`.
pub fn detect_lang(var: impl Fn(&str) -> Option<String>) -> Lang {
    let from_env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| var(v).filter(|s| !s.is_empty()));
    let locale = from_env.or_else(sys_locale::get_locale).unwrap_or_default();
    if locale.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// `--lang` from the raw arguments, before clap parses them (help text depends on it).
pub fn lang_from_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut it = args
        .iter()
        .take_while(|a| *a != "--")
        .filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        let v = if a == "--lang" {
            it.next()
        } else {
            a.strip_prefix("--lang=")
        };
        match v {
            Some("zh") => return Some(Lang::Zh),
            Some("en") => return Some(Lang::En),
            _ => {}
        }
    }
    None
}

/// The display width of a string in a terminal: CJK characters take two columns.
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Pads to a display width (left-aligned), for tables that line up in both languages.
pub fn pad(s: &str, w: usize) -> String {
    let n = w.saturating_sub(width(s));
    format!("{s}{}", " ".repeat(n))
}

/// Pads on the left (right-aligned).
pub fn pad_left(s: &str, w: usize) -> String {
    let n = w.saturating_sub(width(s));
    format!("{}{s}", " ".repeat(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(text: &'static str) -> BTreeSet<&'static str> {
        parse(text)
            .expect("parses")
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    #[test]
    fn both_catalogues_parse_without_duplicates_and_have_the_same_keys() {
        for (name, text) in [("en", EN_TEXT), ("zh", ZH_TEXT)] {
            let all = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let set: BTreeSet<_> = all.iter().map(|(k, _)| *k).collect();
            assert_eq!(set.len(), all.len(), "{name} has a key twice");
        }
        let en = keys(EN_TEXT);
        let zh = keys(ZH_TEXT);
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in zh: {only_en:?}");
        assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    }

    #[test]
    fn path_separators_in_messages_are_the_platforms_and_help_keeps_slashes() {
        let sep = if cfg!(windows) {
            r"temp\ holds"
        } else {
            "temp/ holds"
        };
        let parsed = parse("doctor.temp_ok = temp{/} holds {size}").unwrap();
        assert!(parsed[0].1.starts_with(sep), "{}", parsed[0].1);
        for (name, text) in [("en", EN_TEXT), ("zh", ZH_TEXT)] {
            for line in text.lines().filter(|l| l.starts_with("help.")) {
                // Help is also the man pages and completion scripts: one text everywhere.
                assert!(!line.contains("{/}"), "{name}: {line}");
            }
        }
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1), "1");
        assert_eq!(count(999), "999");
        assert_eq!(count(24_654), "24,654");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    /// English counts agree with their nouns: a `{count}` followed (within three words) by a
    /// plural noun has a plural choice `{count:one|other}`, so "1 NapCat log file" is never
    /// "1 NapCat log files". Counts that are never 1 are listed with why.
    #[test]
    fn english_counts_have_plural_forms() {
        const NOUNS: &[&str] = &[
            "files",
            "entries",
            "folders",
            "lines",
            "sends",
            "timeouts",
            "versions",
            "components",
            "servers",
            "databases",
            "processes",
            "days",
            "problems",
            "errors",
            "values",
            "accounts",
            "bots",
            "instances",
            "jobs",
            "items",
            "folder(s)",
            "file(s)",
        ];
        // (key, placeholder): a count that cannot be 1, or whose noun is not the one after it.
        const EXEMPT: &[(&str, &str)] = &[
            ("doctor.qq_many", "n"), // two or more QQs
            ("confine.too_many_links", "max"),
            ("out.linked", "links"), // a second hard link at least
            ("stats.attachments_line", "with_files"), // "… sends, 3 with files"
            ("schedule.names_several", "id"), // not a count
        ];
        let mut bad = Vec::new();
        for (k, text) in parse(EN_TEXT).unwrap() {
            let words: Vec<&str> = text.split_whitespace().collect();
            for (i, w) in words.iter().enumerate() {
                let Some(name) = w
                    .trim_start_matches(['(', '['])
                    .strip_prefix('{')
                    .and_then(|r| r.strip_suffix('}'))
                else {
                    continue;
                };
                if name.contains(':') || EXEMPT.contains(&(k, name)) {
                    continue;
                }
                let noun_follows = words.iter().skip(i + 1).take(3).any(|n| {
                    let n = n.trim_end_matches([',', '.', ';', ':', ')']);
                    NOUNS.contains(&n)
                });
                if noun_follows && !text.contains(&format!("{{{name}:")) {
                    bad.push(format!("{k}: {{{name}}} in {text:?}"));
                }
            }
        }
        assert!(bad.is_empty(), "counts without a plural choice: {bad:#?}");
    }

    #[test]
    fn plurals() {
        let t = "Removed {files} {files:file|files}, {n} {n:entry|entries}";
        assert_eq!(
            fill(t, &[("files", &1), ("n", &2)]),
            "Removed 1 file, 2 entries"
        );
        assert_eq!(
            fill(t, &[("files", &0), ("n", &1)]),
            "Removed 0 files, 1 entry"
        );
    }

    #[test]
    fn placeholders_match_between_languages() {
        let names = |s: &str| -> BTreeSet<String> {
            s.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                // `{n:entry|entries}` is a plural choice of `{n}`, English only.
                .map(|n| n.split(':').next().unwrap_or("").to_string())
                .collect()
        };
        let zh: HashMap<_, _> = parse(ZH_TEXT).unwrap().into_iter().collect();
        for (k, en) in parse(EN_TEXT).unwrap() {
            let z = &zh[k];
            assert_eq!(names(&en), names(z), "placeholders differ for {k}");
        }
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        let en = keys(EN_TEXT);
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        for e in walkdir::WalkDir::new(&src)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.path().extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            for pat in ["t(\"", "tf!(\"", "msg!(\"", "t_in(Lang::En, \""] {
                for piece in text.split(pat).skip(1) {
                    let Some((key, _)) = piece.split_once('"') else {
                        continue;
                    };
                    if key.contains('.') && !key.contains(' ') && !en.contains(key) {
                        missing.push(format!("{}: {key}", e.path().display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but not in the catalogue: {missing:#?}"
        );
    }

    #[test]
    fn language_detection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(detect_lang(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            detect_lang(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            detect_lang(env(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW")])),
            Lang::Zh
        );
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_from_args(&args(&["x", "--lang", "zh", "detect"])),
            Some(Lang::Zh)
        );
        assert_eq!(lang_from_args(&args(&["x", "--lang=en"])), Some(Lang::En));
        assert_eq!(lang_from_args(&args(&["x", "detect"])), None);
    }

    #[test]
    fn widths() {
        assert_eq!(width("QQ"), 2);
        assert_eq!(width("组件"), 4);
        assert_eq!(pad("组件", 6), "组件  ");
        assert_eq!(pad_left("1", 3), "  1");
    }
}
