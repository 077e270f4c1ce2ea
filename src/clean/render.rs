//! How `clean` shows itself: the progress bars and the preview / result table.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::time::{Duration, SystemTime};

use indicatif::{ProgressBar, ProgressStyle};

use super::guard::{self, escape};
use super::plan::Kind;
use super::report::{CleanReport, DataDir, InstanceReport, TargetReport};
use crate::cli::CleanArgs;
use crate::i18n::t;
use crate::output::{Output, Tone, human_size};
use crate::stack::Rows;
use crate::tf;
use crate::time::{short_age, unix_secs};

pub(super) fn progress_bar(out: &Output, len: Option<u64>, msg: &'static str) -> ProgressBar {
    // `msg` is a catalogue text, already in the user's language.
    if out.json || out.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = match len {
        Some(n) => {
            let pb = ProgressBar::new(n);
            pb.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            pb
        }
        None => {
            let pb = ProgressBar::new_spinner();
            pb.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {{msg}} {{pos}} {}",
                    t("clean.entries")
                ))
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb
        }
    };
    pb.set_message(msg);
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Folders of a bot's rows aged file by file that keep newer files: `temp/video/: 1234 of 1300
/// files older than 3d go; …`. QQ's cache rows say it in their own note.
fn swept_lines(s: &mut String, r: &CleanReport, out: &Output, args: &CleanArgs) {
    let age = args.older_than.as_deref().unwrap_or("");
    for tg in r
        .targets
        .iter()
        .filter(|t| crate::qq_cache::cache_kind(t.kind).is_none())
    {
        for sw in tg.swept.iter().filter(|sw| sw.of_files > sw.files) {
            let rel = r
                .data_dirs
                .iter()
                .find_map(|d| sw.path.strip_prefix(&d.path).ok())
                .or_else(|| sw.path.strip_prefix(&r.data_dir).ok())
                .unwrap_or(&sw.path);
            let path = format!("{}{}", guard::shown(rel), std::path::MAIN_SEPARATOR);
            let line = tf!(
                "clean.swept",
                path = path,
                files = sw.files,
                of = sw.of_files,
                age = age
            );
            let _ = writeln!(s, "  {}", out.paint(Tone::Dim, &line));
        }
    }
}

/// The preview table, and after a real run (`done`) what happened.
pub(super) fn render(r: &CleanReport, out: &Output, args: &CleanArgs, done: bool) -> String {
    let mut s = String::new();
    // After a confirmed run the preview is on screen already: only what happened follows.
    let preview_shown = done && !args.yes;
    if !preview_shown {
        // Several instances: a table each, under its id and folders; then the total.
        let groups = groups(r);
        let many = groups.len() > 1;
        for (id, dirs, rows) in &groups {
            if many {
                let _ = writeln!(s, "{}", out.paint(Tone::Bold, &escape(id)));
            }
            for d in dirs {
                let _ = writeln!(s, "{}", data_line(d));
            }
            if rows.is_empty() {
                continue;
            }
            table(&mut s, r, rows, out);
            if many {
                s.push('\n');
            }
        }
        if r.data_dirs.is_empty() && groups.is_empty() && r.instances.is_empty() {
            let line = tf!(
                "clean.data",
                name = "LLOneBot",
                path = guard::shown(&r.data_dir)
            );
            let _ = writeln!(s, "{line}");
        }
        if many && !r.targets.is_empty() {
            let line = tf!(
                "clean.grand_total",
                files = r.totals.files,
                size = human_size(r.totals.bytes)
            );
            let _ = writeln!(s, "{}", out.paint(Tone::Bold, &line));
        }
    }
    if r.targets.is_empty() {
        linked_lines(&mut s, r, out);
        let key = if r.instances.iter().any(|i| i.skipped.is_some()) {
            "clean.nothing_cleaned"
        } else {
            "clean.nothing_to_clean"
        };
        let _ = writeln!(s, "{}", t(key));
        return s;
    }
    if !preview_shown
        && r.targets
            .iter()
            .any(|t| crate::qq_cache::cache_kind(t.kind).is_some())
    {
        let note =
            crate::qq_cache::render::clean_note(&args.qq_cache_kinds, args.older_than.as_deref());
        let _ = writeln!(s, "{}", out.paint(Tone::Dim, &note));
    }
    if !preview_shown {
        swept_lines(&mut s, r, out, args);
    }
    if args.database && !preview_shown && r.targets.iter().any(|t| t.kind == Kind::Database) {
        let _ = writeln!(s, "{}", out.paint(Tone::Warn, t("clean.database_note")));
    }
    for u in r.unreadable.iter().filter(|_| !preview_shown) {
        let label = match u.entry {
            Some(_) => t("clean.unreadable_inside"),
            None => t("clean.unreadable"),
        };
        let _ = writeln!(
            s,
            "{} {}: {}",
            out.paint(Tone::Warn, label),
            guard::shown(&u.path),
            guard::escape(&u.error.to_string())
        );
    }
    if !preview_shown && !r.unreadable.is_empty() {
        let _ = writeln!(s, "  {}", out.paint(Tone::Dim, unreadable_hint()));
    }
    if !preview_shown {
        linked_lines(&mut s, r, out);
    }

    if r.dry_run {
        for i in r.instances.iter().filter(|i| i.qq.was_running) {
            let pids = pids_text(&i.qq.pids);
            // With --stop-qq or --stop-cmd given, the preview says what the real run will do
            // instead of asking for an option the user already gave.
            let (name, id) = (i.program, &i.id);
            let line = if args.restart_qq || args.start_cmd.is_some() {
                tf!(
                    "clean.dry_run_will_restart",
                    name = name,
                    id = id,
                    pids = pids
                )
            } else if args.stop_qq || args.stop_cmd.is_some() {
                tf!("clean.dry_run_will_stop", name = name, id = id, pids = pids)
            } else {
                tf!("clean.dry_run_running", name = name, id = id, pids = pids)
            };
            let _ = writeln!(s, "{line}");
        }
        let _ = writeln!(s, "{}", out.paint(Tone::Dim, t("clean.dry_run_done")));
        return s;
    }
    if !done {
        return s;
    }
    for run in [&r.qq.stop_cmd, &r.qq.start_cmd].into_iter().flatten() {
        let code = run
            .exit_code
            .map(|c| c.to_string())
            .unwrap_or_else(|| run.error.clone().unwrap_or_default());
        let _ = writeln!(
            s,
            "{}",
            tf!("clean.stop_cmd_ran", cmd = run.command, code = code)
        );
    }
    for i in r
        .instances
        .iter()
        .filter(|i| i.qq.stopped && !i.qq.pids.is_empty())
    {
        let pids = pids_text(&i.qq.pids);
        let line = if i.qq.killed.is_empty() {
            tf!("clean.stopped", name = i.program, id = i.id, pids = pids)
        } else {
            let killed = pids_text(&i.qq.killed);
            tf!(
                "clean.stopped_killed",
                name = i.program,
                id = i.id,
                pids = pids,
                killed = killed
            )
        };
        let _ = writeln!(s, "{line}");
    }
    let removed_files = r.totals.removed_files;
    let key = if args.trash {
        "clean.trashed_summary"
    } else {
        "clean.removed_summary"
    };
    let summary = tf!(
        key,
        files = removed_files,
        size = human_size(r.totals.freed_bytes)
    );
    let _ = writeln!(s, "{}", out.paint(Tone::Good, &summary));
    for p in &r.problems {
        let _ = writeln!(
            s,
            "{} {}: {}",
            out.paint(Tone::Bad, t("clean.not_removed")),
            guard::shown(&p.path),
            guard::escape(&p.error.to_string())
        );
    }
    if r.totals.failed > 0 {
        let _ = writeln!(
            s,
            "{}",
            out.paint(Tone::Bad, &tf!("clean.failed_count", n = r.totals.failed))
        );
    }
    if r.interrupted {
        let total: usize = r.targets.iter().map(|t| t.entries).sum();
        let _ = writeln!(
            s,
            "{}",
            out.paint(
                Tone::Warn,
                &tf!(
                    "clean.interrupted_after",
                    done = total - r.totals.left,
                    total = total,
                    left = r.totals.left
                )
            )
        );
    }
    if let Some(run) = r.qq.start_cmd.as_ref().filter(|run| !run.ok()) {
        let _ = writeln!(
            s,
            "{} {}",
            out.paint(Tone::Bad, &tf!("clean.start_cmd_failed", cmd = run.command)),
            run.error.as_deref().unwrap_or_default()
        );
    }
    for i in &r.instances {
        render_restarts(&mut s, i, args.restart_qq && i.skipped.is_none(), out);
    }
    s
}

fn pids_text(pids: &[u32]) -> String {
    pids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The report's rows by instance, in order, each with the folders it plans in.
type Group<'r> = (String, Vec<&'r DataDir>, Vec<&'r TargetReport>);

fn groups(r: &CleanReport) -> Vec<Group<'_>> {
    let mut out: Vec<Group> = Vec::new();
    for i in r.instances.iter().filter(|i| i.skipped.is_none()) {
        let dirs: Vec<&DataDir> = r
            .data_dirs
            .iter()
            .filter(|d| i.data_dirs.contains(&d.path))
            .collect();
        let rows: Vec<&TargetReport> = r.targets.iter().filter(|t| t.instance == i.id).collect();
        if !dirs.is_empty() || !rows.is_empty() {
            out.push((i.id.clone(), dirs, rows));
        }
    }
    if out.is_empty() && !r.data_dirs.is_empty() {
        // A report without instances (a plan made elsewhere): one group.
        out.push((
            String::new(),
            r.data_dirs.iter().collect(),
            r.targets.iter().collect(),
        ));
    }
    out
}

/// One table of preview rows, with its total line.
fn table(s: &mut String, r: &CleanReport, targets: &[&TargetReport], out: &Output) {
    let now = unix_secs(SystemTime::now());
    let mut rows: Vec<Vec<String>> = vec![
        [
            "clean.col_target",
            "clean.col_account",
            "clean.col_path",
            "clean.col_files",
            "clean.col_size",
            "clean.col_age",
        ]
        .iter()
        .map(|k| t(k).to_string())
        .collect(),
    ];
    for tg in targets {
        let rel = r
            .data_dirs
            .iter()
            .find_map(|d| tg.path.strip_prefix(&d.path).ok())
            .unwrap_or(&tg.path);
        let mut p = rel.display().to_string();
        let qq_cache = crate::qq_cache::cache_kind(tg.kind).is_some();
        if qq_cache {
            p = crate::qq_cache::short_path(&tg.path);
        } else if tg.kind.spec().rows == Rows::Folder {
            // A folder's row stands for its entries (`temp/ (2 entries)`).
            p = tf!(
                "clean.folder_entries",
                path = format!("{p}{}", std::path::MAIN_SEPARATOR),
                n = tg.entries
            );
        }
        let age = tg
            .newest_secs
            .map(|n| short_age(now.saturating_sub(n)))
            .unwrap_or_else(|| "-".into());
        // Rows of another bot than LLOneBot name it: `napcat temp` beside LLOneBot's `temp`.
        let target = match tg.bot {
            "" | "llonebot" => tg.kind.name().to_string(),
            bot => format!("{bot} {}", tg.kind.name()),
        };
        let account = if qq_cache {
            crate::qq_cache::account_label(&tg.path, tg.uin.as_deref())
        } else {
            tg.uin.clone().unwrap_or_else(|| "-".into())
        };
        rows.push(vec![
            target,
            account,
            p,
            tg.files.to_string(),
            human_size(tg.bytes),
            age,
        ]);
    }
    rows.push(vec![
        t("clean.total").to_string(),
        String::new(),
        String::new(),
        targets.iter().map(|t| t.files).sum::<u64>().to_string(),
        human_size(targets.iter().map(|t| t.bytes).sum()),
        String::new(),
    ]);
    let lines = crate::output::table(&rows, &[false, false, false, true, true, true]);
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        if i == 0 || i == last {
            let _ = writeln!(s, "{}", out.paint(Tone::Bold, line));
        } else {
            let _ = writeln!(s, "{line}");
        }
    }
}

fn data_line(d: &DataDir) -> String {
    match d.bot {
        "napcat" => tf!("clean.data_napcat", path = guard::shown(&d.path)),
        "qq" => tf!("clean.data_qq", path = guard::shown(&d.path)),
        _ => tf!("clean.data", name = d.name, path = guard::shown(&d.path)),
    }
}

/// The lines saying what became of each restart of one instance.
fn render_restarts(s: &mut String, i: &InstanceReport, asked: bool, out: &Output) {
    for o in &i.qq.restarted {
        if let Some(pid) = o.pid {
            let line = tf!(
                "clean.restarted",
                name = i.program,
                pid = pid,
                was = o.was_pid
            );
            let _ = writeln!(s, "{line}");
        }
    }
    for o in &i.qq.restart_failed {
        let _ = writeln!(
            s,
            "{} {}",
            out.paint(
                Tone::Bad,
                &tf!("clean.restart_failed", name = i.program, was = o.was_pid)
            ),
            o.error.as_deref().unwrap_or_default()
        );
    }
    if asked && !i.qq.was_running && i.qq.stop_cmd.is_none() {
        let _ = writeln!(s, "{}", tf!("clean.not_running_before", name = i.program));
    }
}

/// Target folders that are links: left alone, and said.
fn linked_lines(s: &mut String, r: &CleanReport, out: &Output) {
    for l in &r.linked {
        let _ = writeln!(
            s,
            "{}",
            out.paint(
                Tone::Warn,
                &tf!("clean.linked_folder", path = guard::shown(l))
            )
        );
    }
}

/// What to do about entries llob-doctor could not read, in this system's terms (the folder's
/// Security tab or `icacls` on Windows, `chmod` elsewhere).
fn unreadable_hint() -> &'static str {
    if cfg!(windows) {
        t("clean.hint_unreadable_windows")
    } else {
        t("clean.hint_unreadable")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unreadable_hint_speaks_of_this_system() {
        let hint = unreadable_hint();
        assert_eq!(hint.contains("icacls"), cfg!(windows), "{hint}");
        assert_eq!(hint.contains("chmod"), !cfg!(windows), "{hint}");
    }
}
