use super::*;

#[test]
fn temp_names_are_unpredictable_and_fit() {
    let a = temp_name(std::ffi::OsStr::new("llonebot.prom"));
    let b = temp_name(std::ffi::OsStr::new("llonebot.prom"));
    assert_ne!(a, b);
    let a = a.to_string_lossy();
    assert!(
        a.starts_with(".llonebot.prom.") && a.ends_with(".tmp"),
        "{a}"
    );
    let long = "名".repeat(200);
    let t = temp_name(std::ffi::OsStr::new(&long));
    assert!(t.len() <= 255, "{}", t.len());
}

#[cfg(unix)]
#[test]
fn replace_never_writes_through_what_is_at_the_name() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let link = dir.path().join("out.prom");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let e = replace(&link, b"x", 0o644, Folder::Shared, false).unwrap_err();
    assert!(
        matches!(e, Problem::NotRegular(_, "out.what_link")),
        "{e:?}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    // A plain file of ours is replaced, with the mode asked for.
    let ok = dir.path().join("ok.prom");
    replace(&ok, b"new", 0o644, Folder::Shared, false).unwrap();
    assert_eq!(std::fs::read_to_string(&ok).unwrap(), "new");
    let mode = std::fs::metadata(&ok).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o644);
    // Nothing left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[cfg(unix)]
#[test]
fn append_refuses_links_hard_links_and_fifos() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let link = dir.path().join("link.log");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    assert!(matches!(
        Appender::open(&link, 0o600),
        Err(Problem::NotRegular(_, "out.what_link"))
    ));
    let hard = dir.path().join("hard.log");
    std::fs::hard_link(&victim, &hard).unwrap();
    assert!(matches!(
        Appender::open(&hard, 0o600),
        Err(Problem::Linked(_, 2))
    ));
    let fifo = dir.path().join("fifo.log");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        assert!(matches!(
            Appender::open(&fifo, 0o600),
            Err(Problem::NotRegular(_, "out.what_fifo"))
        ));
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    // A file below a file: not a folder.
    let below = victim.join("clean.log");
    assert!(matches!(Appender::open(&below, 0o600), Err(Problem::NotFolder(p)) if p == victim));
    // Missing folders are made, the log appended to.
    let deep = dir.path().join("a/b/clean.log");
    let mut log = Appender::open(&deep, 0o600).unwrap();
    log.append(b"one\n").unwrap();
    drop(log);
    Appender::open(&deep, 0o600)
        .unwrap()
        .append(b"two\n")
        .unwrap();
    assert_eq!(std::fs::read_to_string(&deep).unwrap(), "one\ntwo\n");
}

#[cfg(target_os = "linux")]
#[test]
fn nothing_is_written_on_kernel_filesystems() {
    let e = replace(
        Path::new("/proc/self/llob-doctor-test"),
        b"x",
        0o644,
        Folder::Shared,
        false,
    )
    .unwrap_err();
    assert!(
        matches!(e, Problem::KernelFs(_, ref fs) if fs == "proc"),
        "{e:?}"
    );
    let e = Appender::open(Path::new("/sys/kernel/llob-doctor-test"), 0o600).unwrap_err();
    assert!(
        matches!(e, Problem::KernelFs(_, ref fs) if fs == "sysfs"),
        "{e:?}"
    );
}

/// On every platform: a folder at the name is refused, a missing folder for a log is made, a
/// log is appended to, and a replaced file leaves no temporary file behind.
#[test]
fn replace_and_append_on_every_platform() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    assert!(matches!(
        replace(&folder, b"x", 0o644, Folder::Shared, false),
        Err(Problem::NotRegular(_, "out.what_folder"))
    ));
    assert!(folder.is_dir());
    let missing = dir.path().join("no-such-folder").join("x.prom");
    assert!(replace(&missing, b"x", 0o644, Folder::Shared, false).is_err());
    let out = dir.path().join("x.prom");
    replace(&out, b"one", 0o644, Folder::Shared, false).unwrap();
    replace(&out, b"two", 0o644, Folder::Shared, false).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "two");
    let log = dir.path().join("logs").join("clean.log");
    Appender::open(&log, 0o600).unwrap().append(b"1\n").unwrap();
    Appender::open(&log, 0o600).unwrap().append(b"2\n").unwrap();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "1\n2\n");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}
