//! The blocks of `detect` for the bot stacks: the LLOneBot plugin inside QQ, LLBot (a program
//! of its own), and NapCat.

use std::fmt::Write;
use std::path::Path;

use super::{account_rows, found_via, header, looked_in, path, row, with_detail};
use crate::clean::guard::escape;
use crate::discover::{AccountConnections, Installation, Instance, Mode, Source, What};
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

/// The LLOneBot plugin block (or a standalone data dir named by `--data-dir`), with the 4.x+
/// configs' connections; where it was looked for when not found.
pub(super) fn render_llonebot(s: &mut String, out: &Output, inst: &Installation) {
    let stack = &llonebot_plugin::STACK;
    let Some(l) = &inst.llonebot else {
        header(s, out, stack.name, None, false);
        looked_in(s, out, inst, &[What::LlonebotPlugin, What::LlonebotData]);
        let _ = writeln!(s, "  {}", out.paint(Tone::Dim, t("detect.point_at_it")));
        return;
    };
    header(s, out, stack.name, l.version.as_deref(), true);
    match &l.plugin_dir {
        Some(p) => row(s, t("detect.plugin"), &path(p)),
        None if l.standalone => row(s, t("detect.plugin"), t("detect.standalone")),
        None => row(s, t("detect.plugin"), t("detect.not_found")),
    }
    data_row(s, out, &l.data_dir, l.data_dir_exists);
    row(
        s,
        t("detect.found_via"),
        &stack_found_via(stack, l.source, None),
    );
    account_rows(s, &l.accounts);
    // The plugin's entry in `bots` holds its connections (a standalone data dir is LLBot's).
    if let Some(b) = inst.instances.iter().find(|b| b.stack == stack.id) {
        connection_rows(s, out, &b.connections);
    }
}

/// The LLBot / standalone LLOneBot block.
pub(super) fn render_llbot(s: &mut String, out: &Output, b: &Instance) {
    let stack = &llbot::STACK;
    header(s, out, stack.name, b.version.as_deref(), true);
    if let Some(i) = &b.install {
        row(s, t("detect.install"), &path(i));
    }
    let how = stack_found_via(stack, b.found_via, b.found_via_detail.as_deref());
    row(s, t("detect.found_via"), &how);
    if let Some(f) = &b.version_file {
        row(s, t("detect.version_of"), &path(f));
    }
    if let Some(n) = &b.version_note {
        row(s, "", &out.paint(Tone::Warn, &escape(&n.to_string())));
    }
    if let Some(m) = b.mode {
        let text = match m {
            Mode::Pmhq => t("detect.mode_pmhq"),
            Mode::Headless => t("detect.mode_headless"),
        };
        row(s, t("detect.mode"), text);
    }
    data_row(s, out, &b.data_dir, b.data_dir_exists);
    account_rows(s, &b.accounts);
    connection_rows(s, out, &b.connections);
    let procs: Vec<String> = b
        .processes
        .iter()
        .map(|p| {
            if p.main {
                format!("{} {} ({})", p.pid, escape(&p.name), t("detect.main"))
            } else {
                format!("{} {}", p.pid, escape(&p.name))
            }
        })
        .collect();
    if procs.is_empty() {
        row(s, t("detect.processes"), t("detect.none_running"));
    } else {
        row(s, t("detect.processes"), &procs.join(", "));
    }
}

/// The NapCat block: its folder, work dir, temp folder and accounts.
pub(super) fn render_napcat(s: &mut String, out: &Output, inst: &Installation) {
    let Some(n) = &inst.napcat else {
        header(s, out, napcat::STACK.name, None, false);
        if out.verbose > 0 {
            looked_in(s, out, inst, &[What::NapcatDir]);
        }
        return;
    };
    let stack = &napcat::STACK;
    header(s, out, stack.name, n.version.as_deref(), true);
    if let Some(d) = &n.dir {
        row(s, t("detect.install"), &path(d));
    }
    let how = stack_found_via(stack, n.source, n.source_detail.as_deref());
    row(s, t("detect.found_via"), &how);
    if let Some(f) = &n.version_file {
        row(s, t("detect.version_of"), &path(f));
    }
    row(s, t("detect.data"), &path(&n.work_dir));
    match &n.temp_dir {
        Some(tmp) => row(s, t("detect.temp"), &path(tmp)),
        None => row(s, t("detect.temp"), t("detect.not_found")),
    }
    if n.accounts.is_empty() {
        row(s, t("detect.accounts"), t("detect.none"));
    } else {
        row(s, t("detect.accounts"), &escape(&n.accounts.join(", ")));
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
