//! The facts about QQ's media cache as data: one row per cache kind (where it lives inside
//! `nt_data`, whether `clean --qq-cache` takes it by default, how it is aged, what is lost), and
//! the names that are never touched. The scan and the final guard both ask [`classify`], so a
//! file is removed only if this table says what it is.

use serde::Serialize;

/// A kind of QQ cache file, as shown by `detect` and selected by `--qq-cache-kinds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum CacheKind {
    Pic,
    Video,
    Ptt,
    File,
    Emoji,
    Temp,
    Log,
    #[value(name = "hot_update")]
    HotUpdate,
}

/// One row of the table. Every kind is aged file by file: only files older than the age
/// (QQ's 3 days, or `--older-than`) are taken, whatever the age of their folder.
pub struct KindRow {
    pub kind: CacheKind,
    /// Where the files are, relative to `nt_data` (for docs and `detect -v`).
    pub pattern: &'static str,
    /// Taken by `clean --qq-cache` without `--qq-cache-kinds`.
    pub default_on: bool,
    /// What the user loses; a catalogue key.
    pub lost: &'static str,
}

/// Every kind, in display order.
pub const KINDS: [KindRow; 8] = [
    KindRow {
        kind: CacheKind::Pic,
        pattern: "Pic/<YYYY-MM>/{Ori,Thumb}/…",
        default_on: true,
        lost: "qqcache.lost_pic",
    },
    KindRow {
        kind: CacheKind::Video,
        pattern: "Video/<YYYY-MM>/{Ori,Thumb}/…",
        default_on: true,
        lost: "qqcache.lost_video",
    },
    KindRow {
        kind: CacheKind::Ptt,
        pattern: "Ptt/<YYYY-MM>/Ori/…",
        default_on: true,
        lost: "qqcache.lost_ptt",
    },
    KindRow {
        kind: CacheKind::File,
        pattern: "File/…, dataline/<YYYY-MM>/…",
        default_on: false,
        lost: "qqcache.lost_file",
    },
    KindRow {
        kind: CacheKind::Emoji,
        pattern: "Emoji/emoji-recv/<YYYY-MM>/…",
        default_on: true,
        lost: "qqcache.lost_emoji",
    },
    KindRow {
        kind: CacheKind::Temp,
        pattern: "*/<YYYY-MM>/{OriTemp,ThumbTemp}/…, File/*Temp/…, Emoji/BaseEmojiSyastems/ThumbTemp/…, flashfransfer/{upload_temp,download_temp,thumb}/…",
        default_on: true,
        lost: "qqcache.lost_temp",
    },
    KindRow {
        kind: CacheKind::Log,
        pattern: "log/…, Log/…, log-cache/…",
        default_on: true,
        lost: "qqcache.lost_log",
    },
    KindRow {
        kind: CacheKind::HotUpdate,
        pattern: "<QQ data or install>/versions/*.zip",
        default_on: true,
        lost: "qqcache.lost_hot_update",
    },
];

impl CacheKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheKind::Pic => "pic",
            CacheKind::Video => "video",
            CacheKind::Ptt => "ptt",
            CacheKind::File => "file",
            CacheKind::Emoji => "emoji",
            CacheKind::Temp => "temp",
            CacheKind::Log => "log",
            CacheKind::HotUpdate => "hot_update",
        }
    }

    pub fn row(self) -> &'static KindRow {
        // Every kind has exactly one row; the fallback is never taken.
        KINDS.iter().find(|r| r.kind == self).unwrap_or(&KINDS[0])
    }

    /// The kinds `clean --qq-cache` takes when none are named.
    pub fn defaults() -> Vec<CacheKind> {
        KINDS
            .iter()
            .filter(|r| r.default_on)
            .map(|r| r.kind)
            .collect()
    }
}

/// Folder names never entered nor removed, wherever they appear (compared ignoring case).
pub const NEVER_FOLDERS: [&str; 11] = [
    "nt_db",
    "mmkv",
    "msf",
    "UnitedConfig",
    "OnlineStatus",
    "config",
    "personal_emoji",
    "marketface",
    "avatar",
    "Login",
    "nt_temp",
];

/// File-name endings never removed: databases and their journals.
pub const NEVER_SUFFIXES: [&str; 4] = [".db", "-wal", "-shm", "-journal"];

/// The top folders of `nt_data` a scan walks (only these; nothing else is entered).
pub const WALK_ROOTS: [&str; 11] = [
    "Pic",
    "Video",
    "Ptt",
    "dataline",
    "File",
    "Emoji/emoji-recv",
    "Emoji/BaseEmojiSyastems/ThumbTemp",
    "flashfransfer",
    "log",
    "Log",
    "log-cache",
];

/// The kinds a walk root may hold: its own, and the interrupted downloads (`*Temp`).
pub fn root_kinds(root: &str) -> &'static [CacheKind] {
    match root {
        "Pic" => &[CacheKind::Pic, CacheKind::Temp],
        "Video" => &[CacheKind::Video, CacheKind::Temp],
        "Ptt" => &[CacheKind::Ptt, CacheKind::Temp],
        "dataline" | "File" => &[CacheKind::File, CacheKind::Temp],
        "Emoji/emoji-recv" => &[CacheKind::Emoji, CacheKind::Temp],
        "log" | "Log" | "log-cache" => &[CacheKind::Log],
        _ => &[CacheKind::Temp],
    }
}

/// Walk roots whose files are in month folders (`Pic/<YYYY-MM>/…`): a row of the plan is a
/// month folder there, and the walk root itself elsewhere.
const MONTHLY_ROOTS: [&str; 5] = ["Pic", "Video", "Ptt", "dataline", "Emoji/emoji-recv"];

/// Is this folder (its path relative to `nt_data`, as names) a row of a clean plan of `kind`:
/// a month folder of a monthly walk root, or a walk root without months, that can hold files
/// of that kind? A clean of QQ's cache removes only files inside such folders, file by file.
pub fn is_row_folder(kind: CacheKind, parts: &[&str]) -> bool {
    WALK_ROOTS.iter().any(|root| {
        if !root_kinds(root).contains(&kind) {
            return false;
        }
        let root_parts: Vec<&str> = root.split('/').collect();
        let Some(rest) = parts.strip_prefix(root_parts.as_slice()) else {
            return false;
        };
        match rest {
            [] => !MONTHLY_ROOTS.contains(root),
            [month] => MONTHLY_ROOTS.contains(root) && is_month(month),
            _ => false,
        }
    })
}

/// `YYYY-MM`, QQ's month folders.
pub fn is_month(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// A name on the never-touch list (a folder, or a database file). Compared as bytes: a name's
/// end may fall inside a character (`报告.pdf`), which a `str` slice would panic on.
pub fn is_never(name: &str) -> bool {
    NEVER_FOLDERS.iter().any(|n| n.eq_ignore_ascii_case(name))
        || NEVER_SUFFIXES
            .iter()
            .any(|s| ends_with_ignore_case(name, s))
}

/// Does `name` end with the ASCII `suffix`, ignoring ASCII case?
fn ends_with_ignore_case(name: &str, suffix: &str) -> bool {
    let (name, suffix) = (name.as_bytes(), suffix.as_bytes());
    name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn temp_or(sub: &str, kind: CacheKind) -> CacheKind {
    if sub.ends_with("Temp") {
        CacheKind::Temp
    } else {
        kind
    }
}

/// What a file inside `nt_data` is, from its path relative to `nt_data` (folders, then the
/// file name): its kind and its month folder. `None` for anything the table does not name,
/// and for anything on the never-touch list, at any depth.
pub fn classify<'a>(parts: &[&'a str]) -> Option<(CacheKind, Option<&'a str>)> {
    if parts
        .iter()
        .any(|p| is_never(p) || p.is_empty() || *p == "." || *p == "..")
    {
        return None;
    }
    match parts {
        // <biz>/<YYYY-MM>/<sub>/…/<file> (a file right in the month folder too).
        [
            biz @ ("Pic" | "Video" | "Ptt" | "dataline"),
            month,
            rest @ ..,
        ] if is_month(month) && !rest.is_empty() => {
            let kind = match *biz {
                "Pic" => CacheKind::Pic,
                "Video" => CacheKind::Video,
                "Ptt" => CacheKind::Ptt,
                // Files sent between the user's own devices: kept unless asked, like File.
                _ => CacheKind::File,
            };
            let kind = if rest.len() >= 2 {
                temp_or(rest[0], kind)
            } else {
                kind
            };
            Some((kind, Some(month)))
        }
        ["Emoji", "emoji-recv", month, rest @ ..] if is_month(month) && !rest.is_empty() => {
            let kind = if rest.len() >= 2 {
                temp_or(rest[0], CacheKind::Emoji)
            } else {
                CacheKind::Emoji
            };
            Some((kind, Some(month)))
        }
        ["Emoji", "BaseEmojiSyastems", "ThumbTemp", _, ..] => Some((CacheKind::Temp, None)),
        ["File", sub, _, ..] => Some((temp_or(sub, CacheKind::File), None)),
        [
            "flashfransfer",
            "upload_temp" | "download_temp" | "thumb",
            _,
            ..,
        ] => Some((CacheKind::Temp, None)),
        ["log" | "Log" | "log-cache", _, ..] => Some((CacheKind::Log, None)),
        _ => None,
    }
}

/// A hot-update leftover in a `versions` folder: `<name>.zip`, directly inside.
pub fn is_hot_update_zip(parts: &[&str]) -> bool {
    matches!(parts, [name] if name.len() > 4 && name.to_ascii_lowercase().ends_with(".zip") && !is_never(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_classifies_the_real_layout() {
        fn c(p: &'static str) -> Option<(CacheKind, Option<&'static str>)> {
            classify(&p.split('/').collect::<Vec<_>>())
        }
        assert_eq!(
            c("Pic/2024-05/Ori/a.jpg"),
            Some((CacheKind::Pic, Some("2024-05")))
        );
        assert_eq!(
            c("Pic/2024-05/OriTemp/a.jpg"),
            Some((CacheKind::Temp, Some("2024-05")))
        );
        assert_eq!(
            c("Video/2024-05/Thumb/a.png"),
            Some((CacheKind::Video, Some("2024-05")))
        );
        assert_eq!(
            c("Ptt/2024-05/Ori/a.amr"),
            Some((CacheKind::Ptt, Some("2024-05")))
        );
        assert_eq!(
            c("dataline/2024-05/Ori/a.pdf"),
            Some((CacheKind::File, Some("2024-05")))
        );
        assert_eq!(
            c("Emoji/emoji-recv/2024-05/Thumb/a.gif"),
            Some((CacheKind::Emoji, Some("2024-05")))
        );
        assert_eq!(
            c("Emoji/BaseEmojiSyastems/ThumbTemp/1_base.zip"),
            Some((CacheKind::Temp, None))
        );
        assert_eq!(
            c("File/file_assistant/x.pdf"),
            Some((CacheKind::File, None))
        );
        assert_eq!(c("File/ThumbTemp/x.png"), Some((CacheKind::Temp, None)));
        assert_eq!(
            c("flashfransfer/upload_temp/x"),
            Some((CacheKind::Temp, None))
        );
        assert_eq!(c("log/qq.log"), Some((CacheKind::Log, None)));
        // Never, even inside a cache folder.
        for never in [
            "nt_db/nt_msg.db",
            "mmkv/mmkv.default",
            "msf/x",
            "UnitedConfig/10001/x",
            "OnlineStatus/x",
            "config/x",
            "Emoji/personal_emoji/Ori/a.jpg",
            "Emoji/marketface/123/a.gif",
            "avatar/a.png",
            "Pic/2024-05/Ori/cache.db",
            "Pic/2024-05/Ori/cache.db-wal",
            "Pic/2024-05/Ori/cache.db-shm",
            "Pic/2024-05/config/x.jpg",
            "Pic/a.jpg",
            "Pic/2024-05",
            "Pic/misc/a.jpg",
            "Emoji/emoji-related/a.gif",
            "bc_09.db",
            "Pic/2024-05/../../nt_db/x",
        ] {
            assert_eq!(c(never), None, "{never}");
        }
        assert!(is_hot_update_zip(&["9.9.15-9.9.16.zip"]));
        // Rows: month folders of monthly kinds, top folders of the others.
        assert!(is_row_folder(CacheKind::Pic, &["Pic", "2024-06"]));
        assert!(is_row_folder(CacheKind::Temp, &["Pic", "2024-06"]));
        assert!(is_row_folder(CacheKind::File, &["File"]));
        assert!(is_row_folder(CacheKind::Temp, &["flashfransfer"]));
        assert!(is_row_folder(
            CacheKind::Emoji,
            &["Emoji", "emoji-recv", "2024-06"]
        ));
        for (k, p) in [
            (CacheKind::Pic, &["Pic"][..]),
            (CacheKind::Pic, &["Pic", "misc"]),
            (CacheKind::Pic, &["Pic", "2024-06", "Ori"]),
            (CacheKind::Video, &["Pic", "2024-06"]),
            (CacheKind::Pic, &["nt_db"]),
            (CacheKind::Log, &["File"]),
            (CacheKind::File, &[]),
        ] {
            assert!(!is_row_folder(k, p), "{k:?} {p:?}");
        }
        assert!(!is_hot_update_zip(&["config.json"]) && !is_hot_update_zip(&["9.9.16", "a.zip"]));
    }
}
