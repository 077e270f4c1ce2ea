//! Reading files that cannot hang or balloon: every file llob-doctor reads (configs, launchers,
//! shell start-up files, logs, the run log, `napcat.mjs`, QQ's `mmkv.default`, a passwd file)
//! is opened here.
//!
//! A file is looked at before it is opened (a FIFO, a device, a socket or a folder is refused by
//! name, without opening it: opening a FIFO waits for a writer, opening some devices acts), then
//! opened without blocking (`O_NONBLOCK`, `O_NOCTTY`), checked again through the open handle
//! (`fstat`: a regular file, and the same one that was looked at, so a swap in between is caught),
//! and read with a cap: whole up to a size, its first bytes, or its last bytes. `/dev/zero` or a
//! FIFO in a config's place is an error naming the file, never a hang or unbounded memory.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::i18n::{Msg, t};
use crate::{msg, tf};

/// What is at a path instead of a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Folder,
    Fifo,
    Device,
    Socket,
    Other,
}

impl Special {
    fn key(self) -> &'static str {
        match self {
            Special::Folder => "read.what_folder",
            Special::Fifo => "read.what_fifo",
            Special::Device => "read.what_device",
            Special::Socket => "read.what_socket",
            Special::Other => "read.what_other",
        }
    }
}

/// Why a file gave no bytes.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing there (or a dangling link).
    Absent,
    /// Not a regular file: never opened (or closed at once, when it was swapped in while being
    /// opened).
    NotRegular(Special),
    /// Larger than the cap: its size (at least the cap + 1 when it grew while being read).
    TooLarge(u64),
    Io(io::Error),
}

impl ReadError {
    /// The reason as words of the current language, for use after `PATH: `.
    pub fn words(&self) -> String {
        match self {
            ReadError::Absent => t("os.not_found").to_string(),
            ReadError::NotRegular(what) => tf!("read.not_regular", what = t(what.key())),
            ReadError::TooLarge(bytes) => tf!("read.too_large", bytes = bytes),
            ReadError::Io(e) => crate::i18n::os_error(e),
        }
    }

    /// The reason as a catalogue message (rendered later, in English for JSON and logs).
    pub fn msg(&self) -> Msg {
        match self {
            ReadError::Absent => msg!("os.not_found"),
            ReadError::NotRegular(what) => Msg {
                key: "read.not_regular",
                args: vec![("what", t(what.key()).to_string())],
            },
            ReadError::TooLarge(bytes) => msg!("read.too_large", bytes = bytes),
            ReadError::Io(e) => Msg::raw(e.to_string()),
        }
    }

    /// As an `io::Error`, for readers that report OS errors: a refusal keeps its words.
    pub fn into_io(self) -> io::Error {
        match self {
            ReadError::Io(e) => e,
            ReadError::Absent => io::Error::from(io::ErrorKind::NotFound),
            other => io::Error::other(other.words()),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        if e.kind() == io::ErrorKind::NotFound {
            ReadError::Absent
        } else {
            ReadError::Io(e)
        }
    }
}

fn special(ft: fs::FileType) -> Option<Special> {
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some(Special::Folder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some(Special::Fifo);
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some(Special::Device);
        }
        if ft.is_socket() {
            return Some(Special::Socket);
        }
    }
    Some(Special::Other)
}

/// Opens a regular file for reading, never waiting and never opening anything else (see the
/// module's text). Gives the open file and its size.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    // Looked at first: a FIFO or a device is refused without being opened at all.
    let before = fs::metadata(path)?;
    if let Some(what) = special(before.file_type()) {
        return Err(ReadError::NotRegular(what));
    }
    let file = os::open_nonblocking(path)?;
    let now = file.metadata()?;
    if let Some(what) = special(now.file_type()) {
        return Err(ReadError::NotRegular(what));
    }
    os::check_handle(&file, &before, &now)?;
    Ok((file, now.len()))
}

/// Reads a whole file of at most `cap` bytes (a larger one is [`ReadError::TooLarge`]), whatever
/// it claims its size is: a file that grows while being read never fills memory.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    if len > cap {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > cap {
        return Err(ReadError::TooLarge(read));
    }
    Ok(bytes)
}

/// Reads at most the first `max` bytes of a file.
pub fn read_head(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(max)).unwrap_or(0));
    file.take(max)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    Ok(bytes)
}

/// The last bytes of a file: at most `max`, and whether the file holds more before them (then
/// the first line of the tail is likely a part of a line).
pub fn read_tail(path: &Path, max: u64) -> Result<(Vec<u8>, bool), ReadError> {
    let (mut file, len) = open_regular(path)?;
    let from = len.saturating_sub(max);
    if from > 0 {
        file.seek(SeekFrom::Start(from)).map_err(ReadError::Io)?;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(max)).unwrap_or(0));
    file.take(max)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    Ok((bytes, from > 0))
}

/// The complete lines of a tail read by [`read_tail`]: without the first, cut one.
pub fn tail_lines(bytes: &[u8], cut: bool) -> impl DoubleEndedIterator<Item = &[u8]> {
    let start = if cut {
        memchr::memchr(b'\n', bytes).map_or(bytes.len(), |i| i + 1)
    } else {
        0
    };
    bytes[start..]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
}

#[cfg(unix)]
mod os {
    use std::fs::{File, Metadata, OpenOptions};
    use std::io;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    use std::path::Path;

    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};

    use super::ReadError;

    /// `O_NONBLOCK`: a FIFO swapped in after the look opens at once instead of waiting for a
    /// writer. `O_NOCTTY`: a terminal never becomes ours.
    pub(super) fn open_nonblocking(path: &Path) -> io::Result<File> {
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
    }

    /// The open file must be the one looked at; then reads may block again (a regular file
    /// never waits anyway).
    pub(super) fn check_handle(
        file: &File,
        before: &Metadata,
        now: &Metadata,
    ) -> Result<(), ReadError> {
        if (before.dev(), before.ino()) != (now.dev(), now.ino()) {
            return Err(ReadError::Io(io::Error::other(crate::i18n::t(
                "read.changed",
            ))));
        }
        if let Ok(flags) = fcntl_getfl(file) {
            let _ = fcntl_setfl(file, flags - OFlags::NONBLOCK);
        }
        Ok(())
    }
}

#[cfg(windows)]
mod os {
    use std::fs::{File, Metadata};
    use std::io;
    use std::os::windows::io::AsRawHandle;
    use std::path::Path;

    use windows_sys::Win32::Storage::FileSystem::{FILE_TYPE_DISK, GetFileType};

    use super::{ReadError, Special};

    pub(super) fn open_nonblocking(path: &Path) -> io::Result<File> {
        File::open(path)
    }

    /// Windows has no FIFOs in folders, but a name can open a device (`\\.\…`, a console) or a
    /// pipe: the open handle must be a file on a disk.
    pub(super) fn check_handle(
        file: &File,
        _before: &Metadata,
        now: &Metadata,
    ) -> Result<(), ReadError> {
        // SAFETY: the handle is valid as long as `file` lives.
        let kind = unsafe { GetFileType(file.as_raw_handle()) };
        if kind != FILE_TYPE_DISK || !now.is_file() {
            return Err(ReadError::NotRegular(Special::Device));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_head_and_tail() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("f");
        fs::write(&p, b"one\ntwo\nthree\n").unwrap();
        assert_eq!(read_capped(&p, 100).unwrap(), b"one\ntwo\nthree\n");
        assert!(matches!(read_capped(&p, 5), Err(ReadError::TooLarge(14))));
        assert_eq!(read_head(&p, 3).unwrap(), b"one");
        let (tail, cut) = read_tail(&p, 8).unwrap();
        assert_eq!((tail.as_slice(), cut), (&b"o\nthree\n"[..], true));
        let lines: Vec<&[u8]> = tail_lines(&tail, cut).collect();
        assert_eq!(lines, vec![&b"three"[..]]);
        let (all, cut) = read_tail(&p, 100).unwrap();
        assert_eq!(tail_lines(&all, cut).count(), 3);
        assert!(matches!(
            read_capped(&t.path().join("none"), 10),
            Err(ReadError::Absent)
        ));
        assert!(matches!(
            read_capped(t.path(), 10),
            Err(ReadError::NotRegular(Special::Folder))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_without_waiting() {
        let t = tempfile::tempdir().unwrap();
        let fifo = t.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(
                read_capped(&fifo, 10),
                Err(ReadError::NotRegular(Special::Fifo))
            ));
            assert!(matches!(
                read_tail(&fifo, 10),
                Err(ReadError::NotRegular(Special::Fifo))
            ));
        }
        let zero = t.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        for p in [Path::new("/dev/zero"), &zero] {
            assert!(matches!(
                read_head(p, 10),
                Err(ReadError::NotRegular(Special::Device))
            ));
        }
    }
}
