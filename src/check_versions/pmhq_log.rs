//! PMHQ's word on the QQ build, from the output LLBot's launcher prints as `[PMHQ] …` (LLBot
//! in PMHQ mode: PMHQ needs offsets for the exact QQ build, fetched at run time). The lines
//! (LuckyLilliaBot #772, #778, #815):
//! - `本地没有版本 49738 的偏移数据，尝试从远程获取...` (none shipped; asking the server)
//! - `远程也没有版本 49738 的偏移数据` (the server has none either: not supported yet)
//! - `从远程获取偏移数据失败: HTTP 请求失败: http://pmhq.luckylillia.com/a.bin: …` (unreachable)
//! - `未找到当前 QQ 版本 (49738) 的偏移数据` then `请等待更新或联系开发者` (PMHQ gives up)
//! - `QQ 版本: 49738` or `QQ 版本: 3.2.33-52892` (each start).
//!
//! The launcher writes them to its terminal, not to a file: they are found where users send
//! that output (a `.log` or `.out` file beside the install or in its `logs/`, `nohup.out`) or
//! where LLBot keeps its own logs. Only the newest files are read, each from its tail.

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use crate::discover::{Instance, sub};
use crate::policy::support::OffsetsCause;

/// The last time PMHQ could not find offsets for a build, with no start after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffsetsMissing {
    pub build: u32,
    pub cause: OffsetsCause,
    /// Why the server could not be reached, as PMHQ said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(serialize_with = "crate::output::path::one")]
    pub log: PathBuf,
}

const LOCAL_NONE: (&str, &str) = ("本地没有版本", "的偏移数据");
const REMOTE_NONE: (&str, &str) = ("远程也没有版本", "的偏移数据");
const REMOTE_FAILED: &str = "从远程获取偏移数据失败";
const GIVE_UP: (&str, &str) = ("未找到当前 QQ 版本 (", ")");
const START: &str = "QQ 版本:";

/// How many of the newest files are read, and how much of each (from its end).
const MAX_FILES: usize = 8;
const MAX_TAIL: u64 = 4 << 20;

/// The build a line names between two marks: `49738`, or the build of `3.2.33-52892`.
fn build_between(line: &str, (before, after): (&str, &str)) -> Option<u32> {
    let i = line.find(before)? + before.len();
    let rest = &line[i..];
    let token = rest[..rest.find(after)?].trim();
    let token = token.rsplit('-').next()?;
    token.parse().ok()
}

/// The verdict of one file's text: the last give-up with no start after it.
pub fn offsets_missing_in(text: &str, log: &Path) -> Option<OffsetsMissing> {
    let mut cause: Option<(u32, OffsetsCause, Option<String>)> = None;
    let mut last: Option<OffsetsMissing> = None;
    let mut asked: Option<u32> = None;
    for line in text.lines() {
        if let Some(b) = build_between(line, LOCAL_NONE) {
            asked = Some(b);
            cause = None;
        } else if let Some(b) = build_between(line, REMOTE_NONE) {
            cause = Some((b, OffsetsCause::NotYet, None));
        } else if let Some(i) = line.find(REMOTE_FAILED) {
            let error = line[i + REMOTE_FAILED.len()..]
                .trim_start_matches([':', '：', ' '])
                .trim();
            let error: String = error.chars().take(200).collect();
            if let Some(b) = asked {
                cause = Some((b, OffsetsCause::Unreachable, Some(error)));
            }
        } else if let Some(b) = build_between(line, GIVE_UP) {
            let (cause, error) = match cause.take() {
                Some((cb, c, e)) if cb == b => (c, e),
                _ => (OffsetsCause::Unknown, None),
            };
            last = Some(OffsetsMissing {
                build: b,
                cause,
                error,
                log: log.to_path_buf(),
            });
        } else if line.contains(START) && last.is_some() {
            // A later start: what it met is in the lines after this one.
            last = None;
        }
    }
    last
}

fn has_pmhq_lines(text: &str) -> bool {
    text.contains(GIVE_UP.0) || text.contains(START) || text.contains(LOCAL_NONE.0)
}

fn read_tail(path: &Path) -> Option<String> {
    let mut f = fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    if len > MAX_TAIL {
        f.seek(SeekFrom::Start(len - MAX_TAIL)).ok()?;
    }
    let mut buf = Vec::new();
    f.take(MAX_TAIL).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Files that may hold the launcher's output: `*.log`, `*.out`, `*.txt` in the folders named.
fn candidates(dirs: &[PathBuf]) -> Vec<(SystemTime, PathBuf)> {
    let mut out: Vec<(SystemTime, PathBuf)> = Vec::new();
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let Ok(meta) = e.metadata() else { continue };
            let path = e.path();
            let wanted = path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "log" | "out" | "txt"));
            if meta.is_file() && wanted && !out.iter().any(|(_, p)| *p == path) {
                out.push((meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), path));
            }
        }
    }
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out.truncate(MAX_FILES);
    out
}

/// The folders of an LLBot install where its launcher's output may be kept.
fn folders(b: &Instance) -> Vec<PathBuf> {
    let mut dirs = vec![b.data_dir.join("logs")];
    if let Some(i) = &b.install {
        for rel in ["", "logs", "bin/pmhq", "bin/llbot"] {
            dirs.push(if rel.is_empty() {
                i.clone()
            } else {
                sub(i, rel)
            });
        }
    }
    dirs
}

/// What the newest file with PMHQ's lines says, if it says PMHQ gave up.
pub fn offsets_missing(b: &Instance) -> Option<OffsetsMissing> {
    for (_, path) in candidates(&folders(b)) {
        let Some(text) = read_tail(&path) else {
            continue;
        };
        if has_pmhq_lines(&text) {
            return offsets_missing_in(&text, &path);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_from_the_lines_users_posted() {
        let p = Path::new("llbot.log");
        // LuckyLilliaBot #778 (LLBot Desktop 7.12.15, Windows).
        let not_yet = "16:32:01 [PMHQ] [2026-06-06T08:32:01Z INFO  pmhq_injector::offsets] 本地没有版本 49738 的偏移数据，尝试从远程获取...\n16:32:01 [PMHQ] QQ 路径: C:\\Program Files\\Tencent\\QQNT\\QQ.exe\n16:32:01 [PMHQ] QQ 版本: 49738\n16:32:02 [PMHQ] [2026-06-06T08:32:02Z WARN  pmhq_injector::offsets] 远程也没有版本 49738 的偏移数据\n16:32:02 [PMHQ] 未找到当前 QQ 版本 (49738) 的偏移数据\n16:32:02 [PMHQ] 请等待更新或联系开发者\n";
        let m = offsets_missing_in(not_yet, p).expect("missing");
        assert_eq!(
            (m.build, m.cause, m.error),
            (49738, OffsetsCause::NotYet, None)
        );
        // LuckyLilliaBot #815: the server unreachable.
        let dns = "[PMHQ] [INFO  pmhq_injector::offsets] 本地没有版本 48517 的偏移数据，尝试从远程获取...\n[PMHQ] [WARN  pmhq_injector::offsets] 从远程获取偏移数据失败: HTTP 请求失败: http://pmhq.luckylillia.com/a.bin: Dns Failed: resolve dns name 'pmhq.luckylillia.com:80'\n[PMHQ] 未找到当前 QQ 版本 (48517) 的偏移数据\n";
        let m = offsets_missing_in(dns, p).expect("missing");
        assert_eq!((m.build, m.cause), (48517, OffsetsCause::Unreachable));
        assert!(
            m.error
                .as_deref()
                .is_some_and(|e| e.starts_with("HTTP 请求失败"))
        );
        // The give-up line alone.
        let alone = "未找到当前 QQ 版本 (49599) 的偏移数据\n";
        assert_eq!(
            offsets_missing_in(alone, p).map(|m| (m.build, m.cause)),
            Some((49599, OffsetsCause::Unknown))
        );
        // A start after the failure (QQ rolled back): nothing is missing now.
        let later = format!("{not_yet}[PMHQ] QQ 版本: 48517\n[PMHQ] 注入成功\n");
        assert_eq!(offsets_missing_in(&later, p), None);
        // Newer PMHQ writes the full version.
        let full = "QQ 版本: 3.2.33-52892\n未找到当前 QQ 版本 (3.2.33-52892) 的偏移数据\n";
        assert_eq!(offsets_missing_in(full, p).map(|m| m.build), Some(52892));
        assert_eq!(offsets_missing_in("nothing here\n", p), None);
    }
}
