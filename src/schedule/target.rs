//! Which job `schedule` acts on. A job is for all bots (no instance named: today's names, so
//! installs made before keep working) or for one instance: named by `--instance ID`, or by the
//! folder flags when they narrow discovery to exactly one. Removing a job for a bot that is
//! gone must work, so `remove --instance ID` takes the id as it is when nothing answers to it.

use crate::app::App;
use crate::cli::{ScheduleAction, ScheduleArgs};
use crate::discover::{self, Overrides};
use crate::exit::Failure;
use crate::msg;

use super::JobName;

/// The job acted on, and the instance it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: JobName,
    /// The instance's id (`llbot@/srv/bots/a`); `None` for the job for all bots.
    pub instance: Option<String>,
}

impl Target {
    pub fn for_all() -> Target {
        Target {
            name: JobName::for_all(),
            instance: None,
        }
    }

    pub fn for_instance(id: &str) -> Target {
        Target {
            name: JobName::for_instance(id),
            instance: Some(id.to_string()),
        }
    }

    /// install: the instance named, which must be found now (the job would fail at every run
    /// otherwise); the folder flags name one when discovery keeps exactly one instance.
    pub fn for_install(app: &App) -> Result<Target, Failure> {
        let o = &app.overrides;
        for (flag, dir) in [
            ("--qq-dir", &o.qq_dir),
            ("--ll-dir", &o.ll_dir),
            ("--profile", &o.profile),
            ("--data-dir", &o.data_dir),
            ("--llbot-dir", &o.llbot_dir),
            ("--napcat-dir", &o.napcat_dir),
            ("--qq-data", &o.qq_data),
        ] {
            if let Some(d) = dir
                && !d.is_dir()
            {
                return Err(Failure::usage(msg!(
                    "schedule.override_missing",
                    flag = flag,
                    path = d.display()
                ))
                .with_hint(msg!("schedule.hint_override_missing")));
            }
        }
        if !o.instances.is_empty() || names_folders(o) {
            let inst = app.discover()?;
            match inst.instances.as_slice() {
                [one] => return Ok(Target::for_instance(&one.id)),
                [] => {}
                several if !o.instances.is_empty() => {
                    let ids: Vec<&str> = several.iter().map(|i| i.id.as_str()).collect();
                    return Err(Failure::usage(msg!(
                        "schedule.names_several",
                        id = o.instances.join(" "),
                        ids = ids.join(", ")
                    ))
                    .with_hint(msg!("schedule.hint_names_several")));
                }
                // Folder flags naming several: one job for those, under the shared name.
                _ => {}
            }
        }
        Ok(Target::for_all())
    }

    /// remove and show: the instance named, by its id as found now, else by the id as given
    /// (a bot that is gone); the folder flags as for install.
    pub fn for_remove(app: &App) -> Result<Target, Failure> {
        let o = &app.overrides;
        if let [wanted] = o.instances.as_slice() {
            return Ok(Target::resolve(app, wanted));
        }
        if names_folders(o) {
            let inst = app.discover()?;
            if let [one] = inst.instances.as_slice() {
                return Ok(Target::for_instance(&one.id));
            }
        }
        Ok(Target::for_all())
    }

    /// The instance `wanted` names (an id, or a folder of it): its id as found now, else the
    /// id as given, for a bot that is gone.
    pub fn resolve(app: &App, wanted: &str) -> Target {
        let without = Overrides {
            instances: Vec::new(),
            ..app.overrides.clone()
        };
        let seen = discover::Seen::from_os(app.env.platform);
        let id = discover::discover_all(&app.env, &without, seen)
            .ok()
            .and_then(|inst| inst.instance(wanted).map(|i| i.id.clone()))
            .unwrap_or_else(|| wanted.to_string());
        Target::for_instance(&id)
    }
}

/// Flags that narrow discovery to the instances at the folders they name.
fn names_folders(o: &Overrides) -> bool {
    [
        &o.data_dir,
        &o.llbot_dir,
        &o.napcat_dir,
        &o.profile,
        &o.ll_dir,
    ]
    .iter()
    .any(|f| f.is_some())
}

/// What no action takes: several `--instance` (a job is for one instance, or for all), `--all`
/// beside anything but remove, and `--instance` after `--`, where it would narrow the job
/// without naming it.
pub fn check_args(app: &App, args: &ScheduleArgs) -> Result<(), Failure> {
    let instances = &app.overrides.instances;
    if args.all {
        if args.action != ScheduleAction::Remove {
            return Err(Failure::usage(msg!("schedule.all_only_remove")));
        }
        if !instances.is_empty() {
            return Err(Failure::usage(msg!("schedule.all_and_instance"))
                .with_hint(msg!("schedule.hint_all_and_instance")));
        }
    }
    if instances.len() > 1 && args.action != ScheduleAction::Show {
        return Err(
            Failure::usage(msg!("schedule.one_instance", n = instances.len())).with_hint(msg!(
                "schedule.hint_one_instance",
                action = action_word(args.action)
            )),
        );
    }
    if args
        .clean_args
        .iter()
        .any(|a| a == "--instance" || a.starts_with("--instance="))
    {
        return Err(Failure::usage(msg!("schedule.instance_after_dashes"))
            .with_hint(msg!("schedule.hint_instance_after_dashes")));
    }
    Ok(())
}

fn action_word(a: ScheduleAction) -> &'static str {
    match a {
        ScheduleAction::Install => "install",
        ScheduleAction::Remove => "remove",
        ScheduleAction::Show => "show",
    }
}
