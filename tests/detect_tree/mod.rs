//! Reading `detect`'s JSON, for both `detect` test binaries.
#![allow(dead_code)]

use serde_json::Value;

pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

pub fn path_of(v: &Value) -> std::path::PathBuf {
    std::path::PathBuf::from(s(v))
}
