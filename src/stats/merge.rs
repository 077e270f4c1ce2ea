//! The report of several bots' logs: the sum of each bot's own report. Counts add up, days and
//! attachment sizes merge by day and size, the same account of the same stack is one row, and
//! the ten most common error texts are taken from each bot's ten.

use std::collections::BTreeMap;

use super::report::{
    AccountReport, AttachmentBytes, DayReport, ErrorReport, SizeReport, StatsReport,
    TimeoutsSetReport, UndatedReport, rate,
};
use super::since::parse_since;

/// The sum of `reports` (the one report itself when there is one).
pub fn merge(mut reports: Vec<StatsReport>) -> Option<StatsReport> {
    if reports.len() <= 1 {
        return reports.pop();
    }
    let mut days: BTreeMap<String, DayReport> = BTreeMap::new();
    let mut accounts: Vec<AccountReport> = Vec::new();
    let mut sizes: Vec<SizeReport> = Vec::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut out = StatsReport {
        files: Vec::new(),
        lines: 0,
        skipped_lines: 0,
        undated_lines: 0,
        requests: 0,
        sends: 0,
        timeouts: 0,
        timeouts_delivered: 0,
        timeouts_unconfirmed: 0,
        errors: 0,
        timeout_rate: None,
        other_errors: 0,
        days: Vec::new(),
        accounts: Vec::new(),
        sizes: Vec::new(),
        error_messages: Vec::new(),
        undated: UndatedReport {
            sends: 0,
            timeouts: 0,
            errors: 0,
        },
        attachment_bytes: None,
        timeouts_set: None,
        since: reports.iter().find_map(|r| r.since.clone()),
        logs_begin: reports.iter().filter_map(|r| r.logs_begin.clone()).min(),
        logs_end: reports.iter().filter_map(|r| r.logs_end.clone()).max(),
        window_seconds: None,
        searched: Vec::new(),
        unreadable: Vec::new(),
    };
    for r in reports {
        out.files.extend(r.files);
        out.lines += r.lines;
        out.skipped_lines += r.skipped_lines;
        out.undated_lines += r.undated_lines;
        out.requests += r.requests;
        out.sends += r.sends;
        out.timeouts += r.timeouts;
        out.timeouts_delivered += r.timeouts_delivered;
        out.timeouts_unconfirmed += r.timeouts_unconfirmed;
        out.errors += r.errors;
        out.other_errors += r.other_errors;
        for d in r.days {
            let e = days.entry(d.date.clone()).or_insert(DayReport {
                date: d.date,
                sends: 0,
                timeouts: 0,
                timeouts_delivered: 0,
                errors: 0,
                timeout_rate: None,
            });
            e.sends += d.sends;
            e.timeouts += d.timeouts;
            e.timeouts_delivered += d.timeouts_delivered;
            e.errors += d.errors;
        }
        for a in r.accounts {
            match accounts
                .iter_mut()
                .find(|x| x.stack == a.stack && x.uin == a.uin)
            {
                Some(x) => {
                    x.sends += a.sends;
                    x.timeouts += a.timeouts;
                    x.timeouts_delivered += a.timeouts_delivered;
                    x.errors += a.errors;
                }
                None => accounts.push(a),
            }
        }
        for z in r.sizes {
            match sizes.iter_mut().find(|x| x.bucket == z.bucket) {
                Some(x) => {
                    x.sends += z.sends;
                    x.timeouts += z.timeouts;
                    x.timeouts_delivered += z.timeouts_delivered;
                    x.errors += z.errors;
                }
                None => sizes.push(z),
            }
        }
        for e in r.error_messages {
            *errors.entry(e.message).or_default() += e.count;
        }
        out.undated.sends += r.undated.sends;
        out.undated.timeouts += r.undated.timeouts;
        out.undated.errors += r.undated.errors;
        if let Some(a) = r.attachment_bytes {
            let x = out.attachment_bytes.get_or_insert(AttachmentBytes {
                count: 0,
                with_files: 0,
                total: 0,
                max: 0,
            });
            x.count += a.count;
            x.with_files += a.with_files;
            x.total += a.total;
            x.max = x.max.max(a.max);
        }
        if let Some(t) = r.timeouts_set {
            let x = out.timeouts_set.get_or_insert(TimeoutsSetReport {
                count: 0,
                min: t.min,
                max: t.max,
            });
            x.count += t.count;
            x.min = x.min.min(t.min);
            x.max = x.max.max(t.max);
        }
        // With --since every bot's window is the same; otherwise it is recomputed below.
        if out.since.is_some() {
            out.window_seconds = out.window_seconds.max(r.window_seconds);
        }
        out.searched.extend(r.searched);
        out.unreadable.extend(r.unreadable);
    }
    out.timeout_rate = rate(out.timeouts, out.sends);
    out.days = days
        .into_values()
        .map(|mut d| {
            d.timeout_rate = rate(d.timeouts, d.sends);
            d
        })
        .collect();
    for a in &mut accounts {
        a.timeout_rate = rate(a.timeouts, a.sends);
    }
    accounts.sort_by_key(|a| (a.stack, a.uin));
    out.accounts = accounts;
    let order = |b: &str| super::count::SIZE_LABELS.iter().position(|l| *l == b);
    sizes.sort_by_key(|z| order(z.bucket));
    out.sizes = sizes;
    let mut errors: Vec<ErrorReport> = errors
        .into_iter()
        .map(|(message, count)| ErrorReport { message, count })
        .collect();
    errors.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.message.cmp(&b.message))
    });
    errors.truncate(10);
    out.error_messages = errors;
    if out.since.is_none() {
        let at = |s: &Option<String>| s.as_deref().and_then(|t| parse_since(t).ok());
        out.window_seconds = match (at(&out.logs_begin), at(&out.logs_end)) {
            (Some(a), Some(b)) => u64::try_from(b.0 - a.0).ok(),
            _ => None,
        };
    }
    Some(out)
}
