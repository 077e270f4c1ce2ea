//! NapCat on realistic trees: the Linux installer's layout (and its rootless variant), a
//! Windows QQ hooked through `loadNapCat.js`, NapCat Shell's folder, Docker's volumes, and
//! NapCat beside the LLOneBot plugin: found by `detect`, cleaned by `clean`.

mod common;
mod napcat_tree;

use std::path::{Path, PathBuf};

use common::{Fixture, Os, native, sample};
use napcat_tree::*;
use serde_json::Value;

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

/// Documents moved to `D:\Documents` (Windows writes the new place to `User Shell Folders`
/// `Personal`): NapCat's temp in `<Documents>\Tencent Files\NapCat` is found there, as QQ's
/// cache is.
#[test]
fn windows_napcat_temp_in_a_moved_documents_folder() {
    use llob_doctor::discover::{Overrides, discover_all};
    use llob_doctor::env::{Env, Platform, Registry, SHELL_FOLDERS};
    let f = Fixture::new(Os::Windows);
    let shell = f.p(r"C:\Users\alice\Desktop\NapCat.Shell");
    napcat_folder(&f, &shell, "10001");
    let data = f.p(r"D:\Documents\Tencent Files\NapCat");
    napcat_data(&f, &data, "10001");
    let cache = f.p(r"D:\Documents\Tencent Files\10001\nt_qq\nt_data\Pic");
    f.mkdir(&cache);
    let env = Env {
        platform: Platform::Windows,
        home: Some(r"C:\Users\alice".into()),
        vars: Default::default(),
        root: Some(f.root.clone()),
        registry: Registry::Fake(
            [(
                (SHELL_FOLDERS.to_string(), "Personal".to_string()),
                r"D:\Documents".to_string(),
            )]
            .into(),
        ),
    };
    let overrides = Overrides {
        napcat_dir: Some(shell.clone()),
        ..Default::default()
    };
    let inst = discover_all(&env, &overrides, Default::default()).expect("discovery");
    let v = serde_json::to_value(&inst).unwrap();
    let b = napcat_bot(&v);
    assert_eq!(Path::new(s(&b["temp_dir"])), data.join("temp"), "{b:#}");
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

/// `config/`, `cache/` and `logs/` are in many folders: a project folder named by mistake with
/// `--napcat-dir` (or a Docker volume guess) is not NapCat's, and nothing in it is removed.
#[test]
fn an_ordinary_folder_with_cache_and_logs_is_not_cleaned_as_napcat() {
    let f = Fixture::new(Os::Linux);
    let project = f.p("/home/alice/myproject");
    f.write(&project.join(native("cache/build.bin")), vec![1u8; 100]);
    f.write(&project.join(native("logs/server.log")), "started\n");
    f.write(&project.join(native("config/settings.json")), "{}");
    let dir = project.display().to_string();
    for flag in ["--napcat-dir", "--data-dir"] {
        let (code, v) = f.json(&[flag, &dir, "clean", "--yes", "--logs"]);
        assert_ne!(code, 0, "{flag}: {v:#}");
        assert!(exists(&project.join(native("cache/build.bin"))), "{flag}");
        assert!(exists(&project.join(native("logs/server.log"))), "{flag}");
    }
    // With an account's NapCat config it is NapCat's work dir.
    f.write(
        &project.join(native("config/onebot11_123456.json")),
        sample("napcat-onebot11-defaults.json"),
    );
    let (code, v) = f.json(&["--napcat-dir", &dir, "clean", "--yes", "--logs"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(!exists(&project.join(native("cache/build.bin"))));
    assert!(exists(&project.join(native("config/settings.json"))));
}
