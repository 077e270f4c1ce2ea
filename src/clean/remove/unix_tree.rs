//! Unix: removing a folder entry whole, by an iterative walk relative to open folder handles
//! that never follows a link, never leaves the entry's device or mount, and keeps at most
//! [`MAX_OPEN`] folders open (no recursion, no path length limit).

use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, Dir, FileType, fstat, statat, unlinkat};
use rustix::io::Errno;

use super::super::{Identity, Removed};
use super::{MAX_OPEN, ident, io, mount_id, open_dir, os_msg, same_mount};
use crate::i18n::Msg;
use crate::msg;

/// A path shown in a message: the entry's path plus the names below it.
pub(super) fn shown(base: &Path, below: &[PathBuf]) -> String {
    let mut p = base.to_path_buf();
    for b in below {
        p.push(b);
    }
    p.display().to_string()
}

/// An OS error at the names `below` the entry at `base`: the entry's own path is on its
/// message line already, so a path is named only for something inside it.
pub(super) fn at_error(base: &Path, below: &[PathBuf], e: Errno) -> Msg {
    if below.is_empty() {
        os_msg(e)
    } else {
        Msg::raw(format!("{}: {}", shown(base, below), io(e)))
    }
}
/// One folder of a walk: its open handle (closed when too many are open), identity, name in
/// its parent, sub-folders still to visit, and whether something stays in it.
struct Frame {
    dir: Option<OwnedFd>,
    id: Identity,
    name: CString,
    subdirs: Vec<CString>,
    kept: bool,
}

/// What the walk met, for the entry's message: the first problem and how many there were.
#[derive(Default)]
pub(super) struct Problems {
    first: Option<Msg>,
    count: usize,
}

impl Problems {
    pub(super) fn add(&mut self, m: Msg) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(m);
        }
    }

    /// The entry's message: the first problem, and how many more there were.
    pub(super) fn into_msg(self) -> Option<Msg> {
        let count = self.count;
        self.first.map(|m| {
            if count > 1 {
                msg!(
                    "guard.partly",
                    first = m.render(crate::i18n::Lang::En),
                    more = count - 1
                )
            } else {
                m
            }
        })
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

/// Lists a folder: non-folders are unlinked at once, sub-folders returned.
fn empty_files(
    fd: BorrowedFd<'_>,
    files: &mut u64,
    problems: &mut Problems,
    at: &dyn Fn(Option<&CStr>, Errno) -> Msg,
) -> Result<(Vec<CString>, bool), Errno> {
    let mut dir = Dir::read_from(fd)?;
    let mut subdirs = Vec::new();
    let mut kept = false;
    while let Some(item) = dir.read() {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                problems.add(at(None, e));
                kept = true;
                break;
            }
        };
        let name = item.file_name();
        if name == c".." || name == c"." {
            continue;
        }
        let mut ft = item.file_type();
        if ft == FileType::Unknown {
            ft = statat(fd, name, AtFlags::SYMLINK_NOFOLLOW)
                .map(|st| FileType::from_raw_mode(st.st_mode))
                .unwrap_or(FileType::Unknown);
        }
        if ft == FileType::Directory {
            subdirs.push(name.to_owned());
            continue;
        }
        match unlinkat(fd, name, AtFlags::empty()) {
            Ok(()) => *files += 1,
            Err(Errno::NOENT) => {}
            // Became a folder since listed: visit it as one.
            Err(Errno::ISDIR) => subdirs.push(name.to_owned()),
            Err(e) => {
                problems.add(at(Some(name), e));
                kept = true;
            }
        }
    }
    Ok((subdirs, kept))
}

/// Empties and removes the folder `name` in `parent` (identity `id`), iteratively.
pub(super) fn remove_tree(
    parent: BorrowedFd<'_>,
    name: &CStr,
    id: Identity,
    path: &Path,
) -> Removed {
    let mut files = 0u64;
    let mut problems = Problems::default();
    let fail = |files, m: Msg| Removed {
        files,
        problem: Some(m),
        ..Default::default()
    };
    let root = match open_dir(parent, name) {
        Ok(fd) => fd,
        Err(e) => return fail(0, os_msg(e)),
    };
    // Swapped between the look and the open: not the folder planned.
    if !fstat(&root).is_ok_and(|st| ident(&st) == id) {
        return fail(0, msg!("guard.changed", before = "dir", now = "other"));
    }
    let root_mount = mount_id(root.as_fd(), c"");
    let mut stack = vec![Frame {
        dir: Some(root),
        id,
        name: name.to_owned(),
        subdirs: Vec::new(),
        kept: false,
    }];
    // Frames below this index have their handle closed.
    let mut lowest_open = 0usize;
    {
        let Some(top) = stack.last_mut() else {
            return Removed::default();
        };
        let Some(fd) = top.dir.as_ref() else {
            return Removed::default();
        };
        match empty_files(fd.as_fd(), &mut files, &mut problems, &|n, e| {
            at_error(path, &below(&[], n), e)
        }) {
            Ok((subdirs, kept)) => {
                top.subdirs = subdirs;
                top.kept = kept;
            }
            Err(e) => return fail(files, os_msg(e)),
        }
    }
    loop {
        let depth = stack.len();
        let Some(top) = stack.last_mut() else { break };
        if let Some(sub) = top.subdirs.pop() {
            let Some(fd) = top.dir.as_ref() else {
                return fail(files, msg!("guard.tree_moved"));
            };
            let opened = open_dir(fd.as_fd(), &sub);
            let child = match opened {
                Ok(child) => child,
                Err(Errno::NOENT) => continue,
                // Became a link or a file since listed: removed as itself, never followed.
                Err(Errno::LOOP | Errno::NOTDIR) => {
                    match unlinkat(fd.as_fd(), &sub, AtFlags::empty()) {
                        Ok(()) => files += 1,
                        Err(e) => {
                            top.kept = true;
                            problems.add(at_error(path, &below(&stack, Some(&sub)), e));
                        }
                    }
                    continue;
                }
                Err(e) => {
                    top.kept = true;
                    problems.add(at_error(path, &below(&stack, Some(&sub)), e));
                    continue;
                }
            };
            let Ok(st) = fstat(&child) else {
                top.kept = true;
                continue;
            };
            if ident(&st).dev != id.dev || !same_mount(mount_id(child.as_fd(), c""), root_mount) {
                // A mount inside the entry: somebody else's data.
                top.kept = true;
                let at = shown(path, &below(&stack, Some(&sub)));
                problems.add(msg!("guard.other_device", path = at));
                continue;
            }
            let mut frame = Frame {
                dir: None,
                id: ident(&st),
                name: sub,
                subdirs: Vec::new(),
                kept: false,
            };
            let at = |n: Option<&CStr>, e: Errno| {
                let mut b = below(&stack, Some(&frame.name));
                if let Some(n) = n {
                    b.push(PathBuf::from(OsStr::from_bytes(n.to_bytes())));
                }
                at_error(path, &b, e)
            };
            match empty_files(child.as_fd(), &mut files, &mut problems, &at) {
                Ok((subdirs, kept)) => {
                    frame.subdirs = subdirs;
                    frame.kept = kept;
                }
                Err(e) => {
                    problems.add(at(None, e));
                    frame.kept = true;
                }
            }
            frame.dir = Some(child);
            stack.push(frame);
            // Bound the handles held: close the oldest (never the parent of the new top).
            if depth + 1 - lowest_open > MAX_OPEN
                && let Some(f) = stack.get_mut(lowest_open)
            {
                f.dir = None;
                lowest_open += 1;
            }
            continue;
        }
        // This folder is done: remove it from its parent.
        let Some(done) = stack.pop() else { break };
        let Some(parent_frame) = stack.last_mut() else {
            // The entry itself.
            drop(done.dir);
            if !done.kept
                && let Err(e) = unlinkat(parent, name, AtFlags::REMOVEDIR)
            {
                problems.add(os_msg(e));
            }
            break;
        };
        if parent_frame.dir.is_none() {
            // Reopen the parent through `..` of this folder: it must be the same folder.
            let reopened = reopen_parent(done.dir.as_ref(), parent_frame.id);
            match reopened {
                Some(fd) => parent_frame.dir = Some(fd),
                None => return fail(files, msg!("guard.tree_moved")),
            }
            lowest_open = lowest_open.min(stack.len() - 1);
        }
        let Some(parent_frame) = stack.last_mut() else {
            break;
        };
        drop(done.dir);
        if done.kept {
            parent_frame.kept = true;
        } else if let Some(fd) = parent_frame.dir.as_ref()
            && let Err(e) = unlinkat(fd.as_fd(), &done.name, AtFlags::REMOVEDIR)
        {
            parent_frame.kept = true;
            // The folder inside that stays, named (not the entry).
            problems.add(at_error(path, &below(&stack, Some(&done.name)), e));
        }
    }
    Removed {
        files,
        problem: problems.into_msg(),
        ..Default::default()
    }
}

/// A folder's parent, reopened through its `..` when the walk had closed it (too many open):
/// only when it is still the folder the walk came from (`id`), so a tree moved meanwhile is
/// never followed elsewhere.
pub(super) fn reopen_parent(child: Option<&OwnedFd>, id: Identity) -> Option<OwnedFd> {
    child
        .and_then(|fd| open_dir(fd.as_fd(), c"..").ok())
        .filter(|fd| fstat(fd).is_ok_and(|st| ident(&st) == id))
}
