//! One clean at a time per data dir: an exclusive lock on `<data dir>/.llob-doctor.lock`
//! (std `File::try_lock`), which holds the holder's PID for the message of a second run.
//! The file is never removed: removing a lock file lets two runs each lock a different file.

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
    match file.try_lock() {
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
