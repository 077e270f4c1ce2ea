//! `clean --trash`: each entry moved to the trash instead of deleted, after the same checks.
//!
//! - Linux: our own freedesktop.org trash, moved relative to the pinned handles into a trash on
//!   the entry's own filesystem, never copied ([`super::remove::Trashes`]).
//! - Windows and macOS: the OS's trash (Recycle Bin, Finder's Trash) through the `trash` crate,
//!   by path after the checks through handles: their APIs have no handle form, so a folder
//!   swapped between the check and the move is not caught there.

use std::ffi::OsStr;
use std::path::Path;

use super::plan::EntryType;
use super::remove::{Removed, Session};
use crate::i18n::Msg;

/// The trashes of one run.
#[derive(Default)]
pub struct Trasher {
    #[cfg(target_os = "linux")]
    trashes: super::remove::Trashes,
}

impl Trasher {
    /// Moves one planned entry to the trash if it is still what was planned.
    pub fn put(
        &self,
        session: &Session,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
        path: &Path,
        files: u64,
    ) -> Result<Removed, Msg> {
        #[cfg(target_os = "linux")]
        {
            session.trash(&self.trashes, sub, name, planned, path, files)
        }
        #[cfg(not(target_os = "linux"))]
        {
            session.check(sub, name, planned, path)?;
            ::trash::delete(path)
                .map(|()| Removed {
                    files,
                    ..Default::default()
                })
                .map_err(|e| crate::msg!("clean.trash_failed", reason = trash_reason(&e)))
        }
    }
}

impl Trasher {
    /// Moves one file found by a sweep (see `clean::plan::age`) to the trash: on Linux relative
    /// to the open folder it was checked in (never by path), elsewhere by path.
    #[cfg(unix)]
    pub fn put_at(
        &self,
        parent: std::os::fd::BorrowedFd<'_>,
        name: &std::ffi::CStr,
        path: &Path,
    ) -> Result<(), Msg> {
        #[cfg(target_os = "linux")]
        {
            self.trashes.put_at(parent, name, path)
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (parent, name);
            self.put_path(path)
        }
    }

    /// Moves one file by path (the OS trash's API on Windows and macOS).
    #[cfg(not(target_os = "linux"))]
    pub fn put_path(&self, path: &Path) -> Result<(), Msg> {
        ::trash::delete(path).map_err(|e| {
            Msg::raw(format!(
                "{}: {}",
                path.display(),
                crate::msg!("clean.trash_failed", reason = trash_reason(&e))
            ))
        })
    }
}

/// The trash's error in words: Windows' HRESULT in hex (`0x80004001`, not `-2147467263`).
#[cfg(not(target_os = "linux"))]
fn trash_reason(e: &::trash::Error) -> String {
    match e {
        ::trash::Error::Os { code, description } => {
            format!("{} (0x{:08X})", description.trim(), *code as u32)
        }
        other => other.to_string(),
    }
}
