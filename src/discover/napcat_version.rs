//! NapCat's version: not its `package.json` (0.0.1 in every release since v4.9) but the string
//! the build compiles into `napcat.mjs`, else the `NapCat.Core Version:` line of its log. The
//! same bundle carries NapCat's table of the QQ builds it knows (`table`).

mod table;

use std::fs;
use std::path::{Path, PathBuf};

use crate::stack::napcat::{DEV_VERSION, MAIN_FILE, VERSION_LOG_MARK};

pub use table::{QqTable, qq_table_in_main};

/// The fallback literals NapCat's source puts after its version variable: `'1.0.0-dev'` since
/// v4.10, `'alpha'` in v4.9.x.
const FALLBACKS: [&str; 2] = [DEV_VERSION, "alpha"];

/// The version compiled into `napcat.mjs`. Every release form seen:
/// - `(typeof import.meta?.env !== "undefined" && "4.18.19") || "1.0.0-dev"` (v4.10+, the
///   vite plugin defines `import.meta.env.VITE_NAPCAT_VERSION`; Vite 6 writes
///   `typeof (__vite_import_meta_env__) !== "undefined" && "4.18.19" || "1.0.0-dev"`, minified
///   `typeof a < "u" && "4.18.19" || "1.0.0-dev"`);
/// - `"v4.9.53" || "alpha"` (v4.9.x, the raw tag with its `v`);
/// - `napCatVersion = "4.8.96"` (up to v4.9, a literal in the source).
///
/// So: the string literal that ends just before `|| <fallback>`, past any `)` and spaces, then
/// the literal after `napCatVersion =`. A leading `v` is dropped.
pub fn version_in_main(text: &str) -> Option<String> {
    for fallback in FALLBACKS {
        for (i, _) in text.match_indices(fallback) {
            // The fallback must be a whole literal: a quote on each side.
            let quoted = text[..i].ends_with(['"', '\'', '`'])
                && text[i + fallback.len()..].starts_with(['"', '\'', '`']);
            if !quoted {
                continue;
            }
            let before = text[..i - 1].trim_end();
            let Some(before) = before.strip_suffix("||") else {
                continue;
            };
            let before = before.trim_end_matches(|c: char| c == ')' || c.is_whitespace());
            if let Some(v) = last_literal(before) {
                return Some(v);
            }
        }
    }
    for (i, m) in text.match_indices("napCatVersion") {
        let rest = text[i + m.len()..].trim_start();
        if let Some(rest) = rest.strip_prefix('=')
            && let Some(v) = first_literal(rest.trim_start())
        {
            return Some(v);
        }
    }
    None
}

/// A version as NapCat's tags write it, without the tag's `v`.
fn plain(v: &str) -> String {
    v.strip_prefix('v').unwrap_or(v).to_string()
}

fn is_version(v: &str) -> bool {
    let v = v.strip_prefix('v').unwrap_or(v);
    v != DEV_VERSION
        && v.split('.').count() >= 3
        && v.split(['.', '-', '+'])
            .take(3)
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn last_literal(s: &str) -> Option<String> {
    let q = s.chars().last().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let body = &s[..s.len() - 1];
    let start = body.rfind(q)?;
    let v = &body[start + 1..];
    is_version(v).then(|| plain(v))
}

fn first_literal(s: &str) -> Option<String> {
    let q = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let body = &s[1..];
    let v = &body[..body.find(q)?];
    is_version(v).then(|| plain(v))
}

/// The version in a log's `NapCat.Core Version: X` line (the last one in the file).
pub fn version_in_log(text: &str) -> Option<String> {
    text.rmatch_indices(VERSION_LOG_MARK).find_map(|(i, m)| {
        let v: String = text[i + m.len()..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        is_version(&v).then_some(v)
    })
}

/// `napcat.mjs` holds the whole program bundled: read at most this much of it.
const MAX_MAIN: u64 = 64 << 20;
/// A log is read from its start (the version line comes early), at most this much.
const MAX_LOG_HEAD: u64 = 1 << 20;

fn read_head(path: &Path, max: u64) -> Option<String> {
    let buf = crate::fsread::read_head(path, max).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// The version, from `napcat.mjs`, else the newest log that names it; and the table of QQ
/// builds `napcat.mjs` carries.
pub(super) fn read_version(
    dir: Option<&Path>,
    work_dir: &Path,
) -> (Option<String>, Option<PathBuf>, Option<QqTable>) {
    let mut qq_table = None;
    if let Some(dir) = dir {
        let main = dir.join(MAIN_FILE);
        if let Some(text) = read_head(&main, MAX_MAIN) {
            qq_table = qq_table_in_main(&text);
            if let Some(v) = version_in_main(&text) {
                return (Some(v), Some(main), qq_table);
            }
        }
    }
    let (v, f) = version_in_logs(work_dir);
    (v, f, qq_table)
}

/// The version in the newest of NapCat's logs that names it.
fn version_in_logs(work_dir: &Path) -> (Option<String>, Option<PathBuf>) {
    let mut logs: Vec<PathBuf> = fs::read_dir(work_dir.join("logs"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    // Names are `YYYY-MM-DD_HH-mm-ss.SSS.log`: the newest sorts last.
    logs.sort();
    for log in logs.iter().rev().take(5) {
        if let Some(v) = read_head(log, MAX_LOG_HEAD).and_then(|t| version_in_log(&t)) {
            return (Some(v), Some(log.clone()));
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_the_bundle_and_the_log() {
        let min = r#"const a=1;const Xe=typeof{BASE_URL:"/"}<"u"&&"4.18.19"||"1.0.0-dev";"#;
        assert_eq!(version_in_main(min).as_deref(), Some("4.18.19"));
        let plain = "const napCatVersion = \"4.9.2\";";
        assert_eq!(version_in_main(plain).as_deref(), Some("4.9.2"));
        assert_eq!(version_in_main("x || \"1.0.0-dev\""), None);
        // Every form a release holds (see `version_in_main`).
        for (bundle, want) in [
            (
                r#"const napCatVersion = (typeof import.meta?.env !== "undefined" && "4.18.19") || "1.0.0-dev";"#,
                "4.18.19",
            ),
            (
                "const napCatVersion = typeof (__vite_import_meta_env__) !== \"undefined\" && \"4.18.19\" || \"1.0.0-dev\";",
                "4.18.19",
            ),
            (
                "}, a = {}, N = typeof a < \"u\" && \"4.18.19\" || \"1.0.0-dev\";",
                "4.18.19",
            ),
            ("const napCatVersion = \"v4.9.53\" || \"alpha\";", "4.9.53"),
            (
                "const napCatVersion = (typeof import.meta?.env !== 'undefined' && 'v4.9.72') || 'alpha';",
                "4.9.72",
            ),
            ("const napCatVersion = '4.8.124';", "4.8.124"),
            ("let napCatVersion=\"v4.5.9\"", "4.5.9"),
        ] {
            assert_eq!(version_in_main(bundle).as_deref(), Some(want), "{bundle}");
        }
        // A fallback with nothing usable before it, and "alpha" as a plain word.
        assert_eq!(version_in_main("x = y || \"alpha\"; z = \"4.1.1\""), None);
        assert_eq!(version_in_main("\"4.1.1\" + \"alphabet\""), None);
        assert_eq!(version_in_main("\"1.0.0-dev\""), None);
        let log = "01-02 03:04:05 [info] | [NapCat] [Core] NapCat.Core Version: 4.18.19\n";
        assert_eq!(version_in_log(log).as_deref(), Some("4.18.19"));
    }
}
