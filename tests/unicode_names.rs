//! Names as Chinese users have them: a received `File/报告.pdf`, pictures named in CJK, emoji and
//! combining marks, in QQ's cache, LLOneBot's temp/ and logs, and NapCat's temp. Every command
//! that looks at names must finish (a name sliced by bytes once made `detect`, `doctor` and
//! `clean --qq-cache` panic in a worker thread and then wait for ever), show the names as they
//! are, and clean them like any other.

mod common;
mod qq_cache_tree;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{Fixture, Os, native};
use qq_cache_tree::*;

/// Names that end inside a multi-byte character where an ASCII suffix such as `.db` would
/// begin, and names of every kind of character.
const NAMES: [&str; 8] = [
    "报告.pdf",
    "截图2024.jpg",
    "图",
    "表情😀.gif",
    "👨‍👩‍👧.png",
    "e\u{301}\u{302}.jpg",
    "数据库.db.备份",
    "日志.log",
];

/// Runs to the end; a run still going after a minute is killed and fails the test as hung.
fn bounded(f: &Fixture, args: &[&str]) -> Output {
    common::watch::run_within(f.cmd().args(args), &format!("{args:?}"))
}

fn ok(out: &Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn put_names(dir: &Path, days: u64) {
    for n in NAMES {
        put(&dir.join(n), 100, days);
    }
}

#[test]
fn unicode_names_in_every_cache_are_seen_shown_and_cleaned() {
    let f = Fixture::new(Os::host());
    let data = if cfg!(windows) {
        f.windows_new()
    } else {
        f.linux_installer()
    };
    // QQ's cache: received files, pictures, a folder named in Chinese.
    let qq = if cfg!(windows) {
        f.home()
            .join(native("Documents/Tencent Files/123456789/nt_qq"))
    } else {
        f.home().join(native(&format!(".config/QQ/nt_qq_{HEX1}")))
    };
    let nt = qq.join("nt_data");
    put_names(&nt.join(native("File/file_assistant")), 10);
    put_names(&nt.join(native("File/群文件")), 10);
    put_names(&nt.join(native("Pic/2024-06/Ori")), 10);
    put_names(&nt.join(native("Pic/2024-06/Ori/子目录")), 10);
    // LLOneBot's temp/ and logs/.
    put_names(&data.join("temp"), 10);
    put_names(&data.join(native("temp/视频")), 10);
    put(
        &data.join(native("logs/llonebot-2024-08-03 日志.log")),
        10,
        10,
    );

    let detect = ok(&bounded(&f, &["detect", "-v"]), "detect");
    assert!(detect.contains("QQ"), "{detect}");
    // doctor: 1 is a finding (versions of the fixture) and 8 the fixture's bot not running,
    // not a failure to run.
    let doctor = bounded(&f, &["doctor"]);
    assert!(
        matches!(doctor.status.code(), Some(0 | 1 | 8)),
        "doctor: {doctor:?}"
    );
    ok(&bounded(&f, &["stats"]), "stats");
    let preview = ok(
        &bounded(&f, &["clean", "--dry-run", "--qq-cache-kinds", "pic,file"]),
        "preview",
    );
    assert!(preview.contains("File"), "{preview}");

    let (code, v) = f.json(&["clean", "--yes", "--qq-cache-kinds", "pic,file"]);
    assert_eq!(code, 0, "{v:#}");
    for n in NAMES {
        for dir in [
            nt.join(native("File/file_assistant")),
            nt.join(native("File/群文件")),
            nt.join(native("Pic/2024-06/Ori")),
            nt.join(native("Pic/2024-06/Ori/子目录")),
            data.join("temp"),
        ] {
            let p = dir.join(n);
            // `数据库.db.备份` is no database (its name does not end in `.db`): it goes too.
            assert!(!p.exists(), "{} must be gone: {v:#}", p.display());
        }
    }
    assert!(
        fs::read_dir(data.join("temp")).unwrap().next().is_none(),
        "temp/ is empty"
    );
}

/// The never-touch rule holds for names that end in a database suffix after Chinese text.
#[test]
fn a_chinese_named_database_in_the_cache_is_never_touched() {
    let f = Fixture::new(Os::host());
    let qq = if cfg!(windows) {
        f.home()
            .join(native("Documents/Tencent Files/123456789/nt_qq"))
    } else {
        f.home().join(native(&format!(".config/QQ/nt_qq_{HEX1}")))
    };
    let nt = qq.join("nt_data");
    let db = nt.join(native("Pic/2024-06/Ori/缓存.db"));
    let wal = nt.join(native("Pic/2024-06/Ori/缓存.DB-wal"));
    let pic = nt.join(native("Pic/2024-06/Ori/图片.jpg"));
    for p in [&db, &wal, &pic] {
        put(p, 10, 30);
    }
    let out = bounded(&f, &["--json", "clean", "--yes", "--qq-cache"]);
    ok(&out, "clean --qq-cache");
    assert!(db.is_file() && wal.is_file(), "databases stay");
    assert!(!pic.exists(), "the picture goes");
}
