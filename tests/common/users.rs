//! Throwaway users for the tests that run as root: made with `useradd`, removed (with
//! `userdel -f`) when dropped. Never a real user of the machine.
#![cfg(target_os = "linux")]
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub struct User {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

impl Drop for User {
    fn drop(&mut self) {
        let out = Command::new("userdel").args(["-f", &self.name]).output();
        if !out.as_ref().is_ok_and(|o| o.status.success()) {
            eprintln!("userdel -f {} failed: {out:?}", self.name);
        }
    }
}

/// Are we root (so users can be made and processes run as them)?
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A new user named `<prefix><pid>` with `home` as its home (not created), or a printed skip.
pub fn make(prefix: &str, home: &Path) -> Option<User> {
    if !is_root() {
        super::skip("needs root to make a throwaway user");
        return None;
    }
    let name = format!("{prefix}{}", std::process::id() % 100_000);
    let made = Command::new("useradd")
        .args(["-M", "-s", "/bin/sh", "-d"])
        .arg(home)
        .arg(&name)
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        super::skip(&format!("useradd failed: {made:?}"));
        return None;
    }
    let id = |flag: &str| -> u32 {
        let o = Command::new("id").args([flag, &name]).output().unwrap();
        String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
    };
    Some(User {
        uid: id("-u"),
        gid: id("-g"),
        name,
    })
}

/// Gives a tree to a user (`chown -R`).
pub fn give(path: &Path, u: &User) {
    let ok = Command::new("chown")
        .arg("-R")
        .arg(format!("{}:{}", u.uid, u.gid))
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success(), "chown {}", path.display());
}
