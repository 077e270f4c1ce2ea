//! What differs between bot stacks, as data. A [`Stack`] says where its data lives, how its
//! version is read, which processes are its own and which one is stopped and restarted, what
//! may be cleaned (a table of [`TargetSpec`] rows), what must never be, and how its logs are
//! named. The machinery that uses these facts (discovery, the planner, the guard, the executor)
//! lives elsewhere and knows no stack by name: adding a stack is adding a file here.

pub mod llbot;
pub mod llonebot_plugin;
pub mod napcat;
pub mod presence;
pub mod qq_cache;

use std::fmt;

use serde::{Serialize, Serializer};

/// One bot stack: the facts the commands need about it.
#[derive(Debug)]
pub struct Stack {
    /// A stable id (`llonebot_plugin`).
    pub id: &'static str,
    /// The short name an instance's id starts with (`llonebot@…`, `llbot@…`, `napcat@…`).
    pub short: &'static str,
    /// The bot family, as JSON names it (`llonebot` for every LLOneBot/LLBot version).
    pub bot: &'static str,
    /// The name shown to users.
    pub name: &'static str,
    /// The program a user starts, stops and restarts to run it ("start QQ", "restart LLBot").
    pub program: &'static str,
    /// An account's OneBot config, as its users know it (`config_<uin>.json`), `/`-separated.
    pub account_config: &'static str,
    /// Where to look for it.
    pub look: Look,
    /// Where its version is written.
    pub version: VersionFile,
    /// Which processes are its own, and which one is stopped and restarted.
    pub processes: Processes,
    /// What `clean` may remove, one row per target, in the order the preview lists them.
    pub targets: &'static [TargetSpec],
    /// Names directly in the data dir that are never removed, whatever a row says.
    pub must_keep: &'static [Name],
    /// Names whose presence makes a folder this stack's data dir.
    pub data_markers: &'static [Name],
    /// Files one folder down that do the same (`config/onebot11_<uin>.json`): names specific
    /// enough where the stack's top-level names (`config`, `cache`, `logs`) are not.
    pub nested_markers: &'static [(&'static str, Name)],
    /// The name the data dir itself must have, when the stack's folder is found by name.
    pub dir_name: Option<&'static str>,
    /// How its log files are named (prefixes of `<prefix><date time>.log`; empty: any `*.log`).
    pub log_families: &'static [&'static str],
}

/// Where a stack's data dir is found, relative to what discovery already knows.
#[derive(Debug)]
pub struct Look {
    /// The data dir's name under the LiteLoaderQQNT profile's `data/` folder (a plugin's slug).
    pub profile_data: Option<&'static str>,
    /// Whether `--data-dir` may name this stack's data dir.
    pub data_dir_flag: bool,
}

/// A JSON file that names the stack and its version.
#[derive(Debug)]
pub struct VersionFile {
    /// The file name (`manifest.json`), in the folder discovery found.
    pub file: &'static str,
    /// The field and value that say the file is this stack's (`slug` = `LLOneBot`).
    pub identity: (&'static str, &'static str),
    /// The field holding the version.
    pub field: &'static str,
}

/// Which processes belong to a stack.
#[derive(Debug, Clone, Copy)]
pub enum Own {
    /// QQ's processes whose executable lies in the QQ install found (the stack runs inside QQ).
    QqOfInstall,
    /// Programs of its own, told apart by name (and, for an interpreter, by its script).
    Programs(&'static [Program]),
}

/// What a program does in its stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Started by the user (or a service); starts the rest.
    Launcher,
    /// PMHQ: starts QQ and lets the bot drive it.
    Pmhq,
    /// The bot program itself (`node llbot.js`).
    Bot,
}

/// One program of a stack: the process names it runs under.
#[derive(Debug)]
pub struct Program {
    pub role: Role,
    pub names: &'static [Name],
    /// For an interpreter: the script one of its arguments must name (empty: none needed).
    pub script: &'static [&'static str],
    /// How it is asked to quit, and so how it is started again.
    pub stop: Stop,
}

/// How a program is asked to quit. Linux and macOS send SIGTERM either way; on Windows a
/// program with windows and a console program are stopped as Windows itself stops them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Stop {
    /// Windows: what Windows sends at log-off (`WM_QUERYENDSESSION`, `WM_ENDSESSION`) to its
    /// top-level windows; a `WM_CLOSE` would only hide QQ in the tray. QQ's way (every stack
    /// that runs inside QQ is stopped like this), and the way of any program with a window.
    #[default]
    EndSession,
    /// Windows: Ctrl-Break to its console, as when the user presses it in the console window
    /// (a console program has no window to send messages to); started again in a console of
    /// its own, where the user sees its output (LLBot's QR code and log). LLBot's launcher,
    /// PMHQ and node.
    ConsoleBreak,
}

impl Stop {
    /// Is the program started again in a new console of its own?
    pub fn new_console(self) -> bool {
        self == Stop::ConsoleBreak
    }
}

impl Program {
    /// Is a process with this name and command line this program?
    pub fn is(&self, name: &str, cmd: &[String]) -> bool {
        self.names.iter().any(|n| n.matches(name))
            && (self.script.is_empty()
                || cmd.iter().skip(1).any(|a| {
                    let file = a.rsplit(['/', '\\']).next().unwrap_or(a);
                    self.script.contains(&file)
                }))
    }
}

/// Which of a stack's processes is the one to stop (the rest follow it) and start again.
#[derive(Debug, Clone, Copy)]
pub enum Main {
    /// Electron's main process: the one without `--type=`.
    ElectronWithoutType,
    /// The first of these roles that runs.
    FirstOf(&'static [Role]),
}

#[derive(Debug)]
pub struct Processes {
    pub own: Own,
    pub main: Main,
}

/// A pattern for a file or folder name.
#[derive(Debug, Clone, Copy)]
pub enum Name {
    /// Exactly this name.
    Is(&'static str),
    /// `<prefix><uin><suffix>`: an account's entry (uin: 1 to 20 digits).
    Uin {
        prefix: &'static str,
        suffix: &'static str,
    },
    /// `<prefix>…<suffix>`, anything between.
    Around {
        prefix: &'static str,
        suffix: &'static str,
    },
}

impl Name {
    /// `config_<uin>.json`, an account's config.
    pub const CONFIG: Name = Name::Uin {
        prefix: "config_",
        suffix: ".json",
    };
    /// `qq-session-<uin>.json`, LLBot's login session.
    pub const SESSION: Name = Name::Around {
        prefix: "qq-session-",
        suffix: ".json",
    };

    pub fn matches(&self, name: &str) -> bool {
        match *self {
            Name::Is(n) => name == n,
            Name::Uin { prefix, suffix } => uin_of(name, prefix, suffix).is_some(),
            Name::Around { prefix, suffix } => {
                name.len() >= prefix.len() + suffix.len()
                    && name.starts_with(prefix)
                    && name.ends_with(suffix)
            }
        }
    }
}

/// The QQ number in `prefix<digits>suffix`.
pub fn uin_of<'a>(name: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    let uin = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (!uin.is_empty() && uin.len() <= 20 && uin.bytes().all(|b| b.is_ascii_digit())).then_some(uin)
}

/// The shape of a target's entry name.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Anything (the contents of a folder that is all cache).
    Any,
    /// An account's entry: `<prefix><uin><suffix>`.
    Uin {
        prefix: &'static str,
        suffix: &'static str,
    },
    /// A log file: `*.log` or a rotated `*.log.N`, starting with one of `families` (empty: any).
    Log { families: &'static [&'static str] },
    /// An account's SQLite store, `<uin><one of stores>`, and its `-wal`/`-shm`/`-journal` files.
    Store { stores: &'static [&'static str] },
    /// A file of QQ's media cache, several folders deep: the whole relative path is asked of
    /// the cache kinds table (`crate::qq_cache::kinds`), never a single name.
    QqCache(crate::qq_cache::CacheKind),
}

impl Shape {
    /// An entry of this shape is a path of several folders below the data dir, reached folder
    /// by folder when removed.
    pub fn is_deep(&self) -> bool {
        matches!(self, Shape::QqCache(_))
    }
}

/// What an entry matched: `Some(uin)` for an account's entry, `Some(None)` for a shared one.
pub type Matched<'a> = Option<Option<&'a str>>;

impl Shape {
    pub fn fits<'a>(&self, name: &'a str) -> Matched<'a> {
        match *self {
            Shape::Any => Some(None),
            Shape::Uin { prefix, suffix } => uin_of(name, prefix, suffix).map(Some),
            Shape::Log { families } => (is_log_name(name)
                && (families.is_empty() || families.iter().any(|f| name.starts_with(f))))
            .then_some(None),
            Shape::Store { stores } => {
                let base = ["-wal", "-shm", "-journal"]
                    .iter()
                    .find_map(|s| name.strip_suffix(s))
                    .unwrap_or(name);
                stores.iter().find_map(|s| uin_of(base, "", s)).map(Some)
            }
            Shape::QqCache(_) => None,
        }
    }
}

/// A log file: `*.log` (rotated `*.log.N` too). Stricter than what `stats` reads, because this
/// decides what `clean --logs` deletes.
pub fn is_log_name(name: &str) -> bool {
    name.ends_with(".log")
        || name
            .rsplit_once(".log.")
            .is_some_and(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()))
}

/// Which entry types a target takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Types {
    /// Files, folders and links alike.
    Any,
    /// Folders and links (a file with the name is not the stack's).
    NoFiles,
    /// Files and links (a folder with the name is not the stack's, and is never walked).
    NoFolders,
}

/// Which option turns a target on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// Cleaned by default.
    Default,
    /// Only with `--logs`.
    Logs,
    /// Only with `--database`.
    Database,
}

/// How a target's entries become rows of the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// One row per entry (a `msg_<uin>` folder, removed whole).
    PerEntry,
    /// One row for the folder's entries (`temp/`: the folder itself stays).
    Folder,
    /// One row per account, its main file standing for the row (`database/<uin>.db` and its side files).
    PerAccount,
}

/// One row of a stack's target table: what may be removed, where, and what is lost.
#[derive(Debug)]
pub struct TargetSpec {
    /// The stack the row belongs to ([`Stack::id`]).
    pub stack: &'static str,
    /// The target's name in the preview and in JSON (`msg_db`, `temp`, `logs`, `database`).
    pub kind: &'static str,
    /// The folder holding the entries, relative to the data dir (`None`: the data dir itself).
    pub folder: Option<&'static str>,
    pub shape: Shape,
    pub types: Types,
    /// Whether a folder entry is walked to measure it (a folder that is no target is not).
    pub walk: bool,
    pub switch: Switch,
    pub rows: Rows,
    /// Whether `--older-than` applies.
    pub age: bool,
    /// What the user loses when it goes.
    pub lost: &'static str,
}

/// A target kind: a row of some stack's table. Serialized as the row's `kind` name.
#[derive(Clone, Copy)]
pub struct Kind(pub &'static TargetSpec);

impl Kind {
    pub fn spec(self) -> &'static TargetSpec {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.kind
    }

    /// Does the path of an entry, relative to the data dir (`parts`, one per component),
    /// have this target's place and name? The guard's last word on shape.
    pub fn shape_ok(self, parts: &[&str]) -> bool {
        let spec = self.0;
        if let Shape::QqCache(k) = spec.shape {
            return crate::qq_cache::guard_allows(k, parts);
        }
        let name = match (spec.folder, parts) {
            (None, [name]) => {
                if must_keep(spec.stack, name) {
                    return false;
                }
                name
            }
            (Some(folder), [dir, name]) if *dir == folder => name,
            _ => return false,
        };
        spec.shape.fits(name).is_some()
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        (self.0.stack, self.0.kind) == (other.0.stack, other.0.kind)
    }
}

impl Eq for Kind {}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0.stack, self.0.kind)
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.kind)
    }
}

/// Every stack this build knows.
pub const ALL: &[&Stack] = &[
    &llonebot_plugin::STACK,
    &llbot::STACK,
    &napcat::STACK,
    &napcat::DATA_STACK,
    &qq_cache::STACK,
];

/// The stack with this id.
pub fn by_id(id: &str) -> Option<&'static Stack> {
    ALL.iter().copied().find(|s| s.id == id)
}

/// Is `name`, directly in a data dir of the stack `stack_id`, a name that must stay?
pub fn must_keep(stack_id: &str, name: &str) -> bool {
    by_id(stack_id).is_some_and(|s| s.must_keep.iter().any(|n| n.matches(name)))
}

impl Stack {
    /// Is this directory entry one of the things this stack's data dir holds?
    pub fn is_data_marker(&self, name: &str) -> bool {
        self.data_markers.iter().any(|n| n.matches(name))
    }

    /// The kind named `kind` in this stack's table.
    pub fn kind(&'static self, kind: &str) -> Option<Kind> {
        self.targets.iter().find(|t| t.kind == kind).map(Kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_its_own_stack_and_kinds_are_unique() {
        for s in ALL {
            for (i, t) in s.targets.iter().enumerate() {
                assert_eq!(t.stack, s.id, "{}", t.kind);
                assert!(
                    s.targets[..i].iter().all(|o| o.kind != t.kind),
                    "{}",
                    t.kind
                );
            }
        }
    }

    #[test]
    fn shapes() {
        let store = Shape::Store {
            stores: &[".v2.db", ".db"],
        };
        assert_eq!(store.fits("123.v2.db-wal"), Some(Some("123")));
        assert_eq!(store.fits("notes.db"), None);
        let log = Shape::Log {
            families: &["llbot-"],
        };
        assert_eq!(log.fits("llbot-2025-1-1 10-00-00.log"), Some(None));
        assert_eq!(log.fits("other.log"), None);
        assert!(
            Name::Around {
                prefix: "qq-session-",
                suffix: ".json"
            }
            .matches("qq-session-123.json")
        );
    }
}
