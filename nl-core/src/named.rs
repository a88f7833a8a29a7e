//! Kernel value sets with names: enums (`value_enum!`) and flag words
//! (`flag_set!`), declared once as data, like attribute sets.
//!
//! ```
//! nl_core::value_enum! {
//!     /// A made-up value set.
//!     pub enum Color(u8) {
//!         /// Red.
//!         Red = 1 => "red",
//!         /// Green.
//!         Green = 2 => "green",
//!     }
//! }
//! nl_core::flag_set! {
//!     /// Made-up flags, printed separated by commas.
//!     pub struct Bits(u16), sep = "," {
//!         /// Up.
//!         UP = 0x1 => "UP",
//!         /// Running.
//!         RUNNING = 0x40 => "RUNNING",
//!     }
//! }
//! assert_eq!(Color::from(2), Color::Green);
//! assert_eq!(Color::from(9), Color::Unknown(9));
//! assert_eq!(u8::from(Color::Unknown(9)), 9);
//! assert_eq!(Color::from_name("red"), Some(Color::Red));
//! assert_eq!(format!("{} {}", Color::Red, Color::Unknown(9)), "red 9");
//! assert_eq!(format!("{}", Bits(0x41 | 0x100)), "UP,RUNNING,0x100");
//! ```

use core::fmt;

/// Declares an enum over a kernel value set: one variant per named value,
/// plus `Unknown(raw)` for every other value, so nothing the kernel sends is
/// lost. Generates `From<raw>` and back, `name()`, `from_name()`, and
/// `Display` (the name, or the number for unknown values).
///
/// A variant may go without a name (no `=> "…"`): it prints as its number
/// and `from_name` does not know it. Options may follow the type, in
/// this order: `, numbers = true` makes `from_name` also take a decimal
/// number (as `ip` does for tables and protocols), `, unknown = "…"`
/// puts a prefix before the number printed for a value without a name,
/// and `, hex = true` prints that number in hex (`0x7`, as `ip` prints an
/// unknown link state).
#[macro_export]
macro_rules! value_enum {
    (@name $text:literal) => {
        Some($text)
    };
    (@name) => {
        None
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident($repr:ty)
            $(, numbers = $numbers:literal)? $(, unknown = $unknown:literal)?
            $(, hex = $hex:literal)? {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $value:literal $(=> $text:literal)?,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this library does not name.
            Unknown($repr),
        }

        impl From<$repr> for $name {
            fn from(raw: $repr) -> Self {
                match raw {
                    $($value => $name::$variant,)*
                    other => $name::Unknown(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(value: $name) -> $repr {
                match value {
                    $($name::$variant => $value,)*
                    $name::Unknown(raw) => raw,
                }
            }
        }

        impl $name {
            /// The name, or `None` for a value without one.
            $vis fn name(self) -> Option<&'static str> {
                match <$repr>::from(self) {
                    $($value => $crate::value_enum!(@name $($text)?),)*
                    _ => None,
                }
            }

            /// The value called `name`.
            $vis fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($($text => return Some($name::$variant),)?)*
                    _ => {}
                }
                $(
                    if $numbers {
                        if let Ok(raw) = name.parse::<$repr>() {
                            return Some(raw.into());
                        }
                    }
                )?
                None
            }
        }

        impl $crate::table::EnumValues for $name {
            #[allow(clippy::unnecessary_cast, clippy::cast_sign_loss)]
            const VALUES: &'static [(u64, &'static str)] =
                &[$($(($value as $repr as u64, $text),)?)*];
        }

        impl core::fmt::Display for $name {
            /// The name, or the number for a value without one.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => {
                        $(f.write_str($unknown)?;)?
                        $(if $hex {
                            return write!(f, "{:#x}", <$repr>::from(*self));
                        })?
                        write!(f, "{}", <$repr>::from(*self))
                    }
                }
            }
        }
    };
}

/// Declares a flag word: a newtype over the raw bits with one constant per
/// flag, `contains`, `names()` (in declaration order, for the flags given a
/// name; a named flag of value 0 stands for "no bit set"), `unknown()`
/// (bits no named flag covers) and `from_name()`. With
/// `, sep = "…"` after the type it also implements `Display`: the names
/// joined by the separator, then any unknown bits in hex.
#[macro_export]
macro_rules! flag_set {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($repr:ty) $(, sep = $sep:literal)? {
            $(
                $(#[$fmeta:meta])*
                $flag:ident = $value:literal $(=> $text:literal)?,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        $vis struct $name(pub $repr);

        impl $name {
            $($(#[$fmeta])* $vis const $flag: $repr = $value;)*

            const NAMES: &'static [($repr, &'static str)] = &[$($(($value, $text),)?)*];

            /// The raw bits.
            $vis const fn bits(self) -> $repr {
                self.0
            }

            /// True when every bit of `bits` is set.
            $vis const fn contains(self, bits: $repr) -> bool {
                self.0 & bits == bits
            }

            /// The names of the named flags that are set, in declaration order
            /// (the name of a flag of value 0 when no bit is set).
            $vis fn names(self) -> impl Iterator<Item = &'static str> {
                Self::NAMES
                    .iter()
                    .filter(move |(bit, _)| match *bit {
                        0 => self.0 == 0,
                        bit => self.0 & bit == bit,
                    })
                    .map(|(_, name)| *name)
            }

            /// The set bits that no named flag covers.
            $vis fn unknown(self) -> $repr {
                self.0 & !Self::NAMES.iter().fold(0, |all, (bit, _)| all | *bit)
            }

            /// The bits of the flag called `name`.
            $vis fn from_name(name: &str) -> Option<$repr> {
                Self::NAMES.iter().find(|(_, n)| *n == name).map(|(bit, _)| *bit)
            }
        }

        impl $crate::table::FlagValues for $name {
            #[allow(clippy::unnecessary_cast)]
            const BITS: &'static [(u64, &'static str)] = &[$($(($value as $repr as u64, $text),)?)*];
        }

        $(
            impl core::fmt::Display for $name {
                /// The names joined by the separator, then unknown bits in hex.
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    $crate::named::write_flags(f, self.names(), u64::from(self.unknown()), $sep)
                }
            }
        )?
    };
}

/// Writes flag names joined by `sep`, then `unknown` in hex if it is not 0.
pub fn write_flags<'n>(
    f: &mut dyn fmt::Write,
    names: impl Iterator<Item = &'n str>,
    unknown: u64,
    sep: &str,
) -> fmt::Result {
    let mut first = true;
    for name in names {
        if !first {
            f.write_str(sep)?;
        }
        f.write_str(name)?;
        first = false;
    }
    if unknown != 0 {
        if !first {
            f.write_str(sep)?;
        }
        write!(f, "{unknown:#x}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // The test sets declare more items than the tests read.
    #![allow(dead_code)]
    extern crate std;
    use std::format;
    use std::vec::Vec;

    crate::value_enum! {
        /// Test set.
        pub(crate) enum Level(u16) {
            /// Zero.
            Off = 0 => "off",
            /// Far away.
            High = 300 => "high",
        }
    }

    crate::flag_set! {
        /// Test flags with a separator.
        pub(crate) struct Shown(u8), sep = " " {
            /// Named.
            A = 0x01 => "a",
            /// Not named: counts as unknown when printed.
            HIDDEN = 0x02,
            /// Named, listed before `c` though its bit is higher.
            B = 0x80 => "b",
            /// Named.
            C = 0x04 => "c",
        }
    }

    crate::value_enum! {
        /// Test set with the options: numbers, a prefix, a value without a name.
        pub(crate) enum Mode(u8), numbers = true, unknown = "mode " {
            /// Named.
            Fast = 1 => "fast",
            /// Not named: printed as its number.
            Odd = 2,
        }
    }

    crate::value_enum! {
        /// Test set printing values without a name in hex.
        pub(crate) enum State(u8), hex = true {
            /// Named.
            Up = 6 => "UP",
        }
    }

    crate::flag_set! {
        /// Test flags with a name for the zero value.
        pub(crate) struct States(u16), sep = " " {
            /// No bit set.
            NONE = 0 => "NONE",
            /// Named.
            UP = 0x1 => "UP",
        }
    }

    crate::flag_set! {
        /// Test flags without Display (only some of their items are used here).
        pub(crate) struct Plain(u32) {
            /// Named.
            X = 0x1_0000 => "x",
        }
    }

    #[test]
    fn value_enums_convert_both_ways_and_keep_unknown_values() {
        for raw in [0u16, 1, 299, 300, 301, u16::MAX] {
            assert_eq!(u16::from(Level::from(raw)), raw);
        }
        assert_eq!(Level::from(300), Level::High);
        assert_eq!(Level::from(7), Level::Unknown(7));
        assert_eq!(Level::High.name(), Some("high"));
        assert_eq!(Level::Unknown(7).name(), None);
        assert_eq!(Level::from_name("off"), Some(Level::Off));
        assert_eq!(Level::from_name("Off"), None);
        assert_eq!(format!("{} {}", Level::High, Level::Unknown(7)), "high 7");
    }

    #[test]
    fn value_enum_options_take_numbers_prefix_unknown_values_and_skip_unnamed_ones() {
        assert_eq!(Mode::from_name("fast"), Some(Mode::Fast));
        assert_eq!(Mode::from_name("2"), Some(Mode::Odd));
        assert_eq!(Mode::from_name("77"), Some(Mode::Unknown(77)));
        assert_eq!(Mode::from_name("300"), None);
        assert_eq!(Level::from_name("300"), None, "numbers only when asked for");
        assert_eq!(Mode::Odd.name(), None);
        assert_eq!(Mode::from(2), Mode::Odd);
        assert_eq!(u8::from(Mode::Odd), 2);
        assert_eq!(format!("{}", Mode::Fast), "fast");
        assert_eq!(
            format!("{} {}", Mode::Odd, Mode::Unknown(9)),
            "mode 2 mode 9"
        );
    }

    #[test]
    fn value_enums_can_print_unknown_values_in_hex() {
        assert_eq!(format!("{} {}", State::Up, State::Unknown(26)), "UP 0x1a");
        assert_eq!(
            format!("{}", Level::Unknown(26)),
            "26",
            "decimal unless asked"
        );
    }

    #[test]
    fn a_flag_of_value_zero_names_the_empty_word() {
        assert_eq!(format!("{}", States(0)), "NONE");
        assert_eq!(format!("{}", States(1)), "UP");
        assert_eq!(format!("{}", States(0x11)), "UP 0x10");
        assert_eq!(States(0).unknown(), 0);
        assert_eq!(States::from_name("NONE"), Some(0));
    }

    #[test]
    fn flag_sets_name_their_bits_in_declaration_order() {
        let all = Shown(0x01 | 0x02 | 0x04 | 0x80 | 0x40);
        assert_eq!(all.names().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(all.unknown(), 0x42);
        assert_eq!(format!("{all}"), "a b c 0x42");
        assert_eq!(format!("{}", Shown(0)), "");
        assert_eq!(format!("{}", Shown(0x40)), "0x40");
        assert!(all.contains(Shown::A | Shown::B));
        assert!(!Shown(0x01).contains(Shown::A | Shown::B));
        assert_eq!(Shown::from_name("c"), Some(0x04));
        assert_eq!(Shown::from_name("hidden"), None);
        assert_eq!(Plain(0x1_0001).names().collect::<Vec<_>>(), ["x"]);
        assert_eq!(Plain(0x1_0001).unknown(), 1);
        assert_eq!(Plain(0x1_0001).bits(), 0x1_0001);
    }
}
