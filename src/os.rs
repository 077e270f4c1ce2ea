//! The few calls into the operating system that are not about files: the Windows registry,
//! and whether a program holds a file open (to say so when Windows refuses to replace it).
//! Processes and signals live in `process.rs`.

/// Reads a string value, `key` being `HKLM\...` or `HKCU\...`. `None` when absent or unreadable.
#[cfg(windows)]
pub fn registry_string(key: &str, value: &str) -> Option<String> {
    use winreg::RegKey;
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ};
    let (hive, sub) = key.split_once('\\')?;
    let hive = match hive {
        "HKLM" | "HKEY_LOCAL_MACHINE" => RegKey::predef(HKEY_LOCAL_MACHINE),
        "HKCU" | "HKEY_CURRENT_USER" => RegKey::predef(HKEY_CURRENT_USER),
        _ => return None,
    };
    let k = hive.open_subkey_with_flags(sub, KEY_READ).ok()?;
    k.get_value::<String, _>(value).ok()
}

#[cfg(not(windows))]
pub fn registry_string(_key: &str, _value: &str) -> Option<String> {
    None
}

/// The names of a key's subkeys (at most 4096), `key` as for [`registry_string`]; none when
/// absent or unreadable.
#[cfg(windows)]
pub fn registry_subkeys(key: &str) -> Vec<String> {
    use winreg::RegKey;
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ};
    let Some((hive, sub)) = key.split_once('\\') else {
        return Vec::new();
    };
    let hive = match hive {
        "HKLM" | "HKEY_LOCAL_MACHINE" => RegKey::predef(HKEY_LOCAL_MACHINE),
        "HKCU" | "HKEY_CURRENT_USER" => RegKey::predef(HKEY_CURRENT_USER),
        _ => return Vec::new(),
    };
    match hive.open_subkey_with_flags(sub, KEY_READ) {
        Ok(k) => k.enum_keys().filter_map(Result::ok).take(4096).collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(not(windows))]
pub fn registry_subkeys(_key: &str) -> Vec<String> {
    Vec::new()
}

/// The letters of this machine's fixed drives (`C`, `D`): local disks only, never a network,
/// removable or optical drive, which may not answer at once.
#[cfg(windows)]
pub fn fixed_drives() -> Vec<char> {
    use windows_sys::Win32::Storage::FileSystem::{GetDriveTypeW, GetLogicalDrives};
    const DRIVE_FIXED: u32 = 3;
    // SAFETY: no arguments.
    let mask = unsafe { GetLogicalDrives() };
    ('A'..='Z')
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, l)| l)
        .filter(|l| {
            let root: Vec<u16> = format!("{l}:\\\0").encode_utf16().collect();
            // SAFETY: a NUL-terminated string alive for the call.
            unsafe { GetDriveTypeW(root.as_ptr()) == DRIVE_FIXED }
        })
        .collect()
}

#[cfg(not(windows))]
pub fn fixed_drives() -> Vec<char> {
    Vec::new()
}

/// Does another program hold the file at `path` open? On Windows a file open in a program
/// that does not share it for deletion cannot be replaced or removed, and Windows only says
/// "access denied": this asks again by opening it without sharing, which a file open elsewhere
/// refuses with a sharing violation. Always `false` elsewhere (an open file never blocks).
#[cfg(windows)]
pub fn held_open(path: &std::path::Path) -> bool {
    use std::os::windows::fs::OpenOptionsExt;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    const ERROR_LOCK_VIOLATION: i32 = 33;
    match std::fs::OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(path)
    {
        Ok(_) => false,
        Err(e) => matches!(
            e.raw_os_error(),
            Some(ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION)
        ),
    }
}

#[cfg(not(windows))]
pub fn held_open(_path: &std::path::Path) -> bool {
    false
}
