//! Parsing the text of iproute2's `genl ctrl list` (and `genl ctrl get`).
//!
//! ```text
//! Name: nlctrl
//!     ID: 0x10  Version: 0x2  header size: 0  max attribs: 0
//!     commands supported:
//!         #1:  ID-0x3
//!         Capabilities (0xe):
//!            can doit; can dumpit; has policy
//!
//!     multicast groups:
//!         #1:  ID-0x10  name: notify
//! ```
//! `genl` prints an operation's capabilities only for families of version
//! 2 or more, so [`GenlText::ops`] carries the flags as an `Option`.

/// One family as `genl` printed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenlText {
    /// Family name.
    pub name: String,
    /// Family id.
    pub id: u16,
    /// Version.
    pub version: u32,
    /// Header size.
    pub hdrsize: u32,
    /// Max attribute.
    pub maxattr: u32,
    /// Operations: command id and, when printed, the capability flags.
    pub ops: Vec<(u32, Option<u32>)>,
    /// Multicast groups: id and name.
    pub groups: Vec<(u32, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Head,
    Ops,
    Groups,
}

fn hex(text: &str) -> u32 {
    let digits = text.trim().trim_start_matches("0x");
    u32::from_str_radix(digits, 16).unwrap_or_else(|_| panic!("not hex: {text:?}"))
}

fn dec(text: &str) -> u32 {
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("not decimal: {text:?}"))
}

/// Parses every family in `text`.
pub fn parse(text: &str) -> Vec<GenlText> {
    let mut families: Vec<GenlText> = Vec::new();
    let mut section = Section::Head;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(name) = line.strip_prefix("Name: ") {
            families.push(GenlText {
                name: name.to_owned(),
                ..GenlText::default()
            });
            section = Section::Head;
            continue;
        }
        let Some(family) = families.last_mut() else {
            continue;
        };
        if line.starts_with("ID: ") {
            // ID: 0x10  Version: 0x2  header size: 0  max attribs: 0
            let fields: Vec<&str> = line.split("  ").map(str::trim).collect();
            for field in fields {
                if let Some(v) = field.strip_prefix("ID: ") {
                    family.id = hex(v) as u16;
                } else if let Some(v) = field.strip_prefix("Version: ") {
                    family.version = hex(v);
                } else if let Some(v) = field.strip_prefix("header size: ") {
                    family.hdrsize = dec(v);
                } else if let Some(v) = field.strip_prefix("max attribs: ") {
                    family.maxattr = dec(v);
                }
            }
        } else if line.starts_with("commands supported:") {
            section = Section::Ops;
        } else if line.starts_with("multicast groups:") {
            section = Section::Groups;
        } else if let Some(flags) = line.strip_prefix("Capabilities (") {
            let flags = hex(flags.trim_end_matches("):"));
            if let Some(op) = family.ops.last_mut() {
                op.1 = Some(flags);
            }
        } else if line.starts_with('#') {
            // #1:  ID-0x3   or   #1:  ID-0x10  name: notify
            let id_start = line.find("ID-").expect("an ID- field") + 3;
            let rest = &line[id_start..];
            let (id, name) = match rest.split_once("  name: ") {
                Some((id, name)) => (hex(id), Some(name.trim().to_owned())),
                None => (hex(rest), None),
            };
            match (section, name) {
                (Section::Groups, Some(name)) => family.groups.push((id, name)),
                (Section::Ops, None) => family.ops.push((id, None)),
                (s, n) => panic!(
                    "unexpected line in {} section: {line:?} ({n:?})",
                    if s == Section::Head { "head" } else { "other" }
                ),
            }
        }
        // Capability words ("can doit; ...") need no parsing: the hex has them.
    }
    families
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ops_with_capabilities_and_groups() {
        let text = "\nName: nlctrl\n\tID: 0x10  Version: 0x2  header size: 0  max attribs: 0 \n\
            \tcommands supported: \n\t\t#1:  ID-0x3 \n\t\tCapabilities (0xe):\n \t\t  can doit; can dumpit; has policy\n\n\
            \t\t#2:  ID-0xa \n\t\tCapabilities (0xc):\n \t\t  can dumpit; has policy\n\n\n\
            \tmulticast groups:\n\t\t#1:  ID-0x10  name: notify \n\n\n\
            Name: SEG6\n\tID: 0x1d  Version: 0x1  header size: 0  max attribs: 7 \n\
            \tcommands supported: \n\t\t#1:  ID-0x1 \n\n";
        let families = parse(text);
        assert_eq!(
            families,
            [
                GenlText {
                    name: "nlctrl".into(),
                    id: 0x10,
                    version: 2,
                    hdrsize: 0,
                    maxattr: 0,
                    ops: vec![(3, Some(0xe)), (0xa, Some(0xc))],
                    groups: vec![(0x10, "notify".into())],
                },
                GenlText {
                    name: "SEG6".into(),
                    id: 0x1d,
                    version: 1,
                    hdrsize: 0,
                    maxattr: 7,
                    ops: vec![(1, None)],
                    groups: vec![],
                },
            ]
        );
    }
}
