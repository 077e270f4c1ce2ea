//! The command line as a user meets it: paths that are not valid Unicode, a reader that goes
//! away, usage errors under `--json` and in Chinese, values clap would take for options.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{Fixture, Os};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A data folder under a GBK-named folder (中文, as an unzipped Windows archive leaves it) with
/// a GBK-named entry in temp/.
#[cfg(unix)]
fn gbk_tree(f: &Fixture) -> std::path::PathBuf {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let data = f
        .root
        .join(OsStr::from_bytes(b"\xd6\xd0\xce\xc4"))
        .join("LLOneBot");
    f.data_dir(&data, &["10001"], &[]);
    f.write(
        &data.join("temp").join(OsStr::from_bytes(b"\xb1\xed.png")),
        b"png",
    );
    data
}

#[cfg(unix)]
#[test]
fn paths_that_are_not_unicode_are_carried_and_shown() {
    let f = Fixture::new(Os::Linux);
    let data = gbk_tree(&f);
    let hex: String = {
        use std::os::unix::ffi::OsStrExt;
        data.as_os_str()
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let dd = data.as_os_str();

    // detect --json: one whole document, the path lossy, its bytes in raw_paths.
    let (code, v) = {
        let out = f
            .cmd()
            .arg("--json")
            .arg("--data-dir")
            .arg(dd)
            .arg("detect")
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not one JSON document ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        (out.status.code(), v)
    };
    assert_ne!(code, Some(2), "{v}");
    let raw = v["raw_paths"].as_array().expect("raw_paths");
    let this = raw
        .iter()
        .find(|r| r["hex"] == hex.as_str())
        .expect("the data dir's bytes");
    assert_eq!(this["encoding"], "bytes");
    assert_eq!(this["lossy"].as_str(), Some(&*data.to_string_lossy()));

    // doctor: no panic, a report.
    let out = f
        .cmd()
        .arg("--data-dir")
        .arg(dd)
        .arg("doctor")
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
    let out = f
        .cmd()
        .arg("--json")
        .arg("--data-dir")
        .arg(dd)
        .arg("doctor")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("doctor JSON");
    assert!(v["raw_paths"].is_array());

    // clean --dry-run --json: one document, exit 0, nothing touched.
    let out = f
        .cmd()
        .arg("--json")
        .arg("--data-dir")
        .arg(dd)
        .args(["clean", "-n"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("clean -n JSON");
    assert_eq!(v["data_dir"].as_str(), Some(&*data.to_string_lossy()));
    assert!(data.join("msg_10001").exists());

    // What every scheduled run does: it deletes, exits 0 and writes its log line.
    let log = f.tmp.path().join("clean.log");
    let out = f
        .cmd()
        .arg("--data-dir")
        .arg(dd)
        .args(["clean", "--yes", "--log-file"])
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!data.join("msg_10001").exists());
    assert_eq!(std::fs::read_dir(data.join("temp")).unwrap().count(), 0);
    let text = std::fs::read_to_string(&log).expect("a log line");
    let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(line["exit_code"], 0);
    assert_eq!(line["removed"].as_array().unwrap().len(), 2);
    assert!(
        line["raw_paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["hex"] == hex.as_str())
    );
}

/// `llob-doctor ... | head -1`: the reader goes away after one line; no panic, no message.
fn closed_pipe(args: &[&str]) {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    for _ in 0..5 {
        let mut child = f
            .cmd()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before the first write (head has read its line and quit).
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
        assert_ne!(status.code(), Some(101), "{args:?} panicked");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    closed_pipe(&["--json", "stats"]);
    closed_pipe(&["completions", "bash"]);
    closed_pipe(&["man"]);
    closed_pipe(&["--json", "detect"]);
}

#[test]
fn usage_errors_under_json_are_one_json_document() {
    for args in [
        &["--json", "frob"][..],
        &["--json", "--color", "rainbow", "detect"],
        &["--json", "clean", "--restart-qq"],
    ] {
        let out = Command::new(common::BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"));
        assert_eq!(v["exit_code"], 2);
        assert!(v["error"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
    }
    let out = Command::new(common::BIN)
        .args(["--json", "clean", "--restart-qq"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["error"].as_str().unwrap().contains("--stop-qq"), "{v}");
}

#[test]
fn clap_errors_in_chinese() {
    let zh = |args: &[&str]| {
        let out = Command::new(common::BIN)
            .args(["--lang", "zh"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        stderr(&out)
    };
    let e = zh(&["frob"]);
    assert!(
        e.contains("无法识别的子命令 'frob'") && e.contains("用法"),
        "{e}"
    );
    assert!(
        !e.contains("unrecognized") && !e.contains("For more information"),
        "{e}"
    );
    let e = zh(&["--color", "rainbow", "detect"]);
    assert!(
        e.contains("无效") && e.contains("auto, always, never"),
        "{e}"
    );
    let e = zh(&["clean", "--restart-qq"]);
    assert!(
        e.contains("缺少以下必需的参数") && e.contains("--stop-qq"),
        "{e}"
    );
    // --platform alone: says what --fs-root is for, not just a usage line.
    let e = zh(&["--platform", "linux", "detect"]);
    assert!(e.contains("--fs-root DIR"), "{e}");
    let out = Command::new(common::BIN)
        .args(["--lang", "en", "--platform", "linux", "detect"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("give that disk's root folder with --fs-root"));
}

#[test]
fn negative_and_fractional_values_get_our_message() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["clean", "-n", "--older-than", "-1d"],
            "cannot be negative",
            "不能为负",
        ),
        (&["clean", "-n", "--older-than", "1.5d"], "1d12h", "1d12h"),
        (
            &["doctor", "--temp-warn", "-5"],
            "cannot be negative",
            "不能为负",
        ),
        (
            &["doctor", "--temp-warn", "5x"],
            "unknown unit 'x'",
            "未知单位 'x'",
        ),
    ];
    for (args, en, zh) in cases {
        let out = f.cmd().args(["--lang", "en"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = stderr(&out);
        assert!(
            e.contains(en) && !e.contains("unexpected argument"),
            "{args:?}: {e}"
        );
        let out = f.cmd().args(["--lang", "zh"]).args(args).output().unwrap();
        let e = stderr(&out);
        assert!(e.contains(zh), "{args:?}: {e}");
    }
    let out = f
        .cmd()
        .args(["--lang", "zh", "clean", "-n", "--older-than", "7"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("'7' 没有单位"), "{}", stderr(&out));
}
