//! Requests the kernel rejects: the errno, the extended-ACK text (checked
//! against what iproute2 prints for the same request), and the offending
//! attribute named from the request's table.
//!
//! Cases that carry an offset on this kernel (found by trying):
//! - `RTM_NEWLINK` with `IFLA_MTU` as a u16: rtnetlink's liberal parse still
//!   enforces the minimum length, so ERANGE "Attribute failed policy
//!   validation" at `mtu`, with the policy (u32, range) attached.
//! - `RTM_NEWLINK` with `IFLA_LINKINFO` holding 2 bytes: ERANGE at `linkinfo`.
//! - mptcp_pm `ADD_ADDR` with the nested `family` as a u8: the nested policy
//!   rejects it at `addr.family`; with no `addr` at all, EINVAL with the
//!   missing attribute type, named `addr`.
//!
//! `RTM_NEWLINK` of an unknown kind gets EOPNOTSUPP "Unknown device type"
//! without an offset.

use nl_core::Writer;
use nl_core::errno::Errno;
use nl_core::genl::GenlHeader;
use nl_core::nlmsg::{Flags, RequestLayout};
use nl_core::table::{AttrSet, Be32, Binary, Nest};
use nl_tests::link::{self, LinkAttrs, LinkInfoAttrs};
use nl_tests::{netns_or_skip, run};
use nl_uring::{GenlFamilies, KernelError, Protocol, Socket};

const NEW_EXCL: Flags = Flags(Flags::REQUEST.0 | Flags::ACK.0 | Flags::CREATE.0 | Flags::EXCL.0);

/// Sends an `RTM_NEWLINK` for `x0` with whatever `attrs` appends, expects
/// the kernel to refuse it.
fn new_link_rejected(socket: &mut Socket, attrs: impl FnOnce(&mut Writer<'_>)) -> KernelError {
    let mut buf = [0u8; 256];
    let mut w = Writer::new(&mut buf);
    let start = link::begin(&mut w, link::RTM_NEWLINK, NEW_EXCL, socket.next_seq()).unwrap();
    w.put(LinkAttrs::IFNAME, "x0").unwrap();
    attrs(&mut w);
    w.end_message(start).unwrap();
    let err = socket
        .request(w.as_bytes(), Some(link::layout()))
        .expect_err("the kernel accepted the request");
    err.kernel()
        .unwrap_or_else(|| panic!("not a kernel error: {err}"))
        .clone()
}

/// Every element of the path has a name from the table.
fn named_path(error: &KernelError) -> String {
    let path = error
        .path
        .as_ref()
        .expect("the offset maps to an attribute");
    assert!(!path.elems.is_empty());
    assert!(
        path.elems.iter().all(|e| e.name.is_some()),
        "unnamed element in {path}"
    );
    path.to_string()
}

#[test]
fn unknown_link_kind_is_eopnotsupp_with_iproute2_text() {
    netns_or_skip!();
    let out = run("ip", &["link", "add", "x0", "type", "nosuchkind"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let theirs = nl_tests::iproute2_error_text(&stderr)
        .unwrap_or_else(|| panic!("ip printed no extack text: {stderr}"));

    let mut socket = Socket::open(Protocol::Route).unwrap();
    let error = new_link_rejected(&mut socket, |w| {
        let info = w.nest(LinkAttrs::LINKINFO).unwrap();
        w.put(LinkInfoAttrs::KIND, "nosuchkind").unwrap();
        w.nest_end(info).unwrap();
    });
    assert_eq!(error.errno, Errno(95), "EOPNOTSUPP: {error}");
    let message = error.message.clone().expect("extack text");
    assert!(!message.is_empty());
    assert_eq!(message, theirs);
    if error.offset.is_some() {
        named_path(&error);
    }
    assert!(
        error.to_string().starts_with("EOPNOTSUPP (95): "),
        "{error}"
    );
    // Nothing was created, and the socket is still in step.
    assert!(!nl_tests::link::ip_links().iter().any(|l| l.name == "x0"));
    let again = new_link_rejected(&mut socket, |w| {
        let info = w.nest(LinkAttrs::LINKINFO).unwrap();
        w.put(LinkInfoAttrs::KIND, "nosuchkind").unwrap();
        w.nest_end(info).unwrap();
    });
    assert_eq!(again.errno, Errno(95));
}

#[test]
fn short_mtu_is_rejected_at_the_mtu_attribute() {
    netns_or_skip!();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let error = new_link_rejected(&mut socket, |w| {
        w.attr(LinkAttrs::MTU.ty(), &1500u16.to_ne_bytes()).unwrap();
    });
    assert_eq!(error.errno, Errno(34), "ERANGE: {error}");
    assert!(error.message.as_deref().is_some_and(|m| !m.is_empty()));
    // nlmsghdr 16 + ifinfomsg 16 + IFNAME "x0\0" (4 + 3, padded to 8).
    assert_eq!(error.offset, Some(40));
    assert_eq!(named_path(&error), "mtu");
    let policy = error
        .policy
        .as_deref()
        .expect("the rejected attribute's policy");
    assert!(policy.contains("type=4"), "NL_ATTR_TYPE_U32: {policy}");
    assert!(error.to_string().contains("(attribute mtu)"), "{error}");
}

#[test]
fn cap_ack_keeps_the_mapping_and_no_ext_ack_drops_the_details() {
    netns_or_skip!();
    let short_mtu = |w: &mut Writer<'_>| {
        w.attr(LinkAttrs::MTU.ty(), &1500u16.to_ne_bytes()).unwrap();
    };
    // The kernel no longer echoes the request; the socket still has it.
    let mut socket = Socket::open(Protocol::Route).unwrap();
    socket.set_cap_ack(true).unwrap();
    let error = new_link_rejected(&mut socket, short_mtu);
    assert_eq!(named_path(&error), "mtu");

    // Extended ACKs are on by default; without them only the errno remains.
    socket.set_ext_ack(false).unwrap();
    let error = new_link_rejected(&mut socket, short_mtu);
    assert_eq!(error.errno, Errno(34));
    assert_eq!(
        (error.message, error.offset, error.path),
        (None, None, None)
    );
}

#[test]
fn malformed_nest_is_rejected_at_the_nest() {
    netns_or_skip!();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let error = new_link_rejected(&mut socket, |w| {
        w.attr(LinkAttrs::LINKINFO.ty() | nl_core::attr::F_NESTED, &[1, 2])
            .unwrap();
    });
    assert_eq!(error.errno, Errno(34), "ERANGE: {error}");
    assert_eq!(named_path(&error), "linkinfo");
}

nl_core::attr_set! {
    /// mptcp_pm `attr` set (the part used here).
    struct MptcpAttrs = "attr" {
        1 ADDR "addr": Nest<MptcpAddress>;
    }
}

nl_core::attr_set! {
    /// mptcp_pm `address` set.
    struct MptcpAddress = "address" {
        1 FAMILY "family": u16;
        2 ID "id": u8;
        3 ADDR4 "addr4": Be32;
        4 ADDR6 "addr6": Binary<16, 16>;
        5 PORT "port": u16;
        6 FLAGS "flags": u32;
        7 IF_IDX "if-idx": i32;
    }
}

/// `MPTCP_PM_CMD_ADD_ADDR`.
const MPTCP_PM_CMD_ADD_ADDR: u8 = 1;

fn mptcp_add_addr_rejected(attrs: impl FnOnce(&mut Writer<'_>)) -> KernelError {
    let mut socket = Socket::open(Protocol::Generic).unwrap();
    let family = GenlFamilies::new()
        .resolve(&mut socket, "mptcp_pm")
        .unwrap()
        .clone();
    let mut buf = [0u8; 256];
    let mut w = Writer::new(&mut buf);
    let header = GenlHeader::new(MPTCP_PM_CMD_ADD_ADDR, family.version as u8);
    let start = w
        .begin_genl(family.id, Flags::ACK, socket.next_seq(), header)
        .unwrap();
    attrs(&mut w);
    w.end_message(start).unwrap();
    let layout = RequestLayout {
        header_len: GenlHeader::LEN,
        attrs: MptcpAttrs::table(),
    };
    let err = socket
        .request(w.as_bytes(), Some(layout))
        .expect_err("the kernel accepted the request");
    err.kernel()
        .unwrap_or_else(|| panic!("not a kernel error: {err}"))
        .clone()
}

#[test]
fn nested_attribute_is_named_through_the_nest() {
    netns_or_skip!();
    let error = mptcp_add_addr_rejected(|w| {
        let addr = w.nest(MptcpAttrs::ADDR).unwrap();
        w.attr(MptcpAddress::FAMILY.ty(), &[2]).unwrap(); // a u8, not a u16
        w.nest_end(addr).unwrap();
    });
    assert_eq!(error.errno, Errno(34), "ERANGE: {error}");
    // nlmsghdr 16 + genlmsghdr 4 + the nest's header 4.
    assert_eq!(error.offset, Some(24));
    assert_eq!(named_path(&error), "addr.family");
    assert!(error.message.is_some());
}

#[test]
fn missing_attribute_is_named() {
    netns_or_skip!();
    let error = mptcp_add_addr_rejected(|_| {});
    assert_eq!(error.errno, Errno(22), "EINVAL: {error}");
    assert_eq!(error.missing_type, Some(1));
    assert_eq!(error.missing_name, Some("addr"));
    assert!(
        error.to_string().contains("missing attribute addr"),
        "{error}"
    );
}
