//! The double-click session (Explorer gives the program a console of its own, which closes the
//! moment it exits): the doctor's report, the clean's preview, one question, and Enter before
//! the window closes. A double-click user cannot add flags, so the question offers what the
//! flags would: when a bot or QQ runs, the clean stops it and starts it again (said before it is
//! asked); QQ's own picture and video cache, the biggest use of disk, is the second choice.

use std::io::{BufRead, Write};

use crate::exit::Exit;
use crate::i18n::t;
use crate::tf;

/// What runs when the question is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Situation {
    /// Each bot instance (and QQ of its own) that runs, in words: `LLBot (PID 12, 13)`.
    pub running: Vec<String>,
    /// QQ is installed or runs: its cache can be offered.
    pub qq: bool,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Nothing,
    /// The bots' caches (the preview).
    Bots,
    /// The bots' caches and QQ's picture and video cache.
    WithQqCache,
}

/// `y`, `yes`, `是`, `好` (any case, spaces around): yes. Anything else, or nothing: no.
pub fn yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "好" | "确定"
    )
}

fn choice(answer: &str, qq: bool) -> Choice {
    let a = answer.trim();
    if yes(a) || a == "1" {
        Choice::Bots
    } else if qq && a == "2" {
        Choice::WithQqCache
    } else {
        Choice::Nothing
    }
}

/// The clean's command line for a choice: with what runs stopped and started again.
fn clean_args(c: Choice, running: bool) -> Vec<&'static str> {
    let mut args = vec!["clean", "--yes"];
    if c == Choice::WithQqCache {
        args.push("--qq-cache");
    }
    if running {
        args.extend(["--stop-qq", "--restart-qq"]);
    }
    args
}

fn read_line(input: &mut impl BufRead) -> String {
    let mut line = String::new();
    let _ = input.read_line(&mut line);
    line
}

/// The session. `run` runs one command line (without the program name) and gives its exit;
/// `situation` says what runs once the preview is shown; the answers are read from `input`.
pub fn double_click_session(
    mut run: impl FnMut(&[&str]) -> Exit,
    situation: impl FnOnce() -> Situation,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Exit {
    let _ = writeln!(out, "{}\n", t("console.welcome"));
    let doctor = run(&["doctor"]);
    let _ = writeln!(out);
    let mut last = doctor;
    if doctor != Exit::NotFound {
        let _ = writeln!(out, "{}\n", t("console.preview"));
        // With the options the real clean will get if something runs: the preview then says what
        // will happen to it instead of asking for an option.
        let preview = run(&["clean", "--dry-run", "--stop-qq", "--restart-qq"]);
        last = preview;
        if preview == Exit::Ok {
            let s = situation();
            let running = !s.running.is_empty();
            let _ = writeln!(out);
            if running {
                let _ = writeln!(
                    out,
                    "{}",
                    tf!("console.running", what = s.running.join(", "))
                );
                let _ = writeln!(out, "{}", t("console.will_stop"));
            }
            let _ = writeln!(out, "  1 = {}", t("console.choice_bots"));
            if s.qq {
                let _ = writeln!(out, "  2 = {}", t("console.choice_qq_cache"));
            }
            let _ = write!(out, "{} ", t("console.ask_clean"));
            let _ = out.flush();
            match choice(&read_line(input), s.qq) {
                Choice::Nothing => {
                    let _ = writeln!(out, "{}", t("console.nothing_cleaned"));
                }
                c => last = run(&clean_args(c, running)),
            }
        }
    }
    let _ = write!(out, "\n{} ", t("console.press_enter"));
    let _ = out.flush();
    read_line(input);
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        for a in ["y", "Y\r\n", " yes ", "是\n"] {
            assert!(yes(a), "{a:?}");
        }
        for a in ["", "\n", "n", "no", "q"] {
            assert!(!yes(a), "{a:?}");
        }
        assert_eq!(choice("1\n", true), Choice::Bots);
        assert_eq!(choice("2\n", true), Choice::WithQqCache);
        assert_eq!(
            choice("2\n", false),
            Choice::Nothing,
            "no QQ: no second choice"
        );
    }

    fn session(codes: &[(&str, Exit)], s: Situation, answers: &str) -> (Vec<String>, String) {
        let mut ran = Vec::new();
        let mut out = Vec::new();
        double_click_session(
            |args| {
                let line = args.join(" ");
                let code = codes
                    .iter()
                    .find(|(a, _)| *a == line)
                    .map_or(Exit::Ok, |(_, c)| *c);
                ran.push(line);
                code
            },
            || s,
            &mut answers.as_bytes(),
            &mut out,
        );
        (ran, String::from_utf8_lossy(&out).into_owned())
    }

    fn idle() -> Situation {
        Situation::default()
    }

    #[test]
    fn cleans_only_after_yes() {
        let (ran, text) = session(&[], idle(), "y\n\n");
        assert_eq!(
            ran,
            [
                "doctor",
                "clean --dry-run --stop-qq --restart-qq",
                "clean --yes"
            ]
        );
        assert!(text.contains(t("console.press_enter")));
        assert!(!text.contains(t("console.will_stop")));
        let (ran, text) = session(&[], idle(), "\n\n");
        assert_eq!(ran, ["doctor", "clean --dry-run --stop-qq --restart-qq"]);
        assert!(text.contains(t("console.nothing_cleaned")));
        // Input closed: no answer is no.
        let (ran, _) = session(&[], idle(), "");
        assert_eq!(ran, ["doctor", "clean --dry-run --stop-qq --restart-qq"]);
    }

    #[test]
    fn a_running_bot_is_stopped_and_started_again_when_the_user_says_yes() {
        let s = Situation {
            running: vec!["LLBot (PID 12, 13)".into()],
            qq: true,
        };
        let (ran, text) = session(&[], s.clone(), "y\n\n");
        assert_eq!(
            ran,
            [
                "doctor",
                "clean --dry-run --stop-qq --restart-qq",
                "clean --yes --stop-qq --restart-qq"
            ]
        );
        // Said before it is asked: what runs, and what will happen to it.
        let said = text.find("LLBot (PID 12, 13)").expect("what runs is named");
        assert!(said < text.find(t("console.ask_clean")).unwrap());
        assert!(text.contains(t("console.will_stop")));
        assert!(text.contains(t("console.choice_qq_cache")));
        // The second choice: QQ's cache too.
        let (ran, _) = session(&[], s, "2\n\n");
        assert_eq!(ran[2], "clean --yes --qq-cache --stop-qq --restart-qq");
    }

    #[test]
    fn nothing_found_or_nothing_to_clean_asks_nothing() {
        let (ran, text) = session(&[("doctor", Exit::NotFound)], idle(), "y\n");
        assert_eq!(ran, ["doctor"]);
        assert!(!text.contains(t("console.ask_clean")));
        let (ran, _) = session(
            &[("clean --dry-run --stop-qq --restart-qq", Exit::QqRunning)],
            idle(),
            "y\n",
        );
        assert_eq!(ran, ["doctor", "clean --dry-run --stop-qq --restart-qq"]);
    }
}
