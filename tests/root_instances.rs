//! Root among many users' bots (CI runs as root; elsewhere these skip and say so): root acts on
//! a user's bot as that user; another user's process never steers it to a third user's files
//! through a link; a QQ of another user is never stopped for root's own QQ cache; a bot in a
//! container (a mount namespace of its own, its data a bind mount of a host folder) is seen
//! with its data mapped to the host and stopped only by the user's own command.
#![cfg(target_os = "linux")]

mod common;
mod llbot_tree;
mod qq_cache_tree;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::llbot_cli::{cli_install, cmdline, launcher_or_skip, reap};
use common::users::{User, give, is_root, make};
use common::{Fixture, Os, Started, alive, native, stop_pid, wait_gone};

/// The fixture's folders reachable by other users (tempdir makes them 0700).
fn open_up(f: &Fixture) {
    use std::os::unix::fs::PermissionsExt;
    for p in f
        .root
        .ancestors()
        .take_while(|p| p.starts_with(f.tmp.path()))
    {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Runs `exe` as `u` in `dir`, with `args`.
fn start_as(u: &User, exe: &Path, args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Started {
    let mut c = Command::new(exe);
    c.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .uid(u.uid)
        // std drops root's supplementary groups when it changes the uid.
        .gid(u.gid);
    for (k, v) in env {
        c.env(k, v);
    }
    Started(common::spawn_retrying(&mut c).expect("start as the user"))
}

fn user_of(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|u| u.parse().ok())
        .collect()
}

#[test]
fn root_cleans_a_users_bot_as_that_user_and_restarts_it_as_that_user() {
    let Some(launcher) = launcher_or_skip("root_cleans_a_users_bot") else {
        return;
    };
    let f = Fixture::new(Os::Linux);
    open_up(&f);
    let Some(u) = make("llobo", &f.tmp.path().join("nohome")) else {
        return;
    };
    let install = f.p("/home/botuser/llbot");
    let data = cli_install(&f, &install, &launcher, "8.1.7");
    llbot_tree::llbot_data(&f, &data, "50005");
    give(&f.p("/home/botuser"), &u);
    // A folder of root's inside the user's temp: the user could not remove what is in it,
    // so neither does root acting as the user.
    let rootdir = data.join(native("temp/from-root"));
    std::fs::create_dir_all(&rootdir).unwrap();
    std::fs::write(rootdir.join("root-file"), b"root's").unwrap();
    let bin = install.join("bin/llbot");
    let run = start_as(&u, &install.join("llbot"), &["--qq=50005"], &install, &[]);
    let node = wait_for_ready(&bin);
    let id = format!("llbot@{}", install.display());
    let (_, v) = f.json(&["detect"]);
    let b = v["bots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id)
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(b["owner"]["uid"], u.uid, "{b:#}");

    let (code, v) = f.json(&[
        "--instance",
        &id,
        "clean",
        "--yes",
        "--stop-qq",
        "--restart-qq",
    ]);
    // The user's own files went; root's file in root's folder could not, as for the user.
    assert_eq!(code, 5, "{v:#}");
    assert!(!data.join(native("temp/upload-1.jpg")).exists());
    assert!(
        rootdir.join("root-file").exists(),
        "removed with root's rights"
    );
    assert!(wait_gone(run.0.id()) && wait_gone(node));
    let new = v["qq"]["restarted"][0]["pid"]
        .as_u64()
        .unwrap_or_else(|| panic!("not restarted: {v:#}")) as u32;
    let uids = user_of(new);
    let args = cmdline(new);
    stop_pid(new);
    reap(&install);
    assert_eq!(uids, [u.uid; 4], "restarted as the user, never as root");
    assert_eq!(args.last().map(String::as_str), Some("--qq=50005"));
    drop(run);
}

/// Waits for a new `ready-<pid>` file of the bot program in `bin`.
fn wait_for_ready(bin: &Path) -> u32 {
    let t = Instant::now();
    loop {
        let found = std::fs::read_dir(bin)
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_prefix("ready-")?
                    .parse::<u32>()
                    .ok()
            });
        if let Some(pid) = found {
            return pid;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "no bot in {}",
            bin.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn another_users_process_never_steers_root_through_a_link() {
    let f = Fixture::new(Os::Linux);
    open_up(&f);
    let Some(u) = make("llobl", &f.tmp.path().join("nohome")) else {
        return;
    };
    // A victim's LLBot data (root's, say), and the user's install whose bin/ links to it.
    let victim = f.p("/srv/victim/llbot");
    let victim_data = victim.join(native("bin/llbot/data"));
    llbot_tree::llbot_data(&f, &victim_data, "60006");
    let theirs = f.p("/home/attacker/llbot");
    std::fs::create_dir_all(&theirs).unwrap();
    std::os::unix::fs::symlink(victim.join("bin"), theirs.join("bin")).unwrap();
    std::fs::copy(common::fake_qq_binary(), theirs.join("llbot")).unwrap();
    give(&f.p("/home/attacker"), &u);
    let p = start_as(
        &u,
        &theirs.join("llbot"),
        &[],
        &theirs,
        &[("FAKE_QQ_LIFETIME", "60")],
    );
    std::thread::sleep(Duration::from_millis(300));

    let (_, v) = f.json(&["detect"]);
    let through = |b: &serde_json::Value| {
        b["data_dir"]
            .as_str()
            .is_some_and(|d| Path::new(d).starts_with(&theirs))
    };
    assert!(
        !v["bots"].as_array().unwrap().iter().any(through),
        "an install through a link was taken: {v:#}"
    );
    assert!(
        v["searched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["reason"] == "untrusted"),
        "{v:#}"
    );
    let (_, v) = f.json(&["clean", "--yes", "--stop-qq"]);
    assert!(
        victim_data.join(native("temp/upload-1.jpg")).exists(),
        "{v:#}"
    );
    assert!(alive(p.0.id()), "another user's process was signalled");
    // Named on purpose, the path through the link is refused too, and says where the link is.
    let dir = theirs.join(native("bin/llbot/data")).display().to_string();
    let (code, v) = f.json(&["--data-dir", &dir, "clean", "--yes"]);
    assert_ne!(code, 0, "{v:#}");
    assert!(
        victim_data.join(native("temp/upload-1.jpg")).exists(),
        "{v:#}"
    );
    let e = v["error"].as_str().unwrap_or_default();
    assert!(e.contains("link"), "{v:#}");
}

#[test]
fn another_users_qq_is_never_stopped_for_roots_qq_cache() {
    let f = Fixture::new(Os::Linux);
    open_up(&f);
    let Some(u) = make("llobq", &f.tmp.path().join("nohome")) else {
        return;
    };
    let (_, a1, _, _) = qq_cache_tree::linux(&f, ".config/QQ");
    let qq_dir = f.p("/opt/QQ");
    f.qq_app(&qq_dir.join("resources/app"), "3.2.21-41857", "./index.js");
    std::fs::copy(common::fake_qq_binary(), qq_dir.join("qq")).unwrap();
    let theirs = start_as(
        &u,
        &qq_dir.join("qq"),
        &["--children", "1"],
        &qq_dir,
        &[("FAKE_QQ_LIFETIME", "60")],
    );
    std::thread::sleep(Duration::from_millis(300));
    let (code, v) = f.json(&["clean", "--qq-cache", "--yes", "--stop-qq"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(alive(theirs.0.id()), "another user's QQ was stopped: {v:#}");
    qq_cache_tree::assert_gone(&a1.goes);
}

/// A container as Docker makes one, by hand: a mount namespace whose root is a folder of ours
/// (bind-mounted onto itself), the host's /usr inside, and the bot's data folder a bind mount
/// of a host folder. The real launcher runs inside.
struct Container {
    unshare: std::process::Child,
    launcher: u32,
}

impl Drop for Container {
    fn drop(&mut self) {
        if alive(self.launcher) && cmdline(self.launcher).iter().any(|a| a == "--qq=70007") {
            stop_pid(self.launcher);
        }
        let _ = self.unshare.kill();
        let _ = self.unshare.wait();
    }
}

fn container(f: &Fixture, launcher: &Path, host_data: &Path) -> Option<Container> {
    let have = |p: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {p}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !is_root() || !have("unshare") || !have("chroot") || !have("node") {
        common::skip("a container needs root, unshare, chroot and node");
        return None;
    }
    let croot = f.tmp.path().join("croot");
    let install = croot.join("app/llbot");
    cli_install(f, &install, launcher, "8.1.7");
    for d in ["usr", "proc", "dev", "tmp"] {
        std::fs::create_dir_all(croot.join(d)).unwrap();
    }
    for l in ["bin", "lib", "lib64", "sbin"] {
        if Path::new("/usr").join(l).exists() {
            std::os::unix::fs::symlink(format!("usr/{l}"), croot.join(l)).unwrap();
        }
    }
    let script = format!(
        "set -e\nC='{c}'\nmount --bind \"$C\" \"$C\"\nmount --bind /usr \"$C/usr\"\n\
         mount --bind '{d}' \"$C/app/llbot/bin/llbot/data\"\nmount -t proc proc \"$C/proc\"\n\
         mount --bind /dev \"$C/dev\"\nexec chroot \"$C\" /bin/sh -c 'cd /app/llbot && exec ./llbot --qq=70007'\n",
        c = croot.display(),
        d = host_data.display()
    );
    let unshare = Command::new("unshare")
        .args([
            "--mount",
            "--propagation",
            "private",
            "--fork",
            "--pid",
            "sh",
            "-c",
            &script,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut c = Container {
        unshare,
        launcher: 0,
    };
    // The bot writes its ready file into the host folder mounted as its data's parent? No: in
    // its own folder, which is the container's; wait for its launcher instead.
    let t = Instant::now();
    while c.launcher == 0 {
        if t.elapsed() > Duration::from_secs(30) {
            common::skip("the container did not start its launcher in 30 s");
            return None;
        }
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
            if exe == install.join("llbot") && cmdline(pid).iter().any(|a| a == "--qq=70007") {
                c.launcher = pid;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Its node too.
    let bin = install.join("bin/llbot");
    let _ = wait_for_ready(&bin);
    Some(c)
}

#[test]
fn a_bot_in_a_container_is_seen_with_its_host_folder_and_stopped_only_by_command() {
    let Some(launcher) = launcher_or_skip("a_bot_in_a_container") else {
        return;
    };
    let f = Fixture::new(Os::Linux);
    let host_data = f.tmp.path().join("llbot_config");
    llbot_tree::llbot_data(&f, &host_data, "70007");
    f.write(&host_data.join("auth_token.txt"), "token");
    let Some(c) = container(&f, &launcher, &host_data) else {
        return;
    };
    // Not under --fs-root: the container is this machine's.
    let run = |args: &[&str]| {
        let out = Command::new(common::BIN)
            .args(["--json", "--color", "never"])
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", f.home())
            .current_dir(f.tmp.path())
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap_or(-1), v)
    };
    let (_, v) = run(&["detect"]);
    let b = v["bots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["container"].is_object())
        .unwrap_or_else(|| panic!("no instance in a container: {v:#}"));
    assert_eq!(b["container"]["mapped"], true, "{b:#}");
    assert_eq!(
        b["container"]["data_dir_inside"],
        "/app/llbot/bin/llbot/data"
    );
    assert_eq!(b["container"]["install_inside"], "/app/llbot");
    assert_eq!(PathBuf::from(b["data_dir"].as_str().unwrap()), host_data);
    assert_eq!(b["version"], "8.1.7");
    let id = b["id"].as_str().unwrap().to_string();
    assert_eq!(id, format!("llbot@{}", host_data.display()));
    // Never signalled from outside: --stop-qq is refused.
    let (code, v) = run(&["--instance", &id, "clean", "--yes", "--stop-qq"]);
    assert_eq!(code, 4, "{v:#}");
    assert!(v["error"].as_str().unwrap().contains("container"), "{v:#}");
    assert!(host_data.join(native("temp/upload-1.jpg")).exists());
    assert!(alive(c.launcher));
    // The user's own command stops it; the host folder is cleaned.
    let kill = format!("kill {}", c.launcher);
    let (code, v) = run(&[
        "--instance",
        &id,
        "clean",
        "--yes",
        "--stop-cmd",
        &kill,
        "--start-cmd",
        "true",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!host_data.join(native("temp/upload-1.jpg")).exists());
    assert!(host_data.join("machine_guid.bin").exists());
    drop(c);
}
