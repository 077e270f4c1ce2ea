//! Linux: the freedesktop.org trash, done relative to the pinned handles. Each entry is moved
//! with one `renameat2(RENAME_NOREPLACE)` from the folder it was checked in into a trash on the
//! same filesystem: the home trash (`$XDG_DATA_HOME/Trash`) when it is on the entry's mount,
//! else `.Trash-$uid` at the top of the entry's own mount, which we make (mode 0700) or accept
//! only when it is a real folder of ours that nobody else can read. The record
//! (`info/NAME.trashinfo`) is created exclusively first. Never a copy: an entry no trash on its
//! filesystem can take is left where it is, and the user is told what to do.
//!
//! The admin-made `$topdir/.Trash/$uid` of the specification is not used: it is shared with
//! other users by design.

use std::ffi::{CStr, CString, OsStr, OsString};
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustix::fs::{
    AtFlags, Dir, Mode, OFlags, RenameFlags, fchmod, fstat, mkdirat, openat, renameat,
    renameat_with, statat, unlinkat,
};
use rustix::io::Errno;

use super::unix::{DIR, Session, ident, io, mount_id, open_dir, os_msg, same_mount};
use super::{Identity, Removed};
use crate::clean::plan::EntryType;
use crate::i18n::Msg;
use crate::msg;

/// One trash: its `files/` and `info/` folders, open, and the mount they are on.
struct Trash {
    files: OwnedFd,
    info: OwnedFd,
    dev: u64,
    mount: Option<u64>,
    /// Where it is, for messages.
    shown: PathBuf,
    /// The top folder of a mount's own trash: records hold paths relative to it. `None` for
    /// the home trash (absolute paths).
    top: bool,
}

/// The trashes of one run, opened as entries need them (one at a time: the trash runs on one
/// thread, and names in it are picked one after another).
#[derive(Default)]
pub struct Trashes {
    home: Mutex<Option<Result<Arc<Trash>, Msg>>>,
    tops: Mutex<Vec<Arc<Trash>>>,
    /// The path below its mount's top of each folder entries were moved from (by identity):
    /// one climb per folder, not per entry.
    below_top: Mutex<Vec<(Identity, PathBuf)>>,
}

fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// `name` in `dir`: a real folder of ours, made when missing; its mode is made 0700 whatever
/// the umask (also when an older tool made it 0755), so nobody else can enter it.
fn own_folder(dir: BorrowedFd<'_>, name: &CStr, shown: &Path) -> Result<OwnedFd, Msg> {
    let fd = match open_dir(dir, name) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => {
            match mkdirat(dir, name, Mode::from_raw_mode(0o700)) {
                Ok(()) | Err(Errno::EXIST) => {}
                Err(e) => return Err(at(shown, e)),
            }
            open_dir(dir, name).map_err(|e| not_ours(shown, e))?
        }
        Err(e) => return Err(not_ours(shown, e)),
    };
    let st = fstat(&fd).map_err(|e| at(shown, e))?;
    if st.st_uid != euid() {
        return Err(msg!(
            "trash.not_ours",
            path = shown.display(),
            why = crate::tf!(
                "trash.why_owner",
                owner = crate::process::user_name(st.st_uid)
            )
        ));
    }
    #[allow(clippy::unnecessary_cast)]
    let mode = st.st_mode as u32 & 0o7777;
    if mode != 0o700 {
        fchmod(&fd, Mode::from_raw_mode(0o700)).map_err(|e| at(shown, e))?;
    }
    Ok(fd)
}

fn at(path: &Path, e: Errno) -> Msg {
    Msg::raw(format!("{}: {}", path.display(), io(e)))
}

/// Opening failed: a link or something else than a folder is not ours to use.
fn not_ours(path: &Path, e: Errno) -> Msg {
    match e {
        Errno::LOOP | Errno::NOTDIR | Errno::MLINK => msg!(
            "trash.not_ours",
            path = path.display(),
            why = crate::i18n::t("trash.why_link")
        ),
        e => at(path, e),
    }
}

impl Trash {
    /// `files/` and `info/` in an open trash folder.
    fn open(trash: OwnedFd, shown: PathBuf, top: bool) -> Result<Trash, Msg> {
        let files = own_folder(trash.as_fd(), c"files", &shown.join("files"))?;
        let info = own_folder(trash.as_fd(), c"info", &shown.join("info"))?;
        let st = fstat(&files).map_err(|e| at(&shown, e))?;
        Ok(Trash {
            dev: ident(&st).dev,
            mount: mount_id(files.as_fd(), c""),
            files,
            info,
            shown,
            top,
        })
    }

    fn holds(&self, dev: u64, mount: Option<u64>) -> bool {
        self.dev == dev && same_mount(self.mount, mount)
    }

    /// Moves `name` of `parent` in under a free name, its record first. `original`: the path
    /// the record gives (relative to the mount's top for a mount's own trash).
    fn put(&self, parent: BorrowedFd<'_>, name: &CStr, original: &Path) -> Result<(), Msg> {
        let record = record(original, self.top);
        let base = name.to_bytes();
        for n in 0..1000u32 {
            let mut trashed: Vec<u8> = if base.len() + 20 > 240 {
                format!("trashed-{:016x}", crate::outfile::unpredictable()).into_bytes()
            } else {
                base.to_vec()
            };
            if n > 0 {
                trashed.extend_from_slice(format!(".{n}").as_bytes());
            }
            let mut info_name = trashed.clone();
            info_name.extend_from_slice(b".trashinfo");
            let (Ok(trashed), Ok(info_name)) = (CString::new(trashed), CString::new(info_name))
            else {
                return Err(msg!("guard.unknown_kind"));
            };
            let flags =
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let fd = match openat(&self.info, &info_name, flags, Mode::from_raw_mode(0o600)) {
                Ok(fd) => fd,
                Err(Errno::EXIST) => continue,
                Err(e) => return Err(at(&self.shown.join("info"), e)),
            };
            let written = (|| -> std::io::Result<()> {
                fchmod(&fd, Mode::from_raw_mode(0o600))?;
                // No fsync: a record lost in a crash leaves a trashed file without its
                // origin, which costs nothing; 20,000 fsyncs cost minutes.
                std::fs::File::from(fd).write_all(record.as_bytes())
            })();
            let unrecord = || {
                let _ = unlinkat(&self.info, &info_name, AtFlags::empty());
            };
            if let Err(e) = written {
                unrecord();
                return Err(Msg::raw(format!(
                    "{}: {e}",
                    self.shown.join("info").display()
                )));
            }
            match rename_noreplace(parent, name, self.files.as_fd(), &trashed) {
                Ok(()) => return Ok(()),
                Err(Errno::EXIST) => unrecord(),
                Err(Errno::XDEV) => {
                    unrecord();
                    return Err(msg!("trash.crossing", trash = self.shown.display()));
                }
                Err(e) => {
                    unrecord();
                    return Err(os_msg(e));
                }
            }
        }
        Err(msg!("trash.no_free_name", trash = self.shown.display()))
    }
}

/// `renameat2(RENAME_NOREPLACE)`; where the filesystem does not offer it, a rename after a
/// look (the trash's `files/` is ours alone, so only we add names there).
fn rename_noreplace(
    from: BorrowedFd<'_>,
    name: &CStr,
    to: BorrowedFd<'_>,
    new: &CStr,
) -> Result<(), Errno> {
    match renameat_with(from, name, to, new, RenameFlags::NOREPLACE) {
        Err(Errno::INVAL | Errno::NOSYS) => match statat(to, new, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(_) => Err(Errno::EXIST),
            Err(Errno::NOENT) => renameat(from, name, to, new),
            Err(e) => Err(e),
        },
        other => other,
    }
}

/// The `.trashinfo` text: the original path, percent-encoded (RFC 2396, `/` kept), and the
/// local time it was trashed.
fn record(original: &Path, relative: bool) -> String {
    let mut path = String::new();
    let bytes = original.as_os_str().as_bytes();
    let bytes = if relative {
        bytes.strip_prefix(b"/").unwrap_or(bytes)
    } else {
        bytes
    };
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()/".contains(&b) {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    let now = crate::time::unix_secs(std::time::SystemTime::now()) as i64;
    let local = now + crate::stats::local_offset_secs(now);
    let (y, m, d) = crate::time::civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    format!(
        "[Trash Info]\nPath={path}\nDeletionDate={y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}\n",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// The top folder of the mount `start` is on, reached by `..` from `start` (no path), and the
/// names from it down to `start`.
fn top_of(start: BorrowedFd<'_>) -> Result<(OwnedFd, Vec<OsString>), Errno> {
    let mut cur = openat(start, c".", DIR, Mode::empty())?;
    let mut names = Vec::new();
    loop {
        let up = openat(&cur, c"..", DIR, Mode::empty())?;
        let (here, above) = (fstat(&cur)?, fstat(&up)?);
        if ident(&here) == ident(&above)
            || here.st_dev != above.st_dev
            || !same_mount(mount_id(cur.as_fd(), c""), mount_id(up.as_fd(), c""))
        {
            break;
        }
        names.push(name_in(up.as_fd(), ident(&here))?);
        cur = up;
    }
    names.reverse();
    Ok((cur, names))
}

/// The name under which `dir` holds the folder `id`.
fn name_in(dir: BorrowedFd<'_>, id: Identity) -> Result<OsString, Errno> {
    let mut d = Dir::read_from(dir)?;
    while let Some(item) = d.read() {
        let item = item?;
        let name = item.file_name();
        if item.ino() != id.ino || name == c"." || name == c".." {
            continue;
        }
        if statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(|st| ident(&st) == id) {
            return Ok(OsString::from_vec(name.to_bytes().to_vec()));
        }
    }
    Err(Errno::NOENT)
}

/// The home trash: `$XDG_DATA_HOME/Trash`, else `$HOME/.local/share/Trash`, reached as a
/// private folder (no link anyone else could have planted on the way, ours or root's).
fn home_trash() -> Result<Trash, Msg> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".local/share"))
        })
        .ok_or_else(|| msg!("trash.no_home"))?;
    let path = base.join("Trash");
    let fd = crate::outfile::open_private_folder(&path).map_err(|p| p.msg())?;
    Trash::open(fd, path, false)
}

impl Trashes {
    /// A trash on the entry's mount: the home trash, or one at the top of that mount.
    fn for_entry(
        &self,
        parent: BorrowedFd<'_>,
        dev: u64,
        mount: Option<u64>,
        path: &Path,
    ) -> Result<Arc<Trash>, Msg> {
        let home = {
            let mut home = self.home.lock().unwrap_or_else(|e| e.into_inner());
            home.get_or_insert_with(|| home_trash().map(Arc::new))
                .clone()
        };
        if let Ok(h) = &home
            && h.holds(dev, mount)
        {
            return Ok(h.clone());
        }
        let mut tops = self.tops.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = tops.iter().find(|t| t.holds(dev, mount)) {
            return Ok(t.clone());
        }
        let home_shown = match &home {
            Ok(h) => h.shown.display().to_string(),
            Err(e) => e.to_string(),
        };
        let (top, names) = top_of(parent).map_err(os_msg)?;
        // The top's path for messages: the entry's path less the names climbed and its own.
        let mut top_path = path.to_path_buf();
        for _ in 0..=names.len() {
            top_path.pop();
        }
        let name =
            CString::new(format!(".Trash-{}", euid())).map_err(|_| msg!("guard.unknown_kind"))?;
        let shown = top_path.join(OsStr::from_bytes(name.to_bytes()));
        let trash = own_folder(top.as_fd(), &name, &shown)
            .and_then(|fd| Trash::open(fd, shown.clone(), true))
            .map_err(|why| {
                msg!(
                    "trash.unusable",
                    home = home_shown,
                    top = shown.display(),
                    why = why
                )
            })?;
        if !trash.holds(dev, mount) {
            return Err(msg!("trash.crossing", trash = shown.display()));
        }
        let trash = Arc::new(trash);
        tops.push(trash.clone());
        Ok(trash)
    }
}

impl Trashes {
    /// Moves one file (found by a sweep, checked through `parent`) to a trash on its own
    /// filesystem, relative to `parent`.
    pub fn put_at(&self, parent: BorrowedFd<'_>, name: &CStr, path: &Path) -> Result<(), Msg> {
        let st = statat(parent, name, AtFlags::SYMLINK_NOFOLLOW).map_err(os_msg)?;
        let dev = ident(&st).dev;
        let mount = mount_id(parent, name);
        let trash = self.for_entry(parent, dev, mount, path)?;
        let original = if trash.top {
            let (_, names) = top_of(parent).map_err(os_msg)?;
            let p: PathBuf = names.iter().collect();
            p.join(OsStr::from_bytes(name.to_bytes()))
        } else {
            path.to_path_buf()
        };
        trash.put(parent, name, &original)
    }
}

impl Session {
    /// Moves the entry to a trash on its own filesystem if it is still what was planned,
    /// relative to the folder it was checked in.
    pub fn trash(
        &self,
        trashes: &Trashes,
        sub: Option<&str>,
        name: &OsStr,
        planned: EntryType,
        path: &Path,
        planned_files: u64,
    ) -> Result<Removed, Msg> {
        let (parent, cname, st) = self.lookup(sub, name, planned)?;
        let parent = parent.as_fd();
        if planned == EntryType::Dir
            && let Some(inner) = super::unix_mounts::mount_inside(parent, &cname, ident(&st), path)?
        {
            return Err(msg!("trash.mount_inside", path = inner.display()));
        }
        let dev = ident(&st).dev;
        let mount = mount_id(parent, &cname);
        let trash = trashes.for_entry(parent, dev, mount, path)?;
        let original = if trash.top {
            let id = fstat(parent).map(|st| ident(&st)).map_err(os_msg)?;
            let mut known = trashes.below_top.lock().unwrap_or_else(|e| e.into_inner());
            let folder = match known.iter().find(|(i, _)| *i == id) {
                Some((_, p)) => p.clone(),
                None => {
                    let (_, names) = top_of(parent).map_err(os_msg)?;
                    let p: PathBuf = names.iter().collect();
                    known.push((id, p.clone()));
                    p
                }
            };
            folder.join(OsStr::from_bytes(cname.to_bytes()))
        } else {
            path.to_path_buf()
        };
        trash.put(parent, &cname, &original)?;
        Ok(Removed {
            files: planned_files,
            ..Default::default()
        })
    }
}
