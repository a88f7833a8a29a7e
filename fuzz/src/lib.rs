//! Helpers shared by the fuzz targets: a non-allocating text sink, a slice
//! containment check, and an owned model of nlctrl attributes for round trips.

use core::fmt;

pub mod model;

/// A `fmt::Write` into a fixed array: keeps what fits, counts everything,
/// never fails and never allocates (what a no_std caller would use).
pub struct Sink<const N: usize> {
    buf: [u8; N],
    kept: usize,
    total: usize,
}

impl<const N: usize> Sink<N> {
    /// An empty sink.
    pub fn new() -> Self {
        Sink {
            buf: [0; N],
            kept: 0,
            total: 0,
        }
    }

    /// Bytes written in all, kept or not.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The bytes kept (at most `N`).
    pub fn kept(&self) -> &[u8] {
        &self.buf[..self.kept]
    }
}

impl<const N: usize> Default for Sink<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Write for Sink<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = N - self.kept;
        let take = s.len().min(room);
        self.buf[self.kept..self.kept + take].copy_from_slice(&s.as_bytes()[..take]);
        self.kept += take;
        self.total += s.len();
        Ok(())
    }
}

/// Formats `value` with `Display` twice: it must not panic and must give
/// the same text both times (no hidden state). Returns the length written.
pub fn display<T: fmt::Display + ?Sized>(value: &T) -> usize {
    use fmt::Write;
    let mut a = Sink::<4096>::new();
    let mut b = Sink::<4096>::new();
    write!(a, "{value}").expect("the sink never fails");
    write!(b, "{value}").expect("the sink never fails");
    assert_eq!(a.total(), b.total());
    assert_eq!(a.kept(), b.kept());
    a.total()
}

/// Same as [`display`] with `Debug`.
pub fn debug<T: fmt::Debug + ?Sized>(value: &T) -> usize {
    use fmt::Write;
    let mut a = Sink::<4096>::new();
    let mut b = Sink::<4096>::new();
    write!(a, "{value:?}").expect("the sink never fails");
    write!(b, "{value:?}").expect("the sink never fails");
    assert_eq!(a.kept(), b.kept());
    a.total()
}

/// True when `inner` lies within `outer` (empty slices are within anything).
pub fn within(outer: &[u8], inner: &[u8]) -> bool {
    if inner.is_empty() {
        return true;
    }
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    i >= o && i + inner.len() <= o + outer.len()
}
