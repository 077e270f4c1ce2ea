//! NapCat's version: not its `package.json` (0.0.1 in every release since v4.9) but the string
//! the build compiles into `napcat.mjs`, else the `NapCat.Core Version:` line of its log.

use std::fs;
use std::path::{Path, PathBuf};

use crate::stack::napcat::{DEV_VERSION, MAIN_FILE, VERSION_LOG_MARK};

/// The version compiled into `napcat.mjs`: the string literal just before `|| "1.0.0-dev"`
/// (the build replaces NapCat's version variable with it), or after `napCatVersion =`.
pub fn version_in_main(text: &str) -> Option<String> {
    for (i, _) in text.match_indices(DEV_VERSION) {
        let before = text[..i].trim_end_matches(['"', '\'', '`']).trim_end();
        let Some(before) = before.strip_suffix("||") else {
            continue;
        };
        if let Some(v) = last_literal(before.trim_end()) {
            return Some(v);
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
    is_version(v).then(|| v.to_string())
}

fn first_literal(s: &str) -> Option<String> {
    let q = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let body = &s[1..];
    let v = &body[..body.find(q)?];
    is_version(v).then(|| v.to_string())
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

/// The version, from `napcat.mjs`, else the newest log that names it.
pub(super) fn read_version(
    dir: Option<&Path>,
    work_dir: &Path,
) -> (Option<String>, Option<PathBuf>) {
    if let Some(dir) = dir {
        let main = dir.join(MAIN_FILE);
        if let Some(v) = read_head(&main, MAX_MAIN).and_then(|t| version_in_main(&t)) {
            return (Some(v), Some(main));
        }
    }
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
        let log = "01-02 03:04:05 [info] | [NapCat] [Core] NapCat.Core Version: 4.18.19\n";
        assert_eq!(version_in_log(log).as_deref(), Some("4.18.19"));
    }
}
