//! `detect` on realistic trees of every platform, built from the real samples.

mod common;
mod detect_tree;

use common::{Fixture, Os};
use detect_tree::*;
use serde_json::Value;

#[test]
fn windows_new_layout_through_the_official_launcher() {
    let f = Fixture::new(Os::Windows);
    let data = f.windows_new();
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    let qq = &v["qq"];
    assert_eq!(
        path_of(&qq["install_dir"]),
        f.p(r"C:\Program Files\Tencent\QQNT")
    );
    assert_eq!(s(&qq["version"]), "9.9.15-28131");
    assert_eq!(qq["build"], 28131);
    assert_eq!(s(&qq["source"]), "well_known");
    assert_eq!(
        path_of(&qq["version_file"]),
        f.p(r"C:\Program Files\Tencent\QQNT\versions\config.json")
    );
    let ll = &v["liteloader"];
    assert_eq!(path_of(&ll["root"]), f.p(r"C:\LiteLoaderQQNT"));
    assert_eq!(s(&ll["source"]), "launcher");
    assert_eq!(s(&ll["version"]), "1.2.2");
    assert_eq!(s(&ll["profile_source"]), "root");
    let lb = &v["llonebot"];
    assert_eq!(path_of(&lb["data_dir"]), data);
    assert_eq!(s(&lb["version"]), "3.28.3");
    assert_eq!(s(&lb["accounts"][0]["uin"]), "1511954122");
    assert_eq!(
        path_of(&lb["accounts"][0]["msg_db"]),
        data.join("msg_1511954122")
    );
    assert!(lb["accounts"][0]["database"].is_null());
}

#[test]
fn windows_old_layout_with_relative_backslash_require() {
    let f = Fixture::new(Os::Windows);
    let data = f.windows_old(r"D:\Apps\QQNT");
    // Not in a well-known place: found through the registry.
    let (code, v) = f.json(&["--qq-dir", f.p(r"D:\Apps\QQNT").to_str().unwrap(), "detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(s(&v["qq"]["source"]), "flag");
    assert_eq!(s(&v["qq"]["version"]), "9.9.12-26466");
    assert_eq!(
        path_of(&v["qq"]["version_file"]),
        f.p(r"D:\Apps\QQNT\resources\app\versions\config.json")
    );
    assert_eq!(
        path_of(&v["liteloader"]["root"]),
        f.p(r"D:\Apps\QQNT\resources\app\LiteLoaderQQNT")
    );
    assert_eq!(s(&v["liteloader"]["version"]), "1.1.2");
    assert_eq!(path_of(&v["llonebot"]["data_dir"]), data);
    assert_eq!(s(&v["llonebot"]["version"]), "3.27.0");
}

#[test]
fn linux_installer_profile_from_bashrc_and_hot_update_version() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_installer();
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    // The hot-update config wins over package.json.
    assert_eq!(s(&v["qq"]["version"]), "3.2.13-29927");
    assert_eq!(v["qq"]["build"], 29927);
    assert_eq!(s(&v["qq"]["platform"]), "linux");
    let ll = &v["liteloader"];
    assert_eq!(
        path_of(&ll["root"]),
        f.p("/home/alice/.local/share/LiteLoaderQQNT")
    );
    assert_eq!(
        path_of(&ll["profile"]),
        f.p("/home/alice/.config/LiteLoaderQQNT")
    );
    assert_eq!(s(&ll["profile_source"]), "shell_rc");
    assert_eq!(
        path_of(&ll["data_dir"]),
        f.p("/home/alice/.config/LiteLoaderQQNT/data")
    );
    let lb = &v["llonebot"];
    assert_eq!(path_of(&lb["data_dir"]), data);
    assert_eq!(
        path_of(&lb["plugin_dir"]),
        f.p("/home/alice/.config/LiteLoaderQQNT/plugins/llonebot")
    );
    let uins: Vec<&str> = lb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| s(&a["uin"]))
        .collect();
    assert_eq!(uins, ["20002", "1511954122"]);
    // Legacy msg_* beside database/.
    let a = &lb["accounts"][0];
    assert_eq!(path_of(&a["msg_db"]), data.join("msg_20002"));
    assert_eq!(path_of(&a["database"]), data.join("database/20002.v2.db"));
    assert_eq!(path_of(&a["config"]), data.join("config_20002.json"));
}

#[test]
fn fish_profile_block_is_read_too() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    std::fs::remove_file(f.p("/home/alice/.bashrc")).unwrap();
    f.write(
        &f.p("/home/alice/.config/fish/config.fish"),
        common::sample("shell-rc-block.fish.txt"),
    );
    let (_, v) = f.json(&["detect"]);
    assert_eq!(s(&v["liteloader"]["profile_source"]), "shell_rc");
    assert_eq!(
        path_of(&v["liteloader"]["profile"]),
        f.p("/home/alice/.config/LiteLoaderQQNT")
    );
}

#[test]
fn profile_variable_wins_over_rc_files() {
    let f = Fixture::new(Os::Linux);
    f.linux_installer();
    let other = f.p("/srv/profile");
    f.llonebot_plugin(&other, "LLOneBot", "3.28.4");
    f.data_dir(&other.join("data/LLOneBot"), &["777"], &[]);
    let out = f
        .cmd()
        .env("LITELOADERQQNT_PROFILE", "/srv/profile")
        .args(["--json", "detect"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s(&v["liteloader"]["profile_source"]), "env_var");
    assert_eq!(s(&v["llonebot"]["version"]), "3.28.4");
}

#[test]
fn aur_root_without_profile_uses_the_root() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0);
    assert_eq!(
        path_of(&v["liteloader"]["root"]),
        f.p("/opt/LiteLoaderQQNT")
    );
    assert_eq!(s(&v["liteloader"]["profile_source"]), "root");
    assert_eq!(path_of(&v["llonebot"]["data_dir"]), data);
    assert_eq!(s(&v["llonebot"]["version"]), "4.9.4");
}

#[test]
fn flatpak_sandbox_path_is_reported_and_mapped() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_flatpak();
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["qq"]["flatpak"], true);
    assert_eq!(s(&v["qq"]["version"]), "3.2.12-27597");
    let files = f.p("/home/alice/.local/share/flatpak/app/com.qq.QQ/current/active/files");
    assert_eq!(
        path_of(&v["liteloader"]["root"]),
        files.join("lib/LiteLoaderQQNT")
    );
    assert_eq!(s(&v["liteloader"]["profile_source"]), "flatpak");
    assert_eq!(path_of(&v["llonebot"]["data_dir"]), data);
    let sandbox = v["searched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["reason"] == "sandbox_only")
        .expect("the sandbox-only path is in the trail");
    assert_eq!(s(&sandbox["detail"]), "/app/lib/LiteLoaderQQNT");
}

#[test]
fn macos_container_root_and_container_version_config() {
    let f = Fixture::new(Os::Macos);
    let data = f.macos();
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        path_of(&v["qq"]["install_dir"]),
        f.p("/Applications/QQ.app")
    );
    assert_eq!(
        path_of(&v["qq"]["executable"]),
        f.p("/Applications/QQ.app/Contents/MacOS/QQ")
    );
    assert_eq!(s(&v["qq"]["version"]), "6.9.56-28418");
    assert_eq!(path_of(&v["llonebot"]["data_dir"]), data);
    // --qq-dir may name the folder holding QQ.app.
    let (_, v) = f.json(&["--qq-dir", f.p("/Applications").to_str().unwrap(), "detect"]);
    assert_eq!(
        path_of(&v["qq"]["install_dir"]),
        f.p("/Applications/QQ.app")
    );
}

#[test]
fn standalone_data_dir() {
    let f = Fixture::new(Os::Linux);
    let data = f.standalone();
    let (code, v) = f.json(&["--data-dir", data.to_str().unwrap(), "detect"]);
    assert_eq!(code, 0, "{v:#}");
    assert!(v["qq"].is_null() && v["liteloader"].is_null());
    assert_eq!(v["llonebot"]["standalone"], true);
    assert_eq!(v["llonebot"]["accounts"].as_array().unwrap().len(), 2);
    assert_eq!(
        path_of(&v["llonebot"]["accounts"][1]["database"]),
        data.join("database/60007.v2.db")
    );
}

#[test]
fn nothing_found_exits_3_and_says_where_it_looked() {
    let f = Fixture::new(Os::Linux);
    let out = f.run(&["detect"]);
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("QQ not found"), "{text}");
    assert!(
        text.contains(&f.p("/opt/QQ").display().to_string()),
        "{text}"
    );
    assert!(text.contains("--data-dir"), "{text}");
    let (code, v) = f.json(&["detect"]);
    assert_eq!(code, 3);
    assert!(v["qq"].is_null() && v["liteloader"].is_null() && v["llonebot"].is_null());
    assert!(v["searched"].as_array().unwrap().len() >= 3);
}

#[test]
fn verbose_lists_every_candidate() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    let out = f.run(&["detect", "-v"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Searched"), "{text}");
    assert!(
        text.contains("LiteLoaderQQNT root") && text.contains("taken"),
        "{text}"
    );
}

#[test]
fn bad_overrides_exit_2_naming_the_path() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let missing = f.p("/nope");
    let out = f.run(&["--qq-dir", missing.to_str().unwrap(), "detect"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&missing.display().to_string()) && err.contains("--qq-dir"),
        "{err}"
    );
    // In Chinese, the OS's reason too.
    let out = f.run(&[
        "--lang",
        "zh",
        "--qq-dir",
        missing.to_str().unwrap(),
        "detect",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("No such file"), "{err}");

    // --ll-dir that is a folder but not LiteLoaderQQNT.
    let not_ll = f.p("/opt/QQ");
    let out = f.run(&["--ll-dir", not_ll.to_str().unwrap(), "detect"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("liteloader-qqnt"));

    // --data-dir that is a file.
    let file = f.p("/opt/QQ/qq");
    let out = f.run(&["--data-dir", file.to_str().unwrap(), "detect"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));

    // --data-dir that is a folder of something else.
    let home = f.home();
    let out = f.run(&["--data-dir", home.to_str().unwrap(), "detect"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn malformed_files_are_warnings_not_panics() {
    let f = Fixture::new(Os::Linux);
    let data = f.linux_aur();
    let root = f.p("/opt/LiteLoaderQQNT");
    f.write(
        &f.p("/opt/QQ/resources/app/package.json"),
        b"\x00\xff\xfe garbage",
    );
    f.write(&root.join("plugins/LLOneBot/manifest.json"), "");
    f.write(&data.join("config_30003.json"), "{\"ob11\": ");
    f.write(&root.join("plugins/broken/manifest.json"), "[1,2,3]");
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let odd = std::ffi::OsStr::from_bytes(b"config_\xff.json");
        f.write(&data.join(odd), "{}");
        f.mkdir(
            &root
                .join("plugins")
                .join(std::ffi::OsStr::from_bytes(b"\xfe\xff")),
        );
    }
    let (code, v) = f.json(&["detect"]);
    // The data dir is still found through the well-known root.
    assert_eq!(code, 0, "{v:#}");
    assert!(v["qq"]["version"].is_null());
    assert!(v["llonebot"]["version"].is_null());
    let warned: Vec<std::path::PathBuf> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| path_of(&w["path"]))
        .collect();
    for p in [
        f.p("/opt/QQ/resources/app/package.json"),
        root.join("plugins/LLOneBot/manifest.json"),
        data.join("config_30003.json"),
        root.join("plugins/broken/manifest.json"),
    ] {
        assert!(
            warned.contains(&p),
            "no warning for {}: {warned:?}",
            p.display()
        );
    }
    let out = f.run(&["detect"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("malformed JSON"));
}

#[test]
fn napcat_hook_is_not_liteloader() {
    let f = Fixture::new(Os::Windows);
    f.windows_new();
    let app = f.p(r"C:\Program Files\Tencent\QQNT\versions\9.9.15-28131\resources\app");
    f.write(
        &app.join("package.json"),
        common::sample("qq-package.windows-9.9.15-28418.napcat-hooked.json"),
    );
    let (_, v) = f.json(&["detect"]);
    let napcat = v["searched"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["reason"] == "napcat_loader");
    assert!(napcat, "{v:#}");
    // Still found in its well-known place.
    assert_eq!(s(&v["liteloader"]["source"]), "well_known");
}

#[test]
fn older_index_js_hook() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let app = f.p("/opt/QQ/resources/app");
    f.qq_app(&app, "3.2.9-24815", "./app_launcher/index.js");
    f.write(
        &app.join("app_launcher/index.js"),
        "require(\"/srv/LL\");\nrequire('./launcher.node');\n",
    );
    f.ll_root(&f.p("/srv/LL"), "1.1.2");
    let (_, v) = f.json(&["detect"]);
    assert_eq!(s(&v["liteloader"]["source"]), "index_js");
    assert_eq!(path_of(&v["liteloader"]["root"]), f.p("/srv/LL"));
}

/// The AUR layout with the 4.x plugin and a 4.x config: an open ws server, a guarded http one
/// and a reverse ws.
fn aur_with_4x_connections(f: &Fixture) {
    let data = f.linux_aur();
    let config = serde_json::json!({"ob11": {"enable": true, "connect": [
        {"type": "ws", "enable": true, "port": 3001, "host": "", "token": ""},
        {"type": "http", "enable": true, "port": 3000, "host": "127.0.0.1", "token": "s3cret"},
        {"type": "ws-reverse", "enable": true, "url": "ws://127.0.0.1:8080/onebot/v11/ws",
         "token": ""},
        {"type": "http-post", "enable": false, "url": "http://127.0.0.1:8081/", "token": ""}
    ]}});
    f.write(&data.join("config_30003.json"), config.to_string());
}

/// Runs like [`Fixture::run`], with `--color always` instead of `never` (a Linux tree).
fn in_colour(f: &Fixture, args: &[&str]) -> std::process::Output {
    let mut c = std::process::Command::new(common::BIN);
    c.env_clear().env("HOME", f.home_platform());
    // Windows needs these to run any program at all.
    for keep in ["SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP"] {
        if let Some(v) = std::env::var_os(keep) {
            c.env(keep, v);
        }
    }
    c.arg("--fs-root").arg(&f.root);
    c.args(["--platform", "linux", "--color", "always"]);
    c.args(args).output().expect("run")
}

/// The block of `detect`'s text that starts with `head`.
fn block<'t>(text: &'t str, head: &str) -> &'t str {
    text.split("\n\n")
        .find(|b| b.starts_with(head))
        .unwrap_or_else(|| panic!("no {head:?} block in:\n{text}"))
}

#[test]
fn the_plugins_connections_are_shown_in_the_text_an_open_server_in_the_warning_colour() {
    let f = Fixture::new(Os::Linux);
    aur_with_4x_connections(&f);
    let want = "30003: ws:3001 (no token), http:3000 (token set), ws-reverse (no token)";
    let out = f.run(&["detect"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let plugin = block(&text, "LLOneBot 4.9.4");
    let row = plugin
        .lines()
        .find(|l| l.trim_start().starts_with("connections"))
        .unwrap_or_else(|| panic!("no connections row:\n{plugin}"));
    assert!(row.ends_with(want), "{plugin}");

    let out = f.run(&["--lang", "zh", "detect"]);
    let zh = String::from_utf8_lossy(&out.stdout);
    let plugin = block(&zh, "LLOneBot 4.9.4");
    assert!(
        plugin.contains("连接") && plugin.contains("30003: ws:3001 (无 token)"),
        "{plugin}"
    );

    // In colour: the open ws server in the warning colour, the guarded one plain.
    let out = in_colour(&f, &["--lang", "en", "detect"]);
    let painted = String::from_utf8_lossy(&out.stdout);
    assert!(
        painted.contains("\x1b[33mws:3001 (no token)\x1b[0m, http:3000 (token set), "),
        "{painted}"
    );
}

#[test]
fn verbose_calls_a_malformed_qq_version_file_malformed_not_missing() {
    let f = Fixture::new(Os::Linux);
    f.linux_aur();
    let cfg = f.p("/home/alice/.config/QQ/versions/config.json");
    f.write(&cfg, "xxxxxxxxxx");
    let shown = cfg.display().to_string();
    // The trail's line for the file (the Warnings section names it too).
    let line_of = |lang: &str, what: &str| {
        let out = f.run(&["--lang", lang, "detect", "-v"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let line = text
            .lines()
            .find(|l| l.contains(&shown) && l.trim_start().starts_with(what))
            .map(str::to_string);
        line.unwrap_or_else(|| panic!("{shown} not in the trail:\n{text}"))
    };
    let en = line_of("en", "QQ version");
    assert!(!en.contains("missing"), "{en}");
    assert!(
        en.contains("rejected") && en.contains("(malformed)"),
        "{en}"
    );
    assert!(en.contains("expected value at line 1 column 1"), "{en}");
    let zh = line_of("zh", "QQ 版本");
    assert!(zh.contains("格式错误"), "{zh}");
    assert!(!zh.contains("不存在"), "{zh}");

    let (_, v) = f.json(&["detect"]);
    let tried = v["searched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["what"] == "qq_version" && path_of(&t["path"]) == cfg)
        .cloned()
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(tried["result"], "rejected", "{tried:#}");
    assert_eq!(tried["reason"], "malformed", "{tried:#}");

    // Valid JSON that is not an object: said so too.
    f.write(&cfg, "[1, 2]");
    let en = line_of("en", "QQ version");
    assert!(en.contains("(not a JSON object)"), "{en}");
}
