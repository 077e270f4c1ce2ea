//! First contact: `llob-doctor` alone says what it does and lists its commands in the user's
//! language; a quoted path ending in `\` that swallowed the rest of the line is explained; and
//! human output fits the console's width (by display width, so Chinese fits too), tables left
//! as they are.

mod common;

use std::process::{Command, Output};

use common::{BIN, Fixture, Os};
use serde_json::Value;

fn run(envs: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.env_remove("COLUMNS").env("LANG", "en_US.UTF-8");
    for (k, v) in envs {
        c.env(k, v);
    }
    c.args(args).output().expect("run")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const COMMANDS: &[&str] = &[
    "detect",
    "check-versions",
    "clean",
    "stats",
    "doctor",
    "probe",
    "schedule",
];

#[test]
fn no_arguments_print_what_it_does_and_its_commands() {
    for (lang, usage, heading, start) in [
        (
            "en",
            "Usage: llob-doctor",
            "Commands:",
            "Start with `llob-doctor doctor`",
        ),
        (
            "zh",
            "用法: llob-doctor",
            "命令:",
            "先运行 `llob-doctor doctor`",
        ),
    ] {
        let out = run(&[("LANG", &format!("{lang}.UTF-8"))], &[]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(err.contains(usage), "{err}");
        assert!(err.contains(heading), "{err}");
        assert!(err.contains(start), "{err}");
        assert!(!err.contains("a subcommand is required"), "{err}");
        for c in COMMANDS {
            // Each command on a line of its own, with what it does after it.
            let line = err
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{c} ")))
                .unwrap_or_else(|| panic!("{c} not listed:\n{err}"));
            assert!(line.trim().len() > c.len() + 10, "{line}");
        }
    }
    // Options but no command: the same.
    let out = run(&[], &["-v"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Commands:"));
    // JSON: one document naming the commands.
    let out = run(&[], &["--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["exit_code"], 2);
    for c in COMMANDS {
        assert!(v["error"].as_str().unwrap().contains(c), "{v}");
    }
}

#[test]
fn a_quoted_path_that_swallowed_the_command_is_explained() {
    // `--data-dir "C:\bots\LLOneBot\" clean --yes` after Windows' argument rules.
    let swallowed = r#"C:\bots\LLOneBot" clean --yes"#;
    let out = run(&[], &["--data-dir", swallowed]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("`{swallowed}` holds a quote")),
        "{err}"
    );
    assert!(
        err.contains(r#"drop the backslash at the end of the path, "C:\bots\LLOneBot", or double it, "C:\bots\LLOneBot\\""#),
        "{err}"
    );
    // In Chinese, and as JSON when --json came before the path.
    let out = run(&[], &["--lang", "zh", "--data-dir", swallowed]);
    assert!(text(&out.stderr).contains("去掉路径末尾的反斜杠"));
    let out = run(
        &[],
        &[
            "--json",
            "--qq-data",
            r#"D:\Documents\Tencent Files" clean"#,
        ],
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["exit_code"], 2);
    assert!(
        v["hint"]
            .as_str()
            .unwrap()
            .contains(r#""D:\Documents\Tencent Files""#)
    );
    // A stop command's own quotes are the user's.
    let f = Fixture::new(Os::Linux);
    let out = f.run(&[
        "clean",
        "--dry-run",
        "--stop-cmd",
        r#"systemctl stop "llbot""#,
    ]);
    assert!(
        !text(&out.stderr).contains("holds a quote"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn human_output_fits_the_console_width_in_both_languages() {
    // Nothing found: a paragraph longer than 60 columns, in English and Chinese.
    let f = Fixture::new(Os::Windows);
    for lang in ["en", "zh"] {
        let wide = f.cmd().args(["--lang", lang, "detect"]).output().unwrap();
        let narrow = f
            .cmd()
            .env("COLUMNS", "60")
            .args(["--lang", lang, "detect"])
            .output()
            .unwrap();
        let (wide, narrow) = (text(&wide.stdout), text(&narrow.stdout));
        let width = |l: &str| llob_doctor::console::display_width(l);
        assert!(
            wide.lines().any(|l| width(l) > 59),
            "no long line to wrap:\n{wide}"
        );
        for l in narrow.lines() {
            let whole_word = !l.trim().contains(' ') && lang == "en";
            assert!(
                width(l) <= 59 || whole_word || llob_doctor::console::keeps_its_shape(l),
                "{l:?} is wider than 59 columns:\n{narrow}"
            );
        }
        // The same words, only the line breaks differ.
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().concat();
        assert_eq!(words(&wide), words(&narrow));
    }
    // The commands' table, wrapped in its second column.
    let out = run(&[("COLUMNS", "60")], &["--lang", "zh"]);
    for l in text(&out.stderr).lines() {
        assert!(llob_doctor::console::display_width(l) <= 59, "{l:?}");
    }
}

#[test]
fn clean_and_stats_help_say_what_they_do_for_every_bot() {
    for (lang, cache) in [("en", "QQ's own media cache"), ("zh", "QQ 自己的媒体缓存")] {
        let help = |cmd: &str| text(&run(&[], &["--lang", lang, cmd, "--help"]).stdout);
        // The first paragraph (clap wraps it), as one line.
        let about = |h: &str| h.split("\n\n").next().unwrap_or("").replace('\n', " ");
        let clean = help("clean");
        let first = about(&clean);
        for name in ["LLOneBot", "LLBot", "NapCat", cache] {
            assert!(first.contains(name), "clean --help ({lang}): {first}");
        }
        let stats = help("stats");
        let first = about(&stats);
        for name in ["LLOneBot", "LLBot", "NapCat"] {
            assert!(first.contains(name), "stats --help ({lang}): {first}");
        }
    }
}
