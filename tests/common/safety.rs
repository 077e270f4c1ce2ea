//! What the tests of `clean`'s safety share: a host-like fixture with a data dir, canary files
//! outside it that must survive byte for byte, and a run's output as text.

use std::fs;
use std::path::PathBuf;

use super::{Fixture, Os, native};

pub fn linux() -> (Fixture, PathBuf) {
    let f = Fixture::new(Os::host());
    let data = if cfg!(windows) {
        f.windows_new()
    } else {
        f.linux_installer()
    };
    (f, data)
}

/// A folder outside the data dir with files that must survive, and their bytes.
pub struct Canaries {
    #[cfg_attr(windows, allow(dead_code))]
    pub dir: PathBuf,
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

impl Canaries {
    pub fn new(dir: PathBuf, names: &[&str]) -> Canaries {
        let files = names
            .iter()
            .map(|n| {
                let p = dir.join(native(n));
                let body = format!("canary {n}").into_bytes();
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(&p, &body).unwrap();
                (p, body)
            })
            .collect();
        Canaries { dir, files }
    }

    pub fn assert_intact(&self) {
        for (p, body) in &self.files {
            let now = fs::read(p).unwrap_or_else(|e| panic!("canary {} gone: {e}", p.display()));
            assert_eq!(&now, body, "canary {} changed", p.display());
        }
    }
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
