//! Finds QQ's data roots and the account folders in them, per platform, from an [`Env`]:
//! Windows `<Documents>\Tencent Files\<uin>\nt_qq\nt_data` (Documents from the registry, maybe
//! redirected) and `Tencent Files\nt_qq\global\nt_data`; Linux `~/.config/QQ/nt_qq_<hex>/nt_data`
//! and `global/nt_data`, Flatpak's `~/.var/app/com.qq.QQ/config/QQ`, macOS's container, or the
//! folder named by `--qq-data` (a Docker volume).

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::env::{Env, Platform};

/// Which layout a data root has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// `Tencent Files\<uin>\nt_qq\…`: the account folder is named by the QQ number.
    Windows,
    /// `nt_qq_<hex>/…`: the folder name cannot be turned back into a QQ number.
    Unix,
}

/// Where a data root came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RootSource {
    /// `--qq-data DIR`.
    Flag,
    /// The registry's `User Shell Folders` `Personal` (Documents).
    Registry,
    /// A well-known location of this platform.
    WellKnown,
    /// Flatpak QQ's own config folder.
    Flatpak,
}

/// How an account folder was tied to a QQ number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UinFrom {
    /// The folder is named by the QQ number (Windows).
    FolderName,
    /// `nt_data/UnitedConfig/<uin>/` inside the account folder.
    UnitedConfig,
    /// `global/nt_data/mmkv/mmkv.default` pairs the folder with `<uin>_flash…` keys.
    Mmkv,
}

#[derive(Debug, Clone, Serialize)]
pub struct CacheAccount {
    /// `nt_qq_<hex>`, `<uin>\nt_qq`, or the `global` folder.
    #[serde(serialize_with = "crate::output::path::one")]
    pub folder: PathBuf,
    #[serde(serialize_with = "crate::output::path::one")]
    pub nt_data: PathBuf,
    pub global: bool,
    pub uin: Option<String>,
    pub uin_from: Option<UinFrom>,
    /// The file or folder that names the QQ number.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::output::path::opt"
    )]
    pub uin_evidence: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CacheRoot {
    #[serde(serialize_with = "crate::output::path::one")]
    pub path: PathBuf,
    pub layout: Layout,
    pub source: RootSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_detail: Option<String>,
    pub accounts: Vec<CacheAccount>,
    /// The folder holding hot-update leftovers (`versions/*.zip`), when it exists.
    #[serde(serialize_with = "crate::output::path::opt")]
    pub versions: Option<PathBuf>,
}

/// The registry key of the user's known folders (a moved Documents is found through it).
pub use crate::env::SHELL_FOLDERS;
const MACOS_QQ: &str = "Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ";
const FLATPAK_QQ: &str = ".var/app/com.qq.QQ/config/QQ";

fn is_dir(p: &Path) -> bool {
    fs::metadata(p).is_ok_and(|m| m.is_dir())
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn is_uin(s: &str) -> bool {
    (5..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `nt_qq_<hex>`: QQ's per-account folder on Linux and macOS.
pub fn is_account_folder(name: &str) -> bool {
    name.strip_prefix("nt_qq_")
        .is_some_and(|h| h.len() >= 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Candidate data roots, most specific first, as (path on this machine, layout, source, detail).
fn candidates(env: &Env) -> Vec<(PathBuf, Layout, RootSource, Option<String>)> {
    let mut out = Vec::new();
    match env.platform {
        Platform::Windows => {
            for docs in env.documents() {
                let p = env.join_relative(&docs.path, "Tencent Files");
                let source = if docs.registry.is_some() {
                    RootSource::Registry
                } else {
                    RootSource::WellKnown
                };
                out.push((p, Layout::Windows, source, docs.registry));
            }
        }
        Platform::Linux => {
            if let Some(x) = env
                .path_var("XDG_CONFIG_HOME")
                .filter(|x| x.starts_with('/'))
            {
                let p = env.join_relative(&env.resolve(x), "QQ");
                out.push((
                    p,
                    Layout::Unix,
                    RootSource::WellKnown,
                    Some("XDG_CONFIG_HOME".into()),
                ));
            }
            if let Some(p) = env.in_home(".config/QQ") {
                out.push((p, Layout::Unix, RootSource::WellKnown, None));
            }
            if let Some(p) = env.in_home(FLATPAK_QQ) {
                out.push((p, Layout::Unix, RootSource::Flatpak, None));
            }
        }
        Platform::Macos => {
            if let Some(p) = env.in_home(MACOS_QQ) {
                out.push((p, Layout::Unix, RootSource::WellKnown, None));
            }
        }
    }
    out
}

/// The layout of a folder named by `--qq-data`: Windows' when it holds `<uin>\nt_qq` or
/// `nt_qq\global`, else QQ's Unix one.
fn layout_of(dir: &Path) -> Layout {
    let windows = names(dir)
        .iter()
        .any(|n| (is_uin(n) || n == "nt_qq") && dir.join(n).join("nt_qq").is_dir())
        || dir.join("nt_qq").join("global").is_dir();
    if windows {
        Layout::Windows
    } else {
        Layout::Unix
    }
}

/// Does this folder hold QQ's data (an account folder or the shared `global`)?
pub fn holds_qq_data(dir: &Path) -> bool {
    let root = read_root(dir, layout_of(dir), RootSource::Flag, None, None);
    !root.accounts.is_empty()
}

/// Finds every data root. `flag` (`--qq-data`) replaces the search; `install` is QQ's install
/// folder, whose `versions` holds the hot-update leftovers on Windows.
pub fn find(env: &Env, flag: Option<&Path>, install: Option<&Path>) -> Vec<CacheRoot> {
    if let Some(dir) = flag {
        let win_versions = install.map(|i| i.join("versions"));
        let layout = layout_of(dir);
        let versions = match layout {
            Layout::Windows => win_versions,
            Layout::Unix => None,
        };
        return vec![read_root(dir, layout, RootSource::Flag, None, versions)];
    }
    let mut out: Vec<CacheRoot> = Vec::new();
    for (path, layout, source, detail) in candidates(env) {
        if !is_dir(&path) {
            continue;
        }
        let same = |r: &CacheRoot| {
            let c = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            c(&r.path) == c(&path)
        };
        if out.iter().any(same) {
            continue;
        }
        let versions = match layout {
            Layout::Windows => install.map(|i| i.join("versions")),
            Layout::Unix => None,
        };
        let root = read_root(&path, layout, source, detail, versions);
        if !root.accounts.is_empty() || root.versions.is_some() {
            out.push(root);
        }
    }
    out
}

fn read_root(
    path: &Path,
    layout: Layout,
    source: RootSource,
    detail: Option<String>,
    versions: Option<PathBuf>,
) -> CacheRoot {
    let mut accounts = Vec::new();
    match layout {
        Layout::Windows => {
            for name in names(path) {
                let folder = path.join(&name).join("nt_qq");
                let nt_data = folder.join("nt_data");
                if is_uin(&name) && is_dir(&nt_data) {
                    accounts.push(CacheAccount {
                        folder,
                        nt_data,
                        global: false,
                        uin: Some(name),
                        uin_from: Some(UinFrom::FolderName),
                        uin_evidence: None,
                    });
                }
            }
            let global = path.join("nt_qq").join("global");
            push_global(&mut accounts, global);
        }
        Layout::Unix => {
            let mmkv = path
                .join("global")
                .join("nt_data")
                .join("mmkv")
                .join("mmkv.default");
            let mmkv_bytes = read_small(&mmkv);
            for name in names(path) {
                let folder = path.join(&name);
                let nt_data = folder.join("nt_data");
                if !is_account_folder(&name) || !is_dir(&nt_data) {
                    continue;
                }
                let (uin, uin_from, uin_evidence) = match uin_from_united_config(&nt_data) {
                    Some((u, p)) => (Some(u), Some(UinFrom::UnitedConfig), Some(p)),
                    None => match mmkv_bytes.as_deref().and_then(|b| uin_from_mmkv(b, &name)) {
                        Some(u) => (Some(u), Some(UinFrom::Mmkv), Some(mmkv.clone())),
                        None => (None, None, None),
                    },
                };
                accounts.push(CacheAccount {
                    folder,
                    nt_data,
                    global: false,
                    uin,
                    uin_from,
                    uin_evidence,
                });
            }
            push_global(&mut accounts, path.join("global"));
        }
    }
    // Windows keeps them beside the install; Linux and macOS in the data root.
    let versions = match layout {
        Layout::Windows => versions,
        Layout::Unix => Some(path.join("versions")),
    }
    .filter(|v| is_dir(v));
    CacheRoot {
        path: path.to_path_buf(),
        layout,
        source,
        source_detail: detail,
        accounts,
        versions,
    }
}

fn push_global(accounts: &mut Vec<CacheAccount>, global: PathBuf) {
    let nt_data = global.join("nt_data");
    if is_dir(&nt_data) {
        accounts.push(CacheAccount {
            folder: global,
            nt_data,
            global: true,
            uin: None,
            uin_from: None,
            uin_evidence: None,
        });
    }
}

/// mmkv.default is a few MB at most; a larger file is not what we expect.
const MAX_MMKV: u64 = 64 << 20;

fn read_small(p: &Path) -> Option<Vec<u8>> {
    crate::fsread::read_capped(p, MAX_MMKV).ok()
}

/// `UnitedConfig/<uin>/` beside `UnitedConfig/000/`: exactly one QQ-number folder.
fn uin_from_united_config(nt_data: &Path) -> Option<(String, PathBuf)> {
    let dir = nt_data.join("UnitedConfig");
    let uins: Vec<String> = names(&dir)
        .into_iter()
        .filter(|n| is_uin(n) && is_dir(&dir.join(n)))
        .collect();
    match uins.as_slice() {
        [one] => Some((one.clone(), dir.join(one))),
        _ => None,
    }
}

/// In mmkv.default, a key such as `…/nt_qq_<hex>/nt_data/flashfransfer+<uin>_flash_…` pairs
/// the folder with its QQ number: the digits right before `_flash`, shortly after the name.
pub fn uin_from_mmkv(bytes: &[u8], folder: &str) -> Option<String> {
    let needle = folder.as_bytes();
    if needle.is_empty() {
        return None;
    }
    let mut found: Option<String> = None;
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&bytes[from..], needle) {
        let start = from + i + needle.len();
        let window = &bytes[start..bytes.len().min(start + 160)];
        if let Some(j) = memchr::memmem::find(window, b"_flash") {
            let digits: Vec<u8> = window[..j]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            let uin: String = digits.iter().rev().map(|&b| b as char).collect();
            if is_uin(&uin) {
                match &found {
                    Some(f) if *f != uin => return None, // two numbers: not sure which
                    _ => found = Some(uin),
                }
            }
        }
        from = start;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mmkv_pairs_a_folder_with_its_number() {
        let h = "nt_qq_0123456789abcdef0123456789abcdef";
        let data = format!(
            "\x00\x12/home/a/.config/QQ/{h}/nt_data/flashfransfer+123456789_flash_transfer_document_cache_key\x00\x05other"
        );
        assert_eq!(
            uin_from_mmkv(data.as_bytes(), h).as_deref(),
            Some("123456789")
        );
        assert_eq!(
            uin_from_mmkv(data.as_bytes(), "nt_qq_ffff0000ffff0000"),
            None
        );
        let two = format!("{data}{h}/x+987654321_flash_y");
        assert_eq!(uin_from_mmkv(two.as_bytes(), h), None);
    }
}
