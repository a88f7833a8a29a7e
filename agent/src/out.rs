//! Output to a file descriptor through a fixed buffer (a [`Put`]; no
//! `core::fmt` anywhere in the agent).

use nl_agent::put::Put;

use crate::sys;

/// Bytes gathered before a `write(2)`.
const CAPACITY: usize = 1024;

/// A buffered writer to stdout or stderr. Call [`Out::flush`] before the
/// process exits; a write error is kept and reported by `flush`.
pub(crate) struct Out {
    fd: i32,
    buf: [u8; CAPACITY],
    len: usize,
    failed: Option<sys::SysError>,
}

impl Out {
    /// Standard output.
    pub(crate) fn stdout() -> Self {
        Out::new(1)
    }

    /// Standard error.
    pub(crate) fn stderr() -> Self {
        Out::new(2)
    }

    fn new(fd: i32) -> Self {
        Out {
            fd,
            buf: [0; CAPACITY],
            len: 0,
            failed: None,
        }
    }

    /// Writes out the buffer; once a write failed, further output is dropped.
    fn drain(&mut self) {
        let pending = self.buf.get(..self.len).unwrap_or_default();
        if self.failed.is_none()
            && let Err(e) = sys::write_all(self.fd, pending)
        {
            self.failed = Some(e);
        }
        self.len = 0;
    }

    /// Writes out what is buffered; the first write error, if any.
    pub(crate) fn flush(&mut self) -> Result<(), sys::SysError> {
        self.drain();
        match self.failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl Put for Out {
    /// Appends `bytes`, writing out whatever no longer fits.
    fn put(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.len == CAPACITY {
                self.drain();
            }
            let free = self.buf.get_mut(self.len..).unwrap_or_default();
            let n = free.len().min(bytes.len());
            let (now, later) = bytes.split_at(n);
            if let Some(dst) = free.get_mut(..n) {
                dst.copy_from_slice(now);
            }
            self.len += n;
            bytes = later;
        }
    }
}
