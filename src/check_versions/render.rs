//! The human layout of a report: the table, then what to do, notes and warnings.

use std::fmt::Write;

use super::text::{
    equivalents_text, fact_text, floor_note, name_text, not_found_text, status_text,
};
use super::{Component, Name, Report, shown};
use crate::env::Platform;
use crate::i18n::t;
use crate::output::{Output, Tone};
use crate::policy::Status;
use crate::tf;

fn installed_cell(c: &Component) -> String {
    let Some(v) = &c.installed else {
        return "-".to_string();
    };
    let mut cell = shown(v);
    if let (Some(p), Some(win)) = (c.platform, &c.windows_equivalent)
        && p != Platform::Windows
    {
        let _ = write!(cell, " (= Windows {win})");
    }
    cell
}

fn minimum_cell(c: &Component) -> String {
    match (&c.minimum, c.minimum_build) {
        (Some(_), Some(b)) if c.minimum_foreign => tf!("cv.build_n", build = b),
        (Some(m), _) => shown(m),
        (None, _) => "-".to_string(),
    }
}

pub fn render(r: &Report, out: &Output) -> String {
    let mut s = String::new();
    let mut rows: Vec<Vec<String>> = vec![
        [
            "cv.col_component",
            "cv.col_installed",
            "cv.col_minimum",
            "cv.col_status",
        ]
        .iter()
        .map(|k| t(k).to_string())
        .collect(),
    ];
    for c in &r.components {
        rows.push(vec![
            name_text(c.name).to_string(),
            installed_cell(c),
            minimum_cell(c),
            status_text(c.status).to_string(),
        ]);
    }
    for (i, line) in crate::output::table(&rows, &[]).iter().enumerate() {
        if i == 0 {
            let _ = writeln!(s, "{}", out.paint(Tone::Bold, line));
            continue;
        }
        // Colour only the status word at the end, so the padding stays right.
        let c = &r.components[i - 1];
        let tone = match c.status {
            Status::Ok => Tone::Good,
            Status::Outdated | Status::Refused | Status::Unsupported => Tone::Bad,
            Status::Unknown => Tone::Warn,
        };
        let status = status_text(c.status);
        let head = line.strip_suffix(status).unwrap_or(line);
        let _ = writeln!(s, "{head}{}", out.paint(tone, status));
    }

    // The path's steps, numbered, then the advice of rows no step covers (an unreadable
    // version, say).
    let steps = &r.path.steps;
    let covered = |c: &Component| {
        steps.iter().any(|st| st.component == c.name)
            || (r.path.moves_from.is_some()
                && matches!(c.name, Name::Liteloader | Name::Llonebot)
                && c.status != Status::Unknown)
    };
    let todo: Vec<(&Component, &String)> = r
        .components
        .iter()
        .filter(|c| !covered(c))
        .filter_map(|c| c.advice.as_ref().map(|a| (c, a)))
        .collect();
    if !steps.is_empty() || !todo.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("cv.what_to_do")));
        for (i, st) in steps.iter().enumerate() {
            let number = if steps.len() > 1 {
                format!("{}. ", i + 1)
            } else {
                String::new()
            };
            let _ = writeln!(s, "  {number}{}: {}", name_text(st.component), st.text);
        }
        for (c, a) in todo {
            let _ = writeln!(s, "  {}: {a}", name_text(c.name));
        }
    }

    let mut notes: Vec<String> = Vec::new();
    for c in &r.components {
        if let (Some(b), Some(e)) = (c.build, &c.equivalents)
            && let Some(text) = equivalents_text(b, e)
        {
            notes.push(format!("{}: {text}", name_text(c.name)));
        }
        if let Some(f) = &c.login_floor {
            notes.push(format!("{}: {}", name_text(c.name), floor_note(f)));
        }
        for f in &c.facts {
            notes.push(format!("{}: {}", name_text(c.name), fact_text(c, f)));
        }
    }
    for n in &r.not_found {
        notes.push(not_found_text(*n));
    }
    if !notes.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("cv.notes")));
        for n in notes {
            let _ = writeln!(s, "  {n}");
        }
    }

    if !r.warnings.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Warn, t("detect.warnings")));
        for w in &r.warnings {
            let _ = writeln!(s, "  {}: {}", w.path.display(), w.problem);
        }
    }

    let bad = r
        .components
        .iter()
        .filter(|c| c.status != Status::Ok)
        .count();
    let summary = if !r.ok && bad == 0 {
        out.paint(Tone::Bad, t("cv.need_attention_staged"))
    } else if r.ok {
        out.paint(Tone::Good, &tf!("cv.all_ok", n = r.components.len()))
    } else {
        out.paint(
            Tone::Bad,
            &tf!("cv.need_attention", bad = bad, n = r.components.len()),
        )
    };
    let _ = writeln!(s, "\n{summary}");
    s
}
