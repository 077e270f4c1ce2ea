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
        advice.starts_with("refused at login for many accounts since"),
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

/// A message a user can meet is a catalogue message, so that it has a Chinese form. This
/// finds English written straight into output: the text of `println!`, `eprintln!`,
/// `write!`/`writeln!` into a report, and of `format!` handed to `Failure` or `Msg::raw`,
/// with placeholders and the program's name taken out, must hold no words. Code that writes
/// files for other programs (crontab, unit files, plists) or parses logs is not output.
#[test]
fn no_english_only_output_in_the_code() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let macros = [
        "println!(\"",
        "eprintln!(\"",
        "print!(\"",
        "eprint!(\"",
        "Failure::usage(format!(\"",
        "Failure::new(Exit::Usage, format!(\"",
        "Msg::raw(format!(\"",
    ];
    let mut found = Vec::new();
    for e in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        // Unit tests at the end of a file are not output.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let mut lits: Vec<(usize, String)> = Vec::new();
        let line_of = |at: usize| code[..at].matches('\n').count() + 1;
        // The first string literal of a call, which may start on the next line.
        let literal_at = |from: usize| -> Option<String> {
            let rest = &code[from..];
            let start = rest.find('"')?;
            let before = &rest[..start];
            if before.len() > 80 || before.contains(';') || before.contains(')') {
                return None;
            }
            let body = &rest[start + 1..];
            let mut end = 0;
            let mut escaped = false;
            for (i, c) in body.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = i;
                        break;
                    }
                    _ => escaped = false,
                }
            }
            Some(body[..end].to_string())
        };
        for m in macros
            .iter()
            .map(|m| m.trim_end_matches('"'))
            .chain(["writeln!(", "write!("])
        {
            for (at, _) in code.match_indices(m) {
                let line_start = code[..at].rfind('\n').map_or(0, |i| i + 1);
                if code[line_start..at].trim_start().starts_with("//") {
                    continue;
                }
                if let Some(lit) = literal_at(at + m.len()) {
                    lits.push((line_of(at), lit));
                }
            }
        }
        lits.sort();
        lits.dedup();
        for (n, lit) in lits {
            // Names and formats that are the same in every language.
            if [
                "# HELP {name} {help}",
                "# TYPE {name} {kind}",
                "# TYPE {name} gauge",
                " (= Windows {win})",
            ]
            .contains(&lit.as_str())
            {
                continue;
            }
            let mut bare = String::new();
            let mut depth = 0;
            for c in lit.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    c if depth == 0 => bare.push(c),
                    _ => {}
                }
            }
            let bare = bare.replace("llob-doctor", "").replace("\\n", " ");
            let words = bare
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 2)
                .count();
            if words > 0 {
                found.push(format!("{}:{n}: {lit:?}", e.path().display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English written straight into output (use the catalogue: t, tf!, msg!): {found:#?}"
    );
}
