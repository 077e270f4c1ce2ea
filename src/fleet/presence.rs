//! The bot's last-seen online and offline moments, from the end of its own logs: the newest log
//! files first, each read from its end (capped), every line's message checked against the
//! stack's texts (`crate::stack::presence`).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use super::tail::read_tail;
use crate::discover::Instance;
use crate::stack::presence::{self, State};
use crate::stats::line::{self, Lead, YearHint};

/// At most this much of one bot's logs is read, newest first.
pub const BUDGET: u64 = 8 << 20;

/// One event the logs record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Unix time, from the line's local time.
    pub at: i64,
    /// `login`, `kicked`, `disconnected`, `login_failed`, `not_logged_in`, `message`.
    pub why: &'static str,
    /// The state follows from the line rather than being named by it.
    pub derived: bool,
    /// The text of the line after its time (clipped).
    pub line: String,
}

/// What the logs say about the account.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Presence {
    /// The stack logs such events at all (else the state is never known from its logs).
    pub logged: bool,
    pub online: Option<Event>,
    pub offline: Option<Event>,
}

impl Presence {
    /// The state of the later event; `None` when neither is in the logs read.
    pub fn state(&self) -> Option<State> {
        match (&self.online, &self.offline) {
            (Some(on), Some(off)) if off.at >= on.at => Some(State::Offline),
            (Some(_), _) => Some(State::Online),
            (None, Some(_)) => Some(State::Offline),
            (None, None) => None,
        }
    }

    /// The event that gives the state.
    pub fn last(&self) -> Option<&Event> {
        match self.state()? {
            State::Online => self.online.as_ref(),
            State::Offline => self.offline.as_ref(),
        }
    }
}

/// Reads the instance's logs (its data folder's `logs/`) for the last online and offline events.
pub fn read(inst: &Instance) -> Presence {
    let mut p = Presence {
        logged: presence::logs_presence(inst.stack),
        ..Presence::default()
    };
    if !p.logged {
        return p;
    }
    let mut files = log_files(&inst.data_dir.join("logs"));
    // Newest first: the first event of a kind found is the latest of that kind.
    files.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    let mut budget = BUDGET;
    for (path, _) in files {
        if budget == 0 || (p.online.is_some() && p.offline.is_some()) {
            break;
        }
        let Some(text) = read_tail(&path, budget) else {
            continue;
        };
        budget = budget.saturating_sub(text.len().max(1) as u64);
        let hint = year_hint(&path);
        let (on, off) = scan(inst.stack, &text, hint);
        if p.online.is_none() {
            p.online = on;
        }
        if p.offline.is_none() {
            p.offline = off;
        }
    }
    p
}

/// The log files of a folder, with their modification times.
fn log_files(dir: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| crate::stack::is_log_name(&e.file_name().to_string_lossy()))
        .map(|e| {
            let mtime = e.metadata().and_then(|m| m.modified()).ok();
            (e.path(), mtime)
        })
        .collect()
}

/// The year of lines that carry none (NapCat): from the file's name, else its modification time.
fn year_hint(path: &Path) -> Option<YearHint> {
    let name = path.file_name()?.to_string_lossy();
    crate::stats::family::napcat_name_year(&name).or_else(|| {
        let m = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
        let secs = i64::try_from(crate::time::unix_secs(m)).ok()?;
        let local = secs + crate::stats::local_offset_secs(secs);
        let (year, _, _) = crate::time::civil_from_days(local.div_euclid(86_400));
        Some(YearHint { year, month: 1 })
    })
}

/// The last online and offline events of one file's text.
fn scan(stack: &str, text: &[u8], hint: Option<YearHint>) -> (Option<Event>, Option<Event>) {
    let (mut on, mut off) = (None, None);
    for l in text.split(|&b| b == b'\n') {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        let Lead::Dated { stamp, rest } = line::lead_in(l, hint) else {
            continue;
        };
        let starts = line::message_starts(l, rest);
        let Some(sign) = starts
            .iter()
            .find_map(|s| presence::sign_at(stack, l.get(s..).unwrap_or_default()))
        else {
            continue;
        };
        let local = stamp.0;
        let event = Event {
            at: local - crate::stats::local_offset_secs(local),
            why: sign.why,
            derived: sign.derived,
            line: clip(&String::from_utf8_lossy(l.get(rest..).unwrap_or_default())),
        };
        match sign.state {
            State::Online => on = Some(event),
            State::Offline => off = Some(event),
        }
    }
    (on, off)
}

fn clip(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() <= 160 {
        return t.to_string();
    }
    let mut out: String = t.chars().take(160).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_later_event_gives_the_state() {
        let text = "2026-07-20 12:00:00 [I] qqProtocol QQ 登录成功\n\
                    2026-07-20 12:00:05 [I] onebot 收到 [Kick] code=1 in a chat\n\
                    2026-07-20 13:00:00 [W] dispatcher [Kick] code=3 title=\"下线通知\" desc=\"x\"\n"
            .as_bytes();
        let (on, off) = scan("llbot", text, None);
        let (on, off) = (on.unwrap(), off.unwrap());
        assert_eq!(off.at - on.at, 3600);
        assert_eq!(off.why, "kicked");
        let p = Presence {
            logged: true,
            online: Some(on.clone()),
            offline: Some(off),
        };
        assert_eq!(p.state(), Some(State::Offline));
        let (_, none) = scan("napcat", text, None);
        assert!(none.is_none());
        let nap = "03-01 10:00:05 [info] bot | 发送 -> 群聊 [1] hello\n\
                   03-01 10:00:09 [error] bot | [KickedOffLine] [下线] 在别处登录\n"
            .as_bytes();
        let hint = Some(YearHint {
            year: 2026,
            month: 3,
        });
        let (on, off) = scan("napcat", nap, hint);
        assert!(on.unwrap().derived);
        assert_eq!(
            off.unwrap().line,
            "[error] bot | [KickedOffLine] [下线] 在别处登录"
        );
    }
}
