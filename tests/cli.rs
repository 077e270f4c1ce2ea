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
    // 8: the bot of that folder does not run.
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 8)),
        "{}",
        stderr(&out)
    );
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

    // A scheduler's file is text: such a folder in a job would name another one. Refused.
    let out = f
        .cmd()
        .args(["--lang", "en", "--data-dir"])
        .arg(dd)
        .args(["schedule", "install", "--systemd", "--at", "04:00"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not valid Unicode"),
        "{}",
        stderr(&out)
    );

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

/// Answering "y" on a terminal (script(1) gives one): the preview once, files and entries
/// counted the same way in the prompt and the table, plurals right.
#[cfg(target_os = "linux")]
#[test]
fn the_prompt_and_the_preview_agree_and_the_table_is_shown_once() {
    let have_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_script {
        common::skip("script(1) is not installed");
        return;
    }
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    // One account's folder and one temp entry: singular words.
    fs_remove_all_but(&data.join("temp"), "image-1.png");
    std::fs::remove_dir_all(data.join("msg_20002")).unwrap();
    let cmd = format!(
        "'{}' --fs-root '{}' --platform linux --lang en --color never clean",
        common::BIN,
        f.root.display()
    );
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HOME", "/home/alice")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // The answer arrives once the prompt waits for it (the terminal keeps it until read).
        stdin.write_all(b"y\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(stdin);
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert_eq!(
        text.matches("TARGET").count(),
        1,
        "table shown twice:\n{text}"
    );
    assert!(text.contains("temp/ (1 entry)"), "{text}");
    // 6 files in msg_1511954122 + 1 in temp/, in 2 entries.
    assert!(text.contains("Remove these 7 files in 2 entries"), "{text}");
    assert!(text.contains("Removed 7 files"), "{text}");
    assert!(!data.join("msg_1511954122").exists());
}

#[cfg(target_os = "linux")]
fn fs_remove_all_but(dir: &std::path::Path, keep: &str) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().is_some_and(|n| n != keep) {
            if p.is_dir() {
                std::fs::remove_dir_all(&p).unwrap();
            } else {
                std::fs::remove_file(&p).unwrap();
            }
        }
    }
}

#[test]
fn an_unknown_account_is_named_with_the_ones_there() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let out = f.run(&["--lang", "en", "clean", "-n", "--uin", "555"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("no account 555") && err.contains("20002, 1511954122"),
        "{err}"
    );
    // --database for an account without a database: no warning about one.
    let out = f.run(&[
        "--lang",
        "en",
        "clean",
        "-n",
        "--database",
        "--uin",
        "1511954122",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let database = format!("database{}", std::path::MAIN_SEPARATOR);
    assert!(!text.contains(&database), "{text}");
    let out = f.run(&[
        "--lang",
        "en",
        "clean",
        "-n",
        "--database",
        "--uin",
        "20002",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("message ids"));
    let (_, v) = f.json(&["clean", "-n", "--database", "--uin", "20002"]);
    assert!(
        v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "database")
    );
}

#[test]
fn accounts_in_the_same_order_in_detect_and_clean() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let (_, d) = f.json(&["detect"]);
    let detect: Vec<String> = d["llonebot"]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["msg_db"].is_null())
        .map(|a| a["uin"].as_str().unwrap().to_string())
        .collect();
    let (_, c) = f.json(&["clean", "-n"]);
    let clean: Vec<String> = c["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "msg_db")
        .map(|t| t["uin"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(detect, clean);
    assert_eq!(clean, ["20002", "1511954122"]);
}

/// With no HOME, the places under it cannot be searched: detect says so instead of a silent
/// "not found"; `-v` gives a reason for each place taken and lists the shell files absent.
#[test]
fn detect_says_what_it_skipped_and_why_it_took() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let out = f
        .cmd()
        .env_remove("HOME")
        .args(["--lang", "en", "detect"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("$HOME: no home folder is known"), "{text}");
    let (_, v) = {
        let out = f
            .cmd()
            .env_remove("HOME")
            .args(["--json", "detect"])
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        )
    };
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["path"] == "$HOME"),
        "{v}"
    );

    let out = f.run(&["--lang", "en", "-v", "detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let taken: Vec<&str> = text.lines().filter(|l| l.contains(" taken ")).collect();
    assert!(!taken.is_empty(), "{text}");
    for l in &taken {
        assert!(l.contains("  ("), "a place taken without a reason: {l}");
    }
    assert!(
        text.lines()
            .any(|l| l.contains(".zshrc") && l.contains("missing")),
        "absent rc files are not listed:\n{text}"
    );
}

/// `clean --help`: clean's own options first, the global ones under their own heading.
#[test]
fn subcommand_help_puts_global_options_under_their_own_heading() {
    for (lang, heading) in [("en", "Global options:"), ("zh", "全局选项")] {
        let out = Command::new(common::BIN)
            .args(["--lang", lang, "clean", "--help"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let global = text
            .find(heading)
            .unwrap_or_else(|| panic!("no {heading}:\n{text}"));
        let own = text.find("--older-than").unwrap();
        let json = text.find("--json").unwrap();
        assert!(own < global && global < json, "{text}");
    }
}
