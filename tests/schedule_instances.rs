//! Several bots on one machine, each with its own scheduled clean: a job per instance, named
//! after its id, beside the job for all bots; installing one never touches another's; `show`
//! lists them all; `remove --instance` works for a bot that is gone; `remove --all`. Every
//! override given before `schedule` reaches the job. With the real schedulers' files: systemd
//! units in a temp config folder (checked by `systemd-analyze verify`), and the real `crontab`
//! of a throwaway user when run as root.
#![cfg(target_os = "linux")]

mod common;
mod llbot_tree;
mod napcat_tree;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Fixture, Os, native};
use serde_json::Value;

/// The binary hard-linked where any user may run it.
fn public_binary(dir: &Path) -> PathBuf {
    let p = dir.join("llob-doctor");
    if fs::hard_link(common::BIN, &p).is_err() {
        fs::copy(common::BIN, &p).unwrap();
    }
    p
}

/// Folders and files any user may read (a throwaway user runs the binary on them).
fn open_to_all(p: &Path) {
    let ok = Command::new("chmod")
        .args(["-R", "a+rX"])
        .arg(p)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "chmod -R a+rX {}", p.display());
}

/// Two LLBot installs (`a`, `b`) as the 2026 CLI lays them out, each with one account's data,
/// a NapCat folder, QQ's own data folder, and a home.
struct Machine {
    f: Fixture,
    bin: PathBuf,
    home: PathBuf,
    a: PathBuf,
    b: PathBuf,
    napcat: PathBuf,
    qq_data: PathBuf,
}

impl Machine {
    fn new() -> Machine {
        let f = Fixture::new(Os::Linux);
        let base = f.tmp.path().to_path_buf();
        let mut installs = Vec::new();
        for (name, uin) in [("a", "10001"), ("b", "20002")] {
            let install = base.join(format!("srv/bots/{name}"));
            f.write(&install.join("llbot"), b"\x7fELF");
            f.write(&install.join(native("bin/pmhq/pmhq")), b"\x7fELF");
            llbot_tree::program(
                &f,
                &install.join(native("bin/llbot")),
                "llbot.js",
                "llonebot-dist",
                "8.1.7",
            );
            llbot_tree::llbot_data(&f, &install.join(native("bin/llbot/data")), uin);
            installs.push(install);
        }
        let napcat = base.join("srv/napcat");
        napcat_tree::napcat_folder(&f, &napcat, "30003");
        let qq_data = base.join("srv/qq-data");
        f.write(
            &qq_data.join(native(
                "nt_qq_0123456789abcdef0123456789abcdef/nt_data/Pic/a.jpg",
            )),
            b"pic",
        );
        let home = base.join("home");
        fs::create_dir_all(home.join("run")).unwrap();
        let bin = public_binary(&base);
        let [a, b] = <[PathBuf; 2]>::try_from(installs).unwrap();
        Machine {
            f,
            bin,
            home,
            a,
            b,
            napcat,
            qq_data,
        }
    }

    fn id(install: &Path) -> String {
        format!("llbot@{}", install.display())
    }

    /// The binary in English, see [`Machine::bare`].
    fn cmd(&self) -> Command {
        let mut c = self.bare();
        c.args(["--lang", "en"]);
        c
    }

    /// The binary in a clean environment whose home and config live in `home`, with no way to
    /// reach a real systemd user manager.
    fn bare(&self) -> Command {
        let mut c = Command::new(&self.bin);
        let home = &self.home;
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", home.join("no-bus").display()),
            )
            .args(["--color", "never"]);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    fn unit_dir(&self) -> PathBuf {
        self.home.join(".config/systemd/user")
    }

    fn log_dir(&self) -> PathBuf {
        self.home.join(".local/share/llob-doctor")
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn err(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A job's name as `schedule` reports it: a readable part, then 8 hex digits.
fn slug_of(v: &Value) -> String {
    let s = v["name"].as_str().unwrap_or_else(|| panic!("no name: {v}"));
    let (readable, hash) = s.rsplit_once('-').unwrap();
    assert!(
        hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{s}"
    );
    let bot = readable.ends_with("-srv-bots-a") || readable.ends_with("-srv-bots-b");
    assert!(readable.starts_with("llbot-") && bot, "{s}");
    s.to_string()
}

/// Each LLBot instance gets its own systemd timer beside the job for all bots; installing one
/// again replaces only it and says so; `show` lists all three with their own logs; removing a
/// gone bot's job by its id works; `remove` and `remove --all`. (Before: one unit name for every
/// job, a second install silently replaced another bot's job, --llbot-dir was dropped.)
#[test]
fn each_instance_gets_its_own_systemd_timer() {
    let m = Machine::new();
    let (id_a, id_b) = (Machine::id(&m.a), Machine::id(&m.b));
    let a = m.a.to_str().unwrap();
    let b = m.b.to_str().unwrap();
    // The operator looks first: a bot named by a flag is remembered, and found by its id later.
    assert_eq!(m.run(&["--llbot-dir", a, "detect"]).status.code(), Some(0));

    // a by its id, b by its folder (a flag that names exactly one instance), then the job for
    // all bots. No user manager here: written, not enabled, exit 1.
    let install = |pre: &[&str], at: &str| {
        let out = m
            .cmd()
            .args(pre)
            .args(["--json", "schedule", "install", "--systemd", "--at", at])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", err(&out));
        (json(&out), err(&out))
    };
    let (va, _) = install(&["--instance", &id_a], "04:30");
    let (vb, _) = install(&["--llbot-dir", b], "04:30");
    let (vall, warned) = install(&[], "04:30");
    let (slug_a, slug_b) = (slug_of(&va), slug_of(&vb));
    assert_ne!(slug_a, slug_b);
    assert_eq!(va["instance"], id_a.as_str());
    assert_eq!(vb["instance"], id_b.as_str());
    assert_eq!(vall["name"], Value::Null);
    assert_eq!(vall["instance"], Value::Null);
    for v in [&va, &vb, &vall] {
        assert_eq!(v["replaced"], false, "{v}");
    }
    // The job for all bots also cleans a and b: said, not refused.
    assert!(
        warned.contains("jobs of single instances exist"),
        "{warned}"
    );

    let dir = m.unit_dir();
    let unit = |slug: Option<&str>, ext: &str| match slug {
        Some(s) => dir.join(format!("llob-doctor-clean-{s}.{ext}")),
        None => dir.join(format!("llob-doctor-clean.{ext}")),
    };
    let read = |slug: Option<&str>| fs::read_to_string(unit(slug, "service")).unwrap();
    // Each its own log file, named in its unit and in the output.
    let log_a = m.log_dir().join(format!("clean-{slug_a}.log"));
    let log_b = m.log_dir().join(format!("clean-{slug_b}.log"));
    let log_all = m.log_dir().join("clean.log");
    assert_eq!(va["job"]["log_file"].as_str(), log_a.to_str());
    assert_eq!(vb["job"]["log_file"].as_str(), log_b.to_str());
    let svc_a = read(Some(&slug_a));
    assert!(
        svc_a.contains(&format!(
            "\"--instance\" \"{id_a}\" \"--lang\" \"en\" \"clean\" \"--yes\" \"--quiet\" \"--log-file\" \"{}\"",
            log_a.display()
        )),
        "{svc_a}"
    );
    let svc_b = read(Some(&slug_b));
    assert!(
        svc_b.contains(&format!(
            "\"--llbot-dir\" \"{b}\" \"--instance\" \"{id_b}\" \"--lang\" \"en\" \"clean\""
        )),
        "{svc_b}"
    );
    assert!(
        svc_b.contains(&format!("\"{}\"", log_b.display())),
        "{svc_b}"
    );
    let svc_all = read(None);
    assert!(!svc_all.contains("--instance"), "{svc_all}");
    assert!(
        svc_all.contains(&format!("\"{}\"", log_all.display())),
        "{svc_all}"
    );

    let have_analyze = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if have_analyze {
        let out = Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .args(
                [Some(slug_a.as_str()), Some(slug_b.as_str()), None]
                    .iter()
                    .flat_map(|s| [unit(*s, "service"), unit(*s, "timer")]),
            )
            .env("SYSTEMD_LOG_LEVEL", "warning")
            .output()
            .unwrap();
        let said = err(&out);
        let ours: Vec<&str> = said.lines().filter(|l| l.contains("llob-doctor")).collect();
        assert!(ours.is_empty(), "systemd-analyze verify: {said}");
    } else {
        common::skip("systemd-analyze not installed: the unit text is checked only");
    }

    // a again, at another time: it replaces a's job, says so, and touches nothing else.
    let timers_before: Vec<String> = [Some(slug_b.as_str()), None]
        .iter()
        .map(|s| fs::read_to_string(unit(*s, "timer")).unwrap() + &read(*s))
        .collect();
    let out = m
        .cmd()
        .args([
            "--instance",
            a,
            "schedule",
            "install",
            "--systemd",
            "--at",
            "05:10",
        ])
        .output()
        .unwrap();
    assert!(
        text(&out).contains("It replaces the job installed under this name before."),
        "{}",
        text(&out)
    );
    let (again, _) = install(&["--instance", &id_a], "05:10");
    assert_eq!(again["replaced"], true);
    assert_eq!(again["name"], slug_a.as_str());
    let timers_after: Vec<String> = [Some(slug_b.as_str()), None]
        .iter()
        .map(|s| fs::read_to_string(unit(*s, "timer")).unwrap() + &read(*s))
        .collect();
    assert_eq!(timers_before, timers_after, "another job was touched");
    assert!(
        fs::read_to_string(unit(Some(&slug_a), "timer"))
            .unwrap()
            .contains("OnCalendar=*-*-* 05:10:00")
    );

    // show: all three, each with its trigger, command, log, next and last run (from its log).
    fs::create_dir_all(m.log_dir()).unwrap();
    fs::write(
        &log_a,
        "{\"time\":\"2026-01-02T05:10:00Z\",\"exit_code\":0,\"removed\":[{}],\"freed_bytes\":5000,\"failed\":0,\"error\":null}\n",
    )
    .unwrap();
    let out = m.run(&["--json", "schedule", "show", "--systemd"]);
    assert_eq!(out.status.code(), Some(0), "{}", err(&out));
    let v = json(&out);
    assert_eq!(v["installed"], true);
    let jobs = v["jobs"].as_array().unwrap();
    let names: Vec<&Value> = jobs.iter().map(|j| &j["name"]).collect();
    let mut want = [slug_a.clone(), slug_b.clone()];
    want.sort();
    assert_eq!(
        names,
        [
            &Value::Null,
            &Value::from(want[0].clone()),
            &Value::from(want[1].clone())
        ]
    );
    let job = |slug: &str| jobs.iter().find(|j| j["name"] == slug).unwrap();
    let ja = job(&slug_a);
    assert_eq!(ja["instance"], id_a.as_str());
    assert_eq!(ja["trigger"], "every day at 05:10");
    assert!(ja["next_run"].as_str().unwrap().contains("05:10"), "{ja}");
    assert_eq!(ja["log_file"].as_str(), log_a.to_str());
    let last = ja["last_run"].as_str().unwrap();
    assert!(last.contains("2026-01-02T05:10:00Z"), "{last}");
    let cmd: Vec<&str> = ja["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(cmd[0], m.bin.to_str().unwrap());
    assert!(
        cmd.windows(2).any(|w| w == ["--instance", id_a.as_str()]),
        "{cmd:?}"
    );
    let jb = job(&slug_b);
    assert_eq!(jb["instance"], id_b.as_str());
    assert_eq!(jb["trigger"], "every day at 04:30");
    assert!(
        jb["last_run"].as_str().unwrap().starts_with("none yet"),
        "{jb}"
    );
    assert_eq!(jobs[0]["log_file"].as_str(), log_all.to_str());
    let shown = text(&m.run(&["schedule", "show", "--systemd"]));
    for (what, n) in [("Written, not enabled:", 3), ("instance  ", 2)] {
        assert_eq!(shown.matches(what).count(), n, "{what} in\n{shown}");
    }
    // show --instance: that one only.
    let v = json(&m.run(&[
        "--json",
        "--instance",
        &id_b,
        "schedule",
        "show",
        "--systemd",
    ]));
    assert_eq!(v["jobs"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["jobs"][0]["name"], slug_b.as_str());

    // b is gone from the disk: its job is removed by its id all the same, and only its.
    fs::remove_dir_all(&m.b).unwrap();
    let out = m.run(&[
        "--json",
        "--instance",
        &id_b,
        "schedule",
        "remove",
        "--systemd",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", err(&out));
    let v = json(&out);
    assert_eq!(
        (&v["removed"], &v["name"]),
        (&Value::Bool(true), &Value::from(slug_b.as_str()))
    );
    assert!(!unit(Some(&slug_b), "timer").exists() && !unit(Some(&slug_b), "service").exists());
    assert!(unit(Some(&slug_a), "timer").exists() && unit(None, "timer").exists());
    // Again: nothing there, and it says so.
    let out = m.run(&["--instance", &id_b, "schedule", "remove", "--systemd"]);
    assert!(
        text(&out).starts_with("Nothing to remove"),
        "{}",
        text(&out)
    );

    // remove: the job for all bots only.
    assert!(m.run(&["schedule", "remove", "--systemd"]).status.success());
    assert!(!unit(None, "timer").exists() && unit(Some(&slug_a), "timer").exists());
    // remove --all: every one left.
    let out = m.run(&["--json", "schedule", "remove", "--all", "--systemd"]);
    let v = json(&out);
    assert_eq!(v["removed"], true);
    assert_eq!(v["jobs"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["jobs"][0]["instance"], id_a.as_str());
    assert!(!unit(Some(&slug_a), "timer").exists());
    let v = json(&m.run(&["--json", "schedule", "show", "--systemd"]));
    assert_eq!(
        (&v["installed"], v["jobs"].as_array().unwrap().len()),
        (&Value::Bool(false), 0)
    );
    let out = m.run(&["schedule", "remove", "--all", "--systemd"]);
    assert!(
        text(&out).starts_with("Nothing to remove"),
        "{}",
        text(&out)
    );
}

/// Every override given before `schedule` reaches the job, --llbot-dir, --napcat-dir and --lang
/// too (before: dropped). Folders that name two instances keep the job for all bots' name.
#[test]
fn every_override_reaches_the_unit() {
    let m = Machine::new();
    let out = m
        .bare()
        .arg("--llbot-dir")
        .arg(&m.a)
        .arg("--napcat-dir")
        .arg(&m.napcat)
        .arg("--qq-data")
        .arg(&m.qq_data)
        .args([
            "--lang",
            "zh",
            "--json",
            "schedule",
            "install",
            "--systemd",
            "--at",
            "03:00",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", err(&out));
    let v = json(&out);
    assert_eq!(v["name"], Value::Null, "two instances named: {v}");
    let svc = fs::read_to_string(m.unit_dir().join("llob-doctor-clean.service")).unwrap();
    let want = format!(
        "ExecStart=\"{}\" \"--llbot-dir\" \"{}\" \"--napcat-dir\" \"{}\" \"--qq-data\" \"{}\" \"--lang\" \"zh\" \"clean\"",
        m.bin.display(),
        m.a.display(),
        m.napcat.display(),
        m.qq_data.display()
    );
    assert!(svc.contains(&want), "{want}\nnot in\n{svc}");
}

/// What would not name one job is refused before anything is written; what may surprise is said.
#[test]
fn refusals_and_warnings() {
    let m = Machine::new();
    let a = m.a.to_str().unwrap();
    let b = m.b.to_str().unwrap();
    for args in [
        // A job is for one instance, or for all.
        &[
            "--instance",
            a,
            "--instance",
            b,
            "schedule",
            "install",
            "--systemd",
            "--at",
            "04:00",
        ][..],
        &[
            "--instance",
            a,
            "--instance",
            b,
            "schedule",
            "remove",
            "--systemd",
        ],
        // --all is remove's, and not beside --instance.
        &["schedule", "install", "--all", "--systemd", "--at", "04:00"],
        &["--instance", a, "schedule", "remove", "--all", "--systemd"],
        // After --, --instance would narrow the job without naming it.
        &[
            "schedule",
            "install",
            "--systemd",
            "--at",
            "04:00",
            "--",
            "--instance",
            a,
        ],
    ] {
        let out = m.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", err(&out));
    }
    // An id nothing answers to: refused with the ids there are.
    assert!(m.run(&["--llbot-dir", a, "detect"]).status.success());
    let out = m.run(&[
        "--instance",
        "llbot@/no/such/bot",
        "schedule",
        "install",
        "--systemd",
        "--at",
        "04:00",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", err(&out));
    assert!(err(&out).contains(&Machine::id(&m.a)), "{}", err(&out));
    assert!(!m.unit_dir().exists(), "something was written");

    // One log file for two jobs: said, as is the job for all bots beside an instance's.
    let log = m.f.tmp.path().join("shared.log");
    let log = log.to_str().unwrap();
    let first = m.run(&[
        "schedule",
        "install",
        "--systemd",
        "--at",
        "04:00",
        "--log-file",
        log,
    ]);
    assert_eq!(first.status.code(), Some(1), "{}", err(&first));
    let out = m.run(&[
        "--instance",
        a,
        "schedule",
        "install",
        "--systemd",
        "--at",
        "04:00",
        "--log-file",
        log,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", err(&out));
    let said = err(&out);
    assert!(
        said.contains("logs to the same file") && said.contains(log),
        "{said}"
    );
    assert!(
        said.contains("the job installed without --instance"),
        "{said}"
    );
}

/// The same with cron, through the real `crontab` of a throwaway user: a block per instance
/// with its own markers, the user's other lines kept byte for byte.
#[test]
fn cron_blocks_per_instance_with_the_real_crontab() {
    let have = |p: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {p}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("crontab") || !have("runuser") {
        common::skip("needs crontab and runuser");
        return;
    }
    let m = Machine::new();
    let Some(user) = common::users::make("llobsi", &m.home) else {
        return;
    };
    // Whatever happens, the user's crontab goes with the user.
    struct Crontab<'a>(&'a str);
    impl Drop for Crontab<'_> {
        fn drop(&mut self) {
            let _ = Command::new("crontab").args(["-r", "-u", self.0]).output();
        }
    }
    let _crontab = Crontab(&user.name);
    open_to_all(m.f.tmp.path());
    common::users::give(&m.home, &user);
    let as_user = |args: &[&str]| -> Output {
        Command::new("runuser")
            .args(["-u", &user.name, "--", "env"])
            .arg(format!("HOME={}", m.home.display()))
            .arg(&m.bin)
            .args(args)
            .current_dir("/")
            .output()
            .unwrap()
    };
    let crontab = |input: Option<&str>| -> String {
        let mut c = Command::new("crontab");
        c.args(["-u", &user.name]);
        match input {
            Some(t) => {
                use std::io::Write;
                let mut child = c
                    .arg("-")
                    .stdin(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                child.stdin.take().unwrap().write_all(t.as_bytes()).unwrap();
                assert!(child.wait().unwrap().success());
                String::new()
            }
            None => String::from_utf8(c.arg("-l").output().unwrap().stdout).unwrap(),
        }
    };
    let original = "MAILTO=\"\"\n# nightly backup\n0 1 * * * /usr/bin/true # keep me\n";
    crontab(Some(original));

    let (a, b) = (m.a.to_str().unwrap(), m.b.to_str().unwrap());
    let (id_a, id_b) = (Machine::id(&m.a), Machine::id(&m.b));
    assert!(as_user(&["--llbot-dir", a, "detect"]).status.success());
    let install = |pre: &[&str], at: &str| -> Value {
        let mut args = pre.to_vec();
        args.extend(["--json", "schedule", "install", "--at", at]);
        let out = as_user(&args);
        assert_eq!(out.status.code(), Some(0), "{}", err(&out));
        json(&out)
    };
    let va = install(&["--instance", &id_a], "04:30");
    let vb = install(&["--llbot-dir", b, "--lang", "zh"], "04:30");
    let vall = install(&[], "04:30");
    let (slug_a, slug_b) = (slug_of(&va), slug_of(&vb));
    assert_eq!(vall["name"], Value::Null);
    let tab = crontab(None);
    assert!(tab.starts_with(original), "{tab}");
    let logs = m.log_dir();
    for (slug, line) in [
        (
            Some(&slug_a),
            format!(
                "30 4 * * * {} --instance {id_a} clean --yes --quiet --log-file {}",
                m.bin.display(),
                logs.join(format!("clean-{slug_a}.log")).display()
            ),
        ),
        (
            Some(&slug_b),
            format!(
                "30 4 * * * {} --llbot-dir {b} --instance {id_b} --lang zh clean --yes --quiet --log-file {}",
                m.bin.display(),
                logs.join(format!("clean-{slug_b}.log")).display()
            ),
        ),
        (
            None,
            format!(
                "30 4 * * * {} clean --yes --quiet --log-file {}",
                m.bin.display(),
                logs.join("clean.log").display()
            ),
        ),
    ] {
        let (begin, end) = match slug {
            Some(s) => (
                format!("# BEGIN LLOB-DOCTOR {s}"),
                format!("# END LLOB-DOCTOR {s}"),
            ),
            None => ("# BEGIN LLOB-DOCTOR".into(), "# END LLOB-DOCTOR".into()),
        };
        let lines: Vec<&str> = tab.lines().collect();
        let at = lines
            .iter()
            .position(|l| *l == begin)
            .unwrap_or_else(|| panic!("{begin} in {tab}"));
        assert_eq!(lines[at + 2], line, "{tab}");
        assert_eq!(lines[at + 3], end, "{tab}");
    }
    // The comment says how to remove an instance's job.
    assert!(
        tab.contains(&format!(
            "remove with: llob-doctor schedule remove --instance {id_a}"
        )),
        "{tab}"
    );

    // a again: replaced, said; b's block and the default one unchanged.
    let again = install(&["--instance", &id_a], "06:00");
    assert_eq!(again["replaced"], true);
    let tab2 = crontab(None);
    let block = |t: &str, begin: &str| -> String {
        let from = t.find(&format!("{begin}\n")).unwrap();
        t[from..].split_inclusive('\n').take(4).collect()
    };
    for begin in [
        format!("# BEGIN LLOB-DOCTOR {slug_b}"),
        "# BEGIN LLOB-DOCTOR".to_string(),
    ] {
        assert_eq!(block(&tab, &begin), block(&tab2, &begin));
    }
    assert_eq!(tab2.matches("# BEGIN LLOB-DOCTOR").count(), 3, "{tab2}");

    let v = json(&as_user(&["--json", "schedule", "show"]));
    let jobs = v["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 3, "{v}");
    assert!(
        jobs.iter()
            .any(|j| j["instance"] == id_a.as_str() && j["trigger"] == "every day at 06:00"),
        "{v}"
    );

    // a's folder gone: its block is removed by its id, the others stay.
    fs::remove_dir_all(&m.a).unwrap();
    let out = as_user(&["--instance", &id_a, "schedule", "remove"]);
    assert!(out.status.success(), "{}", err(&out));
    let tab3 = crontab(None);
    assert!(!tab3.contains(&slug_a), "{tab3}");
    assert_eq!(tab3.matches("# BEGIN LLOB-DOCTOR").count(), 2, "{tab3}");
    // remove --all: the crontab as it was, byte for byte.
    let v = json(&as_user(&["--json", "schedule", "remove", "--all"]));
    assert_eq!(v["jobs"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(crontab(None), original);
}
