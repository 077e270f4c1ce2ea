//! Paths of an inspected disk (`--fs-root`), resolved the way its own system would but never
//! leaving the root: every component is looked at relative to the folder reached so far (an
//! open handle on Unix), `..` stops at the root, a link is read and its target walked the same
//! way (an absolute target from the root, the disk's own `/`), and no link is ever handed to
//! the kernel to follow. The work is linear in the path's length (one look per component), and
//! a chain of more than [`MAX_LINKS`] links is refused.
//!
//! A path that cannot be resolved (too many links on the way, or longer than any system can
//! name) becomes a path that names nothing: it holds a NUL byte, which every file operation
//! refuses before asking the OS. The reason is kept ([`take_problems`]) for discovery to report.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};

use crate::i18n::Msg;
use crate::msg;

/// Links followed at most while resolving one path, in all (as the Linux kernel's own limit).
pub const MAX_LINKS: usize = 40;

/// Components looked at, at most, for one path (its own and its links' together): far more
/// than any real path holds (a path of 32,767 characters has fewer), so a larger one is refused.
const MAX_COMPONENTS: usize = 1 << 20;

/// A path that could not be resolved under the root, and why.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The path as far as it was resolved (the link where it stopped).
    pub path: PathBuf,
    pub why: Msg,
}

thread_local! {
    static PROBLEMS: RefCell<Vec<Problem>> = const { RefCell::new(Vec::new()) };
}

/// The paths this thread could not resolve since the last call.
pub fn take_problems() -> Vec<Problem> {
    PROBLEMS.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

fn record(path: PathBuf, why: Msg) {
    PROBLEMS.with(|p| {
        let mut p = p.borrow_mut();
        // One line per place, however often it is asked for.
        if !p.iter().any(|q| q.path == path) {
            p.push(Problem { path, why });
        }
    });
}

/// A path that names nothing: file operations refuse a NUL byte before asking the OS.
fn dead(at: &Path) -> PathBuf {
    let mut s = at.as_os_str().to_os_string();
    s.push("\0");
    PathBuf::from(s)
}

/// `root` + `parts`, resolved inside the root; whether a `..` (in the path or in a link on the
/// way) tried to climb above the root.
pub fn confine_noting(root: &Path, parts: Vec<String>) -> (PathBuf, bool) {
    let queue: VecDeque<OsString> = parts.into_iter().flat_map(host_components).collect();
    match walk::resolve(root, queue) {
        Ok(done) => done,
        Err((at, why)) => {
            record(at.clone(), why);
            (dead(&at), false)
        }
    }
}

/// One part of a platform path as components of this host's paths. On Unix a part is one name.
/// On Windows a part may hold what Windows takes for a separator or a drive (`C:\x` in a Linux
/// path inspected from Windows): joined as it is, it would replace the root, so it is split, and
/// a drive or root in it is dropped (what is left stays below the root).
#[cfg(unix)]
fn host_components(part: String) -> Vec<OsString> {
    vec![OsString::from(part)]
}

#[cfg(not(unix))]
fn host_components(part: String) -> Vec<OsString> {
    Path::new(&part)
        .components()
        .filter_map(|c| match c {
            // A `:` left in a name (`a\C:\b` parses `C:` as a name) would be a drive again
            // when joined: no Windows file name holds one, so it names nothing, below the root.
            Component::Normal(s) => Some(s.to_string_lossy().replace(':', "_").into()),
            Component::ParentDir => Some("..".into()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect()
}

/// The components of a link's target, in order; whether it starts at the root.
fn target_parts(target: &Path) -> (bool, Vec<OsString>) {
    let mut absolute = false;
    let mut out = Vec::new();
    for c in target.components() {
        match c {
            Component::Normal(s) => out.push(s.to_os_string()),
            Component::ParentDir => out.push("..".into()),
            Component::RootDir | Component::Prefix(_) => absolute = true,
            Component::CurDir => {}
        }
    }
    (absolute, out)
}

/// Why resolution stopped: too many links, or too many components.
fn too_many_links() -> Msg {
    msg!("confine.too_many_links", max = MAX_LINKS)
}

fn too_long() -> Msg {
    msg!("confine.too_long")
}

fn is_dot(p: &OsStr) -> bool {
    p.is_empty() || p == "."
}

/// The walk's bookkeeping shared by both platforms: the lexical path reached, how deep below
/// the root, how many of its last components do not exist (nothing below them is looked at,
/// `..` takes them off again), links and components used up.
struct State {
    out: PathBuf,
    depth: usize,
    missing: usize,
    links: usize,
    seen: usize,
    climbed: bool,
}

impl State {
    fn new(root: &Path) -> State {
        State {
            out: root.to_path_buf(),
            depth: 0,
            missing: 0,
            links: 0,
            seen: 0,
            climbed: false,
        }
    }

    /// Counts one component; too many is an error.
    fn count(&mut self) -> Result<(), (PathBuf, Msg)> {
        self.seen += 1;
        if self.seen > MAX_COMPONENTS {
            return Err((self.out.clone(), too_long()));
        }
        Ok(())
    }

    /// One more link followed at `at`; too many is an error.
    fn follow(&mut self, at: &Path) -> Result<(), (PathBuf, Msg)> {
        self.links += 1;
        if self.links > MAX_LINKS {
            return Err((at.to_path_buf(), too_many_links()));
        }
        Ok(())
    }

    fn push_missing(&mut self, name: &OsStr) {
        self.out.push(name);
        self.depth += 1;
        self.missing += 1;
    }
}

/// Puts a link's target in front of what is left, and says whether it starts at the root.
fn splice(queue: &mut VecDeque<OsString>, target: &Path) -> bool {
    let (absolute, parts) = target_parts(target);
    for p in parts.into_iter().rev() {
        queue.push_front(p);
    }
    absolute
}

#[cfg(unix)]
mod walk {
    use std::collections::VecDeque;
    use std::ffi::{OsStr, OsString};
    use std::os::fd::OwnedFd;
    use std::os::unix::ffi::OsStrExt;
    use std::path::{Path, PathBuf};

    use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags, openat, readlinkat, statat};

    use super::{State, is_dot, splice};
    use crate::i18n::Msg;

    /// Folders are opened only to look inside them: `O_PATH` where there is one (no read
    /// permission needed, nothing of the folder is read).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const LOOK: OFlags = OFlags::PATH
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const LOOK: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);

    fn open_root(root: &Path) -> Option<OwnedFd> {
        // The root itself is the user's choice (it may be a link to a mounted disk).
        let flags = (LOOK - OFlags::NOFOLLOW) | OFlags::DIRECTORY;
        openat(CWD, root, flags, Mode::empty()).ok()
    }

    pub(super) fn resolve(
        root: &Path,
        mut queue: VecDeque<OsString>,
    ) -> Result<(PathBuf, bool), (PathBuf, Msg)> {
        let mut st = State::new(root);
        let root_fd = open_root(root);
        // The folder `out` names, minus its missing tail: open while the walk is below it.
        let mut here: Option<OwnedFd> = root_fd.as_ref().and_then(|fd| fd.try_clone().ok());
        while let Some(part) = queue.pop_front() {
            st.count()?;
            if is_dot(&part) {
                continue;
            }
            if part == ".." {
                if st.missing > 0 {
                    st.out.pop();
                    st.depth -= 1;
                    st.missing -= 1;
                } else if st.depth == 0 {
                    st.climbed = true;
                } else {
                    st.out.pop();
                    st.depth -= 1;
                    // The folder reached so far holds no link: its `..` is the one above it.
                    // (Not searchable: the rest is joined without a look, as missing.)
                    here = here
                        .as_ref()
                        .and_then(|fd| openat(fd, c"..", LOOK, Mode::empty()).ok());
                }
                continue;
            }
            let (Some(fd), 0) = (here.as_ref(), st.missing) else {
                st.push_missing(&part);
                continue;
            };
            let name = part.as_os_str();
            let Ok(meta) = statat(fd, name, AtFlags::SYMLINK_NOFOLLOW) else {
                st.push_missing(&part);
                continue;
            };
            match FileType::from_raw_mode(meta.st_mode) {
                FileType::Symlink => {
                    let at = st.out.join(name);
                    st.follow(&at)?;
                    let Ok(target) = readlinkat(fd, name, Vec::new()) else {
                        st.push_missing(&part);
                        continue;
                    };
                    let target = Path::new(OsStr::from_bytes(target.as_bytes()));
                    if splice(&mut queue, target) {
                        st.out = root.to_path_buf();
                        st.depth = 0;
                        here = root_fd.as_ref().and_then(|fd| fd.try_clone().ok());
                    }
                }
                FileType::Directory => {
                    st.out.push(name);
                    st.depth += 1;
                    match openat(fd, name, LOOK, Mode::empty()) {
                        Ok(next) => here = Some(next),
                        // Not searchable: nothing below it is looked at (nor can the OS).
                        Err(_) => st.missing = 1,
                    }
                }
                // A file: nothing is below it.
                _ => st.push_missing(&part),
            }
        }
        Ok((st.out, st.climbed))
    }
}

#[cfg(not(unix))]
mod walk {
    use std::collections::VecDeque;
    use std::ffi::OsString;
    use std::path::{Path, PathBuf};

    use super::{State, is_dot, splice, too_long};
    use crate::i18n::Msg;

    /// The longest path Windows can name (in UTF-16 units; bytes here, a bound either way).
    const MAX_PATH_LEN: usize = 32_767;

    /// Windows: by path, each component looked at without following it; a path longer than
    /// Windows can name is refused, which bounds each look.
    pub(super) fn resolve(
        root: &Path,
        mut queue: VecDeque<OsString>,
    ) -> Result<(PathBuf, bool), (PathBuf, Msg)> {
        let mut st = State::new(root);
        while let Some(part) = queue.pop_front() {
            st.count()?;
            if is_dot(&part) {
                continue;
            }
            if part == ".." {
                if st.depth == 0 {
                    st.climbed = true;
                } else {
                    st.out.pop();
                    st.depth -= 1;
                    st.missing = st.missing.saturating_sub(1);
                }
                continue;
            }
            if st.missing > 0 {
                st.push_missing(&part);
                continue;
            }
            let next = st.out.join(&part);
            if next.as_os_str().len() > MAX_PATH_LEN {
                return Err((st.out.clone(), too_long()));
            }
            let Ok(meta) = std::fs::symlink_metadata(&next) else {
                st.push_missing(&part);
                continue;
            };
            if crate::clean::plan::is_link(&meta) {
                st.follow(&next)?;
                let Ok(target) = std::fs::read_link(&next) else {
                    st.push_missing(&part);
                    continue;
                };
                if splice(&mut queue, &target) {
                    st.out = root.to_path_buf();
                    st.depth = 0;
                }
            } else if meta.is_dir() {
                st.out = next;
                st.depth += 1;
            } else {
                st.push_missing(&part);
            }
        }
        Ok((st.out, st.climbed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_resolve_inside_the_root_and_long_chains_are_refused() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("root");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        // A chain of links, each to the next, then a real folder.
        let hops = MAX_LINKS;
        for i in 0..hops {
            let next = if i + 1 == hops {
                "/a/b".to_string()
            } else {
                format!("/l{}", i + 1)
            };
            symlink(&next, root.join(format!("l{i}"))).unwrap();
        }
        let parts = |s: &str| s.split('/').map(str::to_string).collect::<Vec<_>>();
        let (p, _) = confine_noting(&root, parts("l0/x"));
        assert_eq!(p, root.join("a/b/x"));
        // One more than the limit: refused, naming the link where it stopped.
        symlink("/l0", root.join("start")).unwrap();
        let _ = take_problems();
        let (p, _) = confine_noting(&root, parts("start/x"));
        assert!(p.as_os_str().as_encoded_bytes().contains(&0), "{p:?}");
        assert!(!p.exists());
        let problems = take_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].path.starts_with(&root));
        // `..` below a link climbs from where the link led, and never above the root.
        let (p, climbed) = confine_noting(&root, parts("l0/../../../b"));
        assert_eq!((p, climbed), (root.join("b"), true));
    }

    #[test]
    fn a_long_path_of_dots_and_climbs_is_cheap() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().to_path_buf();
        std::fs::create_dir_all(root.join("d")).unwrap();
        let mut parts = Vec::new();
        for _ in 0..20_000 {
            parts.extend(["d".to_string(), "..".to_string(), ".".to_string()]);
        }
        parts.push("d".into());
        let (p, climbed) = confine_noting(&root, parts);
        assert_eq!((p, climbed), (root.join("d"), false));
    }
}
