//! NapCat's table of the QQ builds it knows (`packages/napcat-core/external/appid.json` in
//! NapNeko/NapCatQQ, `src/core/external/appid.json` before v4.9): keys such as `9.9.19-34740`,
//! `3.2.17-34740`, `6.9.61-29927`, each `{appid, qua}`. No release ships the file beside
//! `napcat.mjs` (the build copies only `napcat.json`): `qq-basic-info.ts` imports it, so Vite
//! inlines it into the bundle, as an object literal (`"9.9.19-34740": { appid: 537290691, qua:
//! "V1_WIN_NQ_9.9.19_34740_GW_B" }`, keys quoted, values minified or not) or, for a large file
//! under Vite's `json.stringify`, a `JSON.parse("{\"9.9.19-34740\":{\"appid\":…}}")` string.
//! NapCat looks the running QQ's full version up in it; a version missing from it makes NapCat
//! guess the appid ("[QQ版本兼容性检测] 当前版本Appid未内置"), which fails for many (NapCatQQ
//! #1697, #1967, #1985, #1995).

use serde::Serialize;

use crate::env::Platform;
use crate::version::{QqVersion, platform_of};

/// The QQ versions one NapCat bundle knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QqTable {
    /// How many versions it lists.
    pub entries: usize,
    /// The newest version it lists for each platform (by version, then build).
    pub newest: Newest,
    /// Every version it lists, in the bundle's order.
    #[serde(skip)]
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Newest {
    pub windows: Option<String>,
    pub linux: Option<String>,
    pub macos: Option<String>,
}

impl QqTable {
    pub fn from_versions(versions: Vec<String>) -> QqTable {
        let newest_for = |p: Platform| {
            versions
                .iter()
                .filter_map(|s| Some((QqVersion::parse(s).ok()?, s)))
                .filter(|(q, _)| platform_of(q) == Some(p))
                .max_by_key(|(q, _)| (q.dotted, q.build))
                .map(|(_, s)| s.clone())
        };
        QqTable {
            entries: versions.len(),
            newest: Newest {
                windows: newest_for(Platform::Windows),
                linux: newest_for(Platform::Linux),
                macos: newest_for(Platform::Macos),
            },
            versions,
        }
    }

    pub fn lists(&self, version: &str) -> bool {
        self.versions.iter().any(|v| v == version.trim())
    }

    /// The versions it lists for one platform, parsed.
    pub fn for_platform(&self, p: Platform) -> impl Iterator<Item = QqVersion> + '_ {
        self.versions
            .iter()
            .filter_map(|s| QqVersion::parse(s).ok())
            .filter(move |q| platform_of(q) == Some(p))
    }

    pub fn newest_for(&self, p: Platform) -> Option<&str> {
        match p {
            Platform::Windows => self.newest.windows.as_deref(),
            Platform::Linux => self.newest.linux.as_deref(),
            Platform::Macos => self.newest.macos.as_deref(),
        }
    }
}

/// A QQ version as a key: `x.y.z-build`, digits only.
fn is_key(body: &str) -> bool {
    !body.is_empty()
        && body.as_bytes()[0].is_ascii_digit()
        && QqVersion::parse(body).is_ok_and(|q| q.build.is_some())
}

/// After a key's closing quote: `:`, then an object whose first bytes name `appid`.
fn opens_appid_entry(rest: &[u8]) -> bool {
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while rest.get(*i).is_some_and(|b| b.is_ascii_whitespace()) {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if rest.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    skip_ws(&mut i);
    if rest.get(i) != Some(&b'{') {
        return false;
    }
    let window = &rest[i..rest.len().min(i + 48)];
    window.windows(5).any(|w| w == b"appid")
}

/// Every `"<x.y.z-build>": { appid … }` entry of the bundle, in order, without repeats.
pub fn qq_table_in_main(text: &str) -> Option<QqTable> {
    let b = text.as_bytes();
    let mut found: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let q = b[i];
        if q != b'"' && q != b'\'' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < b.len()
            && j - start <= 24
            && (b[j].is_ascii_digit() || b[j] == b'.' || b[j] == b'-')
        {
            j += 1;
        }
        // The closing quote, escaped inside a JSON.parse string (`\"`).
        let close = if b.get(j) == Some(&b'\\') { j + 1 } else { j };
        if j > start && b.get(close) == Some(&q) {
            // Only ASCII digits, dots and dashes: `start..j` is on char boundaries.
            let body = &text[start..j];
            let after = &b[close + 1..b.len().min(close + 1 + 64)];
            if is_key(body) && opens_appid_entry(after) && !found.iter().any(|f| f == body) {
                found.push(body.to_string());
            }
            i = close + 1;
            continue;
        }
        i += 1;
    }
    (!found.is_empty()).then(|| QqTable::from_versions(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(t: &QqTable) -> Vec<&str> {
        t.versions.iter().map(String::as_str).collect()
    }

    #[test]
    fn every_inlined_form() {
        // Vite 6 lib build, esbuild syntax minification (whitespace kept), as v4.18.x builds it.
        let min = "const p = {\n  \"9.9.19-34740\": { appid: 537290691, qua: \"V1_WIN_NQ_9.9.19_34740_GW_B\" },\n  \"3.2.17-34740\": { appid: 537290727, qua: \"V1_LNX_NQ_3.2.17_34740_GW_B\" },\n  \"9.9.32-55230\": { appid: 537379411, qua: \"V1_WIN_NQ_9.9.32_55230_GW_B\" },\n  \"9.9.32-50969\": { appid: 537376308, qua: \"V1_WIN_NQ_9.9.32_50969_GW_B\" }\n}, a = {};";
        let t = qq_table_in_main(min).expect("table");
        assert_eq!(
            keys(&t),
            [
                "9.9.19-34740",
                "3.2.17-34740",
                "9.9.32-55230",
                "9.9.32-50969"
            ]
        );
        // Newest by version first: the 55230 typo of 9.9.32 does not outrank 9.9.32-50969's
        // version, but it is the highest build of 9.9.32.
        assert_eq!(t.newest.windows.as_deref(), Some("9.9.32-55230"));
        assert_eq!(t.newest.linux.as_deref(), Some("3.2.17-34740"));
        assert_eq!(t.newest.macos, None);
        // Unminified (minify: false, NapCat before v4.9): JSON values.
        let plain = "var AppidTable = {\n  \"6.9.61-29927\": {\"appid\":537259018,\"qua\":\"V1_MAC_NQ_6.9.61_29927_GW_B\"},\n};";
        assert_eq!(keys(&qq_table_in_main(plain).expect("t")), ["6.9.61-29927"]);
        // A JSON.parse string, quotes escaped.
        let parsed = r#"var x = JSON.parse("{\"9.9.15-28060\":{\"appid\":537246092,\"qua\":\"V1_WIN_NQ_9.9.15_28060_GW_B\"}}");"#;
        assert_eq!(
            keys(&qq_table_in_main(parsed).expect("t")),
            ["9.9.15-28060"]
        );
        // Version strings that are no table entries: a default config, a log text.
        let other = "const d = { baseVersion: \"9.9.15-28131\", curVersion: \"9.9.15-28131\" }; x(\"9.9.1-1\");";
        assert_eq!(qq_table_in_main(other), None);
        assert_eq!(qq_table_in_main("\"9.9.1-1\": {\"x\": 1}"), None);
        assert_eq!(qq_table_in_main(""), None);
        assert_eq!(qq_table_in_main("\"\\"), None);
    }
}
