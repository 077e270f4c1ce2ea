//! Which log files to read: the folders and files given, the data folder found, and the first
//! bytes of each (its first time and its family), oldest first.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::family::{self, StackHint};
use super::line::{self, Stamp};
use super::since::local_offset_secs;
use crate::app::App;
use crate::discover::{Installation, Instance};
use crate::exit::{Exit, Failure};
use crate::msg;
use crate::time::{civil_from_days, unix_secs};
/// LLOneBot's log file names: `*.log`, and rotated copies such as `x.log.1` (not archives).
/// Wider than `clean::plan::is_log_name` on purpose: reading a stray `x.log.old` is harmless,
/// deleting it is not, so clean keeps the stricter rule.
pub(super) fn is_log_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let archive = [".gz", ".zip", ".7z", ".xz", ".zst", ".bz2"]
        .iter()
        .any(|a| lower.ends_with(a));
    !archive && (lower.ends_with(".log") || lower.contains(".log."))
}

/// Log files directly in `dir`. Links are not followed; anything else with a log's name is
/// taken, so a FIFO or a device there is named as unreadable instead of passed over in silence
/// (the reader refuses it without opening it).
pub(super) fn logs_in(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let is_file = e.file_type().is_ok_and(|t| !t.is_dir() && !t.is_symlink());
        if is_file && is_log_name(&e.file_name().to_string_lossy()) {
            out.push(e.path());
        }
    }
}

/// A folder of logs to read, as discovery found it: whose it is and, when known, its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFolder {
    pub path: PathBuf,
    pub hint: StackHint,
    /// The account of lines that name none (LLBot 5+ and NapCat lines carry no uin).
    pub account: Option<u64>,
    /// The bot instance whose folder it is (its id), when discovery found it.
    pub instance: Option<String>,
}

/// A log file to read, with what its folder said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    pub path: PathBuf,
    pub hint: StackHint,
    pub account: Option<u64>,
}

/// The log files directly in each folder (for discovery to hand LLBot's and NapCat's `logs/`).
pub fn logs_in_folders(folders: &[LogFolder]) -> Vec<LogFile> {
    let mut out = Vec::new();
    for f in folders {
        let mut paths = Vec::new();
        logs_in(&f.path, &mut paths);
        paths.sort();
        out.extend(paths.into_iter().map(|path| LogFile {
            path,
            hint: f.hint,
            account: f.account,
        }));
    }
    out
}

/// The year of a file's modification time, for NapCat lines in a file whose name gives none.
pub(super) fn mtime_year(p: &Path) -> Option<line::YearHint> {
    let m = fs::metadata(p).and_then(|m| m.modified()).ok()?;
    let secs = i64::try_from(unix_secs(m)).ok()?;
    let (y, _, _) = civil_from_days((secs + local_offset_secs(secs)).div_euclid(86_400));
    Some(line::YearHint { year: y, month: 1 })
}

/// A file as found before reading it whole: its first time, family and modification time.
pub(super) struct Probed {
    pub(super) file: LogFile,
    first: Option<Stamp>,
    pub(super) kind: family::FileKind,
    mtime: Option<SystemTime>,
}

/// Reads the first 64 KB of each file (its first time and its layout) and puts the files oldest
/// first (by the first time, then modification time, then name), so a failure split across a
/// rotation pairs up, whatever the names and even in copied files.
pub(super) fn probe_and_sort(files: Vec<LogFile>) -> Vec<Probed> {
    let mut probed: Vec<Probed> = files
        .into_iter()
        .map(|file| {
            // Not a regular file (a FIFO, a device): no head; the scan says why.
            let head = crate::fsread::read_head(&file.path, 64 * 1024).unwrap_or_default();
            let kind = family::detect(&file.path, &head, file.hint, mtime_year(&file.path));
            let first =
                head.split(|&b| b == b'\n')
                    .find_map(|l| match line::lead_at(l, kind.clock) {
                        line::Lead::Dated { stamp, .. } => Some(stamp),
                        _ => None,
                    });
            let mtime = fs::metadata(&file.path).and_then(|m| m.modified()).ok();
            Probed {
                file,
                first,
                kind,
                mtime,
            }
        })
        .collect();
    probed.sort_by(|a, b| {
        (a.first.is_none(), a.first, a.mtime, &a.file.path).cmp(&(
            b.first.is_none(),
            b.first,
            b.mtime,
            &b.file.path,
        ))
    });
    probed
}

pub(super) fn given_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<LogFile>), Failure> {
    let mut files = Vec::new();
    let mut searched = Vec::new();
    for p in paths {
        let meta = fs::metadata(p).map_err(|e| {
            Failure::usage(msg!(
                "stats.bad_path",
                path = p.display(),
                error = io_words(&e)
            ))
            .with_hint(msg!("stats.hint_path"))
        })?;
        searched.push(p.clone());
        if meta.is_dir() {
            logs_in(p, &mut files);
            // The data folder itself: its logs/ too.
            let sub = p.join("logs");
            if sub.is_dir() {
                searched.push(sub.clone());
                logs_in(&sub, &mut files);
            }
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    let files = files
        .into_iter()
        .map(|path| LogFile {
            path,
            hint: StackHint::Any,
            account: None,
        })
        .collect();
    Ok((searched, files))
}

pub(super) fn io_words(e: &std::io::Error) -> String {
    crate::i18n::os_error(e)
}

/// The `logs/` of every bot instance found: the LLOneBot plugin's or LLBot's data folder and
/// NapCat's work dir, each labelled with its instance. Lines of LLBot 5+ and NapCat name no
/// account: with one account in the folder, that one is theirs. The plugin's lines (3.x, 4.x)
/// name theirs, or get it from the error line that follows, so its folder gives none.
pub fn log_folders(inst: &Installation) -> Vec<LogFolder> {
    let only_account = |b: &Instance| match b.accounts.as_slice() {
        [a] => a.uin.parse().ok(),
        _ => None,
    };
    let mut folders: Vec<LogFolder> = Vec::new();
    // The data folder a command works on first: its logs may be of any stack.
    if let Some(main) = inst.main_instance() {
        let llbot = inst.llbot().filter(|b| b.data_dir == main.data_dir);
        folders.push(LogFolder {
            path: main.data_dir.join("logs"),
            hint: StackHint::Any,
            account: llbot.and_then(only_account),
            instance: Some(main.id.clone()),
        });
    }
    for b in inst.instances.iter().filter(|b| b.data_dir_exists) {
        let path = b.data_dir.join("logs");
        if folders.iter().any(|f| f.path == path) {
            continue;
        }
        let napcat = b.kind == crate::stack::napcat::STACK.bot;
        folders.push(LogFolder {
            path,
            hint: if napcat {
                StackHint::Napcat
            } else {
                StackHint::Llonebot
            },
            account: if napcat || b.stack == crate::stack::llbot::STACK.id {
                only_account(b)
            } else {
                None
            },
            instance: Some(b.id.clone()),
        });
    }
    folders
}

/// Every instance's logs, one group per instance: what `stats` with no path reads.
pub(super) fn discovered_groups(app: &App) -> Result<Vec<super::instances::Group>, Failure> {
    let inst = app.discover()?;
    let groups = super::instances::groups(&inst);
    if groups.is_empty() {
        return Err(Failure::new(Exit::NotFound, msg!("clean.no_data_dir"))
            .with_hint(msg!("stats.hint_no_data_dir")));
    }
    Ok(groups)
}

pub(super) fn no_logs(searched: &[PathBuf]) -> Failure {
    let where_ = searched
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Failure::new(Exit::NotFound, msg!("stats.no_logs", places = where_))
        .with_hint(msg!("stats.hint_no_logs"))
}
