//! QQ's own media cache (`nt_data`): found per account folder, measured per kind for `detect`
//! and `doctor`, and planned for `clean --qq-cache` as file entries that go through the same
//! executor and guard as every other clean.

pub mod discover;
pub mod kinds;
pub mod plan;
pub mod render;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::clean::plan::{Entry, EntryType, Kind, Only, Plan, Sweep, Target};
use crate::discover::Installation;
use crate::env::Env;
use crate::exit::Failure;
use crate::msg;
pub use discover::{CacheAccount, CacheRoot};
pub use kinds::CacheKind;
use plan::{Filter, Sum};

/// QQ's own rule: a file older than 259,199 s is cleanable.
pub const DEFAULT_AGE_SECS: u64 = 259_200;

#[derive(Debug, Clone, Serialize)]
pub struct AccountReport {
    #[serde(flatten)]
    pub account: CacheAccount,
    /// Per cache kind: files, bytes, newest change.
    pub kinds: BTreeMap<CacheKind, Sum>,
    pub total: Sum,
    /// Links not followed and mount points not crossed.
    #[serde(serialize_with = "crate::output::path::pairs")]
    pub skipped: Vec<(PathBuf, plan::Skip)>,
    /// Folders that could not be read.
    #[serde(serialize_with = "crate::output::path::pairs")]
    pub unreadable: Vec<(PathBuf, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RootReport {
    #[serde(flatten)]
    pub root: CacheRoot,
    pub reports: Vec<AccountReport>,
    pub hot_update: Sum,
}

/// What `detect` shows about QQ's cache.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QqCacheReport {
    pub roots: Vec<RootReport>,
    pub total: Sum,
}

/// Every data root found for this install (`--qq-data` replaces the search; a folder that
/// holds no QQ data is refused, exit 2).
pub fn find(
    env: &Env,
    inst: &Installation,
    flag: Option<&Path>,
) -> Result<Vec<CacheRoot>, Failure> {
    if let Some(dir) = flag {
        if !dir.is_dir() {
            return Err(Failure::usage(msg!(
                "err.qq_data_not_dir",
                path = dir.display()
            )));
        }
        if !discover::holds_qq_data(dir) {
            return Err(Failure::usage(msg!(
                "err.qq_data_not_qq",
                path = dir.display()
            )));
        }
    }
    let install = inst.qq.as_ref().map(|q| q.install_dir.as_path());
    Ok(discover::find(env, flag, install))
}

/// Sizes per kind of every account folder, all kinds, whatever their age.
pub fn measure(roots: Vec<CacheRoot>) -> QqCacheReport {
    let all: Vec<CacheKind> = kinds::KINDS.iter().map(|r| r.kind).collect();
    let filter = Filter {
        kinds: all,
        cutoff: None,
    };
    let mut report = QqCacheReport::default();
    for mut root in roots {
        let accounts = std::mem::take(&mut root.accounts);
        let mut reports = Vec::new();
        for account in accounts {
            let w = plan::walk(&account.nt_data, &filter);
            let mut total = Sum::default();
            for s in w.sums.values() {
                total.merge(s);
            }
            report.total.merge(&total);
            reports.push(AccountReport {
                account,
                kinds: w.sums,
                total,
                skipped: w.skipped,
                unreadable: w.unreadable,
            });
        }
        let hot_update = root
            .versions
            .as_deref()
            .map(|v| plan::hot_update(v, None).0)
            .unwrap_or_default();
        report.total.merge(&hot_update);
        root.accounts = reports.iter().map(|r| r.account.clone()).collect();
        report.roots.push(RootReport {
            root,
            reports,
            hot_update,
        });
    }
    report
}

/// What `clean --qq-cache` takes.
#[derive(Debug, Clone)]
pub struct Selection {
    pub kinds: Vec<CacheKind>,
    pub older_than: u64,
    /// Only account folders known to be these QQ numbers (empty: all).
    pub uins: Vec<String>,
}

/// One plan per `nt_data` (its entries checked against that folder by the guard), and one per
/// `versions` folder with hot-update leftovers. A row is one entry: its folder, swept file by
/// file when the clean runs (see [`plan`]).
pub fn plans(roots: &[CacheRoot], sel: &Selection) -> Vec<Plan> {
    let now = crate::clean::plan::age::now_precise();
    let cutoff = crate::clean::plan::age::cutoff(now.0, sel.older_than);
    let filter = Filter {
        kinds: sel.kinds.clone(),
        cutoff: Some(cutoff),
    };
    let mut out = Vec::new();
    for root in roots {
        for account in &root.accounts {
            if !sel.uins.is_empty()
                && !account
                    .uin
                    .as_ref()
                    .is_some_and(|u| sel.uins.iter().any(|x| x == u))
            {
                continue;
            }
            let w = plan::walk(&account.nt_data, &filter);
            let mut targets: Vec<Target> = w
                .rows
                .into_iter()
                .filter(|(_, row)| row.old.files > 0)
                .map(|((kind, path), row)| {
                    // Month folders (and the folders in them) left empty go; QQ makes them
                    // again. The top folders (`File/`, `log/`, …) stay.
                    let folders = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(kinds::is_month);
                    Target {
                        kind: Kind(crate::stack::qq_cache::spec(kind)),
                        uin: account.uin.clone(),
                        entries: vec![Entry {
                            path: path.clone(),
                            entry_type: EntryType::Dir,
                            files: row.old.files,
                            bytes: row.old.bytes,
                            newest: row.old.newest,
                            sweep: Some(Sweep {
                                cutoff,
                                of_files: row.of_files,
                                planned_at: now,
                                only: Only::QqCache(kind),
                                folders,
                            }),
                        }],
                        path,
                    }
                })
                .collect();
            targets.sort_by(|a, b| (a.kind_order(), &a.path).cmp(&(b.kind_order(), &b.path)));
            out.push(Plan {
                pins: crate::clean::remove::record(&account.nt_data, &[]),
                data_dir: account.nt_data.clone(),
                targets,
                unreadable: w.unreadable,
                unreadable_inside: Vec::new(),
            });
        }
        if let Some(v) = &root.versions
            && sel.kinds.contains(&CacheKind::HotUpdate)
            && sel.uins.is_empty()
        {
            let (_, entries) = plan::hot_update(v, filter.cutoff);
            if !entries.is_empty() {
                out.push(Plan {
                    pins: crate::clean::remove::record(v, &[]),
                    data_dir: v.clone(),
                    targets: vec![Target {
                        kind: Kind(crate::stack::qq_cache::spec(CacheKind::HotUpdate)),
                        uin: None,
                        path: v.clone(),
                        entries,
                    }],
                    unreadable: Vec::new(),
                    unreadable_inside: Vec::new(),
                });
            }
        }
    }
    out
}

trait KindOrder {
    fn kind_order(&self) -> usize;
}

impl KindOrder for Target {
    fn kind_order(&self) -> usize {
        match cache_kind(self.kind) {
            Some(k) => kinds::KINDS.iter().position(|r| r.kind == k).unwrap_or(0),
            None => 0,
        }
    }
}

/// The cache kind of a target kind, when it is a row of QQ's cache.
pub fn cache_kind(kind: Kind) -> Option<CacheKind> {
    match kind.spec().shape {
        crate::stack::Shape::QqCache(k) => Some(k),
        _ => None,
    }
}

/// The guard's question for a QQ cache entry: is the path (relative to the plan's folder, as
/// names) a file of this kind by the table, or a row folder of it (swept file by file, each
/// file asked again)? Never for anything on the never-touch list.
pub fn guard_allows(kind: CacheKind, parts: &[&str]) -> bool {
    match kind {
        CacheKind::HotUpdate => kinds::is_hot_update_zip(parts),
        k => {
            kinds::classify(parts).is_some_and(|(found, _)| found == k)
                || kinds::is_row_folder(k, parts)
        }
    }
}

/// The month of a row (`…/Pic/2024-05`), when it is a month folder.
pub fn month_of(kind: Kind, path: &Path) -> Option<String> {
    cache_kind(kind)?;
    let name = path.file_name()?.to_str()?;
    kinds::is_month(name).then(|| name.to_string())
}

/// A row's place for the preview: the part after `nt_data` (`Pic/2024-05`), or `versions`.
pub fn short_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    match parts.iter().rposition(|p| p == "nt_data") {
        Some(i) => parts[i + 1..].join(std::path::MAIN_SEPARATOR_STR),
        None => parts.last().cloned().unwrap_or_default(),
    }
}

/// Who a row belongs to: the QQ number, else `nt_qq_<first 8 hex>…`, or `global`.
pub fn account_label(path: &Path, uin: Option<&str>) -> String {
    if let Some(u) = uin {
        return u.to_string();
    }
    let names: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    match names.iter().rposition(|p| p == "nt_data") {
        Some(i) if i > 0 => {
            let folder = &names[i - 1];
            if discover::is_account_folder(folder) && folder.chars().count() > 14 {
                format!("{}…", folder.chars().take(14).collect::<String>())
            } else {
                folder.clone()
            }
        }
        _ => "-".into(),
    }
}

/// What `clean --qq-cache` works on: the data roots found and the selection.
#[derive(Debug, Clone)]
pub struct ForClean {
    pub roots: Vec<CacheRoot>,
    pub sel: Selection,
}

impl ForClean {
    /// The folder that holds the lock of a clean without an LLOneBot data folder.
    pub fn lock_dir(&self) -> Option<PathBuf> {
        self.roots.first().map(|r| r.path.clone())
    }
}

/// `None` unless `--qq-cache` or `--qq-cache-kinds` was given.
pub fn for_clean(
    env: &Env,
    inst: &Installation,
    qq_data: Option<&Path>,
    asked: bool,
    kinds: &[CacheKind],
    older_than: Option<u64>,
    uins: &[String],
) -> Result<Option<ForClean>, Failure> {
    if !asked && kinds.is_empty() {
        return Ok(None);
    }
    let roots = find(env, inst, qq_data)?;
    let mut kinds = if kinds.is_empty() {
        CacheKind::defaults()
    } else {
        kinds.to_vec()
    };
    kinds.sort();
    kinds.dedup();
    Ok(Some(ForClean {
        roots,
        sel: Selection {
            kinds,
            older_than: older_than.unwrap_or(DEFAULT_AGE_SECS),
            uins: uins.to_vec(),
        },
    }))
}
