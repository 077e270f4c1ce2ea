//! The tree both `clean` test binaries start from: LLOneBot's Linux installer layout.

use std::path::PathBuf;

use crate::common::{Fixture, Os};

pub fn linux() -> (Fixture, PathBuf) {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    (f, data)
}
