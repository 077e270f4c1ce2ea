//! llob-doctor: finds QQ, LiteLoaderQQNT and LLOneBot, cleans LLOneBot's caches safely and
//! checks versions. `main.rs` only parses and maps to an exit code; everything else is here.

pub mod check_versions;
pub mod clean;
pub mod cli;
pub mod detect;
pub mod discover;
pub mod doctor;
pub mod env;
pub mod exit;
pub mod i18n;
pub mod os;
pub mod output;
pub mod policy;
pub mod probe;
pub mod process;
pub mod qq_cache;
pub mod schedule;
pub mod stats;
pub mod time;
pub mod version;

use std::io::IsTerminal;

use cli::{Cli, ColorChoice, Command, GlobalArgs};
use discover::{Installation, Overrides};
use env::Env;
use exit::{Exit, Failure};

/// What every command gets: the environment, the overrides and how to print.
pub struct App {
    pub env: Env,
    pub overrides: Overrides,
    pub out: output::Output,
}

impl App {
    pub fn from_args(g: &GlobalArgs) -> Result<App, Failure> {
        let mut env = Env::from_os();
        if let Some(root) = &g.fs_root {
            if !root.is_dir() {
                return Err(Failure::usage(msg!("err.fs_root", path = root.display())));
            }
            env.root = Some(root.clone());
            // Another system's disk: this machine's registry says nothing about it.
            env.registry = env::Registry::Fake(Default::default());
            env.platform = g.platform.unwrap_or(env.platform);
            env.home = env.default_home();
        }
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Ok(App {
            env,
            overrides: Overrides {
                qq_dir: g.qq_dir.clone(),
                ll_dir: g.ll_dir.clone(),
                profile: g.profile.clone(),
                data_dir: g.data_dir.clone(),
                qq_data: g.qq_data.clone(),
            },
            out: output::Output {
                json: g.json,
                quiet: g.quiet,
                verbose: g.verbose,
                color,
            },
        })
    }

    /// Lists QQ's processes and runs discovery.
    pub fn discover(&self) -> Result<Installation, Failure> {
        let mut procs = process::list_qq_processes(self.env.platform);
        if let Some(root) = &self.env.root {
            // Inspecting another filesystem: only processes running from it belong to it.
            procs.retain(|p| {
                p.exe
                    .as_deref()
                    .is_some_and(|e| process::exe_in_install(e, root))
            });
        }
        discover::discover(&self.env, &self.overrides, procs)
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let app = App::from_args(&cli.global)?;
    match cli.command {
        Command::Detect => detect::run(&app),
        Command::Clean(args) => clean::run(&app, &args),
        Command::Stats(args) => stats::run(&app, &args),
        Command::Schedule(args) => schedule::run(&app, &args),
        Command::Doctor(args) => doctor::run(&app, &args),
        Command::Probe => {
            let args = cli::DoctorArgs {
                temp_warn: "1GiB".into(),
                since: "7d".into(),
                probe: true,
                qq_cache_warn: "5GiB".into(),
            };
            doctor::run_probe_only(&app, &args)
        }
        Command::Completions { shell } => {
            let mut cmd = cli::command();
            clap_complete::generate(shell, &mut cmd, "llob-doctor", &mut std::io::stdout());
            Ok(Exit::Ok)
        }
        Command::Man => {
            let cmd = cli::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(Exit::Ok)
        }
        Command::CheckVersions(args) => check_versions::run(&app, &args),
    }
}
