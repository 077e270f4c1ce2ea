//! Windows: the data dir and its target folders are held open without `FILE_SHARE_DELETE` for
//! the whole run, so they cannot be renamed or replaced while entries are removed; identities
//! are volume serial + file id; each entry's attributes and reparse tag are read from a handle
//! opened on the entry itself (never following it) and decide how it goes ([`super::links`]).
//! Folder entries go with std's `remove_dir_all`, which opens each item relative to its
//! folder's handle and removes reparse points without following them.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::AsRawHandle;
use std::path::{Component, Path, PathBuf};

use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_ATTRIBUTE_TAG_INFO, FILE_FLAG_BACKUP_SEMANTICS,
    FILE_FLAG_OPEN_REPARSE_POINT, FILE_SHARE_READ, FILE_SHARE_WRITE, FileAttributeTagInfo,
    GetFileInformationByHandle, GetFileInformationByHandleEx,
};

use super::links::{ATTR_REPARSE_POINT, Treat, treat};
use super::{Identity, Inside, Pins, Removed};
use crate::clean::plan::EntryType;
use crate::i18n::Msg;
use crate::msg;
use crate::time::unix_secs;

#[path = "windows_sweep.rs"]
mod sweep;

/// Opens a file or folder itself (a link is opened as the link), sharing read and write but
/// not delete: while it is open nobody can rename or remove it.
fn open_pinned(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .access_mode(0x80) // FILE_READ_ATTRIBUTES
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
}

/// Opens an entry itself to look at it, sharing everything.
fn open_look(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .access_mode(0x80)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | 0x4)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
}

/// Identity and attributes through the handle.
fn info(f: &File) -> io::Result<(Identity, u32)> {
    // SAFETY: all-zero is a valid BY_HANDLE_FILE_INFORMATION; the handle lives as long as `f`.
    let mut i: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: `i` is a valid out pointer for the call.
    if unsafe { GetFileInformationByHandle(f.as_raw_handle(), &mut i) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let id = Identity {
        dev: u64::from(i.dwVolumeSerialNumber),
        ino: (u64::from(i.nFileIndexHigh) << 32) | u64::from(i.nFileIndexLow),
    };
    Ok((id, i.dwFileAttributes))
}

/// Attributes and reparse tag through the handle.
fn attribute_tag(f: &File) -> io::Result<(u32, Option<u32>)> {
    // SAFETY: all-zero is a valid FILE_ATTRIBUTE_TAG_INFO.
    let mut t: FILE_ATTRIBUTE_TAG_INFO = unsafe { std::mem::zeroed() };
    // SAFETY: the buffer is a FILE_ATTRIBUTE_TAG_INFO of the size passed.
    let ok = unsafe {
        GetFileInformationByHandleEx(
            f.as_raw_handle(),
            FileAttributeTagInfo,
            (&raw mut t).cast(),
            std::mem::size_of::<FILE_ATTRIBUTE_TAG_INFO>() as u32,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    let tag = (t.FileAttributes & ATTR_REPARSE_POINT != 0).then_some(t.ReparseTag);
    Ok((t.FileAttributes, tag))
}

/// Is this file or folder itself a link (a reparse point whose tag is a name surrogate: a
/// junction, mount point or symbolic link)? Cloud placeholders and other data-bearing reparse
/// points are not links.
pub fn is_name_surrogate(path: &Path) -> io::Result<bool> {
    let f = open_look(path)?;
    let (_, tag) = attribute_tag(&f)?;
    Ok(tag.is_some_and(super::links::is_name_surrogate))
}

fn real_folder(attrs: u32) -> bool {
    treat(attrs, None) == Treat::Descend
}

/// `folders`: the target folders of the stack's table, pinned too.
pub fn record(data_dir: &Path, folders: &[&'static str]) -> Pins {
    let Ok(f) = open_look(data_dir) else {
        return Pins::default();
    };
    let Ok((id, attrs)) = info(&f) else {
        return Pins::default();
    };
    if !real_folder(attrs) {
        return Pins::default();
    }
    let mut pins = Pins {
        data_dir: Some(id),
        subs: Vec::new(),
    };
    for &sub in folders {
        if let Ok(f) = open_look(&data_dir.join(sub))
            && let Ok((id, attrs)) = info(&f)
            && real_folder(attrs)
        {
            pins.subs.push((sub, id));
        }
    }
    pins
}

pub struct Session {
    data_dir: PathBuf,
    _data: File,
    subs: Vec<(&'static str, File)>,
}

impl Session {
    pub fn open(data_dir: &Path, pins: &Pins) -> Result<Session, Msg> {
        let moved = || msg!("guard.data_dir_moved", path = data_dir.display());
        let planned = pins.data_dir.ok_or_else(moved)?;
        let data = open_pinned(data_dir).map_err(|_| moved())?;
        match info(&data) {
            Ok((id, attrs)) if id == planned && real_folder(attrs) => {}
            _ => return Err(moved()),
        }
        let mut subs = Vec::new();
        for &(name, id) in &pins.subs {
            if let Ok(f) = open_pinned(&data_dir.join(name))
                && info(&f).is_ok_and(|(now, attrs)| now == id && real_folder(attrs))
            {
                subs.push((name, f));
            }
        }
        Ok(Session {
            data_dir: data_dir.to_path_buf(),
            _data: data,
            subs,
        })
    }

    /// Finds the entry below the pinned folders and checks it is still what was planned. A
    /// `name` of several components (a deep entry) is reached folder by folder: each is opened
    /// without following a reparse point, must be a real folder on the data dir's volume, and
    /// stays open without delete sharing (so it cannot be swapped) until the entry is done.
    fn lookup(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
    ) -> Result<(PathBuf, Treat, Vec<File>), Msg> {
        let mut parent = self.data_dir.clone();
        if let Some(sub) = sub {
            parent.push(sub);
            if !self.subs.iter().any(|(n, _)| *n == sub) {
                return Err(msg!("guard.not_real_folder", path = parent.display()));
            }
        }
        let mut parts = Vec::new();
        for c in Path::new(name).components() {
            match c {
                Component::Normal(p) => parts.push(p),
                _ => return Err(msg!("guard.climbs")),
            }
        }
        let last = parts.pop().ok_or_else(|| msg!("guard.unknown_kind"))?;
        let mut held = Vec::new();
        if !parts.is_empty() {
            let volume = info(&self._data)
                .map_err(|e| Msg::raw(format!("{}: {e}", self.data_dir.display())))?
                .0
                .dev;
            for part in parts {
                parent.push(part);
                held.push(step_into(&parent, volume)?);
            }
        }
        let entry = parent.join(last);
        // The entry's own path is on its message line already.
        let raw = |e: io::Error| Msg::raw(crate::i18n::os_error(&e));
        let (attrs, tag) = {
            let f = open_look(&entry).map_err(raw)?;
            attribute_tag(&f).map_err(raw)?
        };
        let how = treat(attrs, tag);
        let now = match how {
            Treat::Descend => EntryType::Dir,
            Treat::RemoveFile => EntryType::File,
            Treat::RemoveLinkDir | Treat::RemoveLinkFile => EntryType::Link,
        };
        if now != planned {
            return Err(msg!(
                "guard.changed",
                before = format!("{planned:?}").to_lowercase(),
                now = format!("{now:?}").to_lowercase()
            ));
        }
        Ok((entry, how, held))
    }

    /// Removes the folder `name` (a path relative to the data dir) if it is empty and still a
    /// real folder; never anything inside it.
    pub fn remove_empty_dir(&self, name: &OsStr, _path: &Path) -> Result<(), Msg> {
        let (entry, _, _held) = self.lookup(None, name, EntryType::Dir)?;
        fs::remove_dir(&entry).map_err(|e| Msg::raw(crate::i18n::os_error(&e)))
    }

    /// Sweeps the folder entry if it is still the folder planned: the files old enough go, as
    /// the job's sweep says (see `windows_sweep.rs`).
    pub fn sweep(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        job: &super::Job<'_>,
    ) -> Result<Removed, Msg> {
        let (entry, _, _held) = self.lookup(sub, name, EntryType::Dir)?;
        let volume = info(&self._data)
            .map_err(|e| Msg::raw(format!("{}: {e}", self.data_dir.display())))?
            .0
            .dev;
        Ok(sweep::sweep_tree(&entry, volume, job))
    }

    pub fn check(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
        _path: &Path,
    ) -> Result<(), Msg> {
        self.lookup(sub, name, planned).map(|_| ())
    }

    pub fn remove(
        &self,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
        _path: &Path,
        planned_files: u64,
    ) -> Result<Removed, Msg> {
        let (entry, how, _held) = self.lookup(sub, name, planned)?;
        // The entry's own path is on its message line already.
        let raw = |e: io::Error| Msg::raw(crate::i18n::os_error(&e));
        let done = match how {
            Treat::RemoveLinkDir => fs::remove_dir(&entry),
            Treat::RemoveLinkFile => fs::remove_file(&entry).or_else(|e| {
                // A directory link whose folder attribute was not reported.
                fs::remove_dir(&entry).map_err(|_| e)
            }),
            Treat::RemoveFile => remove_file(&entry),
            Treat::Descend => fs::remove_dir_all(&entry).or_else(|e| {
                if e.kind() == io::ErrorKind::PermissionDenied {
                    clear_readonly_tree(&entry);
                    fs::remove_dir_all(&entry)
                } else {
                    Err(e)
                }
            }),
        };
        done.map_err(raw)?;
        Ok(Removed {
            files: planned_files,
            ..Default::default()
        })
    }
}

/// Opens a folder on the way to a deep entry, pinned: a real folder (no reparse point) on
/// the data dir's volume, or a refusal.
fn step_into(folder: &Path, volume: u64) -> Result<File, Msg> {
    let not_real = || msg!("guard.not_real_folder", path = folder.display());
    let f = open_pinned(folder).map_err(|e| Msg::raw(format!("{}: {e}", folder.display())))?;
    let (attrs, tag) = attribute_tag(&f).map_err(|_| not_real())?;
    if treat(attrs, tag) != Treat::Descend {
        return Err(not_real());
    }
    match info(&f) {
        Ok((id, _)) if id.dev == volume => Ok(f),
        Ok(_) => Err(msg!("guard.other_device", path = folder.display())),
        Err(_) => Err(not_real()),
    }
}

fn remove_file(path: &Path) -> io::Result<()> {
    fs::remove_file(path).or_else(|e| {
        if e.kind() == io::ErrorKind::PermissionDenied {
            clear_readonly(path)?;
            fs::remove_file(path)
        } else {
            Err(e)
        }
    })
}

/// Clears the read-only attribute (Windows refuses to delete read-only files).
fn clear_readonly(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    let mut perms = meta.permissions();
    if perms.readonly() {
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(path, perms)?;
    }
    Ok(())
}

fn clear_readonly_tree(path: &Path) {
    for e in walkdir::WalkDir::new(path)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if !e.path_is_symlink() {
            let _ = clear_readonly(e.path());
        }
    }
}

/// Measures what is inside a folder without following links (reparse points count as files).
/// What cannot be read is recorded once per folder.
pub fn measure_inside(dir: &Path, cutoff: Option<i64>) -> Inside {
    let mut out = Inside::default();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let rd = match fs::read_dir(&folder) {
            Ok(rd) => rd,
            Err(e) => {
                out.unread(folder, e);
                continue;
            }
        };
        let mut recorded = false;
        for item in rd {
            let (path, m) = match item.and_then(|i| i.metadata().map(|m| (i.path(), m))) {
                Ok(found) => found,
                Err(e) => {
                    if !recorded {
                        recorded = true;
                        out.unread(folder.clone(), e);
                    }
                    continue;
                }
            };
            out.newest = out.newest.max(m.modified().map(unix_secs).unwrap_or(0));
            if m.is_dir() && !m.file_type().is_symlink() {
                folders.push(path);
            } else {
                out.files += 1;
                let bytes = if m.is_file() { m.len() } else { 0 };
                out.bytes += bytes;
                let mtime = m
                    .modified()
                    .map(crate::clean::plan::age::signed_secs)
                    .unwrap_or(0);
                out.old.add(cutoff, mtime, bytes);
            }
        }
    }
    out
}
