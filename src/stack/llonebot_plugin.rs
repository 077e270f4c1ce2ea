//! LLOneBot as a LiteLoaderQQNT plugin (3.x – 4.9.4): it runs inside QQ, keeps its data in
//! `<LiteLoaderQQNT profile>/data/LLOneBot`, and is stopped and restarted with QQ.

use super::{
    Kind, Look, Main, Name, Own, Processes, Rows, Shape, Stack, Switch, TargetSpec, Types,
    VersionFile,
};

const ID: &str = "llonebot_plugin";

/// The plugin's manifest slug, which also names its data folder under `<profile>/data`.
pub const SLUG: &str = "LLOneBot";

/// The legacy LevelDB message store, `msg_<uin>` (3.12.0 – 3.28.7), removed whole.
pub const MSG_DB: TargetSpec = TargetSpec {
    stack: ID,
    kind: "msg_db",
    rows: Rows::PerEntry,
    folder: None,
    shape: Shape::Uin {
        prefix: "msg_",
        suffix: "",
    },
    types: Types::NoFiles,
    walk: true,
    switch: Switch::Default,
    age: false,
    lost: "the message-id map of LLOneBot up to 3.28 (replies to older messages); a leftover from 3.29 on",
};

/// Downloads and conversions in `temp/`, which LLOneBot never sweeps (the folder stays).
pub const TEMP: TargetSpec = TargetSpec {
    stack: ID,
    kind: "temp",
    rows: Rows::Folder,
    folder: Some("temp"),
    shape: Shape::Any,
    types: Types::Any,
    walk: true,
    switch: Switch::Default,
    age: true,
    lost: "nothing: temporary files of past sends",
};

/// Log files in `logs/`.
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
    lost: "the history `stats` reads",
};

/// The SQLite message-id store, `database/<uin>.db` (3.29.0 – 6.6.0) or `<uin>.v2.db` (6.6.1+).
pub const DATABASE: TargetSpec = TargetSpec {
    stack: ID,
    kind: "database",
    rows: Rows::PerAccount,
    folder: Some("database"),
    shape: Shape::Store {
        stores: &[".v2.db", ".db"],
    },
    types: Types::NoFolders,
    walk: false,
    switch: Switch::Database,
    age: false,
    lost: "LLOneBot's message ids: replies to and recalls of older messages stop working",
};

pub static STACK: Stack = Stack {
    id: ID,
    short: "llonebot",
    bot: "llonebot",
    name: "LLOneBot",
    program: "QQ",
    account_config: "config_<uin>.json",
    look: Look {
        profile_data: Some(SLUG),
        data_dir_flag: true,
    },
    version: VersionFile {
        file: "manifest.json",
        identity: ("slug", SLUG),
        field: "version",
    },
    processes: Processes {
        own: Own::QqOfInstall,
        main: Main::ElectronWithoutType,
    },
    targets: &[MSG_DB, TEMP, LOGS, DATABASE],
    must_keep: &[Name::Around {
        prefix: "config_",
        suffix: ".json",
    }],
    data_markers: &[
        Name::Is("temp"),
        Name::Is("database"),
        Name::Is("logs"),
        Name::CONFIG,
        Name::Uin {
            prefix: "msg_",
            suffix: "",
        },
    ],
    nested_markers: &[],
    dir_name: None,
    log_families: &[],
};

impl Kind {
    // The plugin's rows by their old names, for code and tests that name one.
    #[allow(non_upper_case_globals)]
    pub const MsgDb: Kind = Kind(&MSG_DB);
    #[allow(non_upper_case_globals)]
    pub const Temp: Kind = Kind(&TEMP);
    #[allow(non_upper_case_globals)]
    pub const Logs: Kind = Kind(&LOGS);
    #[allow(non_upper_case_globals)]
    pub const Database: Kind = Kind(&DATABASE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_keeps_configs_and_knows_each_shape() {
        assert!(Kind::MsgDb.shape_ok(&["msg_1"]));
        assert!(!Kind::MsgDb.shape_ok(&["config_1.json"]));
        assert!(Kind::Temp.shape_ok(&["temp", "\u{FFFD}"]));
        assert!(!Kind::Temp.shape_ok(&["temp"]));
        assert!(Kind::Logs.shape_ok(&["logs", "x.log.1"]));
        assert!(!Kind::Logs.shape_ok(&["logs", "x.log.bak"]));
        assert!(Kind::Database.shape_ok(&["database", "1.v2.db-shm"]));
        assert!(!Kind::Database.shape_ok(&["temp", "1.db"]));
        assert!(STACK.is_data_marker("msg_1") && !STACK.is_data_marker("msg_x"));
    }
}
