//! Scans an LLOneBot data dir into a [`Plan`]: every entry that will go, with its size. The
//! deletion later works from this plan, never from a new scan.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
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
    /// Files of one kind of QQ's own media cache (`pic`, `temp`, ...), relative to an `nt_data`
    /// or a `versions` folder.
    #[serde(untagged)]
    QqCache(crate::qq_cache::CacheKind),
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

/// An entry of a folder, as listed: its name (lossy: only patterns are matched on it), its
/// path, and the listing's own record of it (whose metadata costs no path lookup).
struct Listed {
    name: String,
    path: PathBuf,
    dirent: fs::DirEntry,
}

/// An entry's own metadata, never following a link: what the guard will check again before
/// removing it. On Windows that is `symlink_metadata`, the guard's own call: a folder listing
/// may describe a link otherwise (under Wine, a Unix symlink is a reparse point in the listing
/// and a plain folder when opened). Elsewhere the listing's record gives the same `lstat`,
/// made relative to the open folder instead of resolving the whole path again.
fn own_metadata(item: &Listed) -> io::Result<fs::Metadata> {
    if cfg!(windows) {
        fs::symlink_metadata(&item.path)
    } else {
        item.dirent.metadata()
    }
}

/// Measures one entry: files, bytes and newest mtime, never following links. A folder is
/// walked only if `walk` (a folder that is no target is left out anyway).
fn measure(item: &Listed, walk: bool) -> io::Result<Entry> {
    let meta = own_metadata(item)?;
    let t = if is_link(&meta) {
        EntryType::Link
    } else {
        entry_type(meta.file_type())
    };
    let mut e = Entry {
        path: item.path.clone(),
        entry_type: t,
        files: 1,
        bytes: if t == EntryType::File { meta.len() } else { 0 },
        newest: mtime(&meta),
    };
    if t == EntryType::Dir {
        e.files = 0;
        if walk {
            add_inside(&item.path, &mut e);
        }
    }
    Ok(e)
}

/// Adds everything below the folder `dir` to `e`: one metadata call per item, made relative to
/// the open folder (like `du`), never following links; what cannot be read is passed over.
fn add_inside(dir: &Path, e: &mut Entry) {
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(rd) = fs::read_dir(&folder) else {
            continue;
        };
        for item in rd {
            let Ok(item) = item else { continue };
            let Ok(m) = item.metadata() else { continue };
            e.newest = e.newest.max(mtime(&m));
            // Not a link: `is_dir` of metadata that was not followed is a real folder only.
            if m.is_dir() {
                folders.push(item.path());
            } else {
                e.files += 1;
                if m.is_file() {
                    e.bytes += m.len();
                }
            }
        }
    }
}

/// Threads for measuring: one per core, for a tree already in memory as for one on disk.
fn measure_threads(jobs: usize) -> usize {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(8).min(jobs)
}

/// Measures every item (`walk`: whether its folder is walked), across threads; results in the
/// items' order. `progress` is called on this thread as each one is measured.
fn measure_all(
    items: &[(&Listed, bool)],
    progress: &mut dyn FnMut(&Entry),
) -> Vec<io::Result<Entry>> {
    let threads = measure_threads(items.len());
    if threads <= 1 {
        return items
            .iter()
            .map(|&(item, walk)| {
                let r = measure(item, walk);
                if let Ok(e) = &r {
                    progress(e);
                }
                r
            })
            .collect();
    }
    let mut out: Vec<Option<io::Result<Entry>>> = items.iter().map(|_| None).collect();
    // Items are taken and reported in small batches: one message per item would cost more
    // than measuring a file.
    let batch = (items.len() / (threads * 16)).clamp(1, 64);
    let next = AtomicUsize::new(0);
    thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<Vec<(usize, io::Result<Entry>)>>();
        for _ in 0..threads {
            let (tx, next) = (tx.clone(), &next);
            s.spawn(move || {
                loop {
                    let from = next.fetch_add(batch, Ordering::Relaxed);
                    let Some(chunk) = items.get(from..items.len().min(from.saturating_add(batch)))
                    else {
                        return;
                    };
                    if chunk.is_empty() {
                        return;
                    }
                    let done = chunk
                        .iter()
                        .enumerate()
                        .map(|(k, &(item, walk))| (from + k, measure(item, walk)))
                        .collect();
                    if tx.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        for (i, r) in rx.into_iter().flatten() {
            if let Ok(e) = &r {
                progress(e);
            }
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(r);
            }
        }
    });
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(io::Error::other("not measured"))))
        .collect()
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
fn list(dir: &Path, unreadable: &mut Vec<(PathBuf, String)>) -> Vec<Listed> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            unreadable.push((dir.to_path_buf(), e.to_string()));
            return Vec::new();
        }
    };
    let mut out: Vec<Listed> = rd
        .filter_map(Result::ok)
        .map(|e| Listed {
            // U+FFFD never fits msg_<digits>, <uin>.db or *.log: such names only go from temp/.
            name: e.file_name().to_string_lossy().into_owned(),
            path: e.path(),
            dirent: e,
        })
        .collect();
    out.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
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

/// A log file LLOneBot writes: `*.log` (rotated `*.log.N` too). Stricter than what `stats`
/// reads, because this decides what `clean --logs` deletes.
pub fn is_log_name(name: &str) -> bool {
    name.ends_with(".log")
        || name
            .rsplit_once(".log.")
            .is_some_and(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()))
}

/// Builds the plan. `progress` is called once per entry measured. Entries are measured on
/// several threads (a big temp/ holds hundreds of thousands of files); the plan is the same
/// as measuring them one by one.
pub fn scan(data_dir: &Path, opts: &Options, mut progress: impl FnMut(&Entry)) -> Plan {
    let now = unix_secs(SystemTime::now());
    // What could not be read, per place, reported in the order the places are listed here.
    let mut unreadable = Vec::new();
    let mut temp_unreadable = Vec::new();
    let mut logs_unreadable = Vec::new();
    let mut database_unreadable = Vec::new();

    // Everything that may go is listed first, then measured at once.
    // Legacy LevelDB folders, whole. A link named like one is removed as a link.
    let msg: Vec<(String, Listed)> = list(data_dir, &mut unreadable)
        .into_iter()
        .filter_map(|item| {
            let uin = uin_of(&item.name, "msg_", "")?.to_string();
            wants_uin(opts, &uin).then_some((uin, item))
        })
        .collect();
    let temp = real_subdir(data_dir, "temp").map(|dir| {
        let items = list(&dir, &mut temp_unreadable);
        (dir, items)
    });
    let logs = if opts.logs {
        real_subdir(data_dir, "logs").map(|dir| {
            let mut items = list(&dir, &mut logs_unreadable);
            items.retain(|i| is_log_name(&i.name));
            (dir, items)
        })
    } else {
        None
    };
    let database = if opts.database {
        real_subdir(data_dir, "database").map(|dir| {
            let items: Vec<(String, Listed)> = list(&dir, &mut database_unreadable)
                .into_iter()
                .filter_map(|item| {
                    let uin = database_uin(&item.name)?.to_string();
                    wants_uin(opts, &uin).then_some((uin, item))
                })
                .collect();
            (dir, items)
        })
    } else {
        None
    };

    // Folders in logs/ and database/ are no targets: not walked.
    let mut jobs: Vec<(&Listed, bool)> = Vec::new();
    jobs.extend(msg.iter().map(|(_, i)| (i, true)));
    if let Some((_, items)) = &temp {
        jobs.extend(items.iter().map(|i| (i, true)));
    }
    if let Some((_, items)) = &logs {
        jobs.extend(items.iter().map(|i| (i, false)));
    }
    if let Some((_, items)) = &database {
        jobs.extend(items.iter().map(|(_, i)| (i, false)));
    }
    let mut measured = measure_all(&jobs, &mut progress).into_iter();
    let mut next = |path: &Path| {
        measured
            .next()
            .unwrap_or_else(|| Err(io::Error::other("not measured")))
            .map_err(|err| (path.to_path_buf(), err.to_string()))
    };

    let mut targets = Vec::new();
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

    for (uin, item) in &msg {
        match next(&item.path) {
            Ok(e) if e.entry_type != EntryType::File => {
                add(Kind::MsgDb, Some(uin), item.path.clone(), vec![e]);
            }
            Ok(_) => {} // a file named msg_<digits> is not LLOneBot's: left alone
            Err(u) => unreadable.push(u),
        }
    }

    unreadable.append(&mut temp_unreadable);
    if let Some((dir, items)) = temp {
        let mut entries = Vec::new();
        for item in &items {
            match next(&item.path) {
                Ok(e) if old_enough(&e, opts, now) => entries.push(e),
                Ok(_) => {}
                Err(u) => unreadable.push(u),
            }
        }
        add(Kind::Temp, None, dir, entries);
    }

    unreadable.append(&mut logs_unreadable);
    if let Some((dir, items)) = logs {
        let mut entries = Vec::new();
        for item in &items {
            match next(&item.path) {
                Ok(e) if e.entry_type != EntryType::Dir && old_enough(&e, opts, now) => {
                    entries.push(e)
                }
                Ok(_) => {}
                Err(u) => unreadable.push(u),
            }
        }
        add(Kind::Logs, None, dir, entries);
    }

    unreadable.append(&mut database_unreadable);
    if let Some((db, items)) = database {
        let mut by_uin: Vec<(String, Vec<Entry>)> = Vec::new();
        for (uin, item) in &items {
            match next(&item.path) {
                Ok(e) if e.entry_type != EntryType::Dir => {
                    match by_uin.iter_mut().find(|(u, _)| u == uin) {
                        Some((_, v)) => v.push(e),
                        None => by_uin.push((uin.clone(), vec![e])),
                    }
                }
                Ok(_) => {}
                Err(u) => unreadable.push(u),
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
