//! Windows: std has no creation relative to a folder handle, so the folder is held open without
//! delete sharing (it cannot be renamed or replaced meanwhile), no reparse point (symbolic link,
//! junction) is accepted at the folder or the name, and the file's real path must be where it
//! appears to be. Owners and modes are left to the folder's ACL.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::windows::fs::{MetadataExt, OpenOptionsExt};
use std::os::windows::io::AsRawHandle;
use std::path::{Path, PathBuf};

use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT,
    FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OPEN_REPARSE_POINT, FILE_SHARE_READ, FILE_SHARE_WRITE,
    GetFileInformationByHandle,
};

use super::{Folder, Problem};

const FILE_READ_ATTRIBUTES: u32 = 0x80;

fn info(f: &File) -> io::Result<BY_HANDLE_FILE_INFORMATION> {
    // SAFETY: all-zero is valid for this plain struct; the handle lives as long as `f`.
    let mut i: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: `i` is a valid out pointer.
    if unsafe { GetFileInformationByHandle(f.as_raw_handle(), &mut i) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(i)
}

/// The folder, held open without delete sharing, and its real path.
pub(super) fn open_folder(
    folder: &Path,
    _kind: Folder,
    create: bool,
) -> Result<(File, PathBuf), Problem> {
    if create {
        fs::create_dir_all(folder).map_err(|e| Problem::Io(folder.to_path_buf(), e))?;
    }
    match fs::symlink_metadata(folder) {
        Ok(m) if m.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 => {
            return Err(Problem::NotRegular(folder.to_path_buf(), "out.what_link"));
        }
        Ok(m) if !m.is_dir() => return Err(Problem::NotFolder(folder.to_path_buf())),
        Ok(_) => {}
        Err(e) => return Err(Problem::Io(folder.to_path_buf(), e)),
    }
    let real = fs::canonicalize(folder).map_err(|e| Problem::Io(folder.to_path_buf(), e))?;
    let held = OpenOptions::new()
        .access_mode(FILE_READ_ATTRIBUTES)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
        .open(&real)
        .map_err(|e| Problem::Io(folder.to_path_buf(), e))?;
    let i = info(&held).map_err(|e| Problem::Io(folder.to_path_buf(), e))?;
    if i.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        return Err(Problem::NotRegular(folder.to_path_buf(), "out.what_link"));
    }
    if i.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY == 0 {
        return Err(Problem::NotFolder(folder.to_path_buf()));
    }
    Ok((held, real))
}

/// Nothing at the name, or a plain file (no reparse point, no folder).
fn check_name(target: &Path, shown: &Path) -> Result<(), Problem> {
    match fs::symlink_metadata(target) {
        Ok(m) if m.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 => {
            Err(Problem::NotRegular(shown.to_path_buf(), "out.what_link"))
        }
        Ok(m) if m.is_dir() => Err(Problem::NotRegular(shown.to_path_buf(), "out.what_folder")),
        Ok(m) if !m.is_file() => Err(Problem::NotRegular(shown.to_path_buf(), "out.what_other")),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Problem::Io(shown.to_path_buf(), e)),
    }
}

pub(super) fn replace(
    folder: &Path,
    name: &OsStr,
    bytes: &[u8],
    _mode: u32,
    kind: Folder,
    create: bool,
) -> Result<(), Problem> {
    let shown = folder.join(name);
    let (_held, real) = open_folder(folder, kind, create)?;
    let target = real.join(name);
    check_name(&target, &shown)?;
    let mut tries = 0;
    let (tmp, mut f) = loop {
        let tmp = real.join(super::temp_name(name));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 8 => tries += 1,
            Err(e) => return Err(Problem::Io(shown, e)),
        }
    };
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| {
            drop(f);
            fs::rename(&tmp, &target)
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Problem::Io(shown, e));
    }
    Ok(())
}

pub(super) fn open_append(folder: &Path, name: &OsStr, _mode: u32) -> Result<File, Problem> {
    let shown = folder.join(name);
    let (_held, real) = open_folder(folder, Folder::Private, true)?;
    let target = real.join(name);
    check_name(&target, &shown)?;
    let f = OpenOptions::new()
        .append(true)
        .create(true)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(&target)
        .map_err(|e| Problem::Io(shown.clone(), e))?;
    let i = info(&f).map_err(|e| Problem::Io(shown.clone(), e))?;
    if i.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        return Err(Problem::NotRegular(shown, "out.what_link"));
    }
    if i.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY != 0 {
        return Err(Problem::NotRegular(shown, "out.what_folder"));
    }
    if i.nNumberOfLinks != 1 {
        return Err(Problem::Linked(shown, u64::from(i.nNumberOfLinks)));
    }
    // A link Windows does not report as one (a Unix symlink seen through Wine): where the file
    // really is must be where it appears to be.
    match fs::canonicalize(&target) {
        Ok(r) if r == target => Ok(f),
        Ok(_) => Err(Problem::Changed(shown)),
        Err(e) => Err(Problem::Io(shown, e)),
    }
}
