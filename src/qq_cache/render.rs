//! How `detect` shows QQ's cache, and `doctor`'s check of its size.

use std::fmt::Write as _;
use std::time::SystemTime;

use serde_json::json;

use super::QqCacheReport;
use super::discover::UinFrom;
use super::kinds::KINDS;
use super::plan::Skip;
use crate::clean::guard::{escape, shown};
use crate::i18n::{Msg, pad, t, width};
use crate::msg;
use crate::output::{Output, Tone, human_size};
use crate::tf;
use crate::time::{short_age, unix_secs};

fn age(newest: u64, now: u64) -> String {
    if newest == 0 {
        "-".into()
    } else {
        short_age(now.saturating_sub(newest))
    }
}

/// The `detect` section: each data root, each account folder with its size per kind.
pub fn detect_section(r: &QqCacheReport, out: &Output) -> String {
    let mut s = String::new();
    let name = t("qqcache.title");
    if r.roots.is_empty() {
        let _ = writeln!(
            s,
            "{} {}",
            out.paint(Tone::Bold, name),
            out.paint(Tone::Dim, t("qqcache.none"))
        );
        let _ = writeln!(s, "  {}", out.paint(Tone::Dim, t("qqcache.hint_none")));
        return s;
    }
    let _ = writeln!(
        s,
        "{} {}",
        out.paint(Tone::Bold, name),
        human_size(r.total.bytes)
    );
    let now = unix_secs(SystemTime::now());
    for root in &r.roots {
        let _ = writeln!(
            s,
            "  {}",
            tf!("qqcache.root", path = shown(&root.root.path))
        );
        if out.verbose > 0
            && let Some(d) = &root.root.source_detail
        {
            let _ = writeln!(s, "    {}", out.paint(Tone::Dim, &escape(d)));
        }
        for a in &root.reports {
            let who = match (&a.account.uin, a.account.global) {
                (_, true) => t("qqcache.global").to_string(),
                (Some(u), _) => tf!("qqcache.account_uin", uin = escape(u)),
                (None, _) => t("qqcache.account_unknown").to_string(),
            };
            let folder = a
                .account
                .folder
                .strip_prefix(&root.root.path)
                .unwrap_or(&a.account.folder);
            let _ = writeln!(
                s,
                "    {}  {who}  {}  {}",
                shown(folder),
                human_size(a.total.bytes),
                tf!("qqcache.newest", age = age(a.total.newest, now))
            );
            let kinds: Vec<String> = KINDS
                .iter()
                .filter_map(|row| {
                    let sum = a.kinds.get(&row.kind)?;
                    Some(format!("{} {}", row.kind.as_str(), human_size(sum.bytes)))
                })
                .collect();
            if !kinds.is_empty() {
                let _ = writeln!(s, "      {}", kinds.join(" · "));
            }
            if out.verbose > 0 {
                let how = match (a.account.uin_from, &a.account.uin_evidence) {
                    (Some(UinFrom::FolderName), _) => t("qqcache.uin_from_folder").to_string(),
                    (Some(UinFrom::UnitedConfig), Some(p)) => {
                        tf!("qqcache.uin_from_united_config", path = shown(p))
                    }
                    (Some(UinFrom::Mmkv), Some(p)) => {
                        tf!("qqcache.uin_from_mmkv", path = shown(p))
                    }
                    _ if a.account.global => String::new(),
                    _ => t("qqcache.uin_not_mapped").to_string(),
                };
                if !how.is_empty() {
                    let _ = writeln!(s, "      {}", out.paint(Tone::Dim, &how));
                }
                let skipped = a.skipped.iter().map(|(p, why)| {
                    let why = match why {
                        Skip::Link => t("qqcache.why_link"),
                        Skip::OtherFilesystem => t("qqcache.why_mount"),
                    };
                    (p, why.to_string())
                });
                let unreadable = a.unreadable.iter().map(|(p, e)| (p, e.clone()));
                for (p, why) in skipped.chain(unreadable) {
                    let line = tf!("qqcache.skipped", path = shown(p), why = escape(&why));
                    let _ = writeln!(s, "      {}", out.paint(Tone::Dim, &line));
                }
            }
        }
        if let Some(v) = &root.root.versions
            && root.hot_update.files > 0
        {
            let _ = writeln!(
                s,
                "    {}",
                tf!(
                    "qqcache.hot_update",
                    path = shown(v),
                    n = root.hot_update.files,
                    size = human_size(root.hot_update.bytes)
                )
            );
        }
    }
    if out.verbose > 0 {
        let _ = writeln!(s, "  {}", out.paint(Tone::Dim, t("qqcache.kinds_head")));
        for row in &KINDS {
            let w = width(t("qqcache.default_on")).max(width(t("qqcache.default_off")));
            let default = if row.default_on {
                pad(t("qqcache.default_on"), w)
            } else {
                pad(t("qqcache.default_off"), w)
            };
            let line = format!(
                "    {:<10} {default}  {}  ({})",
                row.kind.as_str(),
                row.pattern,
                t(row.lost)
            );
            let _ = writeln!(s, "{}", out.paint(Tone::Dim, &line));
        }
        let never = super::kinds::NEVER_FOLDERS.join(", ");
        let suffixes = super::kinds::NEVER_SUFFIXES
            .map(|x| format!("*{x}"))
            .join(", ");
        let line = tf!("qqcache.never", names = format!("{never}, {suffixes}"));
        let _ = writeln!(s, "  {}", out.paint(Tone::Dim, &line));
    }
    s
}

/// The line under a clean's table with QQ rows: which kinds, which age, what never goes.
pub fn clean_note(kinds: &[super::CacheKind], older_than: Option<&str>) -> String {
    let kinds = if kinds.is_empty() {
        super::CacheKind::defaults()
    } else {
        kinds.to_vec()
    };
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    tf!(
        "qqcache.clean_note",
        age = older_than.unwrap_or("3d"),
        kinds = names.join(", ")
    )
}

/// `doctor`: QQ's cache in all, against the threshold.
pub fn doctor_finding(
    r: &QqCacheReport,
    threshold: u64,
) -> Option<(bool, Msg, Option<Msg>, serde_json::Value)> {
    if r.roots.is_empty() {
        return None;
    }
    let folders: usize = r.roots.iter().map(|x| x.reports.len()).sum();
    let data = json!({"bytes": r.total.bytes, "files": r.total.files, "threshold": threshold, "folders": folders});
    Some(if r.total.bytes > threshold {
        (
            false,
            msg!(
                "doctor.qq_cache_big",
                size = human_size(r.total.bytes),
                folders = folders,
                limit = human_size(threshold)
            ),
            Some(msg!("doctor.remedy_qq_cache")),
            data,
        )
    } else {
        (
            true,
            msg!(
                "doctor.qq_cache_ok",
                size = human_size(r.total.bytes),
                folders = folders
            ),
            None,
            data,
        )
    })
}
