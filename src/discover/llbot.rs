//! LLBot / standalone LLOneBot (5.x – 8.x): from a running launcher, node or PMHQ process, from
//! `--llbot-dir`, from `--data-dir`, or from the well-known places of `stack::llbot`; then its
//! data dir (`bin/llbot/data` or `data/`), version (`package.json`), accounts and processes.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use super::container::{self, in_container, inside_path, seen_from_host};
use super::instance::{Assigned, make_id, same_folder};
use super::{Ctx, Instance, Mode, Outcome, Reason, Source, What, is_dir, is_file, str_field, sub};
use crate::exit::Failure;
use crate::i18n::Msg;
use crate::msg;
use crate::process::QqProcess;
use crate::stack::llbot::{DATA_LAYOUTS, PACKAGE_NAMES, PROGRAM_LAYOUTS, STACK, WELL_KNOWN};
use crate::stack::{Own, Role};

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

/// Is this the name of one of the stack's programs (`llbot`, `pmhq…`, `node`)?
pub fn is_program_name(n: &str) -> bool {
    programs()
        .iter()
        .any(|pr| pr.names.iter().any(|x| x.matches(n)))
}

/// The processes of a listing that are the stack's programs, with the role each plays.
pub fn running(listed: Vec<QqProcess>) -> Vec<Running> {
    listed
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

/// Every process of the stack's programs on this machine, with the role each plays.
pub fn list_processes() -> Vec<Running> {
    running(crate::process::list_named(is_program_name))
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

/// Where a process runs, as a place to compare installs by: the mount namespace of a
/// container (`None` on the host) and the path as the process itself names it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    ns: Option<u64>,
    path: PathBuf,
}

/// Why a process is an install's: its executable or (for the bot program) its working folder
/// lies in it.
fn belongs(r: &Running, install: &Place, own_ns: Option<u64>) -> Option<Assigned> {
    let ns = in_container(&r.process, own_ns)
        .then_some(r.process.mnt_ns)
        .flatten();
    if ns != install.ns {
        return None;
    }
    let inside = |p: &Path| match ns {
        // Inside one container: the paths as the container sees them.
        Some(_) => container::inside_of(r.process.pid, p).starts_with(&install.path),
        None => crate::process::exe_in_install(p, &install.path),
    };
    if r.process.exe.as_deref().is_some_and(inside) {
        return Some(Assigned::Executable);
    }
    (r.role == Role::Bot && r.process.cwd.as_deref().is_some_and(inside))
        .then_some(Assigned::WorkingDir)
}

/// A place to look for an install, and how it was named.
struct Candidate {
    dir: PathBuf,
    source: Source,
    detail: Option<String>,
    /// The user of the process that named it, when that is another user than us: the install
    /// and its data must then be that user's all the way down.
    foreign_uid: Option<u32>,
    /// A process in a container: the mount namespace, and a PID to see its files through.
    container: Option<(u64, u32)>,
}

/// Candidates in order, each with how it was found.
fn candidates(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    data_flag: Option<&Path>,
    procs: &[Running],
    own_ns: Option<u64>,
) -> Result<Vec<Candidate>, Failure> {
    let mut out = Vec::new();
    let plain = |dir: PathBuf, source, detail| Candidate {
        dir,
        source,
        detail,
        foreign_uid: None,
        container: None,
    };
    if let Some(dir) = flag {
        super::check_override_dir("--llbot-dir", dir, "what.llbot_install")?;
        // A folder named by the flag is that or nothing: what runs elsewhere does not stand in.
        if install_of(dir).is_none() {
            return Err(Failure::usage(msg!(
                "err.llbot_dir_not_llbot",
                path = dir.display()
            )));
        }
        out.push(plain(dir.to_path_buf(), Source::Flag, None));
    }
    let me = crate::process::current_uid();
    for r in procs {
        let p = &r.process;
        let from_exe = p.exe.as_deref().and_then(Path::parent);
        let ns = in_container(p, own_ns).then_some(p.mnt_ns).flatten();
        for dir in from_exe.into_iter().chain(p.cwd.as_deref()) {
            let dir = match ns {
                Some(_) => seen_from_host(p.pid, &container::inside_of(p.pid, dir)),
                None => dir.to_path_buf(),
            };
            out.push(Candidate {
                dir,
                source: Source::Process,
                detail: Some(format!("PID {}", p.pid)),
                foreign_uid: p.uid.filter(|u| Some(*u) != me),
                container: ns.map(|n| (n, p.pid)),
            });
        }
    }
    if let Some(data) = data_flag {
        // `<install>/data` or `<install>/bin/llbot/data`: the install is above it.
        for up in data.ancestors().skip(1).take(3) {
            out.push(plain(up.to_path_buf(), Source::Flag, None));
        }
    }
    for p in WELL_KNOWN {
        out.push(plain(ctx.env.resolve(p), Source::WellKnown, None));
    }
    // Where users unpack the CLI and Desktop zips (and, on Windows, what shortcuts and
    // uninstall entries point at).
    for place in super::unpacked::places(ctx.env, super::unpacked::Kind::Llbot) {
        out.push(plain(place.dir, Source::WellKnown, place.detail));
    }
    for dir in super::remembered::load(ctx.env).llbot {
        out.push(plain(dir, Source::Remembered, None));
    }
    if ctx.env.root.is_none()
        && let Ok(cwd) = std::env::current_dir()
    {
        out.push(plain(cwd, Source::WellKnown, None));
    }
    Ok(out)
}

/// An install found, before its processes are given to it.
struct Found {
    install: PathBuf,
    place: Place,
    source: Source,
    detail: Option<String>,
    container: Option<(u64, u32)>,
}

/// Every LLBot install: named by a flag, run by a process (any user's, any container's), or
/// at a well-known place. `data_flag` is `--data-dir` when it named a standalone data dir.
pub(super) fn find_all(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    data_flag: Option<&Path>,
    all_procs: Vec<Running>,
) -> Result<Vec<Instance>, Failure> {
    let mut procs = all_procs;
    let own_ns = if ctx.env.root.is_some() {
        None
    } else {
        crate::process::own_mount_namespace()
    };
    if let Some(root) = &ctx.env.root {
        // Inspecting another filesystem: only processes running from it belong to it (node
        // may be the system's, running in the install's folder).
        procs.retain(|r| {
            let p = &r.process;
            [p.exe.as_deref(), p.cwd.as_deref()]
                .into_iter()
                .flatten()
                .any(|e| crate::process::exe_in_install(e, root))
        });
    }
    let mut found: Vec<Found> = Vec::new();
    let mut flag_found = false;
    for c in candidates(ctx, flag, data_flag, &procs, own_ns)? {
        let Some(install) = install_of(&c.dir) else {
            ctx.note(What::LlbotInstall, &c.dir, Outcome::Missing, None);
            continue;
        };
        if let Some(uid) = c.foreign_uid
            && c.container.is_none()
            && let Err(why) = trusted(&install, uid)
        {
            let detail = format!("{}: {}", c.detail.as_deref().unwrap_or(""), why);
            ctx.note_detail(
                What::LlbotInstall,
                &install,
                Outcome::Rejected,
                Some(Reason::Untrusted),
                detail,
            );
            continue;
        }
        flag_found |= c.source == Source::Flag && flag.is_some_and(|f| c.dir == f);
        if found.iter().any(|f| same_folder(&f.install, &install)) {
            continue;
        }
        ctx.note(What::LlbotInstall, &c.dir, Outcome::Taken, None);
        let place = match c.container {
            Some((ns, pid)) => Place {
                ns: Some(ns),
                path: inside_path(pid, &install).unwrap_or_else(|| install.clone()),
            },
            None => Place {
                ns: None,
                path: install.clone(),
            },
        };
        found.push(Found {
            install,
            place,
            source: c.source,
            detail: c.detail,
            container: c.container,
        });
    }
    if let (Some(dir), false) = (flag, flag_found) {
        return Err(Failure::usage(msg!(
            "err.override_not_dir",
            flag = "--llbot-dir",
            path = dir.display(),
            expected = crate::i18n::t("what.llbot_install")
        )));
    }
    let mut out: Vec<Instance> = found
        .into_iter()
        .map(|f| instance(ctx, f, data_flag, &procs, own_ns))
        .collect();
    // A standalone data dir named by --data-dir with no install above it.
    if let Some(d) = data_flag
        && !out.iter().any(|i| same_folder(&i.data_dir, d))
    {
        out.push(instance_of_data(ctx, d));
    }
    Ok(out)
}

/// The install and data folder, found through a process of `uid`, must be that user's all the
/// way down.
fn trusted(install: &Path, uid: u32) -> Result<(), String> {
    let data = data_dir_of(install);
    for p in [install, data.as_path()] {
        if p.exists()
            && let Err(u) = crate::owner::check_chain(p, Some(uid))
        {
            return Err(u.message().to_string());
        }
    }
    Ok(())
}

fn instance(
    ctx: &mut Ctx,
    f: Found,
    data_flag: Option<&Path>,
    procs: &[Running],
    own_ns: Option<u64>,
) -> Instance {
    let install = f.install;
    let mut data_dir = match data_flag {
        Some(d) if d.starts_with(&install) => d.to_path_buf(),
        _ => data_dir_of(&install),
    };
    let (version, version_file, version_note) = match program_dir(&install) {
        Some(p) => version_of(ctx, &p),
        None => (None, None, None),
    };
    let mine: Vec<(Running, Assigned)> = procs
        .iter()
        .filter_map(|r| Some((r.clone(), belongs(r, &f.place, own_ns)?)))
        .collect();
    let mode = mode_of(&mine.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>());
    let mut container = None;
    if let Some((_, pid)) = f.container {
        let inside = inside_path(pid, &data_dir).unwrap_or_else(|| data_dir.clone());
        let host = container::host_path(pid, &inside);
        container = Some(super::instance::Container {
            pid,
            install_inside: f.place.path.clone(),
            data_dir_inside: inside,
            mapped: host.is_some(),
        });
        if let Some(h) = host {
            data_dir = h;
        }
    }
    let place = match &container {
        Some(c) if c.mapped => data_dir.clone(),
        Some(c) => PathBuf::from(format!(
            "ns{}:{}",
            f.place.ns.unwrap_or_default(),
            f.place.path.display()
        ))
        .join(
            c.data_dir_inside
                .strip_prefix("/")
                .unwrap_or(&c.data_dir_inside),
        ),
        None => install.clone(),
    };
    let mut inst = base(ctx, &data_dir, f.source, f.detail);
    inst.id = make_id(&STACK, &place);
    inst.version = version;
    inst.version_file = version_file;
    inst.version_note = version_note;
    inst.install = Some(install);
    inst.mode = mode;
    inst.container = container;
    if inst.container.as_ref().is_some_and(|c| !c.mapped) {
        // Only inside the container: seen, never cleaned from outside.
        inst.roots.clear();
    }
    inst.adopt(
        mine.into_iter()
            .map(|(r, why)| (r.process, Some(r.role), why))
            .collect(),
    );
    inst
}

/// LLBot's data folder named by `--data-dir`, with no install found above it.
fn instance_of_data(ctx: &mut Ctx, data_dir: &Path) -> Instance {
    let mut inst = base(ctx, data_dir, Source::Flag, None);
    inst.id = make_id(&STACK, data_dir);
    inst
}

/// The parts every LLBot instance has: its data folder, accounts and connections.
fn base(ctx: &mut Ctx, data_dir: &Path, source: Source, detail: Option<String>) -> Instance {
    let exists = is_dir(data_dir);
    let accounts = if exists {
        super::scan_accounts(data_dir)
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
    Instance {
        id: String::new(),
        kind: STACK.bot,
        stack: STACK.id,
        version: None,
        version_file: None,
        version_note: None,
        install: None,
        temp_dir: Some(data_dir.join("temp")).filter(|t| is_dir(t)),
        data_dir: data_dir.to_path_buf(),
        data_dir_exists: exists,
        mode: None,
        connections: super::account_connections(&accounts),
        accounts,
        owner: None,
        container: None,
        processes: Vec::new(),
        running: Vec::new(),
        roots: if exists {
            vec![(&STACK, data_dir.to_path_buf())]
        } else {
            Vec::new()
        },
        qq_install: None,
        found_via: source,
        found_via_detail: detail,
    }
}
