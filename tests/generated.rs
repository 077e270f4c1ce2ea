//! The completion scripts in `completions/` and the man pages in `doc/` are generated from the
//! clap definition and committed; this fails when they are stale, and runs each shell for real
//! to see that the committed scripts complete.
//! Regenerate with: `LLOB_DOCTOR_BLESS=1 cargo test --test generated`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const COMPLETIONS: [(&str, &str); 5] = [
    ("bash", "completions/llob-doctor.bash"),
    ("zsh", "completions/_llob-doctor"),
    ("fish", "completions/llob-doctor.fish"),
    ("powershell", "completions/_llob-doctor.ps1"),
    ("elvish", "completions/llob-doctor.elv"),
];

/// Every subcommand has a page of its own, as the main page's SEE ALSO names them.
const SUBCOMMANDS: [&str; 9] = [
    "detect",
    "check-versions",
    "clean",
    "stats",
    "doctor",
    "probe",
    "schedule",
    "completions",
    "man",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn generated() -> Vec<(Vec<String>, String)> {
    let mut files: Vec<(Vec<String>, String)> = COMPLETIONS
        .iter()
        .map(|(shell, file)| {
            (
                vec!["completions".into(), shell.to_string()],
                file.to_string(),
            )
        })
        .collect();
    files.push((vec!["man".into()], "doc/llob-doctor.1".into()));
    for sub in SUBCOMMANDS {
        files.push((
            vec!["man".into(), sub.into()],
            format!("doc/llob-doctor-{sub}.1"),
        ));
    }
    files
}

#[test]
fn committed_completions_and_man_pages_are_current() {
    let bless = std::env::var_os("LLOB_DOCTOR_BLESS").is_some();
    let mut stale = Vec::new();
    for (args, file) in generated() {
        // English whatever the machine's locale: the committed files are English.
        let out = Command::new(common::BIN)
            .args(["--lang", "en"])
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "llob-doctor {args:?} failed");
        assert!(
            !out.stdout.is_empty(),
            "llob-doctor {args:?} printed nothing"
        );
        let path = root().join(&file);
        if bless {
            std::fs::write(&path, &out.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&out.stdout[..]) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale: {stale:?}; run `LLOB_DOCTOR_BLESS=1 cargo test --test generated` and commit the result"
    );
}

#[test]
fn the_main_page_names_only_pages_that_exist() {
    let main = std::fs::read_to_string(root().join("doc/llob-doctor.1")).unwrap();
    for sub in SUBCOMMANDS {
        let link = format!("llob\\-doctor\\-{}(1)", sub.replace('-', "\\-"));
        assert!(main.contains(&link), "the main page does not name {link}");
        let page = std::fs::read_to_string(root().join(format!("doc/llob-doctor-{sub}.1")))
            .unwrap_or_else(|e| panic!("no page for {sub}: {e}"));
        assert!(page.contains(".TH llob-doctor-"), "{sub}: not a man page");
    }
    // The clean page documents clean's own options.
    let clean = std::fs::read_to_string(root().join("doc/llob-doctor-clean.1")).unwrap();
    for opt in ["older\\-than", "stop\\-qq", "log\\-file", "dry\\-run"] {
        assert!(clean.contains(opt), "llob-doctor-clean(1) lacks --{opt}");
    }
    let out = Command::new(common::BIN)
        .args(["--lang", "en", "man", "frob"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("frob") && err.contains("clean"), "{err}");
}

/// Whether a shell is installed; a test that needs a missing one says so and passes.
fn have(shell: &str) -> bool {
    // Asked with a temp home: fish makes its folders under the home it is given.
    let home = tempfile::tempdir().unwrap();
    let ok = Command::new(shell)
        .arg("-c")
        .arg("exit 0")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("XDG_DATA_HOME", home.path().join(".local/share"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        common::skip(&format!("{shell} is not installed (.ci/run installs it)"));
    }
    ok
}

/// A PATH with the binary's folder first, so the shells find `llob-doctor`.
fn path_with_bin() -> std::ffi::OsString {
    let bin = Path::new(common::BIN).parent().unwrap().to_path_buf();
    let mut dirs = vec![bin];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap()
}

/// What bash completes for a command line ending in `words` (the last word being completed),
/// by sourcing the committed script and calling its function as bash-completion does.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = root().join("completions/llob-doctor.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let cur = words[cword];
    let prev = words[cword - 1];
    let code = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         _llob__doctor llob-doctor '{cur}' '{prev}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.join(" ")
    );
    let out = Command::new("bash").arg("-c").arg(code).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines(&out.stdout)
}

fn lines(b: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(b)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_every_subcommands_options() {
    if !have("bash") {
        return;
    }
    assert_eq!(
        bash_complete(&["llob-doctor", "clean", "--ol"]),
        ["--older-than"]
    );
    assert_eq!(bash_complete(&["llob-doctor", "sch"]), ["schedule"]);
    assert!(
        bash_complete(&["llob-doctor", "check-versions", "--min-"])
            .contains(&"--min-qq".to_string())
    );
    assert_eq!(
        bash_complete(&["llob-doctor", "schedule", "install", "--backend", ""]),
        ["cron", "systemd", "launchd", "schtasks"]
    );
    assert_eq!(
        bash_complete(&["llob-doctor", "doctor", "--prob"]),
        ["--probe"]
    );
    assert_eq!(
        bash_complete(&["llob-doctor", "stats", "--prom"]),
        ["--prometheus"]
    );
}

/// Runs an interactive zsh in a pseudo-terminal (zsh/zpty), types the line and a Tab, and
/// records every candidate the completion system adds.
const ZSH_CAPTURE: &str = r#"
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT='' ; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' insert-tab false"
zpty -w z "comppostfuncs=(_cap_end); _cap_end() { print -r -- '<<E''ND>>' }"
zpty -w z "compprefuncs=(_cap_hook); _cap_hook() { compadd() { local -a w; builtin compadd -O w \"\$@\"; print -rl -- '<<W''>>'\${^w}; builtin compadd \"\$@\" }; }"
zpty -w z "bindkey '^I' complete-word"
zpty -n -w z "$2"$'\t'
out=''
integer n=0
while (( n++ < 3000 )); do
  zpty -r -t z line && out+=$line
  [[ $out == *'<<END>>'* ]] && break
  sleep 0.01
done
print -r -- "$out" | tr -d '\r' | grep -ao '<<W>>[^[:cntrl:]]*' | sed 's/^<<W>>//' | sort -u
zpty -d z
"#;

fn zsh_complete(dir: &Path, line: &str) -> Vec<String> {
    let script = dir.join("capture.zsh");
    std::fs::write(&script, ZSH_CAPTURE).unwrap();
    let out = Command::new("zsh")
        .arg("-f")
        .arg(&script)
        .arg(dir)
        .arg(line)
        .env("PATH", path_with_bin())
        .env("HOME", dir)
        .env("ZDOTDIR", dir)
        .output()
        .unwrap();
    lines(&out.stdout)
}

#[test]
fn zsh_completes_for_real() {
    if !have("zsh") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("completions/_llob-doctor"),
        dir.path().join("_llob-doctor"),
    )
    .unwrap();
    let got = zsh_complete(dir.path(), "llob-doctor clean --ol");
    assert_eq!(got, ["--older-than"]);
    let got = zsh_complete(dir.path(), "llob-doctor schedule install --backend ");
    let want: Vec<PathBuf> = ["cron", "launchd", "schtasks", "systemd"]
        .iter()
        .map(PathBuf::from)
        .collect();
    assert_eq!(got.iter().map(PathBuf::from).collect::<Vec<_>>(), want);
}

#[test]
fn fish_completes_for_real() {
    if !have("fish") {
        return;
    }
    let script = root().join("completions/llob-doctor.fish");
    // fish keeps its variables under the home: a temp one, never the user's.
    let home = tempfile::tempdir().unwrap();
    let run = |line: &str| {
        let out = Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!(
                "source '{}'; complete -C '{line}'",
                script.display()
            ))
            .env("PATH", path_with_bin())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("XDG_DATA_HOME", home.path().join(".local/share"))
            .output()
            .unwrap();
        lines(&out.stdout)
    };
    assert_eq!(run("llob-doctor clean --ol"), ["--older-than"]);
    assert_eq!(run("llob-doctor sch"), ["schedule"]);
    assert!(run("llob-doctor stats --").contains(&"--prometheus".to_string()));
}

/// man finds every page where the .deb puts them (`usr/share/man/man1/`), by the names the main
/// page's SEE ALSO gives. (.ci/run also checks `man -w llob-doctor-clean` after `dpkg -i`.)
#[test]
fn man_finds_each_page_by_name() {
    if Command::new("man").arg("--version").output().is_err() {
        common::skip("man is not installed");
        return;
    }
    let tree = tempfile::tempdir().unwrap();
    let man1 = tree.path().join("man1");
    std::fs::create_dir_all(&man1).unwrap();
    for e in std::fs::read_dir(root().join("doc")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "1") {
            std::fs::copy(&p, man1.join(p.file_name().unwrap())).unwrap();
        }
    }
    for page in [
        "llob-doctor",
        "llob-doctor-clean",
        "llob-doctor-schedule",
        "llob-doctor-check-versions",
    ] {
        let out = Command::new("man")
            .arg("-M")
            .arg(tree.path())
            .args(["-w", page])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "man -w {page}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let found = String::from_utf8_lossy(&out.stdout);
        assert!(found.trim().ends_with(&format!("{page}.1")), "{found}");
    }
}
