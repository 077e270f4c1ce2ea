//! Carries out a plan: each entry is re-checked by the guard, then removed (or trashed) without
//! following links. A failing entry does not stop the rest; an interruption stops between entries.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::guard::check_entry;
use super::plan::{Entry, EntryType, Plan};
use crate::i18n::Msg;
use crate::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Planned,
    Deleted,
    Trashed,
    /// Left alone: changed since the preview, or not reached because of an interruption.
    Skipped,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub path: PathBuf,
    pub action: Action,
    pub bytes: u64,
    pub files: u64,
    pub error: Option<Msg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Delete,
    Trash,
}

/// Outcomes in plan order (targets, then their entries), and whether it was interrupted.
pub struct Executed {
    pub outcomes: Vec<Vec<Outcome>>,
    pub interrupted: bool,
}

pub fn execute(
    plan: &Plan,
    mode: Mode,
    stop: &AtomicBool,
    mut progress: impl FnMut(&Entry),
) -> Executed {
    let mut interrupted = false;
    let mut outcomes = Vec::with_capacity(plan.targets.len());
    for target in &plan.targets {
        let mut done = Vec::with_capacity(target.entries.len());
        for entry in &target.entries {
            let mut o = Outcome {
                path: entry.path.clone(),
                action: Action::Skipped,
                bytes: entry.bytes,
                files: entry.files,
                error: None,
            };
            if interrupted || stop.load(Ordering::SeqCst) {
                interrupted = true;
                o.error = Some(msg!("guard.interrupted"));
                done.push(o);
                continue;
            }
            match check_entry(&plan.data_dir, target.kind, entry.entry_type, &entry.path) {
                Err(why) => o.error = Some(why),
                Ok(()) => match remove(&entry.path, entry.entry_type, mode) {
                    Ok(()) => {
                        o.action = match mode {
                            Mode::Delete => Action::Deleted,
                            Mode::Trash => Action::Trashed,
                        }
                    }
                    Err(e) => {
                        o.action = Action::Failed;
                        o.error = Some(Msg::raw(e.to_string()));
                    }
                },
            }
            progress(entry);
            done.push(o);
        }
        outcomes.push(done);
    }
    Executed {
        outcomes,
        interrupted,
    }
}

fn remove(path: &Path, t: EntryType, mode: Mode) -> io::Result<()> {
    if mode == Mode::Trash {
        return trash::delete(path)
            .map_err(|e| io::Error::other(format!("cannot move to trash: {e}")));
    }
    match t {
        EntryType::Link => remove_link(path),
        EntryType::File => remove_file(path),
        // remove_dir_all never follows links inside the tree (it unlinks them), on every platform.
        EntryType::Dir => fs::remove_dir_all(path).or_else(|e| {
            if cfg!(windows) && e.kind() == io::ErrorKind::PermissionDenied {
                clear_readonly_tree(path);
                fs::remove_dir_all(path)
            } else {
                Err(e)
            }
        }),
    }
}

/// Removes the link itself. A Windows directory symlink or junction is removed with
/// `remove_dir`, which deletes the link and not its target.
fn remove_link(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if cfg!(windows) => fs::remove_dir(path).map_err(|_| e),
        Err(e) => Err(e),
    }
}

fn remove_file(path: &Path) -> io::Result<()> {
    fs::remove_file(path).or_else(|e| {
        if cfg!(windows) && e.kind() == io::ErrorKind::PermissionDenied {
            clear_readonly(path)?;
            fs::remove_file(path)
        } else {
            Err(e)
        }
    })
}

/// Clears the read-only attribute (Windows refuses to delete read-only files).
fn clear_readonly(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    let mut perms = meta.permissions();
    if perms.readonly() {
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        fs::set_permissions(path, perms)?;
    }
    Ok(())
}

fn clear_readonly_tree(path: &Path) {
    for e in walkdir::WalkDir::new(path)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if !e.path_is_symlink() {
            let _ = clear_readonly(e.path());
        }
    }
}
