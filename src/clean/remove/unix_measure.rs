//! Unix: measuring a folder relative to open handles, as the removal walks it (same links not
//! followed, same device and mount), with no path length limit and no recursion.

use std::ffi::CString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, fstat, openat, statat};

use super::unix::{DIR, MAX_OPEN, ident, mount_id, open_dir, same_mount};
use super::{Identity, Inside};

/// Lists one folder for [`measure_inside`]: adds its non-folders, returns its sub-folders on
/// the same device.
fn measure_list(
    fd: BorrowedFd<'_>,
    dev: u64,
    mount: Option<u64>,
    out: &mut Inside,
) -> Vec<CString> {
    let mut subdirs = Vec::new();
    let Ok(mut d) = Dir::read_from(fd) else {
        out.unreadable = true;
        return subdirs;
    };
    while let Some(item) = d.read() {
        let Ok(item) = item else {
            out.unreadable = true;
            break;
        };
        let name = item.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        let Ok(st) = statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) else {
            out.unreadable = true;
            continue;
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
            }
            _ => out.files += 1,
        }
    }
    subdirs
}

/// Measures what is inside a folder, relative to open handles (no path length limit, no
/// recursion), never following links and never leaving the folder's device.
pub fn measure_inside(dir: &Path) -> Inside {
    let mut out = Inside::default();
    let Ok(root) = openat(CWD, dir, DIR, Mode::empty()) else {
        out.unreadable = true;
        return out;
    };
    let Ok(root_st) = fstat(&root) else {
        out.unreadable = true;
        return out;
    };
    let dev = ident(&root_st).dev;
    let mount = mount_id(root.as_fd(), c"");
    let subdirs = measure_list(root.as_fd(), dev, mount, &mut out);
    // (handle or None when closed to bound the handles held, identity, sub-folders to visit)
    let mut stack: Vec<(Option<OwnedFd>, Identity, Vec<CString>)> =
        vec![(Some(root), ident(&root_st), subdirs)];
    let mut lowest_open = 0usize;
    while let Some((fd, _, subs)) = stack.last_mut() {
        if let Some(sub) = subs.pop() {
            let Some(fd) = fd.as_ref() else {
                out.unreadable = true;
                break;
            };
            let Ok(child) = open_dir(fd.as_fd(), &sub) else {
                out.unreadable = true;
                continue;
            };
            let Ok(st) = fstat(&child) else {
                out.unreadable = true;
                continue;
            };
            let subdirs = measure_list(child.as_fd(), dev, mount, &mut out);
            stack.push((Some(child), ident(&st), subdirs));
            if stack.len() - lowest_open > MAX_OPEN
                && let Some(f) = stack.get_mut(lowest_open)
            {
                f.0 = None;
                lowest_open += 1;
            }
            continue;
        }
        let Some((done, _, _)) = stack.pop() else {
            break;
        };
        let n = stack.len();
        if let Some((parent, id, _)) = stack.last_mut()
            && parent.is_none()
        {
            let reopened = done
                .as_ref()
                .and_then(|fd| open_dir(fd.as_fd(), c"..").ok())
                .filter(|fd| fstat(fd).is_ok_and(|st| ident(&st) == *id));
            match reopened {
                Some(fd) => *parent = Some(fd),
                None => {
                    out.unreadable = true;
                    break;
                }
            }
            lowest_open = lowest_open.min(n - 1);
        }
    }
    out
}
