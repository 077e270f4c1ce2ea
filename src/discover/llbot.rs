//! LLBot / standalone LLOneBot (5.x – 8.x): from a running launcher, node or PMHQ process, from
//! `--llbot-dir`, from `--data-dir`, or from the well-known places of `stack::llbot`; then its
//! data dir (`bin/llbot/data` or `data/`), version (`package.json`), accounts and processes.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use super::{Bot, BotProcess, Ctx, Mode, Outcome, Source, What, is_dir, is_file, str_field, sub};
use crate::exit::Failure;
use crate::i18n::Msg;
use crate::msg;
use crate::process::QqProcess;
use crate::stack::llbot::{DATA_LAYOUTS, PACKAGE_NAMES, PROGRAM_LAYOUTS, STACK, WELL_KNOWN};
use crate::stack::{Main, Own, Role};

/// A process of the stack, with the role its program plays.
#[derive(Debug, Clone, Serialize)]
pub struct Running {
    pub role: Role,
    #[serde(flatten)]
    pub process: QqProcess,
}

fn programs() -> &'static [crate::stack::Program] {
    match STACK.processes.own {
        Own::Programs(p) => p,
        Own::QqOfInstall => &[],
    }
}

/// Every process of the stack's programs on this machine, with the role each plays.
pub fn list_processes() -> Vec<Running> {
    let is_program = |n: &str| {
        programs()
            .iter()
            .any(|pr| pr.names.iter().any(|x| x.matches(n)))
    };
    crate::process::list_named(is_program)
        .into_iter()
        .filter_map(|mut p| {
            let program = programs().iter().find(|pr| pr.is(&p.name, &p.cmd))?;
            // Only QQ's main process carries LiteLoaderQQNT's profile; nothing here reads it.
            p.profile_env = None;
            p.stop = program.stop;
            Some(Running {
                role: program.role,
                process: p,
            })
        })
        .collect()
}

/// The install folder a directory belongs to: the folder holding `bin/llbot` (CLI, Desktop),
/// that folder seen from `bin/llbot` or `bin/pmhq`, or a folder holding the program itself
/// (the 5.x – 7.x zip).
fn install_of(dir: &Path) -> Option<PathBuf> {
    if is_dir(&sub(dir, "bin/llbot")) {
        return Some(dir.to_path_buf());
    }
    let name = dir.file_name().and_then(|n| n.to_str());
    let parent = dir.parent();
    if matches!(name, Some("llbot" | "pmhq"))
        && let Some(bin) = parent.filter(|p| p.file_name().is_some_and(|n| n == "bin"))
        && let Some(install) = bin.parent()
    {
        return Some(install.to_path_buf());
    }
    if program_dir(dir).is_some() {
        return Some(dir.to_path_buf());
    }
    None
}

/// The folder of the program (`llbot.js` or `llonebot.js` with its `package.json`).
fn program_dir(install: &Path) -> Option<PathBuf> {
    PROGRAM_LAYOUTS
        .iter()
        .map(|rel| sub(install, rel))
        .find(|d| {
            ["llbot.js", "llonebot.js"]
                .iter()
                .any(|s| is_file(&d.join(s)))
        })
}

/// The data dir of an install: the first layout that exists, else where the program would
/// make it (`path.resolve('data')` in its working directory).
fn data_dir_of(install: &Path) -> PathBuf {
    DATA_LAYOUTS
        .iter()
        .map(|rel| sub(install, rel))
        .find(|d| is_dir(d))
        .or_else(|| program_dir(install).map(|p| p.join("data")))
        .unwrap_or_else(|| sub(install, DATA_LAYOUTS[0]))
}

fn mtime(p: &Path) -> Option<SystemTime> {
    fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// The version from `package.json` beside the program, and a note when that file looks stale
/// (older than the program: LLBot 7.12.15 shipped a package.json that said 7.12.14).
fn version_of(ctx: &mut Ctx, program: &Path) -> (Option<String>, Option<PathBuf>, Option<Msg>) {
    let file = program.join(STACK.version.file);
    let Some(v) = ctx.read_json(&file) else {
        return (None, None, None);
    };
    if !str_field(&v, "name").is_some_and(|n| PACKAGE_NAMES.contains(&n)) {
        return (None, None, None);
    }
    let version = str_field(&v, STACK.version.field).map(str::to_string);
    let script = ["llbot.js", "llonebot.js"]
        .iter()
        .map(|s| program.join(s))
        .find(|p| is_file(p));
    let stale = script.as_ref().and_then(|s| {
        let (pkg, js) = (mtime(&file)?, mtime(s)?);
        let behind = js.duration_since(pkg).ok()?;
        (behind.as_secs() > 3600).then(|| {
            msg!(
                "detect.version_stale",
                file = file.display(),
                script = s.display()
            )
        })
    });
    (version, Some(file), stale)
}

/// Mode: PMHQ drives a QQ when a PMHQ process runs or the bot was given `--pmhq-port`;
/// headless when the bot runs without either. Unknown while nothing runs.
fn mode_of(procs: &[Running]) -> Option<Mode> {
    if procs.is_empty() {
        return None;
    }
    let pmhq = procs.iter().any(|r| r.role == Role::Pmhq)
        || procs
            .iter()
            .any(|r| r.process.cmd.iter().any(|a| a.starts_with("--pmhq-port")));
    Some(if pmhq { Mode::Pmhq } else { Mode::Headless })
}

/// Marks the main process: the first role of the stack's `Main` list that runs.
fn mark_main(procs: &mut [Running]) {
    let Main::FirstOf(roles) = STACK.processes.main else {
        return;
    };
    let main = roles
        .iter()
        .find_map(|role| procs.iter().position(|r| r.role == *role));
    if let Some(i) = main {
        procs[i].process.main = true;
    }
}

/// Does a process belong to this install? Its executable or working directory lies in it.
fn belongs(r: &Running, install: &Path) -> bool {
    let inside = |p: &Path| crate::process::exe_in_install(p, install);
    r.process.exe.as_deref().is_some_and(inside)
        || (r.role == Role::Bot && r.process.cwd.as_deref().is_some_and(inside))
}

/// Candidates in order, each with how it was found.
fn candidates(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    data_flag: Option<&Path>,
    procs: &[Running],
) -> Result<Vec<(PathBuf, Source, Option<String>)>, Failure> {
    let mut out = Vec::new();
    if let Some(dir) = flag {
        super::check_override_dir("--llbot-dir", dir, "what.llbot_install")?;
        // A folder named by the flag is that or nothing: what runs elsewhere does not stand in.
        if install_of(dir).is_none() {
            return Err(Failure::usage(msg!(
                "err.llbot_dir_not_llbot",
                path = dir.display()
            )));
        }
        out.push((dir.to_path_buf(), Source::Flag, None));
    }
    for r in procs {
        let from_exe = r.process.exe.as_deref().and_then(Path::parent);
        for dir in from_exe.into_iter().chain(r.process.cwd.as_deref()) {
            out.push((
                dir.to_path_buf(),
                Source::Process,
                Some(format!("PID {}", r.process.pid)),
            ));
        }
    }
    if let Some(data) = data_flag {
        // `<install>/data` or `<install>/bin/llbot/data`: the install is above it.
        for up in data.ancestors().skip(1).take(3) {
            out.push((up.to_path_buf(), Source::Flag, None));
        }
    }
    for p in WELL_KNOWN {
        out.push((ctx.env.resolve(p), Source::WellKnown, None));
    }
    if ctx.env.root.is_none()
        && let Ok(cwd) = std::env::current_dir()
    {
        out.push((cwd, Source::WellKnown, None));
    }
    Ok(out)
}

/// Finds LLBot. `data_flag` is `--data-dir` when it named a standalone data dir.
pub(super) fn find(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    data_flag: Option<&Path>,
    all_procs: Vec<Running>,
) -> Result<Option<Bot>, Failure> {
    let mut procs = all_procs;
    if let Some(root) = &ctx.env.root {
        // Inspecting another filesystem: only processes running from it belong to it.
        procs.retain(|r| {
            r.process
                .exe
                .as_deref()
                .is_some_and(|e| crate::process::exe_in_install(e, root))
        });
    }
    let mut found: Option<(PathBuf, Source, Option<String>)> = None;
    for (dir, source, detail) in candidates(ctx, flag, data_flag, &procs)? {
        match install_of(&dir) {
            Some(install) => {
                ctx.note(What::LlbotInstall, &dir, Outcome::Taken, None);
                found = Some((install, source, detail));
                break;
            }
            None => ctx.note(What::LlbotInstall, &dir, Outcome::Missing, None),
        }
    }
    let (install, source, detail) = match (found, data_flag) {
        (Some(f), _) => (Some(f.0), f.1, f.2),
        (None, Some(_)) => (None, Source::Flag, None),
        (None, None) => return Ok(None),
    };
    let data_dir = match (data_flag, &install) {
        (Some(d), _) => d.to_path_buf(),
        (None, Some(i)) => data_dir_of(i),
        (None, None) => return Ok(None),
    };
    let (version, version_file, version_note) = match install.as_deref().and_then(program_dir) {
        Some(p) => version_of(ctx, &p),
        None => (None, None, None),
    };
    if let Some(i) = &install {
        procs.retain(|r| belongs(r, i));
    } else {
        procs.clear();
    }
    mark_main(&mut procs);
    let exists = is_dir(&data_dir);
    let accounts = if exists {
        super::scan_accounts(&data_dir)
    } else {
        Vec::new()
    };
    // A config too large to be one is not read for its connections: said once, here.
    for cfg in accounts.iter().filter_map(|a| a.config.as_ref()) {
        let said = ctx.warnings.iter().any(|w| w.path == *cfg);
        if let (false, Err(super::Capped::TooLarge(bytes))) = (said, super::read_capped(cfg)) {
            ctx.warn(cfg, crate::msg!("warn.too_large", bytes = bytes));
        }
    }
    Ok(Some(Bot {
        kind: STACK.bot,
        stack: STACK.id,
        version,
        version_file,
        version_note,
        install,
        temp_dir: Some(data_dir.join("temp")).filter(|t| is_dir(t)),
        data_dir,
        data_dir_exists: exists,
        mode: mode_of(&procs),
        connections: super::bots::account_connections(&accounts),
        accounts,
        processes: procs
            .iter()
            .map(|r| BotProcess {
                pid: r.process.pid,
                main: r.process.main,
                role: Some(r.role),
                name: r.process.name.clone(),
            })
            .collect(),
        running: procs.into_iter().map(|r| r.process).collect(),
        found_via: source,
        found_via_detail: detail,
    }))
}
