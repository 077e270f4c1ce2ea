//! LLBot / standalone LLOneBot (5.x – 8.x): found in each layout its installers make (the 5.x zip,
//! the CLI's `bin/llbot/data`, a Docker volume, the image's `/app/llbot`), cleaned from its own
//! table with its must-keep files left alone, and (Unix) refused, stopped and restarted as a
//! whole while its launcher runs.

mod common;

#[cfg(unix)]
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{Fixture, Os, native, sample};
use serde_json::Value;

/// A data dir as LLBot 8 leaves it: a 4.x+ config, the device identity, the session, tokens,
/// a v3 store, logs of each name family, temp files, and a file nobody knows.
fn llbot_data(f: &Fixture, data: &Path, uin: &str) {
    let config = serde_json::json!({
        "ob11": {"enable": true, "connect": [
            {"type": "ws", "enable": true, "port": 3001, "host": "127.0.0.1", "token": ""},
            {"type": "http", "enable": false, "port": 3000, "host": "", "token": ""}
        ]},
        "webui": {"enable": true, "port": 3080},
        "log": true
    });
    f.write(&data.join(format!("config_{uin}.json")), config.to_string());
    for keep in never_cleaned(uin) {
        f.write(&data.join(keep), b"keep me");
    }
    f.write(
        &data.join(native(&format!("database/{uin}.v3.db"))),
        "SQLite format 3\0",
    );
    f.write(
        &data.join(native(&format!("database/{uin}.v3.db-wal"))),
        "wal",
    );
    f.write(&data.join(native("temp/upload-1.jpg")), vec![3u8; 5000]);
    f.write(&data.join(native("temp/conv/a.silk")), vec![4u8; 700]);
    for log in [
        "llonebot-2025-6-1 09-00-00.log",
        "lltwobot-2025-9-1 09-00-00.log",
        "llbot-2026-7-1 09-00-00.log",
    ] {
        f.write(
            &data.join("logs").join(log),
            sample("llonebot-log-excerpt-3.27.3.txt"),
        );
    }
}

/// What must survive any clean (DOMAIN: "Never clean"), plus a file the tool does not know.
fn never_cleaned(uin: &str) -> Vec<String> {
    vec![
        "machine_guid.bin".into(),
        format!("qq-session-{uin}.json"),
        "auth_token.txt".into(),
        "webui_token.txt".into(),
        "email_config.json".into(),
        "default_config.json".into(),
        "notes-from-the-user.txt".into(),
        native("logs/something-else.log").display().to_string(),
    ]
}

/// The program beside its `package.json`, as the zip and the CLI ship it.
fn program(f: &Fixture, dir: &Path, script: &str, name: &str, version: &str) {
    f.write(&dir.join(script), "// llbot\n");
    let pkg =
        serde_json::json!({"name": name, "version": version, "type": "module", "main": script});
    f.write(&dir.join("package.json"), pkg.to_string());
}

/// The 2026 CLI on Linux: `llbot`, `bin/llbot/{llbot.js,package.json,data}`, `bin/pmhq/pmhq`.
fn linux_cli(f: &Fixture) -> (PathBuf, PathBuf) {
    let install = f.p("/opt/llbot");
    f.write(&install.join("llbot"), b"\x7fELF");
    f.write(&install.join(native("bin/pmhq/pmhq")), b"\x7fELF");
    program(
        f,
        &install.join(native("bin/llbot")),
        "llbot.js",
        "llonebot-dist",
        "8.1.7",
    );
    let data = install.join(native("bin/llbot/data"));
    llbot_data(f, &data, "70007");
    (install, data)
}

fn bots(v: &Value) -> Vec<Value> {
    v["bots"].as_array().cloned().unwrap_or_default()
}

fn the_llbot(v: &Value) -> Value {
    bots(v)
        .into_iter()
        .find(|b| b["stack"] == "llbot")
        .unwrap_or_else(|| panic!("no LLBot in {v:#}"))
}

#[test]
fn the_cli_layout_is_found_from_its_install_folder() {
    let f = Fixture::new(Os::Linux);
    let (install, data) = linux_cli(&f);
    let dir = install.display().to_string();
    let (code, v) = f.json(&["--llbot-dir", &dir, "detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = the_llbot(&v);
    assert_eq!(b["kind"], "llonebot");
    assert_eq!(b["version"], "8.1.7");
    assert_eq!(Path::new(b["data_dir"].as_str().unwrap()), data);
    assert_eq!(b["found_via"], "flag");
    assert_eq!(b["accounts"][0]["uin"], "70007");
    assert_eq!(b["processes"], serde_json::json!([]));
    // The plugin's block stays, empty: there is no plugin here.
    assert!(v["llonebot"].is_null());
    // Enabled connections only, with whether a token guards them.
    assert_eq!(
        b["connections"],
        serde_json::json!([{"uin": "70007", "connections": [
            {"type": "ws", "port": 3001, "host": "127.0.0.1", "token_set": false}
        ]}])
    );
    let out = f.run(&["--llbot-dir", &dir, "detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("LLBot 8.1.7"), "{text}");
    assert!(text.contains("70007"), "{text}");
    assert!(text.contains("70007: ws:3001 (no token)"), "{text}");
    assert!(
        !text.contains("http:3000"),
        "a disabled connection is not listed: {text}"
    );
}

#[test]
fn the_windows_zip_layout_reads_its_version_and_data() {
    let f = Fixture::new(Os::Windows);
    let install = f.p(r"D:\LLOneBot");
    program(&f, &install, "llonebot.js", "llonebot", "5.0.0");
    let data = install.join("data");
    llbot_data(&f, &data, "80008");
    let (code, v) = f.json(&["--llbot-dir", &install.display().to_string(), "detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = the_llbot(&v);
    assert_eq!(b["version"], "5.0.0");
    assert_eq!(Path::new(b["data_dir"].as_str().unwrap()), data);
}

#[test]
fn the_docker_image_folder_is_found_without_flags() {
    // LLBot 8 headless as the image runs it: WORKDIR /app/llbot, data in /app/llbot/data.
    let f = Fixture::new(Os::Linux);
    let install = f.p("/app/llbot");
    program(&f, &install, "llbot.js", "llonebot-dist", "8.0.12");
    llbot_data(&f, &install.join("data"), "90009");
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = the_llbot(&v);
    assert_eq!(b["found_via"], "well_known");
    assert_eq!(b["version"], "8.0.12");
    assert!(b["version_note"].is_null());
}

#[test]
fn a_package_json_older_than_the_program_is_called_stale() {
    let f = Fixture::new(Os::Linux);
    let (install, _) = linux_cli(&f);
    let pkg = install.join(native("bin/llbot/package.json"));
    common::set_mtime(&pkg, SystemTime::now() - Duration::from_secs(3 * 86_400));
    let (_, v) = f.json(&["--llbot-dir", &install.display().to_string(), "detect"]);
    let note = the_llbot(&v)["version_note"].to_string();
    assert!(note.contains("package.json"), "{note}");
}

#[test]
fn a_docker_volume_keeps_every_must_keep_file_through_a_full_clean() {
    // A host folder mounted at /app/llbot/data (the install script's ./llbot_config).
    let f = Fixture::new(Os::Linux);
    let data = f.p("/home/alice/llbot_config");
    llbot_data(&f, &data, "70007");
    let d = data.display().to_string();
    let (code, v) = f.json(&["--data-dir", &d, "clean", "--yes", "--logs", "--database"]);
    assert_eq!(code, 0, "{v:#}");
    for keep in never_cleaned("70007")
        .into_iter()
        .chain(["config_70007.json".to_string()])
    {
        assert!(data.join(&keep).exists(), "{keep} was removed");
    }
    for gone in [
        "temp/upload-1.jpg",
        "temp/conv",
        "logs/llonebot-2025-6-1 09-00-00.log",
        "logs/lltwobot-2025-9-1 09-00-00.log",
        "logs/llbot-2026-7-1 09-00-00.log",
        "database/70007.v3.db",
        "database/70007.v3.db-wal",
    ] {
        assert!(!data.join(native(gone)).exists(), "{gone} is still there");
    }
    assert!(data.join("temp").is_dir(), "temp/ itself stays");
    let targets = v["targets"].as_array().unwrap();
    assert!(!targets.is_empty());
    assert!(targets.iter().all(|t| t["bot"] == "llonebot"), "{v:#}");
    let (_, v) = f.json(&["--data-dir", &d, "detect"]);
    assert_eq!(the_llbot(&v)["found_via"], "flag");
}

/// The doctor's finding with this id (null when absent).
fn finding(v: &Value, id: &str) -> Value {
    v["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["check"] == id))
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn doctor_judges_the_llbot_version_and_its_open_connections() {
    let f = Fixture::new(Os::Linux);
    let (install, data) = linux_cli(&f);
    let pkg = install.join(native("bin/llbot/package.json"));
    let older = serde_json::json!({"name": "llonebot-dist", "version": "8.0.10"});
    f.write(&pkg, older.to_string());
    let open = serde_json::json!({"ob11": {"enable": true, "connect": [
        {"type": "http", "enable": true, "port": 3000, "host": "0.0.0.0", "token": ""}
    ]}});
    f.write(&data.join("config_70007.json"), open.to_string());
    let (code, v) = f.json(&["--llbot-dir", &install.display().to_string(), "doctor"]);
    assert_eq!(code, 1, "{v:#}");
    let find = |id: &str| finding(&v, id);
    let ver = find("versions.llbot");
    assert_eq!(ver["severity"], "warn", "{v:#}");
    assert!(ver["message"].to_string().contains("8.0.12"), "{ver:#}");
    let conn = find("config.70007.connections");
    assert_eq!(conn["severity"], "warn", "{v:#}");
    assert_eq!(
        conn["data"]["open_without_token"],
        serde_json::json!(["http:3000"])
    );
    // LLBot needs no LiteLoaderQQNT: not reported missing.
    assert!(find("discovery.liteloader").is_null(), "{v:#}");
    // 8.0.12 and newer: ok.
    let newer = serde_json::json!({"name": "llonebot-dist", "version": "8.0.12"});
    f.write(&pkg, newer.to_string());
    let (_, v) = f.json(&["--llbot-dir", &install.display().to_string(), "doctor"]);
    assert_eq!(finding(&v, "versions.llbot")["severity"], "ok", "{v:#}");
}

#[cfg(unix)]
#[test]
fn service_commands_stop_and_start_the_bot_and_are_checked() {
    // As with `docker stop llbot` / `docker start llbot`: the tool runs them and checks the codes.
    let f = Fixture::new(Os::Linux);
    let data = f.p("/home/alice/llbot_config");
    llbot_data(&f, &data, "70007");
    let d = data.display().to_string();
    let trail = f.tmp.path().join("service.txt");
    let stop = format!("echo stopped >> '{}'", trail.display());
    let start = format!("echo started >> '{}'", trail.display());
    let (code, v) = f.json(&[
        "--data-dir",
        &d,
        "clean",
        "--yes",
        "--stop-cmd",
        &stop,
        "--start-cmd",
        &start,
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(fs::read_to_string(&trail).unwrap(), "stopped\nstarted\n");
    assert_eq!(v["qq"]["stop_cmd"]["exit_code"], 0, "{v:#}");
    assert_eq!(v["qq"]["start_cmd"]["exit_code"], 0, "{v:#}");
    assert!(!data.join(native("temp/upload-1.jpg")).exists());

    // A failing stop command: refused, nothing removed, nothing started.
    f.write(&data.join(native("temp/again.jpg")), b"x");
    let (code, v) = f.json(&[
        "--data-dir",
        &d,
        "clean",
        "--yes",
        "--stop-cmd",
        "exit 3",
        "--start-cmd",
        &start,
    ]);
    assert_eq!(code, 4, "{v:#}");
    assert!(v["error"].as_str().unwrap().contains("exit 3"), "{v:#}");
    assert!(data.join(native("temp/again.jpg")).exists());
    assert_eq!(fs::read_to_string(&trail).unwrap(), "stopped\nstarted\n");

    // A failing start command: the clean is done, but the bot is down, and the exit code says so.
    let (code, v) = f.json(&[
        "--data-dir",
        &d,
        "clean",
        "--yes",
        "--stop-cmd",
        &stop,
        "--start-cmd",
        "exit 9",
    ]);
    assert_eq!(code, 7, "{v:#}");
    assert_eq!(v["qq"]["start_cmd"]["exit_code"], 9, "{v:#}");
    assert!(!data.join(native("temp/again.jpg")).exists());
}

#[cfg(unix)]
mod running {
    use super::*;
    use common::alive;
    use std::process::Command;

    /// Copies the fake program to `exe` and starts it in `cwd`, once it is ready. A copy just
    /// written may still be open in a process another test forks ("text file busy"): retried.
    fn start(exe: &Path, args: &[&str], cwd: &Path) -> common::Started {
        start_env(exe, args, cwd, &[])
    }

    /// [`start`] with more environment.
    fn start_env(
        exe: &Path,
        args: &[&str],
        cwd: &Path,
        envs: &[(&str, String)],
    ) -> common::Started {
        fs::copy(common::fake_qq_binary(), exe).expect("copy");
        let ready = cwd.join(".ready");
        let t = std::time::Instant::now();
        let child = loop {
            match Command::new(exe)
                .args(args)
                .current_dir(cwd)
                .env("FAKE_QQ_READY", &ready)
                .envs(envs.iter().map(|(k, v)| (k, v)))
                .spawn()
            {
                Ok(c) => break c,
                Err(e)
                    if e.kind() == std::io::ErrorKind::ExecutableFileBusy
                        && t.elapsed() < Duration::from_secs(10) =>
                {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Err(e) => panic!("start {}: {e}", exe.display()),
            }
        };
        while !ready.exists() && t.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(20));
        }
        common::Started(child)
    }

    /// A running process's arguments (without the program), as the OS reports them.
    fn arguments(pid: u32) -> Vec<String> {
        use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};
        let mut s = System::new();
        let p = Pid::from_u32(pid);
        let what = ProcessRefreshKind::nothing().with_cmd(UpdateKind::Always);
        s.refresh_processes_specifics(ProcessesToUpdate::Some(&[p]), true, what);
        s.process(p)
            .map(|x| {
                x.cmd()
                    .iter()
                    .skip(1)
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_running_launcher_is_found_refused_stopped_and_restarted() {
        let f = Fixture::new(Os::host());
        let (install, data) = linux_cli(&f);
        // Two helpers it started, like the PMHQ and node a real launcher starts.
        let argv = ["--qq=70007", "--headless", "--children", "2"];
        let started = start(&install.join("llbot"), &argv, &install);
        let pid = started.0.id();

        let (code, v) = f.json(&["detect"]);
        assert_eq!(code, 0, "{v:#}");
        let b = the_llbot(&v);
        assert_eq!(b["found_via"], "process");
        let procs = b["processes"].as_array().unwrap();
        assert_eq!(procs.len(), 3, "{b:#}");
        let mains: Vec<&Value> = procs.iter().filter(|p| p["main"] == true).collect();
        assert_eq!(mains.len(), 1, "{b:#}");
        assert_eq!(mains[0]["pid"], pid, "{b:#}");
        let all: Vec<u32> = procs
            .iter()
            .map(|p| p["pid"].as_u64().unwrap() as u32)
            .collect();

        let (code, v) = f.json(&["clean", "--yes"]);
        assert_eq!(code, 4, "{v:#}");
        assert!(data.join(native("temp/upload-1.jpg")).exists());
        assert!(alive(pid));

        let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
        assert_eq!(code, 0, "{v:#}");
        assert!(!data.join(native("temp/upload-1.jpg")).exists());
        assert_eq!(v["qq"]["stopped"], true);
        drop(started);
        for p in &all {
            assert!(!alive(*p), "PID {p} of the stack still runs");
        }
        let new_pid = v["qq"]["restarted"][0]["pid"].as_u64().expect("restarted") as u32;
        let again = arguments(new_pid);
        // Stop the restarted launcher (and so its helpers) by its PID.
        let _ = Command::new("kill").arg(new_pid.to_string()).status();
        assert_eq!(again, argv, "restarted with other arguments");
    }

    /// Like the real CLI: the launcher starts node (`llbot.js`), node starts PMHQ, PMHQ starts
    /// QQ. The whole tree is the stack: found, refused, stopped by asking the launcher alone,
    /// and the launcher started again (which starts the rest itself; QQ is never restarted on
    /// its own).
    #[test]
    fn a_launcher_that_starts_node_pmhq_and_qq_is_one_stack() {
        let f = Fixture::new(Os::host());
        let (install, data) = linux_cli(&f);
        let node = install.join(native("bin/llbot/node"));
        let pmhq = install.join(native("bin/pmhq/pmhq"));
        // Under the inspected root: only processes running from it belong to it.
        let qq_dir = f.p("/opt/QQ");
        let qq = qq_dir.join("qq");
        f.qq_app(&qq_dir.join("resources/app"), "3.2.21-41857", "./index.js");
        for exe in [&node, &pmhq, &qq] {
            fs::create_dir_all(exe.parent().unwrap()).unwrap();
            if fs::hard_link(common::fake_qq_binary(), exe).is_err() {
                fs::copy(common::fake_qq_binary(), exe).unwrap();
            }
        }
        let chain = format!(
            "{}\t./llbot.js\n{}\t--port=13000\n{}\t--no-sandbox",
            node.display(),
            pmhq.display(),
            qq.display()
        );
        let argv = ["--qq=70007"];
        // Every program of the chain notes each SIGTERM it gets.
        let signals = f.tmp.path().join("signals.log");
        let started = start_env(
            &install.join("llbot"),
            &argv,
            &install,
            &[
                ("FAKE_QQ_SPAWN", chain),
                ("FAKE_QQ_SIGNALS", signals.display().to_string()),
            ],
        );
        let launcher = started.0.id();
        let qq_flag = qq_dir.display().to_string();

        // All four run: the launcher, node and PMHQ as LLBot's, QQ as the QQ it started.
        let t = std::time::Instant::now();
        let (v, tree) = loop {
            let (_, v) = f.json(&["--qq-dir", &qq_flag, "detect"]);
            let b = the_llbot(&v);
            let names: Vec<String> = b["processes"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .map(|x| x["name"].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            let qqs = v["processes"].as_array().map_or(0, Vec::len);
            if (names.len() == 3 && qqs == 1) || t.elapsed() > Duration::from_secs(20) {
                break (v, names);
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(tree, ["llbot", "node", "pmhq"], "{v:#}");
        let b = the_llbot(&v);
        assert_eq!(b["mode"], "pmhq", "{b:#}");
        let mains: Vec<&Value> = b["processes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["main"] == true)
            .collect();
        assert_eq!(mains.len(), 1, "{b:#}");
        assert_eq!(mains[0]["pid"], launcher, "{b:#}");
        let qq_pid = v["processes"][0]["pid"]
            .as_u64()
            .unwrap_or_else(|| panic!("no QQ process: {v:#}")) as u32;
        let mut all: Vec<u32> = b["processes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pid"].as_u64().unwrap() as u32)
            .collect();
        all.push(qq_pid);

        let (code, v) = f.json(&["--qq-dir", &qq_flag, "clean", "--yes"]);
        assert_eq!(code, 4, "{v:#}");
        assert!(data.join(native("temp/upload-1.jpg")).exists());
        assert!(all.iter().all(|p| alive(*p)));

        let (code, v) = f.json(&[
            "--qq-dir",
            &qq_flag,
            "clean",
            "--yes",
            "--stop-qq",
            "--restart-qq",
        ]);
        assert_eq!(code, 0, "{v:#}");
        assert!(!data.join(native("temp/upload-1.jpg")).exists());
        drop(started);
        for p in &all {
            assert!(!alive(*p), "PID {p} of the stack still runs");
        }
        // One quit request, to the launcher; the others followed it.
        let asked = fs::read_to_string(&signals).unwrap_or_default();
        assert_eq!(asked, format!("{launcher}\tTERM\n"), "signalled: {asked}");
        // Only the launcher is started again, with its own arguments.
        let restarted = v["qq"]["restarted"].as_array().expect("restarted");
        assert_eq!(restarted.len(), 1, "{v:#}");
        assert_eq!(restarted[0]["was_pid"], launcher, "{v:#}");
        let new_pid = restarted[0]["pid"].as_u64().expect("a new pid") as u32;
        let again = arguments(new_pid);
        let _ = Command::new("kill").arg(new_pid.to_string()).status();
        assert_eq!(again, argv, "restarted with other arguments");
    }

    #[test]
    fn a_node_without_pmhq_is_headless_and_qq_checks_do_not_apply() {
        let f = Fixture::new(Os::host());
        let (install, _) = linux_cli(&f);
        let dir = install.join(native("bin/llbot"));
        let node = start(&dir.join("node"), &["./llbot.js"], &dir);
        let (_, v) = f.json(&["detect"]);
        let b = the_llbot(&v);
        assert_eq!(b["mode"], "headless", "{b:#}");
        assert_eq!(b["processes"][0]["pid"], node.0.id(), "{b:#}");
        assert_eq!(b["processes"][0]["main"], true, "{b:#}");
        assert_eq!(b["processes"][0]["role"], "bot", "{b:#}");
        let (_, v) = f.json(&["doctor"]);
        assert_eq!(finding(&v, "qq.not_used")["severity"], "ok", "{v:#}");
        assert!(finding(&v, "discovery.qq").is_null(), "{v:#}");
        // Headless: check-versions has no QQ row and misses no QQ either.
        let (code, v) = f.json(&["check-versions"]);
        assert_eq!(code, 0, "{v:#}");
        assert_eq!(v["not_found"], serde_json::json!([]), "{v:#}");
        let names: Vec<&Value> = v["components"]
            .as_array()
            .map(|r| r.iter().map(|c| &c["name"]).collect())
            .unwrap_or_default();
        assert_eq!(names, vec!["llbot"], "{v:#}");
    }
}

#[test]
fn check_versions_has_an_llbot_row_and_no_rows_for_what_it_does_not_use() {
    let f = Fixture::new(Os::Linux);
    let (install, _) = linux_cli(&f);
    let dir = install.display().to_string();
    let (code, v) = f.json(&["--llbot-dir", &dir, "check-versions"]);
    assert_eq!(code, 0, "{v:#}");
    let rows = v["components"].as_array().expect("components");
    let llbot: Vec<&Value> = rows.iter().filter(|c| c["name"] == "llbot").collect();
    assert_eq!(llbot.len(), 1, "{v:#}");
    assert_eq!(llbot[0]["installed"], "8.1.7");
    assert_eq!(llbot[0]["minimum"], "3.28.3");
    assert_eq!(llbot[0]["status"], "ok");
    // Not running, so the mode is unknown: QQ may be used (PMHQ is installed) and is missing;
    // LiteLoaderQQNT and the plugin are never used by LLBot.
    assert_eq!(v["not_found"], serde_json::json!(["qq"]), "{v:#}");
    assert!(
        rows.iter()
            .all(|c| c["name"] != "liteloader" && c["name"] != "llonebot"),
        "{v:#}"
    );

    let (code, v) = f.json(&[
        "--llbot-dir",
        &dir,
        "check-versions",
        "--min-llonebot",
        "9.0",
    ]);
    assert_eq!(code, 1, "{v:#}");
    let row = v["components"]
        .as_array()
        .and_then(|r| r.iter().find(|c| c["name"] == "llbot").cloned())
        .expect("llbot row");
    assert_eq!(row["status"], "outdated", "{v:#}");
}
