//! NapCat on realistic trees: the Linux installer's layout (and its rootless variant), a
//! Windows QQ hooked through `loadNapCat.js`, NapCat Shell's folder, Docker's volumes, and
//! NapCat beside the LLOneBot plugin. Samples: `loadNapCat.js.linux-installer.txt` is what
//! NapNeko/NapCat-Installer's `install.sh` writes; `napcat-onebot11-defaults.json` holds the
//! defaults of NapCatQQ's `packages/napcat-onebot/config/config.ts` schema; the `napcat.mjs`
//! excerpt has the shape the build gives NapCat's version constant.

mod common;

use std::path::{Path, PathBuf};

use common::{Fixture, Os, native, sample};
use serde_json::Value;

const VERSION: &str = "4.18.19";

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn napcat_bot(v: &Value) -> &Value {
    v["bots"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["kind"] == "napcat"))
        .unwrap_or_else(|| panic!("no napcat bot: {v:#}"))
}

/// NapCat's own folder (`napcat.mjs` with its compiled-in version) with a work dir in it:
/// one account's configs, a log, the cache, a plugin.
fn napcat_folder(f: &Fixture, dir: &Path, uin: &str) {
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

fn work_dir(f: &Fixture, dir: &Path, uin: &str) {
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
fn napcat_data(f: &Fixture, root: &Path, uin: &str) {
    f.write(&root.join(native("temp/a1b2.jpg")), vec![0u8; 5000]);
    f.write(&root.join(native("temp/upload_9/part0")), vec![0u8; 700]);
    f.write(
        &root.join(native(&format!("db_{uin}/nt_msg.db"))),
        b"SQLite format 3\0",
    );
}

/// The Linux installer's layout: `/opt/QQ`, `main` → `./loadNapCat.js`, NapCat in
/// `app_launcher/napcat`, temp under `~/.config/QQ/NapCat`. Returns NapCat's folder.
fn linux_installer(f: &Fixture) -> PathBuf {
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

fn exists(p: &Path) -> bool {
    p.exists()
}

#[test]
fn linux_installer_layout_is_found_through_the_loader() {
    let f = Fixture::new(Os::Linux);
    let nc = linux_installer(&f);
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = napcat_bot(&v);
    assert_eq!(
        s(&b["version"]),
        VERSION,
        "from napcat.mjs, not package.json"
    );
    assert_eq!(Path::new(s(&b["data_dir"])), nc);
    assert_eq!(
        Path::new(s(&b["temp_dir"])),
        f.p("/home/alice/.config/QQ/NapCat/temp")
    );
    assert_eq!(s(&b["accounts"][0]["uin"]), "123456");
    assert_eq!(s(&b["found_via"]), "napcat_loader");
    assert!(b["processes"].as_array().is_some_and(|p| p.is_empty()));
    assert_eq!(
        Path::new(s(&v["napcat"]["version_file"])),
        nc.join("napcat.mjs")
    );
    // The hook is NapCat's, so LiteLoaderQQNT is not looked for through it.
    assert!(v["llonebot"].is_null());

    let out = f.run(&["detect", "--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NapCat 4.18.19"), "{text}");
    assert!(text.contains("123456"), "{text}");
}

#[test]
fn clean_empties_temp_and_cache_and_keeps_configs_plugins_and_db_caches() {
    let f = Fixture::new(Os::Linux);
    let nc = linux_installer(&f);
    let data = f.p("/home/alice/.config/QQ/NapCat");

    let (code, v) = f.json(&["clean", "--dry-run"]);
    assert_eq!(code, 0, "{v:#}");
    let kinds: Vec<(&str, &str)> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (s(&t["bot"]), s(&t["kind"])))
        .collect();
    assert_eq!(kinds, [("napcat", "cache"), ("napcat", "temp")], "{v:#}");
    assert_eq!(v["totals"]["bytes"], 2048 + 5000 + 700);

    let log = nc.join(native("logs/2026-03-01_10-00-00.123.log"));
    let log_len = std::fs::metadata(&log).unwrap().len();
    let (code, v) = f.json(&["clean", "--yes", "--logs"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["totals"]["freed_bytes"], 2048 + 5000 + 700 + log_len);
    // Gone: the contents of temp/ and cache/, and the logs; the folders stay.
    assert!(exists(&data.join("temp")) && !exists(&data.join(native("temp/a1b2.jpg"))));
    assert!(!exists(&data.join(native("temp/upload_9"))));
    assert!(exists(&nc.join("cache")) && !exists(&nc.join(native("cache/qrcode.png"))));
    assert!(!exists(
        &nc.join(native("logs/2026-03-01_10-00-00.123.log"))
    ));
    // Never cleaned.
    for keep in [
        nc.join(native("config/onebot11_123456.json")),
        nc.join(native("config/napcat_123456.json")),
        nc.join(native("config/webui.json")),
        nc.join(native("plugins/demo/index.mjs")),
        nc.join("napcat.mjs"),
        nc.join("package.json"),
        data.join(native("db_123456/nt_msg.db")),
    ] {
        assert!(exists(&keep), "{} was removed", keep.display());
    }
}

#[test]
fn manual_install_with_cjs_loader_and_backup() {
    let f = Fixture::new(Os::Linux);
    let qq = f.p("/opt/QQ");
    f.write(&qq.join("qq"), b"\x7fELF");
    let app = qq.join(native("resources/app"));
    f.qq_app(&app, "3.2.17-34740", "./loadNapCat.cjs");
    f.qq_app(
        &app.join("backup"),
        "3.2.17-34740",
        "./application.asar/app_launcher/index.js",
    );
    std::fs::rename(
        app.join(native("backup/package.json")),
        app.join("package.napcat-original.json"),
    )
    .unwrap();
    f.write(
        &app.join("loadNapCat.cjs"),
        "const path = require('path');\n(async () => {\n  await import(\"file:///opt/QQ/resources/app/napcat/napcat.mjs\");\n})();\n",
    );
    let nc = app.join("napcat");
    napcat_folder(&f, &nc, "777");
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = napcat_bot(&v);
    assert_eq!(Path::new(s(&b["data_dir"])), nc);
    assert_eq!(s(&b["found_via"]), "napcat_loader");
    // No temp folder yet: reported as such, not invented.
    assert!(b["temp_dir"].is_null(), "{v:#}");
}

#[test]
fn rootless_installer_beside_the_llonebot_plugin_each_cleaned_in_its_own_places() {
    let f = Fixture::new(Os::Linux);
    let ll_data = f.linux_installer();
    // The rootless installer: its own QQ copy under ~/Napcat/opt/QQ.
    let app = f.p("/home/alice/Napcat/opt/QQ/resources/app");
    f.write(&app.join(native("../../qq")), b"\x7fELF");
    f.qq_app(&app, "3.2.17-34740", "./loadNapCat.js");
    f.write(
        &app.join("loadNapCat.js"),
        "(async () => {await import('file:///home/alice/Napcat/opt/QQ/resources/app/app_launcher/napcat/napcat.mjs');})();\n",
    );
    let nc = app.join(native("app_launcher/napcat"));
    napcat_folder(&f, &nc, "424242");
    let nc_data = f.p("/home/alice/.config/QQ/NapCat");
    napcat_data(&f, &nc_data, "424242");

    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let kinds: Vec<&str> = v["bots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| s(&b["kind"]))
        .collect();
    assert_eq!(kinds, ["llonebot", "napcat"]);
    assert_eq!(Path::new(s(&v["bots"][0]["data_dir"])), ll_data);
    assert_eq!(Path::new(s(&napcat_bot(&v)["data_dir"])), nc);

    let ll_temp: Vec<PathBuf> = std::fs::read_dir(ll_data.join("temp"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!ll_temp.is_empty());
    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    let rows: Vec<(&str, &str, PathBuf)> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (s(&t["bot"]), s(&t["kind"]), PathBuf::from(s(&t["path"]))))
        .collect();
    assert!(
        rows.contains(&("llonebot", "temp", ll_data.join("temp"))),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("napcat", "temp", nc_data.join("temp"))),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("napcat", "cache", nc.join("cache"))),
        "{rows:?}"
    );
    let dirs: Vec<(&str, PathBuf)> = v["data_dirs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (s(&d["bot"]), PathBuf::from(s(&d["path"]))))
        .collect();
    assert_eq!(
        dirs,
        [
            ("llonebot", ll_data.clone()),
            ("napcat", nc.clone()),
            ("napcat", nc_data.clone())
        ]
    );
    for p in ll_temp {
        assert!(!p.exists(), "{}", p.display());
    }
    assert!(!nc_data.join(native("temp/a1b2.jpg")).exists());
    assert!(ll_data.join("config_20002.json").exists());
    assert!(nc.join(native("config/onebot11_424242.json")).exists());
    assert!(nc_data.join(native("db_424242/nt_msg.db")).exists());
}

#[test]
fn windows_qq_hooked_to_a_napcat_shell_folder() {
    let f = Fixture::new(Os::Windows);
    let qq = f.p(r"C:\Program Files\Tencent\QQNT");
    f.write(&qq.join("QQ.exe"), b"MZ");
    f.write(
        &qq.join(native("versions/config.json")),
        sample("qq-versions-config.windows-9.9.15-28131.json"),
    );
    let app = qq.join(native("versions/9.9.15-28131/resources/app"));
    f.write(
        &app.join("package.json"),
        sample("qq-package.windows-9.9.15-28418.napcat-hooked.json"),
    );
    // What NapCat Shell's launcher writes: forward slashes after file:///.
    f.write(
        &app.join("loadNapCat.js"),
        "(async () => {await import(\"file:///C:/Users/alice/Desktop/NapCat.Shell/napcat.mjs\")})() \r\n",
    );
    let shell = f.p(r"C:\Users\alice\Desktop\NapCat.Shell");
    napcat_folder(&f, &shell, "10001");
    f.write(&shell.join("NapCatWinBootMain.exe"), b"MZ");
    f.write(&shell.join("qqnt.json"), "{}");
    let data = f.p(r"C:\Users\alice\Documents\Tencent Files\NapCat");
    napcat_data(&f, &data, "10001");

    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = napcat_bot(&v);
    assert_eq!(Path::new(s(&b["data_dir"])), shell);
    assert_eq!(Path::new(s(&b["temp_dir"])), data.join("temp"));
    assert_eq!(s(&b["version"]), VERSION);

    let (code, v) = f.json(&["clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!data.join(native("temp/a1b2.jpg")).exists());
    assert!(shell.join("qqnt.json").exists() && shell.join("NapCatWinBootMain.exe").exists());
    assert!(shell.join(native("config/onebot11_10001.json")).exists());
}

#[test]
fn napcat_shell_folder_by_flag_and_workdir_variable() {
    let f = Fixture::new(Os::Windows);
    let shell = f.p(r"D:\bots\NapCat.Shell");
    napcat_folder(&f, &shell, "10001");
    let (code, v) = f.json(&["--napcat-dir", shell.to_str().unwrap(), "detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(s(&napcat_bot(&v)["found_via"]), "flag");
    assert_eq!(Path::new(s(&napcat_bot(&v)["data_dir"])), shell);

    // $NAPCAT_WORKDIR names the work dir; the version then comes from the log.
    let wd = f.p(r"D:\napcat-data");
    work_dir(&f, &wd, "20002");
    let out = f
        .cmd()
        .env("NAPCAT_WORKDIR", r"D:\napcat-data")
        .args(["--json", "detect"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = napcat_bot(&v);
    assert_eq!(Path::new(s(&b["data_dir"])), wd);
    assert_eq!(s(&b["found_via"]), "napcat_workdir");
    assert_eq!(s(&b["version"]), VERSION);
    assert_eq!(s(&b["accounts"][0]["uin"]), "20002");

    let bad = f.p(r"D:\bots");
    let out = f.run(&["--napcat-dir", bad.to_str().unwrap(), "detect"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("napcat.mjs"));
}

#[test]
fn docker_volumes_through_data_dir() {
    let f = Fixture::new(Os::Linux);
    // The image's layout: NapCat in /app/napcat, QQ's data in /app/.config/QQ.
    let nc = f.p("/app/napcat");
    work_dir(&f, &nc, "30003");
    napcat_data(&f, &f.p("/app/.config/QQ/NapCat"), "30003");
    let (code, v) = f.json(&["--data-dir", nc.to_str().unwrap(), "detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        v["llonebot"].is_null(),
        "a NapCat work dir is not LLOneBot's: {v:#}"
    );
    let b = napcat_bot(&v);
    assert_eq!(Path::new(s(&b["data_dir"])), nc);
    assert_eq!(
        Path::new(s(&b["temp_dir"])),
        f.p("/app/.config/QQ/NapCat/temp")
    );
    let (code, v) = f.json(&["--data-dir", nc.to_str().unwrap(), "clean", "--yes"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!f.p("/app/.config/QQ/NapCat/temp/a1b2.jpg").exists());
    assert!(nc.join(native("config/onebot11_30003.json")).exists());
}

#[test]
fn doctor_reads_napcat_configs_temp_and_old_logs() {
    let f = Fixture::new(Os::Linux);
    let nc = linux_installer(&f);
    // Account 123456: a WebSocket server open to the network without a token.
    let mut cfg: Value = serde_json::from_str(&sample("napcat-onebot11-defaults.json")).unwrap();
    cfg["network"]["websocketServers"] = serde_json::json!([
        {"name": "ws", "enable": true, "host": "0.0.0.0", "port": 3001, "token": ""}
    ]);
    f.write(
        &nc.join(native("config/onebot11_123456.json")),
        cfg.to_string(),
    );
    // Account 654321: an HTTP server on the same port, with a token, on loopback.
    cfg["network"]["websocketServers"] = serde_json::json!([]);
    cfg["network"]["httpServers"] = serde_json::json!([
        {"name": "http", "enable": true, "host": "127.0.0.1", "port": 3001, "token": "s3cret"}
    ]);
    f.write(
        &nc.join(native("config/onebot11_654321.json")),
        cfg.to_string(),
    );
    let old = nc.join(native("logs/2026-01-01_00-00-00.000.log"));
    f.write(&old, "01-01 00:00:00 [info] | x\n");
    common::set_mtime(
        &old,
        std::time::SystemTime::now() - std::time::Duration::from_secs(10 * 24 * 3600),
    );

    let (code, v) = f.json(&["doctor"]);
    assert_eq!(code, 1, "a warning makes exit 1: {v:#}");
    let find = |id: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["check"] == id)
            .unwrap_or_else(|| panic!("no {id}: {v:#}"))
            .clone()
    };
    assert_eq!(find("versions.napcat")["severity"], "ok");
    assert_eq!(find("versions.napcat")["data"]["installed"], VERSION);
    assert_eq!(find("napcat.config.123456")["severity"], "warn");
    assert_eq!(find("napcat.config.654321")["severity"], "ok");
    assert_eq!(find("napcat.ports")["severity"], "warn");
    assert_eq!(
        find("napcat.timeout.123456")["data"]["baseTimeout"],
        10000.0
    );
    assert_eq!(find("napcat.temp")["data"]["bytes"], 5000 + 700);
    assert_eq!(find("napcat.logs")["data"]["files"], 1);
    // NapCat needs neither LiteLoaderQQNT nor LLOneBot.
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| s(&x["check"]))
        .collect();
    assert!(!ids.contains(&"discovery.llonebot") && !ids.contains(&"discovery.liteloader"));
}

#[test]
fn check_versions_has_a_napcat_row_with_an_optional_minimum() {
    let f = Fixture::new(Os::Linux);
    linux_installer(&f);
    let row = |v: &Value| {
        v["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "napcat")
            .unwrap_or_else(|| panic!("no napcat row: {v:#}"))
            .clone()
    };
    let (_, v) = f.json(&["check-versions"]);
    let r = row(&v);
    assert_eq!(r["installed"], VERSION);
    assert_eq!((s(&r["status"]), s(&r["reason"])), ("ok", "no_minimum"));
    let (code, v) = f.json(&["check-versions", "--min-napcat", "4.19.0"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(row(&v)["status"], "outdated");
    let out = f.run(&["check-versions", "--min-napcat", "four"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Stops a PID llob-doctor reported (a restarted QQ), by PID only.
fn stop_pid(pid: u32) {
    #[cfg(unix)]
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .output();
    #[cfg(windows)]
    let _ = std::process::Command::new("taskkill")
        .args(["/F", "/PID", &pid.to_string()])
        .output();
}

/// A QQ started the way NapCat Shell starts it: its environment names `napcat.mjs`, its
/// arguments carry the quick-login account. `clean` refuses while it runs, then stops it,
/// cleans NapCat's temp and starts it again with the same arguments and environment.
#[test]
fn a_qq_started_by_napcat_shell_is_stopped_and_restarted_as_it_was() {
    use std::time::{Duration, Instant};
    let f = Fixture::new(Os::host());
    let (qq_dir, shell_platform, data) = match f.os {
        Os::Windows => {
            let qq = f.p(r"C:\Program Files\Tencent\QQNT");
            let app = qq.join(native("resources/app"));
            f.qq_app(&app, "9.9.19-34740", "./application/app_launcher/index.js");
            (
                qq,
                r"D:\NapCat.Shell".to_string(),
                f.p(r"C:\Users\alice\Documents\Tencent Files\NapCat"),
            )
        }
        _ => {
            let qq = f.p("/opt/QQ");
            f.qq_app(
                &qq.join(native("resources/app")),
                "3.2.17-34740",
                "./application/app_launcher/index.js",
            );
            (
                qq,
                "/srv/NapCat.Shell".to_string(),
                f.p("/home/alice/.config/QQ/NapCat"),
            )
        }
    };
    let shell = f.p(&shell_platform);
    napcat_folder(&f, &shell, "123456");
    napcat_data(&f, &data, "123456");
    let main_path = match f.os {
        Os::Windows => format!("{}/napcat.mjs", shell_platform.replace('\\', "/")),
        _ => format!("{shell_platform}/napcat.mjs"),
    };
    let log = f.tmp.path().join("qq-starts.log");
    let log_s = log.to_str().unwrap().to_string();
    let qq = common::start_fake_qq(
        &qq_dir,
        &["-q", "123456"],
        &[
            ("NAPCAT_MAIN_PATH", &main_path),
            ("FAKE_QQ_LOG", &log_s),
            ("FAKE_QQ_LIFETIME", "90"),
        ],
    );
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = napcat_bot(&v);
    assert_eq!(s(&b["found_via"]), "napcat_qq_environ", "{v:#}");
    assert_eq!(Path::new(s(&b["data_dir"])), shell);
    assert_eq!(b["processes"][0]["pid"], qq.0.id());

    let out = f.run(&["clean", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "QQ runs NapCat: clean must wait"
    );
    assert!(data.join(native("temp/a1b2.jpg")).exists());

    let (code, v) = f.json(&["clean", "--yes", "--stop-qq", "--restart-qq"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!data.join(native("temp/a1b2.jpg")).exists());
    let new_pid = v["qq"]["restarted_pid"].as_u64().expect("a new pid") as u32;
    drop(qq);
    let t = Instant::now();
    let mut lines: Vec<String> = Vec::new();
    while t.elapsed() < Duration::from_secs(10) {
        lines = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect();
        if lines.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // The restarted QQ still carries NapCat Shell's environment: NapCat is found through it.
    let (_, now) = f.json(&["detect"]);
    stop_pid(new_pid);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let first: Vec<&str> = lines[0].split('\t').collect();
    let second: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(first[1..], second[1..], "cwd and arguments differ");
    assert!(
        second.contains(&"-q") && second.contains(&"123456"),
        "{second:?}"
    );
    assert_eq!(
        s(&napcat_bot(&now)["found_via"]),
        "napcat_qq_environ",
        "{now:#}"
    );
}
