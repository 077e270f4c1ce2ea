//! Unix: deep entries (files of QQ's cache, folders below `nt_data`), reached folder by folder
//! from the session's pinned folder, each opened relative to the one before without following
//! a link and refused on another filesystem or mount.

use std::ffi::OsStr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use rustix::fs::{AtFlags, fstat, unlinkat};
use rustix::io::Errno;

use super::unix::{Session, cname, io, mount_id, open_dir, os_msg, same_mount};
use crate::clean::plan::EntryType;
use crate::i18n::Msg;
use crate::msg;

impl Session {
    /// Removes the folder `name` (a path relative to the data dir) if it is empty and still a
    /// real folder on the same filesystem; never anything inside it.
    pub fn remove_empty_dir(&self, name: &OsStr, _path: &Path) -> Result<(), Msg> {
        let (parent, cname, _) = self.lookup(None, name, EntryType::Dir)?;
        unlinkat(parent.as_fd(), &cname, AtFlags::REMOVEDIR).map_err(os_msg)
    }
}

/// The folder an entry is looked up in: a pinned one of the session, or one opened on the
/// way down to a deep entry (closed when the entry is done).
pub(super) enum Parent<'a> {
    Pinned(BorrowedFd<'a>),
    Walked(OwnedFd),
}

impl AsFd for Parent<'_> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Parent::Pinned(fd) => *fd,
            Parent::Walked(fd) => fd.as_fd(),
        }
    }
}

/// Opens the folder `part` of `parent` on the way to a deep entry: never through a link
/// (`O_NOFOLLOW`: a link fails to open), never onto another device or mount.
pub(super) fn step_into(
    parent: BorrowedFd<'_>,
    part: &OsStr,
    folder: &Path,
) -> Result<OwnedFd, Msg> {
    let not_real = || msg!("guard.not_real_folder", path = folder.display());
    let cpart = cname(part).ok_or_else(not_real)?;
    let fd = open_dir(parent, &cpart).map_err(|e| match e {
        Errno::LOOP | Errno::NOTDIR | Errno::MLINK => not_real(),
        e => Msg::raw(format!("{}: {}", folder.display(), io(e))),
    })?;
    let raw = |e: Errno| Msg::raw(format!("{}: {}", folder.display(), io(e)));
    let (above, here) = (fstat(parent).map_err(raw)?, fstat(&fd).map_err(raw)?);
    if above.st_dev != here.st_dev || !same_mount(mount_id(parent, c""), mount_id(fd.as_fd(), c""))
    {
        return Err(msg!("guard.other_device", path = folder.display()));
    }
    Ok(fd)
}
