//! The blocks of `detect` for the bot stacks that run as programs of their own or inside QQ
//! beside LLOneBot: LLBot and NapCat.

use super::{account_rows, found_via, header, looked_in, path, row};
use crate::discover::{Bot, Installation, Mode, What};
use crate::i18n::t;
use crate::output::{Output, Tone};
use crate::stack::llbot;

/// The LLBot / standalone LLOneBot block.
pub(super) fn render_llbot(s: &mut String, out: &Output, b: &Bot) {
    header(s, out, llbot::STACK.name, b.version.as_deref(), true);
    if let Some(i) = &b.install {
        row(s, t("detect.install"), &path(i));
    }
    row(
        s,
        t("detect.found_via"),
        &found_via(b.found_via, b.found_via_detail.as_deref()),
    );
    if let Some(f) = &b.version_file {
        row(s, t("detect.version_of"), &path(f));
    }
    if let Some(n) = &b.version_note {
        row(s, "", &out.paint(Tone::Warn, &n.to_string()));
    }
    if let Some(m) = b.mode {
        let text = match m {
            Mode::Pmhq => t("detect.mode_pmhq"),
            Mode::Headless => t("detect.mode_headless"),
        };
        row(s, t("detect.mode"), text);
    }
    let data = if b.data_dir_exists {
        path(&b.data_dir)
    } else {
        format!(
            "{} ({})",
            path(&b.data_dir),
            out.paint(Tone::Warn, t("detect.missing_yet"))
        )
    };
    row(s, t("detect.data"), &data);
    account_rows(s, &b.accounts);
    connection_rows(s, out, b);
    let procs: Vec<String> = b
        .processes
        .iter()
        .map(|p| {
            if p.main {
                format!("{} {} ({})", p.pid, p.name, t("detect.main"))
            } else {
                format!("{} {}", p.pid, p.name)
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
        header(s, out, "NapCat", None, false);
        if out.verbose > 0 {
            looked_in(s, out, inst, &[What::NapcatDir]);
        }
        return;
    };
    header(s, out, "NapCat", n.version.as_deref(), true);
    if let Some(d) = &n.dir {
        row(s, t("detect.install"), &path(d));
    }
    row(
        s,
        t("detect.found_via"),
        &found_via(n.source, n.source_detail.as_deref()),
    );
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
        row(s, t("detect.accounts"), &n.accounts.join(", "));
    }
}

/// Each account's enabled OneBot connections, with whether a token guards it; an open server
/// without one is shown as a warning (`doctor` says what to do).
fn connection_rows(s: &mut String, out: &Output, b: &Bot) {
    for (i, a) in b.connections.iter().enumerate() {
        let list: Vec<String> = a
            .connections
            .iter()
            .map(|c| {
                let token = if c.token_set {
                    t("detect.token_set")
                } else {
                    t("detect.no_token")
                };
                let text = format!("{} ({token})", c.short());
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
        row(s, label, &format!("{}: {list}", a.uin));
    }
}
