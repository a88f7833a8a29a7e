//! The requests of `mptcp_pm`, their layouts, and what nl-core declares
//! about them for the policy check.
//!
//! ```text
//! nlmsghdr: type = family id (runtime), flags = NLM_F_REQUEST [| NLM_F_DUMP]
//! genlmsghdr: cmd, version 1
//!   add-addr, del-addr, flush-addrs      EndpointAttrs: addr
//!   get-addr                             PmAttrs: addr (id), [token]
//!   set-limits                           PmAttrs: [rcv-add-addrs], [subflows]
//!   set-flags                            PmAttrs: addr, [token], [addr-remote]
//!   announce                             PmAttrs: addr, token
//!   remove                               PmAttrs: token, loc-id
//!   subflow-create, subflow-destroy      PmAttrs: addr, token, addr-remote
//! ```
//!
//! Every builder writes the whole message into `buf` or nothing, and
//! returns it. Only `NLM_F_REQUEST` is set (and `NLM_F_DUMP` for
//! [`dump_addrs`]); the transport adds `NLM_F_ACK`. `family` is the id
//! nlctrl resolved for [`FAMILY_NAME`](super::FAMILY_NAME).

use super::VERSION;
use super::address::Address;
use super::attrs::{Cmd, EndpointAttrs, PmAttrs};
use super::limits::Limits;
use crate::genl::GenlHeader;
use crate::genl::decl::{FamilyDecl, OpDecl};
use crate::nlmsg::{self, Flags, RequestLayout};
use crate::table::{AttrSet, Table};
use crate::{Error, Writer};

/// Writes one request of command `cmd` (see [`nlmsg::build`]).
fn build<'b>(
    buf: &'b mut [u8],
    family: u16,
    flags: Flags,
    seq: u32,
    cmd: Cmd,
    attrs: usize,
    put_attrs: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
) -> Result<&'b [u8], Error> {
    let header = GenlHeader::new(cmd.into(), VERSION);
    nlmsg::build(buf, family, flags, seq, &header, attrs, put_attrs)
}

/// One request whose only attribute is an endpoint ([`EndpointAttrs::ADDR`]).
fn endpoint_request<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    cmd: Cmd,
    address: &Address,
) -> Result<&'b [u8], Error> {
    let space = address.space()?;
    build(buf, family, Flags::NONE, seq, cmd, space, |w| {
        address.put(w, EndpointAttrs::ADDR)
    })
}

/// Builds `add-addr`: adds `address` as an endpoint of the in-kernel path
/// manager (`ip mptcp endpoint add`). Without an id the kernel picks one.
pub fn add_addr<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    address: &Address,
) -> Result<&'b [u8], Error> {
    endpoint_request(buf, family, seq, Cmd::AddAddr, address)
}

/// Builds `del-addr`: deletes the endpoint `address.id` (the kernel needs
/// the id, and the address too when the id is 0).
pub fn del_addr<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    address: &Address,
) -> Result<&'b [u8], Error> {
    endpoint_request(buf, family, seq, Cmd::DelAddr, address)
}

/// Builds `flush-addrs`: deletes every endpoint (no attributes, as
/// `ip mptcp endpoint flush` sends it).
pub fn flush_addrs(buf: &mut [u8], family: u16, seq: u32) -> Result<&[u8], Error> {
    build(
        buf,
        family,
        Flags::NONE,
        seq,
        Cmd::FlushAddrs,
        0,
        |_| Ok(()),
    )
}

/// Builds `get-addr` for the endpoint with id `id`; with `token`, an
/// address of that userspace-managed connection.
pub fn get_addr(
    buf: &mut [u8],
    family: u16,
    seq: u32,
    id: u8,
    token: Option<u32>,
) -> Result<&[u8], Error> {
    let address = Address {
        id: Some(id),
        ..Address::default()
    };
    token_request(
        buf,
        family,
        Flags::NONE,
        seq,
        Cmd::GetAddr,
        Some(&address),
        token,
    )
}

/// Builds a `get-addr` dump of every endpoint (`NLM_F_DUMP`); with
/// `token`, the addresses of that userspace-managed connection.
pub fn dump_addrs(
    buf: &mut [u8],
    family: u16,
    seq: u32,
    token: Option<u32>,
) -> Result<&[u8], Error> {
    token_request(buf, family, Flags::DUMP, seq, Cmd::GetAddr, None, token)
}

/// A request with an optional `addr` nest and an optional token.
fn token_request<'b>(
    buf: &'b mut [u8],
    family: u16,
    flags: Flags,
    seq: u32,
    cmd: Cmd,
    address: Option<&Address>,
    token: Option<u32>,
) -> Result<&'b [u8], Error> {
    let mut space = 0;
    if let Some(address) = address {
        space += address.space()?;
    }
    if let Some(token) = token {
        space += PmAttrs::TOKEN.space(&token)?;
    }
    build(buf, family, flags, seq, cmd, space, |w| {
        if let Some(address) = address {
            address.put(w, PmAttrs::ADDR)?;
        }
        if let Some(token) = token {
            w.put(PmAttrs::TOKEN, token)?;
        }
        Ok(())
    })
}

/// Builds `set-limits` with the limits that are set (`ip mptcp limits set`).
pub fn set_limits<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    limits: &Limits,
) -> Result<&'b [u8], Error> {
    let space = limits.attrs_len()?;
    build(buf, family, Flags::NONE, seq, Cmd::SetLimits, space, |w| {
        limits.put_attrs(w)
    })
}

/// Builds `get-limits` (`ip mptcp limits show`).
pub fn get_limits(buf: &mut [u8], family: u16, seq: u32) -> Result<&[u8], Error> {
    build(buf, family, Flags::NONE, seq, Cmd::GetLimits, 0, |_| Ok(()))
}

/// Builds `set-flags`: sets the flags of endpoint `address` (by id, or by
/// address) to `address.flags` (`ip mptcp endpoint change`); with `token`
/// and `remote`, the backup flag of a userspace-managed subflow.
pub fn set_flags<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    address: &Address,
    token: Option<u32>,
    remote: Option<&Address>,
) -> Result<&'b [u8], Error> {
    let mut space = address.space()?;
    if let Some(token) = token {
        space += PmAttrs::TOKEN.space(&token)?;
    }
    if let Some(remote) = remote {
        space += remote.space()?;
    }
    build(buf, family, Flags::NONE, seq, Cmd::SetFlags, space, |w| {
        address.put(w, PmAttrs::ADDR)?;
        if let Some(token) = token {
            w.put(PmAttrs::TOKEN, token)?;
        }
        match remote {
            Some(remote) => remote.put(w, PmAttrs::ADDR_REMOTE),
            None => Ok(()),
        }
    })
}

/// Builds `announce`: the userspace path manager announces `address` (its
/// id set) to the peer of connection `token`.
pub fn announce<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    token: u32,
    address: &Address,
) -> Result<&'b [u8], Error> {
    token_request(
        buf,
        family,
        Flags::NONE,
        seq,
        Cmd::Announce,
        Some(address),
        Some(token),
    )
}

/// Builds `remove`: the userspace path manager withdraws the address with
/// id `loc_id` from connection `token`.
pub fn remove(
    buf: &mut [u8],
    family: u16,
    seq: u32,
    token: u32,
    loc_id: u8,
) -> Result<&[u8], Error> {
    let space = PmAttrs::TOKEN.space(&token)? + PmAttrs::LOC_ID.space(&loc_id)?;
    build(buf, family, Flags::NONE, seq, Cmd::Remove, space, |w| {
        w.put(PmAttrs::TOKEN, token)?;
        w.put(PmAttrs::LOC_ID, loc_id)
    })
}

/// One subflow request: `addr`, `token`, `addr-remote`.
fn subflow_request<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    cmd: Cmd,
    token: u32,
    local: &Address,
    remote: &Address,
) -> Result<&'b [u8], Error> {
    let space = local.space()? + PmAttrs::TOKEN.space(&token)? + remote.space()?;
    build(buf, family, Flags::NONE, seq, cmd, space, |w| {
        local.put(w, PmAttrs::ADDR)?;
        w.put(PmAttrs::TOKEN, token)?;
        remote.put(w, PmAttrs::ADDR_REMOTE)
    })
}

/// Builds `subflow-create`: the userspace path manager opens a subflow of
/// connection `token` from `local` (its id, or its address) to `remote`
/// (address and port).
pub fn subflow_create<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    token: u32,
    local: &Address,
    remote: &Address,
) -> Result<&'b [u8], Error> {
    subflow_request(buf, family, seq, Cmd::SubflowCreate, token, local, remote)
}

/// Builds `subflow-destroy`: closes the subflow of connection `token` from
/// `local` to `remote` (both with address and port).
pub fn subflow_destroy<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    token: u32,
    local: &Address,
    remote: &Address,
) -> Result<&'b [u8], Error> {
    subflow_request(buf, family, seq, Cmd::SubflowDestroy, token, local, remote)
}

/// The attribute set of `cmd`'s requests: [`EndpointAttrs`] for
/// `add-addr`, `del-addr` and `flush-addrs`, [`PmAttrs`] for the others.
fn request_table(cmd: Cmd) -> &'static Table {
    match cmd {
        Cmd::AddAddr | Cmd::DelAddr | Cmd::FlushAddrs => EndpointAttrs::table(),
        _ => PmAttrs::table(),
    }
}

/// Where `cmd`'s request attributes start (after `genlmsghdr`) and which
/// set they are, so a kernel error's offset names its attribute.
pub fn layout(cmd: Cmd) -> RequestLayout {
    RequestLayout {
        header_len: GenlHeader::LEN,
        attrs: request_table(cmd),
    }
}

const ADDR: u16 = PmAttrs::ADDR.ty();
const TOKEN: u16 = PmAttrs::TOKEN.ty();
const ADDR_REMOTE: u16 = PmAttrs::ADDR_REMOTE.ty();
const LIMITS: &[u16] = &[PmAttrs::RCV_ADD_ADDRS.ty(), PmAttrs::SUBFLOWS.ty()];

/// One `do` operation: command number `cmd`, named as in the spec.
const fn op(
    cmd: u8,
    name: &'static str,
    attrs: fn() -> &'static Table,
    request: &'static [u16],
) -> OpDecl {
    OpDecl {
        cmd,
        name,
        attrs,
        do_request: Some(request),
        dump_request: None,
    }
}

/// `mptcp_pm` as nl-core declares it: every operation, its request set,
/// and the attributes its requests may carry, as this kernel's
/// `CTRL_CMD_GETPOLICY` reports them (6.18).
pub static FAMILY: FamilyDecl = FamilyDecl {
    name: super::FAMILY_NAME,
    ops: &[
        op(1, "add-addr", EndpointAttrs::table, &[ADDR]),
        op(2, "del-addr", EndpointAttrs::table, &[ADDR]),
        OpDecl {
            cmd: 3,
            name: "get-addr",
            attrs: PmAttrs::table,
            do_request: Some(&[ADDR, TOKEN]),
            dump_request: Some(&[ADDR, TOKEN]),
        },
        op(4, "flush-addrs", EndpointAttrs::table, &[ADDR]),
        op(5, "set-limits", PmAttrs::table, LIMITS),
        op(6, "get-limits", PmAttrs::table, LIMITS),
        op(7, "set-flags", PmAttrs::table, &[ADDR, TOKEN, ADDR_REMOTE]),
        op(8, "announce", PmAttrs::table, &[ADDR, TOKEN]),
        op(9, "remove", PmAttrs::table, &[TOKEN, PmAttrs::LOC_ID.ty()]),
        op(
            10,
            "subflow-create",
            PmAttrs::table,
            &[ADDR, TOKEN, ADDR_REMOTE],
        ),
        op(
            11,
            "subflow-destroy",
            PmAttrs::table,
            &[ADDR, TOKEN, ADDR_REMOTE],
        ),
    ],
};

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use super::*;
    use crate::genl::split;
    use crate::mptcp::address::tests::REPLY_V4;
    use crate::mptcp::attrs::{AddressAttrs, EndpointFlags};
    use crate::nlmsg::Message;
    use crate::table::Index;

    const FAMILY_ID: u16 = 0x1c;

    fn v4() -> Address {
        Address {
            id: Some(1),
            addr: Some("10.0.0.1".parse().unwrap()),
            port: Some(1000),
            flags: EndpointFlags(EndpointFlags::SIGNAL | EndpointFlags::BACKUP),
            ifindex: Some(3),
        }
    }

    fn v6() -> Address {
        Address {
            id: Some(2),
            addr: Some("2001:db8::1".parse().unwrap()),
            port: Some(443),
            flags: EndpointFlags(EndpointFlags::SUBFLOW | EndpointFlags::FULLMESH),
            ifindex: Some(2),
        }
    }

    /// `add-addr` of [`v4`].
    #[rustfmt::skip]
    const ADD_V4: [u8; 72] = [
        0x48, 0x00, 0x00, 0x00, // nlmsg_len = 72
        0x1c, 0x00,             // nlmsg_type = 0x1c (the family id)
        0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
        0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x01, 0x01, 0x00, 0x00, // genlmsghdr: add-addr, version 1
        0x34, 0x00, 0x01, 0x80, // nla_len = 52, addr | NLA_F_NESTED
        0x06, 0x00, 0x01, 0x00, //   nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, //   AF_INET + 2 padding
        0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
        0x01, 0x00, 0x00, 0x00, //   1 + 3 padding
        0x08, 0x00, 0x03, 0x00, //   nla_len = 8, addr4
        0x0a, 0x00, 0x00, 0x01, //   10.0.0.1
        0x06, 0x00, 0x05, 0x00, //   nla_len = 6, port
        0xe8, 0x03, 0x00, 0x00, //   1000 (host order) + 2 padding
        0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
        0x05, 0x00, 0x00, 0x00, //   signal | backup
        0x08, 0x00, 0x07, 0x00, //   nla_len = 8, if-idx
        0x03, 0x00, 0x00, 0x00, //   3
    ];

    /// `add-addr` of [`v6`].
    #[rustfmt::skip]
    const ADD_V6: [u8; 84] = [
        0x54, 0x00, 0x00, 0x00, // nlmsg_len = 84
        0x1c, 0x00,             // nlmsg_type = 0x1c (the family id)
        0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
        0x08, 0x00, 0x00, 0x00, // nlmsg_seq = 8
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x01, 0x01, 0x00, 0x00, // genlmsghdr: add-addr, version 1
        0x40, 0x00, 0x01, 0x80, // nla_len = 64, addr | NLA_F_NESTED
        0x06, 0x00, 0x01, 0x00, //   nla_len = 6, family
        0x0a, 0x00, 0x00, 0x00, //   AF_INET6 + 2 padding
        0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
        0x02, 0x00, 0x00, 0x00, //   2 + 3 padding
        0x14, 0x00, 0x04, 0x00, //   nla_len = 20, addr6
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // 2001:db8::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x06, 0x00, 0x05, 0x00, //   nla_len = 6, port
        0xbb, 0x01, 0x00, 0x00, //   443 (host order) + 2 padding
        0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
        0x0a, 0x00, 0x00, 0x00, //   subflow | fullmesh
        0x08, 0x00, 0x07, 0x00, //   nla_len = 8, if-idx
        0x02, 0x00, 0x00, 0x00, //   2
    ];

    /// The request's command, flags and attributes.
    fn parts(request: &[u8]) -> (u8, u16, Index<'_, PmAttrs>) {
        let message = Message::parse(request).unwrap();
        assert_eq!(message.len(), request.len());
        assert_eq!(message.ty(), FAMILY_ID);
        let (header, attrs) = split(&message).unwrap();
        assert_eq!(header.version, VERSION);
        (
            header.cmd,
            message.flags().bits(),
            Index::parse(attrs).unwrap(),
        )
    }

    #[test]
    fn add_addr_v4_and_v6_with_every_field() {
        let mut buf = [0xa5u8; 80];
        let request = add_addr(&mut buf, FAMILY_ID, 7, &v4()).unwrap();
        assert_eq!(request, &ADD_V4[..]);
        assert_eq!(&buf[72..], &[0xa5; 8]);
        let mut buf = [0xa5u8; 88];
        let request = add_addr(&mut buf, FAMILY_ID, 8, &v6()).unwrap();
        assert_eq!(request, &ADD_V6[..]);
        assert_eq!(&buf[84..], &[0xa5; 4]);
        // The nest reads back as the address.
        let (_, _, index) = parts(&ADD_V6);
        let nest = index.get(PmAttrs::ADDR).unwrap();
        assert_eq!(Address::from_index(&nest.parse().unwrap()), Ok(v6()));
    }

    #[test]
    fn a_short_buffer_gets_nothing_written() {
        for cap in 0..ADD_V4.len() {
            let mut buf = std::vec![0xa5u8; cap];
            assert_eq!(
                add_addr(&mut buf, FAMILY_ID, 7, &v4()),
                Err(Error::NoRoom { needed: 72 }),
                "{cap}"
            );
            assert!(buf.iter().all(|&b| b == 0xa5), "{cap}");
        }
    }

    #[test]
    fn del_get_and_dump() {
        let mut buf = [0xa5u8; 64];
        let by_id = Address {
            id: Some(1),
            ..Address::default()
        };
        let request = del_addr(&mut buf, FAMILY_ID, 1, &by_id).unwrap();
        #[rustfmt::skip]
        let want: [u8; 40] = [
            0x28, 0x00, 0x00, 0x00, // nlmsg_len = 40
            0x1c, 0x00,             // nlmsg_type = 0x1c
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x02, 0x01, 0x00, 0x00, // genlmsghdr: del-addr, version 1
            0x14, 0x00, 0x01, 0x80, // nla_len = 20, addr | NLA_F_NESTED
            0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
            0x01, 0x00, 0x00, 0x00, //   1 + 3 padding
            0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
            0x00, 0x00, 0x00, 0x00, //   none
        ];
        assert_eq!(request, &want[..]);

        let request = get_addr(&mut buf, FAMILY_ID, 2, 1, Some(0xdead_beef)).unwrap();
        #[rustfmt::skip]
        let want: [u8; 48] = [
            0x30, 0x00, 0x00, 0x00, // nlmsg_len = 48
            0x1c, 0x00,             // nlmsg_type = 0x1c
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x03, 0x01, 0x00, 0x00, // genlmsghdr: get-addr, version 1
            0x14, 0x00, 0x01, 0x80, // nla_len = 20, addr | NLA_F_NESTED
            0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
            0x01, 0x00, 0x00, 0x00, //   1 + 3 padding
            0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
            0x00, 0x00, 0x00, 0x00, //   none
            0x08, 0x00, 0x04, 0x00, // nla_len = 8, token
            0xef, 0xbe, 0xad, 0xde, // 0xdeadbeef
        ];
        assert_eq!(request, &want[..]);
        let request = get_addr(&mut buf, FAMILY_ID, 2, 1, None).unwrap();
        assert_eq!(request.len(), 40);

        let request = dump_addrs(&mut buf, FAMILY_ID, 3, None).unwrap();
        #[rustfmt::skip]
        let want: [u8; 20] = [
            0x14, 0x00, 0x00, 0x00, // nlmsg_len = 20
            0x1c, 0x00,             // nlmsg_type = 0x1c
            0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x03, 0x01, 0x00, 0x00, // genlmsghdr: get-addr, version 1
        ];
        assert_eq!(request, &want[..]);
        let request = dump_addrs(&mut buf, FAMILY_ID, 3, Some(7)).unwrap();
        let (cmd, flags, index) = parts(request);
        assert_eq!((cmd, flags, index.get(PmAttrs::TOKEN)), (3, 0x301, Some(7)));
        assert!(!index.has(PmAttrs::ADDR));
    }

    #[test]
    fn flush_and_limits() {
        let mut buf = [0xa5u8; 40];
        let request = flush_addrs(&mut buf, FAMILY_ID, 4).unwrap();
        #[rustfmt::skip]
        let want: [u8; 20] = [
            0x14, 0x00, 0x00, 0x00, // nlmsg_len = 20
            0x1c, 0x00,             // nlmsg_type = 0x1c
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x04, 0x00, 0x00, 0x00, // nlmsg_seq = 4
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x04, 0x01, 0x00, 0x00, // genlmsghdr: flush-addrs, version 1
        ];
        assert_eq!(request, &want[..]);
        let request = get_limits(&mut buf, FAMILY_ID, 5).unwrap();
        assert_eq!(request.len(), 20);
        assert_eq!(parts(request).0, 6);
        let limits = Limits {
            subflows: Some(2),
            add_addr_accepted: Some(3),
        };
        let request = set_limits(&mut buf, FAMILY_ID, 6, &limits).unwrap();
        #[rustfmt::skip]
        let want: [u8; 36] = [
            0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
            0x1c, 0x00,             // nlmsg_type = 0x1c
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x05, 0x01, 0x00, 0x00, // genlmsghdr: set-limits, version 1
            0x08, 0x00, 0x02, 0x00, // nla_len = 8, rcv-add-addrs
            0x03, 0x00, 0x00, 0x00, // 3
            0x08, 0x00, 0x03, 0x00, // nla_len = 8, subflows
            0x02, 0x00, 0x00, 0x00, // 2
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[36..], &[0xa5; 4]);
    }

    #[test]
    fn userspace_path_manager_requests() {
        let mut buf = [0xa5u8; 160];
        let remote = Address {
            port: Some(5000),
            ..Address::new("10.0.0.2".parse().unwrap())
        };
        let request = set_flags(&mut buf, FAMILY_ID, 1, &v4(), Some(9), Some(&remote)).unwrap();
        let (cmd, _, index) = parts(request);
        assert_eq!((cmd, index.get(PmAttrs::TOKEN)), (7, Some(9)));
        let addr = index.get(PmAttrs::ADDR).unwrap().parse().unwrap();
        assert_eq!(Address::from_index(&addr), Ok(v4()));
        let remote_nest = index.get(PmAttrs::ADDR_REMOTE).unwrap().parse().unwrap();
        assert_eq!(Address::from_index(&remote_nest), Ok(remote));
        assert_eq!(request.len(), 20 + 52 + 8 + 36);

        let request = set_flags(&mut buf, FAMILY_ID, 1, &v4(), None, None).unwrap();
        assert_eq!(request.len(), 72);
        assert_eq!(request[16], 7);

        let request = announce(&mut buf, FAMILY_ID, 2, 9, &v6()).unwrap();
        let (cmd, _, index) = parts(request);
        assert_eq!((cmd, index.get(PmAttrs::TOKEN)), (8, Some(9)));
        let nest = index.get(PmAttrs::ADDR).unwrap().parse().unwrap();
        assert_eq!(
            nest.get(AddressAttrs::ADDR6),
            Some("2001:db8::1".parse().unwrap())
        );

        let request = remove(&mut buf, FAMILY_ID, 3, 0x0102_0304, 5).unwrap();
        #[rustfmt::skip]
        let want: [u8; 36] = [
            0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
            0x1c, 0x00,             // nlmsg_type = 0x1c
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x09, 0x01, 0x00, 0x00, // genlmsghdr: remove, version 1
            0x08, 0x00, 0x04, 0x00, // nla_len = 8, token
            0x04, 0x03, 0x02, 0x01, // 0x01020304
            0x05, 0x00, 0x05, 0x00, // nla_len = 5, loc-id
            0x05, 0x00, 0x00, 0x00, // 5 + 3 padding
        ];
        assert_eq!(request, &want[..]);

        for cmd in [10, 11] {
            let local = v4();
            let request = match cmd {
                10 => subflow_create(&mut buf, FAMILY_ID, 4, 9, &local, &remote),
                _ => subflow_destroy(&mut buf, FAMILY_ID, 4, 9, &local, &remote),
            }
            .unwrap();
            let (got, _, index) = parts(request);
            assert_eq!((got, index.get(PmAttrs::TOKEN)), (cmd, Some(9)));
            assert!(index.has(PmAttrs::ADDR) && index.has(PmAttrs::ADDR_REMOTE));
            assert_eq!(request.len(), 20 + 52 + 8 + 36);
        }
    }

    #[test]
    fn layouts_name_the_request_sets() {
        assert_eq!(layout(Cmd::AddAddr).attrs.name, "endpoint");
        assert_eq!(layout(Cmd::FlushAddrs).attrs.name, "endpoint");
        assert_eq!(layout(Cmd::GetAddr).attrs.name, "attr");
        assert_eq!(layout(Cmd::Remove).attrs.name, "attr");
        assert_eq!(layout(Cmd::AddAddr).header_len, 4);
        // An extended ACK offset pointing at the nest's addr4 names it.
        let path = crate::table::locate(&ADD_V4[20..], 44 - 20, layout(Cmd::AddAddr).attrs);
        assert_eq!(format!("{}", path.unwrap()), "addr.addr4");
    }

    #[test]
    fn the_declaration_lists_every_command() {
        assert_eq!(FAMILY.name, "mptcp_pm");
        assert_eq!(FAMILY.ops.len(), 11);
        for (i, op) in FAMILY.ops.iter().enumerate() {
            let cmd = Cmd::from(op.cmd);
            assert_eq!(usize::from(op.cmd), i + 1);
            assert_eq!(cmd.name(), Some(op.name));
            assert_eq!((op.attrs)(), layout(cmd).attrs, "{}", op.name);
            let table = (op.attrs)();
            for ty in op.do_request.unwrap() {
                assert!(table.def(*ty).is_some(), "{} {ty}", op.name);
            }
        }
        let get = FAMILY.op(3).unwrap();
        assert_eq!(get.dump_request, Some(&[1u16, 4][..]));
        assert!(
            FAMILY
                .ops
                .iter()
                .filter(|op| op.cmd != 3)
                .all(|op| op.dump_request.is_none())
        );
        assert_eq!(FAMILY.op(9).unwrap().do_request, Some(&[4u16, 5][..]));
        assert_eq!(FAMILY.op(5).unwrap().do_request, Some(&[2u16, 3][..]));
        assert!(FAMILY.op(12).is_none());
    }

    #[test]
    fn requests_carry_only_what_the_declaration_allows() {
        let mut buf = [0u8; 160];
        let remote = Address::new("10.0.0.2".parse().unwrap());
        let limits = Limits {
            subflows: Some(1),
            add_addr_accepted: Some(1),
        };
        let requests: [(Cmd, Vec<u8>); 11] = [
            (
                Cmd::AddAddr,
                add_addr(&mut buf, 1, 1, &v4()).unwrap().to_vec(),
            ),
            (
                Cmd::DelAddr,
                del_addr(&mut buf, 1, 1, &v4()).unwrap().to_vec(),
            ),
            (
                Cmd::GetAddr,
                get_addr(&mut buf, 1, 1, 1, Some(2)).unwrap().to_vec(),
            ),
            (
                Cmd::FlushAddrs,
                flush_addrs(&mut buf, 1, 1).unwrap().to_vec(),
            ),
            (
                Cmd::SetLimits,
                set_limits(&mut buf, 1, 1, &limits).unwrap().to_vec(),
            ),
            (Cmd::GetLimits, get_limits(&mut buf, 1, 1).unwrap().to_vec()),
            (
                Cmd::SetFlags,
                set_flags(&mut buf, 1, 1, &v4(), Some(2), Some(&remote))
                    .unwrap()
                    .to_vec(),
            ),
            (
                Cmd::Announce,
                announce(&mut buf, 1, 1, 2, &v4()).unwrap().to_vec(),
            ),
            (Cmd::Remove, remove(&mut buf, 1, 1, 2, 3).unwrap().to_vec()),
            (
                Cmd::SubflowCreate,
                subflow_create(&mut buf, 1, 1, 2, &v4(), &remote)
                    .unwrap()
                    .to_vec(),
            ),
            (
                Cmd::SubflowDestroy,
                subflow_destroy(&mut buf, 1, 1, 2, &v4(), &remote)
                    .unwrap()
                    .to_vec(),
            ),
        ];
        for (cmd, request) in &requests {
            let message = Message::parse(request).unwrap();
            let (header, attrs) = split(&message).unwrap();
            assert_eq!(Cmd::from(header.cmd), *cmd);
            let allowed = FAMILY.op(header.cmd).unwrap().do_request.unwrap();
            for attr in crate::attr::AttrIter::new(attrs) {
                let ty = attr.unwrap().ty();
                assert!(allowed.contains(&ty), "{cmd}: {ty}");
            }
        }
        // A dump with a token fits the dump declaration too.
        let request = dump_addrs(&mut buf, 1, 1, Some(2)).unwrap();
        let message = Message::parse(request).unwrap();
        let (_, attrs) = split(&message).unwrap();
        for attr in crate::attr::AttrIter::new(attrs) {
            let ty = attr.unwrap().ty();
            assert!(FAMILY.op(3).unwrap().dump_request.unwrap().contains(&ty));
        }
        // The kernel's own reply decodes with the request's set.
        assert!(parse_endpoint_ok(&REPLY_V4));
    }

    fn parse_endpoint_ok(bytes: &[u8]) -> bool {
        crate::mptcp::parse_endpoint(&Message::parse(bytes).unwrap()).is_ok()
    }
}
