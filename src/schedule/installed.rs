//! A job read back from the scheduler's own text (crontab line, unit files, plist, task
//! definition): when it runs and what.

use crate::cli::Weekday;
use crate::i18n::{Lang, fill, t_in};

/// When and what an installed job runs, read back from the scheduler's own text.
pub struct Installed {
    pub hour: u8,
    pub minute: u8,
    /// 0 = Sunday; `None`: every day.
    pub weekday: Option<u8>,
    pub words: Vec<String>,
}

impl Installed {
    /// "every Monday at 05:15", in a language.
    pub fn when_text(&self, lang: Lang) -> String {
        use clap::ValueEnum;
        let day = self.weekday.and_then(|n| {
            Weekday::value_variants()
                .iter()
                .copied()
                .find(|d| d.number() == n)
        });
        let time = format!("{:02}:{:02}", self.hour, self.minute);
        match day {
            None => fill(t_in(lang, "schedule.every_day"), &[("time", &time)]),
            Some(d) => fill(
                t_in(lang, "schedule.every_weekday"),
                &[("day", &t_in(lang, d.key())), ("time", &time)],
            ),
        }
    }

    /// The command line, each word quoted where it holds a space or a quote.
    pub fn command_text(&self) -> String {
        self.words
            .iter()
            .map(|w| crate::winpath::quote_arg(w))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
