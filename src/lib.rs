//! llob-doctor: finds QQ, LiteLoaderQQNT and LLOneBot, cleans LLOneBot's caches safely and
//! checks versions. `main.rs` only parses and maps to an exit code; everything else is here.

// No unwrap or expect on data from disk, the user or the OS: a panic is never an answer.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod check_versions;
pub mod clap_msg;
pub mod clean;
pub mod cli;
pub mod confine;
pub mod console;
pub mod detect;
pub mod discover;
pub mod docs;
pub mod doctor;
pub mod env;
pub mod exit;
pub mod fleet;
pub mod fsread;
pub mod i18n;
pub mod listener;
#[cfg(test)]
pub(crate) mod name_props;
pub mod os;
pub mod outfile;
pub mod output;
pub mod owner;
pub mod policy;
pub mod probe;
pub mod process;
pub mod prom;
pub mod qq_cache;
pub mod schedule;
pub mod signals;
pub mod stack;
pub mod stats;
pub mod time;
pub mod version;
pub mod winpath;

use cli::{Cli, Command};
use exit::Exit;

use app::App;

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let result = run_command(cli);
    // Paths of an inspected disk that could not be resolved after discovery: said on stderr.
    for p in confine::take_problems() {
        stderr_line!("llob-doctor: {}: {}", clean::guard::shown(&p.path), p.why);
    }
    result
}

fn run_command(cli: Cli) -> anyhow::Result<Exit> {
    let app = App::from_args(&cli.global)?;
    match cli.command {
        Command::Detect => detect::run(&app),
        Command::Clean(args) => clean::run(&app, &args),
        Command::Stats(args) => stats::run(&app, &args),
        Command::Schedule(args) => schedule::run(&app, &args, cli.global.lang),
        Command::Doctor(args) => doctor::run(&app, &args),
        Command::Probe => {
            let args = cli::DoctorArgs {
                temp_warn: "1GiB".into(),
                since: "7d".into(),
                probe: true,
                qq_cache_warn: "5GiB".into(),
                liveness: false,
                prometheus: false,
                output: None,
                log_file: None,
            };
            doctor::run_probe_only(&app, &args)
        }
        Command::Completions { shell } => {
            output::write_stdout(&docs::completion_script(shell))?;
            Ok(Exit::Ok)
        }
        Command::Man { subcommand } => {
            output::write_stdout(&docs::man_page(subcommand.as_deref())?)?;
            Ok(Exit::Ok)
        }
        Command::CheckVersions(args) => check_versions::run(&app, &args),
    }
}
