//! Bots in containers (Docker, Podman): their processes are visible on the host but run in
//! another mount namespace, so the paths they name are inside the container. Their files are
//! read through `/proc/<pid>/root`, and a data folder that is a bind mount of a host folder
//! (the usual `./llbot_config:/app/llbot/data` volume) is mapped back to that host folder
//! through the two mount tables, so it can be cleaned like any other — stopped only by the
//! user's own command (`--stop-cmd "docker stop …"`).

use std::path::{Component, Path, PathBuf};

use crate::process::QqProcess;

/// Runs in another mount namespace than ours (both known and different).
pub fn in_container(p: &QqProcess, own_ns: Option<u64>) -> bool {
    matches!((p.mnt_ns, own_ns), (Some(a), Some(b)) if a != b)
}

/// Where the files of process `pid` are seen from the host: `/proc/<pid>/root`.
pub fn root_of(pid: u32) -> PathBuf {
    PathBuf::from(format!("/proc/{pid}/root"))
}

/// A path inside the container, as the host sees it (through `/proc/<pid>/root`).
pub fn seen_from_host(pid: u32, inside: &Path) -> PathBuf {
    let mut out = root_of(pid);
    out.extend(
        inside
            .components()
            .filter(|c| matches!(c, Component::Normal(_))),
    );
    out
}

/// A path a container's process names (its executable, its working folder) as the container
/// sees it. The kernel writes such paths relative to the root it can reach: for a container
/// whose root is a folder of the host's own filesystem that is the host path
/// (`/srv/c/root/app/llbot`), for an overlay root the container's own (`/app/llbot`). Either
/// way, the part below the process's root is the path inside.
pub fn inside_of(pid: u32, reported: &Path) -> PathBuf {
    let root = std::fs::read_link(root_of(pid)).unwrap_or_else(|_| PathBuf::from("/"));
    match reported.strip_prefix(&root) {
        Ok(rest) if root != Path::new("/") => Path::new("/").join(rest),
        _ => reported.to_path_buf(),
    }
}

/// The inside path of a path seen through `/proc/<pid>/root`.
pub fn inside_path(pid: u32, seen: &Path) -> Option<PathBuf> {
    let rest = seen.strip_prefix(root_of(pid)).ok()?;
    Some(Path::new("/").join(rest))
}

/// One line of a mount table (`/proc/<pid>/mountinfo`): the filesystem (major:minor), the
/// folder of that filesystem mounted, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub dev: String,
    pub root: PathBuf,
    pub point: PathBuf,
}

/// Parses a mount table; malformed lines are skipped.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split(' ');
            let _id = f.next()?;
            let _parent = f.next()?;
            let dev = f.next()?;
            let root = unescape(f.next()?);
            let point = unescape(f.next()?);
            dev.contains(':').then(|| Mount {
                dev: dev.to_string(),
                root: PathBuf::from(root),
                point: PathBuf::from(point),
            })
        })
        .collect()
}

/// The kernel writes space, tab, newline and backslash in mount paths as `\040` etc.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && let Some(d) = b.get(i + 1..i + 4)
            && d.iter()
                .all(|c| (b'0'..=b'3').contains(&d[0]) && (b'0'..=b'7').contains(c))
        {
            out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
            i += 4;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mount holding `path` (the one with the longest mount point above it; the last such
/// line when mounts are stacked).
fn holding<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    mounts
        .iter()
        .enumerate()
        .filter(|(_, m)| path.starts_with(&m.point))
        .max_by_key(|(i, m)| (m.point.components().count(), *i))
        .map(|(_, m)| m)
}

/// Maps `inside` (a path in the container's mount table `theirs`) to the host's (`ours`): the
/// filesystem and folder holding it there, then every place the host mounts that folder (or
/// one above it) of the same filesystem — the whole filesystem's mount first, so the path is
/// the one the host's users know, then narrower bind mounts.
pub fn map_to_host(theirs: &[Mount], ours: &[Mount], inside: &Path) -> Vec<PathBuf> {
    let Some(m) = holding(theirs, inside) else {
        return Vec::new();
    };
    let Ok(rest) = inside.strip_prefix(&m.point) else {
        return Vec::new();
    };
    let in_fs = m.root.join(rest);
    let mut found: Vec<&Mount> = ours
        .iter()
        .filter(|o| o.dev == m.dev && in_fs.starts_with(&o.root))
        .collect();
    found.sort_by_key(|o| o.root.components().count());
    found
        .into_iter()
        .filter_map(|o| Some(o.point.join(in_fs.strip_prefix(&o.root).ok()?)))
        .collect()
}

/// [`map_to_host`] with the live mount tables of process `pid` and of ourselves (Linux).
pub fn host_path(pid: u32, inside: &Path) -> Option<PathBuf> {
    let read = |p: String| std::fs::read_to_string(p).ok();
    let theirs = parse_mountinfo(&read(format!("/proc/{pid}/mountinfo"))?);
    let ours = parse_mountinfo(&read("/proc/self/mountinfo".into())?);
    // Only a folder that really is there on the host counts.
    map_to_host(&theirs, &ours, inside)
        .into_iter()
        .find(|h| h.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "\
22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
23 22 0:21 / /proc rw - proc proc rw
40 22 0:35 / /tmp rw shared:20 - tmpfs tmpfs rw
41 22 254:0 /srv/bots /mnt/bots rw - ext4 /dev/vda rw
";

    const CONTAINER: &str = "\
600 500 0:90 / / rw - overlay overlay rw,lowerdir=/x
601 600 254:0 /srv/bots/a/llbot_config /app/llbot/data rw - ext4 /dev/vda rw
602 600 0:35 /c\\040d /app/cache rw - tmpfs tmpfs rw
";

    #[test]
    fn a_volume_maps_to_its_host_folder() {
        let ours = parse_mountinfo(HOST);
        let theirs = parse_mountinfo(CONTAINER);
        // The whole filesystem's mount first, then the host's own bind mount of /srv/bots.
        assert_eq!(
            map_to_host(&theirs, &ours, Path::new("/app/llbot/data")),
            vec![
                PathBuf::from("/srv/bots/a/llbot_config"),
                PathBuf::from("/mnt/bots/a/llbot_config")
            ]
        );
        assert_eq!(
            map_to_host(&theirs, &ours, Path::new("/app/llbot/data/temp"))[0],
            PathBuf::from("/srv/bots/a/llbot_config/temp")
        );
        // A tmpfs the host mounts at /tmp, with an escaped space in the folder's name.
        assert_eq!(
            map_to_host(&theirs, &ours, Path::new("/app/cache/x")),
            vec![PathBuf::from("/tmp/c d/x")]
        );
        // The container's own overlay is not mounted on this host's table: not mapped.
        assert!(map_to_host(&theirs, &ours, Path::new("/app/llbot")).is_empty());
    }

    #[test]
    fn garbage_lines_are_skipped() {
        assert!(parse_mountinfo("x\n1 2\n\n").is_empty());
        assert_eq!(unescape("a\\040b\\"), "a b\\");
        assert_eq!(unescape("\\04"), "\\04");
    }

    #[test]
    fn paths_seen_through_proc_root() {
        let seen = seen_from_host(42, Path::new("/app/llbot/data"));
        assert_eq!(seen, PathBuf::from("/proc/42/root/app/llbot/data"));
        assert_eq!(
            inside_path(42, &seen),
            Some(PathBuf::from("/app/llbot/data"))
        );
        assert_eq!(inside_path(43, &seen), None);
    }
}
