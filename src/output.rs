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

    /// Prints a report: JSON when asked, else the human text unless `--quiet`.
    pub fn emit<T: Serialize>(
        &self,
        report: &T,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            crate::console::write_json_ascii(&mut stdout, report)?;
            writeln!(stdout)?;
        } else if !self.quiet {
            stdout.write_all(human().as_bytes())?;
        }
        stdout.flush()?;
        Ok(())
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
    fn sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(10 << 30), "10.0 GiB");
    }
}
