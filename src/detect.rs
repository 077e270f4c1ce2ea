//! `llob-doctor detect`: the installation, and how each part of it was found.

use std::fmt::Write;
use std::path::Path;

use crate::App;
use crate::discover::{Installation, Outcome, Reason, Searched, Source, What};
use crate::exit::Exit;
use crate::output::{Output, Tone};

pub fn run(app: &App) -> anyhow::Result<Exit> {
    let inst = app.discover()?;
    app.out.emit(&inst, || render(&inst, &app.out))?;
    Ok(if inst.data_dir().is_some() {
        Exit::Ok
    } else {
        Exit::NotFound
    })
}

pub fn source_text(s: Source) -> &'static str {
    match s {
        Source::Flag => "command-line flag",
        Source::Process => "running QQ process",
        Source::Registry => "Windows registry",
        Source::WellKnown => "well-known location",
        Source::Launcher => "QQ's launcher require()",
        Source::IndexJs => "require() in QQ's app_launcher/index.js",
        Source::EnvVar => "LITELOADERQQNT_PROFILE",
        Source::QqEnviron => "LITELOADERQQNT_PROFILE of the running QQ",
        Source::ShellRc => "LITELOADERQQNT block in a shell start-up file",
        Source::UserEnvironment => "Windows user environment",
        Source::Flatpak => "Flatpak QQ's usual profile",
        Source::Root => "no profile set: the root",
        Source::Profile => "<profile>/data/LLOneBot",
    }
}

pub fn reason_text(r: Reason) -> &'static str {
    match r {
        Reason::NotADirectory => "not a folder",
        Reason::NoQqExecutable => "no QQ executable inside",
        Reason::NotLiteloaderRoot => "no package.json named liteloader-qqnt",
        Reason::SandboxOnly => "a path inside the Flatpak sandbox",
        Reason::MappedFromSandbox => "mapped from the Flatpak sandbox",
        Reason::NapcatLoader => "QQ is hooked by NapCat, not LiteLoaderQQNT",
        Reason::OriginalQqMain => "QQ's original entry point: no LiteLoaderQQNT hook",
        Reason::NoRequire => "no require() of a path",
        Reason::Unreadable => "unreadable",
        Reason::Malformed => "malformed",
        Reason::NoVersion => "no version in it",
        Reason::NotLlonebot => "no plugin with slug LLOneBot",
        Reason::NotADataDir => "not an LLOneBot data folder",
        Reason::AlreadyFound => "already found",
    }
}

fn what_text(w: What) -> &'static str {
    match w {
        What::QqInstall => "QQ install",
        What::QqVersion => "QQ version",
        What::LiteloaderRoot => "LiteLoaderQQNT root",
        What::LiteloaderProfile => "LiteLoaderQQNT profile",
        What::LlonebotPlugin => "LLOneBot plugin",
        What::LlonebotData => "LLOneBot data",
    }
}

fn outcome_text(o: Outcome) -> &'static str {
    match o {
        Outcome::Taken => "taken",
        Outcome::Missing => "missing",
        Outcome::Rejected => "rejected",
    }
}

const LABEL: usize = 12;

fn row(s: &mut String, label: &str, value: &str) {
    let _ = writeln!(s, "  {label:<LABEL$}{value}");
}

fn found_via(source: Source, detail: Option<&str>) -> String {
    match detail {
        Some(d) => format!("{} ({d})", source_text(source)),
        None => source_text(source).to_string(),
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
    let _ = writeln!(s, "  {}", out.paint(Tone::Dim, "looked in:"));
    for t in tried {
        let why = t.reason.map(reason_text).unwrap_or(outcome_text(t.result));
        let _ = writeln!(s, "    {}  ({why})", t.path.display());
    }
}

fn header(s: &mut String, out: &Output, name: &str, version: Option<&str>, found: bool) {
    let state = match (found, version) {
        (true, Some(v)) => out.paint(Tone::Good, v),
        (true, None) => out.paint(Tone::Warn, "version unknown"),
        (false, _) => out.paint(Tone::Bad, "not found"),
    };
    let _ = writeln!(s, "{} {state}", out.paint(Tone::Bold, name));
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

pub fn render(inst: &Installation, out: &Output) -> String {
    let mut s = String::new();

    // QQ
    match &inst.qq {
        Some(q) => {
            let v = q.version.as_deref();
            header(&mut s, out, "QQ", v, true);
            row(&mut s, "install", &path(&q.install_dir));
            row(
                &mut s,
                "found via",
                &found_via(q.source, q.source_detail.as_deref()),
            );
            if let Some(b) = q.build {
                row(&mut s, "build", &format!("{b} ({})", q.platform.as_str()));
            }
            if let Some(f) = &q.version_file {
                row(&mut s, "version of", &path(f));
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
            let role = if p.main { "main" } else { "helper" };
            let check = match p.verified {
                Some(true) => "",
                Some(false) => ", not of this install",
                None => ", unverified",
            };
            format!("{} ({role}{check})", p.pid)
        })
        .collect();
    if procs.is_empty() {
        row(&mut s, "processes", "none running");
    } else {
        row(&mut s, "processes", &procs.join(", "));
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
                    row(&mut s, "root", &path(root));
                    row(
                        &mut s,
                        "found via",
                        &found_via(src, ll.source_detail.as_deref()),
                    );
                }
                _ => {
                    row(&mut s, "root", "not found");
                    looked_in(&mut s, out, inst, &[What::LiteloaderRoot]);
                }
            }
            row(&mut s, "profile", &path(&ll.profile));
            row(
                &mut s,
                "found via",
                &found_via(ll.profile_source, ll.profile_source_detail.as_deref()),
            );
            row(&mut s, "data", &path(&ll.data_dir));
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

    // LLOneBot
    match &inst.llonebot {
        Some(l) => {
            header(&mut s, out, "LLOneBot", l.version.as_deref(), true);
            match &l.plugin_dir {
                Some(p) => row(&mut s, "plugin", &path(p)),
                None if l.standalone => row(&mut s, "plugin", "none (standalone data folder)"),
                None => row(&mut s, "plugin", "not found"),
            }
            let data = if l.data_dir_exists {
                path(&l.data_dir)
            } else {
                format!(
                    "{} ({})",
                    path(&l.data_dir),
                    out.paint(Tone::Warn, "does not exist yet")
                )
            };
            row(&mut s, "data", &data);
            row(&mut s, "found via", source_text(l.source));
            if l.accounts.is_empty() {
                row(&mut s, "accounts", "none");
            }
            for (i, a) in l.accounts.iter().enumerate() {
                let mut parts = Vec::new();
                if a.config.is_some() {
                    parts.push("config".to_string());
                }
                if a.msg_db.is_some() {
                    parts.push(format!("msg_{} (legacy LevelDB)", a.uin));
                }
                if let Some(db) = &a.database {
                    let name = db.file_name().map(|n| n.to_string_lossy().into_owned());
                    parts.push(format!("database/{}", name.unwrap_or_default()));
                }
                let label = if i == 0 { "accounts" } else { "" };
                row(&mut s, label, &format!("{}: {}", a.uin, parts.join(", ")));
            }
        }
        None => {
            header(&mut s, out, "LLOneBot", None, false);
            looked_in(
                &mut s,
                out,
                inst,
                &[What::LlonebotPlugin, What::LlonebotData],
            );
            let _ = writeln!(
                s,
                "  {}",
                out.paint(
                    Tone::Dim,
                    "point at it with --data-dir DIR, --profile DIR or --ll-dir DIR"
                )
            );
        }
    }

    if !inst.warnings.is_empty() {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Warn, "Warnings"));
        for w in &inst.warnings {
            let _ = writeln!(s, "  {}: {}", w.path.display(), w.problem);
        }
    }

    if out.verbose > 0 {
        let _ = writeln!(s, "\n{}", out.paint(Tone::Bold, "Searched"));
        for t in &inst.searched {
            let mut line = format!(
                "  {:<24}{:<10}{}",
                what_text(t.what),
                outcome_text(t.result),
                t.path.display()
            );
            if let Some(r) = t.reason {
                let _ = write!(line, "  ({})", reason_text(r));
            }
            if let Some(d) = &t.detail {
                let _ = write!(line, "  [{d}]");
            }
            let _ = writeln!(s, "{line}");
        }
    }
    s
}
