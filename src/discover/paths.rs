//! Small path helpers shared by the finders: joining `/`-written relative paths, asking what a
//! path is, and checking the folders named by override flags.

use std::fs;
use std::path::{Path, PathBuf};

use crate::exit::Failure;
use crate::msg;

/// `base` joined with a relative path written with `/`, one component at a time, so the whole
/// path uses this machine's separator (never `...\QQNT\resources/app` on Windows).
pub(crate) fn sub(base: &Path, rel: &str) -> PathBuf {
    let mut out = base.to_path_buf();
    out.extend(rel.split('/').filter(|part| !part.is_empty()));
    out
}

pub(crate) fn is_dir(p: &Path) -> bool {
    fs::metadata(p).is_ok_and(|m| m.is_dir())
}

pub(crate) fn is_file(p: &Path) -> bool {
    fs::metadata(p).is_ok_and(|m| m.is_file())
}

/// Checks an override flag: it must name an existing folder.
pub(super) fn check_override_dir(
    flag: &str,
    path: &Path,
    expected: &'static str,
) -> Result<(), Failure> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Failure::usage(msg!(
            "err.override_not_dir",
            flag = flag,
            path = path.display(),
            expected = crate::i18n::t(expected)
        ))),
        Err(e) => Err(Failure::usage(msg!(
            "err.override_missing",
            flag = flag,
            path = path.display(),
            error = crate::i18n::os_error(&e),
            expected = crate::i18n::t(expected)
        ))),
    }
}
