//! Scans a data dir into a [`Plan`] from its stack's target table: every entry that will go,
//! with its size. The deletion later works from this plan, never from a new scan.

pub mod age;
mod measure;

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use crate::i18n::Msg;
use crate::stack::{Rows, Stack, Switch, TargetSpec, Types, llonebot_plugin};
use crate::time::unix_secs;
use measure::{Listed, list, measure_all, real_subdir};

pub use crate::stack::{Kind, is_log_name};
pub use age::{Only, Sweep};
pub use measure::{is_link, type_of};

/// What an entry was when planned; it must still be that when removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryType {
    Dir,
    File,
    /// A symbolic link, junction or other reparse point: removed as a link, never followed.
    Link,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub entry_type: EntryType,
    pub files: u64,
    pub bytes: u64,
    /// Newest modification time anywhere inside (seconds since the epoch).
    pub newest: u64,
    /// A folder aged file by file ([`Sweep`]): only what is old enough goes, and `files`,
    /// `bytes` and `newest` count that. `None`: the entry goes whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<Sweep>,
}

/// A row of the preview: one `msg_<uin>` folder, the temp contents, the logs, or one
/// account's database (as the table's row says); it holds the exact entries that will go.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub kind: Kind,
    pub uin: Option<String>,
    /// The folder or file this row stands for (`temp/` for the temp contents).
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

impl Target {
    pub fn files(&self) -> u64 {
        self.entries.iter().map(|e| e.files).sum()
    }
    pub fn bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.bytes).sum()
    }
    pub fn newest(&self) -> Option<u64> {
        self.entries.iter().map(|e| e.newest).max()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these accounts' `msg_*` and database (empty: all).
    pub uins: Vec<String>,
    pub logs: bool,
    pub database: bool,
    /// Only temp entries and logs at least this many seconds old; a folder entry is aged file
    /// by file (see [`age`]).
    pub older_than: Option<u64>,
}

/// Something inside a planned entry (or the entry itself) that could not be read while it
/// was measured: the entry stays planned, its size and age are a lower bound, and removing it
/// will likely fail there.
#[derive(Debug, Clone)]
pub struct UnreadInside {
    /// The planned entry.
    pub entry: PathBuf,
    /// What could not be read: the entry, or a folder or file inside it.
    pub path: PathBuf,
    pub error: Msg,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub data_dir: PathBuf,
    pub targets: Vec<Target>,
    /// Entries seen but left alone because they could not be read.
    pub unreadable: Vec<(PathBuf, String)>,
    /// What could not be read inside planned entries.
    pub unreadable_inside: Vec<UnreadInside>,
    /// Identities of the data dir and its target folders, checked again before deleting.
    pub pins: super::remove::Pins,
}

impl Plan {
    pub fn entry_count(&self) -> usize {
        self.targets.iter().map(|t| t.entries.len()).sum()
    }
}

impl Options {
    pub fn wants(&self, switch: Switch) -> bool {
        match switch {
            Switch::Default => true,
            Switch::Logs => self.logs,
            Switch::Database => self.database,
        }
    }

    fn wants_uin(&self, uin: &str) -> bool {
        self.uins.is_empty() || self.uins.iter().any(|u| u == uin)
    }

    fn old_enough(&self, e: &Entry, now: u64) -> bool {
        match (self.older_than, e.sweep) {
            // A swept folder goes when some file in it is old enough, or when it holds no
            // file at all and is itself old enough.
            (Some(_), Some(s)) if e.files > 0 || s.of_files > 0 => e.files > 0,
            (Some(age), _) => now.saturating_sub(e.newest) >= age,
            (None, _) => true,
        }
    }

    /// The sweep a folder entry of an aged row gets: with `--older-than` its files are aged one
    /// by one; without, the entry goes whole.
    fn sweep(&self, now: (i64, u32)) -> Option<Sweep> {
        self.older_than.map(|age| Sweep {
            cutoff: age::cutoff(now.0, age),
            of_files: 0,
            planned_at: now,
            only: Only::Any,
            folders: true,
        })
    }
}

fn type_fits(types: Types, t: EntryType) -> bool {
    match types {
        Types::Any => true,
        Types::NoFiles => t != EntryType::File,
        Types::NoFolders => t != EntryType::Dir,
    }
}

/// SQLite store names of the LLOneBot plugin: `<uin>.db`, `<uin>.v2.db`, and their journal
/// side files.
pub fn database_uin(name: &str) -> Option<&str> {
    llonebot_plugin::DATABASE.shape.fits(name).flatten()
}

/// One table row's folder, listed: the entries whose names fit the row, with their accounts.
struct Listing {
    spec: &'static TargetSpec,
    dir: PathBuf,
    items: Vec<(Option<String>, Listed)>,
    /// What could not be read while listing, reported before the row's own entries.
    unreadable: Vec<(PathBuf, String)>,
}

fn list_row(
    stack: &Stack,
    spec: &'static TargetSpec,
    data_dir: &Path,
    opts: &Options,
) -> Option<Listing> {
    let dir = match spec.folder {
        None => data_dir.to_path_buf(),
        Some(folder) => real_subdir(data_dir, folder)?,
    };
    let mut unreadable = Vec::new();
    let items = list(&dir, &mut unreadable)
        .into_iter()
        .filter_map(|item| {
            if spec.folder.is_none() && stack.must_keep.iter().any(|n| n.matches(&item.name)) {
                return None;
            }
            let uin = spec.shape.fits(&item.name)?.map(str::to_string);
            if uin.as_deref().is_some_and(|u| !opts.wants_uin(u)) {
                return None;
            }
            Some((uin, item))
        })
        .collect();
    Some(Listing {
        spec,
        dir,
        items,
        unreadable,
    })
}

/// Accounts in number order, as detect lists them (a stable sort: rows without one keep
/// their place).
fn account_order(a: &Option<String>, b: &Option<String>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => (a.len(), a).cmp(&(b.len(), b)),
        _ => std::cmp::Ordering::Equal,
    }
}

/// Turns a row's measured entries into preview rows, as the table's row says.
fn add_rows(
    spec: &'static TargetSpec,
    dir: &Path,
    entries: Vec<(Option<String>, Entry)>,
    targets: &mut Vec<Target>,
) {
    let kind = Kind(spec);
    match spec.rows {
        Rows::PerEntry => {
            let mut entries = entries;
            entries.sort_by(|a, b| account_order(&a.0, &b.0));
            for (uin, e) in entries {
                targets.push(Target {
                    kind,
                    uin,
                    path: e.path.clone(),
                    entries: vec![e],
                });
            }
        }
        Rows::Folder => {
            if !entries.is_empty() {
                targets.push(Target {
                    kind,
                    uin: None,
                    path: dir.to_path_buf(),
                    entries: entries.into_iter().map(|(_, e)| e).collect(),
                });
            }
        }
        Rows::PerAccount => {
            let mut by_uin: Vec<(Option<String>, Vec<Entry>)> = Vec::new();
            for (uin, e) in entries {
                match by_uin.iter_mut().find(|(u, _)| *u == uin) {
                    Some((_, v)) => v.push(e),
                    None => by_uin.push((uin, vec![e])),
                }
            }
            by_uin.sort_by(|a, b| account_order(&a.0, &b.0));
            for (uin, entries) in by_uin {
                // The store itself stands for the row; its side files go with it.
                let path = entries
                    .iter()
                    .map(|e| e.path.clone())
                    .find(|p| p.to_string_lossy().ends_with(".db"))
                    .unwrap_or_else(|| dir.to_path_buf());
                targets.push(Target {
                    kind,
                    uin,
                    path,
                    entries,
                });
            }
        }
    }
}

/// Builds the plan from the LLOneBot plugin's table (see [`scan_stack`]).
pub fn scan(data_dir: &Path, opts: &Options, progress: impl FnMut(&Entry)) -> Plan {
    scan_stack(&llonebot_plugin::STACK, data_dir, opts, progress)
}

/// Builds the plan from `stack`'s target table, row by row in the table's order. `progress` is
/// called once per entry measured. Entries are measured on several threads (a big temp/ holds
/// hundreds of thousands of files); the plan is the same as measuring them one by one.
pub fn scan_stack(
    stack: &'static Stack,
    data_dir: &Path,
    opts: &Options,
    mut progress: impl FnMut(&Entry),
) -> Plan {
    let now = unix_secs(SystemTime::now());
    let sweep = opts.sweep(age::now_precise());
    // The data dir and the table's target folders, pinned by identity for the deletion.
    let mut folders: Vec<&'static str> = stack.targets.iter().filter_map(|t| t.folder).collect();
    folders.dedup();
    let pins = super::remove::record(data_dir, &folders);
    // Everything that may go is listed first, then measured at once.
    let listings: Vec<Listing> = stack
        .targets
        .iter()
        .filter(|spec| opts.wants(spec.switch))
        .filter_map(|spec| list_row(stack, spec, data_dir, opts))
        .collect();
    let jobs: Vec<(&Listed, bool, Option<Sweep>)> = listings
        .iter()
        .flat_map(|l| {
            let sweep = sweep.filter(|_| l.spec.age);
            l.items.iter().map(move |(_, i)| (i, l.spec.walk, sweep))
        })
        .collect();
    let mut measured = measure_all(&jobs, &mut progress).into_iter();

    let mut targets = Vec::new();
    let mut unreadable = Vec::new();
    let mut unreadable_inside = Vec::new();
    for l in &listings {
        unreadable.extend(l.unreadable.iter().cloned());
        let mut entries = Vec::new();
        for (uin, item) in &l.items {
            let r = measured
                .next()
                .unwrap_or_else(|| Err(io::Error::other("not measured")));
            match r {
                Ok((e, inside))
                    if type_fits(l.spec.types, e.entry_type)
                        && (!l.spec.age || opts.old_enough(&e, now)) =>
                {
                    unreadable_inside.extend(inside.into_iter().map(|(path, error)| {
                        UnreadInside {
                            entry: e.path.clone(),
                            path,
                            error,
                        }
                    }));
                    entries.push((uin.clone(), e))
                }
                // Not read whole, so its age is unknown and `--older-than` keeps it: said.
                Ok((_, inside)) if !inside.is_empty() => unreadable.extend(
                    inside
                        .into_iter()
                        .map(|(p, why)| (p, why.render(crate::i18n::Lang::En))),
                ),
                Ok(_) => {} // e.g. a file named msg_<digits> is not LLOneBot's: left alone
                Err(err) => unreadable.push((item.path.clone(), err.to_string())),
            }
        }
        add_rows(l.spec, &l.dir, entries, &mut targets);
    }

    Plan {
        data_dir: data_dir.to_path_buf(),
        targets,
        unreadable,
        unreadable_inside,
        pins,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn database_and_log_names() {
        assert_eq!(database_uin("123.db"), Some("123"));
        assert_eq!(database_uin("123.v2.db"), Some("123"));
        assert_eq!(database_uin("123.v2.db-wal"), Some("123"));
        assert_eq!(database_uin("123.db-journal"), Some("123"));
        assert_eq!(database_uin("notes.db"), None);
        assert_eq!(database_uin("123.dbx"), None);
        assert!(is_log_name("llonebot-2024-08-02 15-03-00.log"));
        assert!(is_log_name("x.log.1"));
        assert!(!is_log_name("x.log.bak") && !is_log_name("config.json"));
    }

    /// A data dir with a msg_ folder and a temp/ of many entries, nested folders among them.
    fn fixture() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data = tmp.path().join("LLOneBot");
        let db = data.join("msg_10001");
        fs::create_dir_all(&db).expect("msg dir");
        fs::write(db.join("CURRENT"), b"MANIFEST-000002\n").expect("file");
        fs::write(db.join("000005.ldb"), vec![7u8; 3000]).expect("file");
        let temp = data.join("temp");
        for i in 0..300 {
            if i % 30 == 0 {
                let d = temp.join(format!("dir{i:03}")).join("inner").join("deeper");
                fs::create_dir_all(&d).expect("nested");
                fs::write(d.join("a.png"), vec![1u8; i]).expect("file");
                fs::write(d.parent().expect("parent").join("b.json"), b"{}").expect("file");
            } else {
                fs::create_dir_all(&temp).expect("temp");
                fs::write(temp.join(format!("f{i:03}.jpg")), vec![0u8; i]).expect("file");
            }
        }
        (tmp, data)
    }

    #[test]
    fn many_entries_are_measured_in_order_and_in_full() {
        let (_tmp, data) = fixture();
        let mut seen = 0;
        let plan = scan(&data, &Options::default(), |_| seen += 1);
        assert!(plan.unreadable.is_empty(), "{:?}", plan.unreadable);
        assert_eq!(seen, 1 + 300);
        let msg = &plan.targets[0];
        assert_eq!(
            (msg.kind, msg.files(), msg.bytes()),
            (Kind::MsgDb, 2, 16 + 3000)
        );
        let temp = &plan.targets[1];
        assert_eq!(temp.kind, Kind::Temp);
        assert_eq!(temp.entries.len(), 300);
        let names: Vec<String> = temp
            .entries
            .iter()
            .map(|e| {
                e.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for e in &temp.entries {
            let name = e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(n) = name.strip_prefix("dir") {
                let i: u64 = n.parse().expect("number");
                assert_eq!(
                    (e.entry_type, e.files, e.bytes),
                    (EntryType::Dir, 2, i + 2),
                    "{name}"
                );
            } else {
                let i: u64 = name[1..4].parse().expect("number");
                assert_eq!(
                    (e.entry_type, e.files, e.bytes),
                    (EntryType::File, 1, i),
                    "{name}"
                );
            }
        }
        assert_eq!(temp.files(), 290 + 10 * 2);
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_folders_count_as_files_and_are_not_followed() {
        let (tmp, data) = fixture();
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).expect("outside");
        fs::write(outside.join("big"), vec![0u8; 100_000]).expect("file");
        let d = data.join("temp").join("dir000");
        std::os::unix::fs::symlink(&outside, d.join("link")).expect("symlink");
        std::os::unix::fs::symlink(&outside, data.join("temp").join("toplink")).expect("symlink");
        let plan = scan(&data, &Options::default(), |_| {});
        let temp = &plan.targets[1];
        let find = |name: &str| {
            temp.entries
                .iter()
                .find(|e| e.path.file_name().is_some_and(|n| n == name))
                .expect("entry")
        };
        let dir = find("dir000");
        assert_eq!(
            (dir.files, dir.bytes),
            (3, 2),
            "the link counts as an entry, its target not"
        );
        let top = find("toplink");
        assert_eq!(
            (top.entry_type, top.files, top.bytes),
            (EntryType::Link, 1, 0)
        );
    }
}
