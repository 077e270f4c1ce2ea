//! Running a scheduler's own command (`crontab`, `systemctl`, `launchctl`, `loginctl`).

use std::process::{Command, Stdio};

/// Runs a scheduler command; `Err` carries what it said, for the message.
pub(crate) fn run_tool(
    program: &str,
    args: &[&str],
    stdin: Option<&str>,
) -> Result<String, String> {
    let mut c = Command::new(program);
    c.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = c.spawn().map_err(|e| {
        crate::tf!(
            "schedule.cannot_run",
            program = program,
            error = crate::i18n::os_error(&e)
        )
    })?;
    if let Some(input) = stdin
        && let Some(mut pipe) = child.stdin.take()
    {
        use std::io::Write;
        pipe.write_all(input.as_bytes())
            .map_err(|e| format!("{program}: {}", crate::i18n::os_error(&e)))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{program}: {}", crate::i18n::os_error(&e)))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        // Some tools (schtasks under Wine, crontab) say why on stdout, others on stderr.
        let said: Vec<String> = [&out.stderr, &out.stdout]
            .iter()
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let code = out
            .status
            .code()
            .map(|c| format!("exit {c}"))
            .unwrap_or_else(|| "killed".into());
        Err(format!(
            "{program} {} ({code}): {}",
            args.join(" "),
            said.join(" / ")
        ))
    }
}
