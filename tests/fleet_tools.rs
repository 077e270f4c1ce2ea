//! The metrics files, alert rules, dashboard and units in `monitoring/`, tested with the real
//! tools a fleet runs: `promtool check metrics` on every file llob-doctor writes, `promtool
//! check rules` and `promtool test rules` on the alerts, a real node_exporter reading the files
//! of several bots at once, `systemd-analyze verify` on the timer. Tests that need a tool say
//! so and skip where it is not installed (CI installs them all: `.ci/run`).

mod common;
mod fleet_tree;
mod napcat_tree;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use fleet_tree::*;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Is this program installed (it answers `--version`)?
fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The node_exporter of Debian's package, or of an upstream tarball.
fn node_exporter() -> Option<&'static str> {
    ["prometheus-node-exporter", "node_exporter"]
        .into_iter()
        .find(|p| have(p))
}

/// Writes the metrics every command gives for the fleet into `dir`, one file per command and
/// bot, as a timer would: `doctor`'s file, each bot's `stats` file, and one for logs given by
/// path. Returns the files.
fn write_files(fl: &Fleet, dir: &Path) -> Vec<PathBuf> {
    fs::create_dir_all(dir).unwrap();
    let mut files = Vec::new();
    let mut run = |name: &str, args: &[&str]| {
        let out_file = dir.join(name);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--prometheus", "--output", out_file.to_str().unwrap()]);
        let out = fl.run(&all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{all:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        files.push(out_file);
    };
    run("llob-doctor.prom", &["doctor"]);
    for (stack, id) in fl.ids() {
        run(
            &format!("stats-{stack}.prom"),
            &["--instance", &id, "stats"],
        );
    }
    let given = fl.llbot_data.join("logs");
    run("stats-given.prom", &["stats", given.to_str().unwrap()]);
    files
}

#[test]
fn promtool_accepts_every_file_we_write() {
    if !have("promtool") {
        common::skip("promtool (Debian package prometheus) not installed: metrics not checked");
        return;
    }
    let fl = Fleet::new();
    let dir = fl.f.tmp.path().join("textfile");
    let mut files = write_files(&fl, &dir);
    // All bots' stats in one file, and files of bots whose logs or selves are gone.
    let all = dir.join("all-stats.prom");
    let args = ["stats", "--prometheus", "--output", all.to_str().unwrap()];
    assert_eq!(fl.run(&args).status.code(), Some(0));
    fs::remove_dir_all(fl.plugin_data.join("logs")).unwrap();
    let gone = dir.join("gone.prom");
    fs::copy(&all, &gone).unwrap();
    let args = ["stats", "--prometheus", "--output", gone.to_str().unwrap()];
    assert_eq!(fl.run(&args).status.code(), Some(0));
    files.extend([all, gone]);
    for f in &files {
        let out = Command::new("promtool")
            .args(["check", "metrics"])
            .stdin(fs::File::open(f).unwrap())
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && said.trim().is_empty(),
            "{}: {said}",
            f.display()
        );
    }
}

#[test]
fn promtool_checks_and_tests_the_alert_rules() {
    if !have("promtool") {
        common::skip("promtool (Debian package prometheus) not installed: rules not checked");
        return;
    }
    let out = Command::new("promtool")
        .args(["check", "rules"])
        .arg(repo("monitoring/alerts.yml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = Command::new("promtool")
        .args(["test", "rules"])
        .arg(repo("monitoring/alerts_test.yml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every alert has a test that fires it and one that clears it (an empty `exp_alerts` after).
#[test]
fn every_alert_has_a_firing_and_a_clearing_test() {
    let rules = fs::read_to_string(repo("monitoring/alerts.yml")).unwrap();
    let tests = fs::read_to_string(repo("monitoring/alerts_test.yml")).unwrap();
    let names: Vec<&str> = rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- alert: "))
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        let blocks: Vec<&str> = tests
            .split("- eval_time:")
            .filter(|b| b.contains(&format!("alertname: {name}\n")))
            .collect();
        assert!(
            blocks.iter().any(|b| b.contains("exp_labels")),
            "{name} never fires in the tests"
        );
        assert!(
            blocks.iter().any(|b| b.contains("exp_alerts: []")),
            "{name} never clears in the tests"
        );
    }
}

/// The names the dashboard and the rules query are the names llob-doctor writes.
#[test]
fn dashboard_and_rules_use_only_series_we_write() {
    let fl = Fleet::new();
    let dir = fl.f.tmp.path().join("textfile");
    let mut written = BTreeSet::new();
    for f in write_files(&fl, &dir) {
        for line in fs::read_to_string(f).unwrap().lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                written.insert(rest.split(' ').next().unwrap().to_string());
            }
        }
    }
    let dashboard: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(repo("monitoring/grafana-dashboard.json")).unwrap(),
    )
    .expect("the dashboard is JSON");
    assert!(dashboard["panels"].as_array().is_some_and(|p| p.len() >= 8));
    let rules = fs::read_to_string(repo("monitoring/alerts.yml")).unwrap();
    let text = format!("{dashboard}\n{rules}");
    let mut used = BTreeSet::new();
    for (i, _) in text.match_indices("llob") {
        let name: String = text[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.starts_with("llob_") {
            used.insert(name);
        }
    }
    assert!(used.len() >= 10, "{used:?}");
    let unknown: Vec<&String> = used.iter().filter(|n| !written.contains(*n)).collect();
    assert!(
        unknown.is_empty(),
        "not written by llob-doctor: {unknown:?}"
    );
}

/// A real node_exporter over a folder holding several bots' files (doctor's, each bot's stats,
/// logs given by path): one scrape, no collision or read error, every series of every file.
#[test]
fn node_exporter_reads_several_bots_files_without_collisions() {
    let Some(exporter) = node_exporter() else {
        common::skip("prometheus-node-exporter not installed: the textfile collector not run");
        return;
    };
    let fl = Fleet::new();
    let dir = fl.f.tmp.path().join("textfile");
    let files = write_files(&fl, &dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = fl.f.tmp.path().join("node_exporter.log");
    let child = Command::new(exporter)
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--collector.disable-defaults")
        .arg("--collector.textfile")
        .arg(format!("--collector.textfile.directory={}", dir.display()))
        .stdout(fs::File::create(&log).unwrap())
        .stderr(fs::File::create(&log).unwrap())
        .spawn()
        .expect("start node_exporter");
    let _running = common::Started(child);
    let (status, body) = scrape(port);
    let said = fs::read_to_string(&log).unwrap();
    assert_eq!(status, 200, "{body}\n{said}");
    for bad in ["collected before", "level=error", "inconsistent"] {
        assert!(!said.contains(bad), "{bad}: {said}");
        assert!(!body.contains(bad), "{bad}: {body}");
    }
    let scraped = samples(&body);
    assert_eq!(
        value(&scraped, "node_textfile_scrape_error", &[]),
        0.0,
        "{body}"
    );
    for f in &files {
        let path = f.to_string_lossy();
        assert!(
            scraped
                .iter()
                .any(|s| s.name == "node_textfile_mtime_seconds"
                    && s.labels.get("file").is_some_and(|p| p == &*path)),
            "{path} not read: {body}"
        );
        for s in samples(&fs::read_to_string(f).unwrap()) {
            let got = scraped
                .iter()
                .find(|x| x.name == s.name && x.labels == s.labels)
                .unwrap_or_else(|| panic!("{} {:?} missing from the scrape", s.name, s.labels));
            assert!(
                got.value == s.value || (got.value.is_nan() && s.value.is_nan()),
                "{} {:?}: {} scraped, {} written",
                s.name,
                s.labels,
                got.value,
                s.value
            );
        }
    }
}

/// One GET of /metrics, once the exporter listens (it is given 30 s to start).
fn scrape(port: u16) -> (u16, String) {
    use std::io::{Read, Write};
    let t = std::time::Instant::now();
    let mut stream = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(e) => {
                assert!(
                    t.elapsed() < std::time::Duration::from_secs(30),
                    "node_exporter did not listen: {e}"
                );
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    };
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

/// The timer in `monitoring/systemd/` is what systemd accepts (with the binary's real path).
#[cfg(unix)]
#[test]
fn systemd_accepts_the_metrics_timer() {
    if !have("systemd-analyze") {
        common::skip("systemd-analyze not installed: the metrics timer not verified");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in ["llob-doctor-metrics.service", "llob-doctor-metrics.timer"] {
        let text = fs::read_to_string(repo(&format!("monitoring/systemd/{name}"))).unwrap();
        let text = text.replace("/usr/bin/llob-doctor", common::BIN);
        fs::write(dir.path().join(name), text).unwrap();
    }
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(dir.path().join("llob-doctor-metrics.service"))
        .arg(dir.path().join("llob-doctor-metrics.timer"))
        .env("SYSTEMD_LOG_LEVEL", "warning")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let ours: Vec<&str> = err.lines().filter(|l| l.contains("llob-doctor")).collect();
    assert!(ours.is_empty(), "systemd-analyze verify: {err}");
}
