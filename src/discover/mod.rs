//! Finds QQ, LiteLoaderQQNT and LLOneBot from an [`Env`], a list of processes and the user's
//! overrides. Reads only named candidate paths (never a disk-wide search) and records every
//! candidate in a trail, so `detect -v` can say why each was taken or rejected.

mod assign;
mod connections;
pub mod container;
mod instance;
mod liteloader;
pub mod llbot;
mod llonebot;
#[cfg(test)]
mod name_props;
mod napcat;
mod napcat_loader;
mod napcat_version;
mod paths;
mod profiles;
mod qq;
mod qq_update;
pub mod remembered;
pub mod shortcut;
mod trail;
pub use trail::{Outcome, Reason, Searched, Warning, What};
pub mod unpacked;
mod view;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::env::{Env, Platform};
use crate::exit::Failure;
use crate::msg;
use crate::process::QqProcess;
use crate::stack::Stack;

pub use connections::{AccountConnections, Connection, account_connections, enabled_connections};
pub use instance::{Assigned, BotProcess, Container, Instance, Mode, make_id, same_folder};
use instance::{napcat_instance, plugin_instance};
pub use liteloader::{parse_rc_block, require_args};
pub use llonebot::{is_data_dir_marker, looks_like_data_dir, scan_accounts, uin_of};
pub use napcat::{
    NapCat, config_uins as napcat_config_uins, import_target, looks_like_work_dir, version_in_log,
    version_in_main,
};
use paths::check_override_dir;
pub(crate) use paths::{is_dir, is_file, sub};
pub use qq_update::StagedUpdate;
pub(crate) use trail::{Capped, Ctx, read_capped, str_field};

/// Folders the user named on the command line (paths on this machine).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub qq_dir: Option<PathBuf>,
    pub ll_dir: Option<PathBuf>,
    pub profile: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub llbot_dir: Option<PathBuf>,
    /// NapCat's folder or work dir (`--napcat-dir`).
    pub napcat_dir: Option<PathBuf>,
    /// QQ's own data folder (`--qq-data`: `~/.config/QQ`, a Docker volume, `Tencent Files`).
    pub qq_data: Option<PathBuf>,
    /// Instances named by id or folder (`--instance`, repeatable).
    pub instances: Vec<String>,
}

/// How a component was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// A running process of what was found: QQ's (for QQ), or the stack's own program for a
    /// stack that runs apart from QQ (LLBot's launcher, node or PMHQ). `detect` names which.
    Process,
    /// A Windows registry value.
    Registry,
    /// A well-known install location.
    WellKnown,
    /// The `require(...)` in the launcher named by QQ's `package.json` `main`.
    Launcher,
    /// A `require(...)` prepended to QQ's `app_launcher/index.js` (LiteLoaderQQNT 1.1.x).
    IndexJs,
    /// `LITELOADERQQNT_PROFILE` in this process's environment.
    EnvVar,
    /// `LITELOADERQQNT_PROFILE` in a running QQ's environment.
    QqEnviron,
    /// A `# BEGIN LITELOADERQQNT` block in a shell start-up file.
    ShellRc,
    /// The Windows user environment (`HKCU\Environment`).
    UserEnvironment,
    /// The profile Flatpak QQ usually gets.
    Flatpak,
    /// No profile set: LiteLoaderQQNT uses its root.
    Root,
    /// LiteLoaderQQNT 1.3+ loaded as a QwQNT plugin: `<QwQNT data>/LiteLoader`.
    Qwqnt,
    /// `<profile>/data/LLOneBot`, beside the plugin scan.
    Profile,
    /// QQ's `package.json` `main` → `loadNapCat.(c)js` → its `import(...)`.
    NapcatLoader,
    /// `NAPCAT_WORKDIR` in this process's environment.
    NapcatWorkdir,
    /// NapCat's variables in a running QQ's environment (NapCat Shell).
    NapcatQqEnviron,
    /// Seen running, or named by a flag, by an earlier run (`places.json`).
    Remembered,
}

#[derive(Debug, Clone, Serialize)]
pub struct Qq {
    #[serde(serialize_with = "crate::output::path::one")]
    pub install_dir: PathBuf,
    #[serde(serialize_with = "crate::output::path::one")]
    pub executable: PathBuf,
    /// The folder holding QQ's `package.json` (`resources/app`, per version on new Windows).
    #[serde(serialize_with = "crate::output::path::opt")]
    pub app_dir: Option<PathBuf>,
    pub version: Option<String>,
    pub build: Option<u32>,
    pub platform: Platform,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_detail: Option<String>,
    /// The file the version was read from.
    #[serde(serialize_with = "crate::output::path::opt")]
    pub version_file: Option<PathBuf>,
    pub flatpak: bool,
    /// The hot-update copy that runs instead of the install folder's own app (macOS
    /// `…/QQ/versions/<ver>/QQUpdate.app`, Windows `versions\<ver>`), when there is one.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::output::path::opt"
    )]
    pub hot_update: Option<PathBuf>,
    /// An update QQ applies at its next start (`readyVersion` of `versions/config.json`).
    pub staged_update: Option<StagedUpdate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LiteLoader {
    #[serde(serialize_with = "crate::output::path::opt")]
    pub root: Option<PathBuf>,
    #[serde(serialize_with = "crate::output::path::one")]
    pub profile: PathBuf,
    #[serde(serialize_with = "crate::output::path::one")]
    pub data_dir: PathBuf,
    #[serde(serialize_with = "crate::output::path::one")]
    pub plugins_dir: PathBuf,
    pub version: Option<String>,
    /// How the root was found (`null` when only a profile was found).
    pub source: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_detail: Option<String>,
    pub profile_source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_source_detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub uin: String,
    #[serde(serialize_with = "crate::output::path::opt")]
    pub config: Option<PathBuf>,
    /// The legacy LevelDB folder `msg_<uin>` (LLOneBot 3.12 to 3.28).
    #[serde(serialize_with = "crate::output::path::opt")]
    pub msg_db: Option<PathBuf>,
    /// The SQLite store (`database/<uin>.v2.db`, else `database/<uin>.db`).
    #[serde(serialize_with = "crate::output::path::opt")]
    pub database: Option<PathBuf>,
    #[serde(serialize_with = "crate::output::path::many")]
    pub database_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LlOneBot {
    #[serde(serialize_with = "crate::output::path::opt")]
    pub plugin_dir: Option<PathBuf>,
    pub version: Option<String>,
    #[serde(serialize_with = "crate::output::path::one")]
    pub data_dir: PathBuf,
    pub data_dir_exists: bool,
    pub source: Source,
    /// A standalone LLOneBot (5.0+) data dir: no LiteLoaderQQNT plugin.
    pub standalone: bool,
    pub accounts: Vec<Account>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Installation {
    pub platform: Platform,
    /// The QQ install found first (a flag, a running QQ with its app, the registry, a
    /// well-known place).
    pub qq: Option<Qq>,
    /// Every QQ process on the machine; `verified` says whether it runs from a QQNT install.
    pub processes: Vec<QqProcess>,
    pub liteloader: Option<LiteLoader>,
    /// The LLOneBot data folder found first (the plugin's, or `--data-dir`).
    pub llonebot: Option<LlOneBot>,
    /// The NapCat of the first NapCat instance.
    pub napcat: Option<NapCat>,
    /// Every NapCat found, one per instance.
    #[serde(skip)]
    pub napcats: Vec<NapCat>,
    /// Every instance found: one stack at one place each (the plugin too).
    #[serde(rename = "bots")]
    pub instances: Vec<Instance>,
    pub searched: Vec<Searched>,
    pub warnings: Vec<Warning>,
}

impl Installation {
    /// The LLBot instance found first whose data dir exists.
    pub fn llbot(&self) -> Option<&Instance> {
        self.instances
            .iter()
            .find(|b| b.stack == crate::stack::llbot::STACK.id && b.data_dir_exists)
    }

    /// The instance whose data folder is worked on when a command takes one: the plugin's
    /// (or `--data-dir`), else the first LLBot's.
    pub fn main_instance(&self) -> Option<&Instance> {
        self.instances
            .iter()
            .find(|i| i.stack == crate::stack::llonebot_plugin::STACK.id && i.data_dir_exists)
            .or_else(|| {
                self.instances.iter().find(|i| {
                    i.stack == crate::stack::llbot::STACK.id
                        && i.data_dir_exists
                        && self.llonebot.as_ref().is_some_and(|l| l.standalone)
                })
            })
            .or_else(|| self.llbot())
    }

    /// The data dir of [`Installation::main_instance`].
    pub fn data_dir(&self) -> Option<&Path> {
        self.main_instance().map(|i| i.data_dir.as_path())
    }

    /// The stack of [`Installation::main_instance`]: its facts drive doctor.
    pub fn stack(&self) -> &'static Stack {
        match self.main_instance() {
            Some(i) => i.stack_def(),
            None => &crate::stack::llonebot_plugin::STACK,
        }
    }

    /// QQ processes that run from a QQNT install (all QQ-named ones when none is known).
    pub fn qq_processes(&self) -> impl Iterator<Item = &QqProcess> {
        self.processes.iter().filter(|p| p.verified != Some(false))
    }

    /// Looks an instance up by its id or by its place (install or data folder).
    pub fn instance(&self, wanted: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.id == wanted).or_else(|| {
            let p = Path::new(wanted);
            self.instances.iter().find(|i| i.is_named_by(p))
        })
    }
}

/// What discovery gets from the process list: QQ's processes, the stacks' own programs, and
/// every process's parent.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub qq: Vec<QqProcess>,
    pub bots: Vec<llbot::Running>,
    pub listing: crate::process::Listing,
}

impl Seen {
    /// Lists the processes of this machine once.
    pub fn from_os(platform: Platform) -> Seen {
        let listing = crate::process::list_for_discovery(platform, llbot::is_program_name);
        let (qq, rest): (Vec<QqProcess>, Vec<QqProcess>) = listing
            .procs
            .iter()
            .cloned()
            .partition(|p| crate::process::is_qq_name(platform, &p.name));
        Seen {
            qq,
            bots: llbot::running(rest),
            listing,
        }
    }
}

/// Runs the whole discovery. Fails only for bad overrides (exit 2); anything missing on disk is
/// reported as `None` with the places searched.
pub fn discover(
    env: &Env,
    overrides: &Overrides,
    processes: Vec<QqProcess>,
) -> Result<Installation, Failure> {
    discover_all(
        env,
        overrides,
        Seen {
            qq: processes,
            ..Seen::default()
        },
    )
}

/// [`discover`], with the running processes of the stacks' own programs too.
pub fn discover_all(env: &Env, overrides: &Overrides, seen: Seen) -> Result<Installation, Failure> {
    let Seen {
        qq: mut processes,
        bots: llbot_processes,
        listing,
    } = seen;
    let mut ctx = Ctx {
        env,
        searched: Vec::new(),
        warnings: Vec::new(),
    };
    let qq = qq::find(&mut ctx, overrides.qq_dir.as_deref(), &processes)?;
    for p in &mut processes {
        p.verified = Some(qq::runs_qqnt(env.platform, p, qq.as_ref()));
    }
    let liteloader = liteloader::find(&mut ctx, overrides, qq.as_ref(), &processes)?;
    // A --data-dir that is a NapCat work dir (a Docker volume) is NapCat's, not LLOneBot's.
    let napcat_data = overrides
        .data_dir
        .as_deref()
        .filter(|d| napcat::looks_like_work_dir(d));
    let llonebot_flag = overrides
        .data_dir
        .as_deref()
        .filter(|_| napcat_data.is_none());
    let llonebot = llonebot::find(&mut ctx, llonebot_flag, liteloader.as_ref())?;
    let napcats = napcat::find_all(
        &mut ctx,
        overrides.napcat_dir.as_deref(),
        napcat_data,
        qq.as_ref(),
        &processes,
    )?;
    if env.home.is_none() {
        // Say it: without a home folder, every place under it was skipped.
        let var = if env.platform == Platform::Windows {
            "%USERPROFILE%"
        } else {
            "$HOME"
        };
        ctx.warn(Path::new(var), msg!("warn.no_home"));
    }
    let main_profile = liteloader.as_ref().map(|l| l.profile.clone());
    let mut instances: Vec<Instance> = llonebot
        .iter()
        .filter(|l| !l.standalone)
        .map(|l| plugin_instance(l, main_profile.as_deref()))
        .collect();
    instances.extend(profiles::other_profiles(
        &mut ctx,
        &processes,
        main_profile.as_deref(),
    ));
    let standalone_data = llonebot
        .as_ref()
        .filter(|l| l.standalone)
        .map(|l| l.data_dir.as_path());
    let flag = overrides.llbot_dir.as_deref();
    instances.extend(llbot::find_all(
        &mut ctx,
        flag,
        standalone_data,
        llbot_processes,
    )?);
    instances.extend(napcats.iter().map(napcat_instance));
    let plugin_install = liteloader
        .as_ref()
        .filter(|l| matches!(l.source, Some(Source::Launcher | Source::IndexJs)))
        .and(qq.as_ref())
        .map(|q| q.install_dir.clone());
    let clues = assign::Clues {
        napcats: &napcats,
        listing: &listing,
        main_profile: main_profile.as_deref(),
        plugin_install: plugin_install.as_deref(),
        env,
    };
    assign::assign_processes(&mut instances, &processes, &clues);
    assign::set_owners(&mut instances);
    assign::narrow(&mut instances, overrides);
    assign::choose(&mut instances, &overrides.instances)?;
    let napcat = instances
        .iter()
        .filter(|i| i.stack == crate::stack::napcat::STACK.id)
        .find_map(|i| {
            napcats
                .iter()
                .find(|n| same_folder(&n.work_dir, &i.data_dir))
        })
        .cloned();
    let llonebot = llonebot.filter(|l| {
        l.standalone
            || instances.iter().any(|i| {
                i.stack == crate::stack::llonebot_plugin::STACK.id && i.data_dir == l.data_dir
            })
    });
    Ok(Installation {
        platform: env.platform,
        qq,
        processes,
        liteloader,
        llonebot,
        napcat,
        napcats,
        instances,
        searched: ctx.searched,
        warnings: ctx.warnings,
    })
}
