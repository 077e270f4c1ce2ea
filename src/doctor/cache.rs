//! The cache checks: how big `temp/` is, and whether `msg_<uin>` folders are leftovers.

use std::path::Path;

use crate::clean::plan;
use crate::output::human_size;
use crate::stack::Stack;
use crate::version::Dotted;
use crate::{msg, policy};
use serde_json::json;

use super::{Finding, Severity, finding};

pub(super) fn check_cache(
    stack: &'static Stack,
    data: &Path,
    lb: Option<Dotted>,
    threshold: u64,
    f: &mut Vec<Finding>,
) {
    let p = plan::scan_stack(stack, data, &plan::Options::default(), |_| {});
    let temp = p.targets.iter().find(|t| t.kind.name() == "temp");
    let (bytes, files) = temp.map(|t| (t.bytes(), t.files())).unwrap_or((0, 0));
    let data_temp = json!({"bytes": bytes, "files": files, "threshold": threshold});
    if bytes > threshold {
        f.push(finding(
            "cache.temp",
            Severity::Warn,
            msg!(
                "doctor.temp_big",
                size = human_size(bytes),
                files = files,
                limit = human_size(threshold)
            ),
            Some(msg!("doctor.remedy_clean")),
            data_temp,
        ));
    } else {
        f.push(finding(
            "cache.temp",
            Severity::Ok,
            msg!("doctor.temp_ok", size = human_size(bytes), files = files),
            None,
            data_temp,
        ));
    }
    let msgs: Vec<&plan::Target> = p
        .targets
        .iter()
        .filter(|t| t.kind.name() == "msg_db")
        .collect();
    if msgs.is_empty() {
        return;
    }
    let size: u64 = msgs.iter().map(|t| t.bytes()).sum();
    let names: Vec<String> = msgs
        .iter()
        .filter_map(|t| t.path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let d = json!({"folders": names, "bytes": size});
    if lb.is_some_and(|v| v >= policy::LLONEBOT_DATABASE_SINCE) {
        f.push(finding(
            "cache.msg_db",
            Severity::Warn,
            msg!(
                "doctor.msg_leftovers",
                n = msgs.len(),
                size = human_size(size),
                since = policy::LLONEBOT_DATABASE_SINCE
            ),
            Some(msg!("doctor.remedy_clean")),
            d,
        ));
    } else {
        f.push(finding(
            "cache.msg_db",
            Severity::Ok,
            msg!("doctor.msg_in_use", n = msgs.len(), size = human_size(size)),
            None,
            d,
        ));
    }
}
