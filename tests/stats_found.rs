//! `stats` with no paths reads the logs of every bot stack discovery found: NapCat's work dir
//! beside LLOneBot's data dir, each file counted as the stack that wrote it.

mod common;
mod llbot_tree;
mod napcat_tree;

use common::{Fixture, Os, native, sample};
use napcat_tree::*;

#[test]
fn napcat_logs_are_read_without_a_path() {
    let f = Fixture::new(Os::Linux);
    let nc = linux_installer(&f);
    // The tree's own log has one send; add a day with timeouts (NapCat's real line layout).
    f.write(
        &nc.join(native("logs/2025-05-12_10-00-00.123.log")),
        sample("logs/2025-05-12_10-00-00.123.log"),
    );
    let (code, v) = f.json(&["stats", "--since", "2020-01-01"]);
    assert_eq!(code, 0, "{v:#}");
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 2, "{v:#}");
    assert!(files.iter().all(|x| x["stack"] == "napcat"), "{v:#}");
    assert!(v["timeouts"].as_u64().unwrap_or(0) >= 1, "{v:#}");
    // NapCat's lines name no account: the folder's only account is theirs.
    assert_eq!(v["accounts"][0]["uin"], 123456, "{v:#}");
}

#[test]
fn nothing_found_is_said_with_exit_3() {
    let f = Fixture::new(Os::Linux);
    let out = f.cmd().args(["stats"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
}

/// LLBot 5+ lines name no account: with one account in its data folder, they are that account's,
/// as NapCat's are.
#[test]
fn llbot_lines_are_credited_to_the_folders_only_account() {
    let f = Fixture::new(Os::Linux);
    let (install, data) = llbot_tree::linux_cli(&f);
    let name = "llbot-2026-7-20 12-00-00.log";
    f.write(
        &data.join("logs").join(name),
        sample(&format!("logs/{name}")),
    );
    let dir = install.display().to_string();
    let (code, v) = f.json(&["--llbot-dir", &dir, "stats", "--since", "2020-01-01"]);
    assert_eq!(code, 0, "{v:#}");
    let accounts = v["accounts"].as_array().expect("accounts");
    assert!(
        accounts
            .iter()
            .any(|a| a["stack"] == "llbot" && a["uin"] == 70007),
        "{v:#}"
    );
    assert!(
        accounts
            .iter()
            .all(|a| a["uin"] != 0 && !a["uin"].is_null()),
        "a line left without its account: {v:#}"
    );
}
