//! Words users read first: help and man pages that name every stack (the LLOneBot plugin, LLBot,
//! NapCat, QQ's cache), hints that name the flag and the program of the user's own stack, and
//! counts with their nouns in the right number.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::BIN;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn bare(lang: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .env_remove("COLUMNS")
        .env("LANG", format!("{lang}.UTF-8"))
        .args(args)
        .output()
        .expect("run")
}

/// The first paragraph of a help: what the command does.
fn about(help: &str) -> String {
    help.split("\n\n").next().unwrap_or_default().replace('\n', " ")
}

#[test]
fn help_and_man_pages_name_every_stack() {
    // (command, must it speak of QQ's own cache too?)
    let commands: [(&[&str], bool); 6] = [
        (&[], true),
        (&["detect"], true),
        (&["clean"], true),
        (&["stats"], false),
        (&["doctor"], true),
        (&["probe"], false),
    ];
    for (lang, cache) in [("en", "media cache"), ("zh", "媒体缓存")] {
        for (cmd, qq_cache) in commands {
            let mut args = cmd.to_vec();
            args.push("--help");
            let out = bare(lang, &args);
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            let about = about(&text(&out));
            for stack in ["LLOneBot", "LLBot", "NapCat"] {
                assert!(about.contains(stack), "{lang} {args:?}: {about}");
            }
            if qq_cache {
                assert!(about.contains(cache), "{lang} {args:?}: {about}");
            }
        }
    }
    // The man pages say the same in their NAME, as generated and as committed.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in [None, Some("detect"), Some("clean"), Some("stats"), Some("doctor")] {
        let mut args = vec!["man"];
        args.extend(sub);
        let page = String::from_utf8_lossy(&bare("en", &args).stdout).into_owned();
        let file = match sub {
            None => "doc/llob-doctor.1".to_string(),
            Some(s) => format!("doc/llob-doctor-{s}.1"),
        };
        let committed = std::fs::read_to_string(root.join(file)).expect("man page");
        for p in [&page, &committed] {
            let name = p
                .split(".SH NAME\n")
                .nth(1)
                .and_then(|r| r.lines().next())
                .unwrap_or_default();
            for stack in ["LLBot", "NapCat"] {
                assert!(name.contains(stack), "{sub:?}: {name}");
            }
        }
    }
}

#[test]
fn every_global_option_is_in_the_readmes_options_table() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let table: Vec<&str> = readme
        .split("## Options for every command")
        .nth(1)
        .expect("the options section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let help = text(&bare("en", &["detect", "--help"]));
    let globals = help.split("Global options:").nth(1).expect("global options");
    let mut longs = Vec::new();
    for l in globals.lines() {
        if let Some(i) = l.find("--") {
            let flag: String = l[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            longs.push(flag);
        }
    }
    for must in ["--llbot-dir", "--napcat-dir", "--qq-data", "--data-dir"] {
        assert!(longs.iter().any(|l| l == must), "{must} not in help");
    }
    for flag in longs.iter().filter(|f| *f != "--help") {
        assert!(
            table.iter().any(|row| row.contains(&format!("`{flag}"))),
            "{flag} is not in README.md's options table"
        );
    }
}
