//! The outside world as discovery sees it: which platform's layout to expect, the home folder,
//! environment variables, the registry, and where the target system's filesystem root lives.
//!
//! Paths read from the target system (well-known locations, registry values, `require(...)` in a
//! launcher, shell rc files, environment variables) are *platform paths*: strings as QQ on that
//! platform would see them. [`Env::resolve`] turns them into paths on this machine. Normally that
//! is the identity; tests (and `--fs-root`) map them under a folder, so a Windows layout such as
//! `C:\Program Files\Tencent\QQNT` becomes `<root>/C/Program Files/Tencent/QQNT` and can be
//! checked on Linux.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod folders;

pub use folders::{Documents, SHELL_FOLDERS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Windows,
    Linux,
    Macos,
}

impl Platform {
    /// The platform this binary was built for. Other Unixes are treated as Linux.
    pub fn host() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::Macos
        } else {
            Platform::Linux
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Windows => "windows",
            Platform::Linux => "linux",
            Platform::Macos => "macos",
        }
    }
}

/// Where registry values come from. Tests use a fixed map; real runs on Windows read the registry.
#[derive(Debug, Clone)]
pub enum Registry {
    /// The real registry of this machine (empty on non-Windows hosts).
    Native,
    /// `"HKLM\\SOFTWARE\\...\\Key"` + `"Value"` → data.
    Fake(BTreeMap<(String, String), String>),
}

impl Registry {
    pub fn get(&self, key: &str, value: &str) -> Option<String> {
        match self {
            Registry::Native => crate::os::registry_string(key, value),
            Registry::Fake(map) => map.get(&(key.to_string(), value.to_string())).cloned(),
        }
    }

    /// The names of `key`'s subkeys.
    pub fn subkeys(&self, key: &str) -> Vec<String> {
        match self {
            Registry::Native => crate::os::registry_subkeys(key),
            Registry::Fake(map) => {
                let prefix = format!("{key}\\");
                let mut out: Vec<String> = map
                    .keys()
                    .filter_map(|(k, _)| k.strip_prefix(&prefix))
                    .map(|rest| rest.split('\\').next().unwrap_or(rest).to_string())
                    .collect();
                out.dedup();
                out
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Env {
    pub platform: Platform,
    /// The user's home folder, as a platform path.
    pub home: Option<String>,
    /// Environment variables (names compared case-insensitively on Windows).
    pub vars: BTreeMap<String, String>,
    /// A folder on this machine that stands for the target's filesystem root; `None` = this machine.
    pub root: Option<PathBuf>,
    pub registry: Registry,
}

impl Env {
    /// The environment of this process on this machine.
    pub fn from_os() -> Env {
        let platform = Platform::host();
        let vars: BTreeMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let mut env = Env {
            platform,
            home: None,
            vars,
            root: None,
            registry: Registry::Native,
        };
        env.home = env.default_home();
        env
    }

    /// Home from the variables the platform's own shells use, then the OS's idea of it.
    pub fn default_home(&self) -> Option<String> {
        let name = match self.platform {
            Platform::Windows => "USERPROFILE",
            _ => "HOME",
        };
        self.var(name)
            .filter(|h| !h.is_empty())
            .map(str::to_string)
            .or_else(|| {
                if self.root.is_some() {
                    return None;
                }
                directories::BaseDirs::new().and_then(|d| d.home_dir().to_str().map(str::to_string))
            })
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        if self.platform == Platform::Windows {
            self.vars
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        } else {
            self.vars.get(name).map(String::as_str)
        }
    }

    /// A non-empty variable, for variables that name a folder.
    pub fn path_var(&self, name: &str) -> Option<&str> {
        self.var(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Is this platform path absolute on the target platform?
    pub fn is_absolute(&self, p: &str) -> bool {
        match self.platform {
            Platform::Windows => {
                let b = p.as_bytes();
                (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && is_sep(b[2], true))
                    || p.starts_with("\\\\")
                    || p.starts_with("//")
            }
            _ => p.starts_with('/'),
        }
    }

    /// A platform path → a path on this machine. Under `--fs-root` the result is confined to
    /// the root ([`confine`]): `..` cannot climb above it and links on the inspected disk
    /// are followed inside it.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let Some(root) = &self.root else {
            // On Windows: `C:/…` from a launcher's require() shown with backslashes.
            return crate::winpath::plain(Path::new(p));
        };
        let win = self.platform == Platform::Windows;
        let mut parts: Vec<String> = Vec::new();
        let mut rest = p;
        if win && let Some((letter, after)) = drive(p) {
            parts.push(letter);
            rest = after;
        }
        parts.extend(split_platform(rest, win));
        confine(root, parts)
    }

    /// Under `--fs-root`: does this absolute platform path try to climb above the root (a `..`
    /// in it, or in a link on the inspected disk)? Such a candidate is rejected (`detect -v`
    /// says why) rather than silently taken at the root.
    pub fn climbs_above_root_dir(&self, p: &str) -> bool {
        let Some(root) = &self.root else {
            return false;
        };
        if !self.is_absolute(p) {
            return false;
        }
        let win = self.platform == Platform::Windows;
        let mut rest = p;
        let mut parts = Vec::new();
        if win && let Some((letter, after)) = drive(p) {
            parts.push(letter);
            rest = after;
        }
        parts.extend(split_platform(rest, win));
        crate::confine::confine_noting(root, parts).1
    }

    /// Joins a platform-relative path (which may use `\` on Windows) onto a path on this machine.
    pub fn join_relative(&self, base: &Path, rel: &str) -> PathBuf {
        let win = self.platform == Platform::Windows;
        if let Some(root) = &self.root
            && let Ok(below) = base.strip_prefix(root)
        {
            let mut parts: Vec<String> = below
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.extend(split_platform(rel, win));
            return confine(root, parts);
        }
        let mut out = base.to_path_buf();
        push_components(&mut out, rel, win);
        out
    }

    /// A path string from the target system, absolute or relative to `base`.
    pub fn resolve_from(&self, base: &Path, p: &str) -> PathBuf {
        if self.is_absolute(p) {
            self.resolve(p)
        } else {
            self.join_relative(base, p)
        }
    }

    /// The home folder on this machine, if known.
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.home.as_deref().map(|h| self.resolve(h))
    }

    /// `home/<rel>`, where `rel` uses `/`.
    pub fn in_home(&self, rel: &str) -> Option<PathBuf> {
        self.home_dir().map(|h| self.join_relative(&h, rel))
    }

    /// Expands `$HOME`, `${HOME}` and a leading `~` in a value from a shell rc file.
    pub fn expand_home(&self, value: &str) -> Option<String> {
        let needs_home =
            value.contains("$HOME") || value.contains("${HOME}") || value.starts_with('~');
        if !needs_home {
            return Some(value.to_string());
        }
        let home = self.home.as_deref()?;
        let mut v = value.replace("${HOME}", home).replace("$HOME", home);
        if let Some(after) = v
            .strip_prefix('~')
            .filter(|a| a.is_empty() || a.starts_with('/'))
        {
            v = format!("{home}{after}");
        }
        Some(v)
    }
}

fn is_sep(b: u8, windows: bool) -> bool {
    b == b'/' || (windows && b == b'\\')
}

fn split_platform(rest: &str, windows: bool) -> impl Iterator<Item = String> + '_ {
    rest.split(move |c: char| c == '/' || (windows && c == '\\'))
        .map(str::to_string)
}

/// `root` + `parts`, resolved the way the inspected system would, but never leaving `root`:
/// `..` stops at the root, a link on the disk is followed with an absolute target read as
/// relative to the root (its own system's `/`), a relative one from the link's folder, each
/// component looked at relative to the folder reached (see [`crate::confine`]). Parts that do
/// not exist are joined as they are. A path with more than 40 links on the way names nothing
/// (and is reported by discovery).
pub fn confine(root: &Path, parts: Vec<String>) -> PathBuf {
    crate::confine::confine_noting(root, parts).0
}

/// A Windows path's drive letter (upper case) and the rest, when it starts with one.
fn drive(p: &str) -> Option<(String, &str)> {
    let mut chars = p.chars();
    let letter = chars.next().filter(char::is_ascii_alphabetic)?;
    (chars.next() == Some(':')).then(|| (letter.to_ascii_uppercase().to_string(), chars.as_str()))
}

fn push_components(out: &mut PathBuf, rest: &str, windows: bool) {
    let parts = rest.split(|c: char| c == '/' || (windows && c == '\\'));
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(platform: Platform) -> Env {
        Env {
            platform,
            home: Some(match platform {
                Platform::Windows => r"C:\Users\alice".into(),
                Platform::Macos => "/Users/alice".into(),
                Platform::Linux => "/home/alice".into(),
            }),
            vars: BTreeMap::new(),
            root: Some(PathBuf::from("/r")),
            registry: Registry::Fake(BTreeMap::new()),
        }
    }

    #[test]
    fn windows_paths_map_under_root_with_drive_letter() {
        let e = fake(Platform::Windows);
        assert_eq!(
            e.resolve(r"C:\Program Files\Tencent\QQNT"),
            PathBuf::from("/r/C/Program Files/Tencent/QQNT")
        );
        assert_eq!(
            e.resolve("d:/LiteLoaderQQNT"),
            PathBuf::from("/r/D/LiteLoaderQQNT")
        );
        assert_eq!(
            e.in_home("Documents/LiteLoaderQQNT"),
            Some(PathBuf::from("/r/C/Users/alice/Documents/LiteLoaderQQNT"))
        );
        assert!(e.is_absolute(r"C:\x") && e.is_absolute("C:/x") && !e.is_absolute(r"..\x"));
    }

    #[test]
    fn relative_launcher_paths_join_and_climb() {
        let e = fake(Platform::Windows);
        assert_eq!(
            e.resolve_from(Path::new("/r/C/QQ/resources/app/app_launcher"), r"..\..\LL"),
            PathBuf::from("/r/C/QQ/resources/LL")
        );
        let l = fake(Platform::Linux);
        // On Unix a backslash is an ordinary file-name character.
        assert_eq!(
            l.resolve_from(Path::new("/r/opt"), r"a\b"),
            PathBuf::from(r"/r/opt/a\b")
        );
    }

    #[test]
    fn paths_under_a_root_stay_under_it() {
        let e = fake(Platform::Linux);
        assert_eq!(e.resolve("/../../../x"), PathBuf::from("/r/x"));
        assert!(e.climbs_above_root_dir("/../../../x"));
        assert!(!e.climbs_above_root_dir("/a/../b"));
        assert_eq!(e.resolve("/a/../../b/./c"), PathBuf::from("/r/b/c"));
        assert_eq!(
            e.resolve_from(Path::new("/r/opt"), "../../../../etc"),
            PathBuf::from("/r/etc")
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_on_the_inspected_disk_resolve_inside_the_root() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("root");
        std::fs::create_dir_all(root.join("home/alice")).unwrap();
        std::fs::create_dir_all(t.path().join("host")).unwrap();
        // An absolute link: its `/` is the root's.
        std::os::unix::fs::symlink(t.path().join("host"), root.join("home/alice/abs")).unwrap();
        // A relative link that climbs: stops at the root.
        std::os::unix::fs::symlink("../../../../../host", root.join("home/alice/rel")).unwrap();
        // A loop.
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        let mut e = fake(Platform::Linux);
        e.root = Some(root.clone());
        let host = t.path().join("host");
        let under = root.join(host.strip_prefix("/").unwrap());
        assert_eq!(e.resolve("/home/alice/abs/x"), under.join("x"));
        assert_eq!(e.resolve("/home/alice/rel/x"), root.join("host/x"));
        assert!(e.resolve("/loop/x").starts_with(&root));
    }

    #[test]
    fn home_expansion_in_rc_values() {
        let e = fake(Platform::Linux);
        assert_eq!(
            e.expand_home("${HOME}/.config/LiteLoaderQQNT").as_deref(),
            Some("/home/alice/.config/LiteLoaderQQNT")
        );
        assert_eq!(e.expand_home("~/x").as_deref(), Some("/home/alice/x"));
        assert_eq!(e.expand_home("/abs").as_deref(), Some("/abs"));
    }

    #[test]
    fn windows_variables_are_case_insensitive() {
        let mut e = fake(Platform::Windows);
        e.vars.insert("UserProfile".into(), r"C:\Users\bob".into());
        assert_eq!(e.var("USERPROFILE"), Some(r"C:\Users\bob"));
        assert_eq!(e.default_home().as_deref(), Some(r"C:\Users\bob"));
    }
}
