//! Schedules attacked through their text: a newline in a job argument adds crontab entries or
//! breaks the systemd unit; escape sequences in what the scheduler holds reach the terminal;
//! unit files follow the umask. A fake `crontab` (a shell script keeping the crontab in a temp
//! file) and a temp home stand for the user's; no real scheduler is touched.
#![cfg(target_os = "linux")]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A home, a fake `crontab` keeping its table in `<tmp>/crontab`, and the binary.
struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let bin = tmp.path().join("fake-bin");
        fs::create_dir_all(&bin).unwrap();
        let script = bin.join("crontab");
        fs::write(
            &script,
            "#!/bin/sh\ncase \"$1\" in\n  -l) cat \"$FAKE_CRONTAB\" 2>/dev/null || { echo \"no crontab for you\" >&2; exit 1; } ;;\n  -) cat > \"$FAKE_CRONTAB\" ;;\nesac\n",
        )
        .unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        fs::create_dir_all(tmp.path().join("home/run")).unwrap();
        Env { tmp }
    }

    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    fn crontab(&self) -> PathBuf {
        self.tmp.path().join("crontab")
    }

    fn cmd(&self) -> Command {
        let home = self.home();
        let mut c = Command::new(common::BIN);
        c.env_clear()
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    self.tmp.path().join("fake-bin").display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("FAKE_CRONTAB", self.crontab())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", home.join("no-bus").display()),
            )
            .args(["--lang", "en"]);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Issue: a newline in any job argument added crontab entries (or broke the systemd unit),
/// still "Installed", exit 0. Now: exit 2, a clear message, nothing written, for every kind of
/// control character and in every place an argument comes from.
#[test]
fn control_characters_in_job_arguments_are_refused_before_anything_is_written() {
    let env = Env::new();
    let data = env.tmp.path().join("data");
    fs::create_dir_all(&data).unwrap();
    let evil = format!("{}\n* * * * * touch /tmp/pwned", data.display());
    let cases: Vec<Vec<String>> = vec![
        vec![
            "--stop-cmd".into(),
            "docker stop llbot\n* * * * * id > /tmp/pwned".into(),
        ],
        vec!["--start-cmd".into(), "docker start llbot\r".into()],
        vec!["--stop-cmd".into(), "docker stop \u{1b}[2Jllbot".into()],
        vec!["--stop-cmd".into(), "docker stop \u{85}llbot".into()],
        vec!["--stop-cmd".into(), "docker stop\u{7f} llbot".into()],
    ];
    for backend in ["--systemd", "--backend=cron"] {
        for extra in &cases {
            let mut args = vec!["schedule", "install", backend, "--at", "04:30", "--"];
            args.extend(extra.iter().map(String::as_str));
            let out = env.run(&args);
            assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains("control character"),
                "{}",
                stderr(&out)
            );
            assert!(!env.crontab().exists(), "{extra:?} reached the crontab");
            assert!(
                !env.home().join(".config/systemd").exists(),
                "{extra:?} wrote units"
            );
        }
        // An override's path (given before `schedule`) with a newline: refused the same way.
        let out = env
            .cmd()
            .arg("--data-dir")
            .arg(&evil)
            .args(["schedule", "install", backend, "--at", "04:30"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("control character"),
            "{}",
            stderr(&out)
        );
        assert!(!env.crontab().exists());
    }
}

/// Issue: `schedule show` printed escape sequences from the crontab raw. They are shown
/// escaped; `--json` keeps the text exact.
#[test]
fn show_escapes_what_the_scheduler_holds() {
    let env = Env::new();
    fs::write(
        env.crontab(),
        "# BEGIN LLOB-DOCTOR\n# every day at 04:30\n30 4 * * * /opt/llob-doctor clean --yes --log-file '/tmp/a\u{1b}]0;pwned\u{7}\u{1b}[2J.log'\n# END LLOB-DOCTOR\n",
    )
    .unwrap();
    let out = env.run(&["schedule", "show", "--backend=cron"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains(r"\x1b]0;pwned\x07\x1b[2J.log"), "{text}");
    let out = env.run(&["--json", "schedule", "show", "--backend=cron"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["jobs"][0]["content"]
            .as_str()
            .unwrap()
            .contains("\u{1b}[2J"),
        "{v:#}"
    );
}

/// The unit files hold the job's command line, which may carry a password (`--stop-cmd`): mode
/// 0600 whatever the umask (under umask 000 they were 0666: anyone could rewrite the job).
#[test]
fn unit_files_are_private_whatever_the_umask() {
    let env = Env::new();
    let c = env.cmd();
    let out = Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" \"$@\""])
        .arg(c.get_program())
        .args(c.get_args())
        .args(["schedule", "install", "--systemd", "--at", "04:30"])
        .env_clear()
        .envs(c.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .output()
        .unwrap();
    // Written; exit 1 only because no user manager answers here.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let dir = env.home().join(".config/systemd/user");
    for unit in ["llob-doctor-clean.service", "llob-doctor-clean.timer"] {
        let m = fs::metadata(dir.join(unit)).unwrap().permissions().mode() & 0o7777;
        assert_eq!(m, 0o600, "{unit}");
    }
    let m = fs::metadata(&dir).unwrap().permissions().mode() & 0o7777;
    assert_eq!(m, 0o700);
    assert_mode_private(&env.home().join(".config"));
}

fn assert_mode_private(p: &Path) {
    let m = fs::metadata(p).unwrap().permissions().mode() & 0o077;
    assert_eq!(m, 0, "{} is open to others", p.display());
}
