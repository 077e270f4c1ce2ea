//! Words users read first: help and man pages that name every stack (the LLOneBot plugin, LLBot,
//! NapCat, QQ's cache), hints that name the flag and the program of the user's own stack, and
//! counts with their nouns in the right number.

mod common;
mod llbot_tree;
mod napcat_tree;

use std::path::Path;
use std::process::{Command, Output};

use common::{BIN, Fixture, Os, native};
use serde_json::Value;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn bare(lang: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .env_remove("COLUMNS")
        .env("LANG", format!("{lang}.UTF-8"))
        .args(args)
        .output()
        .expect("run")
}

/// The first paragraph of a help: what the command does.
fn about(help: &str) -> String {
    help.split("\n\n")
        .next()
        .unwrap_or_default()
        .replace('\n', " ")
}

#[test]
fn help_and_man_pages_name_every_stack() {
    // (command, must it speak of QQ's own cache too?)
    let commands: [(&[&str], bool); 6] = [
        (&[], true),
        (&["detect"], true),
        (&["clean"], true),
        (&["stats"], false),
        (&["doctor"], true),
        (&["probe"], false),
    ];
    for (lang, cache) in [("en", "media cache"), ("zh", "媒体缓存")] {
        for (cmd, qq_cache) in commands {
            let mut args = cmd.to_vec();
            args.push("--help");
            let out = bare(lang, &args);
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            let about = about(&text(&out));
            for stack in ["LLOneBot", "LLBot", "NapCat"] {
                assert!(about.contains(stack), "{lang} {args:?}: {about}");
            }
            if qq_cache {
                assert!(about.contains(cache), "{lang} {args:?}: {about}");
            }
        }
    }
    // The man pages say the same in their NAME, as generated and as committed.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in [
        None,
        Some("detect"),
        Some("clean"),
        Some("stats"),
        Some("doctor"),
    ] {
        let mut args = vec!["man"];
        args.extend(sub);
        let page = String::from_utf8_lossy(&bare("en", &args).stdout).into_owned();
        let file = match sub {
            None => "doc/llob-doctor.1".to_string(),
            Some(s) => format!("doc/llob-doctor-{s}.1"),
        };
        let committed = std::fs::read_to_string(root.join(file)).expect("man page");
        for p in [&page, &committed] {
            let name = p
                .split(".SH NAME\n")
                .nth(1)
                .and_then(|r| r.lines().next())
                .unwrap_or_default();
            for stack in ["LLBot", "NapCat"] {
                assert!(name.contains(stack), "{sub:?}: {name}");
            }
        }
    }
}

#[test]
fn every_global_option_is_in_the_readmes_options_table() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let table: Vec<&str> = readme
        .split("## Options for every command")
        .nth(1)
        .expect("the options section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let help = text(&bare("en", &["detect", "--help"]));
    let globals = help
        .split("Global options:")
        .nth(1)
        .expect("global options");
    let mut longs = Vec::new();
    for l in globals.lines() {
        if let Some(i) = l.find("--") {
            let flag: String = l[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            longs.push(flag);
        }
    }
    for must in ["--llbot-dir", "--napcat-dir", "--qq-data", "--data-dir"] {
        assert!(longs.iter().any(|l| l == must), "{must} not in help");
    }
    for flag in longs.iter().filter(|f| *f != "--help") {
        assert!(
            table.iter().any(|row| row.contains(&format!("`{flag}"))),
            "{flag} is not in README.md's options table"
        );
    }
}

/// The doctor's finding `id` (null when absent).
fn finding<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["check"] == id))
        .unwrap_or(&Value::Null)
}

#[test]
fn with_no_bot_found_every_hint_names_the_llbot_and_napcat_flags() {
    let f = Fixture::new(Os::Linux);
    let detect = text(&f.run(&["--lang", "en", "detect"]));
    // The plugin's block, the first an LLBot or NapCat user reads, names their flags too.
    let plugin = detect
        .split("LLOneBot not found")
        .nth(1)
        .and_then(|b| b.split("\n\n").next())
        .unwrap_or_default();
    for flag in ["--data-dir", "--llbot-dir", "--napcat-dir"] {
        assert!(plugin.contains(flag), "{flag}: {detect}");
    }
    assert!(
        detect.contains("LLBot not found\n  point at it with --llbot-dir"),
        "{detect}"
    );
    assert!(
        detect.contains("NapCat not found\n  point at it with --napcat-dir"),
        "{detect}"
    );
    for cmd in [
        &["clean", "--dry-run"][..],
        &["check-versions"],
        &["doctor"],
        &["probe"],
    ] {
        let out = f
            .cmd()
            .args(["--lang", "en"])
            .args(cmd)
            .output()
            .expect("run");
        let all = text(&out);
        for flag in ["--llbot-dir", "--napcat-dir"] {
            assert!(all.contains(flag), "{cmd:?} lacks {flag}: {all}");
        }
    }
}

#[test]
fn a_stopped_llbot_is_told_by_its_install_not_by_a_missing_qq() {
    let f = Fixture::new(Os::Linux);
    let (install, _) = llbot_tree::linux_cli(&f);
    let dir = install.display().to_string();
    let (code, v) = f.json(&["--llbot-dir", &dir, "doctor"]);
    assert_eq!(code, 8, "{v:#}");
    // LLBot 8 runs headless by default: a missing QQ is no finding.
    assert!(finding(&v, "discovery.qq").is_null(), "{v:#}");
    let down = finding(&v, "bot.running");
    assert_eq!(
        down["message"],
        format!("LLBot installed at {dir}, not running: none of its processes was found")
    );
    let remedy = down["remedy"].as_str().unwrap_or_default();
    assert!(remedy.starts_with("start LLBot;"), "{remedy}");
    let zh = text(&f.run(&["--lang", "zh", "--llbot-dir", &dir, "doctor"]));
    assert!(
        zh.contains(&format!("LLBot 已安装在 {dir}，但未运行")),
        "{zh}"
    );
    assert!(zh.contains("启动 LLBot"), "{zh}");
    assert!(!zh.contains("--qq-dir"), "{zh}");
}

#[test]
fn probe_remedies_name_the_program_and_config_of_the_stack() {
    // LLBot: its HTTP server on a port where nothing listens.
    let f = Fixture::new(Os::Linux);
    let (install, data) = llbot_tree::linux_cli(&f);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let config = serde_json::json!({"ob11": {"enable": true, "connect": [
        {"type": "http", "enable": true, "port": port, "host": "127.0.0.1", "token": ""}
    ]}});
    f.write(&data.join("config_70007.json"), config.to_string());
    let (_, v) = f.json(&["--llbot-dir", &install.display().to_string(), "probe"]);
    let p = finding(&v, "probe.70007");
    assert_eq!(p["severity"], "fail", "{v:#}");
    let remedy = p["remedy"].as_str().unwrap_or_default();
    assert!(remedy.starts_with("start LLBot,"), "{remedy}");
    assert!(remedy.contains("LLBot's config"), "{remedy}");
    assert!(!remedy.contains("QQ"), "{remedy}");

    // NapCat with no HTTP server: how to turn on NapCat's, not LLOneBot's.
    let f = Fixture::new(Os::Linux);
    let nc = f.p("/srv/napcat");
    napcat_tree::napcat_folder(&f, &nc, "123456");
    let (_, v) = f.json(&["--napcat-dir", &nc.display().to_string(), "probe"]);
    let p = finding(&v, "probe.123456");
    assert_eq!(
        p["message"],
        "123456: NapCat's HTTP API is off (or has no port) for this account: not asked"
    );
    let remedy = p["remedy"].as_str().unwrap_or_default();
    assert!(remedy.contains("httpServers"), "{remedy}");
    assert!(
        remedy.contains(&native("config/onebot11_<uin>.json").display().to_string()),
        "{remedy}"
    );
    assert!(!remedy.contains("LLOneBot"), "{remedy}");
}

#[test]
fn llbot_8s_timeout_remedy_is_not_quit_qq_and_remove_msg() {
    let f = Fixture::new(Os::Linux);
    let (install, data) = llbot_tree::linux_cli(&f);
    std::fs::remove_dir_all(data.join("logs")).expect("logs");
    f.write(
        &data.join(native("logs/llbot-2026-7-20 12-00-00.log")),
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(native("tests/samples/logs/llbot-2026-7-20 12-00-00.log")),
        )
        .expect("sample"),
    );
    let dir = install.display().to_string();
    let (_, v) = f.json(&["--llbot-dir", &dir, "doctor", "--since", "2026-07-01"]);
    let t = finding(&v, "timeouts");
    assert_ne!(t["severity"], "ok", "{v:#}");
    let remedy = t["remedy"].as_str().unwrap_or_default();
    assert!(
        !remedy.contains("quit QQ") && !remedy.contains("remove msg_"),
        "{remedy}"
    );
    assert!(
        remedy.starts_with("LLBot 8 keeps no msg_* to remove"),
        "{remedy}"
    );
}

#[test]
fn check_versions_does_not_miss_liteloader_for_a_napcat_user() {
    let f = Fixture::new(Os::Linux);
    let nc = f.p("/srv/napcat");
    napcat_tree::napcat_folder(&f, &nc, "123456");
    let dir = nc.display().to_string();
    let (_, v) = f.json(&["--napcat-dir", &dir, "check-versions"]);
    let missing = v["not_found"].as_array().cloned().unwrap_or_default();
    assert!(!missing.contains(&Value::from("liteloader")), "{v:#}");
    assert!(!missing.contains(&Value::from("llonebot")), "{v:#}");
    let out = text(&f.run(&["--lang", "en", "--napcat-dir", &dir, "check-versions"]));
    assert!(!out.contains("LiteLoaderQQNT not found"), "{out}");
    assert!(!out.contains("--ll-dir"), "{out}");
}

#[test]
fn one_napcat_log_file_is_one_file() {
    let f = Fixture::new(Os::Linux);
    let nc = f.p("/srv/napcat");
    // Its one log file is from 2026-03: older than NapCat keeps them.
    napcat_tree::napcat_folder(&f, &nc, "123456");
    let day = std::time::Duration::from_secs(24 * 3600);
    common::set_mtime(
        &nc.join(native("logs/2026-03-01_10-00-00.123.log")),
        std::time::SystemTime::now() - 30 * day,
    );
    let (_, v) = f.json(&["--napcat-dir", &nc.display().to_string(), "doctor"]);
    assert_eq!(
        finding(&v, "napcat.logs")["message"],
        "1 NapCat log file is older than 7 days, though NapCat deletes those when it starts",
        "{v:#}"
    );
    let out = text(&f.run(&[
        "--lang",
        "en",
        "stats",
        &nc.join("logs").display().to_string(),
    ]));
    assert!(out.contains("1 log file, 2 lines"), "{out}");
}

/// A clean environment whose home and config live in `home`, with no way to reach a real
/// systemd user manager.
#[cfg(unix)]
fn isolated(home: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", home.join("no-bus").display()),
        );
    std::fs::create_dir_all(home.join("run")).expect("run dir");
    c
}

#[cfg(unix)]
#[test]
fn schedule_show_says_entries_and_files_of_the_last_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let out = isolated(&home)
        .args(["schedule", "install", "--systemd", "--at", "04:30"])
        .output()
        .expect("run");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out));
    // The run log's line as `clean --log-file` writes it: one row per target.
    let log = home.join(".local/share/llob-doctor/clean.log");
    std::fs::create_dir_all(log.parent().expect("parent")).expect("log dir");
    let row = |path: &str, files: u64, entries: u64| {
        serde_json::json!({"kind": "temp", "uin": null, "path": path, "files": files,
            "bytes": 1000, "entries": entries, "complete": true})
    };
    let line = |rows: Vec<Value>, freed: u64| {
        serde_json::json!({"time": "2026-11-28T04:30:02Z", "command": "clean", "exit_code": 0,
            "removed": rows, "freed_bytes": freed, "failed": 0, "error": null})
        .to_string()
    };
    let big = line(
        vec![
            row("/srv/a/data/temp", 24_000, 30),
            row("/srv/a/data/logs", 654, 8),
        ],
        1_288_490_189,
    );
    std::fs::write(&log, format!("{big}\n")).expect("log");
    let show = |lang: &str| {
        let out = isolated(&home)
            .args(["--lang", lang, "schedule", "show", "--systemd"])
            .output()
            .expect("run");
        text(&out)
    };
    let en = show("en");
    assert!(
        en.contains("2026-11-28T04:30:02Z, exit 0, removed 38 entries (24,654 files, 1.2 GiB)"),
        "{en}"
    );
    let zh = show("zh");
    assert!(zh.contains("删除 38 项（24,654 个文件，1.2 GiB）"), "{zh}");
    let out = isolated(&home)
        .args(["--json", "schedule", "show", "--systemd"])
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        v["jobs"][0]["last_run"]
            .as_str()
            .is_some_and(|l| l.ends_with("removed 38 entries (24,654 files, 1.2 GiB)")),
        "{v:#}"
    );
    // One of each: singular.
    let small = line(vec![row("/srv/a/data/temp", 1, 1)], 1000);
    std::fs::write(&log, format!("{big}\n{small}\n")).expect("log");
    let en = show("en");
    assert!(en.contains("removed 1 entry (1 file, "), "{en}");
}
