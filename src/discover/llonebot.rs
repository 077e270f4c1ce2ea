//! LLOneBot: the plugin (by its manifest's slug), its data dir and the accounts in it. The
//! names and files come from the stack's description (`crate::stack::llonebot_plugin`).

use std::fs;
use std::path::{Path, PathBuf};

use super::{Account, Ctx, LiteLoader, LlOneBot, Outcome, Reason, Source, What, is_dir, str_field};
use crate::exit::Failure;
use crate::msg;
use crate::stack::llonebot_plugin::STACK;

pub use crate::stack::uin_of;

/// Is this directory entry one of the things an LLOneBot data dir holds?
pub fn is_data_dir_marker(name: &str) -> bool {
    STACK.is_data_marker(name)
}

/// A folder that holds at least one of `config_<uin>.json`, `msg_<uin>`, `temp`, `database`, `logs`.
pub fn looks_like_data_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_str().is_some_and(is_data_dir_marker))
    })
}

/// Every account that has a config, a legacy `msg_<uin>` LevelDB or a `database/` store.
pub fn scan_accounts(data_dir: &Path) -> Vec<Account> {
    let mut accounts: Vec<Account> = Vec::new();
    fn entry<'a>(accounts: &'a mut Vec<Account>, uin: &str) -> &'a mut Account {
        if let Some(i) = accounts.iter().position(|a| a.uin == uin) {
            return &mut accounts[i];
        }
        let i = accounts.len();
        accounts.push(Account {
            uin: uin.to_string(),
            config: None,
            msg_db: None,
            database: None,
            database_files: Vec::new(),
        });
        &mut accounts[i]
    }
    for e in fs::read_dir(data_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        let Ok(ft) = e.file_type() else { continue };
        // Whatever it is: a config that is a folder, a link loop or a device is the account's
        // config all the same, and reading it says what is wrong with it.
        if let Some(uin) = uin_of(&name, "config_", ".json") {
            entry(&mut accounts, uin).config = Some(e.path());
        } else if let Some(uin) = uin_of(&name, "msg_", "").filter(|_| ft.is_dir()) {
            entry(&mut accounts, uin).msg_db = Some(e.path());
        }
    }
    let db_dir = data_dir.join("database");
    for e in fs::read_dir(&db_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        if !e.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let uin = uin_of(&name, "", ".v3.db")
            .or_else(|| uin_of(&name, "", ".v2.db"))
            .or_else(|| uin_of(&name, "", ".db"));
        if let Some(uin) = uin {
            let a = entry(&mut accounts, uin);
            a.database_files.push(e.path());
            a.database_files.sort();
            // The newest store format wins: <uin>.v3.db (8.0.8+), <uin>.v2.db (6.6.1+), <uin>.db.
            a.database = [".v3.db", ".v2.db"]
                .iter()
                .find_map(|ext| {
                    a.database_files
                        .iter()
                        .find(|p| p.to_string_lossy().ends_with(ext))
                })
                .or(a.database_files.first())
                .cloned();
        }
    }
    accounts.sort_by(|a, b| (a.uin.len(), &a.uin).cmp(&(b.uin.len(), &b.uin)));
    accounts
}

pub(super) fn find(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    ll: Option<&LiteLoader>,
) -> Result<Option<LlOneBot>, Failure> {
    let plugin = ll.and_then(|ll| find_plugin(ctx, &ll.plugins_dir));

    let (data_dir, source) = if let Some(dir) = flag {
        super::check_override_dir("--data-dir", dir, "expect.data_dir")?;
        if !looks_like_data_dir(dir) {
            return Err(Failure::usage(msg!(
                "err.data_dir_not_llonebot",
                path = dir.display()
            )));
        }
        ctx.note(What::LlonebotData, dir, Outcome::Taken, None);
        (dir.to_path_buf(), Source::Flag)
    } else if let (Some(ll), Some(name)) = (ll, STACK.look.profile_data) {
        let dir = ll.data_dir.join(name);
        let found = is_dir(&dir);
        let result = if found {
            Outcome::Taken
        } else {
            Outcome::Missing
        };
        ctx.note(What::LlonebotData, &dir, result, None);
        if !found && plugin.is_none() {
            return Ok(None);
        }
        (dir, Source::Profile)
    } else {
        return Ok(None);
    };

    let exists = is_dir(&data_dir);
    let accounts = if exists {
        scan_accounts(&data_dir)
    } else {
        Vec::new()
    };
    for a in &accounts {
        if let Some(cfg) = &a.config {
            // Parsed only to report a broken file; its content is for the doctor.
            let _ = ctx.read_json(cfg);
        }
    }
    let (plugin_dir, version) = match plugin {
        Some((d, v)) => (Some(d), v),
        None => (None, None),
    };
    // A folder given with --data-dir is the plugin's only where the plugin keeps its data
    // (`<profile>/data/LLOneBot`); anything else is a standalone LLOneBot's or LLBot's, whatever
    // plugin is installed beside it.
    // With no plugin found, the plugin's own layout (`…/data/LLOneBot`; LLBot keeps its data in
    // `bin/llbot/data`) still says whose it is.
    let standalone = source == Source::Flag
        && match plugin_dir {
            Some(_) => !is_plugin_data(&data_dir, ll),
            None => !plugin_layout(&data_dir),
        };
    Ok(Some(LlOneBot {
        standalone,
        plugin_dir,
        version,
        data_dir,
        data_dir_exists: exists,
        source,
        accounts,
    }))
}

/// Is `dir` where the plugin keeps its data: `<profile>/data/LLOneBot`?
fn is_plugin_data(dir: &Path, ll: Option<&LiteLoader>) -> bool {
    let Some(name) = STACK.look.profile_data else {
        return false;
    };
    if let Some(ll) = ll
        && super::instance::same_folder(dir, &ll.data_dir.join(name))
    {
        return true;
    }
    dir.file_name().is_some_and(|n| n == name)
        && dir
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "data")
}

/// The plugin of another LiteLoaderQQNT profile (named by a running QQ's environment): its
/// data folder and plugin, when the data folder exists.
pub(super) fn find_in_profile(ctx: &mut Ctx, profile: &Path) -> Option<LlOneBot> {
    let name = STACK.look.profile_data?;
    let data_dir = profile.join("data").join(name);
    if !is_dir(&data_dir) {
        ctx.note(What::LlonebotData, &data_dir, Outcome::Missing, None);
        return None;
    }
    ctx.note(What::LlonebotData, &data_dir, Outcome::Taken, None);
    let plugin = find_plugin(ctx, &profile.join("plugins"));
    let (plugin_dir, version) = match plugin {
        Some((d, v)) => (Some(d), v),
        None => (None, None),
    };
    Some(LlOneBot {
        standalone: false,
        plugin_dir,
        version,
        accounts: scan_accounts(&data_dir),
        data_dir,
        data_dir_exists: true,
        source: Source::QqEnviron,
    })
}

/// Scans `<plugins>/*/manifest.json` for `manifest_version` 4 and slug `LLOneBot` (the stack's
/// version file and identity).
fn find_plugin(ctx: &mut Ctx, plugins: &Path) -> Option<(PathBuf, Option<String>)> {
    let what = What::LlonebotPlugin;
    let Ok(entries) = fs::read_dir(plugins) else {
        ctx.note(what, plugins, Outcome::Missing, None);
        return None;
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_dir(p))
        .collect();
    dirs.sort();
    for dir in dirs {
        let manifest = dir.join(STACK.version.file);
        let Some(v) = ctx.read_json(&manifest) else {
            continue;
        };
        let is_v4 = v.get("manifest_version").and_then(|m| m.as_u64()) == Some(4);
        let (key, value) = STACK.version.identity;
        if !is_v4 || str_field(&v, key) != Some(value) {
            continue;
        }
        let version = str_field(&v, STACK.version.field).map(str::to_string);
        if version.is_none() {
            ctx.warn(&manifest, msg!("warn.no_version"));
        }
        ctx.note(what, &dir, Outcome::Taken, None);
        return Some((dir, version));
    }
    ctx.note(what, plugins, Outcome::Rejected, Some(Reason::NotLlonebot));
    None
}

/// `<profile>/data/LLOneBot`: where only the plugin keeps its data.
fn plugin_layout(data_dir: &Path) -> bool {
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_lowercase())
    };
    name(Some(data_dir)).as_deref() == Some("llonebot")
        && name(data_dir.parent()).as_deref() == Some("data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uins_and_markers() {
        assert_eq!(
            uin_of("config_12345.json", "config_", ".json"),
            Some("12345")
        );
        assert_eq!(uin_of("config_.json", "config_", ".json"), None);
        assert_eq!(uin_of("config_12a.json", "config_", ".json"), None);
        assert_eq!(uin_of("msg_1511954122", "msg_", ""), Some("1511954122"));
        assert!(is_data_dir_marker("temp") && is_data_dir_marker("msg_1"));
        assert!(!is_data_dir_marker("Documents") && !is_data_dir_marker("msg_x"));
    }
}
