//! Scans an LLOneBot data dir into a [`Plan`]: every entry that will go, with its size. The
//! deletion later works from this plan, never from a new scan.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use crate::discover::uin_of;
use crate::time::unix_secs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A legacy `msg_<uin>` LevelDB folder, removed whole.
    MsgDb,
    /// An entry directly inside `temp/` (the folder itself stays).
    Temp,
    /// A log file directly inside `logs/`.
    Logs,
    /// A SQLite store `database/<uin>.db` / `<uin>.v2.db` and its -wal/-shm/-journal files.
    Database,
}

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
    pub path: PathBuf,
    pub entry_type: EntryType,
    pub files: u64,
    pub bytes: u64,
    /// Newest modification time anywhere inside (seconds since the epoch).
    pub newest: u64,
}

/// A row of the preview: one `msg_<uin>` folder, the temp contents, the logs, or one
/// account's database; it holds the exact entries that will go.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub kind: Kind,
    pub uin: Option<String>,
    /// The folder or file this row stands for (`temp/` for the temp contents).
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
    /// Only temp entries and logs whose newest change is at least this many seconds old.
    pub older_than: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub data_dir: PathBuf,
    pub targets: Vec<Target>,
    /// Entries seen but left alone because they could not be read.
    pub unreadable: Vec<(PathBuf, String)>,
}

impl Plan {
    pub fn entry_count(&self) -> usize {
        self.targets.iter().map(|t| t.entries.len()).sum()
    }
}

fn entry_type(ft: fs::FileType) -> EntryType {
    if ft.is_symlink() {
        EntryType::Link
    } else if ft.is_dir() {
        EntryType::Dir
    } else {
        EntryType::File
    }
}

/// Is this a link, junction or other reparse point? `is_symlink` misses junctions on Windows.
pub fn is_link(meta: &fs::Metadata) -> bool {
    if meta.file_type().is_symlink() {
        return true;
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::MetadataExt;
        const FILE_ATTRIBUTE_REPARSE_POINT: u32 = 0x400;
        if meta.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
            return true;
        }
    }
    false
}

/// The type of what is at `path` now, without following links.
pub fn type_of(path: &Path) -> std::io::Result<EntryType> {
    let meta = fs::symlink_metadata(path)?;
    Ok(if is_link(&meta) {
        EntryType::Link
    } else {
        entry_type(meta.file_type())
    })
}

fn mtime(meta: &fs::Metadata) -> u64 {
    meta.modified().map(unix_secs).unwrap_or(0)
}

/// Measures one entry: files, bytes and newest mtime, never following links.
fn measure(path: &Path) -> std::io::Result<Entry> {
    let meta = fs::symlink_metadata(path)?;
    let t = if is_link(&meta) {
        EntryType::Link
    } else {
        entry_type(meta.file_type())
    };
    let mut e = Entry {
        path: path.to_path_buf(),
        entry_type: t,
        files: 1,
        bytes: if t == EntryType::File { meta.len() } else { 0 },
        newest: mtime(&meta),
    };
    if t == EntryType::Dir {
        e.files = 0;
        for item in walkdir::WalkDir::new(path).min_depth(1).follow_links(false) {
            let Ok(item) = item else { continue };
            let Ok(m) = item.metadata() else { continue };
            e.newest = e.newest.max(mtime(&m));
            if !m.is_dir() {
                e.files += 1;
                if m.is_file() {
                    e.bytes += m.len();
                }
            }
        }
    }
    Ok(e)
}

fn old_enough(e: &Entry, opts: &Options, now: u64) -> bool {
    match opts.older_than {
        Some(age) => now.saturating_sub(e.newest) >= age,
        None => true,
    }
}

fn wants_uin(opts: &Options, uin: &str) -> bool {
    opts.uins.is_empty() || opts.uins.iter().any(|u| u == uin)
}

/// Sorted entries of a folder with their names (lossy: only patterns are matched on them, and
/// a non-UTF-8 name never matches a pattern); a folder that cannot be read gives nothing.
fn list(dir: &Path, unreadable: &mut Vec<(PathBuf, String)>) -> Vec<(String, PathBuf)> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            unreadable.push((dir.to_path_buf(), e.to_string()));
            return Vec::new();
        }
    };
    let mut out: Vec<(String, PathBuf)> = rd
        .filter_map(Result::ok)
        .map(|e| match e.file_name().into_string() {
            Ok(name) => (name, e.path()),
            // U+FFFD never fits msg_<digits>, <uin>.db or *.log: such names only go from temp/.
            Err(raw) => (raw.to_string_lossy().into_owned(), e.path()),
        })
        .collect();
    out.sort();
    out
}

/// A sub-folder of the data dir we may look into: a real folder, not a link to elsewhere.
fn real_subdir(data_dir: &Path, name: &str) -> Option<PathBuf> {
    let p = data_dir.join(name);
    let meta = fs::symlink_metadata(&p).ok()?;
    (!is_link(&meta) && meta.is_dir()).then_some(p)
}

/// SQLite store names: `<uin>.db`, `<uin>.v2.db`, and their journal side files.
pub fn database_uin(name: &str) -> Option<&str> {
    let base = ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    uin_of(base, "", ".v2.db").or_else(|| uin_of(base, "", ".db"))
}

/// A log file LLOneBot writes: `*.log` (rotated `*.log.N` too).
pub fn is_log_name(name: &str) -> bool {
    name.ends_with(".log")
        || name
            .rsplit_once(".log.")
            .is_some_and(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()))
}

/// Builds the plan. `progress` is called once per entry measured.
pub fn scan(data_dir: &Path, opts: &Options, mut progress: impl FnMut(&Entry)) -> Plan {
    let now = unix_secs(SystemTime::now());
    let mut targets = Vec::new();
    let mut unreadable = Vec::new();
    let mut add = |kind, uin: Option<&str>, path: PathBuf, entries: Vec<Entry>| {
        if !entries.is_empty() {
            targets.push(Target {
                kind,
                uin: uin.map(str::to_string),
                path,
                entries,
            });
        }
    };

    // Legacy LevelDB folders, whole. A link named like one is removed as a link.
    for (name, path) in list(data_dir, &mut unreadable) {
        let Some(uin) = uin_of(&name, "msg_", "") else {
            continue;
        };
        if !wants_uin(opts, uin) {
            continue;
        }
        match measure(&path) {
            Ok(e) if e.entry_type != EntryType::File => {
                progress(&e);
                add(Kind::MsgDb, Some(uin), path, vec![e]);
            }
            Ok(_) => {} // a file named msg_<digits> is not LLOneBot's: left alone
            Err(err) => unreadable.push((path, err.to_string())),
        }
    }

    // Temp contents.
    if let Some(temp) = real_subdir(data_dir, "temp") {
        let mut entries = Vec::new();
        for (_, path) in list(&temp, &mut unreadable) {
            match measure(&path) {
                Ok(e) => {
                    progress(&e);
                    if old_enough(&e, opts, now) {
                        entries.push(e);
                    }
                }
                Err(err) => unreadable.push((path, err.to_string())),
            }
        }
        add(Kind::Temp, None, temp, entries);
    }

    if opts.logs
        && let Some(logs) = real_subdir(data_dir, "logs")
    {
        let mut entries = Vec::new();
        for (name, path) in list(&logs, &mut unreadable) {
            if !is_log_name(&name) {
                continue;
            }
            match measure(&path) {
                Ok(e) if e.entry_type != EntryType::Dir => {
                    progress(&e);
                    if old_enough(&e, opts, now) {
                        entries.push(e);
                    }
                }
                Ok(_) => {}
                Err(err) => unreadable.push((path, err.to_string())),
            }
        }
        add(Kind::Logs, None, logs, entries);
    }

    if opts.database
        && let Some(db) = real_subdir(data_dir, "database")
    {
        let mut by_uin: Vec<(String, Vec<Entry>)> = Vec::new();
        for (name, path) in list(&db, &mut unreadable) {
            let Some(uin) = database_uin(&name) else {
                continue;
            };
            if !wants_uin(opts, uin) {
                continue;
            }
            match measure(&path) {
                Ok(e) if e.entry_type != EntryType::Dir => {
                    progress(&e);
                    match by_uin.iter_mut().find(|(u, _)| u == uin) {
                        Some((_, v)) => v.push(e),
                        None => by_uin.push((uin.to_string(), vec![e])),
                    }
                }
                Ok(_) => {}
                Err(err) => unreadable.push((path, err.to_string())),
            }
        }
        for (uin, entries) in by_uin {
            let main = entries
                .iter()
                .map(|e| e.path.clone())
                .find(|p| p.to_string_lossy().ends_with(".db"))
                .unwrap_or_else(|| db.clone());
            add(Kind::Database, Some(&uin), main, entries);
        }
    }

    Plan {
        data_dir: data_dir.to_path_buf(),
        targets,
        unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
