//! `stats --prometheus`: each bot's counts as gauges for node_exporter's textfile collector
//! (write them with `--output <dir>/llonebot.prom` from cron). The counts are for the `--since`
//! window (or the whole logs), and logs get rotated and cleaned: they can go down, so they are
//! gauges. Every series names its bot (`bot`, `stack`, and `uin` where there is one); a bot
//! whose logs could not be read gets `llob_doctor_success 0` and no counts.

use super::StatsReport;
use super::instances::Group;
use crate::exit::Failure;
use crate::prom::previous::{self, Seen};
use crate::prom::{Exposition, Labels, known, n};

const SENDS: &str = "llonebot_sends";
const TIMEOUTS: &str = "llonebot_timeouts";
const DELIVERED: &str = "llonebot_timeouts_delivered";
const ERRORS: &str = "llonebot_send_errors";
const RATIO: &str = "llonebot_send_timeout_ratio";
const WINDOW: &str = "llonebot_window_seconds";
const FILES: &str = "llonebot_log_files";
const LINES: &str = "llonebot_log_lines";
const SKIPPED: &str = "llonebot_log_skipped_lines";

const HELP: &[(&str, &str)] = &[
    (
        SENDS,
        "Send requests in the window, per bot and account (uin empty: the lines name none).",
    ),
    (
        TIMEOUTS,
        "Sends that failed with a timeout in the window, each failed send once.",
    ),
    (
        DELIVERED,
        "Timeouts the logs show were delivered anyway (waitForSelfEcho, or the bot's own message event).",
    ),
    (ERRORS, "Sends that failed otherwise in the window."),
    (
        RATIO,
        "Send timeouts divided by sends, per bot; NaN when it sent nothing in the window.",
    ),
    (
        WINDOW,
        "Seconds the counts cover: from --since (or the first log line) to now (or the last line); NaN when unknown.",
    ),
    (FILES, "Log files read, per bot."),
    (LINES, "Lines read from the log files, per bot."),
    (SKIPPED, "Lines that were not readable log text, per bot."),
];

/// Every bot's series, and the run's own success per bot (carried over from `previous`, the
/// file being replaced, for bots this run could not read or did not find).
pub fn exposition(
    groups: &[(Group, Result<StatsReport, Failure>)],
    previous: &[Seen],
    now: f64,
) -> Exposition {
    let mut e = Exposition::default();
    for (name, help) in HELP {
        e.declare(name, help);
    }
    let mut status = Vec::new();
    for (g, r) in groups {
        let bot = Labels::bot(&g.id, g.stack, g.uin());
        status.push((bot.clone(), r.is_ok()));
        let Ok(r) = r else { continue };
        let help = |name: &str| HELP.iter().find(|(n, _)| *n == name).map_or("", |x| x.1);
        // One row per account: the bot's own accounts (zero when they sent nothing), and any
        // other account its lines name, summed over the stacks that wrote them.
        let mut rows: Vec<(String, [u64; 4])> =
            g.accounts.iter().map(|a| (a.clone(), [0; 4])).collect();
        for a in &r.accounts {
            let uin = a.uin.map_or_else(String::new, |u| u.to_string());
            let i = match rows.iter().position(|(u, _)| *u == uin) {
                Some(i) => i,
                None => {
                    rows.push((uin, [0; 4]));
                    rows.len() - 1
                }
            };
            let c = &mut rows[i].1;
            c[0] += a.sends;
            c[1] += a.timeouts;
            c[2] += a.timeouts_delivered;
            c[3] += a.errors;
        }
        if rows.is_empty() {
            rows.push((String::new(), [0; 4]));
        }
        for (uin, c) in rows {
            let l = bot.with("uin", uin);
            for (k, name) in [SENDS, TIMEOUTS, DELIVERED, ERRORS].into_iter().enumerate() {
                e.gauge(name, help(name), l.clone(), n(c[k]));
            }
        }
        e.gauge(RATIO, help(RATIO), bot.clone(), known(r.timeout_rate));
        e.gauge(
            WINDOW,
            help(WINDOW),
            bot.clone(),
            known(r.window_seconds.map(n)),
        );
        e.gauge(FILES, help(FILES), bot.clone(), n(r.files.len() as u64));
        e.gauge(LINES, help(LINES), bot.clone(), n(r.lines));
        e.gauge(SKIPPED, help(SKIPPED), bot, n(r.skipped_lines));
    }
    previous::status(&mut e, "stats", &status, previous, now);
    e
}
