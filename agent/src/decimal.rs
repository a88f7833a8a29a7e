//! Decimal numbers on the command line, without `core`'s `FromStr`.

/// `text` as an unsigned decimal number of at most `u32::MAX`: digits only
/// (no sign, no space), at least one.
pub fn parse_u32(text: &[u8]) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u32, |n, &c| {
        let digit = char::from(c).to_digit(10)?;
        n.checked_mul(10)?.checked_add(digit)
    })
}

/// [`parse_u32`], then narrowed to `T` (`None` when out of its range).
pub fn parse<T: TryFrom<u32>>(text: &str) -> Option<T> {
    T::try_from(parse_u32(text.as_bytes())?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_range() {
        assert_eq!(parse_u32(b"0"), Some(0));
        assert_eq!(parse_u32(b"007"), Some(7));
        assert_eq!(parse_u32(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse::<u8>("255"), Some(255));
        assert_eq!(parse::<u16>("65535"), Some(65535));
    }

    #[test]
    fn not_numbers_or_out_of_range() {
        for bad in [
            "",
            "4294967296",
            "99999999999",
            "-1",
            "+1",
            " 1",
            "1 ",
            "1a",
            "0x10",
        ] {
            assert_eq!(parse_u32(bad.as_bytes()), None, "{bad:?}");
        }
        assert_eq!(parse::<u8>("256"), None);
        assert_eq!(parse::<u8>("300"), None);
        assert_eq!(parse::<u16>("65536"), None);
    }
}
