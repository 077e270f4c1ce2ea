//! The checks that stand between a plan and a deletion: which data dirs may be cleaned at all,
//! and, right before each removal, that the entry is still what was previewed, strictly inside
//! the data dir, reached through real folders only, and of a known target kind.

use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::plan::{EntryType, Kind};
use crate::env::Env;
use crate::i18n::Msg;
use crate::msg;

mod markers;
use markers::names;
pub use markers::{holds_llonebot_data, is_llonebot_log};

/// Why a data dir may not be cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataDirProblem {
    NotAbsolute,
    FilesystemRoot,
    HomeDirectory,
    /// The `--fs-root` folder itself.
    FsRoot,
    /// With `--fs-root`: the data dir resolves to a folder outside it.
    OutsideFsRoot,
    NotADataDir,
}

/// Folders that are never a data dir, compared by identity (after resolving links and `..`).
#[derive(Debug, Clone, Default)]
pub struct Forbidden {
    /// Every home folder known: the user's, this process's `$HOME`, and every home of the
    /// passwd database (of this machine, and of the inspected disk with `--fs-root`).
    pub homes: Vec<PathBuf>,
    /// The `--fs-root` folder.
    pub fs_root: Option<PathBuf>,
}

impl Forbidden {
    pub fn of(env: &Env) -> Forbidden {
        let mut homes: Vec<PathBuf> = env.home_dir().into_iter().collect();
        if let Some(h) = std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })
            .filter(|h| !h.is_empty())
        {
            homes.push(PathBuf::from(h));
        }
        if let Some(h) = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()) {
            homes.push(h);
        }
        if cfg!(unix) {
            homes.extend(passwd_homes(Path::new("/etc/passwd")));
            if let Some(root) = &env.root {
                homes.extend(
                    passwd_homes(&root.join("etc/passwd"))
                        .iter()
                        .filter_map(|h| h.to_str())
                        .map(|h| env.resolve(h)),
                );
            }
        }
        #[cfg(windows)]
        homes.extend(windows_profiles());
        Forbidden {
            homes,
            fs_root: env.root.clone(),
        }
    }
}

/// The home folders of a passwd file (field 6).
pub fn passwd_homes(file: &Path) -> Vec<PathBuf> {
    // A passwd file of a big directory may hold many users; never a FIFO or a device.
    crate::fsread::read_capped(file, 64 << 20)
        .map(|b| {
            let s = String::from_utf8_lossy(&b);
            s.lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split(':').nth(5))
                .filter(|h| h.starts_with('/') && *h != "/")
                .map(PathBuf::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Windows: every folder under the profiles folder (`C:\Users\*`).
#[cfg(windows)]
fn windows_profiles() -> Vec<PathBuf> {
    let Some(profiles) = std::env::var_os("USERPROFILE")
        .map(PathBuf::from)
        .and_then(|p| p.parent().map(Path::to_path_buf))
    else {
        return Vec::new();
    };
    fs::read_dir(&profiles)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// Same folder? By device and inode on Unix; by resolved path elsewhere.
fn same(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// A data dir must be absolute, not a filesystem root, a home folder or the `--fs-root` folder
/// (by identity, whatever the spelling), inside `--fs-root` when given, and hold something
/// only LLOneBot / LLBot writes.
pub fn check_data_dir(dir: &Path, forbidden: &Forbidden) -> Result<(), DataDirProblem> {
    if !dir.is_absolute() {
        return Err(DataDirProblem::NotAbsolute);
    }
    let normal = dir
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    if normal == 0 {
        return Err(DataDirProblem::FilesystemRoot);
    }
    let real = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if real.parent().is_none() {
        return Err(DataDirProblem::FilesystemRoot);
    }
    if forbidden.homes.iter().any(|h| same(dir, h)) {
        return Err(DataDirProblem::HomeDirectory);
    }
    if let Some(root) = &forbidden.fs_root {
        if same(dir, root) {
            return Err(DataDirProblem::FsRoot);
        }
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        if !real.starts_with(&root) {
            return Err(DataDirProblem::OutsideFsRoot);
        }
    }
    if !holds_llonebot_data(dir) {
        return Err(DataDirProblem::NotADataDir);
    }
    Ok(())
}

/// [`check_data_dir`] for a folder of any stack: the same refusals by identity, and the
/// stack's own markers in place of LLOneBot's (LLOneBot's plugin and LLBot share theirs).
pub fn check_stack_dir(
    stack: &crate::stack::Stack,
    dir: &Path,
    forbidden: &Forbidden,
) -> Result<(), DataDirProblem> {
    if std::ptr::eq(stack, &crate::stack::llonebot_plugin::STACK)
        || std::ptr::eq(stack, &crate::stack::llbot::STACK)
    {
        return check_data_dir(dir, forbidden);
    }
    match check_data_dir(dir, forbidden) {
        Err(DataDirProblem::NotADataDir) | Ok(()) => {}
        Err(p) => return Err(p),
    }
    let named = stack
        .dir_name
        .is_none_or(|want| dir.file_name().is_some_and(|n| n == want));
    let marked = names(dir).iter().any(|(n, _)| stack.is_data_marker(n))
        || stack.nested_markers.iter().any(|(sub, m)| {
            names(&dir.join(sub))
                .iter()
                .any(|(n, ft)| ft.is_file() && m.matches(n))
        });
    if named && marked {
        Ok(())
    } else {
        Err(DataDirProblem::NotADataDir)
    }
}

/// Is the folder empty (but for the lock file of an earlier run)?
pub fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .all(|e| e.file_name() == super::lock::LOCK_NAME)
    })
}

/// A text for a terminal: control characters (which could move the cursor, clear the screen
/// or set the title) are shown as escapes such as `\x1b` or `\u{9b}`, never sent raw.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// A path for a terminal: lossy for names that are not UTF-8, control characters escaped, and
/// on Windows as Windows users write it (backslashes, no `\\?\`).
pub fn shown(p: &Path) -> String {
    escape(&crate::winpath::plain(p).display().to_string())
}

/// Target folders of this run (`temp/`, and `logs/` / `database/` when asked for) that are
/// links: the plan leaves them alone, and the user is told.
pub fn linked_folders(
    stack: &crate::stack::Stack,
    data_dir: &Path,
    opts: &super::plan::Options,
) -> Vec<PathBuf> {
    let mut names: Vec<&str> = stack
        .targets
        .iter()
        .filter(|t| opts.wants(t.switch))
        .filter_map(|t| t.folder)
        .collect();
    names.dedup();
    names
        .into_iter()
        .map(|n| data_dir.join(n))
        .filter(|p| fs::symlink_metadata(p).is_ok_and(|m| super::plan::is_link(&m)))
        .collect()
}

#[cfg(windows)]
fn io_msg(path: &Path, e: &std::io::Error) -> Msg {
    Msg::raw(format!("{}: {}", path.display(), crate::i18n::os_error(e)))
}

/// Where a checked entry is removed: its folder in the data dir and its own name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub folder: Option<&'static str>,
    pub name: OsString,
}

/// The final check on a planned entry's path: strictly inside the data dir, in the place and
/// with the name of its kind. The identity and type checks are made through handles when it
/// is removed ([`super::remove::Session`]).
pub fn check_entry(
    data_dir: &Path,
    kind: Kind,
    planned: EntryType,
    path: &Path,
) -> Result<Place, Msg> {
    let rel = path
        .strip_prefix(data_dir)
        .map_err(|_| msg!("guard.outside"))?;
    let parts: Vec<&std::ffi::OsStr> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => Ok(s),
            _ => Err(msg!("guard.climbs")),
        })
        .collect::<Result<_, Msg>>()?;
    // The expected place and name, from the kind's row of its stack's target table.
    // Lossy: U+FFFD fits no pattern, so only temp/ accepts a non-UTF-8 name.
    let lossy: Vec<String> = parts
        .iter()
        .map(|s| s.to_str().unwrap_or("\u{FFFD}").to_string())
        .collect();
    let lossy: Vec<&str> = lossy.iter().map(String::as_str).collect();
    let (Some(name), true) = (parts.last(), kind.shape_ok(&lossy)) else {
        return Err(msg!("guard.unknown_kind"));
    };
    let folder = kind.spec().folder;
    #[cfg(windows)]
    windows_checks(data_dir, rel, path, planned)?;
    let _ = planned;
    // A deep entry (a file of QQ's cache, folders below `nt_data`) is named by its whole
    // relative path: the removal walks it folder by folder through handles.
    let name = if kind.spec().shape.is_deep() {
        rel.as_os_str()
    } else {
        name
    };
    Ok(Place {
        folder,
        name: name.to_os_string(),
    })
}

/// Windows: path checks on top of the handles, for links the OS does not report as links (a
/// Unix symlink seen through Wine, a server-side link on a share).
#[cfg(windows)]
fn windows_checks(data_dir: &Path, rel: &Path, path: &Path, planned: EntryType) -> Result<(), Msg> {
    resolves_in_place(data_dir, rel, path, planned)?;
    if planned == EntryType::Dir {
        tree_stays_inside(path)?;
    }
    Ok(())
}

/// Where the entry really is, as the OS resolves it, must be where it appears to be. This
/// catches links the OS does not report as links: a Unix symlink seen through Wine looks like
/// a plain folder, and so does a link a file server follows for its clients. A link entry is
/// removed itself, so only the folder holding it must be in place.
#[cfg(windows)]
fn resolves_in_place(
    data_dir: &Path,
    rel: &Path,
    path: &Path,
    planned: EntryType,
) -> Result<(), Msg> {
    // The entry's own path is on its line already: only another path is named.
    let canon = |p: &Path| {
        fs::canonicalize(p).map_err(|e| match p == path {
            true => Msg::raw(crate::i18n::os_error(&e)),
            false => io_msg(p, &e),
        })
    };
    let base = canon(data_dir)?;
    let (real, expected) = match (planned, path.parent(), rel.parent()) {
        (EntryType::Link, Some(parent), Some(rel_parent)) => {
            (canon(parent)?, base.join(rel_parent))
        }
        (EntryType::Link, _, _) => return Err(msg!("guard.outside")),
        _ => (canon(path)?, base.join(rel)),
    };
    if real != expected {
        // The entry's path is on its line already.
        return Err(msg!("guard.leads_elsewhere", real = shown(&real)));
    }
    Ok(())
}

/// Windows: no folder inside a folder entry may lead out of it. Reparse points are never
/// followed by the removal, but a link the OS shows as a folder (a Unix symlink under Wine, a
/// server-side link on a share) would be, and everything behind it deleted.
#[cfg(windows)]
fn tree_stays_inside(dir: &Path) -> Result<(), Msg> {
    let root = fs::canonicalize(dir).map_err(|e| Msg::raw(crate::i18n::os_error(&e)))?;
    // Unreadable parts are skipped here: the removal cannot get into them either.
    let walk = walkdir::WalkDir::new(dir).min_depth(1).follow_links(false);
    for e in walk.into_iter().filter_map(Result::ok) {
        if !e.file_type().is_dir() {
            continue;
        }
        if let Ok(real) = fs::canonicalize(e.path())
            && !real.starts_with(&root)
        {
            return Err(msg!(
                "guard.tree_leads_elsewhere",
                path = shown(e.path()),
                real = shown(&real)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Forbidden {
        Forbidden::default()
    }

    #[test]
    fn roots_and_relative_dirs_are_refused() {
        let roots: &[&str] = if cfg!(windows) {
            &[r"C:\", "C:/", r"\\?\C:\", r"\\server\share\"]
        } else {
            &["/", "//", "/.", "/tmp/.."]
        };
        for root in roots {
            assert_eq!(
                check_data_dir(Path::new(root), &none()),
                Err(DataDirProblem::FilesystemRoot),
                "{root}"
            );
        }
        // On Windows `\data` and `C:data` depend on the current drive or folder.
        let relative: &[&str] = if cfg!(windows) {
            &["data", r"\data", "C:data", r"\"]
        } else {
            &["data", "./data", ""]
        };
        for rel in relative {
            assert_eq!(
                check_data_dir(Path::new(rel), &none()),
                Err(DataDirProblem::NotAbsolute),
                "{rel}"
            );
        }
        let t = tempfile::tempdir().unwrap();
        let home = Forbidden {
            homes: vec![t.path().to_path_buf()],
            fs_root: None,
        };
        assert_eq!(
            check_data_dir(t.path(), &home),
            Err(DataDirProblem::HomeDirectory)
        );
        assert_eq!(
            check_data_dir(t.path(), &none()),
            Err(DataDirProblem::NotADataDir)
        );
        fs::write(t.path().join("config_10001.json"), "{}").unwrap();
        assert_eq!(check_data_dir(t.path(), &none()), Ok(()));
    }

    #[test]
    fn only_what_llonebot_writes_makes_a_data_dir() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        fs::create_dir_all(d.join("temp")).unwrap();
        fs::write(d.join("temp/draft.docx"), "x").unwrap();
        fs::create_dir_all(d.join("logs")).unwrap();
        fs::write(d.join("logs/server.log"), "x").unwrap();
        fs::create_dir_all(d.join("msg_2023")).unwrap();
        fs::create_dir_all(d.join("msg_10001")).unwrap();
        fs::write(d.join("config_123.json"), "{}").unwrap();
        fs::create_dir_all(d.join("database")).unwrap();
        fs::write(d.join("database/notes.db"), "x").unwrap();
        assert!(!holds_llonebot_data(d), "generic names only");
        fs::write(d.join("msg_10001/LOCK"), "").unwrap();
        assert!(holds_llonebot_data(d), "a LevelDB-shaped msg_<uin>");
        fs::remove_file(d.join("msg_10001/LOCK")).unwrap();
        fs::write(d.join("logs/llbot-2026-1-2 3-04-05.log"), "x").unwrap();
        assert!(holds_llonebot_data(d), "an LLBot log");
        fs::remove_file(d.join("logs/llbot-2026-1-2 3-04-05.log")).unwrap();
        fs::write(d.join("database/1511954122.v3.db"), "x").unwrap();
        assert!(holds_llonebot_data(d), "a database store");
        fs::remove_file(d.join("database/1511954122.v3.db")).unwrap();
        fs::write(d.join("config_1511954122.json"), "{}").unwrap();
        assert!(holds_llonebot_data(d), "a config");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape("a\x1b[2Jb\u{9b}c\u{202e}d\\"),
            "a\\x1b[2Jb\\u{9b}c\\u{202e}d\\"
        );
        assert_eq!(escape("temp/图片.png"), "temp/图片.png");
    }

    #[test]
    fn passwd_homes_are_read() {
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("passwd");
        fs::write(
            &f,
            "root:x:0:0:root:/root:/bin/bash\n# x\nbob:x:1000:1000::/home/bob:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n",
        )
        .unwrap();
        assert_eq!(
            passwd_homes(&f),
            vec![PathBuf::from("/root"), PathBuf::from("/home/bob")]
        );
    }

    #[test]
    fn entries_must_have_a_target_shape() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        fs::create_dir_all(d.join("temp/x")).unwrap();
        fs::create_dir_all(d.join("msg_1")).unwrap();
        fs::write(d.join("config_1.json"), "{}").unwrap();
        let place = check_entry(d, Kind::Temp, EntryType::Dir, &d.join("temp/x")).unwrap();
        assert_eq!(
            (place.folder, place.name.as_os_str()),
            (Some("temp"), "x".as_ref())
        );
        assert!(check_entry(d, Kind::MsgDb, EntryType::Dir, &d.join("msg_1")).is_ok());
        // Wrong kind for the place, the config, the data dir itself, outside, climbing.
        assert!(check_entry(d, Kind::MsgDb, EntryType::File, &d.join("config_1.json")).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, &d.join("temp")).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, d).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, Path::new("/etc")).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, &d.join("temp/../msg_1")).is_err());
        assert!(check_entry(d, Kind::Logs, EntryType::File, &d.join("logs/a.txt")).is_err());
    }
}
