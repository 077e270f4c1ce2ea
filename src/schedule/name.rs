//! The name of one scheduled job, defined once for every scheduler: the job for all bots
//! (`llob-doctor-clean`, today's names, so existing installs keep working) or one instance's,
//! named after its id through a slug (`llbot-srv-bots-a-1a2b3c4d`: a readable part, then a short
//! hash of the whole id, so two ids that read alike still get two jobs). A slug holds only
//! `a-z`, `0-9` and `-`: safe in a crontab comment, a systemd unit name, a launchd label, a
//! task name and a file name.

use serde::Serialize;

/// Longest readable part of a slug (the hash follows it).
const READABLE_MAX: usize = 40;

/// Which job: the one for all bots, or one instance's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct JobName {
    /// `None`: the job for all bots.
    slug: Option<String>,
}

impl JobName {
    /// The job installed without an instance: today's names.
    pub fn for_all() -> JobName {
        JobName { slug: None }
    }

    /// The job of the instance with this id (`llbot@/srv/bots/a`).
    pub fn for_instance(id: &str) -> JobName {
        JobName {
            slug: Some(slug(id)),
        }
    }

    /// A slug read back from a scheduler's names; `None` when it is not one we write.
    pub fn from_slug(s: &str) -> Option<JobName> {
        is_slug(s).then(|| JobName {
            slug: Some(s.to_string()),
        })
    }

    pub fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }

    pub fn is_for_all(&self) -> bool {
        self.slug.is_none()
    }

    /// `<base><sep><slug>`, or `<base>` for the job for all bots.
    fn with(&self, base: &str, sep: &str) -> String {
        match &self.slug {
            None => base.to_string(),
            Some(s) => format!("{base}{sep}{s}"),
        }
    }

    /// A name that ends `<base>` or `<base><sep><slug>`: its job.
    fn parse(name: &str, base: &str, sep: &str) -> Option<JobName> {
        let rest = name.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(JobName::for_all());
        }
        JobName::from_slug(rest.strip_prefix(sep)?)
    }

    /// cron: the line that opens the job's block in the crontab.
    pub fn cron_begin(&self) -> String {
        self.with("# BEGIN LLOB-DOCTOR", " ")
    }

    /// cron: the line that closes it.
    pub fn cron_end(&self) -> String {
        self.with("# END LLOB-DOCTOR", " ")
    }

    /// The job whose block a crontab line opens.
    pub fn from_cron_begin(line: &str) -> Option<JobName> {
        JobName::parse(line, "# BEGIN LLOB-DOCTOR", " ")
    }

    /// systemd: the unit name without `.service` / `.timer`.
    pub fn systemd_unit(&self) -> String {
        self.with("llob-doctor-clean", "-")
    }

    /// The job a file in the unit folder (`llob-doctor-clean-<slug>.timer`) is the timer of.
    pub fn from_systemd_timer(file: &str) -> Option<JobName> {
        JobName::parse(file.strip_suffix(".timer")?, "llob-doctor-clean", "-")
    }

    /// launchd: the agent's label (its plist is `<label>.plist`).
    pub fn launchd_label(&self) -> String {
        self.with("io.github.llob-doctor.clean", ".")
    }

    /// The job a file in `~/Library/LaunchAgents` is the plist of.
    pub fn from_launchd_plist(file: &str) -> Option<JobName> {
        JobName::parse(
            file.strip_suffix(".plist")?,
            "io.github.llob-doctor.clean",
            ".",
        )
    }

    /// Windows Task Scheduler: the task's name.
    pub fn task(&self) -> String {
        self.with("llob-doctor clean", " ")
    }

    /// The job a task name (`llob-doctor clean <slug>`, `\` of the root folder or not) is.
    pub fn from_task(name: &str) -> Option<JobName> {
        JobName::parse(name.trim_start_matches('\\'), "llob-doctor clean", " ")
    }

    /// The task definition file kept beside the run log.
    pub fn task_xml_file(&self) -> String {
        format!("{}.xml", self.with("llob-doctor-task", "-"))
    }

    /// The run log's file name when none is given: each job its own, so two jobs that run at
    /// the same minute never write into one file.
    pub fn log_file_name(&self) -> String {
        format!("{}.log", self.with("clean", "-"))
    }
}

/// `llbot@/srv/bots/a` → `llbot-srv-bots-a-<8 hex>`: lowercase letters and digits of the id,
/// every other run of characters one `-`, the end of a long place kept (it tells bots apart
/// best), then a hash of the whole id.
pub fn slug(id: &str) -> String {
    let (stack, place) = id.split_once('@').unwrap_or(("", id));
    let stack = words(stack);
    let mut place = words(place);
    let room = READABLE_MAX.saturating_sub(stack.len() + 1).max(8);
    if place.len() > room {
        // ASCII only: any byte index is a character boundary.
        let cut = &place[place.len() - room..];
        place = cut.trim_start_matches('-').to_string();
    }
    let readable: Vec<&str> = [stack.as_str(), place.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let readable = if readable.is_empty() {
        "instance".to_string()
    } else {
        readable.join("-")
    };
    format!("{readable}-{:08x}", fnv1a32(id.as_bytes()))
}

/// Lowercase ASCII letters and digits; every other run of characters becomes one `-`; no `-`
/// at either end.
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// FNV-1a, 32 bits: stable across versions and platforms, which a job name must be.
fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// What [`slug`] writes: `a-z0-9` words joined by single `-`, ending with `-` and 8 hex digits.
fn is_slug(s: &str) -> bool {
    let Some((readable, hash)) = s.rsplit_once('-') else {
        return false;
    };
    hash.len() == 8
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && !readable.is_empty()
        && readable.len() <= READABLE_MAX + 8
        && readable
            .split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_read_like_the_id_and_differ_by_hash() {
        let a = slug("llbot@/srv/bots/a");
        assert!(a.starts_with("llbot-srv-bots-a-"), "{a}");
        assert_eq!(a.len(), "llbot-srv-bots-a-".len() + 8);
        // Stable: the same id, the same name, in every version.
        assert_eq!(a, slug("llbot@/srv/bots/a"));
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        // Ids that read alike after the cleaning still get two names.
        assert_ne!(slug("llbot@/srv/bots/a b"), slug("llbot@/srv/bots/a-b"));
        assert_ne!(slug("llbot@/srv/Bots/a"), slug("llbot@/srv/bots/a"));
        let win = slug(r"napcat@C:\Users\张三\NapCat");
        assert!(win.starts_with("napcat-c-users-napcat-"), "{win}");
        let long = slug(&format!("llbot@/{}/end-of-it", "x/".repeat(100)));
        assert!(long.len() <= READABLE_MAX + 9, "{long}");
        assert!(long.contains("end-of-it"), "{long}");
        assert!(slug("@@@").starts_with("instance-"));
        for s in [&a, &win, &long, &slug("@@@"), &slug("")] {
            assert!(is_slug(s), "{s}");
            assert_eq!(JobName::from_slug(s).unwrap().slug(), Some(s.as_str()));
        }
        for bad in [
            "",
            "abc",
            "a-1234567",
            "a--12345678",
            "A-12345678",
            "a b-12345678",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn every_scheduler_name_and_back() {
        let all = JobName::for_all();
        assert_eq!(all.cron_begin(), "# BEGIN LLOB-DOCTOR");
        assert_eq!(all.cron_end(), "# END LLOB-DOCTOR");
        assert_eq!(all.systemd_unit(), "llob-doctor-clean");
        assert_eq!(all.launchd_label(), "io.github.llob-doctor.clean");
        assert_eq!(all.task(), "llob-doctor clean");
        assert_eq!(all.task_xml_file(), "llob-doctor-task.xml");
        assert_eq!(all.log_file_name(), "clean.log");
        let one = JobName::for_instance("llbot@/srv/bots/a");
        let s = one.slug().unwrap().to_string();
        assert_eq!(one.cron_begin(), format!("# BEGIN LLOB-DOCTOR {s}"));
        assert_eq!(one.cron_end(), format!("# END LLOB-DOCTOR {s}"));
        assert_eq!(one.systemd_unit(), format!("llob-doctor-clean-{s}"));
        assert_eq!(
            one.launchd_label(),
            format!("io.github.llob-doctor.clean.{s}")
        );
        assert_eq!(one.task(), format!("llob-doctor clean {s}"));
        assert_eq!(one.task_xml_file(), format!("llob-doctor-task-{s}.xml"));
        assert_eq!(one.log_file_name(), format!("clean-{s}.log"));
        for job in [&all, &one] {
            let back = [
                JobName::from_cron_begin(&job.cron_begin()),
                JobName::from_systemd_timer(&format!("{}.timer", job.systemd_unit())),
                JobName::from_launchd_plist(&format!("{}.plist", job.launchd_label())),
                JobName::from_task(&job.task()),
                JobName::from_task(&format!("\\{}", job.task())),
            ];
            for b in back {
                assert_eq!(b.as_ref(), Some(job));
            }
        }
        // Names that are not ours.
        assert_eq!(JobName::from_cron_begin("# BEGIN LLOB-DOCTORX"), None);
        assert_eq!(JobName::from_cron_begin("# BEGIN LLOB-DOCTOR my job"), None);
        assert_eq!(
            JobName::from_systemd_timer("llob-doctor-clean.service"),
            None
        );
        assert_eq!(
            JobName::from_systemd_timer("llob-doctor-cleaner.timer"),
            None
        );
        assert_eq!(JobName::from_task("llob-doctor clean2"), None);
    }
}
