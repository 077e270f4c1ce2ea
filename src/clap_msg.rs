//! clap's own errors (an unknown subcommand, a bad value, a missing argument) told in the
//! user's language: rebuilt from the error's kind and context through the catalogue, so
//! `--lang zh` users do not meet English at the first typo.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::i18n::t;
use crate::msg;
use crate::tf;

/// A usage error as text: the message, tips, the usage line and where to find help; and a hint
/// for JSON's `hint` field when there is one.
pub struct Rendered {
    pub message: String,
    pub hint: Option<String>,
    pub text: String,
}

fn get(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn list(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        _ => Vec::new(),
    }
}

/// The error's first line, the part clap prints after `error:`, in the current language.
fn message(err: &clap::Error) -> String {
    let arg = get(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = get(err, ContextKind::InvalidValue).unwrap_or_default();
    match err.kind() {
        ErrorKind::InvalidValue if value.is_empty() => tf!("clap.value_required", arg = arg),
        ErrorKind::InvalidValue => tf!("clap.invalid_value", value = value, arg = arg),
        ErrorKind::UnknownArgument => tf!("clap.unknown_argument", arg = arg),
        ErrorKind::InvalidSubcommand => tf!(
            "clap.invalid_subcommand",
            name = get(err, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::NoEquals => tf!("clap.no_equals", arg = arg),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)
                .map(|e| e.to_string())
                .unwrap_or_default();
            tf!(
                "clap.value_validation",
                value = value,
                arg = arg,
                error = why
            )
        }
        ErrorKind::TooManyValues => tf!("clap.too_many_values", value = value, arg = arg),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => tf!(
            "clap.wrong_number",
            arg = arg,
            expected = get(err, ContextKind::ExpectedNumValues)
                .or_else(|| get(err, ContextKind::MinValues))
                .unwrap_or_default(),
            actual = get(err, ContextKind::ActualNumValues).unwrap_or_default()
        ),
        ErrorKind::ArgumentConflict => {
            let prior = list(err, ContextKind::PriorArg);
            if prior.is_empty() {
                tf!("clap.conflict_self", arg = arg)
            } else {
                tf!("clap.conflict", arg = arg, other = prior.join("', '"))
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let args = list(err, ContextKind::InvalidArg);
            format!("{}\n  {}", t("clap.missing_required"), args.join("\n  "))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            tf!(
                "clap.missing_subcommand",
                names = list(err, ContextKind::ValidSubcommand).join(", ")
            )
        }
        ErrorKind::InvalidUtf8 => t("clap.invalid_utf8").to_string(),
        _ => {
            // Anything else: clap's own text (its first line), not lost.
            let text = err.render().to_string();
            let first = text.lines().next().unwrap_or("").trim();
            first.strip_prefix("error: ").unwrap_or(first).to_string()
        }
    }
}

/// Tips clap would give: a similar name, the possible values, `--` before a value that
/// starts with `-`.
fn tips(err: &clap::Error) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = get(err, ContextKind::SuggestedSubcommand) {
        out.push(tf!("clap.tip_similar_subcommand", name = s));
    }
    if let Some(s) = get(err, ContextKind::SuggestedArg) {
        out.push(tf!("clap.tip_similar_argument", name = s));
    }
    if let Some(s) = get(err, ContextKind::SuggestedValue) {
        out.push(tf!("clap.tip_similar_value", name = s));
    }
    if let Some(s) = get(err, ContextKind::TrailingArg).filter(|b| b == "true") {
        let _ = s;
        let arg = get(err, ContextKind::InvalidArg).unwrap_or_default();
        out.push(tf!("clap.tip_dash", arg = arg));
    }
    if matches!(err.kind(), ErrorKind::InvalidValue) {
        let values = list(err, ContextKind::ValidValue);
        if !values.is_empty() {
            out.push(tf!("clap.possible_values", values = values.join(", ")));
        }
    }
    out
}

/// What to do next, for errors where the usage line alone does not say it.
fn hint(err: &clap::Error) -> Option<String> {
    let missing = list(err, ContextKind::InvalidArg);
    if err.kind() == ErrorKind::MissingRequiredArgument
        && missing.iter().any(|a| a.starts_with("--fs-root"))
    {
        return Some(msg!("clap.hint_platform").to_string());
    }
    None
}

/// No subcommand at all (`llob-doctor` alone, or with options only): what the program does,
/// its usage and its commands, each with what it does, and where to start.
fn first_contact() -> Rendered {
    let cmd = crate::cli::command();
    let subs: Vec<(String, String)> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| {
            let about = s.get_about().map(|a| a.to_string()).unwrap_or_default();
            (s.get_name().to_string(), about)
        })
        .collect();
    let names: Vec<&str> = subs.iter().map(|(n, _)| n.as_str()).collect();
    let message = tf!("clap.missing_subcommand", names = names.join(", "));
    let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    let usage = cmd.clone().render_usage().to_string();
    let usage = match usage.trim().strip_prefix("Usage:") {
        Some(rest) => format!("{}{rest}", t("heading.usage")),
        None => usage.trim().to_string(),
    };
    let mut text = format!("{about}\n\n{usage}\n\n{}:\n", t("heading.commands"));
    let w = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let limit = crate::console::width(true).map(|c| c.saturating_sub(1).max(40));
    for (name, about) in &subs {
        let line = format!("  {name:<w$}  {about}");
        match limit {
            Some(limit) => text.push_str(&crate::console::wrap_line(&line, limit, w + 4)),
            None => text.push_str(&line),
        }
        text.push('\n');
    }
    text.push_str(&format!("\n{}\n", t("clap.first_steps")));
    Rendered {
        message,
        hint: Some(t("clap.first_steps").to_string()),
        text,
    }
}

/// Renders a clap error (not help or version, which are no errors) in the current language.
pub fn render(err: &clap::Error) -> Rendered {
    if matches!(
        err.kind(),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return first_contact();
    }
    let message = message(err);
    let hint = hint(err);
    let mut text = format!("{}\n", tf!("clap.error", message = message));
    let tips = tips(err);
    if !tips.is_empty() {
        text.push('\n');
        for tip in &tips {
            text.push_str(&format!("  {tip}\n"));
        }
    }
    if let Some(h) = &hint {
        text.push_str(&format!("\n  {h}\n"));
    }
    if let Some(usage) = get(err, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = match usage.strip_prefix("Usage:") {
            Some(rest) => format!("{}{rest}", t("heading.usage")),
            None => usage.to_string(),
        };
        text.push_str(&format!("\n{usage}\n"));
    }
    text.push_str(&format!("\n{}\n", t("clap.more_info")));
    let message = if tips.is_empty() {
        message
    } else {
        format!("{message} ({})", tips.join("; "))
    };
    Rendered {
        message,
        hint,
        text,
    }
}
