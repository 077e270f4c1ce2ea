//! Property tests: what discovery reads from files (launchers, shell start-up files, NapCat's
//! loader and main file, the uninstall string) holds names in any characters; the parsers
//! answer for all of them without a panic, and find the path or version written in them.

use proptest::prelude::*;

use super::liteloader::{parse_rc_block, require_args};
use super::napcat::import_target;
use super::napcat_version::{version_in_log, version_in_main};
use super::qq::dir_from_uninstall_string;
use crate::name_props::{any_name, name, text};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn launchers_and_loaders(t in text(), n in any_name()) {
        let _ = require_args(&t);
        let _ = import_target(&t);
        let _ = version_in_main(&t);
        let _ = version_in_log(&t);
        let _ = dir_from_uninstall_string(&t);
        let _ = parse_rc_block(&t);
        // The path in a require() is found whatever its characters (but the quote).
        let clean: String = n.chars().filter(|c| !matches!(c, '"' | '\\' | '\n' | '\r')).collect();
        let src = format!("require(\"/opt/{clean}\");\n");
        prop_assert_eq!(require_args(&src), vec![format!("/opt/{clean}")]);
        let src = format!("await import(\"file:///opt/{clean}\")");
        let _ = import_target(&src);
    }

    #[test]
    fn shell_rc_blocks(n in name()) {
        let v: String = n.chars().filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '\\')).collect();
        let rc = format!("# {n}\n# BEGIN LITELOADERQQNT\nexport LITELOADERQQNT_PROFILE=\"/home/{v}\"\n# END LITELOADERQQNT\n");
        prop_assert_eq!(parse_rc_block(&rc), Some(format!("/home/{v}")));
    }

    #[test]
    fn uninstall_strings(n in name()) {
        let s = format!("\"C:\\Program Files\\{n}\\Uninstall.exe\" /S");
        let _ = dir_from_uninstall_string(&s);
        let _ = dir_from_uninstall_string(&format!("C:\\{n}.EXE /x"));
    }
}
