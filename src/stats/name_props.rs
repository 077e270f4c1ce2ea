//! Property tests: log file names and lines in any characters (a log named in Chinese, a line
//! of emoji); the name rules and the line reader answer without a panic.

use std::path::Path;

use proptest::prelude::*;

use super::family::{StackHint, detect, napcat_name_year};
use super::files::is_log_name;
use super::line::error_words;
use crate::name_props::{any_name, text};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn log_names_and_heads(n in any_name(), t in text()) {
        let _ = is_log_name(&n);
        let log = format!("{n}.log");
        prop_assert!(is_log_name(&log), "{}", log);
        let _ = napcat_name_year(&n);
        let _ = napcat_name_year(&format!("2024-06-0{n}"));
        let path = Path::new("/logs").join(&n);
        for hint in [StackHint::Any, StackHint::Llonebot, StackHint::Napcat] {
            let _ = detect(&path, t.as_bytes(), hint, None);
        }
        let _ = error_words(t.as_bytes());
        let _ = super::stamp::lead(t.as_bytes());
    }
}
