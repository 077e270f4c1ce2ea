//! Reads that cannot hang or balloon: every file llob-doctor reads may be a FIFO, a device or a
//! huge file in the place of a config, a launcher, a log or the run log. Each command must
//! finish, name the file it refused, and stay within a bounded amount of memory.
//!
//! Runs are watched: one still running after a minute is killed and the test fails as hung
//! (a hang, not a slowness: the runs take well under a second). Memory is capped with
//! `RLIMIT_AS`, so a run that would read `/dev/zero` into memory fails instead of filling the
//! machine.
#![cfg(unix)]

mod common;
mod napcat_tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Fixture, Os, native};

/// Address space a run may use: far above what any run needs (threads' stacks included).
const MEMORY_CAP: u64 = 4 << 30;

/// Runs `cmd` with its memory capped; a run that is still going after a minute is killed
/// and fails the test as hung (`common::watch`).
fn bounded(mut cmd: Command, what: &str) -> Output {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: MEMORY_CAP as libc::rlim_t,
                rlim_max: MEMORY_CAP as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    common::watch::run_within(&mut cmd, what)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Did a run end by itself, with an exit code (not killed by a signal or an abort)?
fn ended(o: &Output, what: &str) {
    assert!(
        o.status.code().is_some_and(|c| c != 101),
        "{what}: ended by {:?}\n{}",
        o.status,
        text(o)
    );
}

fn mkfifo(p: &Path) {
    let _ = fs::remove_file(p);
    let ok = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(ok.success(), "mkfifo {}", p.display());
}

fn run_log(f: &Fixture) -> PathBuf {
    f.p("/home/alice/.local/share/llob-doctor/clean.log")
}

/// Every command that reads files, as a user runs them.
const COMMANDS: [&[&str]; 5] = [
    &["detect", "-v"],
    &["doctor"],
    &["stats"],
    &["clean", "--dry-run"],
    &["clean", "--dry-run", "--qq-cache"],
];

/// The files of a Linux install that llob-doctor reads, each swapped in turn for a FIFO:
/// the account's config, QQ's versions config and package.json, the launcher, the shell
/// start-up file, LiteLoaderQQNT's package.json, the plugin's manifest, a log, the run log,
/// QQ's mmkv and the inspected disk's passwd file. No command may hang on any of them, and
/// the commands that read the file must name it.
#[test]
fn a_fifo_in_place_of_any_file_read_never_hangs_and_is_named() {
    let cases: [(&str, &str, bool); 11] = [
        (
            "config",
            "/home/alice/.config/LiteLoaderQQNT/data/LLOneBot/config_1511954122.json",
            true,
        ),
        (
            "versions",
            "/home/alice/.config/QQ/versions/config.json",
            true,
        ),
        ("package", "/opt/QQ/resources/app/package.json", true),
        (
            "launcher",
            "/opt/QQ/resources/app/app_launcher/ml_install.js",
            true,
        ),
        ("rc", "/home/alice/.bashrc", true),
        (
            "ll package",
            "/home/alice/.local/share/LiteLoaderQQNT/package.json",
            true,
        ),
        (
            "manifest",
            "/home/alice/.config/LiteLoaderQQNT/plugins/llonebot/manifest.json",
            true,
        ),
        (
            "log",
            "/home/alice/.config/LiteLoaderQQNT/data/LLOneBot/logs/llonebot-2024-08-03 10-00-00.log",
            true,
        ),
        (
            "run log",
            "/home/alice/.local/share/llob-doctor/clean.log",
            true,
        ),
        (
            "mmkv",
            "/home/alice/.config/QQ/global/nt_data/mmkv/mmkv.default",
            false,
        ),
        ("passwd", "/etc/passwd", false),
    ];
    for (what, file, named) in cases {
        let f = Fixture::new(Os::Linux);
        f.linux_installer();
        f.mkdir(&f.p("/home/alice/.config/QQ/nt_qq_0123456789abcdef0123456789abcdef/nt_data/Pic"));
        let fifo = f.p(file);
        fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        mkfifo(&fifo);
        let mut said = false;
        for args in COMMANDS {
            let label = format!("{what}: {}", args.join(" "));
            let mut cmd = f.cmd();
            cmd.args(args);
            let out = bounded(cmd, &label);
            ended(&out, &label);
            let all = text(&out);
            let name = fifo.file_name().unwrap().to_string_lossy().into_owned();
            said |= all.contains(&name) && all.contains("FIFO");
        }
        assert!(
            said || !named,
            "{what}: no command named {} as a FIFO",
            fifo.display()
        );
    }
}

/// The binary on this machine's own paths (no `--fs-root`, where a link to `/dev/zero` would
/// be read inside the inspected disk), its home and data folder in the fixture, the data dir
/// given by flag.
fn unrooted(f: &Fixture, data: &Path) -> Command {
    let mut c = Command::new(common::BIN);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", f.home())
        .env("XDG_DATA_HOME", f.home().join(native(".local/share")))
        .arg("--data-dir")
        .arg(data)
        .args(["--color", "never"]);
    c
}

/// The run log as `/dev/zero` (a link to it), and as a huge sparse file: `doctor` reads only
/// its end (it once grew to 5.7 GB in 10 s on `/dev/zero`), and says what is wrong with it.
#[test]
fn the_run_log_is_read_by_its_tail_never_whole() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    let log = run_log(&f);
    fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &log).unwrap();
    let mut cmd = unrooted(&f, &data);
    cmd.args(["--json", "doctor"]);
    let out = bounded(cmd, "doctor, /dev/zero run log");
    ended(&out, "doctor, /dev/zero run log");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "timeouts.run_log")
        .unwrap_or_else(|| panic!("no finding about the run log: {v:#}"));
    assert_eq!(finding["severity"], "warn");
    assert!(
        finding["message"].as_str().unwrap().contains("device"),
        "{finding:#}"
    );

    // A sparse file far larger than the memory cap, with the last clean at its end.
    fs::remove_file(&log).unwrap();
    let file = fs::File::create(&log).unwrap();
    file.set_len(64 << 30).unwrap();
    drop(file);
    let line = r#"{"time":"2026-01-02T03:04:05Z","command":"clean","dry_run":false,"removed":["x"],"exit_code":0}"#;
    let mut file = fs::OpenOptions::new().append(true).open(&log).unwrap();
    use std::io::Write;
    writeln!(file, "{line}").unwrap();
    drop(file);
    let mut cmd = unrooted(&f, &data);
    cmd.args(["--json", "doctor"]);
    let out = bounded(cmd, "doctor, 64 GiB run log");
    ended(&out, "doctor, 64 GiB run log");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "timeouts.run_log"),
        "a regular run log is no finding: {v:#}"
    );
}

/// NapCat's `napcat.mjs` (read for the version) as a FIFO and as `/dev/zero`.
#[test]
fn napcat_main_file_as_a_fifo_or_a_device() {
    for make in ["fifo", "zero"] {
        let f = Fixture::new(Os::Linux);
        let nc = napcat_tree::linux_installer(&f);
        let main = nc.join("napcat.mjs");
        match make {
            "fifo" => mkfifo(&main),
            _ => {
                fs::remove_file(&main).unwrap();
                std::os::unix::fs::symlink("/dev/zero", &main).unwrap();
            }
        }
        for args in COMMANDS {
            let label = format!("napcat.mjs {make}: {}", args.join(" "));
            let mut cmd = f.cmd();
            cmd.args(args);
            let out = bounded(cmd, &label);
            ended(&out, &label);
        }
    }
}

/// An account's `config_<uin>.json` that is a folder, a link loop or a link to `/dev/zero`:
/// the account is still found, and `doctor` says what is wrong with its config (it used to
/// drop the account without a word).
#[test]
fn a_config_that_is_not_a_file_is_a_finding() {
    let cases = ["folder", "loop", "zero"];
    for case in cases {
        let f = Fixture::new(Os::Linux);
        let data = f.linux_installer();
        let cfg = data.join("config_20002.json");
        fs::remove_file(&cfg).unwrap();
        match case {
            "folder" => fs::create_dir(&cfg).unwrap(),
            "loop" => std::os::unix::fs::symlink("config_20002.json", &cfg).unwrap(),
            _ => std::os::unix::fs::symlink("/dev/zero", &cfg).unwrap(),
        }
        let mut cmd = f.cmd();
        cmd.args(["--json", "doctor"]);
        let out = bounded(cmd, case);
        ended(&out, case);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let finding = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "config.20002")
            .unwrap_or_else(|| panic!("{case}: no finding about config_20002.json: {v:#}"));
        assert_eq!(finding["severity"], "fail", "{case}: {finding:#}");
        let message = finding["message"].as_str().unwrap();
        assert!(message.contains("config_20002.json"), "{case}: {message}");
        let why = match case {
            "folder" => "a folder",
            "loop" => "symbolic links",
            _ => "a device",
        };
        assert!(message.contains(why), "{case}: {message}");
    }
}

/// `stats` given a FIFO or a device by name refuses it by name, at once.
#[test]
fn stats_refuses_a_fifo_or_a_device_given_by_name() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let fifo = f.tmp.path().join("given.log");
    mkfifo(&fifo);
    for p in [fifo.as_path(), Path::new("/dev/zero")] {
        let mut cmd = f.cmd();
        cmd.arg("stats").arg(p);
        let out = bounded(cmd, &p.display().to_string());
        ended(&out, &p.display().to_string());
        assert_ne!(out.status.code(), Some(0));
        let all = text(&out);
        assert!(
            all.contains(&p.display().to_string()) && all.contains("not a regular file"),
            "{all}"
        );
    }
}

/// `schedule show` reads the last line of the run log: a FIFO there is named, never waited on.
#[test]
fn schedule_show_names_a_run_log_it_cannot_read() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    fs::create_dir_all(home.join("run")).unwrap();
    let isolated = || {
        let mut c = Command::new(common::BIN);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", home.join("no-bus").display()),
            );
        c
    };
    let mut install = isolated();
    install.args(["schedule", "install", "--systemd", "--at", "03:15"]);
    let out = bounded(install, "schedule install");
    ended(&out, "schedule install");
    let log = home.join(native(".local/share/llob-doctor/clean.log"));
    fs::create_dir_all(log.parent().unwrap()).unwrap();
    mkfifo(&log);
    let mut show = isolated();
    show.args(["schedule", "show", "--systemd"]);
    let out = bounded(show, "schedule show");
    ended(&out, "schedule show");
    let all = text(&out);
    assert!(
        all.contains(&log.display().to_string()) && all.contains("FIFO"),
        "{all}"
    );
}
