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

/// A command line split into arguments as Windows programs split it (the C runtime's rules,
/// what [`quote_arg`] writes for): spaces and tabs separate arguments outside quotes; `2n`
/// backslashes before a quote are `n` backslashes and the quote opens or closes, `2n + 1` are `n`
/// and a literal quote; other backslashes are themselves; `""` inside quotes is a quote.
pub fn split_command_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_arg = false;
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' if !quoted => {
                if in_arg {
                    out.push(std::mem::take(&mut cur));
                    in_arg = false;
                }
            }
            '\\' => {
                let mut n = 1;
                while chars.peek() == Some(&'\\') {
                    chars.next();
                    n += 1;
                }
                in_arg = true;
                if chars.peek() == Some(&'"') {
                    cur.push_str(&"\\".repeat(n / 2));
                    if n % 2 == 1 {
                        chars.next();
                        cur.push('"');
                    }
                } else {
                    cur.push_str(&"\\".repeat(n));
                }
            }
            '"' => {
                in_arg = true;
                if quoted && chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = !quoted;
                }
            }
            c => {
                in_arg = true;
                cur.push(c);
            }
        }
    }
    if in_arg {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_splits_back_into_what_was_quoted() {
        let args = [
            r"C:\Program Files\llob doctor\llob-doctor.exe",
            "clean",
            "",
            r"C:\a b\",
            r#"say "hi""#,
            r"a\\b",
            "张三 的 log",
        ];
        let line: Vec<String> = args.iter().map(|a| quote_arg(a)).collect();
        assert_eq!(split_command_line(&line.join(" ")), args);
        assert_eq!(split_command_line("  a\tb  "), ["a", "b"]);
        assert_eq!(split_command_line(r#""a""b""#), [r#"a"b"#]);
        assert!(split_command_line("   ").is_empty());
    }

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
