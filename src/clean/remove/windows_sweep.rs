//! Windows: sweeping a folder entry file by file (see `clean::plan::age`), as the Unix sweep
//! does: each folder on the way is held open without delete sharing (it cannot be renamed or
//! replaced meanwhile), must be a real folder (no reparse point) on the entry's volume, and
//! each item's attributes, reparse tag and times are read from a handle on the item itself.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::os::windows::io::AsRawHandle;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use windows_sys::Win32::Storage::FileSystem::{
    FILE_BASIC_INFO, FileBasicInfo, GetFileInformationByHandleEx,
};

use super::super::links::Treat;
use super::super::{Job, Removed};
use super::{attribute_tag, open_look, remove_file, step_into};
use crate::clean::plan::{Only, Sweep};
use crate::i18n::Msg;
use crate::msg;
use crate::qq_cache::kinds::{classify, is_never};

/// 100-nanosecond ticks between 1601-01-01 (Windows' epoch) and 1970-01-01.
const EPOCH_DIFF: i64 = 116_444_736_000_000_000;

/// A FILETIME as (seconds, nanoseconds) since 1970.
fn unix_time(ticks: i64) -> (i64, u32) {
    let t = ticks.saturating_sub(EPOCH_DIFF);
    let secs = t.div_euclid(10_000_000);
    let nanos = u32::try_from(t.rem_euclid(10_000_000) * 100).unwrap_or(0);
    (secs, nanos)
}

/// Modification time (seconds) and change time of an open item.
fn times(f: &File) -> io::Result<(i64, (i64, u32))> {
    // SAFETY: all-zero is a valid FILE_BASIC_INFO.
    let mut b: FILE_BASIC_INFO = unsafe { std::mem::zeroed() };
    // SAFETY: the buffer is a FILE_BASIC_INFO of the size passed; the handle lives with `f`.
    let ok = unsafe {
        GetFileInformationByHandleEx(
            f.as_raw_handle(),
            FileBasicInfo,
            (&raw mut b).cast(),
            std::mem::size_of::<FILE_BASIC_INFO>() as u32,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((unix_time(b.LastWriteTime).0, unix_time(b.ChangeTime)))
}

struct Frame {
    path: PathBuf,
    /// Held open without delete sharing while the folder is walked.
    pin: Option<File>,
    /// Names below the plan's folder (QQ's kinds table), when all are text.
    names: Option<Vec<String>>,
    subdirs: Vec<OsString>,
    kept: bool,
    removed: bool,
    old: bool,
    ours: bool,
}

fn ours(sweep: &Sweep, names: Option<&Vec<String>>) -> bool {
    match sweep.only {
        Only::Any => true,
        Only::QqCache(kind) => names.is_some_and(|n| {
            let mut parts: Vec<&str> = n.iter().map(String::as_str).collect();
            parts.push("f");
            classify(&parts).is_some_and(|(k, _)| k == kind)
        }),
    }
}

#[derive(Default)]
struct Tally {
    files: u64,
    bytes: u64,
    first: Option<Msg>,
    count: usize,
    interrupted: bool,
}

impl Tally {
    fn problem(&mut self, m: Msg) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(m);
        }
    }
}

fn raw(path: &Path, e: io::Error) -> Msg {
    Msg::raw(format!("{}: {e}", path.display()))
}

/// Lists the top frame's folder: files the sweep takes go at once, sub-folders are kept.
fn list(job: &Job<'_>, frame: &mut Frame, t: &mut Tally) {
    let rd = match fs::read_dir(&frame.path) {
        Ok(rd) => rd,
        Err(e) => {
            t.problem(raw(&frame.path, e));
            frame.kept = true;
            return;
        }
    };
    for item in rd {
        if job.stop.load(Ordering::SeqCst) {
            t.interrupted = true;
            frame.kept = true;
            return;
        }
        let Ok(item) = item else {
            frame.kept = true;
            continue;
        };
        let path = item.path();
        let Ok(f) = open_look(&path) else {
            // Gone meanwhile, or not ours to open.
            frame.kept = true;
            continue;
        };
        let Ok((attrs, tag)) = attribute_tag(&f) else {
            frame.kept = true;
            continue;
        };
        let how = super::super::links::treat(attrs, tag);
        if how == Treat::Descend {
            frame.subdirs.push(item.file_name());
            continue;
        }
        let fits = match job.sweep.only {
            Only::Any => true,
            Only::QqCache(_) => {
                frame.ours
                    && how == Treat::RemoveFile
                    && item.file_name().to_str().is_some_and(|n| !is_never(n))
            }
        };
        let (Ok((mtime, ctime)), Ok(meta)) = (times(&f), f.metadata()) else {
            frame.kept = true;
            continue;
        };
        drop(f);
        if !fits || !job.sweep.takes(mtime, ctime) {
            frame.kept = true;
            continue;
        }
        let gone = match job.trash {
            Some(trash) => trash(&path),
            None => match how {
                Treat::RemoveLinkDir => fs::remove_dir(&path).map_err(|e| raw(&path, e)),
                Treat::RemoveLinkFile => fs::remove_file(&path)
                    .or_else(|e| fs::remove_dir(&path).map_err(|_| e))
                    .map_err(|e| raw(&path, e)),
                _ => remove_file(&path).map_err(|e| raw(&path, e)),
            },
        };
        match gone {
            Ok(()) => {
                t.files += 1;
                if how == Treat::RemoveFile {
                    t.bytes += meta.len();
                }
                frame.removed = true;
            }
            Err(m) => {
                frame.kept = true;
                t.problem(m);
            }
        }
    }
}

/// Sweeps the folder at `entry` (looked up and checked by the session), on `volume`.
pub(super) fn sweep_tree(entry: &Path, volume: u64, job: &Job<'_>) -> Removed {
    let mut t = Tally::default();
    let pin = match step_into(entry, volume) {
        Ok(f) => f,
        Err(m) => {
            return Removed {
                problem: Some(m),
                ..Default::default()
            };
        }
    };
    let old = pin
        .metadata()
        .and_then(|m| m.modified())
        .map(crate::clean::plan::age::signed_secs)
        .is_ok_and(|m| m <= job.sweep.cutoff);
    let names = Some(job.rel.clone());
    let mut top = Frame {
        path: entry.to_path_buf(),
        pin: Some(pin),
        ours: ours(job.sweep, names.as_ref()),
        names,
        subdirs: Vec::new(),
        kept: false,
        removed: false,
        old,
    };
    list(job, &mut top, &mut t);
    let mut stack = vec![top];
    while !t.interrupted {
        let Some(top) = stack.last_mut() else { break };
        if let Some(sub) = top.subdirs.pop() {
            let path = top.path.join(&sub);
            let names = top.names.as_ref().and_then(|n| {
                let mut n = n.clone();
                n.push(sub.to_str()?.to_string());
                Some(n)
            });
            if let Only::QqCache(_) = job.sweep.only
                && names
                    .as_ref()
                    .and_then(|n| n.last())
                    .is_none_or(|n| is_never(n))
            {
                top.kept = true;
                continue;
            }
            let pin = match step_into(&path, volume) {
                Ok(f) => f,
                Err(m) => {
                    top.kept = true;
                    if job.sweep.only == Only::Any {
                        t.problem(m);
                    }
                    continue;
                }
            };
            let old = pin
                .metadata()
                .and_then(|m| m.modified())
                .map(crate::clean::plan::age::signed_secs)
                .is_ok_and(|m| m <= job.sweep.cutoff);
            let mut frame = Frame {
                path,
                pin: Some(pin),
                ours: ours(job.sweep, names.as_ref()),
                names,
                subdirs: Vec::new(),
                kept: false,
                removed: false,
                old,
            };
            list(job, &mut frame, &mut t);
            stack.push(frame);
            continue;
        }
        let Some(mut done) = stack.pop() else { break };
        // No longer held: a folder held open cannot be removed.
        done.pin = None;
        let goes = job.sweep.folders && !done.kept && (done.removed || done.old);
        let result = if goes {
            match fs::remove_dir(&done.path) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
                Err(e) if e.kind() == io::ErrorKind::DirectoryNotEmpty => Ok(false),
                Err(e) => Err(raw(&done.path, e)),
            }
        } else {
            Ok(false)
        };
        let gone = match result {
            Ok(g) => g,
            Err(m) => {
                t.problem(m);
                false
            }
        };
        match stack.last_mut() {
            Some(parent) => {
                parent.removed |= done.removed || gone;
                parent.kept |= !gone;
            }
            None => break,
        }
    }
    let interrupted = t.interrupted;
    let problem = t
        .first
        .map(|m| {
            if t.count > 1 {
                msg!(
                    "guard.partly",
                    first = m.render(crate::i18n::Lang::En),
                    more = t.count - 1
                )
            } else {
                m
            }
        })
        .or_else(|| interrupted.then(|| msg!("guard.interrupted")));
    Removed {
        files: t.files,
        bytes: Some(t.bytes),
        problem,
        interrupted,
    }
}
