//! NapCat (NapNeko/NapCatQQ): it runs inside QQ (loaded through QQ's `package.json` `main`, by
//! NapCat Shell's launcher, or in Docker) and keeps its files in two places:
//! - its work dir (`$NAPCAT_WORKDIR`, else its own folder; on macOS
//!   `~/Library/Application Support/QQ/NapCat`): `config/`, `logs/`, `cache/`, `plugins/`;
//! - `<QQ data>/NapCat` (QQ's data folder: `~/.config/QQ` on Linux): `temp/` and the optional
//!   decrypted database cache `db_<uin>/`.
//!
//! Each place is a [`Stack`] value of its own (both `bot: "napcat"`), so the planner and the
//! guard work on one folder at a time as they do for LLOneBot.

use super::{
    Look, Main, Name, Own, Processes, Rows, Shape, Stack, Switch, TargetSpec, Types, VersionFile,
};

const ID: &str = "napcat";
const DATA_ID: &str = "napcat_data";

/// `cache/` in the work dir: NapCat Shell's login QR code (`qrcode.png`) and the ffmpeg
/// download cache; nothing there is read back once used, so it is cleaned by default.
pub const CACHE: TargetSpec = TargetSpec {
    stack: ID,
    kind: "cache",
    rows: Rows::Folder,
    folder: Some("cache"),
    shape: Shape::Any,
    types: Types::Any,
    walk: true,
    switch: Switch::Default,
    age: true,
    lost: "nothing: the last login QR code and downloads NapCat fetches again when needed",
};

/// NapCat's log files `logs/YYYY-MM-DD_HH-mm-ss.SSS.log` (written only with `fileLog: true`).
pub const LOGS: TargetSpec = TargetSpec {
    stack: ID,
    kind: "logs",
    rows: Rows::Folder,
    folder: Some("logs"),
    shape: Shape::Log { families: &[] },
    types: Types::NoFolders,
    walk: false,
    switch: Switch::Logs,
    age: true,
    lost: "the history `stats` reads (NapCat itself prunes logs older than 7 days)",
};

/// `<QQ data>/NapCat/temp`: downloads, conversions and upload pieces of sends.
pub const TEMP: TargetSpec = TargetSpec {
    stack: DATA_ID,
    kind: "temp",
    rows: Rows::Folder,
    folder: Some("temp"),
    shape: Shape::Any,
    types: Types::Any,
    walk: true,
    switch: Switch::Default,
    age: true,
    lost: "nothing: temporary files of past sends and downloads",
};

/// The facts shared by both places: NapCat lives in QQ's process.
const PROCESSES: Processes = Processes {
    own: Own::QqOfInstall,
    main: Main::ElectronWithoutType,
};

/// NapCat's work dir.
pub static STACK: Stack = Stack {
    id: ID,
    short: "napcat",
    bot: "napcat",
    name: "NapCat",
    program: "NapCat",
    account_config: "config/onebot11_<uin>.json",
    look: Look {
        profile_data: None,
        data_dir_flag: true,
    },
    // `package.json` says 0.0.1 in every release since v4.9: the version is read from
    // `napcat.mjs` or the log instead (`crate::discover`); this names the file only.
    version: VersionFile {
        file: MAIN_FILE,
        identity: ("", ""),
        field: "",
    },
    processes: PROCESSES,
    targets: &[CACHE, LOGS],
    must_keep: &[
        Name::Is("config"),
        Name::Is("plugins"),
        Name::Is("static"),
        Name::Is("quickLoginCache"),
        Name::Is(MAIN_FILE),
        Name::Is(PACKAGE),
    ],
    // `config/`, `logs/` and `cache/` are in many folders: an account's NapCat config or
    // `napcat.mjs` itself says the folder is NapCat's.
    data_markers: &[Name::Is(MAIN_FILE)],
    nested_markers: &[("config", ONEBOT_CONFIG), ("config", NAPCAT_CONFIG)],
    dir_name: None,
    log_families: &[],
};

/// `<QQ data>/NapCat`: the temp folder and the decrypted-database cache.
pub static DATA_STACK: Stack = Stack {
    id: DATA_ID,
    short: "napcat",
    bot: "napcat",
    name: "NapCat",
    program: "NapCat",
    account_config: "config/onebot11_<uin>.json",
    look: Look {
        profile_data: None,
        data_dir_flag: false,
    },
    version: VersionFile {
        file: MAIN_FILE,
        identity: ("", ""),
        field: "",
    },
    processes: PROCESSES,
    targets: &[TEMP],
    // `db_<uin>/` holds decrypted copies of QQ's databases, made on request: kept, since
    // rebuilding it needs the account's key and a running QQ.
    must_keep: &[Name::Uin {
        prefix: "db_",
        suffix: "",
    }],
    data_markers: &[
        Name::Is("temp"),
        Name::Uin {
            prefix: "db_",
            suffix: "",
        },
    ],
    nested_markers: &[],
    // A `temp/` is no mark of NapCat's: the folder is `<QQ data>/NapCat` by name.
    dir_name: Some("NapCat"),
    log_families: &[],
};

/// The OneBot config of an account, `config/onebot11_<uin>.json`.
pub const ONEBOT_CONFIG: Name = Name::Uin {
    prefix: "onebot11_",
    suffix: ".json",
};

/// NapCat's own config of an account, `config/napcat_<uin>.json`.
pub const NAPCAT_CONFIG: Name = Name::Uin {
    prefix: "napcat_",
    suffix: ".json",
};

/// Loader file names QQ's `package.json` `main` points at when NapCat is hooked in.
pub const LOADERS: &[&str] = &["loadNapCat.js", "loadNapCat.cjs"];

/// The backup the manual install leaves next to QQ's `package.json`.
pub const ORIGINAL_PACKAGE: &str = "package.napcat-original.json";

/// NapCat's `package.json` (it says 0.0.1 whatever the release).
pub const PACKAGE: &str = "package.json";

/// NapCat's entry file in its folder.
pub const MAIN_FILE: &str = "napcat.mjs";

/// The environment variable that moves the work dir.
pub const WORKDIR_VAR: &str = "NAPCAT_WORKDIR";

/// Set by NapCat Shell's Windows launcher in QQ's environment: the path of `napcat.mjs`.
pub const SHELL_MAIN_VAR: &str = "NAPCAT_MAIN_PATH";

/// NapCat.Shell's Windows launcher (in the Shell zip beside `launcher.bat`,
/// `launcher-user.bat`, `launcher-win10.bat` and `launcher-win10-user.bat`, each of which runs
/// `NapCatWinBootMain.exe "<QQ.exe>" "<NapCatWinBootHook.dll>" %*` from the NapCat folder): it
/// starts QQ.exe with NapCat injected.
pub const SHELL_LAUNCHER: &str = "NapCatWinBootMain.exe";

/// The DLL the launcher injects into QQ.
pub const SHELL_HOOK: &str = "NapCatWinBootHook.dll";

/// Set by NapCat.Shell's launcher scripts in QQ's environment: the launcher and the DLL.
pub const SHELL_LAUNCHER_VAR: &str = "NAPCAT_LAUNCHER_PATH";
pub const SHELL_HOOK_VAR: &str = "NAPCAT_INJECT_PATH";

/// The log line that carries the version.
pub const VERSION_LOG_MARK: &str = "NapCat.Core Version: ";

/// The fallback version string compiled in beside the real one.
pub const DEV_VERSION: &str = "1.0.0-dev";

/// NapCat deletes its own logs older than this at start-up (days).
pub const LOG_PRUNE_DAYS: u64 = 7;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::Kind;

    #[test]
    fn configs_plugins_and_db_caches_are_never_targets() {
        assert!(Kind(&CACHE).shape_ok(&["cache", "qrcode.png"]));
        assert!(Kind(&LOGS).shape_ok(&["logs", "2026-01-02_03-04-05.678.log"]));
        assert!(!Kind(&LOGS).shape_ok(&["config", "onebot11_1.json"]));
        assert!(!Kind(&CACHE).shape_ok(&["config", "napcat_1.json"]));
        assert!(Kind(&TEMP).shape_ok(&["temp", "a.jpg"]));
        assert!(!Kind(&TEMP).shape_ok(&["db_123", "nt_msg.db"]));
        assert!(ONEBOT_CONFIG.matches("onebot11_123.json"));
        assert!(STACK.is_data_marker(MAIN_FILE) && DATA_STACK.is_data_marker("db_1"));
        assert!(!STACK.is_data_marker("config") && !STACK.is_data_marker("cache"));
    }
}
