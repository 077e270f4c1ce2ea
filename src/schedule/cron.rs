//! cron: each job lives in the user's crontab between its own markers, `# BEGIN LLOB-DOCTOR` and
//! `# END LLOB-DOCTOR` (one instance's: `# BEGIN LLOB-DOCTOR <slug>`), edited through
//! `crontab -l` / `crontab -`. Every other byte is kept.

use super::{Job, JobName, ScheduleReport, run_tool, sh_quote};
use crate::cli::Backend;
use crate::exit::Failure;
use crate::i18n::Lang;
use crate::msg;

/// The crontab line: `M H * * DOW command`. `%` means newline to cron, so it is escaped.
pub fn line(job: &Job) -> String {
    let dow = job
        .weekday
        .map(|d| d.number().to_string())
        .unwrap_or("*".into());
    let mut cmd = sh_quote(&job.exe.display().to_string());
    for a in &job.args {
        cmd.push(' ');
        cmd.push_str(&sh_quote(a));
    }
    format!(
        "{} {} * * {dow} {}",
        job.minute,
        job.hour,
        cmd.replace('%', r"\%")
    )
}

pub fn block(job: &Job, name: &JobName) -> String {
    format!(
        "{}\n# {}; remove with: {}\n{}\n{}\n",
        name.cron_begin(),
        job.when_text(Lang::En),
        job.remove_command(),
        line(job),
        name.cron_end()
    )
}

/// The crontab without the job's block; `None` when there was none. Removes exactly the block's
/// lines (with their newlines), nothing else.
pub fn without_block(crontab: &str, name: &JobName) -> Option<String> {
    let (begin, end) = (name.cron_begin(), name.cron_end());
    let mut out = String::with_capacity(crontab.len());
    let mut inside = false;
    let mut found = false;
    for piece in crontab.split_inclusive('\n') {
        let line = piece.trim_end_matches(['\n', '\r']);
        if !inside && line == begin {
            inside = true;
            found = true;
            continue;
        }
        if inside {
            if line == end {
                inside = false;
            }
            continue;
        }
        out.push_str(piece);
    }
    found.then_some(out)
}

/// The crontab with our block (replacing an old one). Appended at the end; a crontab whose last
/// line has no newline gets the block at the start instead, so that removing it gives back the
/// same bytes.
pub fn with_block(crontab: &str, job: &Job, name: &JobName) -> String {
    let base = without_block(crontab, name).unwrap_or_else(|| crontab.to_string());
    if base.is_empty() || base.ends_with('\n') {
        format!("{base}{}", block(job, name))
    } else {
        format!("{}{base}", block(job, name))
    }
}

/// The job's block in a crontab, if any.
pub fn find_block(crontab: &str, name: &JobName) -> Option<String> {
    let (begin, end) = (name.cron_begin(), name.cron_end());
    let start = crontab.lines().position(|l| l == begin)?;
    let lines: Vec<&str> = crontab.lines().skip(start).collect();
    let end = lines
        .iter()
        .position(|l| *l == end)
        .unwrap_or(lines.len() - 1);
    Some(lines[..=end].join("\n") + "\n")
}

/// The current crontab; a user without one has an empty crontab.
pub(super) fn read() -> Result<String, Failure> {
    match run_tool("crontab", &["-l"], None) {
        Ok(s) => Ok(s),
        Err(e) if e.contains("no crontab for") => Ok(String::new()),
        Err(e) => Err(Failure::usage(e).with_hint(msg!("schedule.hint_cron_missing"))),
    }
}

fn write(content: &str) -> Result<(), Failure> {
    run_tool("crontab", &["-"], Some(content))
        .map(drop)
        .map_err(|e| {
            Failure::usage(msg!("schedule.crontab_write", error = e))
                .with_hint(msg!("schedule.hint_crontab_write"))
        })
}

fn report(
    action: &'static str,
    installed: bool,
    content: Option<String>,
    job: Option<&Job>,
    name: &JobName,
) -> ScheduleReport {
    ScheduleReport {
        action,
        backend: Backend::Cron,
        location: match name.slug() {
            None => "crontab".into(),
            Some(s) => format!("crontab (LLOB-DOCTOR {s})"),
        },
        installed,
        content,
        next_run: None,
        manual_commands: Vec::new(),
        job: job.cloned(),
    }
}

pub fn install(job: &Job, name: &JobName) -> Result<ScheduleReport, Failure> {
    let current = read()?;
    let new = with_block(&current, job, name);
    write(&new)?;
    Ok(report(
        "install",
        true,
        Some(block(job, name)),
        Some(job),
        name,
    ))
}

pub fn remove(name: &JobName) -> Result<ScheduleReport, Failure> {
    let current = read()?;
    if let Some(rest) = without_block(&current, name) {
        write(&rest)?;
    }
    Ok(report("remove", false, None, None, name))
}

pub fn show(name: &JobName) -> Result<ScheduleReport, Failure> {
    let current = read()?;
    let block = find_block(&current, name);
    Ok(report("show", block.is_some(), block, None, name))
}

/// The time and words of our block's crontab line.
pub fn parse(block: &str) -> Option<super::Installed> {
    let line = block
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let words = sh_words(line);
    let minute = words.first()?.parse().ok()?;
    let hour = words.get(1)?.parse().ok()?;
    let weekday = match words.get(4)?.as_str() {
        "*" => None,
        d => Some(d.parse::<u8>().ok()? % 7),
    };
    Some(super::Installed {
        hour,
        minute,
        weekday,
        words: words.into_iter().skip(5).collect(),
    })
}

/// Splits a line as the shell would for what [`sh_quote`] and [`line`] write: single quotes,
/// backslash escapes, and `\%` as cron passes it on (a `%` even within quotes).
fn sh_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            '\\' if !quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                any = true;
            }
            // cron removes the backslash of `\%` before the shell sees the line, quoted or not.
            '\\' if chars.clone().next() == Some('%') => {}
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Weekday;
    use std::path::PathBuf;

    fn job() -> Job {
        Job {
            exe: PathBuf::from("/opt/my tools/llob-doctor"),
            args: [
                "clean",
                "--yes",
                "--quiet",
                "--log-file",
                "/home/a/.local/share/llob-doctor/clean.log",
                "--older-than",
                "3d",
            ]
            .map(String::from)
            .to_vec(),
            hour: 4,
            minute: 5,
            weekday: Some(Weekday::Mon),
            log_file: PathBuf::from("/home/a/.local/share/llob-doctor/clean.log"),
        }
    }

    #[test]
    fn the_line() {
        assert_eq!(
            line(&job()),
            "5 4 * * 1 '/opt/my tools/llob-doctor' clean --yes --quiet --log-file /home/a/.local/share/llob-doctor/clean.log --older-than 3d"
        );
        let mut j = job();
        j.weekday = None;
        j.args = vec!["--data-dir".into(), "/x/100%".into()];
        assert_eq!(
            line(&j),
            r"5 4 * * * '/opt/my tools/llob-doctor' --data-dir /x/100\%"
        );
    }

    #[test]
    fn install_twice_is_one_entry_and_remove_restores_bytes() {
        for original in [
            "",
            "# m h dom mon dow command\nMAILTO=me\n\n0 1 * * * backup.sh\n",
            "0 1 * * * backup.sh\n# last line without newline",
            "\r\n0 1 * * * a\r\n",
        ] {
            let all = JobName::for_all();
            let once = with_block(original, &job(), &all);
            let twice = with_block(&once, &job(), &all);
            assert_eq!(once, twice, "installing twice changed the crontab");
            assert_eq!(once.matches("# BEGIN LLOB-DOCTOR").count(), 1);
            assert_eq!(without_block(&twice, &all).as_deref(), Some(original));
        }
        assert_eq!(without_block("0 1 * * * a\n", &JobName::for_all()), None);
    }

    #[test]
    fn reads_the_line_back() {
        let j = job();
        let back = parse(&block(&j, &JobName::for_all())).unwrap();
        assert_eq!((back.hour, back.minute, back.weekday), (4, 5, Some(1)));
        assert_eq!(back.words[0], "/opt/my tools/llob-doctor");
        assert_eq!(&back.words[1..], &j.args[..]);
    }

    /// A `%` in a quoted word (a folder with a space, any Windows path) is `\%` in the crontab
    /// and `%` again when read back, as cron hands it to the shell.
    #[test]
    fn a_percent_in_a_quoted_word_reads_back() {
        let mut j = job();
        j.args = vec![
            "--napcat-dir".into(),
            "/srv/nap cat/100%".into(),
            "clean".into(),
        ];
        let text = block(&j, &JobName::for_all());
        assert!(text.contains(r"'/srv/nap cat/100\%'"), "{text}");
        let back = parse(&text).unwrap();
        assert_eq!(&back.words[1..], &j.args[..]);
    }

    #[test]
    fn finds_the_block() {
        let all = JobName::for_all();
        let c = with_block("0 1 * * * a\n", &job(), &all);
        let b = find_block(&c, &all).unwrap();
        assert!(
            b.starts_with("# BEGIN LLOB-DOCTOR\n") && b.trim_end().ends_with("# END LLOB-DOCTOR")
        );
        assert_eq!(find_block("0 1 * * * a\n", &all), None);
    }

    /// Each instance's block beside the others': installing, replacing or removing one never
    /// touches another's, nor the job for all bots.
    #[test]
    fn blocks_of_several_jobs_coexist() {
        let all = JobName::for_all();
        let a = JobName::for_instance("llbot@/srv/bots/a");
        let b = JobName::for_instance("llbot@/srv/bots/b");
        let original = "0 1 * * * backup.sh\n";
        let mut ja = job();
        ja.args
            .splice(0..0, ["--instance".into(), "llbot@/srv/bots/a".into()]);
        let mut jb = job();
        jb.hour = 5;
        let c = with_block(original, &job(), &all);
        let c = with_block(&c, &ja, &a);
        let c = with_block(&c, &jb, &b);
        assert_eq!(c.matches("# BEGIN LLOB-DOCTOR").count(), 3, "{c}");
        let block_a = find_block(&c, &a).unwrap();
        assert!(
            block_a
                .contains("remove with: llob-doctor schedule remove --instance llbot@/srv/bots/a"),
            "{block_a}"
        );
        assert!(find_block(&c, &b).unwrap().contains("5 5 * * 1"));
        // The job for all bots is only the unnamed block.
        assert!(!find_block(&c, &all).unwrap().contains("--instance"));
        // Replacing a's job leaves b's and the default one as they were.
        let mut ja2 = ja.clone();
        ja2.minute = 45;
        let c2 = with_block(&c, &ja2, &a);
        assert_eq!(find_block(&c2, &b), find_block(&c, &b));
        assert_eq!(find_block(&c2, &all), find_block(&c, &all));
        assert!(find_block(&c2, &a).unwrap().contains("45 4 * * 1"));
        // Removing b's leaves the others; removing all three gives back the original.
        let c3 = without_block(&c2, &b).unwrap();
        assert_eq!(find_block(&c3, &b), None);
        assert_eq!(find_block(&c3, &a), find_block(&c2, &a));
        let c4 = without_block(&without_block(&c3, &a).unwrap(), &all).unwrap();
        assert_eq!(c4, original);
    }
}
