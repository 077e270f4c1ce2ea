//! Chinese and English output: reports, refusals and help in both languages, tables that line up
//! with CJK text, the language chosen from the locale, and JSON that stays English.

mod common;

use common::{Fixture, Os};

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn display_width(s: &str) -> usize {
    // CJK ideographs and full-width punctuation are two columns; everything here else is one.
    s.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// The display column where `needle` starts in each line that has it.
fn columns_of(lines: &[&str], needle: &[&str]) -> Vec<usize> {
    lines
        .iter()
        .filter_map(|l| {
            needle
                .iter()
                .find_map(|n| l.rfind(n).map(|i| display_width(&l[..i])))
        })
        .collect()
}

#[test]
fn detect_in_both_languages() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let zh = text(&f.run(&["--lang", "zh", "detect"]));
    for want in [
        "安装位置",
        "找到方式",
        "配置目录",
        "shell 启动文件中的 LITELOADERQQNT 块",
        "账号",
    ] {
        assert!(zh.contains(want), "zh lacks {want:?}:\n{zh}");
    }
    let en = text(&f.run(&["--lang", "en", "detect"]));
    for want in [
        "install",
        "found via",
        "profile",
        "LITELOADERQQNT block in a shell start-up file",
        "accounts",
    ] {
        assert!(en.contains(want), "en lacks {want:?}:\n{en}");
    }
    assert!(!en.contains("安装"));
}

#[test]
fn clean_preview_and_refusal_in_both_languages() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let zh = text(&f.run(&["--lang", "zh", "clean", "--dry-run"]));
    for want in ["类型", "账号", "路径", "合计", "预览：没有改动任何东西"] {
        assert!(zh.contains(want), "zh lacks {want:?}:\n{zh}");
    }
    // The path column lines up although the header is Chinese (two columns per character).
    let lines: Vec<&str> = zh
        .lines()
        .filter(|l| l.contains("路径") || l.starts_with("msg_db") || l.starts_with("temp"))
        .collect();
    assert_eq!(lines.len(), 4, "{zh}");
    let path_cols = columns_of(&lines, &["路径", "msg_1", "msg_2", "temp"]);
    assert_eq!(path_cols.len(), 4, "{zh}");
    assert!(
        path_cols.windows(2).all(|w| w[0] == w[1]),
        "path column: {path_cols:?}\n{zh}"
    );

    let out = f
        .cmd()
        .args(["--lang", "zh", "clean"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("没有终端") && err.contains("--yes"), "{err}");
    let out = f
        .cmd()
        .args(["--lang", "en", "clean"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a terminal"));
}

#[test]
fn check_versions_in_both_languages_with_aligned_columns() {
    let f = Fixture::new(Os::Windows);
    f.windows_old(r"C:\Program Files\Tencent\QQNT");
    let zh = text(&f.run(&["--lang", "zh", "check-versions"]));
    for want in ["组件", "已安装", "最低要求", "状态", "过旧", "建议操作"] {
        assert!(zh.contains(want), "zh lacks {want:?}:\n{zh}");
    }
    let table: Vec<&str> = zh.lines().take(4).collect();
    let status_cols = columns_of(&table, &["状态", "正常", "过旧", "无法登录", "未知"]);
    assert_eq!(status_cols.len(), 4, "{zh}");
    assert!(
        status_cols.windows(2).all(|w| w[0] == w[1]),
        "status column: {status_cols:?}\n{zh}"
    );
    let en = text(&f.run(&["--lang", "en", "check-versions"]));
    assert!(
        en.contains("Component") && en.contains("outdated") && en.contains("What to do"),
        "{en}"
    );
}

#[test]
fn help_in_both_languages() {
    let f = Fixture::new(Os::Linux);
    let zh = text(&f.run(&["--lang", "zh", "--help"]));
    for want in [
        "用法:",
        "命令:",
        "选项:",
        "显示帮助",
        "安全清理",
        "[默认：auto]",
    ] {
        assert!(zh.contains(want), "zh help lacks {want:?}:\n{zh}");
    }
    let zh_clean = text(&f.run(&["--lang", "zh", "clean", "--help"]));
    assert!(zh_clean.contains("只显示将删除的内容"), "{zh_clean}");
    let en = text(&f.run(&["--lang", "en", "--help"]));
    for want in [
        "Usage:",
        "Commands:",
        "Options:",
        "Print help",
        "[default: auto]",
    ] {
        assert!(en.contains(want), "en help lacks {want:?}:\n{en}");
    }
}

#[test]
fn language_comes_from_the_locale() {
    let f = Fixture::new(Os::Linux);
    let zh = f
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .arg("--help")
        .output()
        .unwrap();
    assert!(text(&zh).contains("用法:"));
    let c = f
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .env("LC_ALL", "C")
        .arg("--help")
        .output()
        .unwrap();
    assert!(text(&c).contains("Usage:"));
    let forced = f
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .args(["--lang", "en", "--help"])
        .output()
        .unwrap();
    assert!(text(&forced).contains("Usage:"));
}

#[test]
fn json_stays_english_whatever_the_language() {
    let f = Fixture::new(Os::Windows);
    f.windows_old(r"C:\Program Files\Tencent\QQNT");
    let (code, v) = f.json(&["--lang", "zh", "check-versions"]);
    assert_eq!(code, 1);
    let advice = v["components"][0]["advice"].as_str().unwrap();
    assert!(
        advice.starts_with("Tencent refuses this build at login since"),
        "{advice}"
    );
    assert_eq!(v["components"][0]["status"], "refused");
    let out = f
        .cmd()
        .env("LANG", "zh_CN.UTF-8")
        .args(["--json", "--qq-dir", "/nope", "detect"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("expected the QQ install folder"),
        "{v}"
    );
}
