//! `doctor --prometheus`'s series. Every series names its bot (`bot`, `stack`, `uin`), and every
//! bot gets every family each run: a value not known is NaN (a version that cannot be read,
//! a bot whose logs record no login event, no clean in the run log), never a missing series.
//! All are gauges: every value can go down (logs are cleaned, caches emptied, a bot restarts).

use super::Health;
use crate::prom::previous::{self, Seen};
use crate::prom::{Exposition, Labels, flag, known, n};
use crate::qq_cache::{CacheKind, QqCacheReport};

const INFO: &str = "llob_bot_info";
const UP: &str = "llob_bot_up";
const PROCESSES: &str = "llob_bot_processes";
const ONLINE: &str = "llob_bot_online";
const LAST_ONLINE: &str = "llob_bot_last_online_timestamp_seconds";
const LAST_OFFLINE: &str = "llob_bot_last_offline_timestamp_seconds";
const BELOW_MIN: &str = "llob_bot_version_below_minimum";
const REFUSED: &str = "llob_bot_qq_login_refused";
const UNSUPPORTED: &str = "llob_bot_qq_unsupported";
const STAGED: &str = "llob_bot_qq_update_staged";
const BREAKS: &str = "llob_bot_qq_update_breaks";
const TARGET: &str = "llob_bot_target_bytes";
const SENDS: &str = "llob_bot_sends";
const TIMEOUTS: &str = "llob_bot_send_timeouts";
const UNCONFIRMED: &str = "llob_bot_send_timeouts_unconfirmed";
const RATIO: &str = "llob_bot_send_timeout_ratio";
const UNCONFIRMED_RATIO: &str = "llob_bot_send_unconfirmed_timeout_ratio";
const WINDOW: &str = "llob_bot_window_seconds";
const CLEAN_AT: &str = "llob_bot_last_clean_timestamp_seconds";
const CLEAN_OK: &str = "llob_bot_last_clean_success";
const CLEAN_OK_AT: &str = "llob_bot_last_successful_clean_timestamp_seconds";
const CLEAN_FREED: &str = "llob_bot_last_clean_freed_bytes";
const QQ_CACHE: &str = "llob_qq_cache_bytes";

/// Every family and its HELP, in the order the file lists them.
pub const FAMILIES: &[(&str, &str)] = &[
    (
        INFO,
        "1 for each bot instance found; its version and owner as labels.",
    ),
    (
        UP,
        "1 when any of the bot's processes runs (QQ for the plugin and NapCat; LLBot's launcher, node or PMHQ), else 0.",
    ),
    (PROCESSES, "The bot's processes running."),
    (
        ONLINE,
        "1 when the bot's own log last recorded a login, 0 when it last recorded a kick-off, a lost connection or a failed login, or the bot is down; NaN when its logs record neither.",
    ),
    (
        LAST_ONLINE,
        "When the bot's log last recorded it online (Unix time); NaN when not in the logs read.",
    ),
    (
        LAST_OFFLINE,
        "When the bot's log last recorded it offline (Unix time); NaN when not in the logs read.",
    ),
    (
        BELOW_MIN,
        "1 when the bot (or the LiteLoaderQQNT it needs) is older than its minimum; NaN when its version cannot be read.",
    ),
    (
        REFUSED,
        "1 when the QQ the bot runs in is below Tencent's login floor (0 for a bot without QQ); NaN when QQ's version is unknown.",
    ),
    (
        UNSUPPORTED,
        "1 when the bot does not support the QQ build it runs on (NapCat's table, PMHQ's offsets, LiteLoaderQQNT's minimum); NaN when unknown.",
    ),
    (
        STAGED,
        "1 when QQ has staged an update for its next start; NaN when no QQ was found for a bot that needs one.",
    ),
    (
        BREAKS,
        "1 when QQ's staged update is a build the bot does not support.",
    ),
    (
        TARGET,
        "Bytes in each cleanable target of the bot's folders (every target of its table, also those clean takes only when asked).",
    ),
    (
        SENDS,
        "Send requests in the window; NaN when the bot's logs could not be read.",
    ),
    (TIMEOUTS, "Sends that failed with a timeout in the window."),
    (
        UNCONFIRMED,
        "Send timeouts in the window not known to have been delivered anyway.",
    ),
    (
        RATIO,
        "Send timeouts divided by sends in the window; NaN when nothing was sent.",
    ),
    (
        UNCONFIRMED_RATIO,
        "Send timeouts not known to be delivered, divided by sends; NaN when nothing was sent.",
    ),
    (WINDOW, "Seconds the send counts cover (doctor --since)."),
    (
        CLEAN_AT,
        "When the bot was last cleaned by clean with --log-file (Unix time); NaN when the run log's end shows none.",
    ),
    (
        CLEAN_OK,
        "1 when the bot's last clean went well (nothing failed, what was stopped came back), 0 when not; NaN when none is known.",
    ),
    (
        CLEAN_OK_AT,
        "When the bot was last cleaned successfully (Unix time); NaN when the run log's end shows none.",
    ),
    (
        CLEAN_FREED,
        "Bytes the bot's last clean freed; NaN when none is known.",
    ),
    (
        QQ_CACHE,
        "Bytes in QQ's own media cache, per QQ data folder, account folder and kind (bot: qq-cache@<folder>).",
    ),
];

fn help(name: &str) -> &'static str {
    FAMILIES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, h)| h)
}

/// Every bot's series, QQ's cache, and the run's own success per bot.
pub fn exposition(
    bots: &[Health],
    qq: &QqCacheReport,
    window: f64,
    previous: &[Seen],
    now: f64,
) -> Exposition {
    let mut e = Exposition::default();
    for (name, h) in FAMILIES {
        e.declare(name, h);
    }
    let g = |e: &mut Exposition, name: &'static str, l: &Labels, v: f64| {
        e.gauge(name, help(name), l.clone(), v)
    };
    let mut status = Vec::new();
    for b in bots {
        let l = Labels::bot(&b.id, b.stack, b.uin.as_deref());
        status.push((l.clone(), b.read));
        let info = l
            .with("version", b.version.clone().unwrap_or_default())
            .with("owner", b.owner.clone().unwrap_or_default());
        g(&mut e, INFO, &info, 1.0);
        g(&mut e, UP, &l, flag(Some(b.up())));
        g(&mut e, PROCESSES, &l, n(b.processes as u64));
        g(&mut e, ONLINE, &l, flag(b.online()));
        let at = |ev: &Option<super::presence::Event>| known(ev.as_ref().map(|x| x.at as f64));
        g(&mut e, LAST_ONLINE, &l, at(&b.presence.online));
        g(&mut e, LAST_OFFLINE, &l, at(&b.presence.offline));
        let v = &b.verdicts;
        g(&mut e, BELOW_MIN, &l, flag(v.below_minimum));
        g(&mut e, REFUSED, &l, flag(v.login_refused));
        g(&mut e, UNSUPPORTED, &l, flag(v.qq_unsupported));
        g(&mut e, STAGED, &l, flag(v.update_staged));
        g(&mut e, BREAKS, &l, flag(v.update_breaks));
        for (kind, bytes) in &b.targets {
            g(&mut e, TARGET, &l.with("target", *kind), n(*bytes));
        }
        let s = b.sends.as_ref();
        g(&mut e, SENDS, &l, known(s.map(|r| n(r.sends))));
        g(&mut e, TIMEOUTS, &l, known(s.map(|r| n(r.timeouts))));
        g(
            &mut e,
            UNCONFIRMED,
            &l,
            known(s.map(|r| n(r.timeouts_unconfirmed))),
        );
        let ratio = |k: fn(&crate::stats::StatsReport) -> u64| {
            known(s.filter(|r| r.sends > 0).map(|r| n(k(r)) / n(r.sends)))
        };
        g(&mut e, RATIO, &l, ratio(|r| r.timeouts));
        g(
            &mut e,
            UNCONFIRMED_RATIO,
            &l,
            ratio(|r| r.timeouts_unconfirmed),
        );
        g(&mut e, WINDOW, &l, window);
        let c = &b.cleans;
        g(&mut e, CLEAN_AT, &l, known(c.last.map(|o| o.at as f64)));
        g(&mut e, CLEAN_OK, &l, flag(c.last.map(|o| o.ok)));
        g(
            &mut e,
            CLEAN_OK_AT,
            &l,
            known(c.last_ok.map(|o| o.at as f64)),
        );
        g(
            &mut e,
            CLEAN_FREED,
            &l,
            known(c.last.map(|o| n(o.freed_bytes))),
        );
    }
    qq_cache(&mut e, qq);
    previous::status(&mut e, "doctor", &status, previous, now);
    e
}

/// QQ's cache: every kind of every account folder of every QQ data folder found.
fn qq_cache(e: &mut Exposition, qq: &QqCacheReport) {
    let all = [
        CacheKind::Pic,
        CacheKind::Video,
        CacheKind::Ptt,
        CacheKind::File,
        CacheKind::Emoji,
        CacheKind::Temp,
        CacheKind::Log,
    ];
    for root in &qq.roots {
        let id = crate::discover::make_id(&crate::stack::qq_cache::STACK, &root.root.path);
        let stack = crate::stack::qq_cache::STACK.id;
        for a in &root.reports {
            let folder = a
                .account
                .folder
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let l = Labels::bot(&id, stack, a.account.uin.as_deref()).with("folder", folder);
            for k in all {
                let bytes = a.kinds.get(&k).map_or(0, |s| s.bytes);
                e.gauge(
                    QQ_CACHE,
                    help(QQ_CACHE),
                    l.with("kind", k.as_str()),
                    n(bytes),
                );
            }
        }
        let l = Labels::bot(&id, stack, None)
            .with("folder", "")
            .with("kind", CacheKind::HotUpdate.as_str());
        e.gauge(QQ_CACHE, help(QQ_CACHE), l, n(root.hot_update.bytes));
    }
}
