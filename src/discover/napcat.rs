//! NapCat: its folder (where `napcat.mjs` lies), its work dir, its version, its accounts and the
//! temp folder under QQ's data folder. The names come from `crate::stack::napcat`.
//!
//! Found, in order, through: `--napcat-dir`, `--data-dir` naming a NapCat work dir (Docker
//! volumes), `$NAPCAT_WORKDIR`, a running QQ's environment (NapCat Shell's launcher sets
//! `NAPCAT_MAIN_PATH`), QQ's `package.json` `main` → `loadNapCat.(c)js` → its
//! `import('file:///…/napcat.mjs')`, and the installers' folders.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Ctx, Outcome, Qq, Reason, Source, What, is_dir, is_file, sub};
use crate::env::Platform;
use crate::exit::Failure;
use crate::msg;
use crate::process::QqProcess;
use crate::stack::napcat::{
    DATA_STACK, MAIN_FILE, NAPCAT_CONFIG, ONEBOT_CONFIG, SHELL_MAIN_VAR, STACK, WORKDIR_VAR,
};
use crate::stack::uin_of;

pub use super::napcat_loader::import_target;
use super::napcat_version::read_version;
pub use super::napcat_version::{QqTable, version_in_log, version_in_main};

#[derive(Debug, Clone, Serialize)]
pub struct NapCat {
    /// The folder holding `napcat.mjs`, when known.
    #[serde(serialize_with = "crate::output::path::opt")]
    pub dir: Option<PathBuf>,
    /// Where NapCat writes `config/`, `logs/`, `cache/` and `plugins/`.
    #[serde(serialize_with = "crate::output::path::one")]
    pub work_dir: PathBuf,
    /// `<QQ data>/NapCat`, when it exists: `temp/` and `db_<uin>/`.
    #[serde(serialize_with = "crate::output::path::opt")]
    pub data_root: Option<PathBuf>,
    /// `<QQ data>/NapCat/temp`, when it exists.
    #[serde(serialize_with = "crate::output::path::opt")]
    pub temp_dir: Option<PathBuf>,
    pub version: Option<String>,
    /// The file the version was read from (`napcat.mjs` or a log).
    #[serde(serialize_with = "crate::output::path::opt")]
    pub version_file: Option<PathBuf>,
    /// The QQ builds `napcat.mjs` knows (its inlined `appid.json`).
    pub qq_table: Option<QqTable>,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_detail: Option<String>,
    /// Accounts with a `config/onebot11_<uin>.json` or `config/napcat_<uin>.json`.
    pub accounts: Vec<String>,
    /// QQ main processes whose environment names this NapCat (NapCat Shell).
    #[serde(skip)]
    pub named_by: Vec<u32>,
    /// The QQ app folder whose `package.json` loads this NapCat (every QQ of that install runs it).
    #[serde(skip)]
    pub loaded_by: Option<PathBuf>,
}

impl NapCat {
    /// The folders `clean` plans in, with the stack describing each.
    pub fn roots(&self) -> Vec<(&'static crate::stack::Stack, PathBuf)> {
        let mut out = Vec::new();
        if is_dir(&self.work_dir) {
            out.push((&STACK, self.work_dir.clone()));
        }
        if let Some(d) = &self.data_root {
            out.push((&DATA_STACK, d.clone()));
        }
        out
    }
}

/// A folder that is a NapCat work dir or NapCat's own folder: `napcat.mjs`, or a `config/`
/// holding `onebot11_<uin>.json` / `napcat_<uin>.json`.
pub fn looks_like_work_dir(dir: &Path) -> bool {
    is_file(&dir.join(MAIN_FILE)) || !config_uins(dir).is_empty()
}

/// The accounts named by `config/onebot11_<uin>.json` and `config/napcat_<uin>.json`.
pub fn config_uins(work_dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(work_dir.join("config"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| {
            [ONEBOT_CONFIG, NAPCAT_CONFIG]
                .iter()
                .find_map(|c| match *c {
                    crate::stack::Name::Uin { prefix, suffix } => {
                        uin_of(&n, prefix, suffix).map(str::to_string)
                    }
                    _ => None,
                })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// QQ's data folder on this platform (NapCat asks QQ; these are QQ's defaults).
fn qq_data_dirs(ctx: &Ctx, qq: Option<&Qq>, napcat_dir: Option<&Path>) -> Vec<PathBuf> {
    let env = ctx.env;
    let mut out = Vec::new();
    // Docker: NapCat in /app/napcat, QQ's data in /app/.config/QQ.
    for d in napcat_dir.into_iter() {
        if let Some(parent) = d.parent() {
            out.push(sub(parent, ".config/QQ"));
        }
    }
    match env.platform {
        Platform::Linux => {
            if qq.is_some_and(|q| q.flatpak) {
                out.extend(env.in_home(".var/app/com.qq.QQ/config/QQ"));
            }
            match env.path_var("XDG_CONFIG_HOME") {
                Some(x) if env.root.is_none() => out.push(env.resolve(x).join("QQ")),
                _ => {}
            }
            out.extend(env.in_home(".config/QQ"));
        }
        Platform::Windows => {
            out.extend(env.in_documents("Tencent Files"));
        }
        Platform::Macos => {
            out.extend(
                env.in_home(
                    "Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ",
                ),
            );
        }
    }
    out
}

/// A candidate for NapCat's folder or work dir, and how it was named.
struct Candidate {
    /// The folder holding `napcat.mjs` (or a work dir, when `work_only`).
    dir: PathBuf,
    work_only: bool,
    source: Source,
    detail: Option<String>,
    /// The QQ process whose environment named it.
    pid: Option<u32>,
    /// The QQ app folder whose loader named it.
    app: Option<PathBuf>,
    /// The home folder of the process that named it, when another user's: QQ's data folder
    /// (and NapCat's temp in it) is that user's.
    home: Option<PathBuf>,
}

/// Every NapCat: named by a flag or `$NAPCAT_WORKDIR`, by a running QQ's environment (any
/// user's, when it is that user's all the way down), by a QQ install's loader, or at the
/// installers' places. One per work dir.
pub(super) fn find_all(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    data_dir_flag: Option<&Path>,
    qq: Option<&Qq>,
    processes: &[QqProcess],
) -> Result<Vec<NapCat>, Failure> {
    let what = What::NapcatDir;
    let mut cands: Vec<Candidate> = Vec::new();
    if let Some(dir) = flag {
        super::check_override_dir("--napcat-dir", dir, "expect.napcat_dir")?;
        if !looks_like_work_dir(dir) && !is_dir(&dir.join("config")) {
            return Err(Failure::usage(msg!(
                "err.napcat_dir_not_napcat",
                path = dir.display()
            )));
        }
        cands.push(Candidate {
            dir: dir.to_path_buf(),
            work_only: !is_file(&dir.join(MAIN_FILE)),
            source: Source::Flag,
            detail: Some("--napcat-dir".into()),
            pid: None,
            app: None,
            home: None,
        });
    }
    if let Some(dir) = data_dir_flag.filter(|d| looks_like_work_dir(d)) {
        cands.push(Candidate {
            dir: dir.to_path_buf(),
            work_only: !is_file(&dir.join(MAIN_FILE)),
            source: Source::Flag,
            detail: Some("--data-dir".into()),
            pid: None,
            app: None,
            home: None,
        });
    }
    if let Some(v) = ctx.env.path_var(WORKDIR_VAR) {
        cands.push(Candidate {
            dir: ctx.env.resolve(v),
            work_only: true,
            source: Source::NapcatWorkdir,
            detail: None,
            pid: None,
            app: None,
            home: None,
        });
    }
    let own_ns = crate::process::own_mount_namespace();
    for p in processes.iter().filter(|p| {
        p.main
            && p.verified != Some(false)
            && (ctx.env.root.is_some() || !super::container::in_container(p, own_ns))
    }) {
        for (k, v) in &p.environ {
            let (work_only, dir) = if k == WORKDIR_VAR {
                (true, ctx.env.resolve(v))
            } else if k == SHELL_MAIN_VAR {
                let file = ctx.env.resolve(v);
                match file.parent() {
                    Some(d) => (false, d.to_path_buf()),
                    None => continue,
                }
            } else {
                continue;
            };
            if let Some(why) = foreign_untrusted(&dir, p) {
                let detail = format!("pid {}: {why}", p.pid);
                ctx.note_detail(
                    what,
                    &dir,
                    Outcome::Rejected,
                    Some(Reason::Untrusted),
                    detail,
                );
                continue;
            }
            cands.push(Candidate {
                dir,
                work_only,
                source: Source::NapcatQqEnviron,
                detail: Some(format!("pid {}: {k}", p.pid)),
                pid: Some(p.pid),
                app: None,
                home: foreign_home(p),
            });
        }
    }
    for dir in super::remembered::load(ctx.env).napcat {
        cands.push(Candidate {
            work_only: !is_file(&dir.join(MAIN_FILE)),
            dir,
            source: Source::Remembered,
            detail: None,
            pid: None,
            app: None,
            home: None,
        });
    }
    if let Some(q) = qq
        && let Some(app) = &q.app_dir
    {
        loader_candidates(ctx, app, &mut cands);
        for rel in ["app_launcher/napcat", "napcat"] {
            cands.push(Candidate {
                dir: sub(app, rel),
                work_only: false,
                source: Source::WellKnown,
                detail: None,
                pid: None,
                app: None,
                home: None,
            });
        }
    }
    if ctx.env.platform == Platform::Linux {
        // The installer's rootless layout, and its default one when QQ itself was not found.
        let mut apps: Vec<PathBuf> = ctx
            .env
            .in_home("Napcat/opt/QQ/resources/app")
            .into_iter()
            .collect();
        apps.push(ctx.env.resolve("/opt/QQ/resources/app"));
        for app in apps {
            if qq.and_then(|q| q.app_dir.as_deref()) == Some(app.as_path()) {
                continue;
            }
            loader_candidates(ctx, &app, &mut cands);
            cands.push(Candidate {
                dir: sub(&app, "app_launcher/napcat"),
                work_only: false,
                source: Source::WellKnown,
                detail: None,
                pid: None,
                app: None,
                home: None,
            });
        }
    }

    // Where users unpack NapCat.Shell (and what shortcuts and uninstall entries point at).
    for place in super::unpacked::places(ctx.env, super::unpacked::Kind::Napcat) {
        cands.push(Candidate {
            work_only: false,
            dir: place.dir,
            source: Source::WellKnown,
            detail: place.detail,
            pid: None,
            app: None,
            home: None,
        });
    }
    let mut out: Vec<NapCat> = Vec::new();
    for c in cands {
        let ok = if c.work_only {
            is_dir(&c.dir)
        } else {
            is_file(&c.dir.join(MAIN_FILE))
        };
        if !ok {
            let outcome = if is_dir(&c.dir) {
                Outcome::Rejected
            } else {
                Outcome::Missing
            };
            let reason = (outcome == Outcome::Rejected).then_some(Reason::NotNapcat);
            ctx.note(what, &c.dir, outcome, reason);
            continue;
        }
        let (dir, work) = if c.work_only {
            (None, c.dir.clone())
        } else {
            // NapCat writes beside itself unless $NAPCAT_WORKDIR (or macOS) says otherwise.
            let work = match ctx.env.path_var(WORKDIR_VAR) {
                Some(v) => ctx.env.resolve(v),
                None if ctx.env.platform == Platform::Macos => ctx
                    .env
                    .in_home("Library/Application Support/QQ/NapCat")
                    .unwrap_or_else(|| c.dir.clone()),
                None => c.dir.clone(),
            };
            (Some(c.dir.clone()), work)
        };
        // One NapCat per work dir: a second way to it only adds who names it.
        if let Some(n) = out
            .iter_mut()
            .find(|n| super::instance::same_folder(&n.work_dir, &work))
        {
            n.named_by.extend(c.pid);
            if n.loaded_by.is_none() {
                n.loaded_by = c.app;
            }
            if n.dir.is_none() {
                n.dir = dir;
            }
            ctx.note(what, &c.dir, Outcome::Rejected, Some(Reason::AlreadyFound));
            continue;
        }
        ctx.note(what, &c.dir, Outcome::Taken, None);
        out.push(napcat_at(ctx, qq, dir, work, &c));
    }
    Ok(out)
}

/// A QQ process of another user named `dir`: it is used only when it is that user's all the
/// way down. Says why not.
fn foreign_untrusted(dir: &Path, p: &QqProcess) -> Option<String> {
    let uid = p.uid?;
    if Some(uid) == crate::process::current_uid() || !dir.exists() {
        return None;
    }
    crate::owner::check_chain(dir, Some(uid))
        .err()
        .map(|u| u.message().to_string())
}

/// The `HOME` of another user's process (Unix).
fn foreign_home(p: &QqProcess) -> Option<PathBuf> {
    if p.uid.is_none() || p.uid == crate::process::current_uid() {
        return None;
    }
    p.environ
        .iter()
        .find(|(k, _)| k == "HOME")
        .map(|(_, v)| PathBuf::from(v))
        .filter(|h| h.is_absolute())
}

/// The NapCat at a folder (and work dir): its temp under QQ's data folder, version, accounts.
fn napcat_at(
    ctx: &mut Ctx,
    qq: Option<&Qq>,
    dir: Option<PathBuf>,
    work_dir: PathBuf,
    c: &Candidate,
) -> NapCat {
    let mut data_root = None;
    let mut places = qq_data_dirs(ctx, qq, dir.as_deref().or(Some(work_dir.as_path())));
    if let Some(home) = &c.home {
        // Another user's NapCat keeps its temp in that user's QQ data folder, not ours.
        places.retain(|p| !ctx.env.home.as_deref().is_some_and(|h| p.starts_with(h)));
        places.insert(0, home.join(".config").join("QQ"));
    }
    for qq_data in places {
        let root = qq_data.join("NapCat");
        if is_dir(&root) {
            ctx.note(What::NapcatTemp, &root, Outcome::Taken, None);
            data_root = Some(root);
            break;
        }
        ctx.note(What::NapcatTemp, &root, Outcome::Missing, None);
    }
    let temp_dir = data_root
        .as_ref()
        .map(|r| r.join("temp"))
        .filter(|t| is_dir(t));
    let (version, version_file, qq_table) = read_version(dir.as_deref(), &work_dir);
    if version.is_none() {
        ctx.warn(&work_dir, msg!("warn.napcat_no_version"));
    }
    NapCat {
        accounts: config_uins(&work_dir),
        dir,
        work_dir,
        data_root,
        temp_dir,
        version,
        version_file,
        qq_table,
        source: c.source,
        source_detail: c.detail.clone(),
        named_by: c.pid.into_iter().collect(),
        loaded_by: c.app.clone(),
    }
}

/// QQ's `package.json` `main` → `loadNapCat.(c)js` (or the backup's sibling loader) → the
/// `napcat.mjs` it imports.
fn loader_candidates(ctx: &mut Ctx, app: &Path, cands: &mut Vec<Candidate>) {
    for (dir, loader) in super::napcat_loader::imported_dirs(ctx, app) {
        cands.push(Candidate {
            dir,
            work_only: false,
            source: Source::NapcatLoader,
            detail: Some(loader.display().to_string()),
            pid: None,
            app: Some(app.to_path_buf()),
            home: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loader_imports() {
        let l = "(async () => {await import('file:///opt/QQ/resources/app/app_launcher/napcat/napcat.mjs');})();";
        assert_eq!(
            import_target(l).as_deref(),
            Some("/opt/QQ/resources/app/app_launcher/napcat/napcat.mjs")
        );
        let w =
            "(async () => {await import(\"file:///C:/Users/A B/NapCat.Shell/napcat.mjs\")})() \r\n";
        assert_eq!(
            import_target(w).as_deref(),
            Some("C:/Users/A B/NapCat.Shell/napcat.mjs")
        );
        let encoded = "import('file:///D:/Nap%20Cat/napcat.mjs')";
        assert_eq!(
            import_target(encoded).as_deref(),
            Some("D:/Nap Cat/napcat.mjs")
        );
        assert_eq!(import_target("require('x')"), None);
        let rootless =
            "import('file:////home/a/Napcat/opt/QQ/resources/app/app_launcher/napcat/napcat.mjs')";
        assert_eq!(
            import_target(rootless).as_deref(),
            Some("/home/a/Napcat/opt/QQ/resources/app/app_launcher/napcat/napcat.mjs")
        );
    }
}
