//! The doctor's report on screen: one line per finding, its remedy below; the machine's findings
//! first, then each bot instance's under its id.

use std::fmt::Write as _;

use super::{DoctorReport, Severity};
use crate::clean::guard::escape;
use crate::i18n::{pad, t, width};
use crate::output::{Output, Tone};

fn severity_text(s: Severity) -> &'static str {
    match s {
        Severity::Ok => t("doctor.sev_ok"),
        Severity::Warn => t("doctor.sev_warn"),
        Severity::Fail => t("doctor.sev_fail"),
    }
}

pub fn render(r: &DoctorReport, out: &Output) -> String {
    let mut s = String::new();
    let w_sev = [Severity::Ok, Severity::Warn, Severity::Fail]
        .iter()
        .map(|x| width(severity_text(*x)))
        .max()
        .unwrap_or(4)
        + 2;
    let w_check = r
        .findings
        .iter()
        .map(|x| width(&escape(&x.check)))
        .max()
        .unwrap_or(8)
        + 2;
    let mut group: Option<&str> = None;
    for x in &r.findings {
        if out.quiet && x.severity == Severity::Ok {
            continue;
        }
        // Each instance's findings under its id; the machine's come first, with none.
        if let Some(id) = x.instance.as_deref()
            && group != Some(id)
        {
            group = Some(id);
            let head = out.paint(Tone::Bold, &escape(id));
            let _ = writeln!(s, "\n{head}");
        }
        let tone = match x.severity {
            Severity::Ok => Tone::Good,
            Severity::Warn => Tone::Warn,
            Severity::Fail => Tone::Bad,
        };
        let sev = out.paint(tone, &pad(severity_text(x.severity), w_sev));
        // Findings quote files and the bot's answers (a version, an error message): control
        // characters in them are escaped, never sent to the terminal raw. JSON keeps them exact.
        let message = escape(&x.message.to_string());
        let _ = writeln!(s, "{sev}{}{message}", pad(&escape(&x.check), w_check));
        if let Some(rem) = &x.remedy {
            let rem = escape(&rem.to_string());
            let _ = writeln!(s, "{}→ {rem}", " ".repeat(w_sev + w_check));
        }
    }
    let warns = r
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Warn)
        .count();
    let fails = r
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Fail)
        .count();
    let summary = if r.ok {
        out.paint(Tone::Good, t("doctor.all_ok"))
    } else {
        out.paint(
            Tone::Bad,
            &crate::tf!("doctor.summary", warns = warns, fails = fails),
        )
    };
    let _ = writeln!(s, "\n{summary}");
    s
}
