//! Windows only (run under Wine in CI): a file another program holds open. Windows refuses to
//! delete or replace it (a sharing violation, or "access denied" for a rename over it); the
//! user is told a program has it open, not a bare OS error or a wrong hint about folders.

// Windows only; the helpers sit unused elsewhere.
#![cfg_attr(not(windows), allow(dead_code, unused_imports))]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{Fixture, Os};

const IN_USE: &str = "a program has it open: close it or run again later";

/// Opens `path` as a program that reads it and shares it for reading only (as QQ holds a
/// file it writes, or windows_exporter a metrics file it reads).
#[cfg(windows)]
fn hold(path: &Path) -> fs::File {
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_SHARE_READ: u32 = 1;
    fs::OpenOptions::new()
        .read(true)
        .share_mode(FILE_SHARE_READ)
        .open(path)
        .expect("hold the file open")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(windows)]
#[test]
fn a_temp_file_a_program_holds_open_is_left_and_said_so() {
    let f = Fixture::new(Os::Windows);
    let data = f.p(r"C:\Users\alice\LiteLoaderQQNT\data\LLOneBot");
    f.data_dir(&data, &["10001"], &[]);
    let held = data.join(r"temp\image-1.png");
    let open = hold(&held);
    let run = || {
        f.cmd()
            .args(["--lang", "en", "--data-dir"])
            .arg(&data)
            .args(["clean", "--yes"])
            .output()
            .unwrap()
    };
    let out = run();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(5), "{stdout}{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("not removed:"))
        .unwrap_or_else(|| panic!("no failure line:\n{stdout}"));
    assert_eq!(
        line,
        format!("not removed: {}: {IN_USE}", held.display()),
        "{stdout}"
    );
    assert!(held.exists());
    assert!(!data.join("msg_10001").exists(), "the rest is cleaned");
    // Closed: the next run removes it.
    drop(open);
    assert_eq!(run().status.code(), Some(0));
    assert!(!held.exists());
}

#[cfg(windows)]
#[test]
fn stats_output_over_a_file_an_exporter_reads_is_refused_with_why() {
    let f = Fixture::new(Os::Windows);
    let logs = f.tmp.path().join("logs");
    f.write(
        &logs.join("llonebot-2025-01-01 10-00-00.log"),
        "[2025-01-01 10:00:00] x\n",
    );
    let metrics = f.tmp.path().join("llob.prom");
    fs::write(&metrics, "# the exporter's last copy\n").unwrap();
    let run = || {
        f.cmd()
            .args(["--lang", "en", "stats", "--prometheus", "--output"])
            .arg(&metrics)
            .arg(&logs)
            .output()
            .unwrap()
    };
    let open = hold(&metrics);
    let out = run();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}: {IN_USE}", metrics.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("folder you can write to"), "{stderr}");
    assert_eq!(
        fs::read_to_string(&metrics).unwrap(),
        "# the exporter's last copy\n"
    );
    drop(open);
    let out = run();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    assert!(fs::read_to_string(&metrics).unwrap().contains("# TYPE"));
}
