#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::process::ExitCode;

use clap::FromArgMatches;
use clap::error::ErrorKind;
use llob_doctor::cli::{self, Cli};
use llob_doctor::exit::{Exit, Failure, exit_for};
use llob_doctor::i18n::{self, Lang};
use llob_doctor::output::write_stdout;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Windows: this program started again to send Ctrl-Break to a console program.
    if let Some(code) = llob_doctor::process::helper(&args) {
        return ExitCode::from(code as u8);
    }
    // The language is needed before parsing: the help text depends on it. JSON is always English.
    // Only before `--`: what follows belongs to a scheduled clean.
    let json = args
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--json");
    let lang =
        i18n::lang_from_args(&args).unwrap_or_else(|| i18n::detect_lang(|k| std::env::var(k).ok()));
    i18n::set_lang(if json { Lang::En } else { lang });
    // Signals end every phase in time; a panic in any thread ends the run at once.
    llob_doctor::signals::install(json);
    // Double-clicked in Explorer: a guided doctor and clean in a window that waits for Enter.
    if let Some(exit) = llob_doctor::console::double_click() {
        return ExitCode::from(exit.code() as u8);
    }
    // A quoted path ending in `\` took the rest of the line (Windows' argument rules).
    if let Some((arg, path)) = cli::swallowed_quote(&args) {
        return print_usage_error(&cli::render_swallowed_quote(&arg, &path), json);
    }
    let parsed = cli::command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => return usage_error(&e, json),
    };
    match llob_doctor::run(cli) {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        Err(err) => {
            let exit = exit_for(&err);
            let hint = err
                .downcast_ref::<Failure>()
                .and_then(|f| f.hint.as_ref().map(|h| h.to_string()));
            if json {
                print_json_error(&format!("{err:#}"), hint.as_deref(), exit);
            }
            let mut text = format!("llob-doctor: {err:#}\n");
            if let Some(h) = hint {
                text.push_str(&format!("  {h}\n"));
            }
            llob_doctor::stderr_text!("{}", llob_doctor::console::fit(&text, true));
            ExitCode::from(exit.code() as u8)
        }
    }
}

/// Help and version go to stdout (exit 0); anything else is a usage error in the user's
/// language on stderr (exit 2), and with `--json` also one JSON document on stdout.
fn usage_error(e: &clap::Error, json: bool) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // A closed pipe (`--help | head -1`) is no error worth a word.
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    print_usage_error(&llob_doctor::clap_msg::render(e), json)
}

/// A usage error (exit 2): its text on stderr, and with `--json` one JSON document on stdout.
fn print_usage_error(r: &llob_doctor::clap_msg::Rendered, json: bool) -> ExitCode {
    if json {
        print_json_error(&r.message, r.hint.as_deref(), Exit::Usage);
    }
    llob_doctor::stderr_text!("{}", llob_doctor::console::fit(&r.text, true));
    ExitCode::from(Exit::Usage.code() as u8)
}

/// The README's promise: with `--json`, stdout holds one JSON document, errors too.
fn print_json_error(error: &str, hint: Option<&str>, exit: Exit) {
    let doc = serde_json::json!({
        "error": error,
        "hint": hint,
        "exit_code": exit.code(),
    });
    let mut buf = Vec::new();
    let _ = llob_doctor::console::write_json_ascii(&mut buf, &doc);
    buf.push(b'\n');
    let _ = write_stdout(&buf);
}
