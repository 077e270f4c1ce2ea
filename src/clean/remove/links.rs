//! Windows: which file attributes and reparse tags mean "a link": remove the link itself, never
//! descend. Data, decided apart from the OS calls, so it is tested as a table on every platform.

/// `FILE_ATTRIBUTE_DIRECTORY`.
pub const ATTR_DIRECTORY: u32 = 0x10;
/// `FILE_ATTRIBUTE_REPARSE_POINT`.
pub const ATTR_REPARSE_POINT: u32 = 0x400;

/// Reparse tags (winnt.h).
pub const TAG_MOUNT_POINT: u32 = 0xA000_0003;
pub const TAG_SYMLINK: u32 = 0xA000_000C;
pub const TAG_APPEXECLINK: u32 = 0x8000_001B;
pub const TAG_LX_SYMLINK: u32 = 0xA000_001D;
pub const TAG_AF_UNIX: u32 = 0x8000_0023;
pub const TAG_WCI: u32 = 0x8000_0018;
pub const TAG_DEDUP: u32 = 0x8000_0013;
/// `IO_REPARSE_TAG_CLOUD` .. `IO_REPARSE_TAG_CLOUD_F` (OneDrive and other cloud placeholders).
pub const TAG_CLOUD: u32 = 0x9000_001A;
pub const TAG_CLOUD_MASK: u32 = 0xFFFF_0FFF;

/// A reparse tag whose name-surrogate bit is set stands for another file or folder (a junction,
/// mount point or symbolic link), not for data of its own.
pub fn is_name_surrogate(tag: u32) -> bool {
    tag & 0x2000_0000 != 0
}

/// What the deletion does with an entry met in a walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treat {
    /// A real folder: empty it, then remove it.
    Descend,
    /// A file (or a reparse point that stands for a file's own data): remove it.
    RemoveFile,
    /// A link, junction, mount point or any reparse point on a folder: remove the link itself
    /// (as a folder entry, without opening what it points to), never descend.
    RemoveLinkDir,
    /// A link or reparse point on a file entry: remove the entry itself, never follow.
    RemoveLinkFile,
}

/// Decides from the attributes and, for a reparse point, its tag. Every reparse point on a
/// folder is treated as a link: a cloud placeholder folder or a mount point must not be walked
/// (walking would hydrate it from the network or cross into another volume).
pub fn treat(attributes: u32, reparse_tag: Option<u32>) -> Treat {
    let dir = attributes & ATTR_DIRECTORY != 0;
    let reparse = attributes & ATTR_REPARSE_POINT != 0 || reparse_tag.is_some();
    match (dir, reparse) {
        (true, false) => Treat::Descend,
        (false, false) => Treat::RemoveFile,
        (true, true) => Treat::RemoveLinkDir,
        (false, true) => Treat::RemoveLinkFile,
    }
}

/// A short name for a reparse tag, for messages.
pub fn tag_name(tag: u32) -> &'static str {
    match tag {
        TAG_SYMLINK => "symbolic link",
        TAG_MOUNT_POINT => "junction or mount point",
        TAG_APPEXECLINK => "app execution alias",
        TAG_LX_SYMLINK => "WSL symbolic link",
        TAG_AF_UNIX => "Unix socket",
        TAG_WCI => "container file",
        TAG_DEDUP => "deduplicated file",
        t if t & TAG_CLOUD_MASK == TAG_CLOUD => "cloud placeholder",
        _ => "reparse point",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_never_descended_into() {
        const FILE: u32 = 0x20; // FILE_ATTRIBUTE_ARCHIVE
        const DIR: u32 = ATTR_DIRECTORY;
        const RP: u32 = ATTR_REPARSE_POINT;
        #[rustfmt::skip]
        let table: &[(&str, u32, Option<u32>, Treat)] = &[
            ("plain folder", DIR, None, Treat::Descend),
            ("plain file", FILE, None, Treat::RemoveFile),
            ("read-only hidden file", 0x1 | 0x2, None, Treat::RemoveFile),
            ("directory symlink", DIR | RP, Some(TAG_SYMLINK), Treat::RemoveLinkDir),
            ("file symlink", FILE | RP, Some(TAG_SYMLINK), Treat::RemoveLinkFile),
            ("junction", DIR | RP, Some(TAG_MOUNT_POINT), Treat::RemoveLinkDir),
            ("volume mount point", DIR | RP, Some(TAG_MOUNT_POINT), Treat::RemoveLinkDir),
            ("app execution alias", FILE | RP, Some(TAG_APPEXECLINK), Treat::RemoveLinkFile),
            ("WSL symlink", FILE | RP, Some(TAG_LX_SYMLINK), Treat::RemoveLinkFile),
            ("OneDrive folder placeholder", DIR | RP, Some(TAG_CLOUD), Treat::RemoveLinkDir),
            ("OneDrive file placeholder", FILE | RP, Some(0x9000_301A), Treat::RemoveLinkFile),
            ("cloud folder, tag F", DIR | RP, Some(0x9000_F01A), Treat::RemoveLinkDir),
            ("unknown tag on a folder", DIR | RP, Some(0x1234_5678), Treat::RemoveLinkDir),
            ("attribute without a tag read", DIR | RP, None, Treat::RemoveLinkDir),
            ("tag without the attribute", DIR, Some(TAG_SYMLINK), Treat::RemoveLinkDir),
        ];
        for &(what, attrs, tag, want) in table {
            assert_eq!(treat(attrs, tag), want, "{what}");
        }
        assert_eq!(tag_name(0x9000_601A), "cloud placeholder");
        assert_eq!(tag_name(TAG_MOUNT_POINT), "junction or mount point");
    }
}
