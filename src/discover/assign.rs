//! Which running QQ belongs to which instance, told apart by what each QQ runs from and
//! points to — never by its name alone: a QQ that an instance's PMHQ started (ancestry), a QQ
//! whose environment names a NapCat or a LiteLoaderQQNT profile, a QQ whose install loads one.
//! A QQ that none of these claims (a person's desktop QQ) belongs to no bot and is never
//! stopped by a bot's clean. Then each instance's owner, and the narrowing by flags.

use std::path::Path;

use super::container::in_container;
use super::instance::{Assigned, Instance, same_folder};
use super::{NapCat, Overrides};
use crate::exit::Failure;
use crate::msg;
use crate::owner::Owner;
use crate::process::{Listing, QqProcess};

/// QQ processes not yet given to an instance, by index into the list.
struct Pool<'a> {
    procs: &'a [QqProcess],
    taken: Vec<bool>,
    own_ns: Option<u64>,
}

impl<'a> Pool<'a> {
    fn free(&self) -> impl Iterator<Item = (usize, &'a QqProcess)> + '_ {
        self.procs
            .iter()
            .enumerate()
            .filter(|(i, p)| !self.taken[*i] && !in_container(p, self.own_ns))
    }

    /// Takes the main processes `pick` accepts, with their helpers.
    fn take(
        &mut self,
        pick: impl Fn(&QqProcess) -> Option<Assigned>,
    ) -> Vec<(QqProcess, Option<crate::stack::Role>, Assigned)> {
        let mains: Vec<(usize, Assigned)> = self
            .free()
            .filter(|(_, p)| p.main)
            .filter_map(|(i, p)| Some((i, pick(p)?)))
            .collect();
        let mut out = Vec::new();
        for (i, why) in mains {
            self.taken[i] = true;
            let pid = self.procs[i].pid;
            out.push((self.procs[i].clone(), None, why));
            let helpers: Vec<usize> = self
                .free()
                .filter(|(_, h)| h.main_pid == Some(pid))
                .map(|(j, _)| j)
                .collect();
            for j in helpers {
                self.taken[j] = true;
                out.push((self.procs[j].clone(), None, Assigned::HelperOf { pid }));
            }
        }
        out
    }
}

/// The install folder a QQ process runs from (the folder holding its executable; macOS: the
/// outermost `.app`).
fn exe_in(p: &QqProcess, install: &Path) -> bool {
    p.exe
        .as_deref()
        .is_some_and(|e| crate::process::exe_in_install(e, install))
}

/// What tells a QQ whose it is, beside the QQ processes themselves.
pub(super) struct Clues<'a> {
    pub napcats: &'a [NapCat],
    pub listing: &'a Listing,
    /// The LiteLoaderQQNT profile of the main plugin instance.
    pub main_profile: Option<&'a Path>,
    /// The QQ install whose LiteLoaderQQNT hook the main plugin instance was found through
    /// (its QQs run the plugin unless their environment names another profile).
    pub plugin_install: Option<&'a Path>,
    pub env: &'a crate::env::Env,
}

/// Gives every QQ process to the instance it belongs to, then marks each instance's groups.
pub(super) fn assign_processes(instances: &mut [Instance], qq: &[QqProcess], c: &Clues) {
    let (napcats, listing, main_profile, plugin_install) =
        (c.napcats, c.listing, c.main_profile, c.plugin_install);
    let resolve = |v: &str| c.env.resolve(v);
    let platform = c.env.platform;
    let own_ns = crate::process::own_mount_namespace();
    let mut pool = Pool {
        procs: qq,
        taken: vec![false; qq.len()],
        own_ns,
    };
    // 1. A QQ started by an instance's own program (PMHQ): its ancestry says whose.
    for inst in instances.iter_mut() {
        let own: Vec<u32> = inst.running.iter().map(|p| p.pid).collect();
        if own.is_empty() {
            continue;
        }
        let got = pool.take(|p| {
            listing
                .ancestors(p.pid)
                .into_iter()
                .find(|a| own.contains(a))
                .map(|pid| Assigned::ChildOf { pid })
        });
        inst.adopt(got);
    }
    // 2. NapCat: the QQ whose environment named it, then every QQ of the install that loads it.
    for inst in instances
        .iter_mut()
        .filter(|i| i.stack == crate::stack::napcat::STACK.id)
    {
        let Some(n) = napcats
            .iter()
            .find(|n| same_folder(&n.work_dir, &inst.data_dir))
        else {
            continue;
        };
        let named = pool.take(|p| n.named_by.contains(&p.pid).then_some(Assigned::NapcatEnv));
        inst.adopt(named);
        if let Some(app) = &n.loaded_by {
            let loaded = pool.take(|p| {
                let install = p.exe.as_deref().and_then(Path::parent)?;
                (app.starts_with(install) && !names_a_napcat(p)).then_some(Assigned::NapcatLoader)
            });
            inst.adopt(loaded);
        }
    }
    // 3. The plugin: a QQ whose LITELOADERQQNT_PROFILE names the instance's profile; the main
    //    instance also takes the QQs of its install that name no other profile.
    for inst in instances
        .iter_mut()
        .filter(|i| i.stack == crate::stack::llonebot_plugin::STACK.id)
    {
        let profile = inst
            .data_dir
            .parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let is_main = match (&profile, main_profile) {
            (Some(p), Some(m)) => same_folder(p, m),
            _ => false,
        };
        let got = pool.take(|p| {
            match (&p.profile_env, &profile) {
                (Some(v), Some(mine)) if same_folder(&resolve(v), mine) => {
                    return Some(Assigned::ProfileEnv);
                }
                (Some(_), _) => return None,
                (None, _) => {}
            }
            let of_install = match plugin_install {
                Some(i) => exe_in(p, i),
                None => p.verified != Some(false),
            };
            (is_main && of_install).then_some(Assigned::HookedQq)
        });
        inst.adopt(got);
    }
    for inst in instances.iter_mut() {
        inst.mark_groups();
        if inst.qq_install.is_none() {
            inst.qq_install = inst
                .running
                .iter()
                .filter(|p| p.main && crate::process::is_qq_name(platform, &p.name))
                .find_map(|p| p.exe.as_deref().and_then(Path::parent))
                .map(Path::to_path_buf);
        }
    }
}

/// A QQ whose environment names a NapCat of its own (NapCat Shell).
fn names_a_napcat(p: &QqProcess) -> bool {
    p.environ.iter().any(|(k, _)| {
        k == crate::stack::napcat::WORKDIR_VAR || k == crate::stack::napcat::SHELL_MAIN_VAR
    })
}

/// The owner of each instance: the owner of its data folder, else of its install, else the
/// user its processes run as.
pub(super) fn set_owners(instances: &mut [Instance]) {
    for inst in instances {
        let uid = [Some(inst.data_dir.as_path()), inst.install.as_deref()]
            .into_iter()
            .flatten()
            .filter(|p| p.exists())
            .find_map(crate::owner::owner_uid)
            .or_else(|| inst.running.iter().find_map(|p| p.uid));
        inst.owner = uid.map(Owner::of_uid);
    }
}

/// `--instance`: only the instances named by id or folder; an id that names none is an error
/// that lists the ids there are.
pub(super) fn choose(instances: &mut Vec<Instance>, wanted: &[String]) -> Result<(), Failure> {
    if wanted.is_empty() {
        return Ok(());
    }
    for w in wanted {
        let p = Path::new(w);
        if !instances.iter().any(|i| i.id == *w || i.is_named_by(p)) {
            let ids: Vec<&str> = instances.iter().map(|i| i.id.as_str()).collect();
            let list = if ids.is_empty() {
                crate::i18n::t("detect.no_instances").to_string()
            } else {
                ids.join(", ")
            };
            return Err(
                Failure::usage(msg!("err.unknown_instance", id = w, ids = list))
                    .with_hint(msg!("err.hint_unknown_instance")),
            );
        }
    }
    instances.retain(|i| {
        wanted
            .iter()
            .any(|w| i.id == *w || i.is_named_by(Path::new(w)))
    });
    Ok(())
}

/// Flags that name instances; when any is given, only what they name is kept, and nothing
/// found running replaces it.
pub(super) fn narrow(instances: &mut Vec<Instance>, o: &Overrides) {
    let named: Vec<&Path> = [
        o.data_dir.as_deref(),
        o.llbot_dir.as_deref(),
        o.napcat_dir.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let plugin_named = o.profile.is_some() || o.ll_dir.is_some();
    if named.is_empty() && !plugin_named {
        return;
    }
    instances.retain(|i| {
        named.iter().any(|d| i.is_named_by(d) || llbot_named(i, d))
            || (plugin_named
                && i.stack == crate::stack::llonebot_plugin::STACK.id
                && i.found_via != super::Source::QqEnviron)
    });
}

/// `--llbot-dir` may name a folder inside the install (`bin/llbot`).
fn llbot_named(i: &Instance, dir: &Path) -> bool {
    i.stack == crate::stack::llbot::STACK.id
        && i.install
            .as_deref()
            .is_some_and(|inst| dir.ancestors().any(|a| same_folder(a, inst)))
}
