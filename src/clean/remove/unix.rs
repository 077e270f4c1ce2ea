//! Unix: `openat` / `fstatat` / `unlinkat` relative to open directory descriptors (rustix).

use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags, Stat, fstat, openat, statat, unlinkat};
use rustix::io::Errno;

use super::unix_deep::{Parent, step_into};
use super::{Identity, Pins, Removed};
use crate::clean::plan::EntryType;
use crate::i18n::Msg;
use crate::msg;
use tree::remove_tree;

#[path = "unix_sweep.rs"]
mod sweep;
#[path = "unix_tree.rs"]
mod tree;

/// A folder, opened without following a link (a link there fails to open).
pub(super) const DIR: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Folders a walk keeps open at once; above that the oldest are closed and reopened through
/// `..` (with their identity checked) when the walk comes back up. 16 removal threads stay far
/// below the usual limit of 1024 descriptors.
pub(super) const MAX_OPEN: usize = 32;

pub(super) fn ident(st: &Stat) -> Identity {
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    Identity {
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
    }
}

/// The mount a folder belongs to: statx's mount id (Linux 5.8+). A bind mount of a folder of
/// the same filesystem keeps the device number but has a mount of its own. `None` where the
/// kernel does not say (then the device number alone decides).
#[cfg(target_os = "linux")]
pub(super) fn mount_id(at: BorrowedFd<'_>, name: &CStr) -> Option<u64> {
    use rustix::fs::{StatxFlags, statx};
    let mut flags = AtFlags::SYMLINK_NOFOLLOW;
    if name.is_empty() {
        flags |= AtFlags::EMPTY_PATH;
    }
    let st = statx(at, name, flags, StatxFlags::MNT_ID).ok()?;
    (st.stx_mask & StatxFlags::MNT_ID.bits() != 0).then_some(st.stx_mnt_id)
}

#[cfg(not(target_os = "linux"))]
pub(super) fn mount_id(_at: BorrowedFd<'_>, _name: &CStr) -> Option<u64> {
    None
}

pub(super) fn same_mount(a: Option<u64>, b: Option<u64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

pub(super) fn open_dir(at: BorrowedFd<'_>, name: &CStr) -> rustix::io::Result<OwnedFd> {
    openat(at, name, DIR, Mode::empty())
}

/// Opens an absolute folder path one component at a time from `/`, each relative to the one
/// above and without following a link: a link anywhere on the path (not only at its end) fails
/// with `ELOOP`/`ENOTDIR`, so nothing reached through a link is ever acted on.
pub fn open_dir_path(path: &Path) -> rustix::io::Result<OwnedFd> {
    let mut fd: Option<OwnedFd> = None;
    for c in path.components() {
        let next = match c {
            Component::RootDir => openat(CWD, "/", DIR, Mode::empty())?,
            Component::CurDir => continue,
            Component::Normal(name) => {
                let at = fd.as_ref().ok_or(Errno::INVAL)?;
                let name = cname(name).ok_or(Errno::INVAL)?;
                open_dir(at.as_fd(), &name)?
            }
            // Relative paths and `..` are never what a plan holds.
            Component::ParentDir | Component::Prefix(_) => return Err(Errno::INVAL),
        };
        fd = Some(next);
    }
    fd.ok_or(Errno::INVAL)
}

pub(super) fn io(e: Errno) -> std::io::Error {
    std::io::Error::from(e)
}

/// An OS error about the entry itself, whose path its message line names already.
pub(super) fn os_msg(e: Errno) -> Msg {
    Msg::raw(io(e).to_string())
}

pub(super) fn cname(name: &OsStr) -> Option<CString> {
    CString::new(name.as_bytes()).ok()
}

/// Records the identities of the data dir and its target folders.
/// `folders`: the target folders of the stack's table, pinned too.
pub fn record(data_dir: &Path, folders: &[&'static str]) -> Pins {
    let Ok(fd) = open_dir_path(data_dir) else {
        return Pins::default();
    };
    let Ok(st) = fstat(&fd) else {
        return Pins::default();
    };
    let mut pins = Pins {
        data_dir: Some(ident(&st)),
        subs: Vec::new(),
    };
    for &sub in folders {
        if let Ok(st) = statat(&fd, sub, AtFlags::SYMLINK_NOFOLLOW)
            && FileType::from_raw_mode(st.st_mode) == FileType::Directory
        {
            pins.subs.push((sub, ident(&st)));
        }
    }
    pins
}

/// The data dir and its target folders, open, each verified against the plan's identities.
pub struct Session {
    data_dir: PathBuf,
    data: OwnedFd,
    subs: Vec<(&'static str, OwnedFd, Identity)>,
}

impl Session {
    /// Opens the data dir again; it must be the folder the plan was made from.
    pub fn open(data_dir: &Path, pins: &Pins) -> Result<Session, Msg> {
        let moved = || msg!("guard.data_dir_moved", path = data_dir.display());
        let planned = pins.data_dir.ok_or_else(moved)?;
        let data = open_dir_path(data_dir).map_err(|_| moved())?;
        let st = fstat(&data).map_err(|_| moved())?;
        if ident(&st) != planned {
            return Err(moved());
        }
        let mut subs = Vec::new();
        for &(name, id) in &pins.subs {
            if let Ok(fd) = open_dir(data.as_fd(), &c(name))
                && fstat(&fd).is_ok_and(|st| ident(&st) == id)
            {
                subs.push((name, fd, id));
            }
        }
        Ok(Session {
            data_dir: data_dir.to_path_buf(),
            data,
            subs,
        })
    }

    /// Finds `name`, directly in the data dir (`sub` = None) or in one of its target folders,
    /// through the open handles, and checks it is still what was planned. A `name` of several
    /// components (a deep entry) is reached folder by folder, each opened relative to the one
    /// before without following a link and refused on another filesystem or mount.
    pub(super) fn lookup(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
    ) -> Result<(Parent<'_>, CString, Stat), Msg> {
        let base: BorrowedFd<'_> = match sub {
            None => self.data.as_fd(),
            Some(sub) => {
                let folder = self.data_dir.join(sub);
                let gone = || msg!("guard.not_real_folder", path = folder.display());
                let (_, fd, id) = self
                    .subs
                    .iter()
                    .find(|(n, _, _)| *n == sub)
                    .ok_or_else(gone)?;
                // Still the same folder at that name in the data dir? (A swap is refused; the
                // removal itself goes through the open folder either way.)
                let now = statat(&self.data, sub, AtFlags::SYMLINK_NOFOLLOW).map_err(|_| gone())?;
                if ident(&now) != *id {
                    return Err(gone());
                }
                fd.as_fd()
            }
        };
        let (parent, name) = self.descend(base, sub, name)?;
        let parent_fd = parent.as_fd();
        let cname = cname(name).ok_or_else(|| msg!("guard.unknown_kind"))?;
        let st = statat(parent_fd, &cname, AtFlags::SYMLINK_NOFOLLOW).map_err(os_msg)?;
        let now = match FileType::from_raw_mode(st.st_mode) {
            FileType::Symlink => EntryType::Link,
            FileType::Directory => EntryType::Dir,
            _ => EntryType::File,
        };
        if now != planned {
            return Err(msg!(
                "guard.changed",
                before = format!("{planned:?}").to_lowercase(),
                now = format!("{now:?}").to_lowercase()
            ));
        }
        if now == EntryType::Dir {
            let parent_st = fstat(parent_fd).map_err(os_msg)?;
            if st.st_dev != parent_st.st_dev
                || !same_mount(mount_id(parent_fd, c""), mount_id(parent_fd, &cname))
            {
                return Err(msg!("guard.entry_other_device"));
            }
        }
        Ok((parent, cname, st))
    }

    /// The folder holding the last component of `name`, opened folder by folder from `base`,
    /// and that last component.
    fn descend<'a, 'n>(
        &'a self,
        base: BorrowedFd<'a>,
        sub: Option<&str>,
        name: &'n OsStr,
    ) -> Result<(Parent<'a>, &'n OsStr), Msg> {
        let mut parts = Vec::new();
        for c in Path::new(name).components() {
            match c {
                Component::Normal(p) => parts.push(p),
                _ => return Err(msg!("guard.climbs")),
            }
        }
        let last = parts.pop().ok_or_else(|| msg!("guard.unknown_kind"))?;
        let mut folder = self.data_dir.clone();
        folder.extend(sub);
        let mut parent = Parent::Pinned(base);
        for part in parts {
            folder.push(part);
            parent = Parent::Walked(step_into(parent.as_fd(), part, &folder)?);
        }
        Ok((parent, last))
    }

    /// The checks of [`Session::remove`] without removing (for the trash, which works by path).
    pub fn check(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
        _path: &Path,
    ) -> Result<(), Msg> {
        self.lookup(sub, name, planned).map(|_| ())
    }

    /// Sweeps the folder entry if it is still the folder planned: the files old enough go, as
    /// the job's sweep says, each relative to its folder's handle (see `unix_sweep.rs`).
    pub fn sweep(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        job: &super::Job<'_>,
    ) -> Result<Removed, Msg> {
        let (parent, cname, st) = self.lookup(sub, name, EntryType::Dir)?;
        Ok(sweep::sweep_tree(parent.as_fd(), &cname, ident(&st), job))
    }

    /// Removes the entry if it is still what was planned: a file or link with `unlinkat`
    /// relative to its folder's handle, a folder by an iterative walk on its own device.
    pub fn remove(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
        path: &Path,
        _planned_files: u64,
    ) -> Result<Removed, Msg> {
        let (parent, cname, st) = self.lookup(sub, name, planned)?;
        let parent = parent.as_fd();
        if planned != EntryType::Dir {
            // unlinkat without AT_REMOVEDIR removes a link itself, and fails on a folder.
            unlinkat(parent, &cname, AtFlags::empty()).map_err(os_msg)?;
            return Ok(Removed {
                files: 1,
                ..Default::default()
            });
        }
        Ok(remove_tree(parent, &cname, ident(&st), path))
    }
}

fn c(s: &str) -> CString {
    CString::new(s).unwrap_or_default()
}
