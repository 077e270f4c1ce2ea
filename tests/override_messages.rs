//! What a refused folder flag says: the truth about the folder (it is a folder, but not what
//! the flag names), what was looked for there, and what to give instead.

mod common;

use common::{Fixture, Os};

/// `--llbot-dir /etc`-like: a real folder with no LLBot in it used to be called "not a folder".
#[test]
fn llbot_dir_that_is_a_folder_without_llbot_says_what_was_looked_for() {
    let f = Fixture::new(Os::host());
    let etc = f.tmp.path().join("etc");
    f.write(&etc.join("passwd"), "root:x:0:0::/root:/bin/sh\n");
    let out = f
        .cmd()
        .arg("--llbot-dir")
        .arg(&etc)
        .arg("detect")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("not a folder"), "{err}");
    assert!(err.contains("not an LLBot install"), "{err}");
    assert!(
        err.contains("bin/llbot") && err.contains("llbot.js"),
        "{err}"
    );
    // A file is still "not a folder".
    let file = etc.join("passwd");
    let out = f
        .cmd()
        .arg("--llbot-dir")
        .arg(&file)
        .arg("detect")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not a folder"), "{err}");
}
