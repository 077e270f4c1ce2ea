//! The user's known folders on Windows (Documents, Downloads): where Windows keeps them, in the
//! registry's `User Shell Folders` (a folder moved to `D:\Documents` or into OneDrive is
//! written there), then in the home folder. Everything meant as "in Documents" is looked for
//! through [`Env::documents`].

use std::path::PathBuf;

use super::{Env, Platform};

/// Where Windows keeps the user's known folders, a moved Documents among them (`Personal`).
pub const SHELL_FOLDERS: &str =
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders";

/// The `User Shell Folders` value naming the Downloads folder (it has no friendly name).
const DOWNLOADS_VALUE: &str = "{374DE290-123F-4565-9164-39C4925E467B}";

/// A Documents folder on Windows (see [`Env::documents`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documents {
    /// The folder, on this machine.
    pub path: PathBuf,
    /// `<key>\Personal = <value>` when the registry named it.
    pub registry: Option<String>,
}

impl Env {
    /// The user's Documents folders on Windows, most specific first: the one Windows itself
    /// keeps (`User Shell Folders` `Personal` in the registry, where a Documents moved to
    /// `D:\Documents` or into OneDrive is written, `%VAR%` expanded), then `<home>\Documents`.
    /// Every place meant as "in Documents" (QQ's `Tencent Files`, NapCat's temp there,
    /// LiteLoaderQQNT in Documents) is looked for through this. Empty on other platforms.
    pub fn documents(&self) -> Vec<Documents> {
        if self.platform != Platform::Windows {
            return Vec::new();
        }
        let mut out = Vec::new();
        let moved = self
            .registry
            .get(SHELL_FOLDERS, "Personal")
            .map(|v| self.expand_percent(v.trim()))
            .filter(|v| self.is_absolute(v));
        if let Some(docs) = moved {
            out.push(Documents {
                path: self.resolve(&docs),
                registry: Some(format!(r"{SHELL_FOLDERS}\Personal = {docs}")),
            });
        }
        if let Some(path) = self.in_home("Documents")
            && !out.iter().any(|d| d.path == path)
        {
            out.push(Documents {
                path,
                registry: None,
            });
        }
        out
    }

    /// The user's Downloads folders on Windows: the one Windows keeps (`User Shell Folders`,
    /// value `{374DE290-123F-4565-9164-39C4925E467B}`, moved or not), then `<home>\Downloads`.
    /// Empty on other platforms.
    pub fn downloads(&self) -> Vec<PathBuf> {
        if self.platform != Platform::Windows {
            return Vec::new();
        }
        let mut out: Vec<PathBuf> = self
            .registry
            .get(SHELL_FOLDERS, DOWNLOADS_VALUE)
            .map(|v| self.expand_percent(v.trim()))
            .filter(|v| self.is_absolute(v))
            .map(|v| self.resolve(&v))
            .into_iter()
            .collect();
        if let Some(home) = self.in_home("Downloads")
            && !out.contains(&home)
        {
            out.push(home);
        }
        out
    }

    /// `<Documents>\<rel>` for each of [`Env::documents`], in order (`rel` uses `/`).
    pub fn in_documents(&self, rel: &str) -> Vec<PathBuf> {
        self.documents()
            .into_iter()
            .map(|d| self.join_relative(&d.path, rel))
            .collect()
    }

    /// Expands `%NAME%` from the environment (registry values of type `REG_EXPAND_SZ`);
    /// `%USERPROFILE%` is the home folder. An unknown variable stays as written.
    pub fn expand_percent(&self, value: &str) -> String {
        let mut out = String::new();
        let mut rest = value;
        while let Some(start) = rest.find('%') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('%') {
                Some(end) if end > 0 => {
                    let name = &after[..end];
                    let v = if name.eq_ignore_ascii_case("USERPROFILE") {
                        self.home.as_deref().or(self.var(name))
                    } else {
                        self.var(name)
                    };
                    match v {
                        Some(v) => out.push_str(v),
                        None => {
                            out.push('%');
                            out.push_str(name);
                            out.push('%');
                        }
                    }
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('%');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::env::Registry;

    fn fake(platform: Platform) -> Env {
        Env {
            platform,
            home: Some(r"C:\Users\alice".into()),
            vars: BTreeMap::new(),
            root: Some(PathBuf::from("/r")),
            registry: Registry::Fake(BTreeMap::new()),
        }
    }

    #[test]
    fn percent_variables_expand() {
        let mut e = fake(Platform::Windows);
        e.root = None;
        e.vars.insert("OneDrive".into(), r"D:\OneDrive".into());
        assert_eq!(
            e.expand_percent(r"%USERPROFILE%\Documents"),
            r"C:\Users\alice\Documents"
        );
        assert_eq!(e.expand_percent(r"%onedrive%\Docs"), r"D:\OneDrive\Docs");
        assert_eq!(e.expand_percent(r"%NOPE%\x 100%"), r"%NOPE%\x 100%");
    }

    #[test]
    fn documents_where_windows_keeps_them_then_in_the_home_folder() {
        let mut e = fake(Platform::Windows);
        assert_eq!(
            e.documents(),
            [Documents {
                path: PathBuf::from("/r/C/Users/alice/Documents"),
                registry: None
            }]
        );
        let key = (SHELL_FOLDERS.to_string(), "Personal".to_string());
        e.registry = Registry::Fake(BTreeMap::from([(key.clone(), r"D:\Documents".into())]));
        let docs = e.documents();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].path, PathBuf::from("/r/D/Documents"));
        assert_eq!(
            docs[0].registry.as_deref(),
            Some(format!(r"{SHELL_FOLDERS}\Personal = D:\Documents").as_str())
        );
        assert_eq!(
            e.in_documents("Tencent Files/NapCat"),
            [
                PathBuf::from("/r/D/Documents/Tencent Files/NapCat"),
                PathBuf::from("/r/C/Users/alice/Documents/Tencent Files/NapCat")
            ]
        );
        // Windows' own default names the home folder: listed once.
        e.registry = Registry::Fake(BTreeMap::from([(key, r"%USERPROFILE%\Documents".into())]));
        assert_eq!(e.documents().len(), 1);
        assert!(e.documents()[0].registry.is_some());
        assert!(fake(Platform::Linux).documents().is_empty());
        let key = (SHELL_FOLDERS.to_string(), DOWNLOADS_VALUE.to_string());
        e.registry = Registry::Fake(BTreeMap::from([(key, r"D:\Downloads".into())]));
        assert_eq!(
            e.downloads(),
            [
                PathBuf::from("/r/D/Downloads"),
                PathBuf::from("/r/C/Users/alice/Downloads")
            ]
        );
    }
}
