//! The real LLBot CLI launcher (`llbot-cli-linux-x64` 2.1.0 on the npm registry, the LLBot
//! authors' own program), run over installs of ours: `bin/llbot/node` answers `--version` with
//! v24 and runs the system's node, `bin/llbot/llbot.js` is a small bot that says it is ready,
//! keeps running and quits on SIGTERM. `.ci/run` fetches the package into `target/npm` (with
//! `npm pack`); without it the tests that need it skip and say so.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Fixture;

/// Where `.ci/run` unpacks the launcher, or `LLOB_TEST_LLBOT_CLI`.
pub fn real_launcher() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LLOB_TEST_LLBOT_CLI") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/npm/llbot-cli-linux-x64/llbot");
    p.is_file().then_some(p)
}

/// The launcher, or a printed skip.
pub fn launcher_or_skip(test: &str) -> Option<PathBuf> {
    let found = real_launcher();
    if found.is_none() {
        super::skip(&format!(
            "{test}: the real LLBot CLI launcher is not in target/npm (run .ci/run, or `npm pack llbot-cli-linux-x64@2.1.0` and unpack it to target/npm/llbot-cli-linux-x64)"
        ));
    }
    found
}

/// The bot program: writes `ready-<pid>` with its arguments into its folder, runs until
/// SIGTERM.
const LLBOT_JS: &str = r#"
const fs = require('fs');
fs.writeFileSync('ready-' + process.pid, process.argv.slice(2).join(' '));
process.on('SIGTERM', () => { try { fs.unlinkSync('ready-' + process.pid); } catch (e) {} process.exit(0); });
setInterval(() => {}, 1000);
"#;

const NODE: &str =
    "#!/bin/sh\nif [ \"$1\" = \"--version\" ]; then echo v24.11.0; exit 0; fi\nexec node \"$@\"\n";

/// An LLBot CLI install the real launcher starts: the launcher, the node wrapper, our bot,
/// `package.json` (version) and the login token; returns its data folder (`bin/llbot/data`),
/// which the test fills.
pub fn cli_install(f: &Fixture, install: &Path, launcher: &Path, version: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let exe = |p: &Path| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod")
    };
    std::fs::create_dir_all(install).expect("mkdir");
    std::fs::copy(launcher, install.join("llbot")).expect("copy the launcher");
    exe(&install.join("llbot"));
    let bin = install.join("bin/llbot");
    f.write(&bin.join("node"), NODE);
    exe(&bin.join("node"));
    f.write(&bin.join("llbot.js"), LLBOT_JS);
    let pkg = serde_json::json!({"name": "llonebot-dist", "version": version, "main": "llbot.js"});
    f.write(&bin.join("package.json"), pkg.to_string());
    let data = bin.join("data");
    // The launcher refuses to start without a login token (it asks for one and waits).
    f.write(&data.join("auth_token.txt"), "a-token-of-ours");
    data
}

/// One run of the launcher: its PID and its node's, both stopped (by PID) when dropped.
pub struct Run {
    pub launcher: std::process::Child,
    pub node: u32,
    bin: PathBuf,
}

impl Drop for Run {
    fn drop(&mut self) {
        if is_our_bot(self.node, &self.bin) {
            super::stop_pid(self.node);
        }
        let _ = std::fs::remove_file(self.bin.join(format!("ready-{}", self.node)));
        let _ = self.launcher.kill();
        let _ = self.launcher.wait();
    }
}

/// Is `pid` still our bot program, running in `bin` (not a later process with its PID)?
fn is_our_bot(pid: u32, bin: &Path) -> bool {
    cmdline(pid).iter().any(|a| a == "llbot.js")
        && std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|c| c == bin)
}

/// Stops the bots that launchers restarted by llob-doctor started in `install` (their ready
/// files name them), each only while it is still our bot program.
pub fn reap(install: &Path) {
    let bin = install.join("bin/llbot");
    for (pid, _) in ready(&bin) {
        if is_our_bot(pid, &bin) {
            super::stop_pid(pid);
        }
        let _ = std::fs::remove_file(bin.join(format!("ready-{pid}")));
    }
}

/// The `ready-<pid>` files in a folder.
fn ready(bin: &Path) -> Vec<(u32, String)> {
    std::fs::read_dir(bin)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let pid = name.strip_prefix("ready-")?.parse().ok()?;
            Some((pid, std::fs::read_to_string(e.path()).unwrap_or_default()))
        })
        .collect()
}

/// Starts the launcher in `install` with `args` and waits for its node to be ready.
pub fn start(install: &Path, args: &[&str]) -> Run {
    let bin = install.join("bin/llbot");
    let before: Vec<u32> = ready(&bin).into_iter().map(|(p, _)| p).collect();
    let mut c = Command::new(install.join("llbot"));
    c.args(args)
        .current_dir(install)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut launcher = super::spawn_retrying(&mut c).expect("start the launcher");
    let t = Instant::now();
    loop {
        if let Some((node, _)) = ready(&bin).into_iter().find(|(p, _)| !before.contains(p)) {
            return Run {
                launcher,
                node,
                bin,
            };
        }
        if let Ok(Some(st)) = launcher.try_wait() {
            panic!(
                "the launcher in {} exited before its bot was ready: {st}",
                install.display()
            );
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the bot of {} was not ready in 30 s",
            install.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The command line of a running process.
pub fn cmdline(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .unwrap_or_default()
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}
