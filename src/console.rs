//! The Windows console: colours (escape codes need virtual-terminal processing, off by default in
//! the older console), and a double-click from Explorer, which gives the program a console of
//! its own that closes the moment it exits.

use std::io::Write;

mod guided;
mod wrap;

pub use guided::{Situation, double_click_session, yes};

pub use wrap::{display_width, fit, keeps_its_shape, width, wrap, wrap_line};

use crate::exit::{Exit, Failure, exit_for};

/// Turns on escape-code processing for stdout. `false` when it cannot be on (an old console,
/// or no console at all): colour must then stay off. Elsewhere terminals understand the codes.
#[cfg(windows)]
pub fn enable_colours() -> bool {
    use windows_sys::Win32::System::Console::{
        ENABLE_VIRTUAL_TERMINAL_PROCESSING, GetConsoleMode, GetStdHandle, STD_OUTPUT_HANDLE,
        SetConsoleMode,
    };
    // SAFETY: plain calls on this process's own standard handle.
    unsafe {
        let h = GetStdHandle(STD_OUTPUT_HANDLE);
        let mut mode = 0;
        if GetConsoleMode(h, &mut mode) == 0 {
            return false;
        }
        mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0
            || SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0
    }
}

#[cfg(not(windows))]
pub fn enable_colours() -> bool {
    true
}

/// How many processes share this console (1: only us, so the console was made for us).
#[cfg(windows)]
fn console_processes() -> u32 {
    use windows_sys::Win32::System::Console::GetConsoleProcessList;
    let mut ids = [0u32; 4];
    // SAFETY: the buffer and its length match.
    unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) }
}

/// Started from Explorer (or a shortcut): no arguments, and alone on a console made for it.
/// From cmd or PowerShell the shell shares the console, so the count is at least 2.
pub fn is_double_click(arg_count: usize, console_processes: u32) -> bool {
    arg_count <= 1 && console_processes == 1
}

/// [`is_double_click`] for this process.
pub fn started_by_double_click() -> bool {
    #[cfg(windows)]
    {
        is_double_click(std::env::args_os().len(), console_processes())
    }
    #[cfg(not(windows))]
    {
        false
    }
}

/// Runs one command of this program in this process, printing an error the way `main` does.
pub fn run_args(args: &[&str]) -> Exit {
    use clap::Parser;
    let argv = std::iter::once("llob-doctor").chain(args.iter().copied());
    let cli = match crate::cli::Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            crate::stderr_line!("{e}");
            return Exit::Usage;
        }
    };
    match crate::run(cli) {
        Ok(exit) => exit,
        Err(err) => {
            crate::stderr_line!("llob-doctor: {err:#}");
            if let Some(h) = err.downcast_ref::<Failure>().and_then(|f| f.hint.as_ref()) {
                crate::stderr_line!("  {h}");
            }
            exit_for(&err)
        }
    }
}

/// What runs now (every bot instance with processes, and QQ), and whether QQ is there at all,
/// found as `detect` finds it.
fn situation() -> Situation {
    use clap::Parser;
    let Ok(cli) = crate::cli::Cli::try_parse_from(["llob-doctor", "--quiet", "detect"]) else {
        return Situation::default();
    };
    let Ok(app) = crate::app::App::from_args(&cli.global) else {
        return Situation::default();
    };
    let Ok(inst) = app.discover() else {
        return Situation::default();
    };
    let mut running: Vec<String> = inst
        .instances
        .iter()
        .filter(|i| i.is_running() && i.container.is_none())
        .map(|i| {
            let pids: Vec<String> = i.running.iter().map(|p| p.pid.to_string()).collect();
            format!("{} (PID {})", i.stack_def().name, pids.join(", "))
        })
        .collect();
    let qq: Vec<String> = inst
        .qq_processes()
        .filter(|p| {
            p.main
                && !inst
                    .instances
                    .iter()
                    .any(|i| i.running.iter().any(|r| r.pid == p.pid))
        })
        .map(|p| p.pid.to_string())
        .collect();
    if !qq.is_empty() {
        running.push(format!("QQ (PID {})", qq.join(", ")));
    }
    Situation {
        running,
        qq: inst.qq.is_some() || inst.qq_processes().next().is_some(),
    }
}

/// What `main` calls first: `Some(exit)` when this was a double-click and the session ran.
pub fn double_click() -> Option<Exit> {
    if !started_by_double_click() {
        return None;
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    Some(double_click_session(
        run_args,
        situation,
        &mut input,
        &mut std::io::stdout(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        assert!(is_double_click(1, 1));
        assert!(
            !is_double_click(1, 2),
            "from cmd: the shell shares the console"
        );
        assert!(!is_double_click(2, 1), "arguments: a shortcut or a script");
        assert!(!is_double_click(1, 0), "no console at all");
    }
}

/// Writes JSON, pretty, with every non-ASCII character escaped (`\u5f20`): the bytes are the same
/// in every code page, so PowerShell 5.1 (which reads a program's output as the ANSI code page,
/// GBK on Chinese Windows) and any JSON reader get the Chinese right.
pub fn write_json_ascii<W: Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, AsciiPretty::default());
    value.serialize(&mut ser)
}

/// serde_json's pretty layout, with non-ASCII text escaped.
#[derive(Default)]
struct AsciiPretty<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for AsciiPretty<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut units = [0u16; 2];
        for c in fragment.chars() {
            if c.is_ascii() {
                w.write_all(&[c as u8])?;
            } else {
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
            }
        }
        Ok(())
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod json_tests {
    use super::write_json_ascii;

    #[test]
    fn json_is_ascii_and_reads_back_the_same() {
        let v = serde_json::json!({"path": r"C:\Users\张三\😀", "n": [1, 2], "e": {}});
        let mut out = Vec::new();
        write_json_ascii(&mut out, &v).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.is_ascii(), "{text}");
        assert!(
            text.contains(r#""path": "C:\\Users\\\u5f20\u4e09\\\ud83d\ude00""#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
        // The same layout as serde_json's pretty printer.
        let ascii_only = serde_json::json!({"a": [1, {"b": "c"}], "d": []});
        let mut out = Vec::new();
        write_json_ascii(&mut out, &ascii_only).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&ascii_only).unwrap()
        );
    }
}
