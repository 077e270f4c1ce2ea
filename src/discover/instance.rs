//! An instance: one bot stack at one place (`llbot@/srv/bots/a`) — its install, its data folder,
//! its accounts, its owner and the processes that are its own. `detect --json`'s `bots` lists
//! them in one shape for every stack (the LLOneBot plugin, LLBot, NapCat), and every command
//! works on them one by one: a machine holds as many as its users run.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Account, AccountConnections, LlOneBot, NapCat, Source, account_connections};
use crate::i18n::Msg;
use crate::owner::Owner;
use crate::process::QqProcess;
use crate::stack::Stack;

/// How an LLBot runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// PMHQ starts QQ and the bot drives it.
    Pmhq,
    /// A protocol client: no QQ process at all (LLBot 8 default).
    Headless,
}

/// Why a process was taken for an instance (`detect -v` says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum Assigned {
    /// Its executable lies in the install.
    Executable,
    /// Its working folder lies in the install.
    WorkingDir,
    /// It descends from a process of the instance (the QQ that PMHQ started).
    ChildOf { pid: u32 },
    /// A QQ whose `LITELOADERQQNT_PROFILE` names the instance's profile.
    ProfileEnv,
    /// A QQ of the install whose LiteLoaderQQNT hook loads the instance's profile.
    HookedQq,
    /// A QQ whose NapCat variables name the instance's folder or work dir.
    NapcatEnv,
    /// A QQ of the install whose `package.json` loads the instance's NapCat.
    NapcatLoader,
    /// A helper of a main process of the instance.
    HelperOf { pid: u32 },
}

#[derive(Debug, Clone, Serialize)]
pub struct BotProcess {
    pub pid: u32,
    /// The process to stop and start again (the others follow it).
    pub main: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::stack::Role>,
    pub name: String,
    /// The main process whose group it belongs to (one install started twice: two groups).
    pub group: u32,
    /// The user it runs as (Unix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// Why it is this instance's.
    pub why: Assigned,
}

/// An instance seen in another mount namespace (a Docker or Podman container).
#[derive(Debug, Clone, Serialize)]
pub struct Container {
    /// A process of it, through which its files are seen (`/proc/<pid>/root`).
    pub pid: u32,
    /// The install as the container sees it.
    #[serde(serialize_with = "crate::output::path::one")]
    pub install_inside: PathBuf,
    /// The data folder as the container sees it.
    #[serde(serialize_with = "crate::output::path::one")]
    pub data_dir_inside: PathBuf,
    /// Whether the data folder was mapped to a folder of the host (a bind mount); otherwise it
    /// lives only inside the container and is not cleaned from outside.
    pub mapped: bool,
}

/// One bot stack at one place, whatever its kind: `detect --json`'s `bots` list.
#[derive(Debug, Clone, Serialize)]
pub struct Instance {
    /// A short stable name: `<stack>@<place>` (`llbot@/srv/bots/a`), for `--instance`, job
    /// names and metric labels.
    pub id: String,
    /// `llonebot` for every LLOneBot/LLBot version, plugin or standalone.
    pub kind: &'static str,
    /// The stack description it was found by (`llonebot_plugin`, `llbot`).
    pub stack: &'static str,
    pub version: Option<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::output::path::opt"
    )]
    pub version_file: Option<PathBuf>,
    /// Why the version may be off (a stale package.json).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_note: Option<Msg>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::output::path::opt"
    )]
    pub install: Option<PathBuf>,
    #[serde(serialize_with = "crate::output::path::one")]
    pub data_dir: PathBuf,
    pub data_dir_exists: bool,
    /// Its temp folder, when it exists (NapCat keeps it apart from its work dir).
    #[serde(serialize_with = "crate::output::path::opt")]
    pub temp_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    pub accounts: Vec<Account>,
    /// Each account's enabled OneBot connections (LLOneBot 4.x+ configs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<AccountConnections>,
    /// The user its data folder belongs to (Unix).
    pub owner: Option<Owner>,
    /// Seen in a container: its processes run in another mount namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<Container>,
    pub processes: Vec<BotProcess>,
    /// Its processes, to stop and restart (never printed: environments hold secrets).
    #[serde(skip)]
    pub running: Vec<QqProcess>,
    /// The folders `clean` plans in, each with the stack whose table says what may go.
    #[serde(skip)]
    pub roots: Vec<(&'static Stack, PathBuf)>,
    /// The QQ install it runs in (the plugin and NapCat run inside QQ).
    #[serde(skip)]
    pub qq_install: Option<PathBuf>,
    pub found_via: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_via_detail: Option<String>,
}

impl Instance {
    /// The stack's facts.
    pub fn stack_def(&self) -> &'static Stack {
        crate::stack::by_id(self.stack).unwrap_or(&crate::stack::llonebot_plugin::STACK)
    }

    /// Any of its processes runs.
    pub fn is_running(&self) -> bool {
        !self.running.is_empty()
    }

    /// The PIDs of its main processes, one per process group.
    pub fn main_pids(&self) -> Vec<u32> {
        self.running
            .iter()
            .filter(|p| p.main)
            .map(|p| p.pid)
            .collect()
    }

    /// Does `dir` name this instance: its install, its data folder, or a folder of its own?
    pub fn is_named_by(&self, dir: &Path) -> bool {
        let same = |a: &Path| same_folder(a, dir);
        self.install.as_deref().is_some_and(same)
            || same(&self.data_dir)
            || self.roots.iter().any(|(_, r)| same(r))
    }

    /// Takes `processes` as its own, each with why; marks the main ones (a process whose
    /// parent is not one of the instance's) and each one's group.
    pub fn adopt(&mut self, processes: Vec<(QqProcess, Option<crate::stack::Role>, Assigned)>) {
        for (p, role, why) in processes {
            if self.running.iter().any(|r| r.pid == p.pid) {
                continue;
            }
            self.processes.push(BotProcess {
                pid: p.pid,
                main: false,
                role,
                name: p.name.clone(),
                group: p.pid,
                uid: p.uid,
                why,
            });
            self.running.push(p);
        }
        self.running.sort_by_key(|p| p.pid);
        self.processes.sort_by_key(|p| p.pid);
    }

    /// Marks main processes and groups from the parent relation within the instance: a main
    /// process is one whose parent is not the instance's (QQ's Electron helpers, already
    /// classified, never are).
    pub fn mark_groups(&mut self) {
        let pids: Vec<u32> = self.running.iter().map(|p| p.pid).collect();
        let parent_of = |pid: u32| -> Option<u32> {
            let p = self.running.iter().find(|p| p.pid == pid)?;
            p.parent.filter(|pp| pids.contains(pp) && *pp != pid)
        };
        let helper = |p: &QqProcess| {
            crate::process::has_type_arg(&p.cmd) || p.main_pid.is_some_and(|m| pids.contains(&m))
        };
        let mut groups = Vec::with_capacity(self.running.len());
        for p in &self.running {
            let mut top = p.pid;
            for _ in 0..pids.len() {
                match parent_of(top) {
                    Some(pp) => top = pp,
                    None => break,
                }
            }
            let main = top == p.pid && !helper(p);
            let top = if top == p.pid {
                p.main_pid.filter(|m| pids.contains(m)).unwrap_or(top)
            } else {
                top
            };
            groups.push((p.pid, main, top));
        }
        for (pid, main, group) in groups {
            if let Some(p) = self.running.iter_mut().find(|p| p.pid == pid) {
                p.main = main;
            }
            if let Some(b) = self.processes.iter_mut().find(|b| b.pid == pid) {
                b.main = main;
                b.group = group;
            }
        }
    }
}

/// The id of an instance: the stack's short name and its place.
pub fn make_id(stack: &Stack, place: &Path) -> String {
    format!(
        "{}@{}",
        stack.short,
        crate::winpath::plain(place).to_string_lossy()
    )
}

/// Two paths of one folder: equal, or the same file on disk.
pub fn same_folder(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (identity(a), identity(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Device and inode (Unix) of a folder itself, never through a final link.
pub fn identity(p: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(p).ok()?;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = p;
        None
    }
}

/// The plugin as an instance; its QQ processes are given to it by [`super::assign`].
pub(super) fn plugin_instance(l: &LlOneBot, profile: Option<&Path>) -> Instance {
    let stack = &crate::stack::llonebot_plugin::STACK;
    Instance {
        id: make_id(stack, &l.data_dir),
        kind: stack.bot,
        stack: stack.id,
        version: l.version.clone(),
        version_file: l.plugin_dir.as_ref().map(|d| d.join(stack.version.file)),
        version_note: None,
        install: l.plugin_dir.clone(),
        data_dir: l.data_dir.clone(),
        data_dir_exists: l.data_dir_exists,
        temp_dir: Some(l.data_dir.join("temp")).filter(|t| t.is_dir()),
        mode: None,
        accounts: l.accounts.clone(),
        connections: account_connections(&l.accounts),
        owner: None,
        container: None,
        processes: Vec::new(),
        running: Vec::new(),
        roots: if l.data_dir_exists {
            vec![(stack_for_data(l), l.data_dir.clone())]
        } else {
            Vec::new()
        },
        qq_install: None,
        found_via: l.source,
        found_via_detail: profile.map(|p| p.display().to_string()),
    }
}

/// A data folder given without its plugin (`--data-dir` of a standalone LLOneBot) is LLBot's.
fn stack_for_data(l: &LlOneBot) -> &'static Stack {
    if l.standalone {
        &crate::stack::llbot::STACK
    } else {
        &crate::stack::llonebot_plugin::STACK
    }
}

/// NapCat as an instance; its QQ processes are given to it by [`super::assign`].
pub(super) fn napcat_instance(n: &NapCat) -> Instance {
    let stack = &crate::stack::napcat::STACK;
    let config = |uin: &str| {
        Some(
            n.work_dir
                .join("config")
                .join(format!("onebot11_{uin}.json")),
        )
        .filter(|p| p.is_file())
    };
    Instance {
        id: make_id(stack, &n.work_dir),
        kind: stack.bot,
        stack: stack.id,
        version: n.version.clone(),
        version_file: n.version_file.clone(),
        version_note: None,
        install: n.dir.clone(),
        data_dir: n.work_dir.clone(),
        data_dir_exists: n.work_dir.is_dir(),
        temp_dir: n.temp_dir.clone(),
        mode: None,
        accounts: n
            .accounts
            .iter()
            .map(|uin| Account {
                uin: uin.clone(),
                config: config(uin),
                msg_db: None,
                database: None,
                database_files: Vec::new(),
            })
            .collect(),
        connections: Vec::new(),
        owner: None,
        container: None,
        processes: Vec::new(),
        running: Vec::new(),
        roots: n.roots(),
        qq_install: None,
        found_via: n.source,
        found_via_detail: n.source_detail.clone(),
    }
}
