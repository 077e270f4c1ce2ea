//! Windows only (run under Wine in CI): paths as Windows users write and read them. A quoted
//! path ending in `\` that swallowed the rest of the command line is explained; a data folder
//! given as `C:/…` or `\\?\C:\…` is shown plain in text and JSON, and folder names in messages
//! (`temp\`) use backslashes too.

// Windows only; the helpers sit unused elsewhere.
#![cfg_attr(not(windows), allow(dead_code, unused_imports))]

mod common;

use std::process::Command;

use common::{BIN, Fixture, Os};
use serde_json::Value;

/// `--data-dir "C:\…\LLOneBot\" clean` as typed in cmd: Windows' argument rules make `\"` a
/// quote character, so the path swallows the command. Explained, with how to write it.
#[cfg(windows)]
#[test]
fn a_quoted_path_ending_in_a_backslash_is_explained() {
    use std::os::windows::process::CommandExt;
    let out = Command::new(BIN)
        .env("LANG", "en_US.UTF-8")
        .raw_arg(r#"--data-dir "C:\bots\LLOneBot\" clean --yes"#)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(r#"`C:\bots\LLOneBot" clean --yes` holds a quote"#),
        "{err}"
    );
    assert!(err.contains(r#"double it, "C:\bots\LLOneBot\\""#), "{err}");
    // Written as the hint says, the same line is a plain clean of a missing folder.
    let out = Command::new(BIN)
        .env("LANG", "en_US.UTF-8")
        .raw_arg(r#"--data-dir "C:\bots\LLOneBot\\" clean --yes"#)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("holds a quote"), "{err}");
    assert!(err.contains(r"C:\bots\LLOneBot"), "{err}");
}

/// A data folder given as `C:/…/LLOneBot` or `\\?\C:\…\LLOneBot`: shown as Windows users write
/// it, in the clean's header, its lines and JSON, and the fixed names in messages (`temp\`) too.
#[cfg(windows)]
#[test]
fn paths_are_shown_as_windows_users_write_them() {
    let f = Fixture::new(Os::Windows);
    let data = f.p(r"C:\Users\张三\LiteLoaderQQNT\data\LLOneBot");
    f.data_dir(&data, &["10001"], &[]);
    let plain = data.to_str().unwrap().to_string();
    for given in [plain.replace('\\', "/"), format!(r"\\?\{plain}")] {
        let run = |args: &[&str]| {
            f.cmd()
                .args(["--lang", "en", "--data-dir", &given])
                .args(args)
                .output()
                .unwrap()
        };
        let out = run(&["clean", "--dry-run"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&format!("LLOneBot data: {plain}\n")),
            "{text}"
        );
        assert!(text.contains(r"temp\ ("), "{text}");
        assert!(!text.contains('/') && !text.contains(r"\\?\"), "{text}");
        let out = run(&["--json", "clean", "--dry-run"]);
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["data_dir"].as_str(), Some(plain.as_str()), "{v:#}");
        for t in v["targets"].as_array().unwrap() {
            let p = t["path"].as_str().unwrap();
            assert!(p.starts_with(&format!(r"{plain}\")), "{p}");
            assert!(!p.contains('/'), "{p}");
        }
        let out = run(&["doctor"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(r"temp\ holds"), "{text}");
    }
}
