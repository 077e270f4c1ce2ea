//! Who a folder belongs to, and whether a path may be acted on for that user: every component
//! from the filesystem root down is a real folder (never a link, junction or mount-point
//! reparse point), owned by that user or by root, and none can be rewritten by a third user.
//!
//! This is what keeps root's unattended runs from being steered: a folder found through a
//! user's process, environment or home is used only when it is that user's all the way down,
//! and the clean then acts as that user (see `clean::as_owner`).

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

/// The user a bot instance belongs to: the owner of its data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owner {
    pub uid: u32,
    pub name: String,
}

impl Owner {
    pub fn of_uid(uid: u32) -> Owner {
        Owner {
            uid,
            name: crate::process::user_name(uid),
        }
    }

    /// The owner of `path` itself (not following a link), where the OS has owners (Unix).
    pub fn of_path(path: &Path) -> Option<Owner> {
        owner_uid(path).map(Owner::of_uid)
    }
}

/// The owner (uid) of a file or folder itself, never of what a link points to; `None` on
/// Windows or when it cannot be read.
pub fn owner_uid(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Why a path may not be acted on for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Untrusted {
    /// Not an absolute path, or one with `..` in it.
    NotPlain(PathBuf),
    /// This component is a link (a symlink; on Windows a junction or symbolic link).
    Link(PathBuf),
    /// This component belongs to another user (uid).
    OwnedBy(PathBuf, u32),
    /// Anyone may replace what is in this folder (world-writable without the sticky bit).
    WritableByAll(PathBuf),
    /// This component could not be looked at (missing, or no permission).
    Unreadable(PathBuf, String),
}

impl Untrusted {
    /// The component the problem is at.
    pub fn path(&self) -> &Path {
        match self {
            Untrusted::NotPlain(p)
            | Untrusted::Link(p)
            | Untrusted::OwnedBy(p, _)
            | Untrusted::WritableByAll(p)
            | Untrusted::Unreadable(p, _) => p,
        }
    }

    /// Says what is wrong, in the user's language.
    pub fn message(&self) -> crate::i18n::Msg {
        use crate::msg;
        match self {
            Untrusted::NotPlain(p) => msg!("owner.not_plain", path = p.display()),
            Untrusted::Link(p) => {
                let to = std::fs::read_link(p)
                    .map(|t| t.display().to_string())
                    .unwrap_or_else(|_| "?".into());
                msg!("owner.link", path = p.display(), target = to)
            }
            Untrusted::OwnedBy(p, uid) => msg!(
                "owner.owned_by",
                path = p.display(),
                user = crate::process::user_name(*uid)
            ),
            Untrusted::WritableByAll(p) => msg!("owner.writable_by_all", path = p.display()),
            Untrusted::Unreadable(p, e) => msg!("owner.unreadable", path = p.display(), error = e),
        }
    }
}

/// Checks every component of `path`, from the root down (the path itself included): a real
/// folder or file, not a link; with `uid`, owned by that user or by root; and not a folder that
/// a third user may rewrite. `path` must be absolute and hold no `..`.
pub fn check_chain(path: &Path, uid: Option<u32>) -> Result<(), Untrusted> {
    if !path.is_absolute() || path.components().any(|c| c == Component::ParentDir) {
        return Err(Untrusted::NotPlain(path.to_path_buf()));
    }
    // A link anywhere is said first: it is what makes the path another one.
    for owners in [None, uid] {
        let mut at = PathBuf::new();
        for c in path.components() {
            match c {
                Component::CurDir => continue,
                other => at.push(other.as_os_str()),
            }
            // The root (`/`, `C:\`) and a bare drive prefix are anchors, not folders to judge.
            if matches!(c, Component::RootDir | Component::Prefix(_)) {
                continue;
            }
            check_component(&at, owners)?;
        }
        if uid.is_none() {
            break;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn check_component(at: &Path, uid: Option<u32>) -> Result<(), Untrusted> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(at)
        .map_err(|e| Untrusted::Unreadable(at.to_path_buf(), crate::i18n::os_error(&e)))?;
    if m.file_type().is_symlink() {
        return Err(Untrusted::Link(at.to_path_buf()));
    }
    if let Some(uid) = uid
        && m.uid() != uid
        && m.uid() != 0
    {
        return Err(Untrusted::OwnedBy(at.to_path_buf(), m.uid()));
    }
    const STICKY: u32 = 0o1000;
    if m.is_dir() && m.mode() & 0o002 != 0 && m.mode() & STICKY == 0 {
        return Err(Untrusted::WritableByAll(at.to_path_buf()));
    }
    Ok(())
}

#[cfg(windows)]
fn check_component(at: &Path, _uid: Option<u32>) -> Result<(), Untrusted> {
    match crate::clean::remove::is_name_surrogate(at) {
        Ok(true) => Err(Untrusted::Link(at.to_path_buf())),
        Ok(false) => Ok(()),
        Err(e) => Err(Untrusted::Unreadable(
            at.to_path_buf(),
            crate::i18n::os_error(&e),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_dotdot_paths_are_refused() {
        assert!(matches!(
            check_chain(Path::new("rel/x"), None),
            Err(Untrusted::NotPlain(_))
        ));
        let t = tempfile::tempdir().unwrap();
        let up = t.path().join("a/../b");
        assert!(matches!(
            check_chain(&up, None),
            Err(Untrusted::NotPlain(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_anywhere_on_the_path_is_named() {
        let t = tempfile::tempdir().unwrap();
        let real = t.path().join("real/data");
        std::fs::create_dir_all(&real).unwrap();
        std::os::unix::fs::symlink(t.path().join("real"), t.path().join("via")).unwrap();
        assert_eq!(check_chain(&real, None), Ok(()));
        let through = t.path().join("via/data");
        assert_eq!(
            check_chain(&through, None),
            Err(Untrusted::Link(t.path().join("via")))
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_of_another_user_is_named() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("d");
        std::fs::create_dir_all(&d).unwrap();
        let mut owner = owner_uid(&d).unwrap();
        if owner == 0 {
            // Root's folders are allowed on any user's path: give this one to another uid.
            owner = 4242;
            std::os::unix::fs::chown(&d, Some(owner), None).unwrap();
        }
        assert_eq!(check_chain(&d, Some(owner)), Ok(()));
        let other = owner + 1;
        let err = check_chain(&d, Some(other)).unwrap_err();
        assert!(
            matches!(err, Untrusted::OwnedBy(_, u) if u == owner),
            "{err:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_world_writable_folder_without_the_sticky_bit_is_named() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let open = t.path().join("open");
        std::fs::create_dir_all(open.join("data")).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert_eq!(
            check_chain(&open.join("data"), None),
            Err(Untrusted::WritableByAll(open.clone()))
        );
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o1777)).unwrap();
        assert_eq!(check_chain(&open.join("data"), None), Ok(()));
    }
}
