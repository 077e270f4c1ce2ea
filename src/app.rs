//! What every command gets: the environment as discovery sees it, the user's overrides and
//! how to print. Built once from the global arguments, below every command.

use std::io::IsTerminal;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::discover::{self, Installation, Overrides};
use crate::env::{self, Env};
use crate::exit::Failure;
use crate::{msg, output, process};

fn plain(p: &Option<std::path::PathBuf>) -> Option<std::path::PathBuf> {
    p.as_deref().map(crate::winpath::plain)
}

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
        // NO_COLOR (no-color.org), and a terminal that says it cannot show any (TERM=dumb).
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let color = match g.color {
            ColorChoice::Always => {
                crate::console::enable_colours();
                true
            }
            ColorChoice::Never => false,
            // Colour only where the console shows it (Windows: virtual-terminal processing on).
            ColorChoice::Auto => {
                !no_color && std::io::stdout().is_terminal() && crate::console::enable_colours()
            }
        };
        Ok(App {
            env,
            // Windows: `C:/bots/LLOneBot` as typed becomes `C:\bots\LLOneBot`, so what is
            // joined to it and shown has one kind of separator.
            overrides: Overrides {
                qq_dir: plain(&g.qq_dir),
                ll_dir: plain(&g.ll_dir),
                profile: plain(&g.profile),
                data_dir: plain(&g.data_dir),
                llbot_dir: plain(&g.llbot_dir),
                napcat_dir: plain(&g.napcat_dir),
                qq_data: plain(&g.qq_data),
                instances: g.instances.clone(),
            },
            out: output::Output {
                json: g.json,
                quiet: g.quiet,
                verbose: g.verbose,
                color,
            },
        })
    }

    /// Lists the processes once and runs discovery.
    pub fn discover(&self) -> Result<Installation, Failure> {
        crate::signals::failpoint("discover");
        let mut seen = discover::Seen::from_os(self.env.platform);
        if let Some(root) = &self.env.root {
            // Inspecting another filesystem: only processes running from it belong to it.
            seen.qq.retain(|p| {
                p.exe
                    .as_deref()
                    .is_some_and(|e| process::exe_in_install(e, root))
            });
        }
        let mut inst = discover::discover_all(&self.env, &self.overrides, seen)?;
        // Paths of an inspected disk that could not be resolved inside it (`--fs-root`).
        inst.warnings
            .extend(
                crate::confine::take_problems()
                    .into_iter()
                    .map(|p| discover::Warning {
                        path: p.path,
                        problem: p.why,
                    }),
            );
        remember(&self.env, &inst);
        Ok(inst)
    }
}

/// Notes every LLBot and NapCat install seen running or named by a flag, so a later run finds
/// it while it is stopped.
fn remember(env: &Env, inst: &Installation) {
    use discover::Source;
    let seen = |stack: &str| -> Vec<&std::path::Path> {
        inst.instances
            .iter()
            .filter(|i| i.stack == stack && i.container.is_none())
            .filter(|i| matches!(i.found_via, Source::Process | Source::Flag) || i.is_running())
            .filter_map(|i| i.install.as_deref())
            .collect()
    };
    let llbot = seen(crate::stack::llbot::STACK.id);
    let napcat = seen(crate::stack::napcat::STACK.id);
    if !llbot.is_empty() || !napcat.is_empty() {
        discover::remembered::remember(env, &llbot, &napcat);
    }
}
