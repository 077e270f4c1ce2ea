//! Listing and measuring the entries a plan may hold: sizes, file counts and the newest change
//! inside, never following links, on several threads for a big `temp/`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::SystemTime;

use super::{Entry, EntryType, Sweep};
use crate::i18n::Msg;
use crate::time::unix_secs;

pub(super) fn entry_type(ft: fs::FileType) -> EntryType {
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

pub(super) fn mtime(meta: &fs::Metadata) -> u64 {
    meta.modified().map(unix_secs).unwrap_or(0)
}

/// An entry of a folder, as listed: its name (lossy: only patterns are matched on it), its
/// path, and the listing's own record of it (whose metadata costs no path lookup).
pub(super) struct Listed {
    pub(super) name: String,
    pub(super) path: PathBuf,
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

/// An entry as measured, with what could not be read inside it (the entry itself, for a
/// folder that cannot be opened).
pub(super) type Measured = (Entry, Vec<(PathBuf, Msg)>);

/// Measures one entry: files, bytes and newest mtime, never following links. A folder is
/// walked only if `walk` (a folder that is no target is left out anyway).
fn measure(item: &Listed, walk: bool, sweep: Option<Sweep>) -> io::Result<Measured> {
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
        sweep: None,
    };
    let mut unreadable = Vec::new();
    if t == EntryType::Dir {
        e.files = 0;
        match (walk, sweep) {
            (true, Some(s)) => unreadable = add_old_inside(&item.path, &mut e, s),
            (true, None) => unreadable = add_inside(&item.path, &mut e),
            (false, _) => {}
        }
    }
    Ok((e, unreadable))
}

/// A folder aged file by file: `e` counts its files old enough for `sweep`'s cutoff (and its
/// own time when it holds no file at all); the sweep counts every file. What could not be
/// read does not hold back the rest: it is named, and the clean will likely fail there.
fn add_old_inside(dir: &Path, e: &mut Entry, sweep: Sweep) -> Vec<(PathBuf, Msg)> {
    let inside = crate::clean::remove::measure_inside(dir, Some(sweep.cutoff));
    e.files = inside.old.files;
    e.bytes = inside.old.bytes;
    if inside.old.files > 0 {
        e.newest = inside.old.newest;
    }
    e.sweep = Some(Sweep {
        of_files: inside.files,
        ..sweep
    });
    inside.unreadable
}

/// Adds everything below the folder `dir` to `e`, relative to open folders (no path length
/// limit), never following links or leaving the folder's device. A folder that could not be
/// read whole counts as changed now, so `--older-than` leaves it alone. Gives what could not
/// be read.
fn add_inside(dir: &Path, e: &mut Entry) -> Vec<(PathBuf, Msg)> {
    let inside = crate::clean::remove::measure_inside(dir, None);
    e.files += inside.files;
    e.bytes += inside.bytes;
    e.newest = e.newest.max(inside.newest);
    if !inside.unreadable.is_empty() {
        e.newest = e.newest.max(unix_secs(SystemTime::now()));
    }
    inside.unreadable
}

/// Threads for measuring: one per core, for a tree already in memory as for one on disk.
fn measure_threads(jobs: usize) -> usize {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(8).min(jobs)
}

/// Measures every item (`walk`: whether its folder is walked; a sweep: the folder is aged file
/// by file), across threads; results in the items' order. `progress` is called on this thread as each one is measured.
pub(super) fn measure_all(
    items: &[(&Listed, bool, Option<Sweep>)],
    progress: &mut dyn FnMut(&Entry),
) -> Vec<io::Result<Measured>> {
    let threads = measure_threads(items.len());
    if threads <= 1 {
        return items
            .iter()
            .map(|&(item, walk, sweep)| {
                let r = measure(item, walk, sweep);
                if let Ok((e, _)) = &r {
                    progress(e);
                }
                r
            })
            .collect();
    }
    let mut out: Vec<Option<io::Result<Measured>>> = items.iter().map(|_| None).collect();
    // Items are taken and reported in small batches: one message per item would cost more
    // than measuring a file.
    let batch = (items.len() / (threads * 16)).clamp(1, 64);
    let next = AtomicUsize::new(0);
    thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<Vec<(usize, io::Result<Measured>)>>();
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
                        .map(|(k, &(item, walk, sweep))| (from + k, measure(item, walk, sweep)))
                        .collect();
                    if tx.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        for (i, r) in rx.into_iter().flatten() {
            if let Ok((e, _)) = &r {
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

/// Sorted entries of a folder with their names (lossy: only patterns are matched on them, and
/// a non-UTF-8 name never matches a pattern); a folder that cannot be read gives nothing.
pub(super) fn list(dir: &Path, unreadable: &mut Vec<(PathBuf, String)>) -> Vec<Listed> {
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
pub(super) fn real_subdir(data_dir: &Path, name: &str) -> Option<PathBuf> {
    let p = data_dir.join(name);
    let meta = fs::symlink_metadata(&p).ok()?;
    (!is_link(&meta) && meta.is_dir()).then_some(p)
}
