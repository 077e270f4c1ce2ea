//! Several QQ instances, each a main process with helpers (the small fake QQ): one quit request
//! per instance, every instance restarted as it was, a restart that dies reported as a failure,
//! and (as root) only the processes of the data folder's owner touched.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Fixture, Os, Started, alive, start_fake_qq, stop_pid, wait_gone};

struct Host {
    f: Fixture,
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    data: PathBuf,
    qq: PathBuf,
    msg: PathBuf,
}

/// A fake install of this host's platform: Windows' new layout, else the AUR layout.
fn host() -> Host {
    let f = Fixture::new(Os::host());
    let (data, qq, uin) = match f.os {
        Os::Windows => (
            f.windows_new(),
            f.p(r"C:\Program Files\Tencent\QQNT"),
            "1511954122",
        ),
        _ => (f.linux_aur(), f.p("/opt/QQ"), "30003"),
    };
    let msg = data.join(format!("msg_{uin}"));
    Host { f, data, qq, msg }
}

/// Starts the fake QQ already copied into `dir` once more (its file is busy: no new copy).
fn start_again(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Started {
    let ready = dir.join(".fake-qq-ready-2");
    let mut c = std::process::Command::new(dir.join(common::QQ_EXE));
    c.args(args).current_dir(dir).env("FAKE_QQ_READY", &ready);
    for (k, v) in envs {
        c.env(k, v);
    }
    let child = Started(c.spawn().expect("start fake qq"));
    let t = Instant::now();
    while !ready.exists() {
        assert!(t.elapsed() < Duration::from_secs(30), "not ready in 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

/// Two instances with two helpers each: each main process gets exactly one SIGTERM, no helper
/// any, and both come back with their own arguments and working folder.
#[test]
fn two_instances_one_quit_request_each_and_both_restarted() {
    let h = host();
    let f = &h.f;
    let signals = f.tmp.path().join("signals.log");
    let starts = f.tmp.path().join("starts.log");
    let env = [
        ("FAKE_QQ_SIGNALS", signals.to_str().unwrap()),
        ("FAKE_QQ_LOG", starts.to_str().unwrap()),
        ("FAKE_QQ_LIFETIME", "90"),
    ];
    let a = start_fake_qq(&h.qq, &["--children", "2", "--account=a"], &env);
    let b = start_again(&h.qq, &["--children", "2", "--account=b"], &env);
    let (_, before) = f.json(&["detect"]);
    let procs = before["processes"].as_array().unwrap();
    let mains: Vec<u64> = procs
        .iter()
        .filter(|p| p["main"] == true)
        .map(|p| p["pid"].as_u64().unwrap())
        .collect();
    assert_eq!(mains.len(), 2, "{before:#}");
    assert_eq!(procs.len(), 6, "{before:#}");
    let all: Vec<u32> = procs
        .iter()
        .map(|p| p["pid"].as_u64().unwrap() as u32)
        .collect();

    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    drop((a, b));
    for pid in &all {
        assert!(wait_gone(*pid), "pid {pid} still running");
    }
    let mut signalled: Vec<u64> = lines(&signals)
        .iter()
        .map(|l| l.split('\t').next().unwrap().parse().unwrap())
        .collect();
    signalled.sort_unstable();
    #[cfg(unix)]
    assert_eq!(
        signalled, mains,
        "one SIGTERM per main process, none to helpers"
    );
    let r = v["qq"]["restarted"].as_array().unwrap();
    let news: Vec<u32> = r
        .iter()
        .map(|x| x["pid"].as_u64().unwrap() as u32)
        .collect();
    let mut was: Vec<u64> = r.iter().map(|x| x["was_pid"].as_u64().unwrap()).collect();
    was.sort_unstable();
    assert_eq!(was, mains, "{v:#}");
    // Each new main process logs its start: the same arguments as the one it replaces.
    let t = Instant::now();
    while lines(&starts).len() < 4 && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = lines(&starts);
    for n in &news {
        assert!(alive(*n), "restarted {n} is gone");
    }
    news.iter().for_each(|n| stop_pid(*n));
    let args_of = |pid: u64| -> Vec<String> {
        let l = log
            .iter()
            .find(|l| l.starts_with(&format!("{pid}\t")))
            .unwrap_or_else(|| panic!("no start of {pid}: {log:?}"));
        l.split('\t').skip(1).map(String::from).collect()
    };
    for x in r {
        assert_eq!(
            args_of(x["pid"].as_u64().unwrap()),
            args_of(x["was_pid"].as_u64().unwrap()),
            "{log:?}"
        );
    }
    assert!(!h.msg.exists());
    for n in &news {
        assert!(wait_gone(*n));
    }
    let text = String::from_utf8_lossy(&f.run(&["detect"]).stdout).to_string();
    assert!(
        !text.contains("(main"),
        "restarted ones were stopped: {text}"
    );
}

/// A program QQ started that is not QQ (a browser it opened a link in) is not part of its tree:
/// not waited for, not killed, even with --force.
#[cfg(unix)]
#[test]
fn another_program_qq_started_is_left_alone() {
    let h = host();
    let f = &h.f;
    let other = f.tmp.path().join("other.pid");
    let qq = start_fake_qq(
        &h.qq,
        &["--children", "1", "--spawn-other", other.to_str().unwrap()],
        &[],
    );
    let other: u32 = std::fs::read_to_string(&other).unwrap().parse().unwrap();
    let (code, v) = f.json(&[
        "clean",
        "--yes",
        "--stop-qq",
        "--stop-timeout",
        "20",
        "--force",
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v["qq"]["killed"].as_array().unwrap().is_empty(), "{v:#}");
    drop(qq);
    let still = alive(other);
    stop_pid(other);
    assert!(still, "the other program was stopped");
    assert!(!h.msg.exists());
}

/// A QQ that dies when started again: the report names a failure, not a PID.
#[test]
fn a_restart_that_dies_at_once_is_a_failure() {
    let h = host();
    let f = &h.f;
    let marker = f.tmp.path().join("started-once");
    let qq = start_fake_qq(&h.qq, &["--once", marker.to_str().unwrap()], &[]);
    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    // Cleaned, but the bot is down: a scheduled job must not report success.
    assert_eq!(code, 7, "{v:#}");
    assert!(!h.msg.exists(), "the clean itself was done");
    assert!(v["qq"]["restarted"].as_array().unwrap().is_empty(), "{v:#}");
    let failed = &v["qq"]["restart_failed"][0];
    assert_eq!(failed["was_pid"], qq.0.id());
    assert!(failed.get("pid").is_none(), "{failed:#}");
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("exited within a second"),
        "{failed:#}"
    );
    drop(qq);
    std::fs::remove_file(&marker).unwrap();
    std::fs::create_dir_all(&h.msg).unwrap();
    std::fs::write(h.msg.join("CURRENT"), "MANIFEST-000001\n").unwrap();
    let qq = start_fake_qq(&h.qq, &["--once", marker.to_str().unwrap()], &[]);
    let out = f.run(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(out.status.code(), Some(7));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Could not restart QQ (was PID {})", qq.0.id())),
        "{text}"
    );
    assert!(!text.contains("Restarted QQ"), "{text}");
}

/// As root, a QQ of another user than the data folder's owner is neither stopped nor cleaned
/// under; once the folder is that user's, its QQ is stopped and started again as that user,
/// never as root. A throwaway user, removed afterwards.
#[cfg(target_os = "linux")]
#[test]
fn as_root_only_the_data_owners_qq_is_stopped_and_restarted_as_that_user() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        common::skip("needs root to run QQ as another user");
        return;
    }
    struct User(String);
    impl Drop for User {
        fn drop(&mut self) {
            // -f: even while a process of the user is still on its way out.
            let out = std::process::Command::new("userdel")
                .args(["-f", &self.0])
                .output();
            if !out.as_ref().is_ok_and(|o| o.status.success()) {
                eprintln!("userdel -f {} failed: {out:?}", self.0);
            }
        }
    }
    let h = host();
    let f = &h.f;
    let name = format!("llobt{}", std::process::id() % 100_000);
    let home = f.tmp.path().join("userhome");
    std::fs::create_dir_all(&home).unwrap();
    let made = std::process::Command::new("useradd")
        .args(["-M", "-s", "/bin/sh", "-d"])
        .arg(&home)
        .arg(&name)
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        common::skip(&format!("useradd failed: {made:?}"));
        return;
    }
    let user = User(name.clone());
    let id = |flag: &str| -> u32 {
        let o = std::process::Command::new("id")
            .args([flag, &name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
    };
    let (uid, gid) = (id("-u"), id("-g"));
    // The user can reach the fake install.
    std::fs::set_permissions(f.tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(common::fake_qq_binary(), h.qq.join("qq")).unwrap();
    let mut c = std::process::Command::new(h.qq.join("qq"));
    c.args(["--children", "1", "--as-user"])
        .current_dir(&h.qq)
        .env_clear()
        .env("HOME", "/wrong/home")
        .env("FAKE_QQ_LIFETIME", "90")
        .uid(uid)
        .gid(gid);
    let theirs = Started(c.spawn().unwrap());
    let pid = theirs.0.id();
    std::thread::sleep(Duration::from_millis(500));

    // The data folder is root's: the user's QQ is not touched, nothing is removed.
    let out = f.run(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains(&format!("runs as {name}")), "{err}");
    assert!(err.contains(&h.data.display().to_string()), "{err}");
    assert!(alive(pid));
    assert!(h.msg.exists());

    // The folder is the user's: stopped, cleaned, and started again as that user.
    let chown = std::process::Command::new("chown")
        .args(["-R", &format!("{uid}:{gid}")])
        .arg(&h.data)
        .status()
        .unwrap();
    assert!(chown.success());
    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    drop(theirs);
    assert!(!h.msg.exists());
    let new = v["qq"]["restarted"][0]["pid"].as_u64().expect("restarted") as u32;
    let status = std::fs::read_to_string(format!("/proc/{new}/status")).unwrap_or_default();
    let environ = std::fs::read(format!("/proc/{new}/environ")).unwrap_or_default();
    stop_pid(new);
    assert!(wait_gone(new));
    let uids = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .unwrap_or_default()
        .split_whitespace()
        .map(|u| u.parse::<u32>().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(uids, [uid; 4], "{status}");
    let gids = status
        .lines()
        .find_map(|l| l.strip_prefix("Gid:"))
        .unwrap_or_default()
        .split_whitespace()
        .map(|u| u.parse::<u32>().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(gids, [gid; 4], "{status}");
    let env: Vec<String> = environ
        .split(|b| *b == 0)
        .map(|e| String::from_utf8_lossy(e).into_owned())
        .collect();
    assert!(
        env.contains(&format!("HOME={}", home.display())),
        "the user's HOME from the passwd database: {env:?}"
    );
    assert!(env.contains(&format!("USER={name}")), "{env:?}");
    drop(user);
}
