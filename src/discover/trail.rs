//! The trail of one discovery run: every candidate noted with its outcome, every file that was
//! there but unusable kept as a warning, and the careful reads (size-capped, BOM-tolerant JSON)
//! that feed it.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::{Outcome, Reason, Searched, Warning, What};
use crate::env::Env;
use crate::i18n::Msg;
use crate::msg;

/// Shared state of one discovery run: the environment and the trail.
pub(crate) struct Ctx<'a> {
    pub env: &'a Env,
    pub searched: Vec<Searched>,
    pub warnings: Vec<Warning>,
}

impl Ctx<'_> {
    pub fn note(&mut self, what: What, path: &Path, result: Outcome, reason: Option<Reason>) {
        self.searched.push(Searched {
            what,
            path: path.to_path_buf(),
            result,
            reason,
            detail: None,
        });
    }

    pub fn note_detail(
        &mut self,
        what: What,
        path: &Path,
        result: Outcome,
        reason: Option<Reason>,
        detail: impl Into<String>,
    ) {
        self.searched.push(Searched {
            what,
            path: path.to_path_buf(),
            result,
            reason,
            detail: Some(detail.into()),
        });
    }

    pub fn warn(&mut self, path: &Path, problem: Msg) {
        self.warnings.push(Warning {
            path: path.to_path_buf(),
            problem,
        });
    }

    /// Reads a small file. `None` when absent; a warning when present but too large or
    /// unreadable.
    fn read_bytes(&mut self, path: &Path) -> Option<Vec<u8>> {
        let meta = fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        if meta.len() > MAX_TEXT_FILE {
            self.warn(path, msg!("warn.too_large", bytes = meta.len()));
            return None;
        }
        match fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.warn(
                    path,
                    msg!("warn.cannot_read", error = crate::i18n::os_error(&e)),
                );
                None
            }
        }
    }

    /// Reads a small text file. `None` when absent; a warning when present but unreadable.
    pub fn read_text(&mut self, path: &Path) -> Option<String> {
        let bytes = self.read_bytes(path)?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Reads a JSON object. `None` when absent; a warning when unreadable or malformed.
    pub fn read_json(&mut self, path: &Path) -> Option<Value> {
        let bytes = self.read_bytes(path)?;
        // Node tolerates a UTF-8 byte-order mark in package.json; so do we.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v) if v.is_object() => Some(v),
            Ok(_) => {
                self.warn(path, msg!("warn.not_an_object"));
                None
            }
            Err(e) => {
                self.warn(path, msg!("warn.malformed_json", error = e));
                None
            }
        }
    }
}

/// Launchers, package.json and config files are small; anything larger is not what we expect.
const MAX_TEXT_FILE: u64 = 4 << 20;

/// A string field of a JSON object, trimmed; `None` when absent, not a string or empty.
pub(crate) fn str_field<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}
