//! The LLOneBot plugin in LiteLoaderQQNT profiles other than the main one: a second user's QQ,
//! a QQ started with another profile, each named by that QQ's environment.

use std::path::{Path, PathBuf};

use super::{
    Ctx, Instance, Outcome, Reason, What, container, is_dir, llonebot, plugin_instance, same_folder,
};
use crate::process::QqProcess;

/// Plugin instances of other LiteLoaderQQNT profiles, named by running QQs' environments (a
/// second user's QQ, a QQ started with another profile). Another user's profile is used only
/// when it is that user's all the way down.
pub(super) fn other_profiles(
    ctx: &mut Ctx,
    qq: &[QqProcess],
    main: Option<&Path>,
) -> Vec<Instance> {
    let mut seen: Vec<PathBuf> = main.into_iter().map(Path::to_path_buf).collect();
    let mut out = Vec::new();
    let me = crate::process::current_uid();
    let own_ns = crate::process::own_mount_namespace();
    for p in qq.iter().filter(|p| p.main && p.verified != Some(false)) {
        if ctx.env.root.is_none() && container::in_container(p, own_ns) {
            continue;
        }
        let Some(v) = &p.profile_env else { continue };
        if !ctx.env.is_absolute(v) || ctx.env.climbs_above_root_dir(v) {
            continue;
        }
        let profile = ctx.env.resolve(v);
        if seen.iter().any(|s| same_folder(s, &profile)) || !is_dir(&profile) {
            continue;
        }
        seen.push(profile.clone());
        if let Some(uid) = p.uid.filter(|u| Some(*u) != me)
            && let Err(why) = crate::owner::check_chain(&profile, Some(uid))
        {
            let detail = format!("pid {}: {}", p.pid, why.message());
            ctx.note_detail(
                What::LiteloaderProfile,
                &profile,
                Outcome::Rejected,
                Some(Reason::Untrusted),
                detail,
            );
            continue;
        }
        ctx.note_detail(
            What::LiteloaderProfile,
            &profile,
            Outcome::Taken,
            None,
            format!("pid {}", p.pid),
        );
        if let Some(l) = llonebot::find_in_profile(ctx, &profile) {
            out.push(plugin_instance(&l, Some(&profile)));
        }
    }
    out
}
