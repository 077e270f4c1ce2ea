//! Files llob-doctor writes (the run log, `stats --output`, the scheduler's files, the trash's
//! records): made so that nobody else can steer the write, even when root runs it.
//!
//! - The folder is reached from `/` one name at a time, each opened without following a link
//!   (`O_NOFOLLOW | O_DIRECTORY`). A link on the way is followed only when the folder holding it
//!   belongs to root or to this user and nobody else can write it (so only its owner could have
//!   put it there); a link in another user's folder is refused.
//! - Nothing is ever written under `/proc`, `/sys` or another kernel filesystem (`fstatfs`).
//! - A file that is replaced ([`replace`]) is written to a temporary file with an unpredictable
//!   name, created exclusively (`O_EXCL`), then renamed over the name relative to the folder's
//!   handle: nothing at the name is ever opened, so a link or another user's file planted
//!   there cannot receive the text.
//! - A file that is appended to ([`Appender`]) must be a regular file of this user with one
//!   link, and its folder one that nobody else can change ([`Folder::Private`]).
//! - Modes are set explicitly with `fchmod`, whatever the umask.
//!
//! Windows offers no handle-relative creation through std: there the same intent is kept with
//! what Windows offers (no reparse point at the folder or the name, the folder held open
//! without delete sharing, the real path compared with the one asked for).

use std::path::{Path, PathBuf};

use crate::i18n::Msg;
use crate::msg;

#[cfg(unix)]
#[path = "outfile/unix.rs"]
mod os;
#[cfg(windows)]
#[path = "outfile/windows.rs"]
mod os;

#[cfg(unix)]
pub use os::kernel_fs;

/// Opens (making what is missing, mode 0700) a folder as [`Folder::Private`] requires: reached
/// without following a link anyone else could have put on the way, root's or this user's,
/// writable by nobody else.
#[cfg(unix)]
pub fn open_private_folder(path: &Path) -> Result<std::os::fd::OwnedFd, Problem> {
    os::open_folder(path, Folder::Private, true)
}

/// Who may own the folder a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// Root's or this user's, writable by nobody else unless sticky (the run log: appended to
    /// for months, it may hold commands).
    Private,
    /// Anyone's (a node_exporter textfile folder owned by `prometheus`): the file is replaced
    /// whole by a rename, so nothing in the folder is written through.
    Shared,
}

/// Why a file was not written. Each names the path it is about.
#[derive(Debug)]
pub enum Problem {
    Io(PathBuf, std::io::Error),
    /// Something at the name that is not a regular file (`what`: an `out.what_*` key).
    NotRegular(PathBuf, &'static str),
    /// A regular file of another user.
    OtherOwner(PathBuf, u32),
    /// A file with more than one name.
    Linked(PathBuf, u64),
    /// On a kernel filesystem (its name).
    KernelFs(PathBuf, String),
    /// A folder another user owns, where a private file was asked for.
    FolderOwner(PathBuf, u32),
    /// A folder others can write (its mode), not sticky.
    FolderMode(PathBuf, u32),
    /// A link in a folder that another user can change (that folder's owner).
    UntrustedLink(PathBuf, u32),
    NotFolder(PathBuf),
    /// Changed between two looks.
    Changed(PathBuf),
}

fn me() -> u32 {
    #[cfg(unix)]
    {
        rustix::process::geteuid().as_raw()
    }
    #[cfg(not(unix))]
    {
        0
    }
}

impl Problem {
    pub fn path(&self) -> &Path {
        match self {
            Problem::Io(p, _)
            | Problem::NotRegular(p, _)
            | Problem::OtherOwner(p, _)
            | Problem::Linked(p, _)
            | Problem::KernelFs(p, _)
            | Problem::FolderOwner(p, _)
            | Problem::FolderMode(p, _)
            | Problem::UntrustedLink(p, _)
            | Problem::NotFolder(p)
            | Problem::Changed(p) => p,
        }
    }

    /// The problem in words (a catalogue message naming the path).
    pub fn msg(&self) -> Msg {
        let path = crate::clean::guard::shown(self.path());
        let who = |uid: u32| crate::process::user_name(uid);
        match self {
            Problem::Io(_, e) => msg!("out.io", path = path, error = crate::i18n::os_error(e)),
            Problem::NotRegular(_, what) => {
                msg!("out.not_regular", path = path, what = crate::i18n::t(what))
            }
            Problem::OtherOwner(_, uid) => {
                msg!(
                    "out.other_owner",
                    path = path,
                    owner = who(*uid),
                    me = who(me())
                )
            }
            Problem::Linked(_, n) => msg!("out.linked", path = path, links = n),
            Problem::KernelFs(_, fs) => msg!("out.kernel_fs", path = path, fs = fs),
            Problem::FolderOwner(_, uid) => {
                msg!(
                    "out.folder_owner",
                    path = path,
                    owner = who(*uid),
                    me = who(me())
                )
            }
            Problem::FolderMode(_, mode) => {
                msg!("out.folder_mode", path = path, mode = format!("{mode:04o}"))
            }
            Problem::UntrustedLink(_, uid) => {
                msg!("out.untrusted_link", path = path, owner = who(*uid))
            }
            Problem::NotFolder(_) => msg!("out.not_folder", path = path),
            Problem::Changed(_) => msg!("out.changed", path = path),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().to_string())
    }
}

/// The folder and the name of `path`; a path without a file name is refused.
fn split(path: &Path) -> Result<(PathBuf, &std::ffi::OsStr), Problem> {
    let name = path
        .file_name()
        .ok_or_else(|| Problem::NotRegular(path.to_path_buf(), "out.what_folder"))?;
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((folder, name))
}

/// Replaces `path` with `bytes` atomically: a temporary file with an unpredictable name in the
/// same folder, created exclusively with `mode`, then renamed over the name. What is at the
/// name must be nothing or a regular file of this user. `create_folders`: make missing folders
/// (mode 0700) instead of failing.
pub fn replace(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    folder: Folder,
    create_folders: bool,
) -> Result<(), Problem> {
    let (dir, name) = split(path)?;
    os::replace(&dir, name, bytes, mode, folder, create_folders)
}

/// A file open for appending whole lines, checked once when opened.
#[derive(Debug)]
pub struct Appender {
    file: std::fs::File,
    pub path: PathBuf,
}

impl Appender {
    /// Opens (or creates, with `mode`) `path` for appending: a regular file of this user with
    /// one link, in a [`Folder::Private`] folder (missing folders are made, mode 0700). An
    /// existing file gets `mode` too.
    pub fn open(path: &Path, mode: u32) -> Result<Appender, Problem> {
        let (dir, name) = split(path)?;
        let file = os::open_append(&dir, name, mode)?;
        Ok(Appender {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Appends `bytes` in one write, so lines of concurrent runs do not interleave.
    pub fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        self.file.write_all(bytes)
    }
}

/// 64 bits nobody can guess: std seeds `RandomState`'s keys from the OS's random source.
pub fn unpredictable() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// A temporary name beside `name`: `.NAME.<16 hex digits>.tmp`, the name shortened so the
/// whole stays within 255 bytes (Unix) or 255 UTF-16 units (Windows), cut between characters
/// where the name is text.
pub fn temp_name(name: &std::ffi::OsStr) -> std::ffi::OsString {
    let suffix = format!(".{:016x}.tmp", unpredictable());
    let room = 255 - 1 - suffix.len();
    let mut out = std::ffi::OsString::from(".");
    match name.to_str() {
        Some(text) => {
            let mut end = 0;
            for (i, c) in text.char_indices() {
                if i + c.len_utf8() > room {
                    break;
                }
                end = i + c.len_utf8();
            }
            out.push(text.get(..end).unwrap_or(""));
        }
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                let bytes = name.as_bytes();
                out.push(std::ffi::OsStr::from_bytes(
                    bytes.get(..room).unwrap_or(bytes),
                ));
            }
            #[cfg(not(unix))]
            {
                let lossy = name.to_string_lossy();
                let mut end = 0;
                for (i, c) in lossy.char_indices() {
                    if i + c.len_utf8() > room {
                        break;
                    }
                    end = i + c.len_utf8();
                }
                out.push(lossy.get(..end).unwrap_or(""));
            }
        }
    }
    out.push(suffix);
    out
}

#[cfg(test)]
#[path = "outfile/tests.rs"]
mod tests;
