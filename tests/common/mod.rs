//! Builds realistic QQ / LiteLoaderQQNT / LLOneBot trees in a temp dir from the real samples in
//! `tests/samples/`, and runs the built binary against them with `--fs-root`, so nothing on
//! this machine (home, /opt, real QQ) is ever read or touched.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

#[cfg(unix)]
pub mod llbot_cli;
pub mod lnk;
pub mod onebot;
mod pids;
pub mod safety;
mod skip;
pub mod unprivileged;
pub mod users;
pub mod watch;

// Not every test binary stops processes or skips anything.
#[allow(unused_imports)]
pub use pids::{alive, stop_pid, wait_gone};
#[allow(unused_imports)]
pub use skip::skip;

pub const BIN: &str = env!("CARGO_BIN_EXE_llob-doctor");

/// A relative path written with `/`, in this machine's separators (so paths the tests build
/// compare equal, as text too, to the paths llob-doctor prints on Windows).
pub fn native(rel: &str) -> PathBuf {
    rel.split('/').collect()
}

pub fn sample(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(native("tests/samples"))
        .join(name);
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("sample {}: {e}", p.display()))
}

/// The fake QQ built from `examples/fake_qq.rs`.
pub fn fake_qq_binary() -> PathBuf {
    let exe = Path::new(BIN);
    let dir = exe.parent().expect("bin dir").join("examples");
    let name = if cfg!(windows) {
        "fake_qq.exe"
    } else {
        "fake_qq"
    };
    let p = dir.join(name);
    assert!(
        p.exists(),
        "{} missing: cargo test builds examples",
        p.display()
    );
    p
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Os {
    Windows,
    Linux,
    Macos,
}

impl Os {
    /// The platform the tests run on (other Unixes count as Linux, as in the product).
    pub fn host() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Macos
        } else {
            Os::Linux
        }
    }
}

/// QQ's process name on this host.
pub const QQ_EXE: &str = if cfg!(windows) { "QQ.exe" } else { "qq" };

/// Sets a file's or folder's modification time (Windows needs write-attribute access, and
/// backup semantics to open a folder at all).
pub fn set_mtime(path: &Path, t: std::time::SystemTime) {
    #[cfg(windows)]
    let f = {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_WRITE_ATTRIBUTES: u32 = 0x100;
        const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
        fs::OpenOptions::new()
            .access_mode(FILE_WRITE_ATTRIBUTES)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
            .open(path)
    };
    #[cfg(not(windows))]
    let f = fs::File::open(path);
    f.and_then(|f| f.set_modified(t))
        .unwrap_or_else(|e| panic!("set mtime of {}: {e}", path.display()));
}

/// Are these Windows tests running under Wine? Tests that change machine-wide state (the
/// registry) run only there, in the throwaway prefix CI makes, never on a real Windows.
#[cfg(windows)]
pub fn under_wine() -> bool {
    winreg::RegKey::predef(winreg::enums::HKEY_LOCAL_MACHINE)
        .open_subkey(r"Software\Wine")
        .is_ok()
}

pub struct Fixture {
    pub tmp: tempfile::TempDir,
    /// Stands for the filesystem root of the inspected system.
    pub root: PathBuf,
    pub os: Os,
}

impl Fixture {
    pub fn new(os: Os) -> Fixture {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("root");
        fs::create_dir_all(&root).expect("root");
        let f = Fixture { tmp, root, os };
        fs::create_dir_all(f.home()).expect("home");
        f
    }

    /// The home folder as the inspected platform writes it.
    pub fn home_platform(&self) -> &'static str {
        match self.os {
            Os::Windows => r"C:\Users\alice",
            Os::Linux => "/home/alice",
            Os::Macos => "/Users/alice",
        }
    }

    /// A platform path → the path in the fixture (as `Env::resolve` maps it).
    pub fn p(&self, platform_path: &str) -> PathBuf {
        let mut out = self.root.clone();
        let mut rest = platform_path;
        if self.os == Os::Windows && platform_path.as_bytes().get(1) == Some(&b':') {
            out.push(&platform_path[..1]);
            rest = &platform_path[2..];
        }
        for part in rest.split(|c| c == '/' || (self.os == Os::Windows && c == '\\')) {
            if !part.is_empty() {
                out.push(part);
            }
        }
        out
    }

    pub fn home(&self) -> PathBuf {
        self.p(self.home_platform())
    }

    pub fn write(&self, path: &Path, contents: impl AsRef<[u8]>) {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, contents).expect("write");
    }

    pub fn mkdir(&self, path: &Path) {
        fs::create_dir_all(path).expect("mkdir");
    }

    /// The binary with `--fs-root` and a clean environment pointing at the fixture's home.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            c.env("PATH", path);
        }
        // Windows needs these to run any program at all.
        for keep in ["SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP"] {
            if let Some(v) = std::env::var_os(keep) {
                c.env(keep, v);
            }
        }
        let platform = match self.os {
            Os::Windows => "windows",
            Os::Linux => "linux",
            Os::Macos => "macos",
        };
        match self.os {
            Os::Windows => c.env("USERPROFILE", self.home_platform()),
            _ => c.env("HOME", self.home_platform()),
        };
        c.arg("--fs-root")
            .arg(&self.root)
            .arg("--platform")
            .arg(platform);
        c.arg("--color").arg("never");
        c
    }

    /// Runs with `args` and `--json`; returns the exit code and the parsed document.
    pub fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.cmd().arg("--json").args(args).output().expect("run");
        let code = out.status.code().unwrap_or(-1);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, v)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run")
    }

    // ---- building blocks -------------------------------------------------------------

    /// QQ's `resources/app/package.json`, with LiteLoaderQQNT's hook in `main` when given.
    pub fn qq_app(&self, app_dir: &Path, version: &str, main: &str) {
        let build = version.rsplit('-').next().unwrap_or("");
        let platform = match self.os {
            Os::Windows => "win32",
            Os::Linux => "linux",
            Os::Macos => "darwin",
        };
        let pkg = serde_json::json!({
            "name": "qq-chat", "version": version, "type": "module", "private": true,
            "productName": "QQ", "main": main, "buildVersion": build, "platform": platform,
        });
        self.write(&app_dir.join("package.json"), pkg.to_string());
    }

    /// A LiteLoaderQQNT root from the real 1.1.2 package.json, with another version if asked.
    pub fn ll_root(&self, root: &Path, version: &str) {
        let pkg =
            sample("liteloader-package-1.1.2.json").replace("\"1.1.2\"", &format!("\"{version}\""));
        self.write(&root.join("package.json"), pkg);
        self.write(&root.join(native("src/main.js")), "// LiteLoaderQQNT\n");
    }

    /// The LLOneBot plugin (real 3.28.3 manifest) under `<profile>/plugins/<folder>`.
    pub fn llonebot_plugin(&self, profile: &Path, folder: &str, version: &str) {
        let m = sample("llonebot-manifest-3.28.3.json")
            .replace("\"3.28.3\"", &format!("\"{version}\""));
        self.write(
            &profile.join("plugins").join(folder).join("manifest.json"),
            m,
        );
    }

    /// An LLOneBot data dir with accounts: a real default config each, a legacy LevelDB for
    /// `legacy`, a SQLite store for `sqlite`, and some temp files and a log.
    pub fn data_dir(&self, dir: &Path, legacy: &[&str], sqlite: &[&str]) {
        for uin in legacy.iter().chain(sqlite) {
            self.write(
                &dir.join(format!("config_{uin}.json")),
                sample("llonebot-config-3.28.3-defaults.json"),
            );
        }
        for uin in legacy {
            let db = dir.join(format!("msg_{uin}"));
            for (name, body) in [
                ("CURRENT", "MANIFEST-000002\n"),
                ("LOCK", ""),
                ("LOG", "leveldb log\n"),
                ("MANIFEST-000002", "manifest"),
                ("000003.log", "x".repeat(4096).as_str()),
                ("000005.ldb", "y".repeat(8192).as_str()),
            ] {
                self.write(&db.join(name), body);
            }
        }
        for uin in sqlite {
            self.write(
                &dir.join("database").join(format!("{uin}.v2.db")),
                "SQLite format 3\0",
            );
        }
        self.write(&dir.join(native("temp/image-1.png")), vec![7u8; 20_000]);
        self.write(&dir.join(native("temp/sub/voice.silk")), vec![1u8; 3000]);
        self.write(
            &dir.join(native("logs/llonebot-2024-08-02 15-03-00.log")),
            sample("llonebot-log-excerpt-3.27.3.txt"),
        );
    }

    // ---- whole layouts -------------------------------------------------------------------

    /// Windows, new layout (9.9.15-28060+): `QQNT\versions\config.json`, the app per version,
    /// the official guide's `LiteLoader.js` pointing at `C:\LiteLoaderQQNT`. Returns the data dir.
    pub fn windows_new(&self) -> PathBuf {
        let qq = self.p(r"C:\Program Files\Tencent\QQNT");
        self.write(&qq.join("QQ.exe"), b"MZ");
        self.write(
            &qq.join(native("versions/config.json")),
            sample("qq-versions-config.windows-9.9.15-28131.json"),
        );
        let app = qq.join(native("versions/9.9.15-28131/resources/app"));
        self.qq_app(&app, "9.9.15-28131", "./app_launcher/LiteLoader.js");
        self.write(
            &app.join(native("app_launcher/LiteLoader.js")),
            sample("launcher-LiteLoader.js.windows-official-guide.txt"),
        );
        let root = self.p(r"C:\LiteLoaderQQNT");
        self.ll_root(&root, "1.2.2");
        self.llonebot_plugin(&root, "LLOneBot", "3.28.3");
        let data = root.join(native("data/LLOneBot"));
        self.data_dir(&data, &["1511954122"], &[]);
        data
    }

    /// Windows, old layout: `resources\app` directly, versions config inside it.
    pub fn windows_old(&self, qq_dir: &str) -> PathBuf {
        let qq = self.p(qq_dir);
        self.write(&qq.join("QQ.exe"), b"MZ");
        let app = qq.join(native("resources/app"));
        self.qq_app(&app, "9.9.12-26466", "./app_launcher/LiteLoader.js");
        self.write(
            &app.join(native("versions/config.json")),
            r#"{"baseVersion":"9.9.12-26466","curVersion":"9.9.12-26466","buildId":"26466"}"#,
        );
        let ll = app.join("LiteLoaderQQNT");
        // A relative require with backslashes, resolved against app_launcher\.
        self.write(
            &app.join(native("app_launcher/LiteLoader.js")),
            "require(String.raw`..\\LiteLoaderQQNT`);\n",
        );
        self.ll_root(&ll, "1.1.2");
        self.llonebot_plugin(&ll, "LLOneBot-3.27", "3.27.0");
        let data = ll.join(native("data/LLOneBot"));
        self.data_dir(&data, &["10001"], &[]);
        data
    }

    /// Linux: `/opt/QQ` hooked by the Linux installer's `ml_install.js` to
    /// `~/.local/share/LiteLoaderQQNT`, profile exported from a `.bashrc` block.
    pub fn linux_installer(&self) -> PathBuf {
        let qq = self.p("/opt/QQ");
        self.write(&qq.join("qq"), b"\x7fELF");
        let app = qq.join(native("resources/app"));
        self.qq_app(&app, "3.2.12-28418", "./app_launcher/ml_install.js");
        self.write(
            &app.join(native("app_launcher/ml_install.js")),
            sample("launcher-ml_install.js.linux-installer.txt"),
        );
        self.write(
            &self.p("/home/alice/.config/QQ/versions/config.json"),
            r#"{"baseVersion":"3.2.12-28418","curVersion":"3.2.13-29927","buildId":"29927"}"#,
        );
        let root = self.p("/home/alice/.local/share/LiteLoaderQQNT");
        self.ll_root(&root, "1.2.2");
        self.write(
            &self.p("/home/alice/.bashrc"),
            format!("alias ll='ls -l'\n{}", sample("shell-rc-block.bash.txt")),
        );
        let profile = self.p("/home/alice/.config/LiteLoaderQQNT");
        self.llonebot_plugin(&profile, "llonebot", "3.28.3");
        let data = profile.join(native("data/LLOneBot"));
        self.data_dir(&data, &["1511954122", "20002"], &["20002"]);
        data
    }

    /// AUR: `/opt/QQ` hooked by `LiteLoaderQQNT.js` to `/opt/LiteLoaderQQNT`, no profile set.
    pub fn linux_aur(&self) -> PathBuf {
        let qq = self.p("/opt/QQ");
        self.write(&qq.join("qq"), b"\x7fELF");
        let app = qq.join(native("resources/app"));
        self.qq_app(&app, "3.2.12-28418", "./app_launcher/LiteLoaderQQNT.js");
        self.write(
            &app.join(native("app_launcher/LiteLoaderQQNT.js")),
            sample("launcher-LiteLoaderQQNT.js.aur-package.txt"),
        );
        let root = self.p("/opt/LiteLoaderQQNT");
        self.ll_root(&root, "1.2.2");
        self.llonebot_plugin(&root, "LLOneBot", "4.9.4");
        let data = root.join(native("data/LLOneBot"));
        self.data_dir(&data, &["30003"], &["30003"]);
        data
    }

    /// Flatpak (user install): QQ under `~/.local/share/flatpak/...`, its launcher requiring the
    /// sandbox-only `/app/lib/LiteLoaderQQNT`, profile at `~/.var/app/com.qq.QQ/config/LiteLoaderQQNT`.
    pub fn linux_flatpak(&self) -> PathBuf {
        let files = self.p("/home/alice/.local/share/flatpak/app/com.qq.QQ/current/active/files");
        let qq = files.join(native("extra/QQ"));
        self.write(&qq.join("qq"), b"\x7fELF");
        let app = qq.join(native("resources/app"));
        self.qq_app(&app, "3.2.12-27597", "./app_launcher/LiteLoaderQQNT.js");
        self.write(
            &app.join(native("app_launcher/LiteLoaderQQNT.js")),
            "require(String.raw`/app/lib/LiteLoaderQQNT`);\n",
        );
        self.ll_root(&files.join(native("lib/LiteLoaderQQNT")), "1.2.2");
        let profile = self.p("/home/alice/.var/app/com.qq.QQ/config/LiteLoaderQQNT");
        self.llonebot_plugin(&profile, "LLOneBot", "3.28.3");
        let data = profile.join(native("data/LLOneBot"));
        self.data_dir(&data, &["40004"], &[]);
        data
    }

    /// macOS: `/Applications/QQ.app`, LiteLoaderQQNT in the container's Documents, version from
    /// the container's Application Support config.
    pub fn macos(&self) -> PathBuf {
        let qq = self.p("/Applications/QQ.app");
        self.write(&qq.join(native("Contents/MacOS/QQ")), b"\xcf\xfa\xed\xfe");
        let app = qq.join(native("Contents/Resources/app"));
        self.qq_app(&app, "6.9.53-27597", "./app_launcher/LiteLoader.js");
        self.write(
            &app.join(native("app_launcher/LiteLoader.js")),
            "require(\"/Users/alice/Library/Containers/com.tencent.qq/Data/Documents/LiteLoaderQQNT\");\n",
        );
        self.write(
            &self.p("/Users/alice/Library/Containers/com.tencent.qq/Data/Library/Application Support/QQ/versions/config.json"),
            r#"{"baseVersion":"6.9.53-27597","curVersion":"6.9.56-28418","buildId":"28418"}"#,
        );
        let root =
            self.p("/Users/alice/Library/Containers/com.tencent.qq/Data/Documents/LiteLoaderQQNT");
        self.ll_root(&root, "1.2.2");
        self.llonebot_plugin(&root, "LLOneBot", "3.28.3");
        let data = root.join(native("data/LLOneBot"));
        self.data_dir(&data, &["50005"], &[]);
        data
    }

    /// A standalone LLOneBot (5.0+) working folder's `data/`.
    pub fn standalone(&self) -> PathBuf {
        let data = self.p("/srv/llonebot/data");
        self.data_dir(&data, &[], &["60006", "60007"]);
        data
    }
}

/// A process started by a test, stopped by its PID when dropped.
pub struct Started(pub std::process::Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Copies the fake QQ into `dir` under QQ's name for this platform and starts it there.
pub fn start_fake_qq(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Started {
    fs::create_dir_all(dir).expect("mkdir");
    let exe = dir.join(QQ_EXE);
    fs::copy(fake_qq_binary(), &exe).expect("copy fake qq");
    let ready = dir.join(".fake-qq-ready");
    let _ = fs::remove_file(&ready);
    let mut c = Command::new(&exe);
    c.args(args).current_dir(dir).env("FAKE_QQ_READY", &ready);
    for (k, v) in envs {
        c.env(k, v);
    }
    let mut child = Started(spawn_retrying(&mut c).expect("start fake qq"));
    // Ready: its helpers run and (Windows) its window exists, so it can be asked to quit.
    let t = std::time::Instant::now();
    while !ready.exists() {
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("the fake QQ exited before it was ready: {status}");
        }
        assert!(
            t.elapsed() < std::time::Duration::from_secs(30),
            "the fake QQ did not get ready in 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

/// Starts `c`, retrying while the kernel says the executable is busy: a binary just copied can
/// still be open for writing in a child another test thread is forking ("text file busy") until
/// that child calls exec, which takes a moment.
pub fn spawn_retrying(c: &mut Command) -> std::io::Result<std::process::Child> {
    let mut tries = 0;
    loop {
        match c.spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}
