//! Exit codes, one table for the whole tool (also in README.md), and the error type that
//! carries one.

use std::fmt;

use serde::Serialize;

use crate::i18n::{Lang, Msg, lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exit {
    /// Everything as expected.
    Ok = 0,
    /// A check found a problem (outdated version, doctor finding).
    Problem = 1,
    /// Usage error or bad input; also "could not run".
    Usage = 2,
    /// Nothing found: no LLOneBot data dir.
    NotFound = 3,
    /// Refused because QQ is running (or did not stop in time).
    QqRunning = 4,
    /// Some deletions failed.
    DeleteFailed = 5,
    /// Another llob-doctor run holds the lock.
    Locked = 6,
    /// Cleaned, but what was stopped could not be started again (`--restart-qq`, `--start-cmd`):
    /// the bot is down, which a scheduled job has to report.
    RestartFailed = 7,
    /// `doctor`: a bot is down (none of its processes runs) or its logs say it went offline.
    BotDown = 8,
    /// An internal error (a bug: a panic in any thread); the run ended at once.
    Internal = 70,
    /// Interrupted (Ctrl-C, SIGTERM, SIGHUP).
    Interrupted = 130,
}

impl Exit {
    pub fn code(self) -> i32 {
        self as i32
    }

    /// How much a run's exit says, when several things happened in one run (many instances):
    /// an interruption first, then a bot left down, then a bot left alone because it runs,
    /// another run's lock, a refused folder, failed deletions, a bot found down, a problem
    /// found, nothing found.
    fn rank(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::NotFound => 1,
            Exit::Problem => 2,
            Exit::BotDown => 3,
            Exit::DeleteFailed => 4,
            Exit::Usage => 5,
            Exit::Locked => 6,
            Exit::QqRunning => 7,
            Exit::RestartFailed => 8,
            Exit::Interrupted => 9,
            Exit::Internal => 10,
        }
    }

    /// The one of `self` and `other` that says more (see [`Exit::rank`]).
    pub fn worst(self, other: Exit) -> Exit {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// An error the user should see, with the exit code it maps to and what to do next. The texts
/// are catalogue messages, rendered in the user's language (and in English for log files).
#[derive(Debug, Clone)]
pub struct Failure {
    pub exit: Exit,
    pub message: Msg,
    pub hint: Option<Msg>,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<Msg>) -> Failure {
        Failure {
            exit,
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage(message: impl Into<Msg>) -> Failure {
        Failure::new(Exit::Usage, message)
    }

    pub fn with_hint(mut self, hint: impl Into<Msg>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        self.message.render(lang)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.render(lang()))
    }
}

impl std::error::Error for Failure {}

/// The exit code for any error: a [`Failure`] carries its own, anything else is "could not run".
pub fn exit_for(err: &anyhow::Error) -> Exit {
    err.downcast_ref::<Failure>()
        .map(|f| f.exit)
        .unwrap_or(Exit::Usage)
}

/// An error in English, for log files.
pub fn english(err: &anyhow::Error) -> String {
    match err.downcast_ref::<Failure>() {
        Some(f) => f.render(Lang::En),
        None => format!("{err:#}"),
    }
}
