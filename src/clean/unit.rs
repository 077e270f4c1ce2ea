//! What one `clean` run works on, one unit at a time: each bot instance chosen (its folders,
//! its processes, its owner) and each QQ data folder whose cache was asked for. Each unit is
//! checked, stopped, cleaned and restarted on its own: one unit's refusal (running, another
//! user's, a folder that may not be cleaned) never blocks another's work.

use std::path::{Path, PathBuf};

use super::as_owner::ActAs;
use super::plan::Plan;
use super::report::QqState;
use crate::discover::{Installation, Instance, same_folder};
use crate::exit::{Exit, Failure};
use crate::i18n::Msg;
use crate::msg;
use crate::process::QqProcess;
use crate::stack::Stack;

/// One instance (or QQ data folder) to clean.
pub struct Unit {
    /// The instance's id (`llbot@/srv/bots/a`), or `qq-cache@<QQ data folder>`.
    pub id: String,
    /// The stack's name for messages (`LLBot`, `NapCat`, `LLOneBot`, `QQ`).
    pub name: &'static str,
    /// What is stopped and started again, for messages: `QQ` for a bot inside QQ, else the
    /// stack's own name (`LLBot`).
    pub program: &'static str,
    pub stack: &'static str,
    /// The folders planned, each with the stack whose table says what may go.
    pub roots: Vec<(&'static Stack, PathBuf)>,
    /// Its processes when the run began: stopped before, started again after.
    pub procs: Vec<QqProcess>,
    /// The user whose folders and processes these are.
    pub owner: Option<u32>,
    /// Root acting for that user.
    pub act_as: Option<ActAs>,
    /// QQ's cache folders (no bot's own tables).
    pub qq_cache: bool,
    /// A Flatpak QQ: started again through flatpak.
    pub flatpak: bool,
    /// Runs in a container: its processes are never signalled by us.
    pub container: bool,
    /// A NapCat instance: where to see that NapCat (not only QQ) is back after a restart.
    pub napcat: Option<NapcatUnit>,
    /// Why it is left alone, when it is.
    pub skip: Option<Failure>,
    pub plans: Vec<Plan>,
    pub state: QqState,
}

/// A NapCat instance's folders, and what it had written before it was stopped.
pub struct NapcatUnit {
    /// The folder holding `napcat.mjs` (and NapCat.Shell's launcher).
    pub dir: Option<PathBuf>,
    pub work_dir: PathBuf,
    /// On Windows, where NapCat.Shell's QQ runs NapCat only when its launcher starts it.
    pub windows: bool,
    pub before: Option<super::napcat_restart::Before>,
}

impl Unit {
    /// A unit for a bot instance.
    pub fn of_instance(inst: &Instance, installation: &Installation) -> Unit {
        let stack = inst.stack_def();
        let owner = inst.owner.as_ref().map(|o| o.uid);
        let flatpak = installation.qq.as_ref().is_some_and(|q| {
            q.flatpak
                && inst
                    .qq_install
                    .as_deref()
                    .is_some_and(|i| same_folder(i, &q.install_dir))
        });
        let program = match stack.processes.own {
            crate::stack::Own::QqOfInstall => "QQ",
            crate::stack::Own::Programs(_) => stack.name,
        };
        let mut u = Unit {
            id: inst.id.clone(),
            name: stack.name,
            program,
            stack: stack.id,
            roots: inst.roots.clone(),
            procs: inst.running.clone(),
            owner,
            act_as: ActAs::for_owner(owner),
            qq_cache: false,
            flatpak,
            container: inst.container.is_some(),
            napcat: (stack.id == crate::stack::napcat::STACK.id).then(|| NapcatUnit {
                dir: inst.install.clone(),
                work_dir: inst.data_dir.clone(),
                windows: installation.platform == crate::env::Platform::Windows,
                before: None,
            }),
            skip: None,
            plans: Vec::new(),
            state: QqState::default(),
        };
        u.note_running();
        if let Some(c) = &inst.container {
            u.skip = (!c.mapped).then(|| {
                Failure::new(
                    Exit::QqRunning,
                    msg!("clean.container_unmapped", id = inst.id, pid = c.pid),
                )
                .with_hint(msg!("clean.hint_container_unmapped"))
            });
        }
        u
    }

    /// A unit for one QQ data folder's cache: its QQ processes are the owner's QQs that run
    /// on this host (not in a container).
    pub fn of_qq_data(path: &Path, installation: &Installation) -> Unit {
        let owner = crate::owner::owner_uid(path);
        let own_ns = crate::process::own_mount_namespace();
        let procs: Vec<QqProcess> = installation
            .qq_processes()
            .filter(|p| owner.is_none() || p.uid.is_none() || p.uid == owner)
            .filter(|p| !crate::discover::container::in_container(p, own_ns))
            .cloned()
            .collect();
        let stack = &crate::stack::qq_cache::STACK;
        let mut u = Unit {
            id: crate::discover::make_id(stack, path),
            name: "QQ",
            program: "QQ",
            stack: stack.id,
            roots: Vec::new(),
            procs,
            owner,
            act_as: ActAs::for_owner(owner),
            qq_cache: true,
            flatpak: installation.qq.as_ref().is_some_and(|q| q.flatpak),
            container: false,
            napcat: None,
            skip: None,
            plans: Vec::new(),
            state: QqState::default(),
        };
        u.note_running();
        u
    }

    /// What ran when the run began, for the report (a dry run says it too).
    fn note_running(&mut self) {
        self.state.was_running = self.running();
        self.state.pids = self.procs.iter().map(|p| p.pid).collect();
    }

    pub fn running(&self) -> bool {
        !self.procs.is_empty()
    }

    /// The folders locked while it is cleaned.
    pub fn lock_dirs(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self.roots.iter().map(|(_, d)| d.clone()).collect();
        for p in &self.plans {
            if !out.contains(&p.data_dir) && self.qq_cache {
                out.push(p.data_dir.clone());
                break;
            }
        }
        out
    }

    pub fn skip_with(&mut self, f: Failure) {
        if self.skip.is_none() {
            self.skip = Some(f);
        }
    }
}

/// The refusals that come before anything is stopped or touched, for a unit that would be
/// cleaned for real: another user's processes, another user's folder, a folder reached
/// through a link or another user's folder, a running bot that is not to be stopped.
pub fn refuse(u: &mut Unit, stopping: bool, stop_cmd: bool) {
    if u.skip.is_some() {
        return;
    }
    let me = crate::process::current_uid();
    // An ordinary user cannot act for another: say so before trying.
    if let (Some(me), Some(owner)) = (me, u.owner)
        && me != 0
        && me != owner
    {
        u.skip_with(
            Failure::new(
                Exit::QqRunning,
                msg!(
                    "clean.not_yours",
                    id = u.id,
                    owner = crate::process::user_name(owner)
                ),
            )
            .with_hint(msg!(
                "clean.hint_not_yours",
                owner = crate::process::user_name(owner)
            )),
        );
        return;
    }
    for (_, dir) in &u.roots {
        if let Err(why) = crate::owner::check_chain(dir, u.owner) {
            u.skip = Some(
                Failure::usage(msg!(
                    "clean.untrusted_path",
                    path = dir.display(),
                    why = why.message()
                ))
                .with_hint(msg!("clean.hint_untrusted_path")),
            );
            return;
        }
    }
    // A process of the instance that runs as another user than the folder's owner is never
    // signalled, and nothing is cleaned under it.
    let foreign: Vec<&QqProcess> = u
        .procs
        .iter()
        .filter(|p| p.uid.is_some() && u.owner.is_some() && p.uid != u.owner)
        .collect();
    if let Some(first) = foreign.first() {
        let user = crate::process::user_name(first.uid.unwrap_or_default());
        let path = u
            .roots
            .first()
            .map(|(_, d)| d.display().to_string())
            .unwrap_or_default();
        u.skip = Some(
            Failure::new(
                Exit::QqRunning,
                msg!(
                    "clean.qq_foreign",
                    name = u.program,
                    pids =
                        super::pid_list(&foreign.iter().map(|p| (*p).clone()).collect::<Vec<_>>()),
                    user = user,
                    path = path,
                    owner = crate::process::user_name(u.owner.unwrap_or_default())
                ),
            )
            .with_hint(msg!("clean.hint_qq_foreign", user = user)),
        );
        return;
    }
    if u.running() && !stopping {
        let (key, hint) = if u.qq_cache || u.stack != crate::stack::llbot::STACK.id {
            ("clean.qq_running", "clean.hint_qq_running")
        } else {
            ("clean.bot_running", "clean.hint_bot_running")
        };
        u.skip = Some(
            Failure::new(
                Exit::QqRunning,
                Msg {
                    key,
                    args: vec![
                        ("name", u.name.to_string()),
                        ("id", u.id.clone()),
                        ("pids", super::pid_list(&u.procs)),
                    ],
                },
            )
            .with_hint(Msg {
                key: hint,
                args: vec![],
            }),
        );
        return;
    }
    // A running container is stopped only by the user's own command.
    if u.running()
        && !stop_cmd
        && u.procs.iter().any(|p| {
            crate::discover::container::in_container(p, crate::process::own_mount_namespace())
        })
    {
        u.skip = Some(
            Failure::new(
                Exit::QqRunning,
                msg!(
                    "clean.container_running",
                    id = u.id,
                    pids = super::pid_list(&u.procs)
                ),
            )
            .with_hint(msg!("clean.hint_container_running", id = u.id)),
        );
    }
}
