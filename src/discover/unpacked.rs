//! Where users put LLBot (its CLI and Desktop zips) and NapCat.Shell while nothing of them
//! runs: a folder named after it directly in the home folder and, on Windows, on the Desktop,
//! in Downloads and Documents (where Windows keeps them) and at the top of each fixed drive
//! (`C:\`, `D:\`), one level deep, plus one more level for NapCat's one-key zip
//! (`NapCat.Shell.Windows.OneKey\NapCat.<n>.Shell`); the folders that shortcuts on the Desktop
//! and in the Start menu point at; and the install folders of uninstall entries named after
//! it. Each place is only a candidate: the stack's own check says whether an install is there.

use std::path::{Path, PathBuf};

use crate::env::{Env, Platform};

/// Which stack's installs are looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Llbot,
    Napcat,
}

/// A folder that may hold an install, and how it was named (a shortcut, an uninstall entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub dir: PathBuf,
    pub detail: Option<String>,
}

/// How many folders of one base are taken, and how many shortcuts are read.
const PER_BASE: usize = 32;
const SHORTCUTS: usize = 256;

/// Uninstall entries, per user and per machine (32-bit programs on 64-bit Windows too).
const UNINSTALL: &[&str] = &[
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall",
];

/// Does a folder's (or an uninstall entry's) name say it is this stack's?
fn named(kind: Kind, name: &str) -> bool {
    let n = name.to_lowercase();
    match kind {
        Kind::Llbot => ["llbot", "llonebot", "luckylillia"]
            .iter()
            .any(|p| n.starts_with(p)),
        Kind::Napcat => n.starts_with("napcat"),
    }
}

/// Is a shortcut's target one of the stack's programs (or its launcher script)?
fn program(kind: Kind, file: &str) -> bool {
    let f = file.to_lowercase();
    match kind {
        Kind::Llbot => {
            (f.starts_with("llbot") || f.starts_with("llonebot")) && f.ends_with(".exe")
                || f == "pmhq.exe"
        }
        Kind::Napcat => {
            f == "napcatwinbootmain.exe"
                || (f.starts_with("launcher") && f.ends_with(".bat"))
                || f.starts_with("napcat")
        }
    }
}

/// Folders directly in `base` whose name says the stack (sorted, at most [`PER_BASE`]).
fn named_in(kind: Kind, base: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| named(kind, &e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .take(PER_BASE)
        .collect();
    found.sort();
    found
}

/// The user's Desktop folders: where Windows keeps it (`User Shell Folders` `Desktop`), then
/// `<home>\Desktop`.
fn desktops(env: &Env) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = env
        .registry
        .get(crate::env::folders::SHELL_FOLDERS, "Desktop")
        .map(|v| env.expand_percent(v.trim()))
        .filter(|v| env.is_absolute(v))
        .map(|v| env.resolve(&v))
        .into_iter()
        .collect();
    out.extend(env.in_home("Desktop").filter(|d| !out.contains(d)));
    out
}

/// The fixed drives' roots (`C:\`, `D:\`): on an inspected disk the drive folders it holds;
/// on this machine only fixed disks (a network or removable drive may not answer).
fn drive_roots(env: &Env) -> Vec<PathBuf> {
    let letters: Vec<char> = if env.root.is_some() {
        ('C'..='Z').collect()
    } else {
        crate::os::fixed_drives()
    };
    letters
        .into_iter()
        .map(|l| env.resolve(&format!("{l}:\\")))
        .filter(|d| d.is_dir())
        .collect()
}

/// The Start menu's folders (this user's and every user's), with their subfolders.
fn start_menus(env: &Env) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (var, rel) in [
        ("APPDATA", r"Microsoft\Windows\Start Menu\Programs"),
        ("ProgramData", r"Microsoft\Windows\Start Menu\Programs"),
    ] {
        let Some(base) = env
            .path_var(var)
            .map(|v| env.resolve(v))
            .or_else(|| (var == "APPDATA").then(|| env.in_home("AppData/Roaming"))?)
        else {
            continue;
        };
        let menu = env.join_relative(&base, &rel.replace('\\', "/"));
        out.extend(
            std::fs::read_dir(&menu)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .take(PER_BASE),
        );
        out.push(menu);
    }
    out
}

/// The folders the shortcuts in `dirs` point at (their target's folder and their working
/// folder), for shortcuts to the stack's programs or into a folder named after it.
fn shortcuts(env: &Env, kind: Kind, dirs: &[PathBuf]) -> Vec<Place> {
    let mut out = Vec::new();
    let links = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .to_lowercase()
                .ends_with(".lnk")
        })
        .take(SHORTCUTS);
    for e in links {
        let Some(link) = super::shortcut::read(&e.path()) else {
            continue;
        };
        let detail = Some(format!("shortcut {}", e.path().display()));
        let target = link.target.as_deref().map(|t| env.resolve(t));
        let ours = target.as_deref().is_some_and(|t| {
            t.file_name()
                .is_some_and(|f| program(kind, &f.to_string_lossy()))
                || t.ancestors().skip(1).take(3).any(|a| {
                    a.file_name()
                        .is_some_and(|f| named(kind, &f.to_string_lossy()))
                })
        });
        if !ours {
            continue;
        }
        let folder = target
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let working = link.working_dir.as_deref().map(|w| env.resolve(w));
        for dir in folder.into_iter().chain(working) {
            // The launcher may sit in the install or one level below it (`bin\llbot`).
            for d in dir.ancestors().take(3) {
                out.push(Place {
                    dir: d.to_path_buf(),
                    detail: detail.clone(),
                });
            }
        }
    }
    out
}

/// The install folders of uninstall entries named after the stack: `InstallLocation`, else
/// the folder of `DisplayIcon`.
fn uninstall_entries(env: &Env, kind: Kind) -> Vec<Place> {
    let mut out = Vec::new();
    for key in UNINSTALL {
        for sub in env.registry.subkeys(key) {
            let entry = format!(r"{key}\{sub}");
            let name = env.registry.get(&entry, "DisplayName").unwrap_or_default();
            if !named(kind, &name) && !named(kind, &sub) {
                continue;
            }
            let dir = env
                .registry
                .get(&entry, "InstallLocation")
                .map(|v| v.trim().trim_matches('"').to_string())
                .filter(|v| env.is_absolute(v))
                .map(|v| env.resolve(&v))
                .or_else(|| {
                    let icon = env.registry.get(&entry, "DisplayIcon")?;
                    let file = icon.split(',').next()?.trim().trim_matches('"').to_string();
                    env.is_absolute(&file)
                        .then(|| env.resolve(&file).parent().map(Path::to_path_buf))?
                });
            if let Some(dir) = dir {
                out.push(Place {
                    dir,
                    detail: Some(format!("uninstall entry {entry}")),
                });
            }
        }
    }
    out
}

/// Every place to look at for the stack's installs, most specific first, each once.
pub fn places(env: &Env, kind: Kind) -> Vec<Place> {
    let mut bases: Vec<PathBuf> = env.home_dir().into_iter().collect();
    let windows = env.platform == Platform::Windows;
    if windows {
        bases.extend(desktops(env));
        bases.extend(env.downloads());
        bases.extend(env.documents().into_iter().map(|d| d.path));
        bases.extend(drive_roots(env));
    }
    let mut out: Vec<Place> = Vec::new();
    if windows {
        out.extend(uninstall_entries(env, kind));
        let mut dirs = desktops(env);
        dirs.extend(start_menus(env));
        out.extend(shortcuts(env, kind, &dirs));
    }
    for base in &bases {
        for dir in named_in(kind, base) {
            if kind == Kind::Napcat {
                // The one-key zip: NapCat itself one level further down.
                for inner in named_in(kind, &dir) {
                    out.push(Place {
                        dir: inner,
                        detail: None,
                    });
                }
            }
            out.push(Place { dir, detail: None });
        }
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    out.retain(|p| {
        let new = !seen.iter().any(|s| super::same_folder(s, &p.dir));
        if new {
            seen.push(p.dir.clone());
        }
        new
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_programs() {
        assert!(named(Kind::Llbot, "LLBot-CLI-win-x64"));
        assert!(named(Kind::Llbot, "LLOneBot"));
        assert!(named(Kind::Llbot, "LuckyLilliaBot-Desktop"));
        assert!(!named(Kind::Llbot, "NapCat.Shell"));
        assert!(named(Kind::Napcat, "NapCat.Shell.Windows.OneKey"));
        assert!(program(Kind::Llbot, "llbot.exe"));
        assert!(program(Kind::Llbot, "LLBot.exe"));
        assert!(!program(Kind::Llbot, "QQ.exe"));
        assert!(program(Kind::Napcat, "launcher-user.bat"));
        assert!(program(Kind::Napcat, "NapCatWinBootMain.exe"));
        assert!(!program(Kind::Napcat, "llbot.exe"));
    }
}
