//! QQ's hot update, as its `versions/config.json` records it (Windows: in the install folder;
//! Linux `~/.config/QQ/versions/`; macOS under the container's `Application Support/QQ/versions/`):
//! `{"baseVersion", "curVersion", "prevVersion", "onErrorVersions", "buildId", "readyVersion",
//! "readyInstaller"}` (quoted in LuckyLilliaBot #815). A non-empty `readyVersion` is an update QQ
//! has downloaded and applies at its next start: the bot may not support that build yet, which is
//! the most reported breakage of 2026 (LuckyLilliaBot #772, #782). Read here, never changed.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::{Ctx, is_dir, str_field};
use crate::version::QqVersion;

/// An update QQ applies at its next start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StagedUpdate {
    /// `readyVersion`: the version QQ switches to at its next start.
    pub version: String,
    /// Its build (after the `-`), when it has one.
    pub build: Option<u32>,
    /// `readyInstaller`, when set: an installer QQ runs at its next start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installer: Option<String>,
    /// The `versions/config.json` it was read from (clear `readyVersion` there to keep the
    /// build that runs now).
    #[serde(serialize_with = "crate::output::path::one")]
    pub config: PathBuf,
    /// `versions/<readyVersion>`, the staged copy, when that folder exists.
    #[serde(serialize_with = "crate::output::path::opt")]
    pub folder: Option<PathBuf>,
    /// `curVersion`: what runs until then.
    pub current: Option<String>,
    /// `prevVersion`: the version before the current one, when QQ kept it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// `onErrorVersions`: versions QQ itself gave up on after a failed start.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_error: Vec<String>,
}

/// The staged update recorded in a hot-update config, if any. Only a file named
/// `config.json` is read (the version may have come from elsewhere); no `readyVersion`, an
/// empty one, or one equal to `curVersion` is no update.
pub(super) fn staged(ctx: &mut Ctx, version_file: Option<&Path>) -> Option<StagedUpdate> {
    let cfg = version_file.filter(|f| f.file_name().is_some_and(|n| n == "config.json"))?;
    let v = ctx.read_json(cfg)?;
    from_config(&v, cfg)
}

/// [`staged`] on a parsed config (the folder is looked for beside it).
pub fn from_config(v: &Value, cfg: &Path) -> Option<StagedUpdate> {
    let field = |k: &str| {
        str_field(v, k)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let version = field("readyVersion")?;
    let current = field("curVersion");
    if current.as_deref() == Some(version.as_str()) {
        return None;
    }
    let folder = cfg
        .parent()
        .filter(|_| is_plain_name(&version))
        .map(|d| d.join(&version))
        .filter(|d| is_dir(d));
    let on_error = v
        .get("onErrorVersions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Some(StagedUpdate {
        build: QqVersion::parse(&version).ok().and_then(|q| q.build),
        version,
        installer: field("readyInstaller"),
        config: cfg.to_path_buf(),
        folder,
        current,
        previous: field("prevVersion"),
        on_error,
    })
}

/// A single file name: not empty, not `.` or `..`, no separator or drive colon.
fn is_plain_name(s: &str) -> bool {
    !matches!(s, "" | "." | "..") && !s.contains(['/', '\\', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_version_is_a_staged_update() {
        let t = tempfile::tempdir().unwrap();
        let cfg = t.path().join("config.json");
        std::fs::create_dir(t.path().join("9.9.31-49599")).unwrap();
        // The file quoted in LuckyLilliaBot #815, with an update staged.
        let v = serde_json::json!({"baseVersion": "9.9.30-48517", "curVersion": "9.9.30-48517",
            "prevVersion": "", "onErrorVersions": [], "buildId": "48517", "unzipRetryCount": 0,
            "readyVersion": "9.9.31-49599", "readyInstaller": ""});
        let s = from_config(&v, &cfg).expect("staged");
        assert_eq!(s.version, "9.9.31-49599");
        assert_eq!(s.build, Some(49599));
        assert_eq!(s.folder, Some(t.path().join("9.9.31-49599")));
        assert_eq!(s.current.as_deref(), Some("9.9.30-48517"));
        assert_eq!((s.installer, s.previous), (None, None));
        // No update: empty, missing, equal to the current one.
        for ready in [
            serde_json::json!(""),
            serde_json::json!(null),
            serde_json::json!("9.9.30-48517"),
        ] {
            let mut v = v.clone();
            v["readyVersion"] = ready;
            assert_eq!(from_config(&v, &cfg), None);
        }
        // A name that is no folder name is reported, with no folder.
        let mut odd = v.clone();
        odd["readyVersion"] = serde_json::json!("../../x");
        let s = from_config(&odd, &cfg).expect("staged");
        assert_eq!((s.folder, s.build), (None, None));
    }
}
