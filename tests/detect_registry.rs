//! `detect` on Windows for real, with no `--fs-root`: QQ, LiteLoaderQQNT and the profile found
//! through the registry keys an installer or a user writes, and a moved Documents folder found
//! where Windows keeps it. Windows only (CI runs it under Wine).

mod common;
mod detect_tree;
mod napcat_tree;

#[cfg(windows)]
use common::{Fixture, Os};
#[cfg(windows)]
use detect_tree::*;
#[cfg(windows)]
use serde_json::Value;

/// Runs the binary on this machine as it is (no `--fs-root`): a clean environment whose home
/// is `home`, so only the registry and the folders the test names are found.
#[cfg(windows)]
fn native_detect(home: &std::path::Path) -> (i32, Value) {
    native_json(home, &["detect"])
}

/// [`native_detect`] with other arguments.
#[cfg(windows)]
fn native_json(home: &std::path::Path, args: &[&str]) -> (i32, Value) {
    let mut c = std::process::Command::new(common::BIN);
    c.env_clear();
    for keep in ["PATH", "SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP"] {
        if let Some(v) = std::env::var_os(keep) {
            c.env(keep, v);
        }
    }
    let out = c
        .env("USERPROFILE", home)
        .args(["--json", "--color", "never"])
        .args(args)
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

/// `reg add` / `reg delete`, as an installer or a user would run them.
#[cfg(windows)]
fn reg(args: &[&str]) {
    let out = std::process::Command::new("reg")
        .args(args)
        .output()
        .expect("run reg");
    assert!(
        out.status.success(),
        "reg {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(windows)]
const UNINSTALL_KEY: &str =
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\QQ";
#[cfg(windows)]
const QQNT_KEY: &str = r"HKLM\SOFTWARE\WOW6432Node\Tencent\QQNT";
#[cfg(windows)]
const USER_ENV_KEY: &str = r"HKCU\Environment";

/// The tests of this file one at a time: each changes what the other's runs read.
#[cfg(windows)]
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Removes what the registry test wrote, even when it fails.
#[cfg(windows)]
struct RegCleanup;

#[cfg(windows)]
impl Drop for RegCleanup {
    fn drop(&mut self) {
        for args in [
            &["delete", UNINSTALL_KEY, "/f"][..],
            &["delete", QQNT_KEY, "/f"],
            &["delete", USER_ENV_KEY, "/v", "LITELOADERQQNT_PROFILE", "/f"],
        ] {
            let _ = std::process::Command::new("reg").args(args).output();
        }
    }
}

/// A path as this Windows writes it: drive letter, backslashes only.
#[cfg(windows)]
fn windows_style(v: &Value) -> std::path::PathBuf {
    let text = s(v);
    let b = text.as_bytes();
    assert!(
        b.len() > 3 && b[0].is_ascii_alphabetic() && &text[1..3] == r":\" && !text.contains('/'),
        "not a plain Windows path: {text}"
    );
    path_of(v)
}

/// Windows for real: the keys QQ's installer writes (`Uninstall\QQ` `UninstallString`, else
/// `Tencent\QQNT` `Install`) point at installs in real folders with spaces, drive letters and
/// backslashes; the launcher's `String.raw` require names LiteLoaderQQNT with backslashes; the
/// profile comes from the user environment (`HKCU\Environment`). Only under Wine, in CI's
/// throwaway prefix: a real Windows's registry is never written.
#[cfg(windows)]
#[test]
fn windows_registry_discovery_for_real() {
    if !common::under_wine() {
        common::skip("writes HKLM, so it runs only under Wine");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Left over from an interrupted run: gone before, and gone after, this test.
    drop(RegCleanup);
    let _cleanup = RegCleanup;
    let f = Fixture::new(Os::Windows);
    let base = f.tmp.path().join("drive");
    let home = base.join("Users").join("alice");
    f.mkdir(&home);

    // New layout (9.9.15-28060+), found through Uninstall\QQ.
    let qq = base.join("Program Files").join("Tencent").join("QQNT");
    f.write(&qq.join("QQ.exe"), b"MZ");
    f.write(
        &qq.join("versions").join("config.json"),
        common::sample("qq-versions-config.windows-9.9.15-28131.json"),
    );
    let app = qq
        .join("versions")
        .join("9.9.15-28131")
        .join("resources")
        .join("app");
    f.qq_app(&app, "9.9.15-28131", "./app_launcher/LiteLoader.js");
    let ll = base.join("LiteLoader QQNT");
    let launcher = common::sample("launcher-LiteLoader.js.windows-official-guide.txt")
        .replace(r"C:\LiteLoaderQQNT", ll.to_str().unwrap());
    assert!(launcher.contains(r"\LiteLoader QQNT`"), "{launcher}");
    f.write(&app.join("app_launcher").join("LiteLoader.js"), launcher);
    f.ll_root(&ll, "1.2.2");
    f.llonebot_plugin(&ll, "LLOneBot", "3.28.3");
    let data = ll.join("data").join("LLOneBot");
    f.data_dir(&data, &["1511954122"], &[]);

    let (code, v) = native_detect(&home);
    assert_eq!(code, 3, "nothing registered yet: {v:#}");
    reg(&[
        "add",
        UNINSTALL_KEY,
        "/v",
        "UninstallString",
        "/t",
        "REG_SZ",
        "/d",
        &format!("\"{}\"", qq.join("Uninstall.exe").display()),
        "/f",
    ]);
    let (code, v) = native_detect(&home);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(s(&v["platform"]), "windows");
    let q = &v["qq"];
    assert_eq!(s(&q["source"]), "registry");
    assert_eq!(
        s(&q["source_detail"]),
        format!(r"{UNINSTALL_KEY}\UninstallString")
    );
    assert_eq!(windows_style(&q["install_dir"]), qq);
    assert_eq!(windows_style(&q["executable"]), qq.join("QQ.exe"));
    assert_eq!(s(&q["version"]), "9.9.15-28131");
    assert_eq!(windows_style(&q["app_dir"]), app);
    assert_eq!(
        windows_style(&q["version_file"]),
        qq.join("versions").join("config.json")
    );
    let l = &v["liteloader"];
    assert_eq!(s(&l["source"]), "launcher");
    assert_eq!(windows_style(&l["root"]), ll);
    assert_eq!(s(&l["version"]), "1.2.2");
    assert_eq!(s(&l["profile_source"]), "root");
    assert_eq!(windows_style(&v["llonebot"]["data_dir"]), data);
    assert_eq!(s(&v["llonebot"]["accounts"][0]["uin"]), "1511954122");

    // Old layout, found through Tencent\QQNT Install once the Uninstall key is gone.
    reg(&["delete", UNINSTALL_KEY, "/f"]);
    let old = base.join("Apps").join("QQNT old");
    f.write(&old.join("QQ.exe"), b"MZ");
    let old_app = old.join("resources").join("app");
    f.qq_app(&old_app, "9.9.12-26466", "./app_launcher/LiteLoader.js");
    f.write(
        &old_app.join("versions").join("config.json"),
        r#"{"baseVersion":"9.9.12-26466","curVersion":"9.9.12-26466","buildId":"26466"}"#,
    );
    f.write(
        &old_app.join("app_launcher").join("LiteLoader.js"),
        "require(String.raw`..\\LiteLoaderQQNT`);\n",
    );
    let old_ll = old_app.join("LiteLoaderQQNT");
    f.ll_root(&old_ll, "1.1.2");
    f.llonebot_plugin(&old_ll, "LLOneBot-3.27", "3.27.0");
    f.data_dir(&old_ll.join("data").join("LLOneBot"), &["10001"], &[]);
    reg(&[
        "add",
        QQNT_KEY,
        "/v",
        "Install",
        "/t",
        "REG_SZ",
        "/d",
        old.to_str().unwrap(),
        "/f",
    ]);
    let (code, v) = native_detect(&home);
    assert_eq!(code, 0, "{v:#}");
    let q = &v["qq"];
    assert_eq!(s(&q["source"]), "registry");
    assert_eq!(s(&q["source_detail"]), format!(r"{QQNT_KEY}\Install"));
    assert_eq!(windows_style(&q["install_dir"]), old);
    assert_eq!(s(&q["version"]), "9.9.12-26466");
    assert_eq!(
        windows_style(&q["version_file"]),
        old_app.join("versions").join("config.json")
    );
    assert_eq!(windows_style(&v["liteloader"]["root"]), old_ll);
    assert_eq!(s(&v["llonebot"]["version"]), "3.27.0");

    // The profile set with `setx LITELOADERQQNT_PROFILE ...` lives in HKCU\Environment.
    let profile = base.join("LL profile");
    f.llonebot_plugin(&profile, "LLOneBot", "3.28.9");
    let profile_data = profile.join("data").join("LLOneBot");
    f.data_dir(&profile_data, &["20002"], &[]);
    reg(&[
        "add",
        USER_ENV_KEY,
        "/v",
        "LITELOADERQQNT_PROFILE",
        "/t",
        "REG_SZ",
        "/d",
        profile.to_str().unwrap(),
        "/f",
    ]);
    let (code, v) = native_detect(&home);
    assert_eq!(code, 0, "{v:#}");
    let l = &v["liteloader"];
    assert_eq!(s(&l["profile_source"]), "user_environment");
    assert_eq!(s(&l["profile_source_detail"]), USER_ENV_KEY);
    assert_eq!(windows_style(&l["profile"]), profile);
    assert_eq!(windows_style(&v["llonebot"]["data_dir"]), profile_data);
    assert_eq!(s(&v["llonebot"]["version"]), "3.28.9");
}

#[cfg(windows)]
const SHELL_FOLDERS: &str =
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders";

/// Puts Windows' own value back: Documents in the home folder.
#[cfg(windows)]
struct DocumentsBack;

#[cfg(windows)]
impl Drop for DocumentsBack {
    fn drop(&mut self) {
        let _ = std::process::Command::new("reg")
            .args([
                "add",
                SHELL_FOLDERS,
                "/v",
                "Personal",
                "/t",
                "REG_EXPAND_SZ",
            ])
            .args(["/d", r"%USERPROFILE%\Documents", "/f"])
            .output();
    }
}

/// Documents moved elsewhere (as Explorer's "Location" tab does, to `D:\Documents`): Windows
/// writes the new place to `User Shell Folders` `Personal`. NapCat's temp in
/// `<Documents>\Tencent Files\NapCat` is found there, as QQ's cache is; neither is looked for
/// in the old place. Only under Wine: a real Windows's registry is never written.
#[cfg(windows)]
#[test]
fn a_moved_documents_folder_is_where_napcat_and_qq_keep_their_files() {
    if !common::under_wine() {
        common::skip("writes HKCU's User Shell Folders, so it runs only under Wine");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let _back = DocumentsBack;
    let f = Fixture::new(Os::Windows);
    let base = f.tmp.path().join("drive");
    let home = base.join("Users").join("alice");
    f.mkdir(&home.join("Documents"));
    let docs = base.join("D").join("Documents");
    let shell = base.join("NapCat.Shell");
    napcat_tree::napcat_folder(&f, &shell, "10001");
    let temp = docs.join("Tencent Files").join("NapCat");
    napcat_tree::napcat_data(&f, &temp, "10001");
    f.mkdir(&docs.join(r"Tencent Files\10001\nt_qq\nt_data\Pic"));
    reg(&[
        "add",
        SHELL_FOLDERS,
        "/v",
        "Personal",
        "/t",
        "REG_EXPAND_SZ",
        "/d",
        docs.to_str().unwrap(),
        "/f",
    ]);
    let napcat = shell.to_str().unwrap();
    let (code, v) = native_json(&home, &["--napcat-dir", napcat, "detect"]);
    assert_eq!(code, 0, "{v:#}");
    let b = napcat_tree::napcat_bot(&v);
    assert_eq!(windows_style(&b["temp_dir"]), temp.join("temp"), "{b:#}");
    let root = &v["qq_cache"]["roots"][0];
    assert_eq!(windows_style(&root["path"]), docs.join("Tencent Files"));
    assert_eq!(s(&root["source"]), "registry", "{root:#}");
}
