//! Where LiteLoaderQQNT's profile is: the `--profile` flag, else `LITELOADERQQNT_PROFILE` (this
//! process, a running QQ, the installer's block in a shell start-up file, the Windows user
//! environment), else the profile Flatpak QQ usually gets, else QwQNT's, else the root.

use std::path::{Path, PathBuf};

use super::Root;
use super::qwqnt::qwqnt_profile;
use crate::discover::{Ctx, Outcome, Qq, Reason, Source, What, is_dir};
use crate::env::Platform;
use crate::exit::Failure;
use crate::process::{PROFILE_VAR, QqProcess};

/// The `LITELOADERQQNT_PROFILE` value set between `# BEGIN LITELOADERQQNT` and
/// `# END LITELOADERQQNT` in a shell start-up file (bash/zsh `export`, fish `set -gx`).
pub fn parse_rc_block(text: &str) -> Option<String> {
    let mut inside = false;
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line == "# BEGIN LITELOADERQQNT" {
            inside = true;
            continue;
        }
        if line == "# END LITELOADERQQNT" {
            inside = false;
            continue;
        }
        if !inside {
            continue;
        }
        let value = if let Some(rest) = line.strip_prefix("export ") {
            rest.trim()
                .strip_prefix(PROFILE_VAR)
                .and_then(|r| r.strip_prefix('='))
        } else if let Some(rest) = line.strip_prefix("set ") {
            // fish: set [-g] [-x] [-gx] NAME VALUE
            let mut words = rest.split_whitespace().skip_while(|w| w.starts_with('-'));
            if words.next() == Some(PROFILE_VAR) {
                let name_end = rest.find(PROFILE_VAR).map(|i| i + PROFILE_VAR.len());
                name_end.map(|i| rest[i..].trim())
            } else {
                None
            }
        } else {
            None
        };
        if let Some(v) = value {
            let v = unquote(v.trim());
            if !v.is_empty() {
                found = Some(v);
            }
        }
    }
    found
}

fn unquote(v: &str) -> String {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    v.to_string()
}

type Profile = (PathBuf, Source, Option<String>);

pub(super) fn find_profile(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    qq: Option<&Qq>,
    processes: &[QqProcess],
    root: Option<&Root>,
) -> Result<Option<Profile>, Failure> {
    let what = What::LiteloaderProfile;
    let env = ctx.env;
    if let Some(dir) = flag {
        crate::discover::check_override_dir("--profile", dir, "expect.profile")?;
        ctx.note(what, dir, Outcome::Taken, None);
        return Ok(Some((dir.to_path_buf(), Source::Flag, None)));
    }

    let mut candidates: Vec<(String, Source, Option<String>)> = Vec::new();
    if let Some(v) = env.path_var(PROFILE_VAR) {
        candidates.push((v.to_string(), Source::EnvVar, None));
    }
    // QQ's own environment: the main process first, then its helpers.
    let mut procs: Vec<&QqProcess> = processes
        .iter()
        .filter(|p| p.verified != Some(false))
        .collect();
    procs.sort_by_key(|p| !p.main);
    for p in procs {
        if let Some(v) = &p.profile_env {
            candidates.push((v.clone(), Source::QqEnviron, Some(format!("pid {}", p.pid))));
            break;
        }
    }
    if env.platform != Platform::Windows {
        for rc in [".bashrc", ".zshrc", ".profile", ".config/fish/config.fish"] {
            let Some(file) = env.in_home(rc) else {
                continue;
            };
            let Some(text) = ctx.read_text(&file) else {
                ctx.note(What::LiteloaderProfile, &file, Outcome::Missing, None);
                continue;
            };
            if let Some(v) = parse_rc_block(&text).and_then(|v| env.expand_home(&v)) {
                candidates.push((v, Source::ShellRc, Some(file.display().to_string())));
            }
        }
    } else if let Some(v) = env.registry.get(r"HKCU\Environment", PROFILE_VAR) {
        let v = v.trim().to_string();
        if !v.is_empty() {
            candidates.push((v, Source::UserEnvironment, Some(r"HKCU\Environment".into())));
        }
    }
    if qq.is_some_and(|q| q.flatpak)
        && let Some(home) = &env.home
    {
        let v = format!("{home}/.var/app/com.qq.QQ/config/LiteLoaderQQNT");
        candidates.push((v, Source::Flatpak, None));
    }

    for (value, source, detail) in candidates {
        if !env.is_absolute(&value) {
            // A relative profile would depend on QQ's working directory: not usable.
            ctx.note_detail(
                what,
                Path::new(&value),
                Outcome::Rejected,
                Some(Reason::NotADirectory),
                &value,
            );
            continue;
        }
        if env.climbs_above_root_dir(&value) {
            ctx.note_detail(
                what,
                Path::new(&value),
                Outcome::Rejected,
                Some(Reason::ClimbsAboveFsRoot),
                &value,
            );
            continue;
        }
        let dir = env.resolve(&value);
        if is_dir(&dir) {
            ctx.note(what, &dir, Outcome::Taken, None);
            return Ok(Some((dir, source, detail)));
        }
        ctx.note(what, &dir, Outcome::Missing, None);
    }

    if let Some(profile) = root.and_then(qwqnt_profile) {
        ctx.note(what, &profile, Outcome::Taken, None);
        return Ok(Some((profile, Source::Qwqnt, None)));
    }
    Ok(root.map(|r| {
        ctx.note(what, &r.dir, Outcome::Taken, None);
        (r.dir.clone(), Source::Root, None)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc_blocks_from_the_samples() {
        let bash = "# mine\nexport FOO=1\n# BEGIN LITELOADERQQNT\nexport LITELOADERQQNT_PROFILE=\"${HOME}/.config/LiteLoaderQQNT\"\n# END LITELOADERQQNT\n";
        assert_eq!(
            parse_rc_block(bash).as_deref(),
            Some("${HOME}/.config/LiteLoaderQQNT")
        );
        let fish = "# BEGIN LITELOADERQQNT\nset -gx LITELOADERQQNT_PROFILE \"${HOME}/.config/LiteLoaderQQNT\"\n# END LITELOADERQQNT\n";
        assert_eq!(
            parse_rc_block(fish).as_deref(),
            Some("${HOME}/.config/LiteLoaderQQNT")
        );
        // Outside the block it is the user's own line, not the installer's.
        assert_eq!(parse_rc_block("export LITELOADERQQNT_PROFILE=/x\n"), None);
        assert_eq!(
            parse_rc_block("# BEGIN LITELOADERQQNT\nexport LITELOADERQQNT_PROFILE=\n"),
            None
        );
    }
}
