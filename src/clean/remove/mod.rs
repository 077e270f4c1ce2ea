//! Deletion that cannot be steered outside the data dir.
//!
//! At planning time the identities (device + inode; volume + file id on Windows) of the data dir
//! and of its `temp/`, `logs/` and `database/` folders are recorded ([`Pins`]). Before deleting,
//! the data dir is opened again without following a link and must be the same folder; each entry
//! is then reached relative to its folder's open handle, checked to be still what was previewed,
//! and removed relative to that handle. A folder entry is emptied by an iterative walk (no
//! recursion: no depth limit from a thread's stack) that never follows a link and never leaves
//! the entry's device: a mount inside is left alone and reported.

use std::path::PathBuf;

use crate::i18n::Msg;

pub mod links;
#[cfg(unix)]
mod unix;
#[cfg(unix)]
mod unix_deep;
#[cfg(unix)]
mod unix_measure;
#[cfg(target_os = "linux")]
mod unix_mounts;
#[cfg(target_os = "linux")]
mod unix_trash;
#[cfg(unix)]
pub use unix::{Session, record};
#[cfg(unix)]
pub use unix_measure::measure_inside;
#[cfg(target_os = "linux")]
pub use unix_trash::Trashes;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::{Session, is_name_surrogate, measure_inside, record};

/// What a file or folder is, whatever its name or path: its device and inode (on Windows the
/// volume serial number and the file id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
}

/// Identities recorded when the plan was made.
#[derive(Debug, Clone, Default)]
pub struct Pins {
    /// The data dir; `None` when it could not be opened (then nothing is deleted).
    pub data_dir: Option<Identity>,
    /// The target folders of the stack's table (`temp`, `logs`, …) that were real folders.
    pub subs: Vec<(&'static str, Identity)>,
}

impl Pins {
    pub fn sub(&self, name: &str) -> Option<Identity> {
        self.subs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
    }
}

/// The result of removing one entry: how many files (non-folders) went, and, when something
/// was left in place, why.
#[derive(Debug, Default)]
pub struct Removed {
    pub files: u64,
    pub problem: Option<Msg>,
    /// Bytes freed, when counted as they went (a swept folder); else the plan's figure.
    pub bytes: Option<u64>,
    /// Stopped by an interruption before the entry was done (a swept folder).
    pub interrupted: bool,
}

/// What a sweep does with a file it takes: `None` removes it relative to its folder; else the
/// trash is given its path (after the same checks through the handles, as every entry of
/// `--trash`).
/// On Unix the file is given as its folder's open handle and its name (and its path, for
/// messages), so it is moved relative to the folder it was checked in.
#[cfg(unix)]
pub type Trash<'a> = Option<
    &'a (
            dyn Fn(
        std::os::fd::BorrowedFd<'_>,
        &std::ffi::CStr,
        &std::path::Path,
    ) -> Result<(), Msg>
                + Sync
        ),
>;
#[cfg(not(unix))]
pub type Trash<'a> = Option<&'a (dyn Fn(&std::path::Path) -> Result<(), Msg> + Sync)>;

/// A folder entry to sweep (see `clean::plan::age`): its path (for messages and the trash),
/// its names below the plan's folder (for QQ's kinds table), the sweep, the interruption flag
/// (looked at before each file) and what to do with each file.
pub struct Job<'a> {
    pub path: &'a std::path::Path,
    pub rel: Vec<String>,
    pub sweep: &'a crate::clean::plan::Sweep,
    pub stop: &'a std::sync::atomic::AtomicBool,
    pub trash: Trash<'a>,
}

/// What a measured folder holds: files (anything not a folder), bytes of regular files and the
/// newest modification time, on its own device.
#[derive(Debug, Default, Clone)]
pub struct Inside {
    pub files: u64,
    pub bytes: u64,
    pub newest: u64,
    /// With a cutoff: the files changed at or before it (see `clean::plan::age`), their
    /// bytes and the newest of their times.
    pub old: Old,
    /// What could not be read (the folder itself, or something in it), with why; at most one
    /// per folder. When not empty the figures are a lower bound and the age unknown.
    pub unreadable: Vec<(PathBuf, Msg)>,
}

/// The files of a measured folder old enough for a cutoff.
#[derive(Debug, Default, Clone, Copy)]
pub struct Old {
    pub files: u64,
    pub bytes: u64,
    pub newest: u64,
}

impl Old {
    /// Counts a file (anything not a folder) of `mtime` (signed seconds) and `bytes` when it
    /// is at or before `cutoff`.
    pub fn add(&mut self, cutoff: Option<i64>, mtime: i64, bytes: u64) {
        if cutoff.is_some_and(|c| mtime <= c) {
            self.files += 1;
            self.bytes += bytes;
            self.newest = self.newest.max(u64::try_from(mtime).unwrap_or(0));
        }
    }
}

impl Inside {
    /// Records that `path` could not be read, with the OS's error (English, as the plan's
    /// other unreadable entries).
    fn unread(&mut self, path: PathBuf, e: impl Into<std::io::Error>) {
        self.unreadable.push((path, Msg::raw(e.into().to_string())));
    }
}
