//! The command line: one `Command` variant per subcommand, global options shared by all.

// The doc comments here are clap's help texts, where `msg_<uin>` is meant literally, not HTML.
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::env::Platform;

mod help;
mod quotes;

pub use help::command;
pub use quotes::{render as render_swallowed_quote, swallowed_quote};

#[derive(Debug, Parser)]
#[command(
    name = "llob-doctor",
    version,
    about = "Finds every QQ bot on the machine (the LLOneBot plugin, LLBot, NapCat) and QQ's media \
             cache; cleans their caches safely; checks versions",
    after_help = "Exit codes: 0 ok, 1 problem found, 2 usage error or bad input, 3 nothing found, \
                  4 QQ is running, 5 some deletions failed, 6 another run holds the lock, 7 cleaned but \
                  QQ or the bot could not be started again, 8 a bot is down or offline (doctor), \
                  70 internal error (a bug), 130 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find QQ, LiteLoaderQQNT, every bot (the LLOneBot plugin, LLBot, NapCat) with its processes,
    /// and QQ's media cache, and say how each was found
    Detect,
    /// Compare installed QQ, LiteLoaderQQNT, LLOneBot plugin, LLBot and NapCat versions with the
    /// minimums and Tencent's login floor
    CheckVersions(CheckVersionsArgs),
    /// Remove bot caches with a preview first: the LLOneBot plugin's and LLBot's temp files and
    /// msg_<uin> leftovers, NapCat's temp and cache; with --qq-cache QQ's own media cache too
    Clean(CleanArgs),
    /// Count sends and send timeouts in the bots' log files (the LLOneBot plugin, LLBot 5.x to 8.x,
    /// NapCat), and which timeouts were delivered anyway
    Stats(StatsArgs),
    /// Run every check on each bot (the LLOneBot plugin, LLBot, NapCat) and on QQ's media cache:
    /// processes, discovery, versions, caches, configs, send timeouts
    Doctor(DoctorArgs),
    /// Ask each account's running bot (the LLOneBot plugin, LLBot, NapCat) for its version and
    /// status over HTTP
    Probe,
    /// Run clean unattended from cron, systemd, launchd or Windows Task Scheduler
    Schedule(ScheduleArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): the tool's, or a subcommand's (llob-doctor-clean(1))
    Man {
        #[arg(value_name = "SUBCOMMAND")]
        subcommand: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print one JSON document on stdout instead of the human report
    #[arg(long, global = true)]
    pub json: bool,

    /// Print errors only
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more (with detect: every candidate path tried and why it was taken or rejected)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// When to use colours (NO_COLOR turns them off for auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// The QQ install folder (the one holding QQ.exe, qq or QQ.app)
    #[arg(long, global = true, value_name = "DIR")]
    pub qq_dir: Option<PathBuf>,

    /// The LiteLoaderQQNT root folder (holding its package.json)
    #[arg(long, global = true, value_name = "DIR")]
    pub ll_dir: Option<PathBuf>,

    /// The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]
    #[arg(long, global = true, value_name = "DIR")]
    pub profile: Option<PathBuf>,

    /// The bot's data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a
    /// standalone LLOneBot, or a NapCat work dir
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)
    #[arg(long, global = true, value_name = "DIR")]
    pub llbot_dir: Option<PathBuf>,
    /// NapCat's folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)
    #[arg(long, global = true, value_name = "DIR")]
    pub napcat_dir: Option<PathBuf>,
    /// QQ's own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume)
    #[arg(long, global = true, value_name = "DIR")]
    pub qq_data: Option<PathBuf>,
    /// Only this bot instance: its id from `detect` (llbot@/srv/bots/a) or its folder; repeatable
    #[arg(long = "instance", global = true, value_name = "ID")]
    pub instances: Vec<String>,

    /// Inspect another system's layout: paths are read under --fs-root as this platform's
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "OS",
        requires = "fs_root"
    )]
    pub platform: Option<Platform>,

    /// A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)
    #[arg(long, global = true, value_name = "DIR")]
    pub fs_root: Option<PathBuf>,

    /// The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,
}

#[derive(Debug, Args)]
pub struct CheckVersionsArgs {
    /// The minimum QQ version, in any platform's form (9.9.15, 3.2.12, 6.9.53, 9.9.16-28788)
    #[arg(long, value_name = "VERSION")]
    pub min_qq: Option<String>,

    /// The minimum LLOneBot version (3.28 is taken as 3.28.0)
    #[arg(long, value_name = "VERSION")]
    pub min_llonebot: Option<String>,

    /// Tencent's login floor, when the built-in one is out of date: a build (34740) or a QQ
    /// version (9.9.19-34740, 3.2.17); --min-qq never changes it
    #[arg(long, value_name = "BUILD")]
    pub login_floor: Option<String>,
    /// The minimum NapCat version (none by default)
    #[arg(long, value_name = "VERSION")]
    pub min_napcat: Option<String>,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Show what would be removed, and remove nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Do not ask; required when not run from a terminal (cron, a pipe)
    #[arg(short, long)]
    pub yes: bool,

    /// Only these accounts (QQ numbers); repeatable
    #[arg(long, value_name = "UIN")]
    pub uin: Vec<String>,

    /// Also remove each bot's own log files in its logs/ (LLOneBot, LLBot, NapCat)
    #[arg(long)]
    pub logs: bool,

    /// Also remove LLOneBot's or LLBot's SQLite message store in database/ (message ids for replies and recalls are lost)
    #[arg(long)]
    pub database: bool,

    /// Only temp entries and logs older than this (e.g. 7d, 12h, 30m)
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub older_than: Option<String>,

    /// Also remove QQ's own media cache (files older than 3 days unless --older-than)
    #[arg(long)]
    pub qq_cache: bool,

    /// Which kinds of QQ's cache (implies --qq-cache) [default: all but file]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub qq_cache_kinds: Vec<crate::qq_cache::CacheKind>,

    /// Ask QQ to quit first, and wait for all its processes to be gone
    #[arg(long)]
    pub stop_qq: bool,

    /// Seconds to wait for QQ to quit
    #[arg(long, value_name = "SECS", default_value_t = 15)]
    pub stop_timeout: u64,

    /// Force-kill QQ processes still running after --stop-timeout
    #[arg(long, requires = "stop_qq")]
    pub force: bool,

    /// Start QQ again after cleaning, as it was started before
    #[arg(long, requires = "stop_qq")]
    pub restart_qq: bool,

    /// Run this command to stop the bot instead of --stop-qq (e.g. "docker stop llbot")
    #[arg(long, value_name = "CMD", conflicts_with = "stop_qq")]
    pub stop_cmd: Option<String>,

    /// Run this command after cleaning to start the bot again (e.g. "docker start llbot")
    #[arg(long, value_name = "CMD", requires = "stop_cmd")]
    pub start_cmd: Option<String>,

    /// Move to the OS trash instead of deleting
    #[arg(long)]
    pub trash: bool,

    /// Append one JSON line about this run to FILE (for scheduled runs)
    #[arg(long, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Warn when a bot's temp/ is larger than this (e.g. 1GiB, 500M)
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "1GiB",
        allow_hyphen_values = true
    )]
    pub temp_warn: String,

    /// Count send timeouts in the logs of this long ago (7d) or since this day (2024-08-01)
    #[arg(
        long,
        value_name = "WHEN",
        default_value = "7d",
        allow_hyphen_values = true
    )]
    pub since: String,

    /// Also ask each account's running bot (LLOneBot, LLBot, NapCat) over HTTP (get_version_info,
    /// get_status)
    #[arg(long)]
    pub probe: bool,

    /// Warn when QQ's own media cache is larger than this in all
    #[arg(long, value_name = "SIZE", default_value = "5GiB")]
    pub qq_cache_warn: String,

    /// Only check that each bot runs and its log does not say it went offline (fast; for a
    /// watchdog: exit 0, or 8 when one is down or offline)
    #[arg(long, conflicts_with_all = ["probe", "prometheus"])]
    pub liveness: bool,

    /// Print each bot's health as Prometheus metrics (for node_exporter's textfile collector)
    #[arg(long)]
    pub prometheus: bool,

    /// Write the metrics to FILE atomically (a temporary file, then a rename) instead of stdout
    #[arg(long, value_name = "FILE", requires = "prometheus")]
    pub output: Option<PathBuf>,

    /// The run log of scheduled cleans to read (default: the one `schedule` writes)
    #[arg(long, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleAction {
    /// Register the job (replacing an earlier one of the same name)
    Install,
    /// Remove the job (with --instance ID: that instance's; with --all: every one)
    Remove,
    /// Show every job, where it is, and its next and last run
    Show,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Cron,
    Systemd,
    Launchd,
    Schtasks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Every {
    Day,
    Week,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples: llob-doctor schedule install --at 04:30 -- --stop-qq --restart-qq --older-than 3d; \
                  one job per bot: llob-doctor --instance llbot@/srv/bots/a schedule install --at 04:30"
)]
pub struct ScheduleArgs {
    #[arg(value_enum)]
    pub action: ScheduleAction,

    /// The time of day to run, HH:MM in local time (install)
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,

    /// How often to run
    #[arg(long, value_enum, default_value_t = Every::Day)]
    pub every: Every,

    /// The day, with --every week [default: sun]
    #[arg(long, value_enum)]
    pub weekday: Option<Weekday>,

    /// The scheduler [default: schtasks on Windows, launchd on macOS, cron elsewhere]
    #[arg(long, value_enum, conflicts_with = "systemd")]
    pub backend: Option<Backend>,

    /// Use a systemd user timer (same as --backend systemd)
    #[arg(long)]
    pub systemd: bool,

    /// Where each run appends its JSON line [default: clean.log in the user's data directory;
    /// an instance's job: clean-<its name>.log]
    #[arg(long, value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    /// remove: every job of ours, the one for all bots and each instance's
    #[arg(long)]
    pub all: bool,

    /// More arguments for the scheduled clean, after --
    #[arg(last = true, value_name = "CLEAN ARGS")]
    pub clean_args: Vec<String>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Log files, or folders holding them [default: logs/ of every bot found: LLOneBot, LLBot, NapCat]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Only from this day (2024-08-01) or this long ago (7d, 12h) on, on the log's local clock
    #[arg(long, value_name = "DATE|DURATION", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Print Prometheus metrics (for node_exporter's textfile collector) instead of the report
    #[arg(long)]
    pub prometheus: bool,

    /// Write the output to FILE atomically (a temporary file, then a rename) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
