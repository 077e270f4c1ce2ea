//! What the counting adds up to: the totals, per day, per account and by attachment size, that
//! the report is built from.

use std::collections::{BTreeMap, HashMap};

use super::count::MAX_ERRORS;
use super::family::Stack;
use super::line::Stamp;

/// Attachment size buckets: below 100 KB, below 1 MB, below 10 MB, the rest.
pub const SIZE_BOUNDS: [u64; 3] = [100 * 1024, 1 << 20, 10 << 20];
pub const SIZE_LABELS: [&str; 4] = ["<100KB", "100KB-1MB", "1MB-10MB", ">10MB"];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub sends: u64,
    /// Sends that failed with a timeout, each once.
    pub timeouts: u64,
    /// Of those, the ones the logs show were delivered.
    pub delivered: u64,
    /// Sends that failed otherwise.
    pub errors: u64,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        // Every field, by name: a new one must be added here too.
        let Counts {
            sends,
            timeouts,
            delivered,
            errors,
        } = o;
        self.sends += sends;
        self.timeouts += timeouts;
        self.delivered += delivered;
        self.errors += errors;
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Sends whose total attachment size was logged.
    pub count: u64,
    /// Of those, sends that carried files (size above 0).
    pub with_files: u64,
    pub total: u64,
    pub max: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeoutsSet {
    pub count: u64,
    pub min: u64,
    pub max: u64,
}

/// Everything counted, over all files fed to one scanner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub lines: u64,
    /// Lines that could not be read as log text: binary, invalid UTF-8, control bytes, or a
    /// timestamp that is not a date.
    pub skipped_lines: u64,
    /// Text lines that start no entry: the text of multi-line entries (chat messages, stack
    /// traces, pretty-printed JSON), or lines of a format this tool does not know.
    pub undated_lines: u64,
    /// Lines that start an entry with a timestamp.
    pub dated_lines: u64,
    /// Every OneBot request seen (any action).
    pub requests: u64,
    pub total: Counts,
    /// Per day (days since 1970-01-01 on the log's clock).
    pub days: BTreeMap<i64, Counts>,
    /// Events on lines whose time could not be read (counted in `total` only without --since).
    pub undated: Counts,
    /// Per stack and account (0: not known).
    pub accounts: BTreeMap<(Stack, u64), Counts>,
    /// By the attachment size of the send ([`SIZE_LABELS`]), where it was logged.
    pub sizes: [Counts; 4],
    /// Texts of send failures that were not timeouts, and how often.
    pub errors: HashMap<String, u64>,
    /// Send failures whose text came after [`MAX_ERRORS`] others.
    pub errors_unlisted: u64,
    /// Action errors that followed a request that was not a send.
    pub other_errors: u64,
    pub attachments: Sizes,
    pub timeouts_set: TimeoutsSet,
    /// The earliest and latest time of any dated line, --since or not.
    pub first: Option<Stamp>,
    pub last: Option<Stamp>,
}

/// Where the text of a counted send error went: taken back when a reply shows the send timed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// Outside `--since`: not counted.
    No,
    Under(String),
    /// Past the list's cap, in `errors_unlisted`.
    Unlisted,
}

impl Tally {
    /// Counts a send error's text in the list (capped at [`MAX_ERRORS`] texts).
    pub fn list_error(&mut self, words: String) -> Listed {
        if let Some(n) = self.errors.get_mut(&words) {
            *n += 1;
        } else if self.errors.len() < MAX_ERRORS {
            self.errors.insert(words.clone(), 1);
        } else {
            self.errors_unlisted += 1;
            return Listed::Unlisted;
        }
        Listed::Under(words)
    }

    /// Takes back a text [`Tally::list_error`] counted.
    pub fn unlist(&mut self, listed: Listed) {
        match listed {
            Listed::No => {}
            Listed::Unlisted => self.errors_unlisted = self.errors_unlisted.saturating_sub(1),
            Listed::Under(words) => {
                if let Some(n) = self.errors.get_mut(&words) {
                    *n -= 1;
                    if *n == 0 {
                        self.errors.remove(&words);
                    }
                }
            }
        }
    }
}
