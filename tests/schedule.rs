//! `schedule` with the real schedulers' files and programs, never the machine's own: cron through
//! the real `crontab` for a throwaway user, systemd units in a temp config folder (checked by
//! `systemd-analyze verify`), refusals of what would never run; and the run log.

mod common;

use std::fs;
use std::path::Path;
#[cfg(unix)]
use std::path::PathBuf;
#[cfg(unix)]
use std::process::{Command, Output};

#[cfg(unix)]
use common::BIN;
use common::{Fixture, Os};
use serde_json::Value;

#[cfg(unix)]
/// The binary copied where any user may run it.
fn public_binary(dir: &Path) -> PathBuf {
    let p = dir.join("llob-doctor");
    // A hard link opens nothing for writing: a copy's write handle can be inherited by a child
    // another test thread forks meanwhile, and running the copy then fails ("text file busy").
    if fs::hard_link(BIN, &p).is_err() {
        fs::copy(BIN, &p).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    p
}

#[cfg(unix)]
/// A clean environment whose home and config live in `home`, with no way to reach a real
/// systemd user manager.
fn isolated(bin: &Path, home: &Path) -> Command {
    let mut c = Command::new(bin);
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
    fs::create_dir_all(home.join("run")).unwrap();
    c
}

#[cfg(unix)]
fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A throwaway system user, removed (with its crontab) on drop.
#[cfg(unix)]
struct TestUser(String);

#[cfg(unix)]
impl TestUser {
    fn create() -> Option<TestUser> {
        let is_root = unsafe { libc::geteuid() } == 0;
        let have = |p: &str| {
            Command::new("sh")
                .args(["-c", &format!("command -v {p}")])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !is_root || !have("useradd") || !have("crontab") || !have("runuser") {
            return None;
        }
        let name = format!("llobt{}", std::process::id());
        let ok = Command::new("useradd")
            .args(["-M", "-d", "/nonexistent", &name])
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(TestUser(name))
    }

    fn crontab(&self, args: &[&str], input: Option<&str>) -> Output {
        let mut c = Command::new("runuser");
        c.args(["-u", &self.0, "--", "crontab"]).args(args);
        match input {
            Some(text) => {
                use std::io::Write;
                let mut child = c
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(text.as_bytes())
                    .unwrap();
                child.wait_with_output().unwrap()
            }
            None => c.output().unwrap(),
        }
    }

    fn run(&self, bin: &Path, home: &Path, args: &[&str]) -> Output {
        Command::new("runuser")
            .args(["-u", &self.0, "--"])
            .arg("env")
            .arg(format!("HOME={}", home.display()))
            .arg(bin)
            .args(args)
            .current_dir("/")
            .output()
            .unwrap()
    }
}

#[cfg(unix)]
impl Drop for TestUser {
    fn drop(&mut self) {
        let _ = Command::new("crontab").args(["-r", "-u", &self.0]).output();
        let _ = Command::new("userdel").arg(&self.0).status();
    }
}

#[cfg(unix)]
#[test]
fn cron_round_trip_with_the_real_crontab() {
    let Some(user) = TestUser::create() else {
        // CI runs as root with cron installed; elsewhere this cannot run without touching a real user.
        common::skip("needs root, useradd, runuser and crontab");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let bin = public_binary(tmp.path());
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();
    Command::new("chown")
        .arg(&user.0)
        .arg(&home)
        .status()
        .unwrap();

    // A missing crontab is an empty one.
    let out = user.run(&bin, &home, &["--json", "schedule", "show"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["installed"], false);

    let original = "# m h dom mon dow command\nMAILTO=\"\"\n\n# nightly backup\n0 1 * * * /usr/bin/true # keep me\n";
    assert!(user.crontab(&["-"], Some(original)).status.success());

    let args = [
        "--json",
        "schedule",
        "install",
        "--at",
        "04:30",
        "--every",
        "week",
        "--weekday",
        "mon",
        "--",
        "--stop-qq",
        "--older-than",
        "3d",
    ];
    let out = user.run(&bin, &home, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["backend"], "cron");
    let installed = String::from_utf8(user.crontab(&["-l"], None).stdout).unwrap();
    assert!(installed.starts_with(original), "{installed}");
    let log = home.join(".local/share/llob-doctor/clean.log");
    let expected = format!(
        "30 4 * * 1 {} clean --yes --quiet --log-file {} --stop-qq --older-than 3d",
        bin.display(),
        log.display()
    );
    assert!(installed.lines().any(|l| l == expected), "{installed}");

    let out = user.run(&bin, &home, &["--json", "schedule", "show"]);
    let v = json(&out);
    assert_eq!(v["installed"], true);
    // show lists every job: here the one for all bots.
    let v = &v["jobs"][0];
    assert_eq!(v["name"], Value::Null);
    assert!(v["content"].as_str().unwrap().contains(&expected));

    // Again: still one entry.
    assert!(user.run(&bin, &home, &args).status.success());
    let twice = String::from_utf8(user.crontab(&["-l"], None).stdout).unwrap();
    assert_eq!(twice.matches("# BEGIN LLOB-DOCTOR").count(), 1);
    assert_eq!(twice, installed);

    let out = user.run(&bin, &home, &["schedule", "remove"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = String::from_utf8(user.crontab(&["-l"], None).stdout).unwrap();
    assert_eq!(after, original, "remove changed other lines");

    // Bad clean arguments are refused before the crontab is touched.
    let out = user.run(
        &bin,
        &home,
        &[
            "schedule",
            "install",
            "--at",
            "04:30",
            "--",
            "--no-such-flag",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(user.crontab(&["-l"], None).stdout).unwrap(),
        original
    );
}

#[cfg(unix)]
#[test]
fn systemd_units_verify_and_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = public_binary(tmp.path());
    let home = tmp.path().join("home");
    let out = isolated(&bin, &home)
        .args([
            "--json",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "03:15",
            "--",
            "--logs",
        ])
        .output()
        .unwrap();
    // No user manager: the units are written but nothing will run them; exit 1 says so.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["backend"], "systemd");
    assert_eq!(v["active"], false);
    let dir = home.join(".config/systemd/user");
    let service = dir.join("llob-doctor-clean.service");
    let timer = dir.join("llob-doctor-clean.timer");
    let svc = fs::read_to_string(&service).unwrap();
    assert!(
        svc.contains(&format!(
            "ExecStart=\"{}\" \"clean\" \"--yes\" \"--quiet\"",
            bin.display()
        )),
        "{svc}"
    );
    assert!(svc.contains("\"--logs\""));
    assert!(
        fs::read_to_string(&timer)
            .unwrap()
            .contains("OnCalendar=*-*-* 03:15:00")
    );
    // No user manager here: the commands to finish by hand are given.
    let manual: Vec<&str> = v["manual_commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        manual
            .iter()
            .any(|c| c.contains("enable --now llob-doctor-clean.timer")),
        "{manual:?}"
    );

    let have_analyze = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if have_analyze {
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(&service)
            .arg(&timer)
            .env("SYSTEMD_LOG_LEVEL", "warning")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        // Complaints about the host's own units are not ours; ours must not be named.
        let ours: Vec<&str> = err.lines().filter(|l| l.contains("llob-doctor")).collect();
        assert!(ours.is_empty(), "systemd-analyze verify: {err}");
    } else {
        eprintln!("systemd-analyze not installed: unit text checked only");
    }

    let out = isolated(&bin, &home)
        .args([
            "--lang",
            "en",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "03:15",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Written, not enabled:"), "{text}");

    // show: each unit file under its name, the next run, and the last run from the run log.
    let log = home.join(".local/share/llob-doctor/clean.log");
    fs::create_dir_all(log.parent().unwrap()).unwrap();
    fs::write(
        &log,
        "{\"time\":\"2026-01-02T03:15:00Z\",\"exit_code\":0,\"removed\":[{},{}],\"freed_bytes\":3145728,\"failed\":0,\"error\":null}\n",
    )
    .unwrap();
    let out = isolated(&bin, &home)
        .args(["--json", "schedule", "show", "--systemd"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["installed"], true);
    let v = &v["jobs"][0];
    let content = v["content"].as_str().unwrap();
    assert!(
        content.contains(&format!("# {}\n", service.display())),
        "{content}"
    );
    assert!(
        content.contains(&format!("# {}\n", timer.display())),
        "{content}"
    );
    assert!(v["next_run"].as_str().unwrap().contains("03:15"), "{v}");
    let last = v["last_run"].as_str().unwrap();
    assert!(
        last.contains("2026-01-02T03:15:00Z") && last.contains("3.0 MiB"),
        "{last}"
    );
    let out = isolated(&bin, &home)
        .args(["--lang", "en", "schedule", "show", "--systemd"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("next run") && text.contains("last run"),
        "{text}"
    );

    let out = isolated(&bin, &home)
        .args(["schedule", "remove", "--systemd"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!service.exists() && !timer.exists());
    // Again: nothing is there, and it says so.
    let out = isolated(&bin, &home)
        .args(["--lang", "en", "schedule", "remove", "--systemd"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Nothing to remove"), "{text}");
}

#[test]
fn bad_schedule_arguments_exit_2() {
    let f = Fixture::new(Os::Linux);
    for args in [
        &["schedule", "install"][..],
        &["schedule", "install", "--at", "25:00"],
        &["schedule", "install", "--at", "04:00", "--weekday", "mon"],
    ] {
        let out = f.run(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_log_file_gets_one_json_line_per_run() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let log = f.tmp.path().join("logs/clean.log");
    let log_s = log.to_str().unwrap();
    assert_eq!(
        f.run(&["clean", "--yes", "--quiet", "--log-file", log_s])
            .status
            .code(),
        Some(0)
    );
    // The second run finds nothing left but temp/ entries re-created, and a refusal logs too.
    f.write(&data.join("temp/again.bin"), "1234");
    assert_eq!(
        f.run(&["clean", "--yes", "--log-file", log_s])
            .status
            .code(),
        Some(0)
    );
    let out = f
        .cmd()
        .args(["clean", "--log-file", log_s])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let text = fs::read_to_string(&log).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["command"], "clean");
    assert_eq!(lines[0]["exit_code"], 0);
    assert_eq!(Path::new(lines[0]["data_dir"].as_str().unwrap()), data);
    let kinds: Vec<&str> = lines[0]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["msg_db", "temp"]);
    assert!(lines[0]["freed_bytes"].as_u64().unwrap() > 20_000);
    assert_eq!(lines[1]["freed_bytes"], 4);
    assert_eq!(lines[2]["exit_code"], 2);
    assert!(lines[2]["error"].as_str().unwrap().contains("terminal"));
    assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn quiet_prints_nothing_on_success() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let out = f.run(&["clean", "--yes", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}
