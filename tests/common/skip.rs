//! Telling CI's log that a test, or part of one, did not run here.

/// Says that (part of) a test was skipped, and why, where CI's log shows it: the harness keeps
/// the `eprintln!` of a passing test to itself, so this writes to the process's stderr directly.
pub fn skip(why: &str) {
    use std::io::Write;
    #[cfg(unix)]
    let own = std::os::fd::AsFd::as_fd(&std::io::stderr())
        .try_clone_to_owned()
        .map(std::fs::File::from);
    #[cfg(windows)]
    let own = std::os::windows::io::AsHandle::as_handle(&std::io::stderr())
        .try_clone_to_owned()
        .map(std::fs::File::from);
    match own {
        Ok(mut f) => {
            let _ = writeln!(f, "SKIPPED: {why}");
        }
        Err(_) => eprintln!("SKIPPED: {why}"),
    }
}
