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

/// One argument quoted the way Windows programs split their command line
/// (`CommandLineToArgvW`, the C runtime): quotes around anything empty or with a space, tab or
/// quote; backslashes doubled only before a quote.
pub fn quote_arg(arg: &str) -> String {
    if !arg.is_empty() && !arg.contains([' ', '\t', '"']) {
        return arg.to_string();
    }
    let mut out = String::from("\"");
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(backslashes * 2 + 1));
                out.push('"');
                backslashes = 0;
            }
            c => {
                out.push_str(&"\\".repeat(backslashes));
                out.push(c);
                backslashes = 0;
            }
        }
    }
    out.push_str(&"\\".repeat(backslashes * 2));
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_quoted_for_command_line_to_argv() {
        assert_eq!(quote_arg("--qq=70007"), "--qq=70007");
        assert_eq!(quote_arg(r"C:\LLBot\llbot.exe"), r"C:\LLBot\llbot.exe");
        assert_eq!(quote_arg(""), r#""""#);
        assert_eq!(
            quote_arg(r"C:\Program Files\LLBot\"),
            r#""C:\Program Files\LLBot\\""#
        );
        assert_eq!(quote_arg(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quote_arg(r"a\\b c"), r#""a\\b c""#);
    }

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
