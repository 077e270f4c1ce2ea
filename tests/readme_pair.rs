//! README.md and README.zh-CN.md must not drift apart: the same headings (levels, in order), the
//! same code blocks (kind, in order) with the same commands in them, the same tables (rows and
//! cells per row), links to each other at the top, a table of contents that names every section,
//! and in-page links that land on a heading.
//!
//! What counts as a command: in a `sh`/`bash`/`shell`/`zsh`/`powershell`/`ps1`/`pwsh`/`cmd`/`bat`
//! block, every line once its comment (`# …` outside quotes) is cut off and blank lines dropped;
//! in any other block (`text`, `console`, …), which shows a program's output and may be translated,
//! only the lines typed at a prompt (`$ …`, comment cut off). Commands are compared block by block,
//! in order, byte for byte.

use std::fmt::Write as _;

const SHELL_LANGS: &[&str] = &[
    "sh",
    "bash",
    "shell",
    "zsh",
    "powershell",
    "ps1",
    "pwsh",
    "cmd",
    "bat",
];

#[derive(Debug, Default)]
struct Doc {
    /// (level, text, line number)
    headings: Vec<(usize, String, usize)>,
    blocks: Vec<Block>,
    tables: Vec<Table>,
    /// (target after `#`, line number)
    anchor_links: Vec<(String, usize)>,
    /// lines before the first `## ` heading (the top: links, contents)
    top: String,
}

#[derive(Debug)]
struct Block {
    lang: String,
    line: usize,
    /// the heading it is under
    section: String,
    commands: Vec<String>,
}

#[derive(Debug)]
struct Table {
    line: usize,
    /// cells per row, header and separator included
    cells: Vec<usize>,
}

fn parse(text: &str) -> Doc {
    let mut doc = Doc::default();
    let mut open: Option<Block> = None;
    let mut table: Option<Table> = None;
    let mut seen_h2 = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = raw.trim_start();
        if let Some(block) = open.as_mut() {
            if trimmed.trim_end() == "```" {
                doc.blocks.extend(open.take());
            } else if let Some(cmd) = command_of(&block.lang, trimmed) {
                block.commands.push(cmd);
            }
            continue;
        }
        if let Some(info) = trimmed.strip_prefix("```") {
            doc.tables.extend(table.take());
            open = Some(Block {
                lang: info.trim().to_lowercase(),
                line: n,
                section: doc.headings.last().map_or(String::new(), |h| h.1.clone()),
                commands: Vec::new(),
            });
            continue;
        }
        if trimmed.starts_with('|') {
            table
                .get_or_insert(Table {
                    line: n,
                    cells: Vec::new(),
                })
                .cells
                .push(cells_in_row(trimmed));
        } else {
            doc.tables.extend(table.take());
        }
        if let Some((level, title)) = heading(raw) {
            if level == 2 {
                seen_h2 = true;
            }
            doc.headings.push((level, title, n));
        }
        if !seen_h2 {
            doc.top.push_str(raw);
            doc.top.push('\n');
        }
        let mut rest = raw;
        while let Some(at) = rest.find("](#") {
            let after = &rest[at + 3..];
            let end = after.find(')').unwrap_or(after.len());
            doc.anchor_links.push((after[..end].to_string(), n));
            rest = &after[end..];
        }
    }
    doc.tables.extend(table.take());
    doc.blocks.extend(open.take());
    doc
}

fn heading(line: &str) -> Option<(usize, String)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let title = line[level..].strip_prefix(' ')?;
    (level > 0).then(|| (level, title.trim().to_string()))
}

/// The command on a line of a block of this kind, if the line holds one.
fn command_of(lang: &str, line: &str) -> Option<String> {
    let shell = SHELL_LANGS.contains(&lang);
    let line = if shell {
        line
    } else {
        line.strip_prefix("$ ")?
    };
    let cmd = strip_comment(line).trim().to_string();
    (!cmd.is_empty()).then_some(cmd)
}

/// A line without its `# comment`: a `#` at the start or after white space, outside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev_space => return &line[..i],
            None => {}
        }
        prev_space = c.is_whitespace();
    }
    line
}

/// Cells of a table row: the unescaped `|` that separate them, less one.
fn cells_in_row(row: &str) -> usize {
    let row = row.trim();
    let mut pipes = 0usize;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => pipes += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    pipes.saturating_sub(1)
}

/// GitHub's anchor for a heading: lower case, only letters, digits, `-`, `_` and spaces kept,
/// spaces made `-`.
fn slug(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn slugs(doc: &Doc) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, title, _) in &doc.headings {
        let base = slug(title);
        let mut name = base.clone();
        let mut k = 1;
        while out.contains(&name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        out.push(name);
    }
    out
}

/// Every way the two READMEs disagree, or one of them is broken on its own, in words.
fn compare(en_text: &str, zh_text: &str) -> Vec<String> {
    let (en, zh) = (parse(en_text), parse(zh_text));
    let mut out = Vec::new();

    // Headings: the same levels in the same order.
    if en.headings.len() != zh.headings.len() {
        out.push(format!(
            "headings: README.md has {}, README.zh-CN.md has {}",
            en.headings.len(),
            zh.headings.len()
        ));
    }
    for (i, (e, z)) in en.headings.iter().zip(&zh.headings).enumerate() {
        if e.0 != z.0 {
            out.push(format!(
                "heading {}: README.md line {} `{} {}` is level {}, README.zh-CN.md line {} `{} {}` is level {} (from here on the sections no longer match)",
                i + 1,
                e.2,
                "#".repeat(e.0),
                e.1,
                e.0,
                z.2,
                "#".repeat(z.0),
                z.1,
                z.0
            ));
            break;
        }
    }

    // Code blocks: the same kinds in order, the same commands in each. When one README has a
    // block more or less, only the first block that differs is told (the rest would all differ).
    let same_count = en.blocks.len() == zh.blocks.len();
    if !same_count {
        out.push(format!(
            "code blocks: README.md has {}, README.zh-CN.md has {}",
            en.blocks.len(),
            zh.blocks.len()
        ));
    }
    for (i, (e, z)) in en.blocks.iter().zip(&zh.blocks).enumerate() {
        let at = format!(
            "code block {} (README.md line {} under `{}`, README.zh-CN.md line {} under `{}`)",
            i + 1,
            e.line,
            e.section,
            z.line,
            z.section
        );
        if e.lang != z.lang {
            out.push(format!(
                "{at}: ```{} in README.md, ```{} in README.zh-CN.md",
                e.lang, z.lang
            ));
            break;
        }
        if e.commands != z.commands {
            let mut msg = format!("{at}: the commands differ");
            for k in 0..e.commands.len().max(z.commands.len()) {
                let (a, b) = (e.commands.get(k), z.commands.get(k));
                if a != b {
                    let _ = write!(
                        msg,
                        "\n    README.md:       {}\n    README.zh-CN.md: {}",
                        a.map_or("(none)", String::as_str),
                        b.map_or("(none)", String::as_str)
                    );
                }
            }
            out.push(msg);
            if !same_count {
                break;
            }
        }
    }

    // Tables: as many, each with the same rows and cells per row; the first that differs is told.
    if en.tables.len() != zh.tables.len() {
        out.push(format!(
            "tables: README.md has {}, README.zh-CN.md has {}",
            en.tables.len(),
            zh.tables.len()
        ));
    }
    for (i, (e, z)) in en.tables.iter().zip(&zh.tables).enumerate() {
        if e.cells != z.cells {
            out.push(format!(
                "table {} (README.md line {}, README.zh-CN.md line {}): {} rows against {}, cells per row {:?} against {:?} (tables after it not compared)",
                i + 1,
                e.line,
                z.line,
                e.cells.len(),
                z.cells.len(),
                e.cells,
                z.cells
            ));
            break;
        }
    }

    for (name, doc, other) in [
        ("README.md", &en, "README.zh-CN.md"),
        ("README.zh-CN.md", &zh, "README.md"),
    ] {
        own_problems(name, doc, other, &mut out);
    }
    out
}

/// What one README must hold by itself: a link to the other at the top, a table of contents
/// naming every `##` section, and in-page links that land on a heading.
fn own_problems(name: &str, doc: &Doc, other: &str, out: &mut Vec<String>) {
    if !doc.top.contains(&format!("]({other})")) {
        out.push(format!(
            "{name}: no link to {other} before its first section"
        ));
    }
    let slugs = slugs(doc);
    for ((level, title, line), slug) in doc.headings.iter().zip(&slugs) {
        if *level == 2 && !doc.top.contains(&format!("](#{slug})")) {
            out.push(format!(
                "{name}: the contents at the top do not link to section `{title}` (line {line}, anchor #{slug})"
            ));
        }
    }
    for (target, line) in &doc.anchor_links {
        if !slugs.contains(target) {
            out.push(format!(
                "{name} line {line}: link to #{target}, which is no heading's anchor"
            ));
        }
    }
}

fn read(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

#[test]
fn the_chinese_readme_matches_the_english_one() {
    let problems = compare(&read("README.md"), &read("README.zh-CN.md"));
    assert!(
        problems.is_empty(),
        "README.md and README.zh-CN.md disagree ({} problems):\n- {}",
        problems.len(),
        problems.join("\n- ")
    );
}

#[test]
fn a_command_changed_in_one_readme_is_caught() {
    let en = read("README.md");
    let zh = read("README.zh-CN.md");
    let changed = zh.replacen(
        "llob-doctor clean --dry-run ",
        "llob-doctor clean --dryrun ",
        1,
    );
    assert_ne!(
        changed, zh,
        "the command to change is no longer in README.zh-CN.md"
    );
    let problems = compare(&en, &changed);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("commands differ") && p.contains("--dryrun")),
        "a changed command was not reported: {problems:?}"
    );
}

#[test]
fn a_heading_moved_to_another_level_is_caught() {
    let en = read("README.md");
    let zh = read("README.zh-CN.md");
    let Some(at) = zh.find("\n### ") else {
        panic!("README.zh-CN.md has no ### heading");
    };
    let mut changed = zh.clone();
    changed.replace_range(at + 1..at + 4, "##");
    let problems = compare(&en, &changed);
    assert!(
        problems.iter().any(|p| p.contains("is level 3")),
        "a heading at another level was not reported: {problems:?}"
    );
}

#[test]
fn the_comment_rule_keeps_quoted_hashes_and_cuts_comments() {
    assert_eq!(
        command_of("sh", "llob-doctor clean --dry-run          # the preview"),
        Some("llob-doctor clean --dry-run".to_string())
    );
    assert_eq!(command_of("sh", "# crontab: every 5 minutes"), None);
    assert_eq!(
        command_of("sh", "echo '# not a comment' x#y"),
        Some("echo '# not a comment' x#y".to_string())
    );
    assert_eq!(command_of("text", "QQ 3.2.13-29927"), None);
    assert_eq!(
        command_of("text", "$ llob-doctor detect   # the ids"),
        Some("llob-doctor detect".to_string())
    );
    assert_eq!(slug("Send statistics (`stats`)"), "send-statistics-stats");
    assert_eq!(slug("中文 / Languages"), "中文--languages");
    assert_eq!(slug("QQ's cache"), "qqs-cache");
    assert_eq!(
        cells_in_row("| `--color auto\\|always\\|never` | colours |"),
        2
    );
}
