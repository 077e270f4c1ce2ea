//! Many bots on one machine, as operators run them, with the real LLBot CLI launcher: several
//! installs side by side, one install started twice (two accounts), one installed but stopped,
//! a LiteLoaderQQNT plugin folder left beside them, and a person's own QQ. Each is found
//! exactly once with its own processes; a clean of one never touches another's files or
//! processes, never deletes under a running one, and never leaves a bot it stopped down.
#![cfg(target_os = "linux")]

mod common;
mod llbot_tree;

use std::path::{Path, PathBuf};

use common::llbot_cli::{Run, cli_install, cmdline, launcher_or_skip, reap, start};
use common::{Fixture, Os, alive, native, start_fake_qq, stop_pid, wait_gone};
use serde_json::Value;

/// Three LLBot installs (`a`, `b` run twice, `c` stopped) and the plugin's data folder.
struct Machine {
    f: Fixture,
    a: PathBuf,
    b: PathBuf,
    c: PathBuf,
    plugin_data: PathBuf,
}

impl Machine {
    fn new(launcher: &Path) -> Machine {
        let f = Fixture::new(Os::Linux);
        let mut installs = Vec::new();
        for (name, uin) in [("a", "10001"), ("b", "20002"), ("c", "30003")] {
            let install = f.p(&format!("/srv/bots/{name}"));
            let data = cli_install(&f, &install, launcher, "8.1.7");
            llbot_tree::llbot_data(&f, &data, uin);
            if name == "b" {
                // One install, two accounts: each launcher started with its own --qq.
                llbot_tree::llbot_data(&f, &data, "20003");
            }
            installs.push(install);
        }
        // An old LiteLoaderQQNT plugin folder (LiteLoaderQQNT's well-known place), not running.
        let ll = f.p("/opt/LiteLoaderQQNT");
        f.ll_root(&ll, "1.2.2");
        f.llonebot_plugin(&ll, "LLOneBot", "3.28.3");
        let plugin_data = ll.join(native("data/LLOneBot"));
        f.data_dir(&plugin_data, &["40004"], &[]);
        f.write(&plugin_data.join(native("temp/old.jpg")), b"old");
        let [a, b, c] = <[PathBuf; 3]>::try_from(installs).expect("three");
        let m = Machine {
            f,
            a,
            b,
            c,
            plugin_data,
        };
        // Each ran once while llob-doctor looked: from then on it is remembered, and found
        // while stopped too.
        {
            let runs: Vec<Run> = [&m.a, &m.b, &m.c]
                .iter()
                .map(|i| start(i, &["--qq=10001"]))
                .collect();
            detect_all(&m.f, &runs.iter().collect::<Vec<_>>());
        }
        m
    }

    fn temp_file(install: &Path) -> PathBuf {
        install.join(native("bin/llbot/data/temp/upload-1.jpg"))
    }

    fn id(install: &Path) -> String {
        format!("llbot@{}", install.display())
    }
}

/// The login name of a folder's owner.
fn owner_name(p: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata(p).unwrap().uid();
    let out = std::process::Command::new("id")
        .args(["-nu", &uid.to_string()])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The instances of a stack in `detect --json`.
fn of_stack<'v>(v: &'v Value, stack: &str) -> Vec<&'v Value> {
    v["bots"]
        .as_array()
        .map(|b| b.iter().filter(|x| x["stack"] == stack).collect())
        .unwrap_or_default()
}

fn pids(b: &Value) -> Vec<u32> {
    b["processes"]
        .as_array()
        .map(|p| {
            p.iter()
                .map(|x| x["pid"].as_u64().unwrap() as u32)
                .collect()
        })
        .unwrap_or_default()
}

fn mains(b: &Value) -> Vec<u32> {
    b["processes"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter(|x| x["main"] == true)
                .map(|x| x["pid"].as_u64().unwrap() as u32)
                .collect()
        })
        .unwrap_or_default()
}

fn bot<'v>(v: &'v Value, id: &str) -> &'v Value {
    v["bots"]
        .as_array()
        .and_then(|b| b.iter().find(|x| x["id"] == id))
        .unwrap_or_else(|| panic!("no instance {id} in {v:#}"))
}

/// Runs `detect` until every run's processes are seen (a launcher's node starts after it).
fn detect_all(f: &Fixture, runs: &[&Run]) -> Value {
    let t = std::time::Instant::now();
    loop {
        let (_, v) = f.json(&["detect"]);
        let seen: Vec<u32> = v["bots"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(pids)
            .collect();
        let all = runs
            .iter()
            .all(|r| seen.contains(&r.launcher.id()) && seen.contains(&r.node));
        if all || t.elapsed().as_secs() > 20 {
            return v;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn every_install_is_found_once_with_its_own_processes_and_owner() {
    let Some(launcher) = launcher_or_skip("every_install_is_found_once") else {
        return;
    };
    let m = Machine::new(&launcher);
    let a = start(&m.a, &["--qq=10001"]);
    let b1 = start(&m.b, &["--qq=20002"]);
    let b2 = start(&m.b, &["--qq=20003"]);
    let v = detect_all(&m.f, &[&a, &b1, &b2]);

    let llbots = of_stack(&v, "llbot");
    assert_eq!(llbots.len(), 3, "three installs, each once: {v:#}");
    let (ia, ib, ic) = (
        bot(&v, &Machine::id(&m.a)),
        bot(&v, &Machine::id(&m.b)),
        bot(&v, &Machine::id(&m.c)),
    );
    // a: its launcher and its node, nothing else.
    let mut want = vec![a.launcher.id(), a.node];
    want.sort();
    assert_eq!(pids(ia), want, "{ia:#}");
    assert_eq!(mains(ia), vec![a.launcher.id()]);
    assert_eq!(ia["mode"], "headless");
    // b: one instance, two process groups, each launcher the main of its own.
    let mut want = vec![b1.launcher.id(), b1.node, b2.launcher.id(), b2.node];
    want.sort();
    assert_eq!(pids(ib), want, "{ib:#}");
    let mut mb = mains(ib);
    mb.sort();
    let mut want_mains = vec![b1.launcher.id(), b2.launcher.id()];
    want_mains.sort();
    assert_eq!(mb, want_mains, "{ib:#}");
    for p in ib["processes"].as_array().unwrap() {
        let group = p["group"].as_u64().unwrap() as u32;
        let pid = p["pid"].as_u64().unwrap() as u32;
        let expected = if [b1.launcher.id(), b1.node].contains(&pid) {
            b1.launcher.id()
        } else {
            b2.launcher.id()
        };
        assert_eq!(group, expected, "{p:#}");
    }
    // The node program is b's by its working folder (it is the system's node).
    let node = ib["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pid"] == b1.node)
        .unwrap();
    assert_eq!(node["why"]["by"], "working_dir", "{node:#}");
    assert!(pids(ic).is_empty());
    // Each has its owner, the owner of its data folder.
    let me = owner_name(&m.a);
    for i in [ia, ib, ic] {
        assert_eq!(i["owner"]["name"], me, "{i:#}");
    }
    // The plugin folder beside them is an instance of its own.
    let plugins = of_stack(&v, "llonebot_plugin");
    assert_eq!(plugins.len(), 1, "{v:#}");
    assert_eq!(
        Path::new(plugins[0]["data_dir"].as_str().unwrap()),
        m.plugin_data
    );

    // The text names each instance by id; a stopped install says so; -v says why each
    // process is its own.
    let text = String::from_utf8_lossy(&m.f.run(&["detect", "-v"]).stdout).to_string();
    for id in [Machine::id(&m.a), Machine::id(&m.b), Machine::id(&m.c)] {
        assert_eq!(text.matches(&id).count(), 1, "{id} once in:\n{text}");
    }
    assert!(
        text.contains(&format!(
            "LLBot installed at {}, not running",
            m.c.display()
        )),
        "{text}"
    );
    assert!(text.contains("runs in the install's folder"), "{text}");
}

#[test]
fn a_clean_by_id_stops_and_restarts_only_that_instance_both_of_its_launchers() {
    let Some(launcher) = launcher_or_skip("a_clean_by_id") else {
        return;
    };
    let m = Machine::new(&launcher);
    let a = start(&m.a, &["--qq=10001"]);
    let b1 = start(&m.b, &["--qq=20002"]);
    let b2 = start(&m.b, &["--qq=20003"]);
    detect_all(&m.f, &[&a, &b1, &b2]);
    let id = Machine::id(&m.b);
    let (code, v) = m.f.json(&[
        "--instance",
        &id,
        "clean",
        "--yes",
        "--stop-qq",
        "--restart-qq",
    ]);
    assert_eq!(code, 0, "{v:#}");
    // b was cleaned, a and c were not, nor the plugin's folder.
    assert!(!Machine::temp_file(&m.b).exists());
    assert!(Machine::temp_file(&m.a).exists());
    assert!(Machine::temp_file(&m.c).exists());
    assert!(m.plugin_data.join(native("temp/old.jpg")).exists());
    assert!(
        v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["instance"] == id),
        "{v:#}"
    );
    // a runs on, untouched.
    assert!(alive(a.launcher.id()) && alive(a.node));
    // Both of b's launchers were stopped (their nodes followed) and started again, each with
    // its own account.
    for old in [b1.launcher.id(), b1.node, b2.launcher.id(), b2.node] {
        assert!(wait_gone(old), "PID {old} of b still runs");
    }
    let restarted = v["qq"]["restarted"].as_array().expect("restarted");
    assert_eq!(restarted.len(), 2, "{v:#}");
    let mut accounts = Vec::new();
    for r in restarted {
        let pid = r["pid"].as_u64().expect("a new launcher") as u32;
        let args = cmdline(pid);
        stop_pid(pid);
        accounts.push(args.last().cloned().unwrap_or_default());
    }
    accounts.sort();
    assert_eq!(accounts, ["--qq=20002", "--qq=20003"]);
    // Their new nodes, found by the ready files they wrote, are stopped too.
    reap(&m.b);
}

#[test]
fn running_instances_are_left_alone_and_the_others_cleaned() {
    let Some(launcher) = launcher_or_skip("running_instances_are_left_alone") else {
        return;
    };
    let m = Machine::new(&launcher);
    let a = start(&m.a, &["--qq=10001"]);
    detect_all(&m.f, &[&a]);
    // No --stop-qq: a runs, so it is left alone (exit 4); c and the plugin are cleaned.
    let (code, v) = m.f.json(&["clean", "--yes"]);
    assert_eq!(code, 4, "{v:#}");
    assert!(
        Machine::temp_file(&m.a).exists(),
        "never under a running bot"
    );
    assert!(!Machine::temp_file(&m.c).exists());
    assert!(!Machine::temp_file(&m.b).exists());
    assert!(!m.plugin_data.join(native("temp/old.jpg")).exists());
    let inst = v["instances"].as_array().unwrap();
    let ia = inst
        .iter()
        .find(|i| i["id"] == Machine::id(&m.a))
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(ia["skipped"]["exit_code"], 4, "{ia:#}");
    let why = ia["skipped"]["error"].as_str().unwrap();
    assert!(
        why.contains("LLBot") && why.contains(&a.launcher.id().to_string()),
        "{why}"
    );
    assert!(alive(a.launcher.id()) && alive(a.node));
    let out = m.f.run(&["clean", "--yes"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&Machine::id(&m.a)), "{err}");
    // The preview names the stack and its PIDs (never an empty list).
    let out = m.f.run(&["clean", "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut pids = [a.launcher.id(), a.node];
    pids.sort();
    let want = format!(
        "LLBot {} is running (PIDs {}, {})",
        Machine::id(&m.a),
        pids[0],
        pids[1]
    );
    assert!(text.contains(&want), "{want} in:\n{text}");
}

#[test]
fn a_plugin_folder_beside_llbot_never_takes_its_place() {
    let Some(launcher) = launcher_or_skip("a_plugin_folder_beside_llbot") else {
        return;
    };
    let m = Machine::new(&launcher);
    let a = start(&m.a, &["--qq=10001"]);
    detect_all(&m.f, &[&a]);
    let dir = m.a.display().to_string();
    let (code, v) = m.f.json(&["--llbot-dir", &dir, "clean", "--dry-run"]);
    assert_eq!(code, 0, "{v:#}");
    let targets = v["targets"].as_array().unwrap();
    assert!(!targets.is_empty(), "{v:#}");
    for t in targets {
        assert!(
            Path::new(t["path"].as_str().unwrap()).starts_with(&m.a),
            "only a's: {t:#}"
        );
    }
    // Its data folder named directly while it runs: refused, nothing removed.
    let data = m.a.join(native("bin/llbot/data")).display().to_string();
    let (code, v) = m.f.json(&["--data-dir", &data, "clean", "--yes"]);
    assert_eq!(code, 4, "{v:#}");
    assert!(Machine::temp_file(&m.a).exists());
    assert!(v["error"].as_str().unwrap().contains("LLBot"), "{v:#}");
}

#[test]
fn a_headless_llbot_is_stopped_without_touching_a_persons_qq() {
    let Some(launcher) = launcher_or_skip("a_headless_llbot") else {
        return;
    };
    let m = Machine::new(&launcher);
    // A person's desktop QQ, running from a QQNT install of its own.
    let qq_dir = m.f.p("/opt/QQ");
    m.f.qq_app(&qq_dir.join("resources/app"), "3.2.21-41857", "./index.js");
    let qq = start_fake_qq(&qq_dir, &["--children", "1"], &[]);
    let a = start(&m.a, &["--qq=10001"]);
    detect_all(&m.f, &[&a]);
    let id = Machine::id(&m.a);
    let (code, v) = m.f.json(&[
        "--instance",
        &id,
        "clean",
        "--yes",
        "--stop-qq",
        "--restart-qq",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!Machine::temp_file(&m.a).exists());
    assert!(alive(qq.0.id()), "the person's QQ was stopped");
    assert_eq!(v["qq"]["pids"].as_array().unwrap().len(), 2, "{v:#}");
    for r in v["qq"]["restarted"].as_array().unwrap() {
        stop_pid(r["pid"].as_u64().unwrap() as u32);
    }
    reap(&m.a);
    drop(a);
}

#[test]
fn a_stop_command_that_leaves_the_bot_running_still_starts_it_again() {
    let Some(launcher) = launcher_or_skip("a_stop_command_that_leaves") else {
        return;
    };
    let m = Machine::new(&launcher);
    let a = start(&m.a, &["--qq=10001"]);
    detect_all(&m.f, &[&a]);
    let trail = m.f.tmp.path().join("service.txt");
    let start_cmd = format!("echo started >> '{}'", trail.display());
    let id = Machine::id(&m.a);
    let (code, v) = m.f.json(&[
        "--instance",
        &id,
        "clean",
        "--yes",
        "--stop-cmd",
        "true",
        "--start-cmd",
        &start_cmd,
        "--stop-timeout",
        "1",
    ]);
    assert_eq!(code, 4, "{v:#}");
    assert!(Machine::temp_file(&m.a).exists(), "nothing removed");
    assert_eq!(
        std::fs::read_to_string(&trail).unwrap_or_default(),
        "started\n",
        "the bot is never left down by us"
    );
    // A stop command that does stop it: only its processes were waited for.
    let kill = format!("kill {} {}", a.launcher.id(), a.node);
    let (code, v) = m.f.json(&[
        "--instance",
        &id,
        "clean",
        "--yes",
        "--stop-cmd",
        &kill,
        "--start-cmd",
        &start_cmd,
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!Machine::temp_file(&m.a).exists());
    assert_eq!(
        std::fs::read_to_string(&trail).unwrap_or_default(),
        "started\nstarted\n"
    );
    // Several instances and one stop command: which one it stops is not clear.
    let (code, v) = m.f.json(&["clean", "--yes", "--stop-cmd", "true"]);
    assert_eq!(code, 2, "{v:#}");
    assert!(v["hint"].as_str().unwrap().contains("--instance"), "{v:#}");
}

#[test]
fn an_unknown_instance_lists_the_ids_there_are() {
    let Some(launcher) = launcher_or_skip("an_unknown_instance") else {
        return;
    };
    let m = Machine::new(&launcher);
    let (code, v) = m.f.json(&["--instance", "llbot@/nowhere", "detect"]);
    assert_eq!(code, 2, "{v:#}");
    let e = v["error"].as_str().unwrap();
    assert!(
        e.contains(&Machine::id(&m.a)) && e.contains(&Machine::id(&m.c)),
        "{e}"
    );
    // By folder instead of id.
    let (code, v) =
        m.f.json(&["--instance", &m.c.display().to_string(), "detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["bots"].as_array().unwrap().len(), 1, "{v:#}");
}
