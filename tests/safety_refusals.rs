//! `clean` attacked as issue "clean can be steered outside the data dir" describes: every
//! test builds a real tree, tries to steer the deletion elsewhere, and checks that canaries
//! outside survive byte for byte, with honest exit codes and reports.
//!
//! This file: refusals: roots, homes and the --fs-root folder, whatever their spelling, and
//! folders that hold nothing LLOneBot writes.

mod common;

use std::fs;
#[cfg(unix)]
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::Command;

use common::safety::{Canaries, linux, stderr, stdout};

// ---- 7. refusals by identity --------------------------------------------------------------

/// The binary without --fs-root, HOME pointing at `home`.
#[cfg(unix)]
fn plain(home: &Path) -> Command {
    let mut c = Command::new(common::BIN);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .args(["--color", "never"]);
    c
}

#[cfg(unix)]
#[test]
fn roots_homes_and_the_fs_root_are_refused_whatever_the_spelling() {
    let (f, _data) = linux();
    let link_to_root = f.tmp.path().join("rootlink");
    std::os::unix::fs::symlink("/", &link_to_root).unwrap();
    let home = f.tmp.path().join("realhome");
    f.data_dir(&home, &["10001"], &[]);
    for dir in ["/tmp/..", link_to_root.to_str().unwrap()] {
        let out = plain(&home)
            .args(["clean", "--dry-run", "--data-dir", dir])
            .output()
            .unwrap();
        // Refused (by discovery already: / holds nothing of LLOneBot's; the guard refuses it
        // by identity too, see the unit tests).
        assert_eq!(out.status.code(), Some(2), "{dir}: {}", stderr(&out));
    }
    // This process's home, even looking like a data dir.
    let out = plain(&home)
        .args(["clean", "--yes", "--data-dir", home.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("home folder"), "{}", stderr(&out));
    assert!(home.join("msg_10001/CURRENT").exists());
    // Every home of the passwd database (root's too).
    for passwd_home in common_passwd_homes() {
        let out = plain(&home)
            .args([
                "clean",
                "--dry-run",
                "--data-dir",
                passwd_home.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", passwd_home.display());
    }
    // With --fs-root: the root folder itself, and the inspected disk's passwd homes.
    f.data_dir(&f.root, &["10002"], &[]);
    let out = f.run(&["clean", "--yes", "--data-dir", f.root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--fs-root folder itself"),
        "{}",
        stderr(&out)
    );
    f.write(&f.p("/etc/passwd"), "bob:x:1000:1000::/home/bob:/bin/sh\n");
    let bob = f.p("/home/bob");
    f.data_dir(&bob, &["10003"], &[]);
    let out = f.run(&["clean", "--yes", "--data-dir", bob.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("home folder"), "{}", stderr(&out));
    assert!(bob.join("msg_10003/CURRENT").exists());
}

#[cfg(unix)]
fn common_passwd_homes() -> Vec<PathBuf> {
    fs::read_to_string("/etc/passwd")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split(':').nth(5))
        .filter(|h| h.starts_with('/') && *h != "/" && Path::new(h).is_dir())
        .map(PathBuf::from)
        .take(5)
        .collect()
}

// ---- 8. only what LLOneBot writes makes a data dir ------------------------------------------

#[test]
fn an_ordinary_project_folder_is_not_a_data_dir() {
    let (f, _data) = linux();
    let project = f.p(if cfg!(windows) {
        r"C:\Users\alice\myproject"
    } else {
        "/home/alice/myproject"
    });
    let canaries = Canaries::new(
        project.clone(),
        &[
            "temp/draft.docx",
            "logs/server.log",
            "msg_2023/notes.txt",
            "config_1.json",
        ],
    );
    f.mkdir(&project.join("database"));
    let out = f.run(&[
        "clean",
        "--logs",
        "--yes",
        "--data-dir",
        project.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    canaries.assert_intact();
}

#[test]
fn an_empty_data_dir_at_its_documented_place_is_nothing_to_clean() {
    let (f, data) = linux();
    fs::remove_dir_all(&data).unwrap();
    fs::create_dir_all(&data).unwrap();
    let out = f.run(&["clean", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("Nothing to clean"),
        "{}",
        stdout(&out)
    );
    // Named by hand it is no data dir.
    let out = f.run(&["clean", "--yes", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
