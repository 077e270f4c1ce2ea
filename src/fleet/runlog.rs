//! The run log of scheduled cleans (`clean --log-file`, JSON Lines, see `crate::clean::log`), read
//! back from its end only (capped): when each bot was last cleaned, and whether that clean
//! went well for it.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::tail::read_tail_checked;
use crate::discover::{Instance, same_folder};
use crate::env::{Env, Platform};
use crate::fsread::ReadError;

/// At most this much of the end of the run log is read (a night's line is a few KiB).
pub const TAIL: u64 = 1 << 20;

/// One real (not dry) run of `clean`, as its line says.
#[derive(Debug, Clone)]
pub struct Run {
    /// Unix time the run started.
    pub at: i64,
    /// The first folder it cleaned.
    pub data_dir: Option<PathBuf>,
    /// The entries it removed (their paths, where the line gives them).
    pub removed: Vec<PathBuf>,
    /// How many entries it removed.
    pub removed_count: usize,
    pub exit_code: i64,
    /// Each instance's own result (logs written since instances were logged).
    pub instances: Option<Vec<Value>>,
}

/// Where `clean --log-file` runs log by default (what `schedule` passes), read through the
/// environment the command was given, so `--fs-root` and a test's HOME apply.
pub fn default_path(env: &Env) -> Option<PathBuf> {
    match env.platform {
        Platform::Linux => match env.path_var("XDG_DATA_HOME") {
            Some(x) => Some(env.resolve(x).join("llob-doctor").join("clean.log")),
            None => env.in_home(".local/share/llob-doctor/clean.log"),
        },
        Platform::Macos => env.in_home("Library/Application Support/llob-doctor/clean.log"),
        Platform::Windows => env.path_var("APPDATA").map(|a| {
            env.resolve(a)
                .join("llob-doctor")
                .join("data")
                .join("clean.log")
        }),
    }
}

/// The runs of the log at `flag` (`--log-file`), else at [`default_path`]; a log that is there
/// but cannot be read (a FIFO, a device, an OS error) is returned with why.
pub fn runs_for(
    app: &crate::app::App,
    flag: Option<&Path>,
) -> Result<Vec<Run>, (PathBuf, ReadError)> {
    match flag
        .map(Path::to_path_buf)
        .or_else(|| default_path(&app.env))
    {
        Some(p) => runs(&p).map_err(|e| (p, e)),
        None => Ok(Vec::new()),
    }
}

/// The real runs of `clean` the end of the log holds, oldest first (none when there is no log).
pub fn runs(path: &Path) -> Result<Vec<Run>, ReadError> {
    let text = match read_tail_checked(path, TAIL) {
        Ok(t) => t,
        Err(ReadError::Absent) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let Ok(v) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        if v["command"] != "clean" || v["dry_run"] == true {
            continue;
        }
        let Some(at) = v["time"].as_str().and_then(iso_secs) else {
            continue;
        };
        let list = v["removed"].as_array();
        let removed = list
            .into_iter()
            .flatten()
            .filter_map(|r| r["path"].as_str().map(PathBuf::from))
            .collect();
        out.push(Run {
            at,
            data_dir: v["data_dir"].as_str().map(PathBuf::from),
            removed,
            removed_count: list.map_or(0, Vec::len),
            exit_code: v["exit_code"].as_i64().unwrap_or(-1),
            instances: v["instances"].as_array().cloned(),
        });
    }
    Ok(out)
}

/// `2026-11-28T04:30:02Z` → Unix time.
fn iso_secs(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<u32>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let days = crate::stats::line::days_from_civil(i64::from(y), m, d);
    Some(days * 86_400 + i64::from(hh * 3600 + mm * 60 + ss))
}

/// How a run went for one instance: `None` when the run did not clean it.
fn result_for(run: &Run, inst: &Instance) -> Option<Outcome> {
    if let Some(list) = &run.instances {
        let e = list.iter().find(|e| e["id"] == inst.id.as_str())?;
        return Some(Outcome {
            at: run.at,
            ok: e["ok"] == true,
            freed_bytes: e["freed_bytes"].as_u64().unwrap_or(0),
        });
    }
    // An older line: the run's first folder, or a removed entry, is the instance's.
    let dirs: Vec<&Path> = std::iter::once(inst.data_dir.as_path())
        .chain(inst.roots.iter().map(|(_, r)| r.as_path()))
        .collect();
    let named = run
        .data_dir
        .as_deref()
        .is_some_and(|d| dirs.iter().any(|x| same_folder(x, d)))
        || run
            .removed
            .iter()
            .any(|p| dirs.iter().any(|x| p.starts_with(x)));
    named.then_some(Outcome {
        at: run.at,
        ok: run.exit_code == 0,
        freed_bytes: 0,
    })
}

/// One clean of one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub at: i64,
    pub ok: bool,
    pub freed_bytes: u64,
}

/// An instance's last clean and last successful clean, as far as the log's end shows.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Cleans {
    pub last: Option<Outcome>,
    pub last_ok: Option<Outcome>,
}

pub fn cleans_of(runs: &[Run], inst: &Instance) -> Cleans {
    let mut c = Cleans::default();
    for o in runs.iter().filter_map(|r| result_for(r, inst)) {
        c.last = Some(o);
        if o.ok {
            c.last_ok = Some(o);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_utc() {
        assert_eq!(iso_secs("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(iso_secs("2026-11-28T04:30:02Z"), Some(1_795_840_202));
        assert_eq!(iso_secs("2026-13-28T04:30:02Z"), None);
        assert_eq!(iso_secs("2026-11-28 04:30:02"), None);
    }
}
