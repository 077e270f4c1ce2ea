//! LLOneBot standalone (5.x – 7.x) and LLBot (the 2026 CLI/Desktop, 8.x headless): its own
//! Node program, usually driving QQ through PMHQ. Facts read from LLOneBot/LuckyLilliaBot
//! (`src/common/globalVars.ts`: `DATA_DIR = path.resolve('data')`; `src/main/config/index.ts`:
//! `webui_token.txt`, `auth_token.txt`; `package-dist.json`: name `llonebot-dist`;
//! `docker/Dockerfile`: `WORKDIR /app/llbot`, `VOLUME /app/llbot/data`) and LLOneBot/LLBot.CLI
//! (`src/main.rs`: the launcher runs `bin/pmhq/pmhq`, which starts `bin/llbot/node llbot.js`, and
//! moves `<install>/data` to `<install>/bin/llbot/data`).

use super::{
    Look, Main, Name, Own, Processes, Program, Role, Shape, Stack, Stop, TargetSpec, VersionFile,
    llonebot_plugin,
};

const ID: &str = "llbot";

/// Log name families: `llonebot-` (3.19 – 5.x), `lltwobot-` (6.0 – 7.1), `llbot-` (7.2+).
pub const LOG_FAMILIES: &[&str] = &["llonebot-", "lltwobot-", "llbot-"];

// The rows have the plugin's shapes, places and switches (from `llonebot_plugin`), with LLBot's
// log names and store versions.
const MSG_DB: TargetSpec = TargetSpec {
    stack: ID,
    lost: "nothing: a LevelDB left over from LLOneBot 3.28 or older",
    ..llonebot_plugin::MSG_DB
};

const TEMP: TargetSpec = TargetSpec {
    stack: ID,
    lost: "nothing: downloads, conversions and update zips of past sends",
    ..llonebot_plugin::TEMP
};

const LOGS: TargetSpec = TargetSpec {
    stack: ID,
    shape: Shape::Log {
        families: LOG_FAMILIES,
    },
    ..llonebot_plugin::LOGS
};

const DATABASE: TargetSpec = TargetSpec {
    stack: ID,
    shape: Shape::Store {
        // <uin>.v3.db (8.0.8+), <uin>.v2.db (6.6.1 – 7.x), <uin>.db (3.29.0 – 6.6.0).
        stores: &[".v3.db", ".v2.db", ".db"],
    },
    lost: "LLBot's message ids: replies to and recalls of older messages stop working",
    ..llonebot_plugin::DATABASE
};

pub static STACK: Stack = Stack {
    id: ID,
    short: "llbot",
    bot: "llonebot",
    name: "LLBot",
    program: "LLBot",
    account_config: "config_<uin>.json",
    look: Look {
        profile_data: None,
        data_dir_flag: true,
    },
    version: VersionFile {
        // Beside llbot.js / llonebot.js; `llonebot` (5.x – 7.x) or `llonebot-dist` (8.x).
        file: "package.json",
        identity: ("name", "llonebot"),
        field: "version",
    },
    processes: Processes {
        own: Own::Programs(&[
            Program {
                role: Role::Launcher,
                names: &[Name::Is("llbot"), Name::Is("llbot.exe")],
                script: &[],
                // Console programs (LLBot.CLI's launcher, PMHQ): no window to ask.
                stop: Stop::ConsoleBreak,
            },
            Program {
                // `pmhq`, `pmhq.exe` and the arch-specific `pmhq-<platform>-<arch>`.
                role: Role::Pmhq,
                names: &[Name::Around {
                    prefix: "pmhq",
                    suffix: "",
                }],
                script: &[],
                // Console programs (LLBot.CLI's launcher, PMHQ): no window to ask.
                stop: Stop::ConsoleBreak,
            },
            Program {
                role: Role::Bot,
                names: &[Name::Is("node"), Name::Is("node.exe")],
                script: &["llbot.js", "llonebot.js"],
                // node in a console window (`node llbot.js`, a start.bat of the 5.x – 7.x zip).
                stop: Stop::ConsoleBreak,
            },
        ]),
        // The launcher is stopped and started again; what it started follows it.
        main: Main::FirstOf(&[Role::Launcher, Role::Pmhq, Role::Bot]),
    },
    targets: &[MSG_DB, TEMP, LOGS, DATABASE],
    must_keep: &[
        // The device identity: a new one looks like a new device to Tencent's risk control.
        Name::Is("machine_guid.bin"),
        // The login session.
        Name::SESSION,
        Name::Is("auth_token.txt"),
        Name::Is("webui_token.txt"),
        Name::Is("email_config.json"),
        Name::Is("default_config.json"),
        Name::Around {
            prefix: "config_",
            suffix: ".json",
        },
    ],
    data_markers: &[
        Name::Is("temp"),
        Name::Is("database"),
        Name::Is("logs"),
        Name::Is("machine_guid.bin"),
        Name::Is("webui_token.txt"),
        Name::SESSION,
        Name::CONFIG,
    ],
    nested_markers: &[],
    dir_name: None,
    log_families: LOG_FAMILIES,
};

/// Package names of the program's `package.json`.
pub const PACKAGE_NAMES: &[&str] = &["llonebot", "llonebot-dist"];

/// Where the data dir lies relative to an install folder, newest layout first: the CLI and
/// Desktop since 2026-01, then the 5.x – 7.x zip and the older CLI.
pub const DATA_LAYOUTS: &[&str] = &["bin/llbot/data", "data"];

/// Where the program (`llbot.js`, `package.json`) lies relative to an install folder.
pub const PROGRAM_LAYOUTS: &[&str] = &["bin/llbot", ""];

/// Install folders to try without a process or a flag: the Docker image's `WORKDIR`. LLBot's
/// zips and the CLI are unpacked wherever the user likes, so the current folder is tried too.
pub const WELL_KNOWN: &[&str] = &["/app/llbot"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::Kind;

    #[test]
    fn never_cleaned() {
        let k = |kind| STACK.kind(kind).expect("kind");
        for name in [
            "machine_guid.bin",
            "qq-session-123.json",
            "auth_token.txt",
            "webui_token.txt",
            "email_config.json",
            "default_config.json",
            "config_123.json",
        ] {
            for kind in ["msg_db", "temp", "logs", "database"] {
                assert!(!k(kind).shape_ok(&[name]), "{name} as {kind}");
            }
        }
        assert!(k("database").shape_ok(&["database", "1.v3.db-wal"]));
        assert!(k("logs").shape_ok(&["logs", "lltwobot-2025-1-1 10-00-00.log"]));
        assert!(!k("logs").shape_ok(&["logs", "other.log"]));
        assert_ne!(k("temp"), Kind::Temp);
    }
}
