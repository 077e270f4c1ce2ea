//! `llob-doctor detect`: the installation, and how each part of it was found.

use std::fmt::Write;
use std::path::Path;

use crate::app::App;
use crate::clean::guard::{escape, shown};
use crate::discover::{Account, Installation, Outcome, Reason, Searched, Source, What};
use crate::exit::Exit;
use crate::i18n::{pad, t, width};
use crate::output::{Output, Tone};
use crate::tf;

mod bots;
use bots::render_instances;

/// The JSON of `detect`: the installation, and QQ's own media cache beside it.
#[derive(serde::Serialize)]
struct DetectReport<'a> {
    #[serde(flatten)]
    inst: &'a Installation,
    qq_cache: &'a crate::qq_cache::QqCacheReport,
}

pub fn run(app: &App) -> anyhow::Result<Exit> {
    let inst = app.discover()?;
    let roots = crate::qq_cache::find(&app.env, &inst, app.overrides.qq_data.as_deref())?;
    let qq_cache = crate::qq_cache::measure(roots);
    let report = DetectReport {
        inst: &inst,
        qq_cache: &qq_cache,
    };
    app.out.emit(&report, || {
        let qq = crate::qq_cache::render::detect_section(&qq_cache, &app.out);
        format!("{}\n{qq}", render(&inst, &app.out))
    })?;
    Ok(if inst.data_dir().is_some() || inst.napcat.is_some() {
        Exit::Ok
    } else {
        Exit::NotFound
    })
}

pub fn source_text(s: Source) -> &'static str {
    match s {
        Source::Flag => t("source.flag"),
        Source::Process => t("source.process"),
        Source::Registry => t("source.registry"),
        Source::WellKnown => t("source.well_known"),
        Source::Launcher => t("source.launcher"),
        Source::IndexJs => t("source.index_js"),
        Source::EnvVar => t("source.env_var"),
        Source::QqEnviron => t("source.qq_environ"),
        Source::ShellRc => t("source.shell_rc"),
        Source::UserEnvironment => t("source.user_environment"),
        Source::Flatpak => t("source.flatpak"),
        Source::Root => t("source.root"),
        Source::Qwqnt => t("source.qwqnt"),
        Source::Profile => t("source.profile"),
        Source::NapcatLoader => t("source.napcat_loader"),
        Source::NapcatWorkdir => t("source.napcat_workdir"),
        Source::NapcatQqEnviron => t("source.napcat_qq_environ"),
        Source::Remembered => t("source.remembered"),
    }
}

pub fn reason_text(r: Reason) -> &'static str {
    match r {
        Reason::NotADirectory => t("reason.not_a_directory"),
        Reason::NoQqExecutable => t("reason.no_qq_executable"),
        Reason::NotLiteloaderRoot => t("reason.not_liteloader_root"),
        Reason::SandboxOnly => t("reason.sandbox_only"),
        Reason::MappedFromSandbox => t("reason.mapped_from_sandbox"),
        Reason::NapcatLoader => t("reason.napcat_loader"),
        Reason::OriginalQqMain => t("reason.original_qq_main"),
        Reason::NoRequire => t("reason.no_require"),
        Reason::Unreadable => t("reason.unreadable"),
        Reason::TooLarge => t("reason.too_large"),
        Reason::Malformed => t("reason.malformed"),
        Reason::NotAnObject => t("reason.not_an_object"),
        Reason::NoVersion => t("reason.no_version"),
        Reason::ClimbsAboveFsRoot => t("reason.climbs_above_fs_root"),
        Reason::NotLlonebot => t("reason.not_llonebot"),
        Reason::NotADataDir => t("reason.not_a_data_dir"),
        Reason::AlreadyFound => t("reason.already_found"),
        Reason::NoQqApp => t("reason.no_qq_app"),
        Reason::NotNapcat => t("reason.not_napcat"),
        Reason::Untrusted => t("reason.untrusted"),
    }
}

fn what_text(w: What) -> &'static str {
    match w {
        What::QqInstall => t("what.qq_install"),
        What::QqVersion => t("what.qq_version"),
        What::LiteloaderRoot => t("what.liteloader_root"),
        What::LiteloaderProfile => t("what.liteloader_profile"),
        What::LlonebotPlugin => t("what.llonebot_plugin"),
        What::LlonebotData => t("what.llonebot_data"),
        What::LlbotInstall => t("what.llbot_install"),
        What::NapcatDir => t("what.napcat_dir"),
        What::NapcatTemp => t("what.napcat_temp"),
    }
}

/// Why a place was taken: what it was checked for and had.
fn taken_text(w: What) -> &'static str {
    match w {
        What::QqInstall => t("taken.qq_install"),
        What::QqVersion => t("taken.qq_version"),
        What::LiteloaderRoot => t("taken.liteloader_root"),
        What::LiteloaderProfile => t("taken.liteloader_profile"),
        What::LlonebotPlugin => t("taken.llonebot_plugin"),
        What::LlonebotData => t("taken.llonebot_data"),
        What::LlbotInstall => t("taken.llbot_install"),
        What::NapcatDir => t("taken.napcat_dir"),
        What::NapcatTemp => t("taken.napcat_temp"),
    }
}

fn outcome_text(o: Outcome) -> &'static str {
    match o {
        Outcome::Taken => t("outcome.taken"),
        Outcome::Missing => t("outcome.missing"),
        Outcome::Rejected => t("outcome.rejected"),
    }
}

/// Row labels line up at the widest label of the current language.
fn label_width() -> usize {
    [
        "detect.install",
        "detect.found_via",
        "detect.build",
        "detect.version_of",
        "detect.processes",
        "detect.root",
        "detect.profile",
        "detect.data",
        "detect.plugin",
        "detect.accounts",
        "detect.connections",
        "detect.mode",
        "detect.temp",
    ]
    .iter()
    .map(|k| width(t(k)))
    .max()
    .unwrap_or(12)
        + 2
}

fn row(s: &mut String, label: &str, value: &str) {
    let _ = writeln!(s, "  {}{value}", pad(label, label_width()));
}

fn found_via(source: Source, detail: Option<&str>) -> String {
    with_detail(source_text(source), detail)
}

/// How something was found, with the detail (a PID, a file) in brackets when there is one.
fn with_detail(how: &str, detail: Option<&str>) -> String {
    match detail {
        Some(d) => format!("{how} ({})", escape(d)),
        None => how.to_string(),
    }
}

fn looked_in(s: &mut String, out: &Output, inst: &Installation, whats: &[What]) {
    let tried: Vec<&Searched> = inst
        .searched
        .iter()
        .filter(|t| whats.contains(&t.what))
        .collect();
    if tried.is_empty() {
        return;
    }
    let _ = writeln!(s, "  {}", out.paint(Tone::Dim, t("detect.looked_in")));
    for t in tried {
        let why = t.reason.map(reason_text).unwrap_or(outcome_text(t.result));
        let _ = writeln!(s, "    {}  ({why})", shown(&t.path));
    }
}

fn header(s: &mut String, out: &Output, name: &str, version: Option<&str>, found: bool) {
    header_of(s, out, name, version, found, None);
}

/// [`header`], with an instance's id after the version.
fn header_of(
    s: &mut String,
    out: &Output,
    name: &str,
    version: Option<&str>,
    found: bool,
    id: Option<&str>,
) {
    let state = match (found, version) {
        // A version is read from a file or the bot: shown with control characters escaped.
        (true, Some(v)) => out.paint(Tone::Good, &escape(v)),
        (true, None) => out.paint(Tone::Warn, t("detect.version_unknown")),
        (false, _) => out.paint(Tone::Bad, t("detect.not_found")),
    };
    let id = id
        .map(|i| format!("  {}", out.paint(Tone::Dim, &escape(i))))
        .unwrap_or_default();
    let _ = writeln!(s, "{} {state}{id}", out.paint(Tone::Bold, name));
}

fn account_rows(s: &mut String, accounts: &[Account]) {
    if accounts.is_empty() {
        row(s, t("detect.accounts"), t("detect.none"));
    }
    for (i, a) in accounts.iter().enumerate() {
        let mut parts = Vec::new();
        if a.config.is_some() {
            parts.push(t("detect.config").to_string());
        }
        if a.msg_db.is_some() {
            parts.push(tf!("detect.legacy_db", uin = a.uin));
        }
        if let Some(db) = &a.database {
            let name = db.file_name().map(|n| n.to_string_lossy().into_owned());
            let sep = std::path::MAIN_SEPARATOR;
            parts.push(format!(
                "database{sep}{}",
                escape(&name.unwrap_or_default())
            ));
        }
        let label = if i == 0 { t("detect.accounts") } else { "" };
        row(
            s,
            label,
            &format!("{}: {}", escape(&a.uin), parts.join(", ")),
        );
    }
}

/// A path for the terminal: control characters in names escaped.
fn path(p: &Path) -> String {
    shown(p)
}

pub fn render(inst: &Installation, out: &Output) -> String {
    let mut s = String::new();

    // QQ
    match &inst.qq {
        Some(q) => {
            let v = q.version.as_deref();
            header(&mut s, out, "QQ", v, true);
            row(&mut s, t("detect.install"), &path(&q.install_dir));
            row(
                &mut s,
                t("detect.found_via"),
                &found_via(q.source, q.source_detail.as_deref()),
            );
            if let Some(b) = q.build {
                row(
                    &mut s,
                    t("detect.build"),
                    &format!("{b} ({})", q.platform.as_str()),
                );
            }
            if let Some(f) = &q.version_file {
                row(&mut s, t("detect.version_of"), &path(f));
            }
        }
        None => {
            header(&mut s, out, "QQ", None, false);
            looked_in(&mut s, out, inst, &[What::QqInstall]);
        }
    }
    let procs: Vec<String> = inst
        .processes
        .iter()
        .map(|p| {
            let role = match (p.main, p.main_pid) {
                (true, _) => t("detect.main").to_string(),
                (false, Some(main)) => tf!("detect.helper_of", pid = main),
                (false, None) => t("detect.helper").to_string(),
            };
            let check = match p.verified {
                Some(true) => String::new(),
                Some(false) => format!(", {}", t("detect.not_of_install")),
                None => format!(", {}", t("detect.unverified")),
            };
            // Whose QQ it is: a bot's, or nobody's (a person's own QQ).
            let whose = inst
                .instances
                .iter()
                .find(|i| i.running.iter().any(|r| r.pid == p.pid))
                .map(|i| format!(" [{}]", escape(&i.id)))
                .unwrap_or_default();
            format!("{} ({role}{check}){whose}", p.pid)
        })
        .collect();
    if procs.is_empty() {
        row(&mut s, t("detect.processes"), t("detect.none_running"));
    } else {
        row(&mut s, t("detect.processes"), &procs.join(", "));
    }
    s.push('\n');

    // LiteLoaderQQNT
    match &inst.liteloader {
        Some(ll) => {
            header(
                &mut s,
                out,
                "LiteLoaderQQNT",
                ll.version.as_deref(),
                ll.root.is_some(),
            );
            match (&ll.root, ll.source) {
                (Some(root), Some(src)) => {
                    row(&mut s, t("detect.root"), &path(root));
                    row(
                        &mut s,
                        t("detect.found_via"),
                        &found_via(src, ll.source_detail.as_deref()),
                    );
                }
                _ => {
                    row(&mut s, t("detect.root"), t("detect.not_found"));
                    looked_in(&mut s, out, inst, &[What::LiteloaderRoot]);
                }
            }
            row(&mut s, t("detect.profile"), &path(&ll.profile));
            row(
                &mut s,
                t("detect.found_via"),
                &found_via(ll.profile_source, ll.profile_source_detail.as_deref()),
            );
            row(&mut s, t("detect.data"), &path(&ll.data_dir));
        }
        None => {
            header(&mut s, out, "LiteLoaderQQNT", None, false);
            looked_in(
                &mut s,
                out,
                inst,
                &[What::LiteloaderRoot, What::LiteloaderProfile],
            );
        }
    }
    s.push('\n');

    render_instances(&mut s, out, inst);

    if !inst.warnings.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Warn, t("detect.warnings")));
        for w in &inst.warnings {
            let _ = writeln!(
                s,
                "  {}: {}",
                shown(&w.path),
                escape(&w.problem.to_string())
            );
        }
    }

    if out.verbose > 0 {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, t("detect.searched")));
        let w_what = What::ALL
            .iter()
            .map(|w| width(what_text(*w)))
            .max()
            .unwrap_or(24)
            + 2;
        let w_out = [Outcome::Taken, Outcome::Missing, Outcome::Rejected]
            .iter()
            .map(|o| width(outcome_text(*o)))
            .max()
            .unwrap_or(8)
            + 2;
        for tr in &inst.searched {
            let mut line = format!(
                "  {}{}{}",
                pad(what_text(tr.what), w_what),
                pad(outcome_text(tr.result), w_out),
                shown(&tr.path)
            );
            if let Some(r) = tr.reason {
                let _ = write!(line, "  ({})", reason_text(r));
            } else if tr.result == Outcome::Taken {
                let _ = write!(line, "  ({})", taken_text(tr.what));
            }
            if let Some(d) = &tr.detail {
                let _ = write!(line, "  [{}]", escape(d));
            }
            let _ = writeln!(s, "{line}");
        }
    }
    s
}
