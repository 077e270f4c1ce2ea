//! Tencent's login floor: the oldest QQ build its servers still let log in. A rule apart from
//! the minimums users ask for: `--min-qq` never moves it, `--login-floor` replaces it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::version::{BuildTable, QqVersion};

/// The embedded copy of `data/login-floor.json`.
const FLOORS_JSON: &str = include_str!("../../data/login-floor.json");

/// One floor seen in public reports.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct FloorEntry {
    /// The first build Tencent still lets log in.
    pub build: u32,
    /// The date by which the refusal was seen (`YYYY-MM-DD` or `YYYY-MM`).
    pub since: String,
    /// The floor build as each platform writes it.
    pub versions: String,
    /// Where it was reported.
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct RawFloors {
    floors: Vec<FloorEntry>,
}

/// The dated floors, sorted by build.
#[derive(Debug)]
pub struct FloorTable {
    entries: Vec<FloorEntry>,
}

impl FloorTable {
    pub fn from_json(text: &str) -> Result<FloorTable, serde_json::Error> {
        let raw: RawFloors = serde_json::from_str(text)?;
        let mut entries = raw.floors;
        entries.sort_by_key(|e| e.build);
        Ok(FloorTable { entries })
    }

    pub fn entries(&self) -> &[FloorEntry] {
        &self.entries
    }

    /// The floor in force: the newest (highest) one.
    pub fn current(&self) -> Option<&FloorEntry> {
        self.entries.last()
    }
}

/// The embedded floor table, parsed once.
pub fn floors() -> &'static FloorTable {
    static TABLE: OnceLock<FloorTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Compiled into the binary and checked by the unit test `embedded_floors_parse`.
        FloorTable::from_json(FLOORS_JSON).unwrap_or(FloorTable {
            entries: Vec::new(),
        })
    })
}

/// Where the floor in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FloorOrigin {
    /// The newest row of the built-in table.
    Table,
    /// `--login-floor`.
    Flag,
}

/// The login floor a check uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoginFloor {
    pub build: u32,
    /// The date from the table; `None` for a floor given with `--login-floor`.
    pub since: Option<String>,
    pub source: Option<String>,
    pub origin: FloorOrigin,
}

impl LoginFloor {
    /// The newest floor of the built-in table (`None` only if the table were empty).
    pub fn from_table(t: &FloorTable) -> Option<LoginFloor> {
        t.current().map(|e| LoginFloor {
            build: e.build,
            since: Some(e.since.clone()),
            source: Some(e.source.clone()),
            origin: FloorOrigin::Table,
        })
    }

    /// `--login-floor`: a build number (`34740`), a version with its build (`9.9.19-34740`), or
    /// a version the build table knows (`9.9.19`, `3.2.17`: its first build).
    pub fn from_flag(s: &str, builds: &BuildTable) -> Option<LoginFloor> {
        let t = s.trim();
        let build = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse().ok()?
        } else {
            let v = QqVersion::parse(t).ok()?;
            match v.build {
                Some(b) => b,
                None => builds.first_build_of(v.dotted)?.0,
            }
        };
        Some(LoginFloor {
            build,
            since: None,
            source: None,
            origin: FloorOrigin::Flag,
        })
    }

    /// Does Tencent refuse this build at login?
    pub fn refuses(&self, build: u32) -> bool {
        build < self.build
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::table;

    #[test]
    fn embedded_floors_parse() {
        let t = FloorTable::from_json(FLOORS_JSON).expect("data/login-floor.json parses");
        assert!(t.entries().len() >= 2);
        // Sorted, no duplicates, dated, and each floor's version strings end in its build.
        assert!(t.entries().windows(2).all(|w| w[0].build < w[1].build));
        for e in t.entries() {
            assert!(
                e.since.len() >= 7 && e.since.starts_with("20"),
                "{}",
                e.since
            );
            for v in e.versions.split('/') {
                let q = QqVersion::parse(v).unwrap_or_else(|_| panic!("{v}"));
                assert_eq!(q.build, Some(e.build), "{v}");
            }
            assert!(!e.source.is_empty());
        }
        let cur = LoginFloor::from_table(&t).expect("a floor");
        assert_eq!((cur.build, cur.origin), (37475, FloorOrigin::Table));
        assert_eq!(floors().current().map(|e| e.build), Some(37475));
        // 34740 itself is refused: the newest floor names the threads that say so.
        assert!(cur.refuses(34740) && !cur.refuses(37475));
        let src = cur.source.unwrap_or_default();
        for thread in [
            "NapCat-Docker #99",
            "NapCatQQ #1257",
            "NapCatQQ #1825",
            "#552",
            "#559",
        ] {
            assert!(src.contains(thread), "{thread}: {src}");
        }
    }

    #[test]
    fn flag_forms() {
        let b = |s: &str| LoginFloor::from_flag(s, table()).map(|f| f.build);
        assert_eq!(b("34740"), Some(34740));
        assert_eq!(b(" 9.9.19-34740 "), Some(34740));
        assert_eq!(b("3.2.17-34740"), Some(34740));
        assert_eq!(b("9.9.19"), Some(34231));
        assert_eq!(b("7.0.2"), Some(53644));
        assert_eq!(b("9.9.99"), None);
        assert_eq!(b(""), None);
        assert_eq!(b("abc"), None);
        assert_eq!(b("99999999999"), None);
        let f = LoginFloor::from_flag("40000", table()).expect("ok");
        assert!(f.refuses(39999) && !f.refuses(40000));
        assert_eq!(f.origin, FloorOrigin::Flag);
        assert!(f.since.is_none());
    }
}
