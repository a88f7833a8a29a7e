//! `nl link ...`: network interfaces.

use std::io::Write;

use nl_uring::nl_core::nlmsg::{Flags, Header, Message, RequestLayout};
use nl_uring::nl_core::table::{AttrSet, Index, Nest, NulStr, Str};
use nl_uring::nl_core::{self, Writer};
use nl_uring::{Protocol, Socket};

use crate::Fail;

/// Runs `nl link ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str]) -> Result<(), Fail> {
    match args {
        ["show"] => link_show(out),
        _ => Err(Fail::Usage),
    }
}

/// `RTM_GETLINK`.
const RTM_GETLINK: u16 = 18;
/// Size of `struct ifinfomsg`.
const IFINFOMSG_LEN: usize = 16;

nl_core::attr_set! {
    /// The few `IFLA_*` attributes this tool prints.
    struct LinkAttrs = "link-attrs" {
        /// `IFLA_IFNAME`.
        3 IFNAME "ifname": NulStr<15>;
        /// `IFLA_MTU`.
        4 MTU "mtu": u32;
        /// `IFLA_LINKINFO`.
        18 LINKINFO "linkinfo": Nest<LinkInfoAttrs>;
    }
}

nl_core::attr_set! {
    /// `IFLA_INFO_*`.
    struct LinkInfoAttrs = "linkinfo-attrs" {
        /// `IFLA_INFO_KIND`.
        1 KIND "kind": Str<0>;
    }
}

fn link_show(out: &mut impl Write) -> Result<(), Fail> {
    let mut socket = Socket::open(Protocol::Route)?;
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    let start = w.begin_message(Header::new(
        RTM_GETLINK,
        Flags::REQUEST | Flags::DUMP,
        socket.next_seq(),
        0,
    ))?;
    w.put_bytes(&[0; IFINFOMSG_LEN])?;
    w.end_message(start)?;
    let layout = RequestLayout {
        header_len: IFINFOMSG_LEN,
        attrs: LinkAttrs::table(),
    };
    socket.try_dump(w.as_bytes(), Some(layout), |m| print_link(out, &m))?;
    Ok(())
}

fn print_link(out: &mut impl Write, message: &Message<'_>) -> Result<(), Fail> {
    let payload = message.payload();
    let header = payload
        .get(..IFINFOMSG_LEN)
        .ok_or(nl_core::Error::Truncated)?;
    let field = |at: usize| -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(header.get(at..at + 4).unwrap_or(&[0; 4]));
        u32::from_ne_bytes(b)
    };
    let (index, flags) = (field(4) as i32, field(8));
    let attrs = Index::<LinkAttrs>::parse(payload.get(IFINFOMSG_LEN..).unwrap_or_default())?;
    let name = attrs
        .get(LinkAttrs::IFNAME)
        .map(|n| n.to_string())
        .unwrap_or_default();
    write!(out, "{index}: {name}: <{}>", flag_names(flags))?;
    if let Some(mtu) = attrs.get(LinkAttrs::MTU) {
        write!(out, " mtu {mtu}")?;
    }
    if let Some(info) = attrs.get(LinkAttrs::LINKINFO) {
        if let Some(kind) = info.parse()?.get(LinkInfoAttrs::KIND) {
            write!(out, " kind {kind}")?;
        }
    }
    writeln!(out)?;
    Ok(())
}

/// `IFF_*` names of the set bits, in bit order.
fn flag_names(flags: u32) -> String {
    const NAMES: [&str; 19] = [
        "UP",
        "BROADCAST",
        "DEBUG",
        "LOOPBACK",
        "POINTOPOINT",
        "NOTRAILERS",
        "RUNNING",
        "NOARP",
        "PROMISC",
        "ALLMULTI",
        "MASTER",
        "SLAVE",
        "MULTICAST",
        "PORTSEL",
        "AUTOMEDIA",
        "DYNAMIC",
        "LOWER_UP",
        "DORMANT",
        "ECHO",
    ];
    let mut names: Vec<String> = NAMES
        .iter()
        .enumerate()
        .filter(|(bit, _)| flags & (1 << bit) != 0)
        .map(|(_, n)| (*n).to_owned())
        .collect();
    let unknown = flags & !((1u32 << NAMES.len()) - 1);
    if unknown != 0 {
        names.push(format!("{unknown:#x}"));
    }
    names.join(",")
}
