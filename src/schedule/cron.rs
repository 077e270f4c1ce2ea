//! cron: our entry lives in the user's crontab between `# BEGIN LLOB-DOCTOR` and
//! `# END LLOB-DOCTOR`, edited through `crontab -l` / `crontab -`. Every other byte is kept.

use super::{Job, ScheduleReport, run_tool, sh_quote};
use crate::cli::Backend;
use crate::exit::Failure;
use crate::i18n::Lang;
use crate::msg;

pub const BEGIN: &str = "# BEGIN LLOB-DOCTOR";
pub const END: &str = "# END LLOB-DOCTOR";

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

pub fn block(job: &Job) -> String {
    format!(
        "{BEGIN}\n# {}; remove with: llob-doctor schedule remove\n{}\n{END}\n",
        job.when_text(Lang::En),
        line(job)
    )
}

/// The crontab without our block; `None` when there was none. Removes exactly the block's
/// lines (with their newlines), nothing else.
pub fn without_block(crontab: &str) -> Option<String> {
    let mut out = String::with_capacity(crontab.len());
    let mut inside = false;
    let mut found = false;
    for piece in crontab.split_inclusive('\n') {
        let line = piece.trim_end_matches(['\n', '\r']);
        if !inside && line == BEGIN {
            inside = true;
            found = true;
            continue;
        }
        if inside {
            if line == END {
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
pub fn with_block(crontab: &str, job: &Job) -> String {
    let base = without_block(crontab).unwrap_or_else(|| crontab.to_string());
    if base.is_empty() || base.ends_with('\n') {
        format!("{base}{}", block(job))
    } else {
        format!("{}{base}", block(job))
    }
}

/// The block in a crontab, if any.
pub fn find_block(crontab: &str) -> Option<String> {
    let start = crontab.lines().position(|l| l == BEGIN)?;
    let lines: Vec<&str> = crontab.lines().skip(start).collect();
    let end = lines
        .iter()
        .position(|l| *l == END)
        .unwrap_or(lines.len() - 1);
    Some(lines[..=end].join("\n") + "\n")
}

/// The current crontab; a user without one has an empty crontab.
fn read() -> Result<String, Failure> {
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
) -> ScheduleReport {
    ScheduleReport {
        action,
        backend: Backend::Cron,
        location: "crontab".into(),
        installed,
        content,
        next_run: None,
        manual_commands: Vec::new(),
        job: job.cloned(),
    }
}

pub fn install(job: &Job) -> Result<ScheduleReport, Failure> {
    let current = read()?;
    let new = with_block(&current, job);
    write(&new)?;
    Ok(report("install", true, Some(block(job)), Some(job)))
}

pub fn remove() -> Result<ScheduleReport, Failure> {
    let current = read()?;
    if let Some(rest) = without_block(&current) {
        write(&rest)?;
    }
    Ok(report("remove", false, None, None))
}

pub fn show() -> Result<ScheduleReport, Failure> {
    let current = read()?;
    let block = find_block(&current);
    Ok(report("show", block.is_some(), block, None))
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
/// backslash escapes (`\%`).
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
            let once = with_block(original, &job());
            let twice = with_block(&once, &job());
            assert_eq!(once, twice, "installing twice changed the crontab");
            assert_eq!(once.matches(BEGIN).count(), 1);
            assert_eq!(without_block(&twice).as_deref(), Some(original));
        }
        assert_eq!(without_block("0 1 * * * a\n"), None);
    }

    #[test]
    fn reads_the_line_back() {
        let j = job();
        let back = parse(&block(&j)).unwrap();
        assert_eq!((back.hour, back.minute, back.weekday), (4, 5, Some(1)));
        assert_eq!(back.words[0], "/opt/my tools/llob-doctor");
        assert_eq!(&back.words[1..], &j.args[..]);
    }

    #[test]
    fn finds_the_block() {
        let c = with_block("0 1 * * * a\n", &job());
        let b = find_block(&c).unwrap();
        assert!(b.starts_with(BEGIN) && b.trim_end().ends_with(END));
        assert_eq!(find_block("0 1 * * * a\n"), None);
    }
}
