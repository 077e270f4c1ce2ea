//! NapCat trees for the NapCat tests, built from real formats. Samples:
//! `loadNapCat.js.linux-installer.txt` is what NapNeko/NapCat-Installer's `install.sh` writes;
//! `napcat-onebot11-defaults.json` holds the defaults of NapCatQQ's
//! `packages/napcat-onebot/config/config.ts` schema; the `napcat.mjs` excerpt has the shape the
//! build gives NapCat's version constant.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crate::common::{Fixture, native, sample};
use serde_json::Value;

pub const VERSION: &str = "4.18.19";

pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

pub fn napcat_bot(v: &Value) -> &Value {
    v["bots"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["kind"] == "napcat"))
        .unwrap_or_else(|| panic!("no napcat bot: {v:#}"))
}

/// NapCat's own folder (`napcat.mjs` with its compiled-in version) with a work dir in it:
/// one account's configs, a log, the cache, a plugin.
pub fn napcat_folder(f: &Fixture, dir: &Path, uin: &str) {
    f.write(
        &dir.join("napcat.mjs"),
        format!(
            "import{{a}}from\"./x.mjs\";const Ye=typeof{{BASE_URL:\"/\",MODE:\"production\"}}<\"u\"&&\"{VERSION}\"||\"1.0.0-dev\";\n"
        ),
    );
    f.write(
        &dir.join("package.json"),
        r#"{"name":"napcat","version":"0.0.1"}"#,
    );
    work_dir(f, dir, uin);
}

pub fn work_dir(f: &Fixture, dir: &Path, uin: &str) {
    f.write(
        &dir.join(native(&format!("config/onebot11_{uin}.json"))),
        sample("napcat-onebot11-defaults.json"),
    );
    f.write(
        &dir.join(native(&format!("config/napcat_{uin}.json"))),
        r#"{"fileLog":true,"consoleLog":true}"#,
    );
    f.write(&dir.join(native("config/webui.json")), r#"{"port":6099}"#);
    f.write(
        &dir.join(native("logs/2026-03-01_10-00-00.123.log")),
        "03-01 10:00:00 [info] | [NapCat] [Core] NapCat.Core Version: 4.18.19\n03-01 10:00:05 [info] bot | 发送 -> 群聊 [1] hello\n",
    );
    f.write(&dir.join(native("cache/qrcode.png")), vec![1u8; 2048]);
    f.write(
        &dir.join(native("plugins/demo/index.mjs")),
        "export default 1;\n",
    );
}

/// `<QQ data>/NapCat`: temp files of sends and the decrypted-database cache.
pub fn napcat_data(f: &Fixture, root: &Path, uin: &str) {
    f.write(&root.join(native("temp/a1b2.jpg")), vec![0u8; 5000]);
    f.write(&root.join(native("temp/upload_9/part0")), vec![0u8; 700]);
    f.write(
        &root.join(native(&format!("db_{uin}/nt_msg.db"))),
        b"SQLite format 3\0",
    );
}

/// The Linux installer's layout: `/opt/QQ`, `main` → `./loadNapCat.js`, NapCat in
/// `app_launcher/napcat`, temp under `~/.config/QQ/NapCat`. Returns NapCat's folder.
pub fn linux_installer(f: &Fixture) -> PathBuf {
    let qq = f.p("/opt/QQ");
    f.write(&qq.join("qq"), b"\x7fELF");
    let app = qq.join(native("resources/app"));
    f.qq_app(&app, "3.2.17-34740", "./loadNapCat.js");
    f.write(
        &app.join("loadNapCat.js"),
        sample("loadNapCat.js.linux-installer.txt"),
    );
    let nc = app.join(native("app_launcher/napcat"));
    napcat_folder(f, &nc, "123456");
    napcat_data(f, &f.p("/home/alice/.config/QQ/NapCat"), "123456");
    nc
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
