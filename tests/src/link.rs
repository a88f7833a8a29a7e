//! Just enough rtnetlink link (`RTM_*LINK`) to test the transport with:
//! the `ifinfomsg` header, a few `IFLA_*` attributes, a dump request, and
//! the same facts read from `ip -j link show`.

use nl_core::Writer;
use nl_core::nlmsg::{Flags, Header, Message, RequestLayout};
use nl_core::table::{AttrSet, Binary, Index, Nest, NulStr, Str};

/// `RTM_NEWLINK`.
pub const RTM_NEWLINK: u16 = 16;
/// `RTM_GETLINK`.
pub const RTM_GETLINK: u16 = 18;
/// Size of `struct ifinfomsg`.
pub const IFINFOMSG_LEN: usize = 16;
/// `RTNLGRP_LINK`: link notifications.
pub const RTNLGRP_LINK: u32 = 1;

nl_core::attr_set! {
    /// `IFLA_*` (the few these tests use).
    pub struct LinkAttrs = "link-attrs" {
        /// `IFLA_ADDRESS`.
        1 ADDRESS "address": Binary<0, 32>;
        /// `IFLA_IFNAME`.
        3 IFNAME "ifname": NulStr<15>;
        /// `IFLA_MTU`.
        4 MTU "mtu": u32;
        /// `IFLA_LINK`.
        5 LINK "link": u32;
        /// `IFLA_LINKINFO`.
        18 LINKINFO "linkinfo": Nest<LinkInfoAttrs>;
    }
}

nl_core::attr_set! {
    /// `IFLA_INFO_*`.
    pub struct LinkInfoAttrs = "linkinfo-attrs" {
        /// `IFLA_INFO_KIND`.
        1 KIND "kind": Str<0>;
        /// `IFLA_INFO_DATA` (kind-specific; left opaque).
        2 DATA "data": Binary<0, 65535>;
    }
}

/// How extended ACK offsets of link requests are mapped.
pub fn layout() -> RequestLayout {
    RequestLayout {
        header_len: IFINFOMSG_LEN,
        attrs: LinkAttrs::table(),
    }
}

/// `struct ifinfomsg` bytes: family, pad, type, index, flags, change.
pub fn ifinfomsg(index: i32, flags: u32, change: u32) -> [u8; IFINFOMSG_LEN] {
    let mut out = [0u8; IFINFOMSG_LEN];
    out[4..8].copy_from_slice(&index.to_ne_bytes());
    out[8..12].copy_from_slice(&flags.to_ne_bytes());
    out[12..16].copy_from_slice(&change.to_ne_bytes());
    out
}

/// Starts a link message: header and `ifinfomsg`; append attributes, then
/// end it with [`Writer::end_message`].
pub fn begin(
    w: &mut Writer<'_>,
    ty: u16,
    flags: Flags,
    seq: u32,
) -> Result<nl_core::nlmsg::MessageStart, nl_core::Error> {
    let start = w.begin_message(Header::new(ty, flags, seq, 0))?;
    w.put_bytes(&ifinfomsg(0, 0, 0))?;
    Ok(start)
}

/// An `RTM_GETLINK` dump request.
pub fn dump_request(buf: &mut [u8], seq: u32) -> &[u8] {
    let mut w = Writer::new(buf);
    let start = begin(&mut w, RTM_GETLINK, Flags::REQUEST | Flags::DUMP, seq).unwrap();
    w.end_message(start).unwrap();
    w.into_bytes()
}

/// One link, as the tests compare it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// `ifi_index`.
    pub index: i32,
    /// `IFLA_IFNAME`.
    pub name: String,
    /// `IFLA_MTU`.
    pub mtu: u32,
    /// `IFLA_INFO_KIND`, if any.
    pub kind: Option<String>,
}

impl Link {
    /// Decodes an `RTM_NEWLINK` message.
    pub fn parse(message: &Message<'_>) -> Result<Link, nl_core::Error> {
        if message.ty() != RTM_NEWLINK {
            return Err(nl_core::Error::UnexpectedType { ty: message.ty() });
        }
        let payload = message.payload();
        let header = payload
            .get(..IFINFOMSG_LEN)
            .ok_or(nl_core::Error::Truncated)?;
        let index = i32::from_ne_bytes(header[4..8].try_into().unwrap());
        let attrs = Index::<LinkAttrs>::parse(&payload[IFINFOMSG_LEN..])?;
        let kind = match attrs.get(LinkAttrs::LINKINFO) {
            Some(info) => info
                .parse()?
                .get(LinkInfoAttrs::KIND)
                .map(|k| k.to_string()),
            None => None,
        };
        Ok(Link {
            index,
            name: attrs
                .get(LinkAttrs::IFNAME)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            mtu: attrs.get(LinkAttrs::MTU).unwrap_or(0),
            kind,
        })
    }
}

/// The links `ip -d -j link show` lists in the calling thread's netns.
pub fn ip_links() -> Vec<Link> {
    let text = crate::run_ok("ip", &["-d", "-j", "link", "show"]);
    let value: serde_json::Value = serde_json::from_str(&text).expect("ip -j output is JSON");
    value
        .as_array()
        .expect("a JSON array of links")
        .iter()
        .map(|link| Link {
            index: link["ifindex"].as_i64().expect("ifindex") as i32,
            name: link["ifname"].as_str().expect("ifname").to_owned(),
            mtu: link["mtu"].as_u64().expect("mtu") as u32,
            kind: link["linkinfo"]["info_kind"].as_str().map(str::to_owned),
        })
        .collect()
}
