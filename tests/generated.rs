//! The completion scripts in `completions/` and the man page in `doc/` are generated from the
//! clap definition and committed; this fails when they are stale.
//! Regenerate with: `LLOB_DOCTOR_BLESS=1 cargo test --test generated`.

mod common;

use std::path::Path;
use std::process::Command;

const FILES: [(&[&str], &str); 6] = [
    (&["completions", "bash"], "completions/llob-doctor.bash"),
    (&["completions", "zsh"], "completions/_llob-doctor"),
    (&["completions", "fish"], "completions/llob-doctor.fish"),
    (
        &["completions", "powershell"],
        "completions/_llob-doctor.ps1",
    ),
    (&["completions", "elvish"], "completions/llob-doctor.elv"),
    (&["man"], "doc/llob-doctor.1"),
];

#[test]
fn committed_completions_and_man_page_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("LLOB_DOCTOR_BLESS").is_some();
    let mut stale = Vec::new();
    for (args, file) in FILES {
        // English whatever the machine's locale: the committed files are English.
        let out = Command::new(common::BIN)
            .args(["--lang", "en"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "llob-doctor {args:?} failed");
        assert!(
            !out.stdout.is_empty(),
            "llob-doctor {args:?} printed nothing"
        );
        let path = root.join(file);
        if bless {
            std::fs::write(&path, &out.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&out.stdout[..]) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale: {stale:?}; run `LLOB_DOCTOR_BLESS=1 cargo test --test generated` and commit the result"
    );
}

#[test]
fn completions_know_the_subcommands() {
    let out = Command::new(common::BIN)
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for sub in [
        "detect",
        "clean",
        "check-versions",
        "schedule",
        "--dry-run",
        "--stop-qq",
    ] {
        assert!(text.contains(sub), "bash completion lacks {sub}");
    }
    let man = Command::new(common::BIN)
        .args(["--lang", "en", "man"])
        .output()
        .unwrap();
    let man = String::from_utf8_lossy(&man.stdout);
    assert!(man.starts_with(".ie") || man.contains(".TH"), "not roff");
    assert!(man.contains("llob\\-doctor"));
}
