//! QQ is Electron, and Electron is Chromium: these tests run Debian's real Chromium, put into a
//! fake QQ install as `qq` (headless, no sandbox, a temp profile; no display needed), and check
//! detect, doctor, clean --stop-qq and --restart-qq against its real process tree: one browser
//! (main) process, zygotes, GPU, utility and renderer helpers whose titles Chromium rewrites.
//! Every process is stopped by PID; nothing outside the test's own tree is ever signalled.
//! Without `/usr/lib/chromium/chromium` (Debian's `chromium` package) they say so and skip.
#![cfg(target_os = "linux")]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{Fixture, Os, alive};
use serde_json::Value;

/// The real binary (`/usr/bin/chromium` is a shell wrapper around it).
const CHROMIUM: &str = "/usr/lib/chromium/chromium";

/// One Chromium tree at a time: the machine may be small.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn chromium() -> Option<&'static Path> {
    let p = Path::new(CHROMIUM);
    if p.is_file() {
        Some(p)
    } else {
        common::skip(&format!(
            "{CHROMIUM} is missing (Debian's chromium package: apt-get install chromium)"
        ));
        None
    }
}

/// Every process: pid → (parent, command line split at NULs).
fn processes() -> HashMap<u32, (u32, Vec<String>)> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut f = rest.split_whitespace();
        if f.next() == Some("Z") {
            continue;
        }
        let ppid = f.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = cmd
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        out.insert(pid, (ppid, cmd));
    }
    out
}

/// `root` and its running descendants.
fn tree(root: u32) -> Vec<u32> {
    let ps = processes();
    let mut out = vec![];
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        if ps.contains_key(&p) {
            out.push(p);
        }
        todo.extend(ps.iter().filter(|(_, (pp, _))| *pp == p).map(|(c, _)| *c));
    }
    out
}

fn kill(pid: u32, sig: libc::c_int) {
    // SAFETY: kill(2) on one PID of the test's own processes.
    unsafe { libc::kill(pid as libc::pid_t, sig) };
}

/// Kills, by PID, everything left of the test: the trees given, and any process whose command
/// line names the test's temp folder (Chromium's crash handlers detach from the tree).
struct Cleanup {
    roots: Vec<u32>,
    tmp: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let mut pids: Vec<u32> = self.roots.iter().flat_map(|r| tree(*r)).collect();
        pids.extend(
            processes()
                .into_iter()
                .filter(|(_, (_, cmd))| cmd.iter().any(|a| a.contains(&self.tmp)))
                .map(|(p, _)| p),
        );
        for p in pids {
            kill(p, libc::SIGCONT);
            kill(p, libc::SIGKILL);
        }
    }
}

struct Setup {
    f: Fixture,
    qq: PathBuf,
    msg: PathBuf,
    cleanup: Cleanup,
}

/// The AUR layout with Chromium as `/opt/QQ/qq`: the binary hard-linked (copied across
/// filesystems), its resources linked beside it (Chromium finds them next to its executable).
fn setup(chromium: &Path) -> Setup {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let qq = f.p("/opt/QQ");
    let exe = qq.join("qq");
    std::fs::remove_file(&exe).unwrap();
    if std::fs::hard_link(chromium, &exe).is_err() {
        std::fs::copy(chromium, &exe).unwrap();
    }
    let lib = chromium.parent().unwrap();
    for e in std::fs::read_dir(lib).unwrap().flatten() {
        if e.file_name() != "chromium" {
            std::os::unix::fs::symlink(e.path(), qq.join(e.file_name())).unwrap();
        }
    }
    let tmp = f.tmp.path().display().to_string();
    Setup {
        msg: data.join("msg_30003"),
        f,
        qq,
        cleanup: Cleanup { roots: vec![], tmp },
    }
}

impl Setup {
    /// The arguments a browser is started with: headless, no sandbox (root in CI), its own
    /// profile folder.
    fn args(&self, name: &str) -> Vec<String> {
        let ud = self.f.tmp.path().join(name);
        vec![
            "./qq".into(),
            "--headless=new".into(),
            "--no-sandbox".into(),
            format!("--user-data-dir={}", ud.display()),
            "about:blank".into(),
        ]
    }

    /// Starts Chromium from the install folder, as a user's launcher would (`./qq ...`), and
    /// waits until its tree has a renderer.
    fn start(&mut self, name: &str) -> Child {
        use std::os::unix::process::CommandExt;
        let args = self.args(name);
        let child = Command::new(self.qq.join("qq"))
            .arg0(&args[0])
            .args(&args[1..])
            .current_dir(&self.qq)
            .env_clear()
            .env("HOME", self.f.home())
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.cleanup.roots.push(child.id());
        wait_ready(child.id());
        child
    }
}

fn is_renderer(cmd: &[String]) -> bool {
    cmd.iter().any(|a| a.contains("--type=renderer"))
}

fn wait_ready(main: u32) {
    let t = Instant::now();
    loop {
        let ps = processes();
        let renderers = tree(main)
            .iter()
            .filter(|p| ps.get(p).is_some_and(|(_, c)| is_renderer(c)))
            .count();
        if renderers > 0 {
            // The rest of the tree settles.
            std::thread::sleep(Duration::from_millis(1500));
            return;
        }
        assert!(
            t.elapsed() < Duration::from_secs(90),
            "Chromium did not start a renderer in 90 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn cmdline(pid: u32) -> Vec<String> {
    processes().remove(&pid).map(|(_, c)| c).unwrap_or_default()
}

fn wait_gone(pids: &[u32], secs: u64) -> Vec<u32> {
    let t = Instant::now();
    loop {
        let left: Vec<u32> = pids.iter().copied().filter(|p| alive(*p)).collect();
        if left.is_empty() || t.elapsed() > Duration::from_secs(secs) {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn finding<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["check"] == id))
        .unwrap_or_else(|| panic!("no {id} finding: {v:#}"))
}

#[test]
fn a_chromium_tree_is_one_main_process_and_its_helpers() {
    let Some(chromium) = chromium() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = setup(chromium);
    let mut child = s.start("profile");
    let main = child.id();
    let ours = tree(main);
    let (code, v) = s.f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let procs = v["processes"].as_array().unwrap();
    let mains: Vec<u64> = procs
        .iter()
        .filter(|p| p["main"] == true)
        .map(|p| p["pid"].as_u64().unwrap())
        .collect();
    assert_eq!(mains, [u64::from(main)], "{procs:#?}");
    let helpers: Vec<&Value> = procs.iter().filter(|p| p["main"] == false).collect();
    assert!(
        helpers.len() >= 4,
        "zygotes, gpu, utility, renderers: {procs:#?}"
    );
    for h in &helpers {
        assert_eq!(h["main_pid"], main, "{h:#}");
        assert!(ours.contains(&(h["pid"].as_u64().unwrap() as u32)));
        assert_eq!(h["verified"], true);
    }
    assert_eq!(v["qq"]["source_detail"], format!("pid {main}"));

    let (_, d) = s.f.json(&["doctor"]);
    let f = finding(&d, "qq.processes");
    assert_eq!(f["severity"], "ok", "{f:#}");
    assert_eq!(f["data"]["main"], serde_json::json!([main]), "{f:#}");
    assert_eq!(f["data"]["helpers"], helpers.len(), "{f:#}");
    let text = String::from_utf8_lossy(&s.f.run(&["doctor"]).stdout).to_string();
    assert!(!text.contains("instances"), "{text}");
    kill(main, libc::SIGTERM);
    let _ = child.wait();
}

#[test]
fn stop_clean_and_restart_a_chromium_tree() {
    let Some(chromium) = chromium() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = setup(chromium);
    let mut child = s.start("profile");
    let main = child.id();
    let before = cmdline(main);
    assert_eq!(before, s.args("profile"));
    let whole = tree(main);
    assert!(whole.len() >= 5, "{whole:?}");
    let (code, v) = s.f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    let _ = child.wait();
    assert!(v["qq"]["killed"].as_array().unwrap().is_empty(), "{v:#}");
    let left = wait_gone(&whole, 10);
    assert!(left.is_empty(), "still running: {left:?}");
    assert!(!s.msg.exists(), "the data was cleaned");
    let r = v["qq"]["restarted"].as_array().unwrap();
    assert_eq!(r.len(), 1, "{v:#}");
    assert_eq!(r[0]["was_pid"], main);
    let new = r[0]["pid"].as_u64().unwrap() as u32;
    s.cleanup.roots.push(new);
    std::thread::sleep(Duration::from_secs(3));
    assert!(alive(new), "the restarted browser is gone");
    assert_eq!(cmdline(new), before, "started again as it was");
    wait_ready(new);
    assert!(tree(new).len() >= 5, "it runs its helpers again");
    // Gone again with one SIGTERM to its main process.
    let again = tree(new);
    kill(new, libc::SIGTERM);
    assert!(wait_gone(&again, 30).is_empty());
}

#[test]
fn two_chromium_instances_both_come_back() {
    let Some(chromium) = chromium() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = setup(chromium);
    let mut a = s.start("first");
    let mut b = s.start("second");
    let (code, v) = s.f.json(&["detect"]);
    assert_eq!(code, 0);
    let mains = v["processes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["main"] == true)
        .count();
    assert_eq!(mains, 2, "{v:#}");
    let (code, v) = s.f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    let _ = (a.wait(), b.wait());
    let r = v["qq"]["restarted"].as_array().unwrap();
    assert_eq!(r.len(), 2, "{v:#}");
    assert!(v["qq"]["restart_failed"].as_array().unwrap().is_empty());
    let mut seen = vec![];
    for x in r {
        let new = x["pid"].as_u64().unwrap() as u32;
        s.cleanup.roots.push(new);
        seen.push((x["was_pid"].as_u64().unwrap() as u32, new));
    }
    std::thread::sleep(Duration::from_secs(3));
    for (was, new) in seen {
        assert!(alive(new), "restarted {new} (was {was}) is gone");
        let want = if was == a.id() {
            s.args("first")
        } else {
            assert_eq!(was, b.id());
            s.args("second")
        };
        assert_eq!(cmdline(new), want, "each with its own arguments");
    }
    assert!(!s.msg.exists());
}

#[test]
fn a_stopped_chromium_main_leaves_its_helpers_alone_and_exits_4() {
    let Some(chromium) = chromium() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut s = setup(chromium);
    let mut child = s.start("profile");
    let main = child.id();
    let helpers: Vec<u32> = tree(main).into_iter().filter(|p| *p != main).collect();
    kill(main, libc::SIGSTOP);
    let out =
        s.f.run(&["clean", "--yes", "--stop-qq", "--stop-timeout", "2"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("--force"), "{err}");
    // The helpers were never signalled: all still there.
    let gone: Vec<u32> = helpers.iter().copied().filter(|p| !alive(*p)).collect();
    assert!(gone.is_empty(), "helpers gone: {gone:?} of {helpers:?}");
    assert!(s.msg.exists(), "nothing removed");
    // With --force, what is left is killed: the main process, then every helper.
    let (code, v) = s.f.json(&[
        "clean",
        "--yes",
        "--stop-qq",
        "--stop-timeout",
        "1",
        "--force",
    ]);
    assert_eq!(code, 0, "{v:#}");
    let _ = child.wait();
    let killed = v["qq"]["killed"].as_array().unwrap();
    assert_eq!(killed[0], main, "the main process first: {v:#}");
    assert!(killed.len() > helpers.len() / 2, "{v:#}");
    assert!(wait_gone(&helpers, 30).is_empty());
    assert!(!s.msg.exists());
}

/// PIDs wrap: the main process gets a PID near `pid_max`, its helpers low ones. Run inside a
/// new PID namespace (root only) so the host's PIDs are not touched; llob-doctor runs there too.
#[test]
fn with_wrapped_pids_the_restart_still_comes_from_the_main_process() {
    let Some(chromium) = chromium() else { return };
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        common::skip("needs root for a PID namespace and ns_last_pid");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = setup(chromium);
    let out_json = s.f.tmp.path().join("clean.json");
    let after = s.f.tmp.path().join("after.txt");
    let args = s.args("profile");
    let doctor = s.f.cmd();
    let mut argv: Vec<String> = vec![doctor.get_program().to_string_lossy().into_owned()];
    argv.extend(doctor.get_args().map(|a| a.to_string_lossy().into_owned()));
    argv.extend(
        ["--json", "clean", "--yes", "--stop-qq", "--restart-qq"]
            .iter()
            .map(|a| a.to_string()),
    );
    let script = r#"
set -u
max=$(cat /proc/sys/kernel/pid_max)
echo $((max - 3)) > /proc/sys/kernel/ns_last_pid || exit 90
cd "$QQ_DIR"
env -i HOME="$QQ_HOME" PATH=/usr/bin:/bin ./qq "$A1" "$A2" "$A3" "$A4" >/dev/null 2>&1 &
main=$!
i=0
until grep -qs -- --type=renderer /proc/[0-9]*/cmdline; do
  i=$((i + 1)); [ "$i" -gt 900 ] && exit 91; sleep 0.1
done
sleep 1.5
echo "main $main" > "$AFTER"
for p in /proc/[0-9]*; do
  n=${p#/proc/}
  if [ "$n" -lt "$main" ] && grep -qs -- --type= "$p/cmdline"; then echo "lower $n" >> "$AFTER"; fi
done
env -i PATH=/usr/bin:/bin HOME=/home/alice "$@" > "$OUT"
echo "code $?" >> "$AFTER"
sleep 3
for p in /proc/[0-9]*; do
  printf 'proc %s ' "${p#/proc/}" >> "$AFTER"; tr '\0' '\001' < "$p/cmdline" >> "$AFTER"; echo >> "$AFTER"
done
"#;
    let out = Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "sh", "-c", script, "sh"])
        .args(&argv)
        .env("QQ_DIR", &s.qq)
        .env("QQ_HOME", s.f.home())
        .env("A1", &args[1])
        .env("A2", &args[2])
        .env("A3", &args[3])
        .env("A4", &args[4])
        .env("OUT", &out_json)
        .env("AFTER", &after)
        .output();
    let out = match out {
        Ok(o) if o.status.code() == Some(90) || o.status.code().is_none() => {
            common::skip(&format!(
                "no PID namespace with a settable ns_last_pid here: {o:?}"
            ));
            return;
        }
        Ok(o) => o,
        Err(e) => {
            common::skip(&format!("unshare could not run: {e}"));
            return;
        }
    };
    let report = std::fs::read_to_string(&after).unwrap_or_default();
    assert!(
        out.status.success(),
        "{out:?}\n{report}\n{}",
        std::fs::read_to_string(&out_json).unwrap_or_default()
    );
    let main: u32 = report
        .lines()
        .find_map(|l| l.strip_prefix("main "))
        .and_then(|p| p.parse().ok())
        .expect("main pid");
    assert!(
        report.lines().any(|l| l.starts_with("lower ")),
        "no helper got a PID below the main's {main}:\n{report}"
    );
    assert!(report.contains("code 0"), "{report}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out_json).unwrap()).unwrap();
    let r = v["qq"]["restarted"].as_array().unwrap();
    assert_eq!(r.len(), 1, "{v:#}");
    assert_eq!(r[0]["was_pid"], main, "{v:#}");
    let new = r[0]["pid"].as_u64().unwrap();
    // A few seconds later it still runs, with the main process's own arguments.
    let line = report
        .lines()
        .find_map(|l| l.strip_prefix(&format!("proc {new} ")))
        .unwrap_or_else(|| panic!("restarted {new} is gone:\n{report}"));
    let cmd: Vec<&str> = line.split('\u{1}').filter(|a| !a.is_empty()).collect();
    assert_eq!(cmd, args, "{report}");
    assert!(!s.msg.exists());
}
