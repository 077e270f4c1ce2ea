//! Unix: the folder reached name by name from `/` through open handles, files created and
//! renamed relative to the folder's handle.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{
    AtFlags, CWD, FileType, Mode, OFlags, Stat, fchmod, fstat, fsync, mkdirat, openat, readlinkat,
    renameat, statat, unlinkat,
};
use rustix::io::Errno;

use super::{Folder, Problem};

const DIR: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Links followed on the way to a folder before giving up (as the kernel's 40).
const MAX_HOPS: usize = 40;

fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// A stat's mode bits (`u16` on macOS, `u32` elsewhere).
#[allow(clippy::unnecessary_cast)]
pub(crate) fn mode_bits(st: &Stat) -> u32 {
    st.st_mode as u32
}

fn io(path: &Path, e: Errno) -> Problem {
    Problem::Io(path.to_path_buf(), std::io::Error::from(e))
}

/// A folder whose content only root or this user can change: owned by one of them, and
/// writable by nobody else unless sticky (then others cannot rename or remove what is ours).
pub(crate) fn trusted_folder(st: &Stat) -> bool {
    let owner_ok = st.st_uid == 0 || st.st_uid == euid();
    let mode = mode_bits(st);
    owner_ok && (mode & 0o022 == 0 || mode & 0o1000 != 0)
}

fn folder_problem(st: &Stat, path: &Path) -> Option<Problem> {
    if st.st_uid != 0 && st.st_uid != euid() {
        return Some(Problem::FolderOwner(path.to_path_buf(), st.st_uid));
    }
    (!trusted_folder(st)).then(|| Problem::FolderMode(path.to_path_buf(), mode_bits(st) & 0o7777))
}

/// Filesystems of the kernel's own (`statfs` magic numbers): writing there changes the system,
/// not a file.
#[cfg(any(target_os = "linux", target_os = "android"))]
const KERNEL_MAGIC: [(u32, &str); 20] = [
    (0x9fa0, "proc"),
    (0x6265_6572, "sysfs"),
    (0x0027_e0eb, "cgroup"),
    (0x6367_7270, "cgroup2"),
    (0x6462_6720, "debugfs"),
    (0x7472_6163, "tracefs"),
    (0x7363_6673, "securityfs"),
    (0x6265_6570, "configfs"),
    (0xcafe_4a11, "bpf"),
    (0x6165_676c, "pstore"),
    (0xde5e_81e4, "efivarfs"),
    (0x1cd1, "devpts"),
    (0x1980_0202, "mqueue"),
    (0x6573_5543, "fusectl"),
    (0x4249_4e4d, "binfmt_misc"),
    (0xf97c_ff8c, "selinuxfs"),
    (0x4341_5d53, "smackfs"),
    (0x6e73_6673, "nsfs"),
    (0x0187, "autofs"),
    (0x958_458f6, "hugetlbfs"),
];

/// Kernel filesystems by the name `/proc/self/mountinfo` gives (devtmpfs shares tmpfs's magic
/// number, so only its name tells it apart).
#[cfg(any(target_os = "linux", target_os = "android"))]
const KERNEL_NAMES: [&str; 3] = ["devtmpfs", "rpc_pipefs", "nfsd"];

/// The kernel filesystem `fd` is on, by name, when it is one.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn kernel_fs(fd: BorrowedFd<'_>) -> Option<String> {
    if let Ok(st) = rustix::fs::fstatfs(fd) {
        #[allow(clippy::unnecessary_cast)]
        let magic = st.f_type as u64 as u32;
        if let Some((_, name)) = KERNEL_MAGIC.iter().find(|(m, _)| *m == magic) {
            return Some((*name).to_string());
        }
    }
    let fstype = mount_fstype(fd)?;
    (KERNEL_NAMES.contains(&fstype.as_str()) || KERNEL_MAGIC.iter().any(|(_, n)| *n == fstype))
        .then_some(fstype)
}

/// The filesystem type of the mount `fd` is on, from `/proc/self/mountinfo` by mount id.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn mount_fstype(fd: BorrowedFd<'_>) -> Option<String> {
    use rustix::fs::{StatxFlags, statx};
    use std::io::Read;
    let st = statx(fd, c"", AtFlags::EMPTY_PATH, StatxFlags::MNT_ID).ok()?;
    if st.stx_mask & StatxFlags::MNT_ID.bits() == 0 {
        return None;
    }
    let mut text = String::new();
    File::open("/proc/self/mountinfo")
        .ok()?
        .take(16 << 20)
        .read_to_string(&mut text)
        .ok()?;
    let id = st.stx_mnt_id.to_string();
    let line = text
        .lines()
        .find(|l| l.split(' ').next() == Some(id.as_str()))?;
    let (_, after) = line.split_once(" - ")?;
    after.split(' ').next().map(str::to_string)
}

#[cfg(target_os = "macos")]
pub fn kernel_fs(fd: BorrowedFd<'_>) -> Option<String> {
    use std::os::fd::AsRawFd;
    // SAFETY: all-zero is a valid statfs to be filled in; the descriptor is open.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid out pointer for the call.
    if unsafe { libc::fstatfs(fd.as_raw_fd(), &mut st) } != 0 {
        return None;
    }
    let name: Vec<u8> = st
        .f_fstypename
        .iter()
        .take_while(|c| **c != 0)
        .map(|c| *c as u8)
        .collect();
    let name = String::from_utf8_lossy(&name).into_owned();
    (name == "devfs").then_some(name)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
pub fn kernel_fs(_fd: BorrowedFd<'_>) -> Option<String> {
    None
}

fn refuse_kernel_fs(fd: BorrowedFd<'_>, path: &Path) -> Result<(), Problem> {
    match kernel_fs(fd) {
        Some(fs) => Err(Problem::KernelFs(path.to_path_buf(), fs)),
        None => Ok(()),
    }
}

/// Opens `folder` name by name from `/` (or the current folder's real path), never following a
/// link in a folder someone else could change, and checks the folder: not on a kernel
/// filesystem, and for [`Folder::Private`] root's or ours and writable by nobody else.
/// `create`: missing folders are made with mode 0700 (whatever the umask).
pub(super) fn open_folder(folder: &Path, kind: Folder, create: bool) -> Result<OwnedFd, Problem> {
    let abs = std::path::absolute(folder).map_err(|e| Problem::Io(folder.to_path_buf(), e))?;
    let mut todo: VecDeque<OsString> = VecDeque::new();
    for c in abs.components() {
        match c {
            Component::Normal(n) => todo.push_back(n.to_os_string()),
            Component::ParentDir => todo.push_back(OsString::from("..")),
            _ => {}
        }
    }
    let root = |shown: &mut PathBuf| -> Result<OwnedFd, Problem> {
        *shown = PathBuf::from("/");
        openat(CWD, "/", DIR, Mode::empty()).map_err(|e| io(Path::new("/"), e))
    };
    let mut shown = PathBuf::new();
    let mut cur = root(&mut shown)?;
    let mut hops = 0;
    while let Some(name) = todo.pop_front() {
        let at = shown.join(&name);
        let next = if name == ".." {
            shown.pop();
            openat(&cur, "..", DIR, Mode::empty()).map_err(|e| io(&shown, e))?
        } else {
            match openat(&cur, &name, DIR, Mode::empty()) {
                Ok(fd) => {
                    shown.push(&name);
                    fd
                }
                Err(Errno::NOENT) if create => {
                    let made = match mkdirat(&cur, &name, Mode::from_raw_mode(0o700)) {
                        Ok(()) => true,
                        Err(Errno::EXIST) => false,
                        Err(e) => return Err(io(&at, e)),
                    };
                    let fd = openat(&cur, &name, DIR, Mode::empty()).map_err(|e| io(&at, e))?;
                    if made {
                        let _ = fchmod(&fd, Mode::from_raw_mode(0o700));
                    }
                    shown.push(&name);
                    fd
                }
                Err(Errno::LOOP | Errno::NOTDIR | Errno::MLINK) => {
                    let st =
                        statat(&cur, &name, AtFlags::SYMLINK_NOFOLLOW).map_err(|e| io(&at, e))?;
                    if FileType::from_raw_mode(st.st_mode) != FileType::Symlink {
                        return Err(Problem::NotFolder(at));
                    }
                    // Only the owner of a folder nobody else can change put this link there.
                    let holder = fstat(&cur).map_err(|e| io(&shown, e))?;
                    if !trusted_folder(&holder) {
                        return Err(Problem::UntrustedLink(at, holder.st_uid));
                    }
                    hops += 1;
                    if hops > MAX_HOPS {
                        return Err(io(&at, Errno::LOOP));
                    }
                    let target = readlinkat(&cur, &name, Vec::new()).map_err(|e| io(&at, e))?;
                    let target = PathBuf::from(OsStr::from_bytes(target.as_bytes()));
                    for c in target.components().rev() {
                        match c {
                            Component::Normal(n) => todo.push_front(n.to_os_string()),
                            Component::ParentDir => todo.push_front(OsString::from("..")),
                            _ => {}
                        }
                    }
                    if target.is_absolute() {
                        cur = root(&mut shown)?;
                    }
                    continue;
                }
                Err(e) => return Err(io(&at, e)),
            }
        };
        cur = next;
    }
    let st = fstat(&cur).map_err(|e| io(&shown, e))?;
    if kind == Folder::Private
        && let Some(p) = folder_problem(&st, &shown)
    {
        return Err(p);
    }
    refuse_kernel_fs(cur.as_fd(), &shown)?;
    Ok(cur)
}

/// What a non-regular file is, as an `out.what_*` key.
fn what(st: &Stat) -> &'static str {
    match FileType::from_raw_mode(st.st_mode) {
        FileType::Symlink => "out.what_link",
        FileType::Directory => "out.what_folder",
        FileType::Fifo => "out.what_fifo",
        FileType::Socket => "out.what_socket",
        FileType::CharacterDevice | FileType::BlockDevice => "out.what_device",
        _ => "out.what_other",
    }
}

/// Something at the name must be a regular file of this user with one link.
fn check_file(st: &Stat, path: &Path) -> Result<(), Problem> {
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return Err(Problem::NotRegular(path.to_path_buf(), what(st)));
    }
    if st.st_uid != euid() {
        return Err(Problem::OtherOwner(path.to_path_buf(), st.st_uid));
    }
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    let links = st.st_nlink as u64;
    if links != 1 {
        return Err(Problem::Linked(path.to_path_buf(), links));
    }
    Ok(())
}

pub(super) fn replace(
    folder: &Path,
    name: &OsStr,
    bytes: &[u8],
    mode: u32,
    kind: Folder,
    create: bool,
) -> Result<(), Problem> {
    let path = folder.join(name);
    let dir = open_folder(folder, kind, create)?;
    match statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => check_file(&st, &path)?,
        Err(Errno::NOENT) => {}
        Err(e) => return Err(io(&path, e)),
    }
    let flags = OFlags::WRONLY
        | OFlags::CREATE
        | OFlags::EXCL
        | OFlags::NOFOLLOW
        | OFlags::NOCTTY
        | OFlags::CLOEXEC;
    let mode = Mode::from_raw_mode(mode as _);
    let mut tries = 0;
    let (tmp, fd) = loop {
        let tmp = super::temp_name(name);
        match openat(&dir, &tmp, flags, mode) {
            Ok(fd) => break (tmp, fd),
            // Someone holds that name: another one (a guess cannot keep up).
            Err(Errno::EXIST) if tries < 8 => tries += 1,
            Err(e) => return Err(io(&folder.join(&tmp), e)),
        }
    };
    let written = (|| -> rustix::io::Result<()> {
        fchmod(&fd, mode)?;
        let mut f = File::from(fd);
        f.write_all(bytes)
            .map_err(|e| Errno::from_io_error(&e).unwrap_or(Errno::IO))?;
        fsync(&f)?;
        renameat(&dir, &tmp, &dir, name)
    })();
    if let Err(e) = written {
        let _ = unlinkat(&dir, &tmp, AtFlags::empty());
        return Err(io(&path, e));
    }
    let _ = fsync(&dir);
    Ok(())
}

pub(super) fn open_append(folder: &Path, name: &OsStr, mode: u32) -> Result<File, Problem> {
    let path = folder.join(name);
    let dir = open_folder(folder, Folder::Private, true)?;
    // Not opened at all unless it is a regular file: opening a FIFO or a device may block or act.
    match statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => check_file(&st, &path)?,
        Err(Errno::NOENT) => {}
        Err(e) => return Err(io(&path, e)),
    }
    let flags = OFlags::WRONLY
        | OFlags::APPEND
        | OFlags::CREATE
        | OFlags::NOFOLLOW
        | OFlags::NONBLOCK
        | OFlags::NOCTTY
        | OFlags::CLOEXEC;
    let mode = Mode::from_raw_mode(mode as _);
    let fd = openat(&dir, name, flags, mode).map_err(|e| match e {
        Errno::LOOP => Problem::NotRegular(path.clone(), "out.what_link"),
        Errno::NXIO => Problem::NotRegular(path.clone(), "out.what_fifo"),
        e => io(&path, e),
    })?;
    // What was opened, not what was looked at: the name may have changed in between.
    let st = fstat(&fd).map_err(|e| io(&path, e))?;
    check_file(&st, &path)?;
    refuse_kernel_fs(fd.as_fd(), &path)?;
    #[allow(clippy::unnecessary_cast)]
    let wanted = mode.as_raw_mode() as u32;
    if mode_bits(&st) & 0o7777 != wanted {
        fchmod(&fd, mode).map_err(|e| io(&path, e))?;
    }
    rustix::fs::fcntl_setfl(&fd, OFlags::WRONLY | OFlags::APPEND).map_err(|e| io(&path, e))?;
    if !still_named(dir.as_fd(), name, &st) {
        return Err(Problem::Changed(path));
    }
    Ok(File::from(fd))
}

/// Is `name` in `dir` still the file `st` describes?
fn still_named(dir: BorrowedFd<'_>, name: &OsStr, st: &Stat) -> bool {
    statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
        .is_ok_and(|now| now.st_dev == st.st_dev && now.st_ino == st.st_ino)
}
