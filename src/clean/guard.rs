//! The checks that stand between a plan and a deletion: which data dirs may be cleaned at all,
//! and, right before each removal, that the entry is still what was previewed, strictly inside
//! the data dir, reached through real folders only, and of a known target kind.

use std::fs;
use std::path::{Component, Path};

use super::plan::{EntryType, Kind, database_uin, is_link, is_log_name, type_of};
use crate::discover::{looks_like_data_dir, uin_of};
use crate::i18n::Msg;
use crate::msg;

/// Why a data dir may not be cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataDirProblem {
    NotAbsolute,
    FilesystemRoot,
    HomeDirectory,
    NotADataDir,
}

/// A data dir must be absolute, not a filesystem root or a home folder, and hold at least one
/// of the things LLOneBot keeps there.
pub fn check_data_dir(dir: &Path, home: Option<&Path>) -> Result<(), DataDirProblem> {
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
    if let Some(home) = home {
        let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if canon(dir) == canon(home) {
            return Err(DataDirProblem::HomeDirectory);
        }
    }
    if !looks_like_data_dir(dir) {
        return Err(DataDirProblem::NotADataDir);
    }
    Ok(())
}

fn io_msg(path: &Path, e: &std::io::Error) -> Msg {
    Msg::raw(format!("{}: {e}", path.display()))
}

/// The final check before removing `path`, planned as `kind` / `planned`.
pub fn check_entry(
    data_dir: &Path,
    kind: Kind,
    planned: EntryType,
    path: &Path,
) -> Result<(), Msg> {
    let rel = path
        .strip_prefix(data_dir)
        .map_err(|_| msg!("guard.outside"))?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            // Lossy: U+FFFD fits no pattern, so only temp/ accepts a non-UTF-8 name.
            Component::Normal(s) => Ok(s.to_str().unwrap_or("\u{FFFD}")),
            _ => Err(msg!("guard.climbs")),
        })
        .collect::<Result<_, Msg>>()?;
    // The expected shape for each kind: msg_<uin> | temp/<any> | logs/<*.log> | database/<uin>.db...
    let shape_ok = match (kind, parts.as_slice()) {
        (Kind::MsgDb, [name]) => uin_of(name, "msg_", "").is_some(),
        (Kind::Temp, ["temp", _]) => true,
        (Kind::Logs, ["logs", name]) => is_log_name(name),
        (Kind::Database, ["database", name]) => database_uin(name).is_some(),
        (Kind::QqCache(k), parts) => crate::qq_cache::guard_allows(k, parts),
        _ => false,
    };
    if !shape_ok {
        return Err(msg!("guard.unknown_kind"));
    }
    // The folder between the data dir and the entry (temp/, logs/, database/) must still be a
    // real folder: if it were swapped for a link, the entry would lie elsewhere.
    if parts.len() == 2 {
        let mid = data_dir.join(parts[0]);
        let meta = fs::symlink_metadata(&mid).map_err(|e| io_msg(&mid, &e))?;
        if is_link(&meta) || !meta.is_dir() {
            return Err(msg!("guard.not_real_folder", path = mid.display()));
        }
    }
    let now = type_of(path).map_err(|e| io_msg(path, &e))?;
    if now != planned {
        return Err(msg!(
            "guard.changed",
            before = format!("{planned:?}").to_lowercase(),
            now = format!("{now:?}").to_lowercase()
        ));
    }
    resolves_in_place(data_dir, rel, path, planned)?;
    #[cfg(windows)]
    if planned == EntryType::Dir {
        tree_stays_inside(path)?;
    }
    Ok(())
}

/// Where the entry really is, as the OS resolves it, must be where it appears to be. This
/// catches links the OS does not report as links: a Unix symlink seen through Wine looks like
/// a plain folder, and so does a link a file server follows for its clients. A link entry is
/// removed itself, so only the folder holding it must be in place.
fn resolves_in_place(
    data_dir: &Path,
    rel: &Path,
    path: &Path,
    planned: EntryType,
) -> Result<(), Msg> {
    let canon = |p: &Path| fs::canonicalize(p).map_err(|e| io_msg(p, &e));
    let base = canon(data_dir)?;
    let (real, expected) = match (planned, path.parent(), rel.parent()) {
        (EntryType::Link, Some(parent), Some(rel_parent)) => {
            (canon(parent)?, base.join(rel_parent))
        }
        (EntryType::Link, _, _) => return Err(msg!("guard.outside")),
        _ => (canon(path)?, base.join(rel)),
    };
    if real != expected {
        return Err(msg!(
            "guard.leads_elsewhere",
            path = path.display(),
            real = real.display()
        ));
    }
    Ok(())
}

/// Windows: no folder inside a folder entry may lead out of it. Reparse points are never
/// followed by the removal, but a link the OS shows as a folder (a Unix symlink under Wine, a
/// server-side link on a share) would be, and everything behind it deleted.
#[cfg(windows)]
fn tree_stays_inside(dir: &Path) -> Result<(), Msg> {
    let root = fs::canonicalize(dir).map_err(|e| io_msg(dir, &e))?;
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
                path = e.path().display(),
                real = real.display(),
                dir = dir.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_relative_dirs_are_refused() {
        let roots: &[&str] = if cfg!(windows) {
            &[r"C:\", "C:/", r"\\?\C:\", r"\\server\share\"]
        } else {
            &["/", "//", "/."]
        };
        for root in roots {
            assert_eq!(
                check_data_dir(Path::new(root), None),
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
                check_data_dir(Path::new(rel), None),
                Err(DataDirProblem::NotAbsolute),
                "{rel}"
            );
        }
        let t = tempfile::tempdir().unwrap();
        assert_eq!(
            check_data_dir(t.path(), Some(t.path())),
            Err(DataDirProblem::HomeDirectory)
        );
        assert_eq!(
            check_data_dir(t.path(), None),
            Err(DataDirProblem::NotADataDir)
        );
        fs::create_dir(t.path().join("temp")).unwrap();
        assert_eq!(check_data_dir(t.path(), None), Ok(()));
    }

    #[test]
    fn entries_must_have_a_target_shape() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        fs::create_dir_all(d.join("temp/x")).unwrap();
        fs::create_dir_all(d.join("msg_1")).unwrap();
        fs::write(d.join("config_1.json"), "{}").unwrap();
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, &d.join("temp/x")).is_ok());
        assert!(check_entry(d, Kind::MsgDb, EntryType::Dir, &d.join("msg_1")).is_ok());
        // Wrong kind for the place, the config, the data dir itself, outside, climbing.
        assert!(check_entry(d, Kind::MsgDb, EntryType::File, &d.join("config_1.json")).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, &d.join("temp")).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, d).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, Path::new("/etc")).is_err());
        assert!(check_entry(d, Kind::Temp, EntryType::Dir, &d.join("temp/../msg_1")).is_err());
        // Changed type since the preview.
        assert!(check_entry(d, Kind::Temp, EntryType::File, &d.join("temp/x")).is_err());
    }
}
