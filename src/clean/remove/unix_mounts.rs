//! Unix: is another filesystem mounted somewhere inside a folder entry? Asked before a folder is
//! moved to the trash whole (a rename takes a mount inside along). A walk relative to open
//! handles that never follows a link, keeps at most [`MAX_OPEN`] folders open and has no
//! recursion, as the removal's own walk.

use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, Dir, FileType, fstat, statat};
use rustix::io::Errno;

use super::Identity;
use super::unix::{MAX_OPEN, ident, io, mount_id, open_dir, os_msg, same_mount};
use crate::i18n::Msg;
use crate::msg;

struct Frame {
    dir: Option<OwnedFd>,
    id: Identity,
    name: CString,
    subdirs: Vec<CString>,
}

/// The sub-folders of an open folder.
fn subdirs(fd: BorrowedFd<'_>) -> Result<Vec<CString>, Errno> {
    let mut d = Dir::read_from(fd)?;
    let mut out = Vec::new();
    while let Some(item) = d.read() {
        let item = item?;
        let name = item.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        let ft = match item.file_type() {
            FileType::Unknown => statat(fd, name, AtFlags::SYMLINK_NOFOLLOW)
                .map(|st| FileType::from_raw_mode(st.st_mode))
                .unwrap_or(FileType::Unknown),
            ft => ft,
        };
        if ft == FileType::Directory {
            out.push(name.to_owned());
        }
    }
    Ok(out)
}

fn below(base: &Path, stack: &[Frame], last: &CStr) -> PathBuf {
    let mut p = base.to_path_buf();
    for f in stack.iter().skip(1) {
        p.push(OsStr::from_bytes(f.name.to_bytes()));
    }
    p.push(OsStr::from_bytes(last.to_bytes()));
    p
}

/// The first folder inside the folder `name` of `parent` (identity `id`, shown as `path`) that
/// is on another device or mount, if any.
pub(super) fn mount_inside(
    parent: BorrowedFd<'_>,
    name: &CStr,
    id: Identity,
    path: &Path,
) -> Result<Option<PathBuf>, Msg> {
    let root = open_dir(parent, name).map_err(os_msg)?;
    if !fstat(&root).is_ok_and(|st| ident(&st) == id) {
        return Err(msg!("guard.changed", before = "dir", now = "other"));
    }
    let root_mount = mount_id(root.as_fd(), c"");
    let first = subdirs(root.as_fd()).map_err(os_msg)?;
    let mut stack = vec![Frame {
        dir: Some(root),
        id,
        name: name.to_owned(),
        subdirs: first,
    }];
    let mut lowest_open = 0usize;
    let at = |p: PathBuf, e: Errno| Msg::raw(format!("{}: {}", p.display(), io(e)));
    loop {
        let depth = stack.len();
        let Some(top) = stack.last_mut() else { break };
        if let Some(sub) = top.subdirs.pop() {
            let Some(fd) = top.dir.as_ref() else {
                return Err(msg!("guard.tree_moved"));
            };
            let st = match statat(fd, &sub, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => st,
                Err(Errno::NOENT) => continue,
                Err(e) => return Err(at(below(path, &stack, &sub), e)),
            };
            if FileType::from_raw_mode(st.st_mode) != FileType::Directory {
                continue;
            }
            let fd = fd.as_fd();
            if ident(&st).dev != id.dev || !same_mount(mount_id(fd, &sub), root_mount) {
                return Ok(Some(below(path, &stack, &sub)));
            }
            let child = match open_dir(fd, &sub) {
                Ok(c) => c,
                Err(Errno::NOENT | Errno::LOOP | Errno::NOTDIR) => continue,
                Err(e) => return Err(at(below(path, &stack, &sub), e)),
            };
            let child_st = fstat(&child).map_err(os_msg)?;
            if ident(&child_st) != ident(&st)
                || !same_mount(mount_id(child.as_fd(), c""), root_mount)
            {
                return Ok(Some(below(path, &stack, &sub)));
            }
            let inner = subdirs(child.as_fd()).map_err(|e| at(below(path, &stack, &sub), e))?;
            stack.push(Frame {
                dir: Some(child),
                id: ident(&child_st),
                name: sub,
                subdirs: inner,
            });
            // Bound the handles held: close the oldest (never the parent of the new top).
            if depth + 1 - lowest_open > MAX_OPEN
                && let Some(f) = stack.get_mut(lowest_open)
            {
                f.dir = None;
                lowest_open += 1;
            }
            continue;
        }
        let Some(done) = stack.pop() else { break };
        let Some(parent_frame) = stack.last_mut() else {
            break;
        };
        if parent_frame.dir.is_none() {
            // Reopen the parent through `..` of this folder: it must be the same folder.
            let reopened = done
                .dir
                .as_ref()
                .and_then(|fd| open_dir(fd.as_fd(), c"..").ok())
                .filter(|fd| fstat(fd).is_ok_and(|st| ident(&st) == parent_frame.id));
            match reopened {
                Some(fd) => parent_frame.dir = Some(fd),
                None => return Err(msg!("guard.tree_moved")),
            }
            lowest_open = lowest_open.min(stack.len() - 1);
        }
    }
    Ok(None)
}
