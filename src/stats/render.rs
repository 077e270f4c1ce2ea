//! The report as people read it: tables and a verdict (Prometheus' is `prometheus.rs`).

use std::fmt::Write as _;

use super::{StatsReport, rate};
use crate::clean::guard::{escape, shown};
use crate::i18n::{pad, t, width};
use crate::output::{Output, Tone, human_size};
use crate::tf;

fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "-".to_string(),
    }
}

/// A table with a dim header and, when `total`, a bold last row.
fn table(s: &mut String, out: &Output, rows: &[Vec<String>], total: bool) {
    let right: Vec<bool> = (0..rows.first().map_or(0, Vec::len))
        .map(|i| i > 0)
        .collect();
    let lines = crate::output::table(rows, &right);
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        let tone = if i == 0 {
            Some(Tone::Dim)
        } else if total && i == last {
            Some(Tone::Bold)
        } else {
            None
        };
        let _ = writeln!(
            s,
            "  {}",
            tone.map_or_else(|| line.clone(), |t| out.paint(t, line))
        );
    }
}

fn header(first: &str) -> Vec<String> {
    let mut h = vec![t(first).to_string()];
    for k in [
        "stats.col_sends",
        "stats.col_timeouts",
        "stats.col_delivered",
        "stats.col_errors",
        "stats.col_rate",
    ] {
        h.push(t(k).to_string());
    }
    h
}

fn row(label: &str, sends: u64, timeouts: u64, delivered: u64, errors: u64) -> Vec<String> {
    vec![
        label.to_string(),
        sends.to_string(),
        timeouts.to_string(),
        delivered.to_string(),
        errors.to_string(),
        percent(rate(timeouts, sends)),
    ]
}

/// The one-line verdict.
fn verdict(r: &StatsReport) -> (Tone, String) {
    if r.sends == 0 && r.timeouts == 0 {
        return (Tone::Dim, t("stats.verdict_no_sends").to_string());
    }
    if r.timeouts == 0 {
        return (Tone::Good, tf!("stats.verdict_none", sends = r.sends));
    }
    let text = tf!(
        "stats.verdict",
        timeouts = r.timeouts,
        sends = r.sends,
        rate = percent(r.timeout_rate),
        delivered = r.timeouts_delivered,
        unconfirmed = r.timeouts_unconfirmed
    );
    let tone = if r.timeout_rate.unwrap_or(0.0) >= 0.10 {
        Tone::Warn
    } else {
        Tone::Good
    };
    (tone, text)
}

/// The message of a reason in `FileReport::unrecognised`.
fn why_key(why: &str) -> &'static str {
    match why {
        "empty" => "stats.why_empty",
        "not_text" => "stats.why_not_text",
        "no_timestamps" => "stats.why_no_timestamps",
        _ => "stats.why_unknown_layout",
    }
}

/// The human report: every word comes from the catalogue.
pub fn render(r: &StatsReport, out: &Output) -> String {
    let mut s = String::new();
    let mut head = tf!("stats.head", files = r.files.len(), lines = r.lines);
    if r.skipped_lines > 0 {
        head.push_str(&tf!("stats.head_skipped", n = r.skipped_lines));
    }
    if let Some(since) = &r.since {
        head.push_str(&tf!("stats.head_since", since = since));
    }
    let _ = writeln!(s, "{} ({head})", out.paint(Tone::Bold, t("stats.title")));
    s.push('\n');
    let after_logs = match (&r.since, &r.logs_end) {
        (Some(since), Some(end)) if since > end => Some(end.clone()),
        _ => None,
    };
    if let (Some(end), Some(since)) = (&after_logs, &r.since) {
        let _ = writeln!(
            s,
            "  {}\n",
            out.paint(
                Tone::Warn,
                &tf!("stats.since_after_logs", since = since, end = end)
            )
        );
    }

    let mut rows = vec![header("stats.col_day")];
    for d in &r.days {
        rows.push(row(
            &d.date,
            d.sends,
            d.timeouts,
            d.timeouts_delivered,
            d.errors,
        ));
    }
    let u = &r.undated;
    if u.sends + u.timeouts + u.errors > 0 {
        rows.push(row(t("stats.no_date"), u.sends, u.timeouts, 0, u.errors));
    }
    rows.push(row(
        t("stats.total"),
        r.sends,
        r.timeouts,
        r.timeouts_delivered,
        r.errors,
    ));
    table(&mut s, out, &rows, true);

    if !r.accounts.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("stats.by_account")));
        let mut rows = vec![header("stats.col_account")];
        for a in &r.accounts {
            let who = match a.uin {
                Some(u) => format!("{} {u}", a.stack.as_str()),
                None => format!("{} {}", a.stack.as_str(), t("stats.account_unknown")),
            };
            rows.push(row(
                &who,
                a.sends,
                a.timeouts,
                a.timeouts_delivered,
                a.errors,
            ));
        }
        table(&mut s, out, &rows, false);
    }
    if !r.sizes.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("stats.by_size")));
        let mut rows = vec![header("stats.col_size")];
        for z in &r.sizes {
            rows.push(row(
                z.bucket,
                z.sends,
                z.timeouts,
                z.timeouts_delivered,
                z.errors,
            ));
        }
        table(&mut s, out, &rows, false);
    }
    s.push('\n');

    let labels = [
        "stats.attachments",
        "stats.timeouts_set",
        "stats.other_errors",
    ];
    let w = labels.iter().map(|k| width(t(k))).max().unwrap_or(12) + 2;
    let label = |k: &str| pad(t(k), w);
    match &r.attachment_bytes {
        Some(a) => {
            let text = tf!(
                "stats.attachments_line",
                count = a.count,
                with_files = a.with_files,
                total = human_size(a.total),
                max = human_size(a.max)
            );
            let _ = writeln!(s, "  {}{text}", label("stats.attachments"));
        }
        None if after_logs.is_none() => {
            let _ = writeln!(
                s,
                "  {}{}",
                label("stats.attachments"),
                out.paint(Tone::Dim, t("stats.no_sizes"))
            );
        }
        None => {}
    }
    match &r.timeouts_set {
        Some(ts) if ts.min == ts.max => {
            let text = tf!("stats.timeouts_set_one", ms = ts.min, count = ts.count);
            let _ = writeln!(s, "  {}{text}", label("stats.timeouts_set"));
        }
        Some(ts) => {
            let text = tf!(
                "stats.timeouts_set_range",
                min = ts.min,
                max = ts.max,
                count = ts.count
            );
            let _ = writeln!(s, "  {}{text}", label("stats.timeouts_set"));
        }
        None => {}
    }
    if r.other_errors > 0 {
        let text = tf!("stats.other_errors_line", n = r.other_errors);
        let _ = writeln!(s, "  {}{text}", label("stats.other_errors"));
    }
    if !r.error_messages.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("stats.top_errors")));
        for e in &r.error_messages {
            let _ = writeln!(s, "  {:>6}  {}", e.count, escape(&e.message));
        }
    }
    // With --since after the logs, the warning above already says why nothing was counted.
    if r.requests == 0 && r.sends == 0 && after_logs.is_none() {
        let _ = writeln!(s, "\n  {}", out.paint(Tone::Warn, t("stats.no_requests")));
    }
    for f in &r.files {
        if let Some(why) = f.unrecognised {
            let _ = writeln!(
                s,
                "  {} {}: {}",
                out.paint(Tone::Warn, t("stats.unrecognised")),
                shown(&f.path),
                t(why_key(why))
            );
        }
    }
    for u in &r.unreadable {
        let _ = writeln!(
            s,
            "  {} {}: {}",
            out.paint(Tone::Warn, t("stats.unreadable")),
            shown(&u.path),
            escape(&u.error)
        );
    }
    let (tone, v) = verdict(r);
    let _ = writeln!(s, "\n{}", out.paint(tone, &v));
    if out.verbose > 0 {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("stats.files")));
        for f in &r.files {
            let mut extra = String::new();
            if f.skipped_lines > 0 {
                extra.push_str(&tf!("stats.head_skipped", n = f.skipped_lines));
            }
            if f.truncated {
                extra.push_str(t("stats.no_final_newline"));
            }
            // "napcat", "llonebot 3.x": the family only when it says more than the stack.
            let who = if f.family.is_empty() || f.family == f.stack.as_str() {
                f.stack.as_str().to_string()
            } else {
                format!("{} {}", f.stack.as_str(), f.family)
            };
            let text = tf!(
                "stats.file_line",
                who = who,
                size = human_size(f.bytes),
                lines = f.lines
            );
            let _ = writeln!(s, "  {}  ({text}{extra})", shown(&f.path));
        }
    }
    s
}
