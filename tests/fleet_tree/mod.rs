//! One machine with a bot of each stack, for the per-instance and fleet tests: the LLOneBot
//! plugin (the LiteLoaderQQNT installer's layout), NapCat (its rootless installer's own QQ copy)
//! and LLBot (the Docker image's `/app/llbot`), each with its own logs; readers for the
//! metrics files they give.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{Fixture, Os, native};
use crate::napcat_tree::{napcat_data, napcat_folder};
use serde_json::Value;

/// The hash name of the QQ account folder the fixture's cache is in.
pub const QQ_HEX: &str = "0123456789abcdef0123456789abcdef";

pub struct Fleet {
    pub f: Fixture,
    pub plugin_data: PathBuf,
    pub napcat_dir: PathBuf,
    pub napcat_data: PathBuf,
    pub llbot: PathBuf,
    pub llbot_data: PathBuf,
}

/// LLBot 8's own lines (layout of `src/main/log.ts` v8.1.7, texts of
/// `src/main/qqProtocol/pmhq.ts` and `src/ntqqapi/dispatcher.ts` v8.1.7): it logged in at 09:00
/// and was kicked off at 11:30, UTC (the tests run with TZ=UTC).
pub const LLBOT_KICKED: &str = "2026-07-20 09:00:00 [I] llbot LLBot 8.1.7\n\
2026-07-20 09:00:05 [I] qqProtocol QQ 登录成功\n\
2026-07-20 10:00:00 [I] onebot 收到 HTTP 请求 /send_group_msg { group_id: 1, message: '[Kick] code=9' }\n\
2026-07-20 11:30:00 [W] dispatcher [Kick] code=3 title=\"下线通知\" desc=\"你的帐号在另一台设备登录\"\n";

/// NapCat's own lines (`packages/napcat-core/helper/log.ts` and `index.ts` v4.18.19): a message
/// sent at 10:00, then kicked off at 10:05.
pub const NAPCAT_KICKED: &str = "05-12 10:00:00 [info] 小助手 | 发送 -> 群聊 [测试群(1)] [小助手(424242)] 早上好\n\
05-12 10:05:00 [error] 小助手 | [KickedOffLine] [下线通知] 你的帐号在另一台设备登录\n";

/// Unix time of `2026-07-20 <h>:<m>:00` UTC.
pub fn at_2026_07_20(h: i64, m: i64) -> f64 {
    (1_784_505_600 + h * 3600 + m * 60) as f64
}

/// Unix time of `2025-05-12 <h>:<m>:00` UTC.
pub fn at_2025_05_12(h: i64, m: i64) -> f64 {
    (1_747_008_000 + h * 3600 + m * 60) as f64
}

impl Fleet {
    pub fn new() -> Fleet {
        let f = Fixture::new(Os::Linux);
        // The plugin: QQ 3.2.13-29927 in /opt/QQ, hooked by the installer; account 1511954122
        // (and 20002).
        let plugin_data = f.linux_installer();
        // NapCat: the rootless installer's own QQ under ~/Napcat/opt/QQ.
        let app = f.p("/home/alice/Napcat/opt/QQ/resources/app");
        f.write(&app.join(native("../../qq")), b"\x7fELF");
        f.qq_app(&app, "3.2.17-34740", "./loadNapCat.js");
        f.write(
            &app.join("loadNapCat.js"),
            "(async () => {await import('file:///home/alice/Napcat/opt/QQ/resources/app/app_launcher/napcat/napcat.mjs');})();\n",
        );
        let napcat_dir = app.join(native("app_launcher/napcat"));
        napcat_folder(&f, &napcat_dir, "424242");
        f.write(
            &napcat_dir.join(native("logs/2025-05-12_10-00-00.000.log")),
            NAPCAT_KICKED,
        );
        let napcat_data_dir = f.p("/home/alice/.config/QQ/NapCat");
        napcat_data(&f, &napcat_data_dir, "424242");
        // QQ's own cache: one account folder with a picture and a video.
        let account = f.p(&format!("/home/alice/.config/QQ/nt_qq_{QQ_HEX}"));
        f.write(
            &account.join(native("nt_data/Pic/2026-07/Ori/a.jpg")),
            vec![1u8; 1000],
        );
        f.write(
            &account.join(native("nt_data/Video/2026-07/Ori/b.mp4")),
            vec![2u8; 3000],
        );
        // LLBot: the Docker image's layout.
        let llbot = f.p("/app/llbot");
        f.write(&llbot.join("llbot.js"), "// llbot\n");
        f.write(
            &llbot.join("package.json"),
            r#"{"name":"llonebot-dist","version":"8.1.7","main":"llbot.js"}"#,
        );
        let llbot_data = llbot.join("data");
        let config = serde_json::json!({
            "ob11": {"enable": true, "connect": [
                {"type": "http", "enable": false, "port": 3000, "host": "127.0.0.1", "token": ""}
            ]},
            "log": true
        });
        f.write(&llbot_data.join("config_70007.json"), config.to_string());
        f.write(&llbot_data.join("machine_guid.bin"), b"keep");
        f.write(&llbot_data.join(native("temp/upload.jpg")), vec![3u8; 4096]);
        f.write(
            &llbot_data.join(native("logs/llbot-2026-7-20 09-00-00.log")),
            LLBOT_KICKED,
        );
        Fleet {
            f,
            plugin_data,
            napcat_dir,
            napcat_data: napcat_data_dir,
            llbot,
            llbot_data,
        }
    }

    /// The command with the fixture's root, and UTC as the local time zone.
    pub fn cmd(&self) -> std::process::Command {
        let mut c = self.f.cmd();
        c.env("TZ", "UTC");
        c
    }

    pub fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.cmd().arg("--json").args(args).output().expect("run");
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), v)
    }

    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.cmd().args(args).output().expect("run")
    }

    /// The instance ids `detect` gives, by stack.
    pub fn ids(&self) -> BTreeMap<String, String> {
        let (_, v) = self.json(&["detect"]);
        v["bots"]
            .as_array()
            .expect("bots")
            .iter()
            .map(|b| {
                (
                    b["stack"].as_str().expect("stack").to_string(),
                    b["id"].as_str().expect("id").to_string(),
                )
            })
            .collect()
    }
}

/// One sample of a metrics file: name, labels, value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// The samples of Prometheus text (the format this tool writes: one sample a line).
pub fn samples(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (series, value) = line.rsplit_once(' ').expect("name and value");
        let (name, labels) = match series.split_once('{') {
            Some((n, rest)) => (n, rest.strip_suffix('}').expect("labels end")),
            None => (series, ""),
        };
        let mut map = BTreeMap::new();
        let mut rest = labels;
        while let Some(eq) = rest.find("=\"") {
            let key = rest[..eq].trim_start_matches(',').to_string();
            let mut val = String::new();
            let mut chars = rest[eq + 2..].char_indices();
            let end = loop {
                let (i, c) = chars.next().expect("closing quote");
                match c {
                    '\\' => match chars.next().expect("escaped").1 {
                        'n' => val.push('\n'),
                        o => val.push(o),
                    },
                    '"' => break i,
                    c => val.push(c),
                }
            };
            map.insert(key, val);
            rest = &rest[eq + 2 + end + 1..];
        }
        let value = match value {
            "NaN" => f64::NAN,
            "+Inf" => f64::INFINITY,
            v => v.parse().expect("value"),
        };
        out.push(Sample {
            name: name.to_string(),
            labels: map,
            value,
        });
    }
    out
}

/// The value of the one sample of `name` whose labels include all of `want`.
pub fn value(s: &[Sample], name: &str, want: &[(&str, &str)]) -> f64 {
    let hits: Vec<&Sample> = s
        .iter()
        .filter(|x| x.name == name)
        .filter(|x| {
            want.iter()
                .all(|(k, v)| x.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .collect();
    assert_eq!(hits.len(), 1, "{name} {want:?}: {hits:#?}");
    hits[0].value
}

/// Is `path` a file of ours inside `dir`?
pub fn under(path: &Path, dir: &Path) -> bool {
    path.starts_with(dir)
}
