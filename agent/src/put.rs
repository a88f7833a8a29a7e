//! Text output without `core::fmt`: a byte sink and decimal numbers.

/// Where text goes: the agent's buffered stdout/stderr, or a test buffer.
pub trait Put {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);

    /// Appends `n` in decimal.
    fn put_u32(&mut self, n: u32) {
        let mut digits = [0u8; 10];
        let mut start = digits.len();
        let mut rest = n;
        loop {
            start -= 1;
            if let Some(d) = digits.get_mut(start) {
                *d = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || start == 0 {
                break;
            }
        }
        self.put(digits.get(start..).unwrap_or_default());
    }
}

/// A fixed-capacity text buffer; bytes beyond its capacity are dropped.
#[derive(Clone, Copy, Debug)]
pub struct Buf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Buf<N> {
    /// Empty.
    pub fn new() -> Self {
        Buf {
            bytes: [0; N],
            len: 0,
        }
    }

    /// What was put so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl<const N: usize> Default for Buf<N> {
    fn default() -> Self {
        Buf::new()
    }
}

impl<const N: usize> Put for Buf<N> {
    fn put(&mut self, bytes: &[u8]) {
        let free = self.bytes.get_mut(self.len..).unwrap_or_default();
        let n = free.len().min(bytes.len());
        if let (Some(dst), Some(src)) = (free.get_mut(..n), bytes.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.len += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decimal(n: u32) -> Buf<16> {
        let mut b = Buf::new();
        b.put_u32(n);
        b
    }

    #[test]
    fn decimal_numbers() {
        assert_eq!(decimal(0).as_bytes(), b"0");
        assert_eq!(decimal(7).as_bytes(), b"7");
        assert_eq!(decimal(10).as_bytes(), b"10");
        assert_eq!(decimal(65535).as_bytes(), b"65535");
        assert_eq!(decimal(u32::MAX).as_bytes(), b"4294967295");
    }

    #[test]
    fn a_full_buffer_drops_the_rest() {
        let mut b = Buf::<4>::new();
        b.put(b"abc");
        b.put(b"def");
        assert_eq!(b.as_bytes(), b"abcd");
    }
}
