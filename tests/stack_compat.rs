//! Same output before and after a reshaping: runs this build and an older build (the binary
//! named by `LLOB_DOCTOR_OLD_BIN`) on the same test trees and compares what each prints, JSON
//! and human, exit codes included. Without that variable the test says so and passes: build the
//! older commit into a folder of its own and point the variable at its binary, e.g.
//!
//! ```sh
//! git worktree add /tmp/old 786eee9 && cargo build --manifest-path /tmp/old/Cargo.toml \
//!     --target-dir /tmp/old-target
//! LLOB_DOCTOR_OLD_BIN=/tmp/old-target/debug/llob-doctor cargo test --test stack_compat
//! ```
//!
//! What the LLBot stack added since is left out of the comparison: `bots` in `detect --json`, `bot`
//! on each clean target, the LLBot block and its candidates in `detect`; and the standalone data dir
//! (`--data-dir` without the plugin) is LLBot's now, whose log table keeps unknown log names, so
//! its runs with extra files are not compared.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, Fixture, Os, native};

/// A layout builder of the test fixture; returns the data dir.
type Layout = fn(&Fixture) -> PathBuf;

fn layouts() -> Vec<(&'static str, Os, Layout, bool)> {
    // (name, platform, builder, pass --data-dir)
    vec![
        ("windows_new", Os::Windows, Fixture::windows_new, false),
        (
            "windows_old",
            Os::Windows,
            |f| f.windows_old(r"D:\QQNT"),
            false,
        ),
        (
            "linux_installer",
            Os::Linux,
            Fixture::linux_installer,
            false,
        ),
        ("linux_aur", Os::Linux, Fixture::linux_aur, false),
        ("linux_flatpak", Os::Linux, Fixture::linux_flatpak, false),
        ("macos", Os::Macos, Fixture::macos, false),
        ("standalone", Os::Linux, Fixture::standalone, true),
    ]
}

/// Extra files that reach the less common corners: a log, a database store with its journal,
/// a file named like a msg_ folder, a folder in logs/, a link in temp/.
fn enrich(data: &Path) {
    let w = |rel: &str, body: &[u8]| {
        let p = data.join(native(rel));
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).expect("mkdir");
        }
        fs::write(p, body).expect("write");
    };
    w("logs/llbot-2025-6-1 09-00-00.log", b"hello\n");
    w("logs/old.log.1", b"rotated\n");
    w("logs/notes.txt", b"not a log\n");
    w("logs/sub/inner.log", b"in a folder\n");
    w("database/77777.db", b"SQLite format 3\0");
    w("database/77777.db-wal", b"wal");
    w("database/notes.db", b"not an account");
    w("msg_88888", b"a file, not a LevelDB");
    w("config_99999.json", b"{ broken");
    w("temp/nested/deeper/x.bin", &[0u8; 1234]);
}

/// Leaves out what the LLBot stack added (see the header).
fn without_additions(text: &str) -> String {
    let (out, err) = text.split_once("\n--- stderr ---\n").unwrap_or((text, ""));
    let out = match serde_json::from_str::<serde_json::Value>(out) {
        Ok(mut v) => {
            if let Some(o) = v.as_object_mut() {
                o.remove("bots");
                if let Some(t) = o.get_mut("targets").and_then(|t| t.as_array_mut()) {
                    for x in t {
                        if let Some(x) = x.as_object_mut() {
                            x.remove("bot");
                        }
                    }
                }
                if let Some(t) = o.get_mut("searched").and_then(|t| t.as_array_mut()) {
                    t.retain(|x| x["what"] != "llbot_install");
                }
            }
            format!("{v:#}")
        }
        Err(_) => {
            let mut keep = Vec::new();
            let mut in_llbot = false;
            for line in out.lines() {
                if line.starts_with("LLBot") {
                    in_llbot = true;
                } else if in_llbot && !line.starts_with(' ') {
                    in_llbot = false;
                }
                let blank_again =
                    line.is_empty() && keep.last().is_some_and(|l: &&str| l.is_empty());
                if !in_llbot && !line.contains("LLBot install") && !blank_again {
                    keep.push(line);
                }
            }
            keep.join("\n").trim_end().to_string()
        }
    };
    format!("{out}\n--- stderr ---\n{err}")
}

fn run(bin: &str, f: &Fixture, data: Option<&Path>, args: &[&str]) -> (Option<i32>, String) {
    let c = f.cmd();
    // Same environment and arguments, another program.
    let mut c2 = Command::new(bin);
    c2.env_clear();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            c2.env(k, v);
        }
    }
    c2.args(c.get_args());
    if let Some(d) = data {
        c2.arg("--data-dir").arg(d);
    }
    c2.args(args);
    let out = c2.output().expect("run");
    let text = format!(
        "{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), without_additions(&text))
}

/// Commands whose output does not depend on the clock at a second's resolution.
const COMMANDS: &[&[&str]] = &[
    &["detect"],
    &["--json", "detect"],
    &["-v", "detect"],
    &["--json", "-v", "detect"],
    &["--json", "clean", "--dry-run"],
    &["--json", "clean", "--dry-run", "--logs", "--database"],
    &["--json", "clean", "--dry-run", "--logs", "--uin", "20002"],
    &["--json", "clean", "--dry-run", "--older-than", "1d"],
    &["--json", "clean"],
    &["check-versions"],
    &["--json", "check-versions"],
    &["doctor"],
    &["--json", "doctor"],
    &["stats"],
    &["--json", "stats"],
    &["--json", "stats", "--since", "2024-01-01"],
];

#[test]
fn every_command_prints_what_the_older_build_printed() {
    let Some(old) = std::env::var_os("LLOB_DOCTOR_OLD_BIN") else {
        common::skip("LLOB_DOCTOR_OLD_BIN is not set (see this file's header)");
        return;
    };
    let old = old.to_string_lossy().into_owned();
    let mut compared = 0;
    for (name, os, build, pass_data) in layouts() {
        for rich in [false, true] {
            if rich && pass_data {
                continue;
            }
            let f = Fixture::new(os);
            let data = build(&f);
            if rich {
                enrich(&data);
            }
            let d = pass_data.then_some(data.as_path());
            for args in COMMANDS {
                let before = run(&old, &f, d, args);
                let after = run(BIN, &f, d, args);
                assert_eq!(
                    before, after,
                    "{name} (extra files: {rich}) {args:?}: output differs"
                );
                compared += 1;
            }
        }
    }
    // Real removals: two identical trees, one cleaned by each build.
    for (name, os, build, pass_data) in layouts() {
        if pass_data {
            continue;
        }
        let mut outs = Vec::new();
        for bin in [old.as_str(), BIN] {
            let f = Fixture::new(os);
            let data = build(&f);
            enrich(&data);
            let d = pass_data.then_some(data.as_path());
            let (code, text) = run(
                bin,
                &f,
                d,
                &["--json", "clean", "--yes", "--logs", "--database"],
            );
            let root = f.root.display().to_string();
            let escaped = serde_json::to_string(&root).expect("json");
            let text = text
                .replace(escaped.trim_matches('"'), "<ROOT>")
                .replace(&root, "<ROOT>");
            // The newest change of what was removed is the time the tree was built.
            let text: String = text
                .lines()
                .filter(|l| !l.contains("\"newest_mtime\""))
                .collect::<Vec<_>>()
                .join("\n");
            let left: Vec<String> = walkdir::WalkDir::new(&f.root)
                .into_iter()
                .filter_map(Result::ok)
                .map(|e| {
                    e.path()
                        .strip_prefix(&f.root)
                        .unwrap_or(e.path())
                        .display()
                        .to_string()
                })
                .collect();
            outs.push((code, text, left));
        }
        assert_eq!(outs[0], outs[1], "{name}: clean --yes differs");
        compared += 1;
    }
    eprintln!("compared {compared} runs with {old}");
}
