//! What the file being replaced said: the bots it named and when each last succeeded. A run that
//! cannot read a bot (its logs gone, the bot gone) still rewrites the file, saying `success 0`
//! for it and keeping the time of its last success, with no stale counts.

use std::path::Path;

use super::Labels;

/// The family whose series say whether a bot's values were read this run.
pub const SUCCESS: &str = "llob_doctor_success";
/// The family whose series say when a bot's values were last read.
pub const LAST_SUCCESS: &str = "llob_doctor_last_success_timestamp_seconds";

/// A bot named by the previous file, with the time of its last success there.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub bot: String,
    pub stack: String,
    pub uin: String,
    pub command: String,
    /// NaN when the file gave none (or NaN).
    pub last_success: f64,
}

/// The bots of `command` the file at `path` named (none when it is missing, unreadable, too
/// large or not ours).
pub fn read(path: &Path, command: &str) -> Vec<Seen> {
    let Ok(bytes) = crate::discover::read_capped(path) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut out: Vec<Seen> = Vec::new();
    for line in text.lines() {
        let Some((name, labels, value)) = sample(line) else {
            continue;
        };
        if (name != SUCCESS && name != LAST_SUCCESS) || labels.get("command") != Some(command) {
            continue;
        }
        let Some(bot) = labels.get(super::BOT).map(str::to_string) else {
            continue;
        };
        let i = match out.iter().position(|s| s.bot == bot) {
            Some(i) => i,
            None => {
                out.push(Seen {
                    bot,
                    stack: labels.get("stack").unwrap_or("").to_string(),
                    uin: labels.get("uin").unwrap_or("").to_string(),
                    command: command.to_string(),
                    last_success: f64::NAN,
                });
                out.len() - 1
            }
        };
        if name == LAST_SUCCESS {
            out[i].last_success = value;
        }
    }
    out
}

/// A bot gone from the file this long after its last success is dropped from it.
pub const FORGET_AFTER_SECS: f64 = 7.0 * 86_400.0;

/// Writes the run's own success per bot: `llob_doctor_success` (1 when its values were read this
/// run) and `llob_doctor_last_success_timestamp_seconds` (now, or the previous file's time for a
/// bot not read). Bots the previous file named that this run did not find at all are kept, with
/// success 0 and their last success, until that is [`FORGET_AFTER_SECS`] old.
pub fn status(
    e: &mut super::Exposition,
    command: &str,
    bots: &[(Labels, bool)],
    previous: &[Seen],
    now: f64,
) {
    let mut write = |labels: Labels, ok: bool, last: f64| {
        let labels = labels.with("command", command);
        e.gauge(
            SUCCESS,
            "1 when this run read the bot's values, 0 when it could not (its logs or the bot are gone): then no counts are written for it.",
            labels.clone(),
            if ok { 1.0 } else { 0.0 },
        );
        e.gauge(
            LAST_SUCCESS,
            "When this command last read the bot's values (Unix time); NaN when never known.",
            labels,
            last,
        );
    };
    for (labels, ok) in bots {
        let bot = labels.get(super::BOT).unwrap_or("");
        let before = previous
            .iter()
            .find(|s| s.bot == bot)
            .map_or(f64::NAN, |s| s.last_success);
        write(labels.clone(), *ok, if *ok { now } else { before });
    }
    for s in previous {
        let here = bots
            .iter()
            .any(|(l, _)| l.get(super::BOT) == Some(s.bot.as_str()));
        // A NaN time (never succeeded) is dropped too: nothing to keep.
        let recent = (now - s.last_success) <= FORGET_AFTER_SECS;
        if here || !recent {
            continue;
        }
        write(
            Labels::bot(&s.bot, &s.stack, Some(&s.uin)),
            false,
            s.last_success,
        );
    }
}

/// One sample line: its name, labels and value (`None` for comments and lines not understood).
fn sample(line: &str) -> Option<(&str, Labels, f64)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let name_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(line.len());
    let name = &line[..name_end];
    let mut rest = &line[name_end..];
    let mut labels = Labels::default();
    if let Some(after) = rest.strip_prefix('{') {
        let (parsed, tail) = label_set(after)?;
        labels = parsed;
        rest = tail;
    }
    let value = rest.split_whitespace().next()?;
    let value = match value {
        "NaN" => f64::NAN,
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        v => v.parse().ok()?,
    };
    Some((name, labels, value))
}

/// `name="value",…}` → the labels (only the names this tool writes are kept) and what follows.
fn label_set(mut s: &str) -> Option<(Labels, &str)> {
    let mut labels = Labels::default();
    loop {
        s = s.trim_start_matches([' ', ',']);
        if let Some(tail) = s.strip_prefix('}') {
            return Some((labels, tail));
        }
        let eq = s.find('=')?;
        let name = s[..eq].trim();
        s = s[eq + 1..].strip_prefix('"')?;
        let mut value = String::new();
        let mut chars = s.char_indices();
        let end = loop {
            let (i, c) = chars.next()?;
            match c {
                '\\' => match chars.next()?.1 {
                    'n' => value.push('\n'),
                    other => value.push(other),
                },
                '"' => break i,
                c => value.push(c),
            }
        };
        s = &s[end + 1..];
        if let Some(known) = ["bot", "stack", "uin", "command"]
            .into_iter()
            .find(|k| *k == name)
        {
            labels.0.push((known, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_was_written() {
        let mut e = super::super::Exposition::default();
        let l = Labels::bot("napcat@/a \"q\"\\b", "napcat", Some("1")).with("command", "stats");
        e.gauge(SUCCESS, "s", l.clone(), 1.0);
        e.gauge(LAST_SUCCESS, "t", l, 1_700_000_000.0);
        let other = Labels::bot("llbot@/b", "llbot", None).with("command", "doctor");
        e.gauge(SUCCESS, "s", other, 1.0);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.prom");
        std::fs::write(&p, e.text()).unwrap();
        let seen = read(&p, "stats");
        assert_eq!(
            seen,
            [Seen {
                bot: "napcat@/a \"q\"\\b".into(),
                stack: "napcat".into(),
                uin: "1".into(),
                command: "stats".into(),
                last_success: 1_700_000_000.0,
            }]
        );
        assert!(read(&dir.path().join("none"), "stats").is_empty());
        // A bot not read keeps its time; one gone is kept for a week after its last success.
        let now = 1_700_000_000.0;
        let old = |bot: &str, last: f64| Seen {
            bot: bot.into(),
            stack: "llbot".into(),
            uin: String::new(),
            command: "stats".into(),
            last_success: last,
        };
        let previous = [
            old("a", now - 60.0),
            old("gone", now - 3600.0),
            old("long gone", now - 8.0 * 86_400.0),
            old("never", f64::NAN),
        ];
        let mut e = super::super::Exposition::default();
        let a = Labels::bot("a", "llbot", None);
        let b = Labels::bot("b", "llbot", None);
        status(&mut e, "stats", &[(a, false), (b, true)], &previous, now);
        let t = e.text();
        assert!(t.contains(
            "llob_doctor_success{bot=\"a\",stack=\"llbot\",uin=\"\",command=\"stats\"} 0"
        ));
        assert!(t.contains("llob_doctor_last_success_timestamp_seconds{bot=\"a\",stack=\"llbot\",uin=\"\",command=\"stats\"} 1699999940"));
        assert!(t.contains("llob_doctor_last_success_timestamp_seconds{bot=\"b\",stack=\"llbot\",uin=\"\",command=\"stats\"} 1700000000"));
        assert!(t.contains("llob_doctor_success{bot=\"gone\""), "{t}");
        assert!(
            !t.contains("long gone") && !t.contains("bot=\"never\""),
            "{t}"
        );
        assert!(sample("x{bot=\"a} 1").is_none());
        assert!(sample("# HELP x y").is_none());
    }
}
