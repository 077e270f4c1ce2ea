//! Walks QQ's cache folders: only the folders the kinds table names, never through a link, never
//! into another filesystem, several folders at a time. Gives sizes per kind (for `detect` and
//! `doctor`) and, for a clean, the rows of the plan: per kind and month folder (or the kind's
//! top folder) the files old enough, their bytes and how many files the row holds in all.
//! Nothing is kept per file, so a plan takes the same memory for a million files as for ten:
//! the clean sweeps each row's folder again, file by file, through handles
//! (`clean::remove`), and takes exactly the files of that kind old enough at the plan.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::thread;

use serde::Serialize;

use super::kinds::{CacheKind, WALK_ROOTS, classify, is_never, root_kinds};
use crate::clean::plan::age::signed_secs;
use crate::clean::plan::{Entry, EntryType, is_link};
use crate::time::unix_secs;

/// Files, bytes and the newest modification time (seconds since the epoch; 0 when empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Sum {
    pub files: u64,
    pub bytes: u64,
    pub newest: u64,
}

impl Sum {
    pub fn add(&mut self, bytes: u64, mtime: u64) {
        self.files += 1;
        self.bytes += bytes;
        self.newest = self.newest.max(mtime);
    }
    pub fn merge(&mut self, o: &Sum) {
        self.files += o.files;
        self.bytes += o.bytes;
        self.newest = self.newest.max(o.newest);
    }
}

/// Why a folder or file was left out of the walk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// A symbolic link, junction or other reparse point: never followed.
    Link,
    /// A mount point: another filesystem is never entered.
    OtherFilesystem,
}

/// What to look for.
#[derive(Debug, Clone)]
pub struct Filter {
    pub kinds: Vec<CacheKind>,
    /// Plan files modified at or before this time (signed seconds since 1970, see
    /// `clean::plan::age`); `None`: sizes only.
    pub cutoff: Option<i64>,
}

/// One row of a clean plan: the files old enough (count, bytes, newest time) and every file
/// of the row's kind in its folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    pub old: Sum,
    pub of_files: u64,
}

#[derive(Debug, Default)]
pub struct Walked {
    /// Every matching file, per kind (whatever its age).
    pub sums: BTreeMap<CacheKind, Sum>,
    /// Per (kind, row folder: the month folder, or the kind's top folder), rows with at least
    /// one file old enough.
    pub rows: BTreeMap<(CacheKind, PathBuf), Row>,
    /// Links not followed and mount points not crossed.
    pub skipped: Vec<(PathBuf, Skip)>,
    /// Folders that could not be read (left alone).
    pub unreadable: Vec<(PathBuf, String)>,
}

impl Walked {
    fn merge(&mut self, o: Walked) {
        for (k, s) in o.sums {
            self.sums.entry(k).or_default().merge(&s);
        }
        for (k, r) in o.rows {
            let row = self.rows.entry(k).or_default();
            row.old.merge(&r.old);
            row.of_files += r.of_files;
        }
        self.skipped.extend(o.skipped);
        self.unreadable.extend(o.unreadable);
    }
}

struct Job {
    dir: PathBuf,
    /// The folders from `nt_data` down to `dir`.
    rel: Vec<String>,
    /// How many of `rel` the walk root has (`Pic`: 1, `Emoji/emoji-recv`: 2).
    root_len: usize,
}

/// Folders to visit, shared by the walkers: the jobs waiting, how many are being visited, and
/// whether a walker panicked (then the others stop at once instead of waiting for its jobs).
struct Queue {
    state: Mutex<(Vec<Job>, usize, bool)>,
    ready: Condvar,
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, (Vec<Job>, usize, bool)> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Held by a walker: if it panics, the queue is marked abandoned and the others woken, so the
/// panic reaches the caller instead of leaving the others waiting for its folder forever.
struct Abandon<'a>(&'a Queue);

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.lock().2 = true;
            self.0.ready.notify_all();
        }
    }
}

/// The device of a folder, to stay on one filesystem (`du -x`, `rm --one-file-system`).
#[cfg(unix)]
fn device(m: &fs::Metadata) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    Some(m.dev())
}
#[cfg(not(unix))]
fn device(_: &fs::Metadata) -> Option<u64> {
    None
}

fn mtime(m: &fs::Metadata) -> u64 {
    m.modified().map(unix_secs).unwrap_or(0)
}

/// An entry's own metadata, never following a link (see `clean::plan::own_metadata`: on
/// Windows the path's, which is what the guard checks; elsewhere the listing's, relative to
/// the open folder).
fn own_metadata(item: &fs::DirEntry) -> io::Result<fs::Metadata> {
    if cfg!(windows) {
        fs::symlink_metadata(item.path())
    } else {
        item.metadata()
    }
}

fn walk_threads() -> usize {
    thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

/// Does `parent` hold an entry with exactly this name (case included)?
fn has_exact(parent: &Path, name: &str) -> bool {
    fs::read_dir(parent).is_ok_and(|rd| rd.flatten().any(|e| e.file_name() == name))
}

/// Walks one `nt_data`.
pub fn walk(nt_data: &Path, filter: &Filter) -> Walked {
    let mut out = Walked::default();
    let Ok(top) = fs::metadata(nt_data) else {
        return out;
    };
    let dev = device(&top);
    let mut jobs = Vec::new();
    for root in WALK_ROOTS {
        if !root_kinds(root).iter().any(|k| filter.kinds.contains(k)) {
            continue;
        }
        let rel: Vec<String> = root.split('/').map(str::to_string).collect();
        let mut dir = nt_data.to_path_buf();
        let mut real = true;
        for part in &rel {
            // By its name on disk: where names ignore case (Windows, macOS) `Log` would open
            // `log` too, and the same files would be counted and planned twice.
            if !has_exact(&dir, part) {
                real = false;
                break;
            }
            dir.push(part);
            match fs::symlink_metadata(&dir) {
                Ok(m) if is_link(&m) => {
                    out.skipped.push((dir.clone(), Skip::Link));
                    real = false;
                    break;
                }
                Ok(m) if m.is_dir() && device(&m) != dev => {
                    out.skipped.push((dir.clone(), Skip::OtherFilesystem));
                    real = false;
                    break;
                }
                Ok(m) if m.is_dir() => {}
                _ => {
                    real = false;
                    break;
                }
            }
        }
        if real {
            let root_len = rel.len();
            jobs.push(Job { dir, rel, root_len });
        }
    }
    let queue = Queue {
        state: Mutex::new((jobs, 0, false)),
        ready: Condvar::new(),
    };
    let results: Vec<Walked> = thread::scope(|s| {
        let handles: Vec<_> = (0..walk_threads())
            .map(|_| s.spawn(|| worker(nt_data, &queue, filter, dev)))
            .collect();
        let mut results = Vec::new();
        for h in handles {
            match h.join() {
                Ok(w) => results.push(w),
                // A walker's panic is the caller's: never a partial result.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    for r in results {
        out.merge(r);
    }
    out.skipped.sort();
    out.unreadable.sort();
    out
}

fn worker(nt_data: &Path, q: &Queue, filter: &Filter, dev: Option<u64>) -> Walked {
    let _abandon = Abandon(q);
    crate::signals::failpoint("qq_cache_walk");
    let mut out = Walked::default();
    loop {
        let job = {
            let mut st = q.lock();
            loop {
                if st.2 {
                    return out;
                }
                if let Some(j) = st.0.pop() {
                    st.1 += 1;
                    break j;
                }
                if st.1 == 0 {
                    q.ready.notify_all();
                    return out;
                }
                st = q.ready.wait(st).unwrap_or_else(|p| p.into_inner());
            }
        };
        let subdirs = visit(nt_data, &job, filter, dev, &mut out);
        let mut st = q.lock();
        st.0.extend(subdirs);
        st.1 -= 1;
        q.ready.notify_all();
    }
}

/// Lists one folder: files are classified and counted, real sub-folders returned as jobs.
fn visit(
    nt_data: &Path,
    job: &Job,
    filter: &Filter,
    dev: Option<u64>,
    out: &mut Walked,
) -> Vec<Job> {
    let mut subdirs = Vec::new();
    let rd = match fs::read_dir(&job.dir) {
        Ok(rd) => rd,
        Err(e) => {
            if e.kind() != io::ErrorKind::NotFound {
                out.unreadable.push((job.dir.clone(), e.to_string()));
            }
            return subdirs;
        }
    };
    // The table decides by the folders and by the file name only through the never-touch
    // list: what a file here is, is known once per folder (any plain name stands for it).
    let mut parts: Vec<&str> = job.rel.iter().map(String::as_str).collect();
    parts.push("f");
    let here = classify(&parts).filter(|(k, _)| filter.kinds.contains(k));
    // Sums of this folder, added to the totals once.
    let mut old = Sum::default();
    let mut sum = Sum::default();
    for item in rd {
        let Ok(item) = item else { continue };
        let name = item.file_name();
        // A name that is not UTF-8 fits no pattern of the table: left alone.
        let Some(name) = name.to_str() else { continue };
        let Ok(meta) = own_metadata(&item) else {
            continue;
        };
        if is_link(&meta) {
            out.skipped.push((item.path(), Skip::Link));
            continue;
        }
        if meta.is_dir() {
            if is_never(name) {
                continue;
            }
            if device(&meta) != dev {
                out.skipped.push((item.path(), Skip::OtherFilesystem));
                continue;
            }
            let mut rel = job.rel.clone();
            rel.push(name.to_string());
            subdirs.push(Job {
                dir: item.path(),
                rel,
                root_len: job.root_len,
            });
            continue;
        }
        if !meta.is_file() || is_never(name) {
            continue;
        }
        if here.is_none() {
            continue;
        }
        let (bytes, t) = (meta.len(), mtime(&meta));
        sum.add(bytes, t);
        if filter
            .cutoff
            .is_some_and(|cutoff| signed_mtime(&meta) <= cutoff)
        {
            old.add(bytes, t);
        }
    }
    if let Some((kind, month)) = here {
        if sum.files > 0 {
            out.sums.entry(kind).or_default().merge(&sum);
        }
        if old.files > 0 || (filter.cutoff.is_some() && sum.files > 0) {
            // The row: the month folder, or the kind's top folder.
            let depth = job.root_len + usize::from(month.is_some());
            let mut row = nt_data.to_path_buf();
            row.extend(job.rel.iter().take(depth));
            let r = out.rows.entry((kind, row)).or_default();
            r.old.merge(&old);
            r.of_files += sum.files;
        }
    }
    subdirs
}

fn signed_mtime(m: &fs::Metadata) -> i64 {
    m.modified().map(signed_secs).unwrap_or(0)
}

/// Hot-update leftovers: `*.zip` files directly in `versions`, old enough (a few files: planned
/// one by one).
pub fn hot_update(versions: &Path, cutoff: Option<i64>) -> (Sum, Vec<Entry>) {
    let mut sum = Sum::default();
    let mut entries = Vec::new();
    let Ok(rd) = fs::read_dir(versions) else {
        return (sum, entries);
    };
    for item in rd.filter_map(Result::ok) {
        let name = item.file_name();
        let Some(name) = name.to_str() else { continue };
        if !super::kinds::is_hot_update_zip(&[name]) {
            continue;
        }
        let Ok(meta) = own_metadata(&item) else {
            continue;
        };
        if is_link(&meta) || !meta.is_file() {
            continue;
        }
        let t = mtime(&meta);
        sum.add(meta.len(), t);
        if cutoff.is_some_and(|c| signed_mtime(&meta) <= c) {
            entries.push(Entry {
                path: item.path(),
                entry_type: EntryType::File,
                files: 1,
                bytes: meta.len(),
                newest: t,
                sweep: None,
            });
        }
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    (sum, entries)
}
