//! `--help` in the user's language: clap's texts and headings replaced by the catalogue's
//! (`help.<command path>[.<arg id>]` in i18n/), and a test that every one exists in both.

use super::Cli;

/// The catalogue key of a command's or argument's help: `help.<command path>[.<arg id>]`.
fn help_key(path: &str, arg: Option<&str>) -> String {
    match arg {
        Some(a) => format!("help.{path}.{a}"),
        None => format!("help.{path}"),
    }
}

/// Replaces clap's help texts and headings with the catalogue's, in the current language.
fn localize(mut cmd: clap::Command, path: &str, top: bool) -> clap::Command {
    use crate::i18n::t;
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = format!("{path}.{name}");
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path, false));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .filter(|a| !a.is_global_set() || top)
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = help_key(path, Some(&id));
        let Some(arg) = cmd.get_arguments().find(|a| a.get_id() == id.as_str()) else {
            continue;
        };
        let heading = if arg.is_positional() {
            t("heading.arguments")
        } else if arg.is_global_set() {
            // Shown under their own heading in every subcommand's help.
            t("heading.global_options")
        } else {
            t("heading.options")
        };
        // clap's own "[default: ...]" and "[possible values: ...]" are English: say them here.
        let mut help = t(&key).to_string();
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && arg.get_action().takes_values() {
            help.push_str(&crate::tf!(
                "help.annot.default",
                value = defaults.join(", ")
            ));
        }
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !values.is_empty() && arg.get_action().takes_values() {
            help.push_str(&crate::tf!("help.annot.values", values = values.join(", ")));
        }
        let takes_values = arg.get_action().takes_values();
        cmd = cmd.mut_arg(&id, |a| {
            let a = a.help(help).help_heading(heading);
            if takes_values {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        });
    }
    cmd = cmd.about(t(&help_key(path, None)));
    let after = format!("help.{path}.after");
    if crate::i18n::has(&after) {
        cmd = cmd.after_help(t(&after));
    }
    cmd = cmd.long_about(None).disable_help_flag(true).arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help(t("help.flag.help"))
            .help_heading(t("heading.options")),
    );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(t("help.flag.version"))
                .help_heading(t("heading.options")),
        );
    }
    let template = format!(
        "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        t("heading.usage")
    );
    cmd.help_template(template)
        .subcommand_help_heading(t("heading.commands"))
}

/// The command line definition with help in the current language.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    localize(Cli::command().disable_help_subcommand(true), "root", true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use crate::i18n::{Lang, t_in};

    fn walk(cmd: &clap::Command, path: &str, keys: &mut Vec<String>) {
        keys.push(help_key(path, None));
        for a in cmd.get_arguments() {
            if (a.is_global_set() && path != "root")
                || ["help", "version"].contains(&a.get_id().as_str())
            {
                continue;
            }
            keys.push(help_key(path, Some(a.get_id().as_str())));
        }
        for s in cmd.get_subcommands() {
            walk(s, &format!("{path}.{}", s.get_name()), keys);
        }
    }

    #[test]
    fn every_command_and_option_has_help_in_both_languages() {
        use clap::CommandFactory;
        let mut keys = Vec::new();
        walk(&Cli::command(), "root", &mut keys);
        let mut missing = Vec::new();
        for k in keys {
            for lang in [Lang::En, Lang::Zh] {
                if !crate::i18n::has_in(lang, &k) {
                    missing.push(format!("{lang:?} {k}"));
                }
            }
        }
        assert!(missing.is_empty(), "help missing: {missing:#?}");
        assert_ne!(t_in(Lang::Zh, "help.root"), t_in(Lang::En, "help.root"));
    }

    /// Prints catalogue lines for the current doc comments: `cargo test dump_help -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn dump_help() {
        use clap::CommandFactory;
        fn dump(cmd: &clap::Command, path: &str) {
            println!(
                "{} = {}",
                help_key(path, None),
                cmd.get_about().map(|s| s.to_string()).unwrap_or_default()
            );
            for a in cmd.get_arguments() {
                if a.is_global_set() && path != "root" {
                    continue;
                }
                let h = a.get_help().map(|s| s.to_string()).unwrap_or_default();
                println!("{} = {h}", help_key(path, Some(a.get_id().as_str())));
            }
            for s in cmd.get_subcommands() {
                dump(s, &format!("{path}.{}", s.get_name()));
            }
        }
        dump(&Cli::command(), "root");
    }
}
