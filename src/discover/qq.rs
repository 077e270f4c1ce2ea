//! The QQ install: where it is, its executable, its `resources/app` folder and its version.
//! After a hot update the app that runs is a copy under QQ's `versions` folder (Windows
//! `<install>\versions\<ver>\`, macOS `…/QQ/versions/<ver>/QQUpdate.app`): the version and
//! the LiteLoaderQQNT hook are read from that copy.

use std::path::{Path, PathBuf};

use super::{Ctx, Outcome, Qq, Reason, Source, What, is_dir, is_file, str_field, sub};
use crate::env::Platform;
use crate::exit::Failure;
use crate::msg;
use crate::process::QqProcess;

const FLATPAK_QQ: &str = "app/com.qq.QQ/current/active/files/extra/QQ";

/// The executable inside an install folder, per platform.
pub fn executable_in(platform: Platform, install_dir: &Path) -> PathBuf {
    match platform {
        Platform::Windows => install_dir.join("QQ.exe"),
        Platform::Linux => install_dir.join("qq"),
        Platform::Macos => sub(install_dir, "Contents/MacOS/QQ"),
    }
}

/// Accepts an install folder, or on macOS also the folder holding `QQ.app`.
fn normalize_install(platform: Platform, dir: &Path) -> Option<PathBuf> {
    if is_file(&executable_in(platform, dir)) {
        return Some(dir.to_path_buf());
    }
    if platform == Platform::Macos {
        let app = dir.join("QQ.app");
        if is_file(&executable_in(platform, &app)) {
            return Some(app);
        }
    }
    None
}

/// Does the install hold QQ's Electron app (in any layout `build` reads)?
fn has_app_folder(platform: Platform, install: &Path) -> bool {
    match platform {
        Platform::Windows => {
            is_dir(&sub(install, "resources/app")) || is_dir(&install.join("versions"))
        }
        Platform::Linux => is_dir(&sub(install, "resources/app")),
        Platform::Macos => is_dir(&sub(install, MACOS_APP_RESOURCES)),
    }
}

/// The install folder of a running QQ's executable.
fn install_of_exe(platform: Platform, exe: &Path) -> Option<PathBuf> {
    match platform {
        // QQ.app/Contents/MacOS/QQ, or a helper deeper inside QQ.app.
        Platform::Macos => exe
            .ancestors()
            .find(|a| a.extension().is_some_and(|e| e == "app") && a.join("Contents").is_dir())
            .and_then(|app| {
                // Helpers live in QQ.app/Contents/Frameworks/QQ Helper.app: take the outermost .app.
                app.ancestors()
                    .filter(|a| a.extension().is_some_and(|e| e == "app"))
                    .last()
                    .map(Path::to_path_buf)
            }),
        _ => exe.parent().map(Path::to_path_buf),
    }
}

/// Does a QQ-named process run QQNT: from the install found, or from any folder that holds
/// QQNT's app (a second QQ install, a rootless NapCat's QQ)?
pub(super) fn runs_qqnt(platform: Platform, p: &QqProcess, found: Option<&Qq>) -> bool {
    let Some(exe) = p.exe.as_deref() else {
        // Unknown executable (another user's process): only the name says QQ.
        return found.is_none();
    };
    if found.is_some_and(|q| crate::process::exe_in_install(exe, &q.install_dir)) {
        return true;
    }
    install_of_exe(platform, exe).is_some_and(|d| has_app_folder(platform, &d))
}

fn is_flatpak(dir: &Path) -> bool {
    dir.to_string_lossy()
        .replace('\\', "/")
        .contains("com.qq.QQ/current/active/files/extra/QQ")
}

/// Reads `UninstallString` (possibly quoted, with arguments) → the folder of `QQ.exe`.
pub fn dir_from_uninstall_string(s: &str) -> Option<String> {
    let s = s.trim();
    let path = if let Some(rest) = s.strip_prefix('"') {
        rest.split('"').next()?
    } else {
        // Unquoted: up to and including the ".exe".
        let lower = s.to_ascii_lowercase();
        match lower.find(".exe") {
            Some(i) => &s[..i + 4],
            None => s,
        }
    };
    let cut = path.rfind(['\\', '/'])?;
    Some(path[..cut].to_string())
}

pub(super) fn find(
    ctx: &mut Ctx,
    flag: Option<&Path>,
    processes: &[QqProcess],
) -> Result<Option<Qq>, Failure> {
    let env = ctx.env;
    let platform = env.platform;
    let what = What::QqInstall;

    if let Some(dir) = flag {
        super::check_override_dir("--qq-dir", dir, "expect.qq_dir")?;
        let Some(install) = normalize_install(platform, dir) else {
            return Err(Failure::usage(msg!(
                "err.qq_dir_no_exe",
                path = dir.display(),
                exe = executable_in(platform, Path::new("")).display()
            )));
        };
        ctx.note(what, &install, Outcome::Taken, None);
        return Ok(Some(build(ctx, install, Source::Flag, None)));
    }

    // A running QQ main process names its own executable. Of several, one whose install holds
    // QQ's app folder goes first: a program merely named like QQ (or a copy of the executable
    // alone) is not the install, whatever its PID.
    let mut running: Vec<(PathBuf, u32)> = Vec::new();
    for p in processes.iter().filter(|p| p.main) {
        let Some(exe) = &p.exe else { continue };
        match install_of_exe(platform, exe).and_then(|d| normalize_install(platform, &d)) {
            Some(install) => running.push((install, p.pid)),
            None => ctx.note(what, exe, Outcome::Rejected, Some(Reason::NoQqExecutable)),
        }
    }
    // A program named like QQ whose folder holds no QQNT app (a classic QQ.exe, a copy of
    // the executable alone) is not QQ's install. Of the rest, the lowest PID goes first (the
    // list is sorted by PID).
    let (qqnt, other): (Vec<_>, Vec<_>) = running
        .into_iter()
        .partition(|(install, _)| has_app_folder(platform, install));
    for (dir, pid) in &other {
        let detail = format!("pid {pid}");
        ctx.note_detail(what, dir, Outcome::Rejected, Some(Reason::NoQqApp), detail);
    }
    if let Some((install, pid)) = qqnt.into_iter().next() {
        ctx.note(what, &install, Outcome::Taken, None);
        let detail = format!("pid {pid}");
        return Ok(Some(build(ctx, install, Source::Process, Some(detail))));
    }

    let mut candidates: Vec<(PathBuf, Source, Option<String>)> = Vec::new();
    if platform == Platform::Windows {
        let uninstall = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\QQ";
        if let Some(s) = env.registry.get(uninstall, "UninstallString")
            && let Some(dir) = dir_from_uninstall_string(&s)
        {
            let detail = format!(r"{uninstall}\UninstallString");
            candidates.push((env.resolve(&dir), Source::Registry, Some(detail)));
        }
        let tencent = r"HKLM\SOFTWARE\WOW6432Node\Tencent\QQNT";
        if let Some(s) = env.registry.get(tencent, "Install") {
            let s = s.trim().trim_matches('"');
            // The value may name the folder or QQ.exe itself.
            let dir = if s.to_ascii_lowercase().ends_with(".exe") {
                dir_from_uninstall_string(s).unwrap_or_default()
            } else {
                s.to_string()
            };
            if !dir.is_empty() {
                let detail = format!(r"{tencent}\Install");
                candidates.push((env.resolve(&dir), Source::Registry, Some(detail)));
            }
        }
    }
    for dir in well_known(ctx) {
        candidates.push((dir, Source::WellKnown, None));
    }

    for (dir, source, detail) in candidates {
        match normalize_install(platform, &dir) {
            Some(install) => {
                ctx.note(what, &install, Outcome::Taken, None);
                return Ok(Some(build(ctx, install, source, detail)));
            }
            None if is_dir(&dir) => {
                ctx.note(what, &dir, Outcome::Rejected, Some(Reason::NoQqExecutable))
            }
            None => ctx.note(what, &dir, Outcome::Missing, None),
        }
    }
    Ok(None)
}

fn well_known(ctx: &Ctx) -> Vec<PathBuf> {
    let env = ctx.env;
    let mut out = Vec::new();
    match env.platform {
        Platform::Windows => {
            let pf = env
                .path_var("ProgramFiles")
                .unwrap_or(r"C:\Program Files")
                .to_string();
            out.push(env.resolve(&format!(r"{pf}\Tencent\QQNT")));
            let pf86 = env
                .path_var("ProgramFiles(x86)")
                .unwrap_or(r"C:\Program Files (x86)")
                .to_string();
            out.push(env.resolve(&format!(r"{pf86}\Tencent\QQNT")));
        }
        Platform::Linux => {
            out.push(env.resolve("/opt/QQ"));
            // NapCat's installer, rootless mode: its own QQ copy.
            out.extend(env.in_home("Napcat/opt/QQ"));
            out.push(env.resolve(&format!("/var/lib/flatpak/{FLATPAK_QQ}")));
            out.extend(env.in_home(&format!(".local/share/flatpak/{FLATPAK_QQ}")));
        }
        Platform::Macos => {
            out.push(env.resolve("/Applications/QQ.app"));
            out.extend(env.in_home("Applications/QQ.app"));
        }
    }
    out
}

/// The `curVersion` of a hot-update config, noted in the trail: taken; missing; there but
/// unusable (unreadable, malformed: with why); or without a version.
fn cur_version_in(ctx: &mut Ctx, cfg: &Path) -> Option<String> {
    let v = match ctx.read_json_or_why(cfg) {
        Ok(v) => v,
        Err(unread) => {
            ctx.note_unread(What::QqVersion, cfg, unread);
            return None;
        }
    };
    let Some(cur) = str_field(&v, "curVersion") else {
        let no_version = Some(Reason::NoVersion);
        ctx.note(What::QqVersion, cfg, Outcome::Rejected, no_version);
        return None;
    };
    ctx.note(What::QqVersion, cfg, Outcome::Taken, None);
    Some(cur.to_string())
}

/// Fills in the app folder and the version of an install folder.
fn build(ctx: &mut Ctx, install_dir: PathBuf, source: Source, detail: Option<String>) -> Qq {
    let env = ctx.env;
    let platform = env.platform;
    let flatpak = is_flatpak(&install_dir);

    // Hot-update configs, most specific first.
    let mut configs: Vec<PathBuf> = Vec::new();
    let mut app_dir: Option<PathBuf> = None;
    match platform {
        Platform::Windows => configs.push(sub(&install_dir, "versions/config.json")),
        Platform::Linux => {
            if flatpak {
                configs.extend(env.in_home(".var/app/com.qq.QQ/config/QQ/versions/config.json"));
            }
            configs.extend(env.in_home(".config/QQ/versions/config.json"));
        }
        Platform::Macos => {
            configs.extend(env.in_home("Library/Application Support/QQ/versions/config.json"));
            configs.extend(env.in_home(
                "Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ/versions/config.json",
            ));
        }
    }

    let mut hot_update: Option<PathBuf> = None;
    let mut version_from_folder: Option<String> = None;
    let mut cur_version: Option<(String, PathBuf)> = None;
    for cfg in &configs {
        if let Some(cur) = cur_version_in(ctx, cfg) {
            cur_version = Some((cur, cfg.clone()));
            break;
        }
    }

    match platform {
        Platform::Windows => {
            // New layout (9.9.15-28060+): versions/<curVersion>/resources/app.
            // `curVersion` names a folder in versions\: a plain name, never a path elsewhere.
            if let Some((cur, _)) = cur_version.as_ref().filter(|(c, _)| is_plain_name(c)) {
                let app = sub(&install_dir.join("versions").join(cur), "resources/app");
                if is_dir(&app) {
                    app_dir = Some(app);
                }
            }
            if app_dir.is_none() {
                app_dir = newest_versioned_app(&install_dir.join("versions"), "resources/app");
            }
            // versions\<ver>\resources\app → versions\<ver>: what runs, whatever QQ.exe shows.
            hot_update = app_dir
                .as_deref()
                .and_then(|a| a.parent()?.parent())
                .filter(|v| v.parent().is_some_and(|p| p.ends_with("versions")))
                .map(Path::to_path_buf);
            if app_dir.is_none() {
                let old = sub(&install_dir, "resources/app");
                if is_dir(&old) {
                    // Old layout keeps its config inside the app folder.
                    if cur_version.is_none() {
                        let cfg = sub(&old, "versions/config.json");
                        cur_version = cur_version_in(ctx, &cfg).map(|cur| (cur, cfg));
                    }
                    app_dir = Some(old);
                }
            }
        }
        Platform::Linux => {
            let app = sub(&install_dir, "resources/app");
            app_dir = is_dir(&app).then_some(app);
        }
        Platform::Macos => {
            // A hot update runs …/QQ/versions/<curVersion>/QQUpdate.app, beside the config.
            let update = cur_version
                .as_ref()
                .filter(|(c, _)| is_plain_name(c))
                .and_then(|(c, cfg)| Some(cfg.parent()?.join(c).join(MACOS_UPDATE_APP)))
                .filter(|a| is_dir(&sub(a, MACOS_APP_RESOURCES)))
                .or_else(|| {
                    // No usable config: the newest copy in any of the versions folders.
                    configs.iter().find_map(|cfg| {
                        let app = newest_versioned_app(cfg.parent()?, MACOS_UPDATE_APP_RESOURCES)?;
                        Some(app.parent()?.parent()?.parent()?.to_path_buf())
                    })
                });
            match update {
                Some(u) => {
                    app_dir = Some(sub(&u, MACOS_APP_RESOURCES));
                    if cur_version.is_none()
                        && let Some(name) = u.parent().and_then(Path::file_name)
                    {
                        // The folder is named after the version (the config was unreadable).
                        version_from_folder = name.to_str().map(str::to_string);
                    }
                    hot_update = Some(u);
                }
                None => {
                    let app = sub(&install_dir, MACOS_APP_RESOURCES);
                    app_dir = is_dir(&app).then_some(app);
                }
            }
        }
    }

    let (mut version, mut version_file) = match cur_version {
        Some((v, f)) => (Some(v), Some(f)),
        None => (None, None),
    };
    let mut build_no = version.as_deref().and_then(build_of);
    if let Some(app) = &app_dir {
        let pkg = app.join("package.json");
        if let Some(v) = ctx.read_json(&pkg) {
            if version.is_none() {
                version = str_field(&v, "version").map(str::to_string);
                if version.is_some() {
                    version_file = Some(pkg.clone());
                }
                build_no = version.as_deref().and_then(build_of);
            }
            if build_no.is_none() {
                build_no = str_field(&v, "buildVersion").and_then(|b| b.parse().ok());
            }
        }
    }
    if version.is_none()
        && let Some(v) = version_from_folder
    {
        build_no = build_of(&v);
        version_file = hot_update.clone();
        version = Some(v);
    }

    let staged_update = super::qq_update::staged(ctx, version_file.as_deref());
    Qq {
        executable: executable_in(platform, &install_dir),
        install_dir,
        app_dir,
        version,
        build: build_no,
        platform,
        source,
        source_detail: detail,
        version_file,
        flatpak,
        hot_update,
        staged_update,
    }
}

/// The app folder inside a macOS hot-update copy, and the copy's name.
const MACOS_UPDATE_APP: &str = "QQUpdate.app";
const MACOS_APP_RESOURCES: &str = "Contents/Resources/app";
const MACOS_UPDATE_APP_RESOURCES: &str = "QQUpdate.app/Contents/Resources/app";

/// Without a readable `versions/config.json`, the highest `<versions>/<v>/<app>` (by build).
fn newest_versioned_app(versions: &Path, app: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(versions).ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let app = sub(&e.path(), app);
            let build = build_of(&name)?;
            is_dir(&app).then_some((build, app))
        })
        .max_by_key(|(b, _)| *b)
        .map(|(_, app)| app)
}

/// A single file name: not empty, not `.` or `..`, no separator or drive colon.
fn is_plain_name(s: &str) -> bool {
    !matches!(s, "" | "." | "..") && !s.contains(['/', '\\', ':'])
}

/// The build number after the `-` of a QQ version (`9.9.15-28418` → 28418).
pub fn build_of(version: &str) -> Option<u32> {
    let (_, b) = version.trim().rsplit_once('-')?;
    b.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uninstall_strings() {
        assert_eq!(
            dir_from_uninstall_string(r#""C:\Program Files\Tencent\QQNT\Uninstall.exe""#)
                .as_deref(),
            Some(r"C:\Program Files\Tencent\QQNT")
        );
        assert_eq!(
            dir_from_uninstall_string(r"D:\QQNT\Uninstall.exe /S").as_deref(),
            Some(r"D:\QQNT")
        );
        assert_eq!(dir_from_uninstall_string("garbage"), None);
        assert_eq!(dir_from_uninstall_string(""), None);
    }

    #[test]
    fn macos_helpers_belong_to_the_outermost_app() {
        let t = tempfile::tempdir().unwrap();
        let app = t.path().join("Applications/QQ.app");
        let main = app.join("Contents/MacOS/QQ");
        let helper = app.join(
            "Contents/Frameworks/QQ Helper (Renderer).app/Contents/MacOS/QQ Helper (Renderer)",
        );
        for exe in [&main, &helper] {
            std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
            std::fs::write(exe, b"\xcf\xfa\xed\xfe").unwrap();
        }
        assert_eq!(install_of_exe(Platform::Macos, &main), Some(app.clone()));
        assert_eq!(install_of_exe(Platform::Macos, &helper), Some(app.clone()));
        assert_eq!(normalize_install(Platform::Macos, &app), Some(app.clone()));
        // --qq-dir may name the folder holding QQ.app.
        assert_eq!(
            normalize_install(Platform::Macos, app.parent().unwrap()),
            Some(app.clone())
        );
        // A Windows or Linux install is the executable's folder.
        assert_eq!(
            install_of_exe(Platform::Windows, Path::new("/x/QQNT/QQ.exe")),
            Some(PathBuf::from("/x/QQNT"))
        );
    }

    #[test]
    fn cur_version_must_name_a_folder_in_versions() {
        assert!(is_plain_name("9.9.15-28131"));
        for bad in ["", ".", "..", "../../x", r"C:\x", "C:x", "/etc", r"a\b"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
        let base = Path::new("QQNT");
        assert_eq!(
            sub(base, "resources/app"),
            base.join("resources").join("app")
        );
    }

    #[test]
    fn builds() {
        assert_eq!(build_of("9.9.15-28418"), Some(28418));
        assert_eq!(build_of("3.2.12-26702"), Some(26702));
        assert_eq!(build_of("9.9.15"), None);
        assert_eq!(build_of("9.9.15-"), None);
    }
}
