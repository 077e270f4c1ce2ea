//! Linux: listening sockets from `/proc/net/tcp{,6}`, their processes from `/proc/<pid>/fd`.

use std::io::Read;
use std::path::Path;

use super::Holder;

/// Local addresses a connection to 127.0.0.1 can reach, as `/proc/net/tcp{,6}` print them:
/// 127.0.0.1, 0.0.0.0, `::` (dual-stack), `::ffff:127.0.0.1`.
const REACHABLE: [&str; 4] = [
    "0100007F",
    "00000000",
    "00000000000000000000000000000000",
    "0000000000000000FFFF00000100007F",
];

/// A `/proc` text file, read with a bound (the socket tables of a busy host are large, but
/// not this large).
fn read(path: &Path, cap: u64) -> Option<String> {
    let mut s = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(cap)
        .read_to_string(&mut s)
        .ok()?;
    Some(s)
}

/// Inodes of the sockets listening on `port` where 127.0.0.1 reaches them.
fn listening_inodes(port: u16) -> Result<Vec<u64>, String> {
    let mut inodes = Vec::new();
    let mut read_any = false;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Some(text) = read(Path::new(table), 64 << 20) else {
            continue;
        };
        read_any = true;
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state), Some(inode)) = (f.get(1), f.get(3), f.get(9)) else {
                continue;
            };
            let Some((addr, p)) = local.split_once(':') else {
                continue;
            };
            if *state != "0A" || u16::from_str_radix(p, 16).ok() != Some(port) {
                continue;
            }
            if !REACHABLE.contains(&addr) {
                continue;
            }
            if let Ok(i) = inode.parse::<u64>()
                && i != 0
            {
                inodes.push(i);
            }
        }
    }
    if !read_any {
        return Err(crate::i18n::t("listener.no_proc").to_string());
    }
    Ok(inodes)
}

/// The effective uid of a process (`Uid:` of its status) and its name.
fn who(pid: u32) -> (Option<u32>, Option<String>) {
    let base = Path::new("/proc").join(pid.to_string());
    let uid = read(&base.join("status"), 1 << 16).and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|u| u.parse().ok())
    });
    let name = read(&base.join("comm"), 256).map(|s| s.trim_end().to_string());
    (uid, name)
}

/// Does process `pid` hold one of these sockets?
fn holds(pid: u32, wanted: &[String]) -> bool {
    let Ok(fds) = std::fs::read_dir(Path::new("/proc").join(pid.to_string()).join("fd")) else {
        return false;
    };
    fds.filter_map(Result::ok).any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|t| {
            let t = t.as_os_str().as_encoded_bytes();
            wanted.iter().any(|w| t == w.as_bytes())
        })
    })
}

/// The processes holding a socket that listens on `port` (`None`: nothing listens). Each
/// process appears once; processes this user may not look into are not seen. `first`: PIDs
/// looked at before all others; the look ends at the first holder `enough` accepts.
pub fn holders(
    port: u16,
    first: &[u32],
    enough: &dyn Fn(&Holder) -> bool,
) -> Result<Option<Vec<Holder>>, String> {
    let inodes = listening_inodes(port)?;
    if inodes.is_empty() {
        return Ok(None);
    }
    let wanted: Vec<String> = inodes.iter().map(|i| format!("socket:[{i}]")).collect();
    let procs = std::fs::read_dir("/proc").map_err(|e| format!("/proc: {e}"))?;
    let all = procs
        .filter_map(Result::ok)
        .filter_map(|p| p.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
        .filter(|pid| !first.contains(pid));
    let mut out = Vec::new();
    for pid in first.iter().copied().chain(all) {
        if holds(pid, &wanted) {
            let (uid, name) = who(pid);
            let h = Holder {
                pid,
                uid,
                name,
                same_user: false,
            };
            if enough(&h) {
                return Ok(Some(vec![h]));
            }
            out.push(h);
        }
    }
    Ok(Some(out))
}
