//! How reports reach the user: one JSON document, or human text with optional colour.

use std::io::Write;

use serde::Serialize;

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Dim,
    Bold,
}

impl Output {
    /// Wraps text in an ANSI colour when colour is on.
    pub fn paint(&self, tone: Tone, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Warn => "33",
            Tone::Bad => "31",
            Tone::Dim => "2",
            Tone::Bold => "1",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Prints a report: JSON when asked, else the human text (wrapped to the console's width)
    /// unless `--quiet`. The JSON document is built whole before anything is written, so it is
    /// never cut off by an error.
    pub fn emit<T: Serialize>(
        &self,
        report: &T,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        let text = if self.json {
            json_text(report)?
        } else if !self.quiet {
            crate::console::fit(&human(), false)
        } else {
            return Ok(());
        };
        write_stdout(text.as_bytes())
    }
}

impl Output {
    /// As [`Output::emit`], but `--quiet` still prints the report when it has problems: quiet
    /// means "nothing when all is well", not "hide what failed".
    pub fn emit_problems<T: Serialize>(
        &self,
        report: &T,
        has_problems: bool,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if self.quiet && has_problems && !self.json {
            return write_stdout(crate::console::fit(&human(), false).as_bytes());
        }
        self.emit(report, human)
    }
}

/// Writes to stdout. A reader that went away (`| head -1`) is not an error: what was asked is
/// done (a clean still finishes and writes its log line), and the rest of the output is
/// dropped without a word, as `grep | head` does. Windows reports a closed pipe as
/// "no data" (232) rather than a broken pipe.
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if is_closed_pipe(&e) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// `eprintln!` that never panics: when stderr is a closed pipe (`2>&1 | true`), or fails
/// otherwise, the line is dropped, as [`write_stdout`] drops stdout.
#[macro_export]
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see [`stderr_line!`]).
#[macro_export]
macro_rules! stderr_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

fn is_closed_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe || (cfg!(windows) && e.raw_os_error() == Some(232))
}

/// A report as a JSON value, with `raw_paths` added when a path in it (or in a value built
/// before with [`path::value`]) is not valid Unicode.
/// The one JSON document of a report, as `--json` prints it: ASCII only (PowerShell 5.1 reads
/// redirected output in the ANSI code page), `raw_paths` added, one line.
pub fn json_text<T: Serialize>(report: &T) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    crate::console::write_json_ascii(&mut buf, &to_json(report)?)?;
    buf.push(b'\n');
    Ok(String::from_utf8(buf)?)
}

pub fn to_json<T: Serialize>(report: &T) -> anyhow::Result<serde_json::Value> {
    let mut doc = serde_json::to_value(report)?;
    add_raw_paths(&mut doc);
    Ok(doc)
}

/// Adds `raw_paths` to a JSON object built from paths written by [`path`] (a no-op when every
/// path was valid Unicode).
pub fn add_raw_paths(doc: &mut serde_json::Value) {
    let raw = path::take_raw();
    if let (false, Some(obj)) = (raw.is_empty(), doc.as_object_mut()) {
        obj.insert("raw_paths".into(), serde_json::Value::Array(raw));
    }
}

/// Paths in JSON. A path is written as a string; one that is not valid Unicode (a GBK-named
/// folder unpacked from a Windows archive) is written lossily, with U+FFFD for what cannot be
/// read, and the document gains a top-level `raw_paths` list with, for each such path,
/// `{"lossy": <the string used>, "encoding": "bytes" | "utf-16le", "hex": <its raw bytes in hex>}`.
/// Use with `#[serde(serialize_with = "crate::output::path::one")]` (or `opt`, `many`).
pub mod path {
    use std::cell::RefCell;
    use std::path::Path;

    use serde::Serializer;
    use serde::ser::SerializeSeq;

    thread_local! {
        static RAW: RefCell<Vec<serde_json::Value>> = const { RefCell::new(Vec::new()) };
    }

    /// The paths written lossily since the last call.
    pub fn take_raw() -> Vec<serde_json::Value> {
        RAW.with(|r| std::mem::take(&mut *r.borrow_mut()))
    }

    /// The string a path is shown as (on Windows as Windows users write it: backslashes, no
    /// `\\?\` prefix); remembers the raw form when it is not valid Unicode.
    pub fn lossy(p: &Path) -> String {
        if let Some(s) = p.to_str() {
            return plain(s);
        }
        let shown = plain(&p.to_string_lossy());
        let (encoding, hex) = raw_hex(p);
        RAW.with(|r| {
            let mut r = r.borrow_mut();
            let v = serde_json::json!({"lossy": shown, "encoding": encoding, "hex": hex});
            if !r.contains(&v) {
                r.push(v);
            }
        });
        shown
    }

    /// [`crate::winpath::plain_text`] on Windows; elsewhere the text as it is.
    fn plain(s: &str) -> String {
        if cfg!(windows) {
            crate::winpath::plain_text(s)
        } else {
            s.to_string()
        }
    }

    #[cfg(unix)]
    fn raw_hex(p: &Path) -> (&'static str, String) {
        use std::os::unix::ffi::OsStrExt;
        ("bytes", hex(p.as_os_str().as_bytes().iter().copied()))
    }

    #[cfg(windows)]
    fn raw_hex(p: &Path) -> (&'static str, String) {
        use std::os::windows::ffi::OsStrExt;
        let units = p.as_os_str().encode_wide().flat_map(u16::to_le_bytes);
        ("utf-16le", hex(units))
    }

    #[cfg(not(any(unix, windows)))]
    fn raw_hex(p: &Path) -> (&'static str, String) {
        (
            "bytes",
            hex(p.as_os_str().as_encoded_bytes().iter().copied()),
        )
    }

    fn hex(bytes: impl Iterator<Item = u8>) -> String {
        bytes.map(|b| format!("{b:02x}")).collect()
    }

    /// A path as a JSON value (for `json!`).
    pub fn value(p: impl AsRef<Path>) -> serde_json::Value {
        serde_json::Value::String(lossy(p.as_ref()))
    }

    /// An optional path as a JSON value (for `json!`).
    pub fn opt_value<P: AsRef<Path>>(p: Option<P>) -> serde_json::Value {
        p.map(value).unwrap_or(serde_json::Value::Null)
    }

    pub fn one<P: AsRef<Path>, S: Serializer>(p: &P, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&lossy(p.as_ref()))
    }

    pub fn opt<P: AsRef<Path>, S: Serializer>(p: &Option<P>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => s.serialize_str(&lossy(p.as_ref())),
            None => s.serialize_none(),
        }
    }

    #[allow(clippy::ptr_arg)]
    pub fn many<P: AsRef<Path>, S: Serializer>(p: &Vec<P>, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(p.len()))?;
        for one in p {
            seq.serialize_element(&lossy(one.as_ref()))?;
        }
        seq.end()
    }

    /// `[(path, what)]` as `[[path, what]]`, each path as [`one`] writes it.
    #[allow(clippy::ptr_arg)]
    pub fn pairs<P: AsRef<Path>, T: serde::Serialize, S: Serializer>(
        p: &Vec<(P, T)>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(p.len()))?;
        for (path, what) in p {
            seq.serialize_element(&(lossy(path.as_ref()), what))?;
        }
        seq.end()
    }
}

/// Lines of a table whose columns line up by display width (CJK text is two columns wide).
/// `right[i]` right-aligns column i (numbers); the last column is not padded on the right.
pub fn table(rows: &[Vec<String>], right: &[bool]) -> Vec<String> {
    use crate::i18n::{pad, pad_left, width};
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut w = vec![0; cols];
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if right.get(i).copied().unwrap_or(false) {
                        pad_left(c, w[i])
                    } else if i + 1 == row.len() {
                        c.clone()
                    } else {
                        pad(c, w[i])
                    }
                })
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect()
}

/// Sizes as users write them: `1GiB`, `500M`, `2g`, `1.5g`, `1048576` (1024-based, as
/// [`human_size`] shows them). The error is a catalogue message.
pub fn parse_size(s: &str) -> Result<u64, crate::i18n::Msg> {
    use crate::msg;
    let t = s.trim();
    if t.starts_with('-') {
        return Err(msg!("size.negative", value = s));
    }
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| msg!("size.not_a_size", value = s))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        u => return Err(msg!("size.unknown_unit", value = s, unit = u)),
    };
    if !n.is_finite() || n < 0.0 {
        return Err(msg!("size.not_a_size", value = s));
    }
    Ok((n * mult as f64) as u64)
}

/// Bytes as a short human size (1024-based, as du -h).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_line_up_by_display_width() {
        let rows = vec![
            vec!["组件".to_string(), "1".to_string(), "x".to_string()],
            vec!["QQ".to_string(), "100".to_string(), "yy".to_string()],
        ];
        let lines = table(&rows, &[false, true, false]);
        assert_eq!(lines, ["组件    1  x", "QQ    100  yy"]);
    }

    #[test]
    fn sizes_as_typed() {
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("42"), Ok(42));
        assert_eq!(
            parse_size("-5"),
            Err(crate::msg!("size.negative", value = "-5"))
        );
        assert!(parse_size("x").is_err() && parse_size("1 parsec").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(10 << 30), "10.0 GiB");
    }
}
