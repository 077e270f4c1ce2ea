//! Finds QQ, LiteLoaderQQNT and LLOneBot from an [`Env`], a list of processes and the user's
//! overrides. Reads only named candidate paths (never a disk-wide search) and records every
//! candidate in a trail, so `detect -v` can say why each was taken or rejected.

mod liteloader;
mod llonebot;
mod qq;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::env::{Env, Platform};
use crate::exit::Failure;
use crate::i18n::Msg;
use crate::msg;
use crate::process::QqProcess;

pub use liteloader::{parse_rc_block, require_args};
pub use llonebot::{is_data_dir_marker, looks_like_data_dir, scan_accounts, uin_of};

/// Folders the user named on the command line (paths on this machine).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub qq_dir: Option<PathBuf>,
    pub ll_dir: Option<PathBuf>,
    pub profile: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    /// QQ's own data folder (`--qq-data`: `~/.config/QQ`, a Docker volume, `Tencent Files`).
    pub qq_data: Option<PathBuf>,
}

/// How a component was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// The executable of a running QQ process.
    Process,
    /// A Windows registry value.
    Registry,
    /// A well-known install location.
    WellKnown,
    /// The `require(...)` in the launcher named by QQ's `package.json` `main`.
    Launcher,
    /// A `require(...)` prepended to QQ's `app_launcher/index.js` (LiteLoaderQQNT 1.1.x).
    IndexJs,
    /// `LITELOADERQQNT_PROFILE` in this process's environment.
    EnvVar,
    /// `LITELOADERQQNT_PROFILE` in a running QQ's environment.
    QqEnviron,
    /// A `# BEGIN LITELOADERQQNT` block in a shell start-up file.
    ShellRc,
    /// The Windows user environment (`HKCU\Environment`).
    UserEnvironment,
    /// The profile Flatpak QQ usually gets.
    Flatpak,
    /// No profile set: LiteLoaderQQNT uses its root.
    Root,
    /// `<profile>/data/LLOneBot`, beside the plugin scan.
    Profile,
}

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
}

impl What {
    pub const ALL: [What; 6] = [
        What::QqInstall,
        What::QqVersion,
        What::LiteloaderRoot,
        What::LiteloaderProfile,
        What::LlonebotPlugin,
        What::LlonebotData,
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
    Unreadable,
    Malformed,
    NoVersion,
    NotLlonebot,
    NotADataDir,
    AlreadyFound,
}

#[derive(Debug, Clone, Serialize)]
pub struct Searched {
    pub what: What,
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
    pub path: PathBuf,
    pub problem: Msg,
}

#[derive(Debug, Clone, Serialize)]
pub struct Qq {
    pub install_dir: PathBuf,
    pub executable: PathBuf,
    /// The folder holding QQ's `package.json` (`resources/app`, per version on new Windows).
    pub app_dir: Option<PathBuf>,
    pub version: Option<String>,
    pub build: Option<u32>,
    pub platform: Platform,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_detail: Option<String>,
    /// The file the version was read from.
    pub version_file: Option<PathBuf>,
    pub flatpak: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LiteLoader {
    pub root: Option<PathBuf>,
    pub profile: PathBuf,
    pub data_dir: PathBuf,
    pub plugins_dir: PathBuf,
    pub version: Option<String>,
    /// How the root was found (`null` when only a profile was found).
    pub source: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_detail: Option<String>,
    pub profile_source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_source_detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub uin: String,
    pub config: Option<PathBuf>,
    /// The legacy LevelDB folder `msg_<uin>` (LLOneBot 3.12 to 3.28).
    pub msg_db: Option<PathBuf>,
    /// The SQLite store (`database/<uin>.v2.db`, else `database/<uin>.db`).
    pub database: Option<PathBuf>,
    pub database_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LlOneBot {
    pub plugin_dir: Option<PathBuf>,
    pub version: Option<String>,
    pub data_dir: PathBuf,
    pub data_dir_exists: bool,
    pub source: Source,
    /// A standalone LLOneBot (5.0+) data dir: no LiteLoaderQQNT plugin.
    pub standalone: bool,
    pub accounts: Vec<Account>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Installation {
    pub platform: Platform,
    pub qq: Option<Qq>,
    pub processes: Vec<QqProcess>,
    pub liteloader: Option<LiteLoader>,
    pub llonebot: Option<LlOneBot>,
    pub searched: Vec<Searched>,
    pub warnings: Vec<Warning>,
}

impl Installation {
    /// The LLOneBot data dir, when it exists.
    pub fn data_dir(&self) -> Option<&Path> {
        self.llonebot
            .as_ref()
            .filter(|l| l.data_dir_exists)
            .map(|l| l.data_dir.as_path())
    }

    /// QQ processes that belong to the install found (all name matches when none was found).
    pub fn qq_processes(&self) -> impl Iterator<Item = &QqProcess> {
        self.processes.iter().filter(|p| p.verified != Some(false))
    }
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

    /// Reads a small text file. `None` when absent; a warning when present but unreadable.
    pub fn read_text(&mut self, path: &Path) -> Option<String> {
        let meta = fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        if meta.len() > MAX_TEXT_FILE {
            self.warn(path, msg!("warn.too_large", bytes = meta.len()));
            return None;
        }
        match fs::read(path) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) => {
                self.warn(path, msg!("warn.cannot_read", error = e));
                None
            }
        }
    }

    /// Reads a JSON object. `None` when absent; a warning when unreadable or malformed.
    pub fn read_json(&mut self, path: &Path) -> Option<Value> {
        let meta = fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        if meta.len() > MAX_TEXT_FILE {
            self.warn(path, msg!("warn.too_large", bytes = meta.len()));
            return None;
        }
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.warn(path, msg!("warn.cannot_read", error = e));
                return None;
            }
        };
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
fn check_override_dir(flag: &str, path: &Path, expected: &'static str) -> Result<(), Failure> {
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
            error = e,
            expected = crate::i18n::t(expected)
        ))),
    }
}

/// Runs the whole discovery. Fails only for bad overrides (exit 2); anything missing on disk is
/// reported as `None` with the places searched.
pub fn discover(
    env: &Env,
    overrides: &Overrides,
    mut processes: Vec<QqProcess>,
) -> Result<Installation, Failure> {
    let mut ctx = Ctx {
        env,
        searched: Vec::new(),
        warnings: Vec::new(),
    };
    let qq = qq::find(&mut ctx, overrides.qq_dir.as_deref(), &processes)?;
    if let Some(q) = &qq {
        for p in &mut processes {
            p.verified = Some(
                p.exe
                    .as_deref()
                    .is_some_and(|exe| crate::process::exe_in_install(exe, &q.install_dir)),
            );
        }
    }
    let liteloader = liteloader::find(&mut ctx, overrides, qq.as_ref(), &processes)?;
    let llonebot = llonebot::find(&mut ctx, overrides.data_dir.as_deref(), liteloader.as_ref())?;
    Ok(Installation {
        platform: env.platform,
        qq,
        processes,
        liteloader,
        llonebot,
        searched: ctx.searched,
        warnings: ctx.warnings,
    })
}
