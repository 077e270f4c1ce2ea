//! The trail of one discovery run: every candidate noted with its outcome, every file that was
//! there but unusable kept as a warning, and the careful reads (size-capped, BOM-tolerant JSON)
//! that feed it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use serde_json::Value;

use crate::env::Env;
use crate::i18n::Msg;
use crate::msg;

/// What a candidate was tried for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    QqInstall,
    QqVersion,
    LiteloaderRoot,
    LiteloaderProfile,
    LlonebotPlugin,
    LlonebotData,
    LlbotInstall,
    NapcatDir,
    NapcatTemp,
}

impl What {
    pub const ALL: [What; 9] = [
        What::QqInstall,
        What::QqVersion,
        What::LiteloaderRoot,
        What::LiteloaderProfile,
        What::LlonebotPlugin,
        What::LlonebotData,
        What::LlbotInstall,
        What::NapcatDir,
        What::NapcatTemp,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Taken,
    Missing,
    Rejected,
}

/// Why a candidate was rejected (or a remark on one taken); rendered in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    NotADirectory,
    NoQqExecutable,
    NotLiteloaderRoot,
    SandboxOnly,
    MappedFromSandbox,
    NapcatLoader,
    OriginalQqMain,
    NoRequire,
    /// There, but could not be read (the OS error is the detail).
    Unreadable,
    /// Larger than any file of its kind should be (over 4 MiB).
    TooLarge,
    /// Not JSON (the parse error is the detail).
    Malformed,
    /// JSON, but not an object.
    NotAnObject,
    NoVersion,
    /// Under `--fs-root`, a path read from the inspected disk climbs above the root.
    ClimbsAboveFsRoot,
    NotLlonebot,
    NotADataDir,
    AlreadyFound,
    /// A running QQ-named program whose folder holds no QQ app, passed over for one that does.
    NoQqApp,
    NotNapcat,
    /// Named by another user's process, but not that user's all the way down (a link, or a
    /// folder of a third user, on the way).
    Untrusted,
}

#[derive(Debug, Clone, Serialize)]
pub struct Searched {
    pub what: What,
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub result: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Extra words from the file itself (a parse error, a `main` value, a require argument).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A file that was there but could not be used.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub problem: Msg,
}

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

    /// Notes a file that gave nothing: missing, or there and rejected with why.
    pub fn note_unread(&mut self, what: What, path: &Path, unread: Unread) {
        match unread {
            Unread::Absent => self.note(what, path, Outcome::Missing, None),
            Unread::Unusable(reason, None) => {
                self.note(what, path, Outcome::Rejected, Some(reason));
            }
            Unread::Unusable(reason, Some(detail)) => {
                self.note_detail(what, path, Outcome::Rejected, Some(reason), detail);
            }
        }
    }

    /// Reads a small file. Absent when there is no file; a warning when present but too large
    /// or unreadable.
    fn read_bytes(&mut self, path: &Path) -> Result<Vec<u8>, Unread> {
        match read_capped(path) {
            Ok(bytes) => Ok(bytes),
            Err(Capped::Absent) => Err(Unread::Absent),
            Err(Capped::TooLarge(bytes)) => {
                self.warn(path, msg!("warn.too_large", bytes = bytes));
                Err(Unread::Unusable(Reason::TooLarge, None))
            }
            Err(Capped::Io(e)) => {
                self.warn(
                    path,
                    msg!("warn.cannot_read", error = crate::i18n::os_error(&e)),
                );
                Err(Unread::Unusable(Reason::Unreadable, Some(e.to_string())))
            }
            Err(e @ Capped::NotRegular(_)) => {
                self.warn(path, msg!("warn.cannot_read", error = e.words()));
                Err(Unread::Unusable(Reason::Unreadable, Some(e.words())))
            }
        }
    }

    /// Reads a small text file. `None` when absent; a warning when present but unreadable.
    pub fn read_text(&mut self, path: &Path) -> Option<String> {
        let bytes = self.read_bytes(path).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Reads a JSON object. `None` when absent; a warning when unreadable or malformed.
    pub fn read_json(&mut self, path: &Path) -> Option<Value> {
        self.read_json_or_why(path).ok()
    }

    /// [`Ctx::read_json`], saying why there is nothing: absent, or there but unusable (for the
    /// trail).
    pub fn read_json_or_why(&mut self, path: &Path) -> Result<Value, Unread> {
        let bytes = self.read_bytes(path)?;
        // Node tolerates a UTF-8 byte-order mark in package.json; so do we.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match serde_json::from_slice::<Value>(bytes) {
            Ok(v) if v.is_object() => Ok(v),
            Ok(_) => {
                self.warn(path, msg!("warn.not_an_object"));
                Err(Unread::Unusable(Reason::NotAnObject, None))
            }
            Err(e) => {
                self.warn(path, msg!("warn.malformed_json", error = e));
                Err(Unread::Unusable(Reason::Malformed, Some(e.to_string())))
            }
        }
    }
}

/// Why a file gave nothing: no file there, or one that could not be used (why, and the error's
/// own words when there are some).
pub(crate) enum Unread {
    Absent,
    Unusable(Reason, Option<String>),
}

/// Launchers, package.json and config files are small; anything larger is not what we expect.
const MAX_TEXT_FILE: u64 = 4 << 20;

/// Why [`read_capped`] gave no bytes: no file there, not a regular file (a folder, a FIFO, a
/// device: never opened), larger than [`MAX_TEXT_FILE`], or an OS error.
pub(crate) use crate::fsread::ReadError as Capped;

/// Reads a small file whole: at most [`MAX_TEXT_FILE`] bytes, whatever its size on disk (a
/// sparse or growing file never fills memory), never waiting on a FIFO. Every read of a config
/// or manifest goes here.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, Capped> {
    crate::fsread::read_capped(path, MAX_TEXT_FILE)
}

/// A string field of a JSON object, trimmed; `None` when absent, not a string or empty.
pub(crate) fn str_field<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}
