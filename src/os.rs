//! The few calls into the operating system that are not about files: the Windows registry.
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
