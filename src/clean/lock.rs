//! One clean at a time per data dir: an exclusive lock on `<data dir>/.llob-doctor.lock`
//! (std `File::try_lock`), which holds the holder's PID for the message of a second run.
//! The file is never removed: removing a lock file lets two runs each lock a different file.
//! On Windows a lock forbids others to read the bytes it covers, so there the lock covers one
//! byte far past the PID instead of the whole file.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub const LOCK_NAME: &str = ".llob-doctor.lock";

pub struct Lock {
    _file: File,
    pub path: PathBuf,
}

pub enum LockError {
    /// Held by another run; its PID when it wrote one.
    Held(Option<u32>),
    Io(std::io::Error),
}

pub fn acquire(data_dir: &Path) -> Result<Lock, (PathBuf, LockError)> {
    let path = data_dir.join(LOCK_NAME);
    let fail = |e| (path.clone(), e);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| fail(LockError::Io(e)))?;
    match try_lock(&file) {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut s = String::new();
            let _ = file.read_to_string(&mut s);
            return Err(fail(LockError::Held(s.trim().parse().ok())));
        }
        Err(TryLockError::Error(e)) => return Err(fail(LockError::Io(e))),
    }
    // Best effort: the PID is only for the message a second run prints.
    let _ = file.set_len(0);
    let _ = file.seek(SeekFrom::Start(0));
    let _ = write!(file, "{}", std::process::id());
    let _ = file.flush();
    Ok(Lock { _file: file, path })
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
