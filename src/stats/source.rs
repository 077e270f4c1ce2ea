//! Reading a log into blocks of whole lines, with the BOM dropped and over-long lines cut.

use std::io::{self, Read};

use super::scan::{BOM, CAP, CHUNK, MAX_LINE};

/// Reads a log into blocks of whole lines, cutting lines at [`MAX_LINE`].
pub(super) struct Source<R> {
    pub(super) reader: R,
    pub(super) first_read: bool,
    pub(super) eof: bool,
    pub(super) bytes: u64,
}

/// One filled block: `buf[..len]` are whole lines, `buf[len..filled]` the start of the next
/// line, carried over; `last` when the input has ended (the block then holds everything left).
pub(super) struct Filled {
    pub(super) len: usize,
    pub(super) filled: usize,
    pub(super) last: bool,
}

impl<R: Read> Source<R> {
    pub(super) fn new(reader: R) -> Source<R> {
        Source {
            reader,
            first_read: true,
            eof: false,
            bytes: 0,
        }
    }

    fn read(&mut self, buf: &mut [u8], at: usize, to: usize) -> io::Result<usize> {
        let n = loop {
            match self.reader.read(&mut buf[at..to]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.bytes += n as u64;
        if n == 0 {
            self.eof = true;
        }
        if self.first_read && n > 0 {
            self.first_read = false;
            if buf[at..at + n].starts_with(BOM) {
                buf.copy_within(at + BOM.len()..at + n, at);
                return Ok(n - BOM.len());
            }
        }
        Ok(n)
    }

    /// Fills `buf` (holding `carried` bytes of an unfinished line at its start).
    pub(super) fn fill(&mut self, buf: &mut [u8], carried: usize) -> io::Result<Filled> {
        let mut filled = carried;
        // Bytes before this point hold no newline.
        let mut searched = 0;
        while filled < CHUNK && !self.eof {
            filled += self.read(buf, filled, CHUNK)?;
        }
        loop {
            if let Some(k) = memchr::memrchr(b'\n', &buf[searched..filled]) {
                return Ok(Filled {
                    len: searched + k + 1,
                    filled,
                    last: false,
                });
            }
            searched = filled;
            if self.eof {
                return Ok(Filled {
                    len: filled,
                    filled,
                    last: true,
                });
            }
            if filled < MAX_LINE {
                filled += self.read(buf, filled, MAX_LINE)?;
                continue;
            }
            // One line of at least MAX_LINE bytes: keep its start, skip the rest of it.
            loop {
                let n = self.read(buf, MAX_LINE, CAP)?;
                if n == 0 {
                    return Ok(Filled {
                        len: MAX_LINE,
                        filled: MAX_LINE,
                        last: true,
                    });
                }
                if let Some(j) = memchr::memchr(b'\n', &buf[MAX_LINE..MAX_LINE + n]) {
                    buf.copy_within(MAX_LINE + j..MAX_LINE + n, MAX_LINE);
                    filled = MAX_LINE + n - j;
                    break;
                }
            }
            searched = MAX_LINE;
        }
    }
}
