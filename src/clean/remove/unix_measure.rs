//! Unix: measuring a folder relative to open handles, as the removal walks it (same links not
//! followed, same device and mount), with no path length limit and no recursion.

use std::ffi::{CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, fstat, openat, statat};
use rustix::io::Errno;

use super::unix::{DIR, MAX_OPEN, ident, mount_id, open_dir, same_mount};
use super::{Identity, Inside};

/// Lists one folder (`path`) for [`measure_inside`]: adds its non-folders, returns its
/// sub-folders on the same device. What cannot be read is recorded once for the folder.
fn measure_list(
    fd: BorrowedFd<'_>,
    path: &Path,
    dev: u64,
    mount: Option<u64>,
    cutoff: Option<i64>,
    out: &mut Inside,
) -> Vec<CString> {
    let mut subdirs = Vec::new();
    let mut d = match Dir::read_from(fd) {
        Ok(d) => d,
        Err(e) => {
            out.unread(path.to_path_buf(), e);
            return subdirs;
        }
    };
    let mut recorded = false;
    while let Some(item) = d.read() {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                if !recorded {
                    out.unread(path.to_path_buf(), e);
                }
                break;
            }
        };
        let name = item.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        let st = match statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(e) => {
                if !recorded {
                    recorded = true;
                    out.unread(path.join(OsStr::from_bytes(name.to_bytes())), e);
                }
                continue;
            }
        };
        #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
        let (mtime, size, st_dev) = (st.st_mtime as i64, st.st_size as u64, st.st_dev as u64);
        out.newest = out.newest.max(u64::try_from(mtime).unwrap_or(0));
        match FileType::from_raw_mode(st.st_mode) {
            // Another device inside is neither walked nor removed.
            FileType::Directory if st_dev == dev && same_mount(mount_id(fd, name), mount) => {
                subdirs.push(name.to_owned())
            }
            FileType::Directory => {}
            FileType::RegularFile => {
                out.files += 1;
                out.bytes += size;
                out.old.add(cutoff, mtime, size);
            }
            _ => {
                out.files += 1;
                out.old.add(cutoff, mtime, 0);
            }
        }
    }
    subdirs
}

/// Measures what is inside a folder, relative to open handles (no path length limit, no
/// recursion), never following links and never leaving the folder's device; with a cutoff,
/// also what is old enough for it.
pub fn measure_inside(dir: &Path, cutoff: Option<i64>) -> Inside {
    let mut out = Inside::default();
    let root = match openat(CWD, dir, DIR, Mode::empty()) {
        Ok(fd) => fd,
        Err(e) => {
            out.unread(dir.to_path_buf(), e);
            return out;
        }
    };
    let root_st = match fstat(&root) {
        Ok(st) => st,
        Err(e) => {
            out.unread(dir.to_path_buf(), e);
            return out;
        }
    };
    let dev = ident(&root_st).dev;
    let mount = mount_id(root.as_fd(), c"");
    let subdirs = measure_list(root.as_fd(), dir, dev, mount, cutoff, &mut out);
    // (handle or None when closed to bound the handles held, identity, path, sub-folders to
    // visit)
    let mut stack: Vec<(Option<OwnedFd>, Identity, PathBuf, Vec<CString>)> =
        vec![(Some(root), ident(&root_st), dir.to_path_buf(), subdirs)];
    let mut lowest_open = 0usize;
    while let Some((fd, _, path, subs)) = stack.last_mut() {
        if let Some(sub) = subs.pop() {
            let Some(fd) = fd.as_ref() else {
                out.unread(path.clone(), Errno::BADF);
                break;
            };
            let child_path = path.join(OsStr::from_bytes(sub.to_bytes()));
            let child = match open_dir(fd.as_fd(), &sub) {
                Ok(child) => child,
                Err(e) => {
                    out.unread(child_path, e);
                    continue;
                }
            };
            let st = match fstat(&child) {
                Ok(st) => st,
                Err(e) => {
                    out.unread(child_path, e);
                    continue;
                }
            };
            let subdirs = measure_list(child.as_fd(), &child_path, dev, mount, cutoff, &mut out);
            stack.push((Some(child), ident(&st), child_path, subdirs));
            if stack.len() - lowest_open > MAX_OPEN
                && let Some(f) = stack.get_mut(lowest_open)
            {
                f.0 = None;
                lowest_open += 1;
            }
            continue;
        }
        let Some((done, _, _, _)) = stack.pop() else {
            break;
        };
        let n = stack.len();
        if let Some((parent, id, path, _)) = stack.last_mut()
            && parent.is_none()
        {
            let reopened = done
                .as_ref()
                .and_then(|fd| open_dir(fd.as_fd(), c"..").ok())
                .filter(|fd| fstat(fd).is_ok_and(|st| ident(&st) == *id));
            match reopened {
                Some(fd) => *parent = Some(fd),
                None => {
                    // Moved away while measured: the rest of it is not reached.
                    out.unread(path.clone(), Errno::NOENT);
                    break;
                }
            }
            lowest_open = lowest_open.min(n - 1);
        }
    }
    out
}
