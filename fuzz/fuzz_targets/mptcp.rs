//! mptcp_pm: every decoder entry point — `Address::parse`, `parse_endpoint`,
//! `Limits::parse`, `Event::parse` (and `Event::parse_attrs`) — with the
//! `Display` and `Debug` of what they return, and the requests built back
//! from what was decoded.
//!
//! Properties: nothing panics; an address decoded from the input (as a
//! nest, or from a message) encodes and decodes back to itself, alone and
//! inside `add-addr`, `del-addr`, `set-flags`, `announce` and the subflow
//! requests; limits decoded from a reply survive a `set-limits` request; an
//! event's type is its `genlmsghdr.cmd` and it decodes only when its
//! attributes index.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::Writer;
use nl_core::genl::split;
use nl_core::mptcp::{
    self, Address, AddressAttrs, Event, EventAttrs, Limits, PmAttrs, parse_endpoint,
};
use nl_core::nlmsg::{Message, Messages};
use nl_core::table::Index;
use nl_fuzz::{debug, display};

const FAMILY_ID: u16 = 0x1c;

fuzz_target!(|data: &[u8]| {
    if let Ok(address) = Address::parse(data) {
        check_address(&address);
    }
    for message in Messages::new(data).map_while(Result::ok) {
        check_message(&message);
    }
});

fn check_message(message: &Message<'_>) {
    let header = split(message).ok();
    if let Ok(address) = parse_endpoint(message) {
        check_address(&address);
    }
    // Limits decode exactly when the attributes index as `attr`.
    let indexes = header.is_some_and(|(_, attrs)| Index::<PmAttrs>::parse(attrs).is_ok());
    match Limits::parse(message) {
        Ok(limits) => {
            assert!(indexes);
            check_limits(&limits);
        }
        Err(_) => assert!(!indexes),
    }
    let event = Event::parse(message);
    match Event::parse_attrs(message) {
        Ok((ty, index)) => {
            display(&index);
            let (header, _) = header.expect("the attributes follow a genl header");
            assert_eq!(u8::from(ty), header.cmd);
            if let Ok(event) = event {
                assert_eq!(event.event_type(), ty);
                if let Some(token) = event.token() {
                    assert_eq!(index.get(EventAttrs::TOKEN), Some(token));
                }
                display(&event);
                debug(&event);
            }
        }
        Err(e) => assert_eq!(event, Err(e), "an event needs its attributes"),
    }
}

/// Encodes `address` as a nest and in the requests that carry one; each
/// decodes back to it.
fn check_address(address: &Address) {
    display(address);
    debug(address);
    let space = address.space().expect("an address always fits a nest");
    let mut buf = [0xa5u8; 256];
    let mut w = Writer::new(&mut buf);
    address
        .put(&mut w, PmAttrs::ADDR)
        .expect("room for any address");
    assert_eq!(w.len(), space);
    let nest = &buf[4..space];
    assert_eq!(Address::parse(nest), Ok(*address));
    let index = Index::<AddressAttrs>::parse(nest).expect("what put writes indexes");
    assert_eq!(index.unknown(), 0);
    assert!(buf[space..].iter().all(|&b| b == 0xa5));

    let mut buf = [0u8; 256];
    let request = mptcp::add_addr(&mut buf, FAMILY_ID, 1, address).expect("fits");
    assert_eq!(endpoint_of(request), *address);
    let request = mptcp::del_addr(&mut buf, FAMILY_ID, 2, address).expect("fits");
    assert_eq!(endpoint_of(request), *address);
    let request =
        mptcp::set_flags(&mut buf, FAMILY_ID, 3, address, Some(9), Some(address)).expect("fits");
    assert_eq!(endpoint_of(request), *address);
    assert_eq!(remote_of(request), *address);
    let request = mptcp::announce(&mut buf, FAMILY_ID, 4, 9, address).expect("fits");
    assert_eq!(endpoint_of(request), *address);
    let request = mptcp::subflow_create(&mut buf, FAMILY_ID, 5, 9, address, address).expect("fits");
    assert_eq!(endpoint_of(request), *address);
    assert_eq!(remote_of(request), *address);
}

/// The `addr` nest of a request, decoded.
fn endpoint_of(request: &[u8]) -> Address {
    let message = Message::parse(request).expect("a request parses");
    assert_eq!(message.len(), request.len());
    parse_endpoint(&message).expect("a request's addr decodes")
}

/// The `addr-remote` nest of a request, decoded.
fn remote_of(request: &[u8]) -> Address {
    let message = Message::parse(request).expect("a request parses");
    let (_, attrs) = split(&message).expect("a genl request");
    let index = Index::<PmAttrs>::parse(attrs).expect("a request indexes");
    let nest = index
        .get(PmAttrs::ADDR_REMOTE)
        .expect("addr-remote written");
    Address::from_index(&nest.parse().expect("the nest indexes")).expect("it decodes")
}

/// Limits survive a `set-limits` request (whose attributes a `get-limits`
/// reply shares).
fn check_limits(limits: &Limits) {
    display(limits);
    debug(limits);
    let mut buf = [0u8; 64];
    let request = mptcp::set_limits(&mut buf, FAMILY_ID, 1, limits).expect("fits");
    let message = Message::parse(request).expect("a request parses");
    assert_eq!(Limits::parse(&message), Ok(*limits));
}
