//! NapCat's loaders: QQ's `package.json` `main` names `loadNapCat.(c)js`, which imports
//! `napcat.mjs` by a `file://` URL or a path.

use std::path::{Path, PathBuf};

use super::{Ctx, Outcome, Reason, What, is_file, str_field};
use crate::stack::napcat::{LOADERS, ORIGINAL_PACKAGE};

/// The path inside the first `import('…')` of a loader, `file://` URL or plain path.
pub fn import_target(src: &str) -> Option<String> {
    let mut rest = src;
    while let Some(i) = rest.find("import") {
        rest = &rest[i + "import".len()..];
        let Some(after) = rest.trim_start().strip_prefix('(') else {
            continue;
        };
        let after = after.trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let body = &after[1..];
        let end = body.find(quote)?;
        let raw = &body[..end];
        let path = match raw.strip_prefix("file://") {
            // file:///C:/x → C:/x ; file:///opt/x → /opt/x
            Some(p) => {
                let b = p.as_bytes();
                if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
                    p[1..].to_string()
                } else if p.starts_with("//") {
                    // The rootless installer writes `file:///${HOME}/…`: `file:////home/…`.
                    format!("/{}", p.trim_start_matches('/'))
                } else {
                    p.to_string()
                }
            }
            None => raw.to_string(),
        };
        return Some(percent_decode(&path));
    }
    None
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                b.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// QQ's `package.json` `main` → `loadNapCat.(c)js` (or the backup's sibling loader) → the
/// `napcat.mjs` it imports: the folder it is in, and the loader that named it.
pub(super) fn imported_dirs(ctx: &mut Ctx, app: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let pkg = app.join("package.json");
    let mut loaders: Vec<PathBuf> = Vec::new();
    if let Some(main) = ctx
        .read_json(&pkg)
        .and_then(|v| str_field(&v, "main").map(str::to_string))
    {
        let norm = main.replace('\\', "/");
        let name = norm.rsplit('/').next().unwrap_or("");
        if LOADERS.iter().any(|l| l.eq_ignore_ascii_case(name)) {
            loaders.push(ctx.env.join_relative(app, &main));
        }
    }
    if is_file(&app.join(ORIGINAL_PACKAGE)) {
        for l in LOADERS {
            let p = app.join(l);
            if !loaders.contains(&p) {
                loaders.push(p);
            }
        }
    }
    for loader in loaders {
        let Some(text) = ctx.read_text(&loader) else {
            ctx.note(What::NapcatDir, &loader, Outcome::Missing, None);
            continue;
        };
        let Some(target) = import_target(&text) else {
            ctx.note(
                What::NapcatDir,
                &loader,
                Outcome::Rejected,
                Some(Reason::NoRequire),
            );
            continue;
        };
        let base = loader.parent().unwrap_or(app).to_path_buf();
        let file = ctx.env.resolve_from(&base, &target);
        let dir = if file.extension().is_some_and(|x| x == "mjs" || x == "js") {
            file.parent().map(Path::to_path_buf).unwrap_or(file)
        } else {
            file
        };
        out.push((dir, loader));
    }
    out
}
