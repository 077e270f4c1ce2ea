//! The end of a file, capped: what the exporter reads of logs that grow without bound (the
//! bots' logs, the run log of scheduled cleans). Only whole lines are kept.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The last `max` bytes of a regular file (all of it when smaller), starting at a line: a line
/// cut by the cap is dropped. `None` when it is not a regular file or cannot be read. Checked
/// before opening: opening a FIFO would wait for a writer.
pub fn read_tail(path: &Path, max: u64) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut f = File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let start = len.saturating_sub(max);
    f.seek(SeekFrom::Start(start)).ok()?;
    let mut buf = Vec::with_capacity(usize::try_from(len - start).unwrap_or(0));
    f.take(max).read_to_end(&mut buf).ok()?;
    if start > 0 {
        // Begun inside a line: drop up to its end.
        match buf.iter().position(|&b| b == b'\n') {
            Some(nl) => {
                buf.drain(..=nl);
            }
            None => buf.clear(),
        }
    }
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_whole_lines_of_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.log");
        std::fs::write(&p, "first line\nsecond\nthird\n").unwrap();
        assert_eq!(read_tail(&p, 1000).unwrap(), b"first line\nsecond\nthird\n");
        assert_eq!(read_tail(&p, 10).unwrap(), b"third\n");
        assert_eq!(read_tail(&p, 3).unwrap(), b"");
        assert!(read_tail(dir.path(), 10).is_none());
        assert!(read_tail(&dir.path().join("none"), 10).is_none());
    }
}
