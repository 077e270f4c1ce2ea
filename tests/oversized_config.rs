//! A config file far larger than any config (a sparse file, no disk used): `detect` and
//! `doctor` never read it whole, say once that it is too large, and never call it read.

mod common;
mod llbot_tree;

use std::fs::OpenOptions;
use std::path::Path;

use common::{Fixture, Os};
use serde_json::Value;

const HUGE: u64 = 64 << 20;

fn make_huge(path: &Path) {
    let f = OpenOptions::new().write(true).open(path).expect("config");
    f.set_len(HUGE).expect("set_len");
}

fn findings(v: &Value) -> Vec<Value> {
    v["findings"].as_array().cloned().unwrap_or_default()
}

/// Findings whose text names the file as too large, and whether any claims it was read.
fn check_doctor(f: &Fixture, args: &[&str], uin: &str) {
    let mut all = args.to_vec();
    all.push("doctor");
    let (_, v) = f.json(&all);
    let list = findings(&v);
    let too_large: Vec<&Value> = list
        .iter()
        .filter(|x| {
            let m = x["message"].as_str().unwrap_or("");
            m.contains(&format!("config_{uin}.json")) && m.contains("larger than expected")
                || m.contains("too large to be a config")
        })
        .collect();
    assert_eq!(too_large.len(), 1, "said once: {v:#}");
    // Not read, so neither "config read" nor a parser's complaint about its content.
    let id = format!("config.{uin}");
    assert!(
        list.iter()
            .filter(|x| x["check"] == id.as_str())
            .all(|x| x["message"]
                .as_str()
                .is_some_and(|m| m.contains("too large to be a config"))),
        "claims the config was read: {v:#}"
    );
    let out = f.run(&[&["--lang", "en"], args, &["doctor"]].concat());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("config read"), "{text}");
}

#[test]
fn plugin_config_too_large() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    make_huge(&data.join("config_30003.json"));
    let out = f.run(&["--lang", "en", "detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("file is {HUGE} bytes, larger than expected")),
        "{text}"
    );
    check_doctor(&f, &[], "30003");
}

#[test]
fn llbot_config_too_large() {
    let f = Fixture::new(Os::Linux);
    let (install, data) = llbot_tree::linux_cli(&f);
    make_huge(&data.join("config_70007.json"));
    let dir = install.display().to_string();
    let out = f.run(&["--lang", "en", "--llbot-dir", &dir, "detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("file is {HUGE} bytes, larger than expected")),
        "{text}"
    );
    check_doctor(&f, &["--llbot-dir", &dir], "70007");
}
