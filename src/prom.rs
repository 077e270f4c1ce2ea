//! Prometheus' text exposition format, as node_exporter's textfile collector reads it: families
//! of gauges, each with `# HELP` and `# TYPE`, label values escaped, `NaN` for a value that is
//! not known (so the set of series stays the same from run to run). Every series names the bot
//! it is about ([`BOT`]): the files of several bots, or of several runs, never collide in one
//! collector folder.
//!
//! The bot's label is `bot`, not `instance`: Prometheus sets `instance` itself (the scraped
//! host), and renames a scraped `instance` label to `exported_instance` (or, with
//! `honor_labels`, drops the host's).

pub mod previous;

use std::fmt::Write as _;

/// The label naming the bot instance (its id, `llbot@/srv/bots/a`).
pub const BOT: &str = "bot";

/// Label names and values of one series, in the order they are written.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Labels(pub Vec<(&'static str, String)>);

impl Labels {
    /// The labels every series of a bot carries: `bot`, `stack`, and `uin` (empty when the bot
    /// has none or several accounts: one account's series carry their own).
    pub fn bot(id: &str, stack: &str, uin: Option<&str>) -> Labels {
        Labels(vec![
            (BOT, id.to_string()),
            ("stack", stack.to_string()),
            ("uin", uin.unwrap_or("").to_string()),
        ])
    }

    /// These labels and one more.
    pub fn with(&self, name: &'static str, value: impl Into<String>) -> Labels {
        let mut l = self.clone();
        match l.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value.into(),
            None => l.0.push((name, value.into())),
        }
        l
    }

    /// The value of a label.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One metric family: a gauge and its series.
#[derive(Debug, Clone)]
pub struct Family {
    pub name: &'static str,
    pub help: &'static str,
    pub samples: Vec<(Labels, f64)>,
}

/// The families of one file, in the order they were first asked for.
#[derive(Debug, Clone, Default)]
pub struct Exposition {
    families: Vec<Family>,
}

impl Exposition {
    /// Adds a series to the family `name` (created with `help` the first time). A series with
    /// the labels of one already there replaces it: a file never holds one series twice, which
    /// the collector would refuse.
    pub fn gauge(&mut self, name: &'static str, help: &'static str, labels: Labels, value: f64) {
        let i = match self.families.iter().position(|f| f.name == name) {
            Some(i) => i,
            None => {
                self.families.push(Family {
                    name,
                    help,
                    samples: Vec::new(),
                });
                self.families.len() - 1
            }
        };
        let samples = &mut self.families[i].samples;
        match samples.iter_mut().find(|(l, _)| *l == labels) {
            Some(s) => s.1 = value,
            None => samples.push((labels, value)),
        }
    }

    /// Declares a family without series yet (its HELP and TYPE are still written).
    pub fn declare(&mut self, name: &'static str, help: &'static str) {
        if !self.families.iter().any(|f| f.name == name) {
            self.families.push(Family {
                name,
                help,
                samples: Vec::new(),
            });
        }
    }

    pub fn families(&self) -> &[Family] {
        &self.families
    }

    /// The text exposition format, version 0.0.4.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for f in &self.families {
            let (name, help) = (f.name, escape_help(f.help));
            let _ = writeln!(s, "# HELP {name} {help}");
            let _ = writeln!(s, "# TYPE {name} gauge");
            for (labels, value) in &f.samples {
                s.push_str(f.name);
                if !labels.0.is_empty() {
                    s.push('{');
                    for (i, (name, v)) in labels.0.iter().enumerate() {
                        if i > 0 {
                            s.push(',');
                        }
                        let _ = write!(s, "{name}=\"{}\"", escape_value(v));
                    }
                    s.push('}');
                }
                let _ = writeln!(s, " {}", number(*value));
            }
        }
        s
    }
}

/// A value as the format writes it: `NaN`, `+Inf`, `-Inf`, else Rust's shortest form.
pub fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v == f64::INFINITY {
        "+Inf".to_string()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        format!("{v}")
    }
}

/// A label value: backslash, double quote and line feed escaped.
fn escape_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A HELP text: backslash and line feed escaped.
fn escape_help(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

/// 0 or 1 for a yes or no; NaN when not known.
pub fn flag(v: Option<bool>) -> f64 {
    match v {
        Some(true) => 1.0,
        Some(false) => 0.0,
        None => f64::NAN,
    }
}

/// A count or a time when known, else NaN.
pub fn known<T: Into<f64>>(v: Option<T>) -> f64 {
    v.map_or(f64::NAN, Into::into)
}

/// A u64 as f64 (exact up to 2^53, far beyond any count or byte total here).
pub fn n(v: u64) -> f64 {
    v as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_and_replaces_a_series_given_twice() {
        let mut e = Exposition::default();
        let l = Labels::bot("llbot@/srv/a \"b\"\\c\nd", "llbot", None);
        e.gauge("x_up", "Up.\nTwo lines", l.clone(), 1.0);
        e.gauge("x_up", "Up.", l.clone(), 0.0);
        e.gauge("x_ratio", "Ratio.", l.with("uin", "1"), f64::NAN);
        e.declare("x_none", "Nothing yet.");
        let t = e.text();
        assert_eq!(
            t,
            "# HELP x_up Up.\\nTwo lines\n# TYPE x_up gauge\n\
             x_up{bot=\"llbot@/srv/a \\\"b\\\"\\\\c\\nd\",stack=\"llbot\",uin=\"\"} 0\n\
             # HELP x_ratio Ratio.\n# TYPE x_ratio gauge\n\
             x_ratio{bot=\"llbot@/srv/a \\\"b\\\"\\\\c\\nd\",stack=\"llbot\",uin=\"1\"} NaN\n\
             # HELP x_none Nothing yet.\n# TYPE x_none gauge\n"
        );
        assert_eq!(number(0.3), "0.3");
        assert_eq!(number(1_700_000_000.0), "1700000000");
        assert_eq!(number(f64::INFINITY), "+Inf");
    }
}
