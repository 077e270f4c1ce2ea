//! A quoted Windows path that ends in a backslash: `--data-dir "C:\bots\LLOneBot\" clean`.
//! Windows programs split their command line by `CommandLineToArgvW`'s rules, where `\"` is a
//! quote character, not the end of the quoted text: the argument becomes
//! `C:\bots\LLOneBot" clean` and swallows the rest of the line (here the command). Said before
//! anything else, with how to write it instead.

use std::ffi::OsString;

use crate::clap_msg::Rendered;
use crate::i18n::t;
use crate::tf;

/// Options whose value is a command line of its own, where quotes are the user's.
const COMMAND_OPTIONS: &[&str] = &["--stop-cmd", "--start-cmd"];

/// The first argument holding a quote that closed a path early: the argument, and the path as
/// it was meant (before the quote, without its trailing backslash).
pub fn swallowed_quote(args: &[OsString]) -> Option<(String, String)> {
    let mut previous = "";
    for a in args.iter().skip(1) {
        let Some(a) = a.to_str() else {
            previous = "";
            continue;
        };
        let is_command = COMMAND_OPTIONS.contains(&previous)
            || COMMAND_OPTIONS
                .iter()
                .any(|o| a.strip_prefix(o).is_some_and(|r| r.starts_with('=')));
        previous = a;
        if is_command {
            continue;
        }
        let Some(quote) = a.find('"') else {
            continue;
        };
        // `--data-dir=C:\x\" clean`: the value after `=`.
        let value_start = match a.find('=') {
            Some(eq) if a.starts_with("--") && eq < quote => eq + 1,
            _ => 0,
        };
        let path = &a[value_start..quote];
        if looks_like_windows_path(path) {
            return Some((a.to_string(), path.trim_end_matches('\\').to_string()));
        }
    }
    None
}

/// `C:\…`, `C:/…`, `\\server\…`, or anything with a backslash in it.
fn looks_like_windows_path(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':') || s.contains('\\')
}

/// The refusal: what happened and how to write the path instead.
pub fn render(arg: &str, path: &str) -> Rendered {
    let message = tf!("clap.swallowed_quote", arg = arg);
    let hint = tf!("clap.hint_swallowed_quote", path = path);
    let text = format!(
        "{}\n\n  {hint}\n\n{}\n",
        tf!("clap.error", message = message),
        t("clap.more_info")
    );
    Rendered {
        message,
        hint: Some(hint),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        std::iter::once("llob-doctor")
            .chain(a.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn a_path_that_swallowed_the_rest_of_the_line() {
        // `--data-dir "C:\bots\LLOneBot\" clean --yes`, as Windows splits it.
        let got = swallowed_quote(&args(&["--data-dir", r#"C:\bots\LLOneBot" clean --yes"#]));
        assert_eq!(
            got,
            Some((
                r#"C:\bots\LLOneBot" clean --yes"#.to_string(),
                r"C:\bots\LLOneBot".to_string()
            ))
        );
        // Last on the line: nothing swallowed, but the path holds a quote all the same.
        let got = swallowed_quote(&args(&["clean", "--data-dir", r#"D:\LLBot\data""#]));
        assert_eq!(got.map(|g| g.1).as_deref(), Some(r"D:\LLBot\data"));
        let got = swallowed_quote(&args(&[r#"--qq-data=D:\Documents\Tencent Files" clean"#]));
        assert_eq!(
            got.map(|g| g.1).as_deref(),
            Some(r"D:\Documents\Tencent Files")
        );
    }

    #[test]
    fn quotes_that_belong_where_they_are() {
        for ok in [
            &["--stop-cmd", r#"taskkill /IM "llbot.exe""#][..],
            &["--start-cmd", r#"C:\bots\start.bat "x""#],
            &[r#"--stop-cmd=C:\bots\stop.bat "x""#],
            &["--data-dir", r"C:\bots\LLOneBot", "clean"],
            &["stats", "--since", "2d"],
        ] {
            assert_eq!(swallowed_quote(&args(ok)), None, "{ok:?}");
        }
    }
}
