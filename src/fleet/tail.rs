//! The end of a file, capped: what the exporter reads of logs that grow without bound (the
//! bots' logs, the run log of scheduled cleans). Only whole lines are kept.

use std::path::Path;

use crate::fsread::{self, ReadError};

/// The last `max` bytes of a regular file (all of it when smaller), starting at a line: a line
/// cut by the cap is dropped. Read as every file is (`crate::fsread`): a FIFO or a device is
/// never opened, so the read cannot hang.
pub fn read_tail_checked(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (bytes, cut) = fsread::read_tail(path, max)?;
    let start = if cut {
        memchr::memchr(b'\n', &bytes).map_or(bytes.len(), |i| i + 1)
    } else {
        0
    };
    Ok(bytes[start..].to_vec())
}

/// [`read_tail_checked`], `None` for whatever kept it from being read.
pub fn read_tail(path: &Path, max: u64) -> Option<Vec<u8>> {
    read_tail_checked(path, max).ok()
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
