//! `probe` sends the OneBot token only to the bot: a program of another user listening on the
//! bot's port (the bot is down) gets no `Authorization` header, and the finding says who holds
//! the port. Linux: the other user is a uid the test switches to (needs root).
#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{Fixture, Os};
use serde_json::{Value, json};

/// The fake OneBot program, copied where any user may run it.
fn public_fake(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let src = Path::new(common::BIN)
        .parent()
        .unwrap()
        .join("examples/fake_onebot");
    assert!(
        src.exists(),
        "{} missing: cargo test builds examples",
        src.display()
    );
    std::fs::create_dir_all(dir).unwrap();
    let bin = dir.join("fake_onebot");
    std::fs::copy(&src, &bin).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// A fake bot listening on a free port, run as `uid` when given; stopped when dropped.
struct Listener {
    child: Child,
    port: u16,
}

impl Listener {
    fn start(bin: &Path, uid: Option<u32>) -> Listener {
        let mut c = Command::new(bin);
        c.stdout(Stdio::piped()).env("FAKE_ONEBOT_LIFETIME", "60");
        if let Some(uid) = uid {
            c.uid(uid).gid(uid);
        }
        let mut child = common::spawn_retrying(&mut c).unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port = first
            .trim()
            .strip_prefix("port ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("fake said {first:?}"));
        Listener { child, port }
    }

    /// Stops it; what it was asked (`ACTION<TAB>AUTHORIZATION` lines).
    fn requests(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut s = String::new();
        let _ = self.child.stdout.take().unwrap().read_to_string(&mut s);
        s
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn with_token(data: &Path, uin: &str, port: u16) {
    let body = json!({"ob11": {"httpPort": port, "enableHttp": true, "enableWs": false, "wsPort": 3001}, "token": "s3cret-token", "log": true});
    std::fs::write(data.join(format!("config_{uin}.json")), body.to_string()).unwrap();
}

fn finding<'a>(v: &'a Value, check: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["check"] == check))
        .unwrap_or_else(|| panic!("no {check}: {v:#}"))
}

/// Issue: with the bot down, another user's program on the bot's port got
/// `Authorization: Bearer <token>`. Now nothing is sent, and the finding names who listens.
#[test]
fn another_users_program_on_the_port_gets_no_token() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        common::skip("needs root to run the listener as another user");
        return;
    }
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let bin = public_fake(&f.tmp.path().join("fake-bin"));
    let other = Listener::start(&bin, Some(47_012));
    with_token(&data, "30003", other.port);
    let (code, v) = f.json(&["probe"]);
    let out = f.run(&["--lang", "en", "probe"]);
    let asked = other.requests();
    assert!(!asked.contains("s3cret"), "the token went out: {asked}");
    assert_eq!(code, 1, "{v:#}");
    let p = finding(&v, "probe.30003");
    assert_eq!(p["severity"], "fail");
    assert_eq!(p["data"]["error"]["kind"], "not_the_bot", "{p}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("fake_onebot, user uid 47012") && text.contains("the token was not sent"),
        "{text}"
    );
}

/// The data folder's owner's own program on the port (no bot process known): it is the bot as
/// far as anyone can tell, and it gets the token.
#[test]
fn the_data_owners_program_gets_the_token() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let bin = public_fake(&f.tmp.path().join("fake-bin"));
    let own = Listener::start(&bin, None);
    with_token(&data, "30003", own.port);
    let (code, v) = f.json(&["probe"]);
    let asked = own.requests();
    assert_eq!(code, 0, "{v:#}");
    assert!(
        asked.contains("get_version_info\tBearer s3cret-token"),
        "{asked}"
    );
}
