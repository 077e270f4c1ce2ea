//! `schedule install` refuses what would never run: a backend of another platform, and clean
//! arguments that `clean` itself would refuse at every run; it warns about lingering and a data
//! folder not found. Homes and configs are temp folders; no real scheduler is touched.
#![cfg(target_os = "linux")]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary copied where any user may run it.
fn public_binary(dir: &Path) -> PathBuf {
    let p = dir.join("llob-doctor");
    // A hard link opens nothing for writing: a copy's write handle can be inherited by a child
    // another test thread forks meanwhile, and running the copy then fails ("text file busy").
    if fs::hard_link(common::BIN, &p).is_err() {
        fs::copy(common::BIN, &p).unwrap();
    }
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    p
}

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

/// launchd on Linux, schtasks on Linux: a file no scheduler here reads. Refused, nothing written.
/// (The plist and the schtasks command are checked as text in their modules' unit tests.)
#[test]
fn backends_of_another_platform_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = public_binary(tmp.path());
    let home = tmp.path().join("home");
    for backend in ["launchd", "schtasks"] {
        let out = isolated(&bin, &home)
            .args([
                "--lang",
                "en",
                "schedule",
                "install",
                "--backend",
                backend,
                "--at",
                "05:45",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{backend}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("does not run on Linux") && err.contains("--backend cron"),
            "{err}"
        );
    }
    assert!(!home.join("Library").exists());
}

/// What the user typed after `--` is checked as `clean` would check it, before anything is
/// written; clap's whole message is shown.
#[test]
fn scheduled_clean_arguments_are_checked_like_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = public_binary(tmp.path());
    let home = tmp.path().join("home");
    let cases: [(&[&str], &str); 5] = [
        (&["--", "--older-than", "3x"], "unknown unit 'x'"),
        (&["--", "--uin", "abc"], "--uin abc"),
        (&["--", "--dry-run"], "--dry-run in a scheduled clean"),
        (&["--", "--restart-qq"], "--stop-qq"),
        (
            &["--data-dir", "/nonexistent"],
            "/nonexistent: no such folder",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec![
            "--lang",
            "en",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "04:00",
        ];
        // --data-dir is a global option: before the subcommand's `--`.
        if extra[0] == "--data-dir" {
            args.splice(2..2, extra.iter().copied());
        } else {
            args.extend(extra);
        }
        let out = isolated(&bin, &home).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{extra:?}: {err}");
        assert!(
            !home.join(".config/systemd").exists(),
            "{extra:?} wrote units"
        );
    }
    // Lingering off (a fake loginctl answers as logind does): said, with the command to enable it.
    let fake = tmp.path().join("fake-bin");
    fs::create_dir_all(&fake).unwrap();
    let loginctl = fake.join("loginctl");
    fs::write(&loginctl, "#!/bin/sh\necho no\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&loginctl, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        fake.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = isolated(&bin, &home)
        .env("PATH", path)
        .env("USER", "alice")
        .args([
            "--lang",
            "en",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "04:00",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lingering is off for alice")
            && err.contains("sudo loginctl enable-linger alice"),
        "{err}"
    );

    // No data folder found (none given): installed with a clear warning.
    let out = isolated(&bin, &home)
        .args([
            "--lang",
            "en",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "04:00",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no bot data folder (LLOneBot, LLBot, NapCat) is found now"),
        "{err}"
    );
}

/// A service manager's own commands ride along in the scheduled job, each one argument, and the
/// unit still verifies.
#[test]
fn stop_and_start_commands_go_into_the_job_as_single_arguments() {
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
            "04:30",
            "--",
            "--stop-cmd",
            "docker stop llbot",
            "--start-cmd",
            "docker start llbot",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // Written; exit 1 only because no user manager answers here.
    assert_eq!(out.status.code(), Some(1), "{err}");
    let svc =
        fs::read_to_string(home.join(".config/systemd/user/llob-doctor-clean.service")).unwrap();
    assert!(
        svc.contains("\"--stop-cmd\" \"docker stop llbot\" \"--start-cmd\" \"docker start llbot\""),
        "{svc}"
    );
    let have_analyze = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if have_analyze {
        let unit = home.join(".config/systemd/user/llob-doctor-clean.service");
        let out = Command::new("systemd-analyze")
            .args(["verify", "--user"])
            .arg(&unit)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stderr);
        let ours: Vec<&str> = text.lines().filter(|l| l.contains("llob-doctor")).collect();
        assert!(ours.is_empty(), "systemd-analyze verify: {text}");
    } else {
        eprintln!("systemd-analyze not installed: unit text checked only");
    }
}
