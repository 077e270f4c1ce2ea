//! Windows shortcuts (`.lnk`, the Shell Link format of [MS-SHLLINK]): the path a shortcut on
//! the Desktop or in the Start menu points at, and its working folder. Only what a shortcut to
//! a local program holds is read: the `LinkInfo` local base path (Unicode when present, else the
//! ANSI one) and the `WORKING_DIR` string. Anything malformed gives nothing.

use std::path::Path;

/// The header's size and class id, which every shell link starts with.
const HEADER_SIZE: usize = 0x4C;
const CLSID: [u8; 16] = [
    0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
];

// LinkFlags.
const HAS_ID_LIST: u32 = 0x1;
const HAS_LINK_INFO: u32 = 0x2;
const HAS_NAME: u32 = 0x4;
const HAS_RELATIVE_PATH: u32 = 0x8;
const HAS_WORKING_DIR: u32 = 0x10;
const IS_UNICODE: u32 = 0x80;
// LinkInfoFlags.
const VOLUME_ID_AND_LOCAL_BASE_PATH: u32 = 0x1;

/// What a shortcut points at.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// The target's path, as Windows writes it (`C:\LLBot\llbot.exe`).
    pub target: Option<String>,
    /// The folder the target is started in.
    pub working_dir: Option<String>,
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?)).ok()
}

/// A NUL-terminated single-byte string (the system code page; only ASCII is trusted).
fn ansi_at(b: &[u8], at: usize) -> Option<String> {
    let rest = b.get(at..)?;
    let end = rest.iter().position(|&c| c == 0)?;
    let s = &rest[..end];
    s.is_ascii()
        .then(|| String::from_utf8_lossy(s).into_owned())
}

/// A NUL-terminated UTF-16 string.
fn unicode_at(b: &[u8], at: usize) -> Option<String> {
    let rest = b.get(at..)?;
    let units: Vec<u16> = rest
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16(&units).ok()
}

/// Reads a shortcut's bytes.
pub fn parse(b: &[u8]) -> Option<Link> {
    if u32_at(b, 0)? != HEADER_SIZE || b.get(4..20)? != CLSID {
        return None;
    }
    let flags = u32_at(b, 0x14)? as u32;
    let mut at = HEADER_SIZE;
    if flags & HAS_ID_LIST != 0 {
        at += 2 + u16_at(b, at)?;
    }
    let mut link = Link::default();
    if flags & HAS_LINK_INFO != 0 {
        let info = at;
        let size = u32_at(b, info)?;
        let header = u32_at(b, info + 4)?;
        let info_flags = u32_at(b, info + 8)? as u32;
        if info_flags & VOLUME_ID_AND_LOCAL_BASE_PATH != 0 {
            link.target = if header >= 0x24 {
                unicode_at(b, info + u32_at(b, info + 28)?)
            } else {
                None
            }
            .or_else(|| ansi_at(b, info + u32_at(b, info + 16)?))
            .filter(|s| !s.is_empty());
        }
        at = info.checked_add(size)?;
    }
    // StringData: NAME, RELATIVE_PATH, WORKING_DIR, … each a count of characters then them.
    let unit = if flags & IS_UNICODE != 0 { 2 } else { 1 };
    for (flag, keep) in [
        (HAS_NAME, false),
        (HAS_RELATIVE_PATH, false),
        (HAS_WORKING_DIR, true),
    ] {
        if flags & flag == 0 {
            continue;
        }
        let n = u16_at(b, at)?;
        let bytes = b.get(at + 2..at + 2 + n * unit)?;
        if keep {
            let s = if unit == 2 {
                let units: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16(&units).ok()
            } else {
                bytes
                    .is_ascii()
                    .then(|| String::from_utf8_lossy(bytes).into_owned())
            };
            link.working_dir = s.filter(|s| !s.is_empty());
        }
        at += 2 + n * unit;
    }
    Some(link)
}

/// Reads the shortcut at `path` (at most 64 KiB).
pub fn read(path: &Path) -> Option<Link> {
    let bytes = crate::fsread::read_capped(path, 64 * 1024).ok()?;
    parse(&bytes)
}

#[cfg(test)]
#[path = "../../tests/common/lnk.rs"]
mod lnk;

#[cfg(test)]
mod tests {
    use super::lnk::build;
    use super::*;

    #[test]
    fn a_shortcut_to_a_local_program_gives_its_path_and_folder() {
        let b = build(r"D:\机器人\LLBot\llbot.exe", r"D:\机器人\LLBot");
        let l = parse(&b).unwrap();
        assert_eq!(l.target.as_deref(), Some(r"D:\机器人\LLBot\llbot.exe"));
        assert_eq!(l.working_dir.as_deref(), Some(r"D:\机器人\LLBot"));
    }

    #[test]
    fn garbage_gives_nothing() {
        assert_eq!(parse(b""), None);
        assert_eq!(parse(&[0u8; 200]), None);
        let b = build(r"C:\a.exe", r"C:\");
        for n in 0..b.len() {
            // Any truncation: no panic.
            let _ = parse(&b[..n]);
        }
    }
}
