//! One clean at a time per data dir: an exclusive lock on `<data dir>/.llob-doctor.lock`
//! (std `File::try_lock`), which holds the holder's PID for the message of a second run.
//!
//! The lock file never follows anything: it is created exclusively, or an existing one is opened
//! without following a link (and without blocking on a FIFO) and accepted only when it is a
//! regular file with one link, owned by this user. Nothing is truncated or written through a
//! name that is not such a file. After locking, the name must still be the locked file (a run
//! that finished may have removed it); the file is removed when the run ends, while still
//! locked, so a run that opened the old file sees its name gone and starts over.
//! On Windows a lock forbids others to read the bytes it covers, so there the lock covers one
//! byte far past the PID instead of the whole file.
//!
//! The file is created with mode 0600 whatever the umask: whoever can open it can also lock it,
//! and a lock held by someone else stops every later run. A data folder on a filesystem of the
//! kernel (`/proc`, `/sys`) gets no lock file.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const LOCK_NAME: &str = ".llob-doctor.lock";

pub struct Lock {
    file: File,
    pub path: PathBuf,
    #[cfg(unix)]
    dir: std::os::fd::OwnedFd,
}

pub enum LockError {
    /// Held by another run; its PID when it wrote one.
    Held(Option<u32>),
    /// Something is at the lock's name that is not a lock file of ours (English, for the
    /// message): a link, a FIFO, a folder, a file with other links or of another owner.
    NotOurs(String),
    Io(std::io::Error),
}

/// Tries a few times: each retry means another run removed or replaced the file meanwhile.
pub fn acquire(data_dir: &Path) -> Result<Lock, (PathBuf, LockError)> {
    let path = data_dir.join(LOCK_NAME);
    let mut last = LockError::Held(None);
    for _ in 0..5 {
        match attempt(data_dir, &path) {
            Ok(Some(lock)) => return Ok(lock),
            Ok(None) => last = LockError::Held(None),
            Err(e) => return Err((path, e)),
        }
    }
    Err((path, last))
}

/// The PID in a lock file held by another run (best effort).
fn holder(file: &mut File) -> Option<u32> {
    let mut s = String::new();
    let _ = file.take(32).read_to_string(&mut s);
    s.trim().parse().ok()
}

fn write_pid(file: &mut File) {
    // Best effort: the PID is only for the message a second run prints.
    let _ = file.set_len(0);
    let _ = file.seek(SeekFrom::Start(0));
    let _ = write!(file, "{}", std::process::id());
    let _ = file.flush();
}

#[cfg(unix)]
mod os {
    use std::fs::File;
    use std::os::fd::{AsFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags, fstat, openat, statat, unlinkat};
    use rustix::io::Errno;

    use super::{LOCK_NAME, LockError};

    /// Only the owner opens (and so locks) it.
    const MODE: rustix::fs::RawMode = 0o600;

    fn io(e: Errno) -> LockError {
        LockError::Io(std::io::Error::from(e))
    }

    pub fn open_dir(data_dir: &Path) -> Result<OwnedFd, LockError> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = openat(CWD, data_dir, flags, Mode::empty()).map_err(io)?;
        if let Some(fs) = crate::outfile::kernel_fs(fd.as_fd()) {
            return Err(LockError::NotOurs(format!(
                "the folder is on {fs}, a filesystem of the kernel"
            )));
        }
        Ok(fd)
    }

    /// Creates the lock file exclusively (`true`), or opens the existing one (`false`) if it
    /// is a regular file with one link owned by this user.
    pub fn open(dir: &OwnedFd) -> Result<(File, bool), LockError> {
        let base = OFlags::RDWR | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY;
        match openat(
            dir,
            LOCK_NAME,
            base | OFlags::CREATE | OFlags::EXCL,
            Mode::from_raw_mode(MODE),
        ) {
            Ok(fd) => {
                // The mode asked for, not what the umask leaves of it.
                rustix::fs::fchmod(&fd, Mode::from_raw_mode(MODE)).map_err(io)?;
                return Ok((File::from(fd), true));
            }
            Err(Errno::EXIST) => {}
            Err(e) => return Err(io(e)),
        }
        // NONBLOCK: a FIFO there opens at once instead of waiting for a writer.
        let fd = match openat(dir, LOCK_NAME, base | OFlags::NONBLOCK, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::LOOP) => return Err(LockError::NotOurs("it is a symbolic link".into())),
            Err(Errno::ISDIR) => return Err(LockError::NotOurs("it is a folder".into())),
            Err(Errno::NXIO) | Err(Errno::OPNOTSUPP) => {
                return Err(LockError::NotOurs("it is not a regular file".into()));
            }
            Err(e) => return Err(io(e)),
        };
        let st = fstat(&fd).map_err(io)?;
        if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
            return Err(LockError::NotOurs(
                "it is not a regular file (a FIFO, socket or device)".into(),
            ));
        }
        if st.st_nlink != 1 {
            return Err(LockError::NotOurs(format!(
                "it has {} hard links (another file shares it)",
                st.st_nlink
            )));
        }
        let me = rustix::process::geteuid().as_raw();
        if st.st_uid != me {
            return Err(LockError::NotOurs(format!(
                "it belongs to user id {}, not to this user ({me})",
                st.st_uid
            )));
        }
        // Make the descriptor blocking again for ordinary reads and writes.
        let _ = rustix::fs::fcntl_setfl(&fd, OFlags::RDWR);
        Ok((File::from(fd), false))
    }

    /// Is the name still this very file?
    pub fn still_named(dir: &OwnedFd, file: &File) -> bool {
        match (
            statat(dir, LOCK_NAME, AtFlags::SYMLINK_NOFOLLOW),
            fstat(file.as_fd()),
        ) {
            (Ok(a), Ok(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
            _ => false,
        }
    }

    pub fn unlink(dir: &OwnedFd) {
        let _ = unlinkat(dir, LOCK_NAME, AtFlags::empty());
    }
}

#[cfg(unix)]
fn attempt(data_dir: &Path, path: &Path) -> Result<Option<Lock>, LockError> {
    let dir = os::open_dir(data_dir)?;
    let (mut file, created) = os::open(&dir)?;
    match try_lock(&file) {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(LockError::Held(holder(&mut file))),
        Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
    }
    if !os::still_named(&dir, &file) {
        // Removed by the run that held it just now: start over with a new file.
        return Ok(None);
    }
    let _ = created;
    write_pid(&mut file);
    Ok(Some(Lock {
        file,
        path: path.to_path_buf(),
        dir,
    }))
}

#[cfg(unix)]
impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, and only if the name is still ours.
        if os::still_named(&self.dir, &self.file) {
            os::unlink(&self.dir);
        }
    }
}

#[cfg(windows)]
mod os {
    use std::fs::{File, OpenOptions};
    use std::io;
    use std::os::windows::fs::OpenOptionsExt;
    use std::os::windows::io::AsRawHandle;
    use std::path::Path;

    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, FILE_FLAG_OPEN_REPARSE_POINT, FILE_SHARE_DELETE,
        FILE_SHARE_READ, FILE_SHARE_WRITE, GetFileInformationByHandle,
    };

    use super::LockError;

    const DELETE: u32 = 0x0001_0000;

    fn options() -> OpenOptions {
        let mut o = OpenOptions::new();
        o.read(true)
            .write(true)
            .access_mode(0x8000_0000 | 0x4000_0000 | DELETE)
            .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
            .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
        o
    }

    pub fn info(f: &File) -> io::Result<BY_HANDLE_FILE_INFORMATION> {
        // SAFETY: all-zero is valid for this plain struct; the handle lives as long as `f`.
        let mut i: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
        // SAFETY: `i` is a valid out pointer.
        if unsafe { GetFileInformationByHandle(f.as_raw_handle(), &mut i) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(i)
    }

    pub fn open(path: &Path) -> Result<(File, bool), LockError> {
        match options().create_new(true).open(path) {
            Ok(f) => return Ok((f, true)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(LockError::Io(e)),
        }
        let f = options().open(path).map_err(LockError::Io)?;
        let i = info(&f).map_err(LockError::Io)?;
        if i.dwFileAttributes & 0x400 != 0 {
            return Err(LockError::NotOurs("it is a link or reparse point".into()));
        }
        if i.dwFileAttributes & 0x10 != 0 {
            return Err(LockError::NotOurs("it is a folder".into()));
        }
        if i.nNumberOfLinks != 1 {
            return Err(LockError::NotOurs(format!(
                "it has {} hard links (another file shares it)",
                i.nNumberOfLinks
            )));
        }
        // A link the OS does not report as one (a Unix symlink seen through Wine, a link a
        // file server follows): where it really is must be where it appears to be.
        let real = std::fs::canonicalize(path).map_err(LockError::Io)?;
        let expected = path
            .parent()
            .and_then(|d| std::fs::canonicalize(d).ok())
            .map(|d| d.join(super::LOCK_NAME));
        if Some(real) != expected {
            return Err(LockError::NotOurs("it leads to another file".into()));
        }
        Ok((f, false))
    }

    fn id(f: &File) -> Option<(u32, u32, u32)> {
        info(f)
            .ok()
            .map(|i| (i.dwVolumeSerialNumber, i.nFileIndexHigh, i.nFileIndexLow))
    }

    pub fn still_named(path: &Path, file: &File) -> bool {
        let Ok(now) = OpenOptions::new()
            .access_mode(0x80)
            .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
            .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
            .open(path)
        else {
            return false;
        };
        id(&now).is_some() && id(&now) == id(file)
    }
}

#[cfg(windows)]
fn attempt(_data_dir: &Path, path: &Path) -> Result<Option<Lock>, LockError> {
    let (mut file, _created) = os::open(path)?;
    match try_lock(&file) {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(LockError::Held(holder(&mut file))),
        Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
    }
    if !os::still_named(path, &file) {
        return Ok(None);
    }
    write_pid(&mut file);
    Ok(Some(Lock {
        file,
        path: path.to_path_buf(),
    }))
}

#[cfg(windows)]
impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked (every handle shares delete), and only if still ours.
        if os::still_named(&self.path, &self.file) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(not(windows))]
fn try_lock(file: &File) -> Result<(), TryLockError> {
    file.try_lock()
}

/// An exclusive lock on one byte at 2^62, far past the PID, so the PID stays readable.
#[cfg(windows)]
fn try_lock(file: &File) -> Result<(), TryLockError> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Foundation::{ERROR_IO_PENDING, ERROR_LOCK_VIOLATION};
    use windows_sys::Win32::Storage::FileSystem::{
        LOCKFILE_EXCLUSIVE_LOCK, LOCKFILE_FAIL_IMMEDIATELY, LockFileEx,
    };
    use windows_sys::Win32::System::IO::OVERLAPPED;
    // SAFETY: all-zero is a valid OVERLAPPED; the offset is set below.
    let mut overlapped: OVERLAPPED = unsafe { std::mem::zeroed() };
    overlapped.Anonymous.Anonymous.OffsetHigh = 0x4000_0000;
    // SAFETY: the handle is open for as long as `file` lives; `overlapped` outlives the call,
    // which does not keep it (the handle is synchronous).
    let ok = unsafe {
        LockFileEx(
            file.as_raw_handle(),
            LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY,
            0,
            1,
            0,
            &mut overlapped,
        )
    };
    if ok != 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error().and_then(|c| u32::try_from(c).ok()) {
        Some(ERROR_LOCK_VIOLATION | ERROR_IO_PENDING) => Err(TryLockError::WouldBlock),
        _ => Err(TryLockError::Error(e)),
    }
}
