//! The completion scripts and man pages, generated from the same clap definition as the
//! command line (`llob-doctor completions SHELL`, `llob-doctor man [SUBCOMMAND]`; committed in
//! `completions/` and `doc/`).

use crate::cli::command;

/// The name the scripts complete.
pub const BIN: &str = "llob-doctor";

/// A shell completion script.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut buf);
    if shell == clap_complete::Shell::Bash {
        buf = fix_bash_names(&buf);
    }
    buf
}

/// clap_complete (4.6) names the bash case labels of subcommands from the binary name with
/// each `-` turned into its subcommand separator (`llob__subcmd__doctor__subcmd__clean`), but
/// sets `cmd` from the name with `-` turned into `__` (`llob__doctor__subcmd__clean`): no label
/// ever matches and no subcommand completes. The labels are renamed to what `cmd` is set to.
fn fix_bash_names(script: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    let wrong = BIN.replace('-', "__subcmd__");
    let right = BIN.replace('-', "__");
    text.replace(&wrong, &right).into_bytes()
}

/// The manual page of the tool, or of one subcommand (`llob-doctor-clean(1)`), in roff.
pub fn man_page(subcommand: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let mut cmd = command();
    cmd.build();
    let page = match subcommand {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                return Err(crate::exit::Failure::usage(crate::msg!(
                    "err.man_unknown",
                    name = name,
                    names = names.join(", ")
                ))
                .into());
            }
        },
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf)?;
    Ok(buf)
}
