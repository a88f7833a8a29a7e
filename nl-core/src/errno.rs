//! Linux errno values with their names, for kernel error replies.

use core::fmt;

/// A positive Linux errno as carried (negated) in `NLMSG_ERROR` and `NLMSG_DONE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Errno(pub i32);

const NAMES: &[(i32, &str)] = &[
    (1, "EPERM"),
    (2, "ENOENT"),
    (3, "ESRCH"),
    (4, "EINTR"),
    (5, "EIO"),
    (6, "ENXIO"),
    (7, "E2BIG"),
    (9, "EBADF"),
    (11, "EAGAIN"),
    (12, "ENOMEM"),
    (13, "EACCES"),
    (14, "EFAULT"),
    (16, "EBUSY"),
    (17, "EEXIST"),
    (18, "EXDEV"),
    (19, "ENODEV"),
    (20, "ENOTDIR"),
    (22, "EINVAL"),
    (23, "ENFILE"),
    (24, "EMFILE"),
    (28, "ENOSPC"),
    (33, "EDOM"),
    (34, "ERANGE"),
    (35, "EDEADLK"),
    (36, "ENAMETOOLONG"),
    (38, "ENOSYS"),
    (39, "ENOTEMPTY"),
    (61, "ENODATA"),
    (62, "ETIME"),
    (71, "EPROTO"),
    (74, "EBADMSG"),
    (75, "EOVERFLOW"),
    (90, "EMSGSIZE"),
    (92, "ENOPROTOOPT"),
    (93, "EPROTONOSUPPORT"),
    (95, "EOPNOTSUPP"),
    (97, "EAFNOSUPPORT"),
    (98, "EADDRINUSE"),
    (99, "EADDRNOTAVAIL"),
    (100, "ENETDOWN"),
    (101, "ENETUNREACH"),
    (105, "ENOBUFS"),
    (110, "ETIMEDOUT"),
    (113, "EHOSTUNREACH"),
    (114, "EALREADY"),
    (115, "EINPROGRESS"),
    (122, "EDQUOT"),
    (524, "ENOTSUPP"),
];

impl Errno {
    /// The symbolic name (`"EEXIST"`), when known.
    pub fn name(self) -> Option<&'static str> {
        NAMES
            .iter()
            .find(|(n, _)| *n == self.0)
            .map(|(_, name)| *name)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name} ({})", self.0),
            None => write!(f, "errno {}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;

    use super::*;

    #[test]
    fn names_match_the_kernel_numbers() {
        // asm-generic/errno-base.h, asm-generic/errno.h, linux/errno.h (ENOTSUPP)
        let some = [
            (1, "EPERM"),
            (2, "ENOENT"),
            (12, "ENOMEM"),
            (16, "EBUSY"),
            (17, "EEXIST"),
            (19, "ENODEV"),
            (22, "EINVAL"),
            (34, "ERANGE"),
            (90, "EMSGSIZE"),
            (95, "EOPNOTSUPP"),
            (105, "ENOBUFS"),
            (524, "ENOTSUPP"),
        ];
        for (n, name) in some {
            assert_eq!(Errno(n).name(), Some(name), "{n}");
        }
    }

    #[test]
    fn every_entry_is_unique() {
        for (i, (n, name)) in NAMES.iter().enumerate() {
            for (m, other) in &NAMES[i + 1..] {
                assert_ne!(n, m);
                assert_ne!(name, other);
            }
            assert!(name.starts_with('E'));
        }
    }

    #[test]
    fn unknown_and_display() {
        assert_eq!(Errno(0).name(), None);
        assert_eq!(Errno(-2).name(), None);
        assert_eq!(Errno(9999).name(), None);
        assert_eq!(format!("{}", Errno(17)), "EEXIST (17)");
        assert_eq!(format!("{}", Errno(9999)), "errno 9999");
        assert_eq!(format!("{}", Errno(0)), "errno 0");
    }
}
