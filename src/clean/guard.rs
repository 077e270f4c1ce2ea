//! The checks that stand between a plan and a deletion: which data dirs may be cleaned at all,
//! and, right before each removal, that the entry is still what was previewed, strictly inside
//! the data dir, reached through real folders only, and of a known target kind.

use std::fs;
use std::path::{Component, Path};

use super::plan::{EntryType, Kind, database_uin, is_link, is_log_name, type_of};
use crate::discover::{looks_like_data_dir, uin_of};

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

/// The final check before removing `path`, planned as `kind` / `planned`.
pub fn check_entry(
    data_dir: &Path,
    kind: Kind,
    planned: EntryType,
    path: &Path,
) -> Result<(), String> {
    let rel = path
        .strip_prefix(data_dir)
        .map_err(|_| "not inside the data dir".to_string())?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            // Lossy: U+FFFD fits no pattern, so only temp/ accepts a non-UTF-8 name.
            Component::Normal(s) => Ok(s.to_str().unwrap_or("\u{FFFD}")),
            _ => Err("a path that climbs or jumps"),
        })
        .collect::<Result<_, &str>>()?;
    // The expected shape for each kind: msg_<uin> | temp/<any> | logs/<*.log> | database/<uin>.db...
    let shape_ok = match (kind, parts.as_slice()) {
        (Kind::MsgDb, [name]) => uin_of(name, "msg_", "").is_some(),
        (Kind::Temp, ["temp", _]) => true,
        (Kind::Logs, ["logs", name]) => is_log_name(name),
        (Kind::Database, ["database", name]) => database_uin(name).is_some(),
        _ => false,
    };
    if !shape_ok {
        return Err("not a known target kind at that place".into());
    }
    // The folder between the data dir and the entry (temp/, logs/, database/) must still be a
    // real folder: if it were swapped for a link, the entry would lie elsewhere.
    if parts.len() == 2 {
        let mid = data_dir.join(parts[0]);
        let meta = fs::symlink_metadata(&mid).map_err(|e| format!("{}: {e}", mid.display()))?;
        if is_link(&meta) || !meta.is_dir() {
            return Err(format!("{} is no longer a real folder", mid.display()));
        }
    }
    let now = type_of(path).map_err(|e| e.to_string())?;
    if now != planned {
        return Err(format!("was a {planned:?} when previewed, is a {now:?} now").to_lowercase());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_relative_dirs_are_refused() {
        assert_eq!(
            check_data_dir(Path::new("/"), None),
            Err(DataDirProblem::FilesystemRoot)
        );
        assert_eq!(
            check_data_dir(Path::new("data"), None),
            Err(DataDirProblem::NotAbsolute)
        );
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
