//! LiteLoaderQQNT: its root (from QQ's launcher hook or well-known places), its profile and the
//! data and plugins folders below the profile.
//!
//! The profile follows LiteLoaderQQNT's own order (`src/main/api.js`): `LITELOADERQQNT_PROFILE`,
//! else, for 1.3+ loaded as a plugin of the QwQNT framework, `<QwQNT data>/LiteLoader`, else the
//! root. A QwQNT install is recognised by its shape: QQ's hook requires the QwQNT folder, whose
//! `plugins/` holds the LiteLoaderQQNT root and whose `data/LiteLoader` is the profile.

use std::path::{Path, PathBuf};

use super::{
    Ctx, LiteLoader, Outcome, Overrides, Qq, Reason, Source, What, is_dir, str_field, sub,
};
use crate::env::Platform;
use crate::exit::Failure;
use crate::msg;
use crate::process::QqProcess;

mod profile;
mod qwqnt;

use profile::find_profile;
pub use profile::parse_rc_block;
use qwqnt::root_in_qwqnt;

/// The `name` in LiteLoaderQQNT's own package.json.
const LL_PACKAGE_NAME: &str = "liteloader-qqnt";

/// The string arguments of every `require(...)` in a JavaScript source: `String.raw`...``,
/// "double" and 'single' quoted (with JS escapes undone), and plain template literals.
pub fn require_args(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find("require") {
        rest = &rest[i + "require".len()..];
        let Some(after) = rest.trim_start().strip_prefix('(') else {
            continue;
        };
        if let Some(s) = js_string(after.trim_start()) {
            out.push(s);
        }
    }
    out
}

fn js_string(s: &str) -> Option<String> {
    if let Some(r) = s.strip_prefix("String.raw") {
        let r = r.trim_start().strip_prefix('`')?;
        let end = r.find('`')?;
        return Some(r[..end].to_string());
    }
    let mut chars = s.chars();
    let quote = chars.next()?;
    if !matches!(quote, '"' | '\'' | '`') {
        return None;
    }
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            c if c == quote => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            '\n' if quote != '`' => return None,
            c => out.push(c),
        }
    }
    None
}

/// A require argument that names a file or folder rather than a module (`electron`, `node:path`).
fn is_path_like(arg: &str) -> bool {
    !arg.starts_with('@') && (arg.contains('/') || arg.contains('\\') || arg.starts_with('.'))
}

/// A LiteLoaderQQNT root is confirmed only by its package.json name. Returns the version.
pub(super) fn confirm_root(ctx: &mut Ctx, dir: &Path) -> Result<Option<String>, Reason> {
    if !is_dir(dir) {
        return Err(Reason::NotADirectory);
    }
    let pkg = dir.join("package.json");
    let Some(v) = ctx.read_json(&pkg) else {
        return Err(Reason::NotLiteloaderRoot);
    };
    if str_field(&v, "name") != Some(LL_PACKAGE_NAME) {
        return Err(Reason::NotLiteloaderRoot);
    }
    let version = str_field(&v, "version").map(str::to_string);
    if version.is_none() {
        ctx.warn(&pkg, msg!("warn.no_version"));
    }
    Ok(version)
}

pub(super) struct Root {
    dir: PathBuf,
    version: Option<String>,
    source: Source,
    detail: Option<String>,
}

pub(super) fn find(
    ctx: &mut Ctx,
    overrides: &Overrides,
    qq: Option<&Qq>,
    processes: &[QqProcess],
) -> Result<Option<LiteLoader>, Failure> {
    let root = find_root(ctx, overrides.ll_dir.as_deref(), qq)?;
    let profile = find_profile(
        ctx,
        overrides.profile.as_deref(),
        qq,
        processes,
        root.as_ref(),
    )?;
    let Some((profile, profile_source, profile_detail)) = profile else {
        return Ok(None);
    };
    Ok(Some(LiteLoader {
        data_dir: profile.join("data"),
        plugins_dir: profile.join("plugins"),
        profile,
        profile_source,
        profile_source_detail: profile_detail,
        version: root.as_ref().and_then(|r| r.version.clone()),
        source: root.as_ref().map(|r| r.source),
        source_detail: root.as_ref().and_then(|r| r.detail.clone()),
        root: root.map(|r| r.dir),
    }))
}

fn find_root(ctx: &mut Ctx, flag: Option<&Path>, qq: Option<&Qq>) -> Result<Option<Root>, Failure> {
    let what = What::LiteloaderRoot;
    if let Some(dir) = flag {
        super::check_override_dir("--ll-dir", dir, "expect.ll_dir")?;
        return match confirm_root(ctx, dir) {
            Ok(version) => {
                ctx.note(what, dir, Outcome::Taken, None);
                Ok(Some(Root {
                    dir: dir.to_path_buf(),
                    version,
                    source: Source::Flag,
                    detail: None,
                }))
            }
            Err(_) => Err(Failure::usage(msg!(
                "err.ll_dir_not_root",
                path = dir.display()
            ))),
        };
    }

    if let Some(qq) = qq
        && let Some(app) = &qq.app_dir
        && let Some(root) = root_from_hook(ctx, qq, app)
    {
        return Ok(Some(root));
    }

    for dir in well_known_roots(ctx, qq) {
        match confirm_root(ctx, &dir) {
            Ok(version) => {
                ctx.note(what, &dir, Outcome::Taken, None);
                return Ok(Some(Root {
                    dir,
                    version,
                    source: Source::WellKnown,
                    detail: None,
                }));
            }
            Err(Reason::NotADirectory) => ctx.note(what, &dir, Outcome::Missing, None),
            Err(r) => ctx.note(what, &dir, Outcome::Rejected, Some(r)),
        }
    }
    Ok(None)
}

/// Follows QQ's `package.json` `main` to the launcher and its `require(...)`, then the older
/// hook: a `require(...)` prepended to `app_launcher/index.js`.
fn root_from_hook(ctx: &mut Ctx, qq: &Qq, app: &Path) -> Option<Root> {
    let what = What::LiteloaderRoot;
    let pkg_path = app.join("package.json");
    let main = ctx
        .read_json(&pkg_path)
        .and_then(|v| str_field(&v, "main").map(str::to_string));
    let mut launchers: Vec<(PathBuf, Source)> = Vec::new();
    if let Some(main) = &main {
        let norm = main.replace('\\', "/");
        let file_name = norm.rsplit('/').next().unwrap_or("");
        if crate::stack::napcat::LOADERS
            .iter()
            .any(|l| file_name.eq_ignore_ascii_case(l))
        {
            ctx.note_detail(
                what,
                &pkg_path,
                Outcome::Rejected,
                Some(Reason::NapcatLoader),
                main,
            );
        } else if file_name == "index.js" && norm.contains("app_launcher/") {
            ctx.note_detail(
                what,
                &pkg_path,
                Outcome::Rejected,
                Some(Reason::OriginalQqMain),
                main,
            );
        } else {
            launchers.push((ctx.env.join_relative(app, main), Source::Launcher));
        }
    }
    for index in ["app_launcher/index.js", "application/app_launcher/index.js"] {
        launchers.push((sub(app, index), Source::IndexJs));
    }

    for (file, source) in launchers {
        let Some(text) = ctx.read_text(&file) else {
            if source == Source::Launcher {
                ctx.note(what, &file, Outcome::Missing, None);
            }
            continue;
        };
        let args: Vec<String> = require_args(&text)
            .into_iter()
            .filter(|a| is_path_like(a))
            .collect();
        if args.is_empty() {
            if source == Source::Launcher {
                ctx.note(what, &file, Outcome::Rejected, Some(Reason::NoRequire));
            }
            continue;
        }
        let base = file.parent().unwrap_or(app).to_path_buf();
        for arg in args {
            let mut dir = ctx.env.resolve_from(&base, &arg);
            if !dir.exists() && qq.flatpak && arg.starts_with("/app/") {
                // A path inside the Flatpak sandbox: /app is the app's `files` folder.
                ctx.note_detail(
                    what,
                    &dir,
                    Outcome::Rejected,
                    Some(Reason::SandboxOnly),
                    &arg,
                );
                let files = qq.install_dir.parent().and_then(Path::parent);
                match files {
                    Some(files) => dir = ctx.env.join_relative(files, &arg["/app/".len()..]),
                    None => continue,
                }
            }
            // `require` of a file inside the root names its folder.
            if dir.is_file()
                && let Some(parent) = dir.parent()
            {
                dir = parent.to_path_buf();
            }
            match confirm_root(ctx, &dir) {
                Ok(version) => {
                    ctx.note_detail(what, &dir, Outcome::Taken, None, &arg);
                    return Some(Root {
                        dir,
                        version,
                        source,
                        detail: Some(file.display().to_string()),
                    });
                }
                Err(Reason::NotADirectory) => {
                    let reason = arg.starts_with("/app/").then_some(Reason::SandboxOnly);
                    ctx.note_detail(what, &dir, Outcome::Missing, reason, &arg);
                }
                Err(r) => {
                    ctx.note_detail(what, &dir, Outcome::Rejected, Some(r), &arg);
                    if let Some(root) = root_in_qwqnt(ctx, &dir) {
                        return Some(Root {
                            source,
                            detail: Some(file.display().to_string()),
                            ..root
                        });
                    }
                }
            }
        }
    }
    None
}

fn well_known_roots(ctx: &Ctx, qq: Option<&Qq>) -> Vec<PathBuf> {
    let env = ctx.env;
    let mut out = Vec::new();
    match env.platform {
        Platform::Linux => {
            out.extend(env.in_home(".local/share/LiteLoaderQQNT"));
            out.push(env.resolve("/opt/LiteLoaderQQNT"));
            if let Some(q) = qq {
                out.push(sub(
                    &q.install_dir,
                    "resources/app/app_launcher/LiteLoaderQQNT",
                ));
            }
        }
        Platform::Macos => {
            out.extend(
                env.in_home("Library/Containers/com.tencent.qq/Data/Documents/LiteLoaderQQNT"),
            );
        }
        Platform::Windows => {
            if let Some(q) = qq {
                if let Some(app) = &q.app_dir {
                    out.push(app.join("LiteLoaderQQNT"));
                }
                let old = sub(&q.install_dir, "resources/app/LiteLoaderQQNT");
                if !out.contains(&old) {
                    out.push(old);
                }
            }
            out.push(env.resolve(r"C:\LiteLoaderQQNT"));
            out.extend(env.in_documents("LiteLoaderQQNT"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_forms_from_the_samples() {
        assert_eq!(
            require_args(r"require(String.raw`C:\LiteLoaderQQNT`);"),
            vec![r"C:\LiteLoaderQQNT"]
        );
        assert_eq!(
            require_args(r#"require("/home/alice/.local/share/LiteLoaderQQNT");"#),
            vec!["/home/alice/.local/share/LiteLoaderQQNT"]
        );
        assert_eq!(
            require_args(r#"require('C:\\LL\\x'); require( "electron" )"#),
            vec![r"C:\LL\x", "electron"]
        );
        assert_eq!(require_args("require(foo)"), Vec::<String>::new());
        assert_eq!(require_args("require(\"unterminated"), Vec::<String>::new());
        assert!(!is_path_like("electron") && !is_path_like("node:path"));
        assert!(is_path_like("./LiteLoaderQQNT") && is_path_like(r"C:\LL"));
    }
}
