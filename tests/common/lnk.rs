//! A Windows shortcut (`.lnk`, [MS-SHLLINK]) as Windows writes one to a local program: the
//! header, a LinkInfo with the local base path (ANSI and Unicode) and a Unicode working folder.
//! Shared by the parser's unit tests (`src/discover/shortcut.rs`) and `tests/windows_installs.rs`.

const HEADER_SIZE: usize = 0x4C;
const CLSID: [u8; 16] = [1, 0x14, 2, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46];
const HAS_LINK_INFO: u32 = 0x2;
const HAS_WORKING_DIR: u32 = 0x10;
const IS_UNICODE: u32 = 0x80;

/// The shortcut's bytes; characters the ANSI path cannot hold are written `?`, as Windows does.
pub fn build(target: &str, working_dir: &str) -> Vec<u8> {
    let mut b = vec![0u8; HEADER_SIZE];
    b[0..4].copy_from_slice(&(HEADER_SIZE as u32).to_le_bytes());
    b[4..20].copy_from_slice(&CLSID);
    let flags = HAS_LINK_INFO | HAS_WORKING_DIR | IS_UNICODE;
    b[0x14..0x18].copy_from_slice(&flags.to_le_bytes());
    // LinkInfo: a 0x24-byte header, an empty VolumeID, the ANSI then the Unicode path.
    let volume = [0x10u8, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0];
    let ansi: Vec<u8> = target
        .bytes()
        .map(|c| if c.is_ascii() { c } else { b'?' })
        .chain([0])
        .collect();
    let wide: Vec<u8> = target
        .encode_utf16()
        .chain([0])
        .flat_map(u16::to_le_bytes)
        .collect();
    let header = 0x24usize;
    let ansi_at = header + volume.len();
    let suffix_at = ansi_at + ansi.len();
    let wide_at = suffix_at + 1;
    let size = wide_at + wide.len() + 2;
    let mut info = Vec::new();
    for v in [
        size,
        header,
        1,
        header,
        ansi_at,
        0,
        suffix_at,
        wide_at,
        wide_at + wide.len(),
    ] {
        info.extend((v as u32).to_le_bytes());
    }
    info.extend(volume);
    info.extend(&ansi);
    info.push(0);
    info.extend(&wide);
    info.extend([0, 0]);
    b.extend(info);
    let wd: Vec<u16> = working_dir.encode_utf16().collect();
    b.extend((wd.len() as u16).to_le_bytes());
    b.extend(wd.iter().flat_map(|u| u.to_le_bytes()));
    b.extend([0, 0, 0, 0]);
    b
}
