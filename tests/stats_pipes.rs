//! Where `stats` writes: a reader that went away (stdout or stderr a closed pipe) is no error
//! and no crash; `--output` writes the document stdout would hold, and only over a regular file.

mod common;
mod stats_tree;

use std::fs;
use std::process::Stdio;

use stats_tree::*;

/// A pipe whose reading end is already closed, as after `| true` or `| head -0`.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

#[test]
fn a_closed_stderr_or_stdout_is_not_a_crash() {
    let (f, _) = with_logs(&[V3_HTTP]);
    // An error to report on a closed stderr: the exit code stays the error's (2), not a panic's.
    let st = f
        .cmd()
        .args(["stats", "/no/such/llonebot.log"])
        .stdout(Stdio::null())
        .stderr(closed_pipe())
        .status()
        .expect("run");
    assert_eq!(st.code(), Some(2));
    // Prometheus text on a closed stdout: done, quietly.
    let out = f
        .cmd()
        .args(["stats", "--prometheus"])
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn json_output_file_is_the_document_stdout_holds() {
    let (f, logs) = with_logs(&[V3_HTTP, V3_WS]);
    // No --since: with one, window_seconds counts to now and may differ between the two runs.
    let stdout = f.run(&["--json", "stats"]).stdout;
    let file = logs.join("stats.json");
    let out = f.run(&["--json", "stats", "--output", file.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let written = fs::read(&file).expect("written");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&stdout)
    );
}

/// Renaming over a folder, a FIFO or a link would replace it (as root even a device such as
/// /dev/full): refused with exit 2, and left as it was. A folder that is not there: exit 2.
#[test]
fn output_writes_only_over_a_regular_file() {
    let (f, logs) = with_logs(&[V3_HTTP]);
    let folder = logs.join("a-folder");
    fs::create_dir(&folder).expect("folder");
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut refused = vec![folder.clone()];
    #[cfg(unix)]
    {
        let target = logs.join("target.prom");
        fs::write(&target, "kept\n").expect("target");
        let link = logs.join("link.prom");
        std::os::unix::fs::symlink(&target, &link).expect("link");
        refused.push(link);
        let fifo = logs.join("fifo.prom");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            refused.push(fifo);
        } else {
            common::skip("no mkfifo here, the FIFO case of --output is not run");
        }
    }
    for path in &refused {
        let before = fs::symlink_metadata(path).expect("there").file_type();
        let out = f.run(&["stats", "--output", path.to_str().expect("path")]);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(
            fs::symlink_metadata(path).expect("kept").file_type(),
            before
        );
    }
    #[cfg(unix)]
    assert_eq!(
        fs::read_to_string(logs.join("target.prom")).expect("t"),
        "kept\n"
    );
    let missing = logs.join("no-such-folder").join("x.prom");
    let out = f.run(&["stats", "--output", missing.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
}
