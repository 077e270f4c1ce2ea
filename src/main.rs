use std::process::ExitCode;

use clap::FromArgMatches;
use llob_doctor::cli::{self, Cli};
use llob_doctor::exit::{Failure, exit_for};
use llob_doctor::i18n::{self, Lang};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The language is needed before parsing: the help text depends on it. JSON is always English.
    let json = args.iter().any(|a| a == "--json");
    let lang =
        i18n::lang_from_args(&args).unwrap_or_else(|| i18n::detect_lang(|k| std::env::var(k).ok()));
    i18n::set_lang(if json { Lang::En } else { lang });
    // Double-clicked in Explorer: a guided doctor and clean in a window that waits for Enter.
    if let Some(exit) = llob_doctor::console::double_click() {
        return ExitCode::from(exit.code() as u8);
    }
    let matches = cli::command().get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match llob_doctor::run(cli) {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        Err(err) => {
            let exit = exit_for(&err);
            let hint = err
                .downcast_ref::<Failure>()
                .and_then(|f| f.hint.as_ref().map(|h| h.to_string()));
            if json {
                let doc = serde_json::json!({
                    "error": format!("{err:#}"),
                    "hint": hint,
                    "exit_code": exit.code(),
                });
                let mut out = std::io::stdout();
                let _ = llob_doctor::console::write_json_ascii(&mut out, &doc);
                println!();
            }
            eprintln!("llob-doctor: {err:#}");
            if let Some(h) = hint {
                eprintln!("  {h}");
            }
            ExitCode::from(exit.code() as u8)
        }
    }
}
