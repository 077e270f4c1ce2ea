//! Unix: sweeping a folder entry file by file (see `clean::plan::age`): the files old enough
//! (and of the row's kind, in QQ's cache) go, folders left empty go when the sweep says so,
//! newer files keep their folders. The same walk as a whole removal: relative to open folder
//! handles, never through a link, never onto another device or mount, at most [`MAX_OPEN`]
//! folders open, no recursion.

use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use rustix::fs::{AtFlags, Dir, FileType, Stat, fstat, statat, unlinkat};
use rustix::io::Errno;

use super::super::{Identity, Job, Removed};
use super::tree::{Problems, at_error, reopen_parent, shown};
use super::{MAX_OPEN, ident, mount_id, open_dir, os_msg, same_mount};
use crate::clean::plan::{Only, Sweep};
use crate::i18n::Msg;
use crate::msg;
use crate::qq_cache::kinds::{classify, is_never};

struct Frame {
    dir: Option<OwnedFd>,
    id: Identity,
    name: CString,
    subdirs: Vec<CString>,
    /// Something stays in it.
    kept: bool,
    /// The sweep removed something in it or below it.
    removed: bool,
    /// Its own modification time was old enough when it was opened.
    old: bool,
    /// QQ's cache: whether files here are of the sweep's kind (by the table).
    ours: bool,
}

#[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
fn times(st: &Stat) -> (i64, (i64, u32)) {
    (
        st.st_mtime as i64,
        (st.st_ctime as i64, st.st_ctime_nsec as u32),
    )
}

#[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
fn size(st: &Stat) -> u64 {
    st.st_size as u64
}

/// The names below the plan's folder of a folder on the stack (for the kinds table), when all
/// are text.
fn names<'s>(job: &'s Job<'_>, stack: &'s [Frame], last: &'s CStr) -> Option<Vec<&'s str>> {
    let mut out: Vec<&str> = job.rel.iter().map(String::as_str).collect();
    for f in stack.iter().skip(1) {
        out.push(f.name.to_str().ok()?);
    }
    out.push(last.to_str().ok()?);
    Some(out)
}

/// Are the files of this folder (its names below the plan's folder) of the sweep's kind?
fn ours(sweep: &Sweep, folder: Option<Vec<&str>>) -> bool {
    match sweep.only {
        Only::Any => true,
        Only::QqCache(kind) => folder.is_some_and(|mut parts| {
            parts.push("f");
            classify(&parts).is_some_and(|(k, _)| k == kind)
        }),
    }
}

fn below(stack: &[Frame], last: Option<&CStr>) -> Vec<PathBuf> {
    stack
        .iter()
        .skip(1)
        .map(|f| &*f.name)
        .chain(last)
        .map(|n| PathBuf::from(OsStr::from_bytes(n.to_bytes())))
        .collect()
}

/// What the walk counts as it goes.
#[derive(Default)]
struct Tally {
    files: u64,
    bytes: u64,
    problems: Problems,
    interrupted: bool,
}

/// Lists one folder (the top of `stack`): files the sweep takes go at once, sub-folders to
/// visit are kept in the frame.
fn list(job: &Job<'_>, stack: &mut [Frame], t: &mut Tally) {
    let Some((top, _)) = stack.split_last() else {
        return;
    };
    let Some(fd) = top.dir.as_ref().map(|d| d.as_fd()) else {
        return;
    };
    let here = below(stack, None);
    let mut dir = match Dir::read_from(fd) {
        Ok(d) => d,
        Err(e) => {
            t.problems.add(at_error(job.path, &here, e));
            if let Some(top) = stack.last_mut() {
                top.kept = true;
            }
            return;
        }
    };
    let ours = stack.last().is_some_and(|f| f.ours);
    let mut subdirs = Vec::new();
    let (mut kept, mut removed) = (false, false);
    while let Some(item) = dir.read() {
        if job.stop.load(Ordering::SeqCst) {
            t.interrupted = true;
            kept = true;
            break;
        }
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                t.problems.add(at_error(job.path, &here, e));
                kept = true;
                break;
            }
        };
        let name = item.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        let Ok(st) = statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) else {
            // Gone meanwhile.
            continue;
        };
        let ft = FileType::from_raw_mode(st.st_mode);
        if ft == FileType::Directory {
            subdirs.push(name.to_owned());
            continue;
        }
        let (mtime, ctime) = times(&st);
        let fits = match job.sweep.only {
            Only::Any => true,
            // Regular files of the row's kind only: never a link, never a database.
            Only::QqCache(_) => {
                ours && ft == FileType::RegularFile && name.to_str().is_ok_and(|n| !is_never(n))
            }
        };
        if !fits || !job.sweep.takes(mtime, ctime) {
            kept = true;
            continue;
        }
        let gone = match job.trash {
            None => unlinkat(fd, name, AtFlags::empty()).map_err(|e| (e, None)),
            Some(trash) => {
                let mut p = job.path.to_path_buf();
                p.extend(below(stack, Some(name)));
                trash(fd, name, &p).map_err(|m| (Errno::IO, Some(m)))
            }
        };
        match gone {
            Ok(()) => {
                t.files += 1;
                if ft == FileType::RegularFile {
                    t.bytes += size(&st);
                }
                removed = true;
            }
            Err((Errno::NOENT, None)) => {}
            Err((e, m)) => {
                kept = true;
                let mut b = here.clone();
                b.push(PathBuf::from(OsStr::from_bytes(name.to_bytes())));
                t.problems
                    .add(m.unwrap_or_else(|| at_error(job.path, &b, e)));
            }
        }
    }
    if let Some(top) = stack.last_mut() {
        top.subdirs = subdirs;
        top.kept |= kept;
        top.removed |= removed;
    }
}

/// Opens the sub-folder `sub` of the top of `stack` as a new frame, or says why it stays.
fn enter(
    job: &Job<'_>,
    stack: &[Frame],
    sub: CString,
    root_mount: Option<u64>,
) -> Result<Frame, Option<Msg>> {
    let Some(top) = stack.last() else {
        return Err(None);
    };
    let Some(fd) = top.dir.as_ref() else {
        return Err(Some(msg!("guard.tree_moved")));
    };
    let folder = names(job, stack, &sub);
    if let Only::QqCache(_) = job.sweep.only {
        // QQ's never-touch folders are never entered; a name that is not text fits nothing.
        match folder.as_ref().and_then(|f| f.last()) {
            Some(n) if !is_never(n) => {}
            _ => return Err(None),
        }
    }
    let child = match open_dir(fd.as_fd(), &sub) {
        Ok(c) => c,
        // Gone, or became a link or a file since listed: left alone.
        Err(Errno::NOENT | Errno::LOOP | Errno::NOTDIR) => return Err(None),
        Err(e) => return Err(Some(at_error(job.path, &below(stack, Some(&sub)), e))),
    };
    let st = fstat(&child).map_err(|e| Some(os_msg(e)))?;
    let root_dev = stack.first().map_or(0, |f| f.id.dev);
    if ident(&st).dev != root_dev || !same_mount(mount_id(child.as_fd(), c""), root_mount) {
        // A mount inside: somebody else's data, left alone. Said for a bot's folder; QQ's
        // cache skips it as its walk did.
        return Err(match job.sweep.only {
            Only::Any => Some(msg!(
                "guard.other_device",
                path = shown(job.path, &below(stack, Some(&sub)))
            )),
            Only::QqCache(_) => None,
        });
    }
    let (mtime, _) = times(&st);
    Ok(Frame {
        dir: Some(child),
        id: ident(&st),
        ours: ours(job.sweep, folder),
        name: sub,
        subdirs: Vec::new(),
        kept: false,
        removed: false,
        old: mtime <= job.sweep.cutoff,
    })
}

/// Sweeps the folder `name` in `parent` (identity `id`).
pub(super) fn sweep_tree(
    parent: BorrowedFd<'_>,
    name: &CStr,
    id: Identity,
    job: &Job<'_>,
) -> Removed {
    let mut t = Tally::default();
    let root = match open_dir(parent, name) {
        Ok(fd) => fd,
        Err(e) => {
            return Removed {
                problem: Some(os_msg(e)),
                ..Default::default()
            };
        }
    };
    let st = match fstat(&root) {
        Ok(st) if ident(&st) == id => st,
        // Swapped between the look and the open: not the folder planned.
        _ => {
            return Removed {
                problem: Some(msg!("guard.changed", before = "dir", now = "other")),
                ..Default::default()
            };
        }
    };
    let root_mount = mount_id(root.as_fd(), c"");
    let top_names: Vec<&str> = job.rel.iter().map(String::as_str).collect();
    let mut stack = vec![Frame {
        dir: Some(root),
        id,
        name: name.to_owned(),
        subdirs: Vec::new(),
        kept: false,
        removed: false,
        old: times(&st).0 <= job.sweep.cutoff,
        ours: ours(job.sweep, Some(top_names)),
    }];
    list(job, &mut stack, &mut t);
    let mut lowest_open = 0usize;
    while !t.interrupted {
        let depth = stack.len();
        let Some(top) = stack.last_mut() else { break };
        if let Some(sub) = top.subdirs.pop() {
            match enter(job, &stack, sub, root_mount) {
                Ok(frame) => {
                    stack.push(frame);
                    list(job, &mut stack, &mut t);
                    // Bound the handles held: close the oldest (never the parent of the new top).
                    if depth + 1 - lowest_open > MAX_OPEN
                        && let Some(f) = stack.get_mut(lowest_open)
                    {
                        f.dir = None;
                        lowest_open += 1;
                    }
                }
                Err(why) => {
                    if let Some(top) = stack.last_mut() {
                        top.kept = true;
                    }
                    if let Some(m) = why {
                        t.problems.add(m);
                    }
                }
            }
            continue;
        }
        // This folder is done.
        let Some(done) = stack.pop() else { break };
        let goes = job.sweep.folders && !done.kept && (done.removed || done.old);
        let Some(parent_frame) = stack.last_mut() else {
            drop(done.dir);
            if goes {
                match unlinkat(parent, name, AtFlags::REMOVEDIR) {
                    Ok(()) | Err(Errno::NOENT | Errno::NOTEMPTY | Errno::EXIST | Errno::BUSY) => {}
                    Err(e) => t.problems.add(os_msg(e)),
                }
            }
            break;
        };
        if parent_frame.dir.is_none() {
            // Reopen the parent through `..` of this folder: it must be the same folder.
            let reopened = reopen_parent(done.dir.as_ref(), parent_frame.id);
            match reopened {
                Some(fd) => parent_frame.dir = Some(fd),
                None => {
                    t.problems.add(msg!("guard.tree_moved"));
                    break;
                }
            }
            lowest_open = lowest_open.min(stack.len() - 1);
        }
        let Some(parent_frame) = stack.last_mut() else {
            break;
        };
        drop(done.dir);
        parent_frame.removed |= done.removed;
        if !goes {
            parent_frame.kept = true;
            continue;
        }
        let Some(fd) = parent_frame.dir.as_ref() else {
            parent_frame.kept = true;
            continue;
        };
        match unlinkat(fd.as_fd(), &done.name, AtFlags::REMOVEDIR) {
            Ok(()) | Err(Errno::NOENT) => parent_frame.removed = true,
            // A file arrived meanwhile (or another sweep's kind is still in it).
            Err(Errno::NOTEMPTY | Errno::EXIST | Errno::BUSY) => parent_frame.kept = true,
            Err(e) => {
                parent_frame.kept = true;
                let at = below(&stack, Some(&done.name));
                t.problems.add(at_error(job.path, &at, e));
            }
        }
    }
    let interrupted = t.interrupted;
    Removed {
        files: t.files,
        bytes: Some(t.bytes),
        problem: t
            .problems
            .into_msg()
            .or_else(|| interrupted.then(|| msg!("guard.interrupted"))),
        interrupted,
    }
}
