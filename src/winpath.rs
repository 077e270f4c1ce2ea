//! Windows paths as a user reads and types them: backslashes only, and no verbatim `\\?\`
//! prefix (which `canonicalize` adds and which cmd, Explorer and Task Scheduler's command do not
//! take the same way).

use std::path::{Path, PathBuf};

/// `\\?\C:\a` → `C:\a`, `\\?\UNC\srv\share` → `\\srv\share`, and `/` → `\` (a launcher's
/// `require("C:/…")` joined with Windows parts). Text only: nothing is looked up on disk.
pub fn plain_text(p: &str) -> String {
    let p = p.replace('/', "\\");
    if let Some(rest) = p.strip_prefix(r"\\?\UNC\") {
        format!(r"\\{rest}")
    } else if let Some(rest) = p.strip_prefix(r"\\?\") {
        rest.to_string()
    } else {
        p
    }
}

/// [`plain_text`] on Windows; other platforms' paths are left as they are.
pub fn plain(p: &Path) -> PathBuf {
    if cfg!(windows) {
        match p.to_str() {
            Some(s) => PathBuf::from(plain_text(s)),
            None => p.to_path_buf(),
        }
    } else {
        p.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_prefix_and_mixed_separators() {
        assert_eq!(
            plain_text(r"\\?\C:\Tools\llob-doctor.exe"),
            r"C:\Tools\llob-doctor.exe"
        );
        assert_eq!(plain_text(r"\\?\UNC\nas\bots\qq"), r"\\nas\bots\qq");
        assert_eq!(
            plain_text(r"C:/Users/张三/LiteLoaderQQNT\data\LLOneBot"),
            r"C:\Users\张三\LiteLoaderQQNT\data\LLOneBot"
        );
        let long = format!(r"\\?\C:\{}\x.exe", "d".repeat(300));
        assert_eq!(plain_text(&long), format!(r"C:\{}\x.exe", "d".repeat(300)));
        assert_eq!(plain_text(r"C:\plain"), r"C:\plain");
    }
}
