//! QQ's own media cache in all, against `--qq-cache-warn`.

use crate::app::App;
use crate::cli::DoctorArgs;
use crate::discover::Installation;
use crate::output::parse_size;

use super::{Finding, Severity, finding};

/// No finding when QQ has no data here.
pub(super) fn check_qq_cache(
    app: &App,
    inst: &Installation,
    args: &DoctorArgs,
    f: &mut Vec<Finding>,
) {
    let threshold = parse_size(&args.qq_cache_warn).unwrap_or(5 << 30);
    let qq_data = app.overrides.qq_data.as_deref();
    let Ok(roots) = crate::qq_cache::find(&app.env, inst, qq_data) else {
        return;
    };
    let report = crate::qq_cache::measure(roots);
    if let Some((ok, message, remedy, data)) =
        crate::qq_cache::render::doctor_finding(&report, threshold)
    {
        let severity = if ok { Severity::Ok } else { Severity::Warn };
        f.push(finding("cache.qq", severity, message, remedy, data));
    }
}
