//! Files llob-doctor writes, attacked as root's cron runs would be: `stats --output` into a
//! collector's folder with links planted at the temporary names, `--log-file` through a planted
//! link or into another user's folder or onto `/proc`, the modes under any umask, and the run
//! log's record of a partly failed clean. Unix only (links, modes, umask, uids).
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Fixture, Os};

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap().mode() & 0o7777
}

/// The fixture's command run under `umask`, through the shell.
fn under_umask(f: &Fixture, umask: &str, args: &[&str]) -> Output {
    let c = f.cmd();
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(c.get_program())
        .args(c.get_args())
        .args(args)
        .env_clear();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    sh.output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fixture with one LLOneBot log, for `stats`.
fn with_logs() -> (Fixture, PathBuf) {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    (f, data)
}

// ---- stats --output ------------------------------------------------------------------------

/// Issue: `.NAME.PID.tmp` was predictable and opened following links: a root-only file was
/// truncated and replaced by metrics. Links planted at every name the next PIDs would give
/// now catch nothing: the temporary name cannot be guessed and is created exclusively.
#[test]
fn links_planted_at_guessable_temporary_names_catch_nothing() {
    let (f, _) = with_logs();
    let folder = f.tmp.path().join("textfile");
    fs::create_dir_all(&folder).unwrap();
    let victim = f.tmp.path().join("shadow");
    fs::write(&victim, "root-only secret\n").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o600)).unwrap();
    let next: u32 = fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    for pid in next..next + 2000 {
        std::os::unix::fs::symlink(&victim, folder.join(format!(".llonebot.prom.{pid}.tmp")))
            .unwrap();
    }
    if is_root() {
        // The node_exporter layout: the collector's folder, owned by its user.
        std::os::unix::fs::chown(&folder, Some(47_013), Some(47_013)).unwrap();
    }
    let target = folder.join("llonebot.prom");
    let out = f.run(&[
        "stats",
        "--prometheus",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "root-only secret\n");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = fs::symlink_metadata(&target).unwrap();
    assert!(
        written.file_type().is_file(),
        "a file of its own, not a link"
    );
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .contains("llonebot_sends")
    );
    // Only the planted links and the output are there: no temporary file left behind.
    assert_eq!(fs::read_dir(&folder).unwrap().count(), 2000 + 1);
}

/// Created files' modes never follow the umask: the metrics file is 0644 (the collector runs
/// as another user and must read it) under umask 000 and 077 alike.
#[test]
fn the_metrics_file_is_0644_whatever_the_umask() {
    let (f, _) = with_logs();
    for umask in ["000", "077"] {
        let target = f.tmp.path().join(format!("m{umask}.prom"));
        let out = under_umask(
            &f,
            umask,
            &[
                "stats",
                "--prometheus",
                "--output",
                target.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(mode(&target), 0o644, "umask {umask}");
    }
}

/// `--output` onto another user's file: refused, left as it was.
#[test]
fn output_over_another_users_file_is_refused() {
    if !is_root() {
        common::skip("needs root to own a file of another user");
        return;
    }
    let (f, _) = with_logs();
    let target = f.tmp.path().join("theirs.prom");
    fs::write(&target, "theirs\n").unwrap();
    std::os::unix::fs::chown(&target, Some(47_013), Some(47_013)).unwrap();
    let out = f.run(&[
        "--lang",
        "en",
        "stats",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("belongs to uid 47013"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "theirs\n");
}

// ---- the run log ---------------------------------------------------------------------------

fn clean_with_log(f: &Fixture, log: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--lang",
        "en",
        "clean",
        "--yes",
        "--log-file",
        log.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    f.run(&args)
}

/// Issue: the log was opened with create+append, following a link planted at its name, so a
/// line holding a name the bot user chose (`x$(id>>…)x.jpg`) landed in root's `.bashrc`. A link
/// there is refused now, before anything is cleaned.
#[test]
fn a_log_name_planted_as_a_link_is_refused_before_anything_is_done() {
    let (f, data) = with_logs();
    fs::write(data.join("temp/x$(id>>pwned)x.jpg"), "x").unwrap();
    let bashrc = f.tmp.path().join("bashrc");
    fs::write(&bashrc, "# root's shell start-up\n").unwrap();
    let logs = f.tmp.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    let log = logs.join("clean.log");
    std::os::unix::fs::symlink(&bashrc, &log).unwrap();
    let out = clean_with_log(&f, &log, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(&bashrc).unwrap(),
        "# root's shell start-up\n"
    );
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert!(
        data.join("temp/image-1.png").exists(),
        "refused before cleaning"
    );
}

/// Root keeps no log in a folder another user can change (they could swap the name at any
/// time): refused, nothing cleaned. In a folder of root's it is kept, mode 0600.
#[test]
fn root_keeps_no_log_in_another_users_folder() {
    if !is_root() {
        common::skip("needs root to give a folder to another user");
        return;
    }
    let (f, data) = with_logs();
    let theirs = f.tmp.path().join("bot-home");
    fs::create_dir_all(&theirs).unwrap();
    std::os::unix::fs::chown(&theirs, Some(47_014), Some(47_014)).unwrap();
    let out = clean_with_log(&f, &theirs.join("clean.log"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("belongs to uid 47014"),
        "{}",
        stderr(&out)
    );
    assert!(!theirs.join("clean.log").exists());
    assert!(data.join("temp/image-1.png").exists());
    // A link in that user's folder does not lead root's log elsewhere either.
    let own = f.tmp.path().join("root-logs");
    fs::create_dir_all(&own).unwrap();
    std::os::unix::fs::symlink(&own, theirs.join("logs")).unwrap();
    let out = clean_with_log(&f, &theirs.join("logs/clean.log"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("symbolic link in a folder of uid 47014"),
        "{}",
        stderr(&out)
    );
    assert!(!own.join("clean.log").exists());
}

/// Issue: `--log-file /proc/sys/kernel/hostname` changed the hostname. Run in a UTS namespace
/// of its own, so that a failure cannot change this machine's name.
#[cfg(target_os = "linux")]
#[test]
fn a_log_on_proc_is_refused() {
    if !is_root() {
        common::skip("needs root for a UTS namespace of its own");
        return;
    }
    let (f, data) = with_logs();
    let c = f.cmd();
    let line = "hostname before-llob; \"$0\" \"$@\"; echo \"rc=$?\"; hostname";
    let out = Command::new("unshare")
        .args(["--uts", "sh", "-c", line])
        .arg(c.get_program())
        .args(c.get_args())
        .args(["clean", "--yes", "--log-file", "/proc/sys/kernel/hostname"])
        .env_clear()
        .envs(c.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .output()
        .unwrap();
    if !out.status.success() {
        common::skip(&format!("unshare --uts failed: {}", stderr(&out)));
        return;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("rc=2"), "{text}{}", stderr(&out));
    assert!(text.trim_end().ends_with("before-llob"), "{text}");
    assert!(
        stderr(&out).contains("filesystem of the kernel"),
        "{}",
        stderr(&out)
    );
    assert!(data.join("temp/image-1.png").exists());
}

/// A `--log-file` whose folder is a file: an error before anything is done, in `--json` too.
#[test]
fn a_log_below_a_file_is_an_error_also_in_json() {
    let (f, data) = with_logs();
    let file = f.tmp.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let log = file.join("clean.log");
    let out = f.run(&[
        "--json",
        "clean",
        "--yes",
        "--log-file",
        log.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["exit_code"], 2, "{v:#}");
    let error = v["error"].as_str().unwrap();
    assert!(
        error.contains("is not a folder") && error.contains("a-file"),
        "{error}"
    );
    assert!(data.join("temp/image-1.png").exists());
}

/// Issue: a `--stop-cmd` with a password was copied into a 0644 log (0666 under umask 000).
/// The log is 0600 whatever the umask, an older log is made 0600, and so is the lock file.
#[test]
fn the_log_and_the_lock_are_private_whatever_the_umask() {
    let (f, data) = with_logs();
    let log = f.tmp.path().join("logs/clean.log");
    let lock_mode = f.tmp.path().join("lock-mode");
    let stop = format!(
        "stat -c %a {} > {} # --password hunter2",
        data.join(".llob-doctor.lock").display(),
        lock_mode.display()
    );
    let out = under_umask(
        &f,
        "000",
        &[
            "clean",
            "--yes",
            "--stop-cmd",
            &stop,
            "--log-file",
            log.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read_to_string(&log).unwrap().contains("hunter2"));
    assert_eq!(mode(&log), 0o600);
    assert_eq!(mode(log.parent().unwrap()), 0o700, "the folder made for it");
    assert_eq!(fs::read_to_string(&lock_mode).unwrap().trim(), "600");
    // A log kept from before, readable by all: made private at the next run.
    fs::set_permissions(&log, fs::Permissions::from_mode(0o644)).unwrap();
    let out = under_umask(
        &f,
        "000",
        &["clean", "--yes", "--log-file", log.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(mode(&log), 0o600);
    assert_eq!(fs::read_to_string(&log).unwrap().lines().count(), 2);
}

/// Issue: after a partial failure the log said `"removed":[]` although files were removed.
/// Every row of which something went is listed, with what went and whether all of it did.
#[cfg(target_os = "linux")]
#[test]
fn the_log_lists_what_went_after_a_partial_failure() {
    if !is_root() {
        common::skip("needs root for a mount inside temp/");
        return;
    }
    let (f, data) = with_logs();
    let mnt = data.join("temp/sub/mnt");
    fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "llob-test"])
        .arg(&mnt)
        .status();
    if !mounted.is_ok_and(|s| s.success()) {
        common::skip("cannot mount a tmpfs");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _u = Unmount(mnt.clone());
    fs::write(mnt.join("keep"), "keep").unwrap();
    let log = f.tmp.path().join("clean.log");
    let out = clean_with_log(&f, &log, &[]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let line: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&log).unwrap().trim()).unwrap();
    let removed = line["removed"].as_array().unwrap();
    let temp = removed
        .iter()
        .find(|r| r["kind"] == "temp")
        .unwrap_or_else(|| panic!("temp/ not listed: {line:#}"));
    assert_eq!(temp["complete"], false, "{temp}");
    assert!(temp["entries"].as_u64().unwrap() >= 1, "{temp}");
    assert!(
        temp["files"].as_u64().unwrap() >= 2,
        "image-1.png and sub/voice.silk: {temp}"
    );
    assert!(
        removed
            .iter()
            .any(|r| r["kind"] == "msg_db" && r["complete"] == true)
    );
    assert!(!data.join("temp/image-1.png").exists());
    assert_eq!(fs::read_to_string(mnt.join("keep")).unwrap(), "keep");
}
