//! QQ's own media cache (`nt_data` of each account folder, and the hot-update zips of
//! `versions/`), as a stack whose target rows are the cache kinds. Its entries are files several
//! folders deep, so every row has the shape [`Shape::QqCache`], which asks the kinds table of
//! `crate::qq_cache::kinds` (also the single list of what is never touched).

use super::{
    Look, Main, Own, Processes, Rows, Shape, Stack, Switch, TargetSpec, Types, VersionFile,
};
use crate::qq_cache::CacheKind;

const ID: &str = "qq_cache";

const fn row(kind: CacheKind, name: &'static str, lost: &'static str) -> TargetSpec {
    TargetSpec {
        stack: ID,
        kind: name,
        folder: None,
        shape: Shape::QqCache(kind),
        types: Types::NoFolders,
        walk: false,
        switch: Switch::Default,
        rows: Rows::Folder,
        age: true,
        lost,
    }
}

pub const PIC: TargetSpec = row(CacheKind::Pic, "pic", "received pictures");
pub const VIDEO: TargetSpec = row(CacheKind::Video, "video", "received videos");
pub const PTT: TargetSpec = row(CacheKind::Ptt, "ptt", "voice messages");
pub const FILE: TargetSpec = row(
    CacheKind::File,
    "file",
    "received files: may be the only copy",
);
pub const EMOJI: TargetSpec = row(CacheKind::Emoji, "emoji", "received stickers");
pub const TEMP: TargetSpec = row(CacheKind::Temp, "temp", "transfer leftovers");
pub const LOG: TargetSpec = row(CacheKind::Log, "log", "QQ's own logs");
pub const HOT_UPDATE: TargetSpec = row(
    CacheKind::HotUpdate,
    "hot_update",
    "update packages already applied",
);

pub static STACK: Stack = Stack {
    id: ID,
    short: "qq-cache",
    bot: "qq",
    name: "QQ",
    program: "QQ",
    account_config: "",
    look: Look {
        profile_data: None,
        data_dir_flag: false,
    },
    version: VersionFile {
        file: "",
        identity: ("", ""),
        field: "",
    },
    processes: Processes {
        own: Own::QqOfInstall,
        main: Main::ElectronWithoutType,
    },
    targets: &[PIC, VIDEO, PTT, FILE, EMOJI, TEMP, LOG, HOT_UPDATE],
    must_keep: &[],
    data_markers: &[],
    nested_markers: &[],
    dir_name: None,
    log_families: &[],
};

/// The row of a cache kind.
pub fn spec(kind: CacheKind) -> &'static TargetSpec {
    STACK
        .targets
        .iter()
        .find(|t| matches!(t.shape, Shape::QqCache(k) if k == kind))
        .unwrap_or(&STACK.targets[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::Kind;

    #[test]
    fn rows_follow_the_kinds_table() {
        for k in crate::qq_cache::kinds::KINDS.iter().map(|r| r.kind) {
            assert_eq!(spec(k).kind, k.as_str());
        }
        let pic = Kind(spec(CacheKind::Pic));
        assert!(pic.shape_ok(&["Pic", "2024-05", "Ori", "a.jpg"]));
        assert!(!pic.shape_ok(&["nt_db", "a.jpg"]));
        assert!(!Kind(spec(CacheKind::Emoji)).shape_ok(&["Emoji", "personal_emoji", "a.png"]));
        assert!(Kind(spec(CacheKind::HotUpdate)).shape_ok(&["9.9.9-1.zip"]));
    }
}
