//! Running llob-doctor where file permissions stop it, to test what it says about files it
//! cannot read (the suite runs as root in CI).
#![cfg(target_os = "linux")]

use std::path::Path;

use super::{Fixture, skip};

/// Runs llob-doctor as someone file permissions stop: as is when not root; as root, without
/// the capabilities that let root read anything (`setpriv`), same uid and owner checks.
/// `None` (skipped, said why) when permissions cannot be made to stop it here.
pub fn run(f: &Fixture, args: &[&str], probe: &Path) -> Option<std::process::Output> {
    let mut c = f.cmd();
    c.args(args);
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some(c.output().unwrap());
    }
    let drop_caps = ["--bounding-set", "-dac_override,-dac_read_search", "--"];
    let stopped = std::process::Command::new("setpriv")
        .args(drop_caps)
        .arg("cat")
        .arg(probe)
        .output();
    match stopped {
        Ok(o) if !o.status.success() => {}
        other => {
            skip(&format!(
                "as root, cannot drop the capabilities that bypass permissions: {other:?}"
            ));
            return None;
        }
    }
    let mut w = std::process::Command::new("setpriv");
    w.args(drop_caps)
        .arg(c.get_program())
        .args(c.get_args())
        .env_clear();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            w.env(k, v);
        }
    }
    Some(w.output().unwrap())
}
