//! LLBot / standalone LLOneBot cleaned: a Docker volume's must-keep files left alone through a
//! full clean, service commands that stop and start it, and (Unix) a running launcher with its
//! whole process tree refused, stopped and restarted as one.

mod common;
mod llbot_tree;

#[cfg(unix)]
use std::fs;
#[cfg(unix)]
use std::path::Path;
#[cfg(unix)]
use std::time::Duration;

use common::{Fixture, Os, native};
use llbot_tree::*;
#[cfg(unix)]
use serde_json::Value;

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

    // A failing stop command: refused, nothing removed; the start command still runs, since
    // the stop command may have stopped part of the bot (we never leave it down).
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
    assert_eq!(
        fs::read_to_string(&trail).unwrap(),
        "stopped\nstarted\nstarted\n"
    );

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

        // All four run and are the instance's: the launcher, node and PMHQ by their files, QQ
        // as the QQ that PMHQ started.
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
            if (names.len() == 4 && qqs == 1) || t.elapsed() > Duration::from_secs(20) {
                break (v, names);
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(tree, ["llbot", "node", "pmhq", "qq"], "{v:#}");
        let b = the_llbot(&v);
        let qq_entry = &b["processes"][3];
        assert_eq!(qq_entry["why"]["by"], "child_of", "{b:#}");
        assert_eq!(qq_entry["group"], launcher, "{b:#}");
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
