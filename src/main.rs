use std::process::ExitCode;

use clap::Parser;
use llob_doctor::cli::Cli;
use llob_doctor::exit::{Failure, exit_for};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.global.json;
    match llob_doctor::run(cli) {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        Err(err) => {
            let exit = exit_for(&err);
            let hint = err.downcast_ref::<Failure>().and_then(|f| f.hint.clone());
            if json {
                let doc = serde_json::json!({
                    "error": format!("{err:#}"),
                    "hint": hint,
                    "exit_code": exit.code(),
                });
                println!("{doc:#}");
            }
            eprintln!("llob-doctor: {err:#}");
            if let Some(h) = hint {
                eprintln!("  {h}");
            }
            ExitCode::from(exit.code() as u8)
        }
    }
}
