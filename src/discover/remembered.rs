//! Installs remembered from earlier runs. An LLBot or NapCat install is found while it runs
//! (from its processes), or when a flag names it; a nightly job at 04:30 would otherwise miss
//! one that happens to be stopped. So every install seen running or named by a flag is noted
//! in a small file of this user's (`$XDG_STATE_HOME/llob-doctor/places.json`, Windows
//! `%LOCALAPPDATA%\llob-doctor\places.json`), and later runs look there too. Places that are
//! gone are dropped; the list is capped.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::env::{Env, Platform};

/// At most this many places per stack.
const MAX: usize = 64;

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Places {
    #[serde(default)]
    pub llbot: Vec<PathBuf>,
    #[serde(default)]
    pub napcat: Vec<PathBuf>,
}

/// The file, in this user's state folder of the inspected system.
pub fn file(env: &Env) -> Option<PathBuf> {
    let rel = match env.platform {
        Platform::Windows => {
            let base = env
                .path_var("LOCALAPPDATA")
                .map(|v| env.resolve(v))
                .or_else(|| env.in_home("AppData/Local"))?;
            return Some(base.join("llob-doctor").join("places.json"));
        }
        Platform::Macos => "Library/Application Support/llob-doctor/places.json",
        Platform::Linux => {
            if let Some(x) = env
                .path_var("XDG_STATE_HOME")
                .filter(|x| env.is_absolute(x))
            {
                return Some(env.resolve(x).join("llob-doctor").join("places.json"));
            }
            ".local/state/llob-doctor/places.json"
        }
    };
    env.in_home(rel)
}

/// The places remembered (none when there is no file, or it is unreadable or garbage).
pub fn load(env: &Env) -> Places {
    let Some(f) = file(env) else {
        return Places::default();
    };
    let Ok(bytes) = super::read_capped(&f) else {
        return Places::default();
    };
    serde_json::from_slice(&bytes).unwrap_or_default()
}

/// Adds places to the list (newest first, each once, only folders that exist) and writes it
/// back when it changed. Best effort: a home that cannot be written to only means the next
/// run does not remember.
pub fn remember(env: &Env, llbot: &[&Path], napcat: &[&Path]) {
    let Some(f) = file(env) else {
        return;
    };
    let old = load(env);
    let merge = |new: &[&Path], old: &[PathBuf]| -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        for p in new
            .iter()
            .map(|p| p.to_path_buf())
            .chain(old.iter().cloned())
        {
            if p.is_absolute() && p.is_dir() && !out.iter().any(|o| super::same_folder(o, &p)) {
                out.push(p);
            }
        }
        out.truncate(MAX);
        out
    };
    let places = Places {
        llbot: merge(llbot, &old.llbot),
        napcat: merge(napcat, &old.napcat),
    };
    if places == old {
        return;
    }
    if let Ok(text) = serde_json::to_vec_pretty(&places) {
        let _ = write(&f, &text);
    }
}

/// Writes the file through a temporary one beside it, renamed over it.
fn write(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file
        .parent()
        .ok_or_else(|| std::io::Error::other("no folder"))?;
    std::fs::create_dir_all(dir)?;
    if std::fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return Err(std::io::Error::other("a link"));
    }
    let tmp = dir.join(format!(".places.{}.tmp", std::process::id()));
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let result = (|| {
        use std::io::Write;
        let mut f = o.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
