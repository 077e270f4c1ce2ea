//! The blocks of `detect` for the bot stacks: the LLOneBot plugin inside QQ, LLBot (a program
//! of its own), and NapCat.

use std::fmt::Write;
use std::path::Path;

use super::{account_rows, found_via, header, header_of, looked_in, path, row, with_detail};
use crate::clean::guard::escape;
use crate::discover::{AccountConnections, Assigned, Installation, Instance, Mode, Source, What};
use crate::i18n::t;
use crate::output::{Output, Tone};
use crate::stack::{Own, Stack, llbot, llonebot_plugin, napcat};
use crate::tf;

/// How a stack was found, in words. A running process is one of the stack's own: QQ for a
/// stack inside QQ, but the stack's own program (LLBot's launcher, node or PMHQ) for one that
/// runs apart from QQ, so it is named after that stack.
fn stack_found_via(stack: &Stack, source: Source, detail: Option<&str>) -> String {
    match (source, stack.processes.own) {
        (Source::Process, Own::Programs(_)) => {
            with_detail(&tf!("source.bot_process", name = stack.name), detail)
        }
        _ => found_via(source, detail),
    }
}

/// The data dir, marked when it does not exist yet.
fn data_row(s: &mut String, out: &Output, dir: &Path, exists: bool) {
    let data = if exists {
        path(dir)
    } else {
        format!(
            "{} ({})",
            path(dir),
            out.paint(Tone::Warn, t("detect.missing_yet"))
        )
    };
    row(s, t("detect.data"), &data);
}

/// Every instance, one block each, stack by stack (the plugin, LLBot, NapCat); a stack with
/// none says where it was looked for.
pub(super) fn render_instances(s: &mut String, out: &Output, inst: &Installation) {
    for stack in [&llonebot_plugin::STACK, &llbot::STACK, &napcat::STACK] {
        let mine: Vec<&Instance> = inst
            .instances
            .iter()
            // A standalone data folder given with --data-dir is LLBot's block.
            .filter(|b| b.stack == stack.id)
            .collect();
        if mine.is_empty() {
            not_found(s, out, inst, stack);
            s.push('\n');
        }
        for b in mine {
            render_instance(s, out, b);
            s.push('\n');
        }
    }
}

/// A stack with no instance: where it was looked for, and how to point at it.
fn not_found(s: &mut String, out: &Output, inst: &Installation, stack: &Stack) {
    header(s, out, stack.name, None, false);
    let hint = if std::ptr::eq(stack, &llonebot_plugin::STACK) {
        looked_in(s, out, inst, &[What::LlonebotPlugin, What::LlonebotData]);
        // No bot at all: the first block a user reads names every stack's flag, as an LLBot
        // or NapCat user takes "LLOneBot" for theirs.
        if inst.instances.is_empty() {
            "detect.point_at_any"
        } else {
            "detect.point_at_it"
        }
    } else if std::ptr::eq(stack, &llbot::STACK) {
        if out.verbose > 0 {
            looked_in(s, out, inst, &[What::LlbotInstall]);
        }
        "detect.point_at_llbot"
    } else {
        if out.verbose > 0 {
            looked_in(s, out, inst, &[What::NapcatDir]);
        }
        "detect.point_at_napcat"
    };
    let _ = writeln!(s, "  {}", out.paint(Tone::Dim, t(hint)));
}

/// One instance: its id, install, how it was found, owner, data, accounts, connections and
/// processes (with `-v`, why each process is its own).
fn render_instance(s: &mut String, out: &Output, b: &Instance) {
    let stack = b.stack_def();
    header_of(s, out, stack.name, b.version.as_deref(), true, Some(&b.id));
    if stack.id == llonebot_plugin::STACK.id {
        match &b.install {
            Some(p) => row(s, t("detect.plugin"), &path(p)),
            None => row(s, t("detect.plugin"), t("detect.not_found")),
        }
    } else if let Some(c) = &b.container {
        row(
            s,
            t("detect.install"),
            &tf!("detect.in_container", path = path(&c.install_inside)),
        );
    } else if let Some(i) = &b.install {
        row(s, t("detect.install"), &path(i));
    } else if stack.id == llbot::STACK.id {
        row(s, t("detect.install"), t("detect.standalone"));
    }
    let how = stack_found_via(stack, b.found_via, b.found_via_detail.as_deref());
    row(s, t("detect.found_via"), &how);
    if let Some(f) = &b.version_file {
        row(s, t("detect.version_of"), &path(f));
    }
    if let Some(n) = &b.version_note {
        row(s, "", &out.paint(Tone::Warn, &escape(&n.to_string())));
    }
    if let Some(o) = &b.owner {
        row(s, t("detect.owner"), &escape(&o.name));
    }
    if let Some(m) = b.mode {
        let text = match m {
            Mode::Pmhq => t("detect.mode_pmhq"),
            Mode::Headless => t("detect.mode_headless"),
        };
        row(s, t("detect.mode"), text);
    }
    if let Some(c) = &b.container {
        let text = if c.mapped {
            tf!(
                "detect.container_mapped",
                pid = c.pid,
                inside = path(&c.data_dir_inside)
            )
        } else {
            tf!(
                "detect.container_unmapped",
                pid = c.pid,
                inside = path(&c.data_dir_inside)
            )
        };
        row(s, t("detect.container"), &text);
    }
    data_row(s, out, &b.data_dir, b.data_dir_exists);
    if stack.id == napcat::STACK.id {
        match &b.temp_dir {
            Some(tmp) => row(s, t("detect.temp"), &path(tmp)),
            None => row(s, t("detect.temp"), t("detect.not_found")),
        }
    }
    account_rows(s, &b.accounts);
    connection_rows(s, out, &b.connections);
    process_rows(s, out, b);
}

/// The processes of an instance; with `-v` why each is its own.
fn process_rows(s: &mut String, out: &Output, b: &Instance) {
    let procs: Vec<String> = b
        .processes
        .iter()
        .map(|p| {
            let user = match (p.uid, b.owner.as_ref()) {
                (Some(u), Some(o)) if u != o.uid => {
                    format!(", {}", crate::process::user_name(u))
                }
                _ => String::new(),
            };
            if p.main {
                format!("{} {} ({}{user})", p.pid, escape(&p.name), t("detect.main"))
            } else if user.is_empty() {
                format!("{} {}", p.pid, escape(&p.name))
            } else {
                format!("{} {} ({})", p.pid, escape(&p.name), &user[2..])
            }
        })
        .collect();
    if procs.is_empty() {
        let text = match &b.install {
            // A stopped LLBot or NapCat.Shell: where it is, found while nothing of it runs.
            Some(i) if b.stack == llbot::STACK.id || b.stack == napcat::STACK.id => tf!(
                "detect.installed_not_running",
                name = b.stack_def().name,
                path = path(i)
            ),
            _ => t("detect.none_running").to_string(),
        };
        row(s, t("detect.processes"), &text);
    } else {
        row(s, t("detect.processes"), &procs.join(", "));
    }
    if out.verbose == 0 {
        return;
    }
    for p in &b.processes {
        let why = match p.why {
            Assigned::Executable => t("why.executable").to_string(),
            Assigned::WorkingDir => t("why.working_dir").to_string(),
            Assigned::ChildOf { pid } => {
                let name = b
                    .processes
                    .iter()
                    .find(|q| q.pid == pid)
                    .map(|q| escape(&q.name))
                    .unwrap_or_default();
                tf!("why.child_of", pid = pid, name = name)
            }
            Assigned::ProfileEnv => t("why.profile_env").to_string(),
            Assigned::HookedQq => t("why.hooked_qq").to_string(),
            Assigned::NapcatEnv => t("why.napcat_env").to_string(),
            Assigned::NapcatLoader => t("why.napcat_loader").to_string(),
            Assigned::HelperOf { pid } => tf!("why.helper_of", pid = pid),
        };
        let line = format!("{} {}: {why}", p.pid, escape(&p.name));
        row(s, "", &out.paint(Tone::Dim, &line));
    }
}

/// Each account's enabled OneBot connections, with whether a token guards it; an open server
/// without one is shown as a warning (`doctor` says what to do).
fn connection_rows(s: &mut String, out: &Output, connections: &[AccountConnections]) {
    for (i, a) in connections.iter().enumerate() {
        let list: Vec<String> = a
            .connections
            .iter()
            .map(|c| {
                let token = if c.token_set {
                    t("detect.token_set")
                } else {
                    t("detect.no_token")
                };
                let text = format!("{} ({token})", escape(&c.short()));
                if c.open_without_token() {
                    out.paint(Tone::Warn, &text)
                } else {
                    text
                }
            })
            .collect();
        let list = if list.is_empty() {
            t("detect.none").to_string()
        } else {
            list.join(", ")
        };
        let label = if i == 0 { t("detect.connections") } else { "" };
        row(s, label, &format!("{}: {list}", escape(&a.uin)));
    }
}
