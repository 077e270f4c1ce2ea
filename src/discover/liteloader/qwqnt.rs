//! LiteLoaderQQNT 1.3+ as a plugin of the QwQNT framework: QQ's hook requires QwQNT, whose
//! `plugins/` holds the LiteLoaderQQNT root and whose `data/LiteLoader` is the profile
//! (`src/main/api.js`: `path.join(qwqnt.framework.paths.data, "LiteLoader")`).

use std::path::{Path, PathBuf};

use super::{Root, confirm_root};
use crate::discover::{Ctx, Outcome, Source, What, is_dir};
use crate::version::Dotted;

/// LiteLoaderQQNT runs as a QwQNT plugin from this version on.
const QWQNT_SINCE: Dotted = Dotted::new(1, 3, 0);

/// QQ's hook requires the QwQNT framework, not LiteLoaderQQNT: a LiteLoaderQQNT root among
/// QwQNT's plugins (`<QwQNT>/plugins/<name>`), in name order.
pub(super) fn root_in_qwqnt(ctx: &mut Ctx, qwqnt: &Path) -> Option<Root> {
    let plugins = qwqnt.join("plugins");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&plugins)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_dir(p) && p.join("package.json").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        if let Ok(version) = confirm_root(ctx, &dir) {
            ctx.note(What::LiteloaderRoot, &dir, Outcome::Taken, None);
            return Some(Root {
                dir,
                version,
                source: Source::Launcher,
                detail: None,
            });
        }
    }
    None
}

/// `<QwQNT data>/LiteLoader` when the root is a QwQNT plugin (`<QwQNT>/plugins/<name>`) and
/// that folder exists; LiteLoaderQQNT before 1.3 never looks there.
pub(super) fn qwqnt_profile(root: &Root) -> Option<PathBuf> {
    let plugins = root.dir.parent()?;
    if plugins.file_name()? != "plugins" {
        return None;
    }
    let v = root
        .version
        .as_deref()
        .and_then(|v| Dotted::parse(v).ok())?;
    if v < QWQNT_SINCE {
        return None;
    }
    let profile = plugins.parent()?.join("data").join("LiteLoader");
    is_dir(&profile).then_some(profile)
}
