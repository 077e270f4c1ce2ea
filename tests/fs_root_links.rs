//! `--fs-root`: paths of the inspected disk are resolved inside it whatever the links on it.
//! A chain of links one longer than the resolver's own limit used to be handed to the kernel,
//! which followed the last link out to this machine's files: `detect` read them and
//! `clean --qq-cache` deleted them. A very long path in a launcher took minutes (quadratic).
#![cfg(unix)]

mod common;
mod qq_cache_tree;

use std::fs;
use std::os::unix::fs::symlink;
use std::process::Output;

use common::{Fixture, Os};
use qq_cache_tree::*;

fn bounded(f: &Fixture, args: &[&str]) -> Output {
    common::watch::run_within(f.cmd().args(args), &format!("{args:?}"))
}

/// `~/.config/QQ` on the inspected disk reaches a folder of this machine through 41 links (the
/// last one absolute, to the host): neither read nor cleaned, and said.
#[test]
fn a_link_chain_longer_than_the_limit_never_reaches_the_host() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    // This machine's QQ cache, outside the inspected disk.
    let host = f.tmp.path().join("host-qq");
    let victim = host.join(format!("nt_qq_{HEX1}/nt_data/Pic/2024-01/Ori/host.jpg"));
    put(&victim, 100, 30);
    // ~/.config/QQ -> /c1 -> /c2 -> ... -> /c40 -> <host> (absolute, on this machine).
    let qq = f.p("/home/alice/.config/QQ");
    let _ = fs::remove_dir_all(&qq);
    fs::create_dir_all(qq.parent().unwrap()).unwrap();
    symlink("/c1", &qq).unwrap();
    for i in 1..40 {
        symlink(format!("/c{}", i + 1), f.root.join(format!("c{i}"))).unwrap();
    }
    symlink(&host, f.root.join("c40")).unwrap();

    let (_, v) = f.json(&["detect"]);
    let text = v.to_string();
    assert!(
        !text.contains("host-qq"),
        "the host's folder was read: {v:#}"
    );
    assert!(
        text.contains("more than 40 links"),
        "the refusal is said: {v:#}"
    );
    let out = bounded(&f, &["--json", "clean", "--yes", "--qq-cache"]);
    assert!(victim.is_file(), "the host's file was deleted");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("host-qq"), "{all}");
}

/// A chain within the limit still resolves inside the root, as the inspected system would.
#[test]
fn a_link_chain_within_the_limit_resolves_inside_the_root() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let real = f.p("/srv/qq-data");
    let pic = real.join(format!("nt_qq_{HEX1}/nt_data/Pic/2024-01/Ori/a.jpg"));
    put(&pic, 100, 30);
    let qq = f.p("/home/alice/.config/QQ");
    let _ = fs::remove_dir_all(&qq);
    fs::create_dir_all(qq.parent().unwrap()).unwrap();
    symlink("/c1", &qq).unwrap();
    for i in 1..39 {
        symlink(format!("../c{}", i + 1), f.root.join(format!("c{i}"))).unwrap();
    }
    symlink("/srv/qq-data", f.root.join("c39")).unwrap();
    let (code, v) = f.json(&["clean", "--yes", "--qq-cache"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!pic.exists(), "cleaned through 40 links: {v:#}");
}

/// A launcher whose require() names a path of 1.6 MB (800,000 components): resolved in one
/// pass (it took 85 s, each step copying the path so far).
#[test]
fn a_huge_path_in_a_launcher_is_resolved_in_linear_time() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let launcher = f.p("/opt/QQ/resources/app/app_launcher/ml_install.js");
    let huge = "x/".repeat(800_000);
    fs::write(
        &launcher,
        format!("require(\"/opt/{huge}LiteLoaderQQNT\");\n"),
    )
    .unwrap();
    let out = bounded(&f, &["--json", "detect"]);
    assert!(out.status.code().is_some(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["qq"].is_object(), "QQ is found all the same");
}
