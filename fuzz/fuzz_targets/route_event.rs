//! rtnetlink notifications: `RouteEvent::parse` over every message of the
//! input, with what the link, address, route, neighbour and rule views
//! read on demand (link info and its kind data, alternative names, route
//! metrics, next hops and `RTA_VIA`, neighbour link addresses) and the
//! `Display` and `Debug` of each. Seeded with notifications captured from
//! the kernel (`capture_route_events.py`).
//!
//! Properties: nothing panics; exactly the ten notification types decode
//! (any other is `UnexpectedType`); an event reports the type it came as,
//! its name says `new`/`del` as `is_delete` does, and its group matches
//! the view's family.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::Error;
use nl_core::nlmsg::Messages;
use nl_core::route::event::RouteEvent;
use nl_core::route::{AddressFamily, group};
use nl_fuzz::{debug, display};

/// `RTM_NEWLINK`…`RTM_DELRULE`, the types a notification can have.
const EVENT_TYPES: [u16; 10] = [16, 17, 20, 21, 24, 25, 28, 29, 32, 33];

fuzz_target!(|data: &[u8]| {
    for message in Messages::new(data).map_while(Result::ok) {
        match RouteEvent::parse(&message) {
            Ok(event) => {
                assert_eq!(event.message_type(), message.ty());
                check(&event);
            }
            Err(Error::UnexpectedType { ty }) => {
                assert_eq!(ty, message.ty());
                assert!(!EVENT_TYPES.contains(&ty));
            }
            Err(_) => assert!(EVENT_TYPES.contains(&message.ty())),
        }
    }
});

fn check(event: &RouteEvent<'_>) {
    // RTM_DEL* are the odd types of each pair.
    assert_eq!(event.is_delete(), event.message_type() % 2 == 1);
    assert_eq!(event.name().starts_with("del"), event.is_delete());
    display(event);
    debug(event);
    display(&event.topic());
    let _ = event.ifindex();
    let by_family =
        |family: AddressFamily| matches!(family, AddressFamily::Inet | AddressFamily::Inet6);
    match event {
        RouteEvent::NewLink(l) | RouteEvent::DelLink(l) => {
            assert_eq!(event.group(), Some(group::LINK));
            display(l);
            if let Ok(Some(info)) = l.linkinfo() {
                debug(&info);
                let _ = info.data().map(|data| data.map(|d| debug(&d)));
            }
            if let Ok(names) = l.alt_names() {
                names.for_each(|name| {
                    display(&name);
                });
            }
            let _ = l.stats64().map(|s| debug(s));
        }
        RouteEvent::NewAddr(a) | RouteEvent::DelAddr(a) => {
            assert_eq!(event.group().is_some(), by_family(a.family()));
            display(a);
        }
        RouteEvent::NewRoute(r) | RouteEvent::DelRoute(r) => {
            assert_eq!(event.group().is_some(), by_family(r.family()));
            display(r);
            if let Some(Ok(metrics)) = r.metrics() {
                display(&metrics);
                metrics.values().for_each(drop);
            }
            if let Some(via) = r.via() {
                let _ = via.map(|v| debug(&v));
            }
            for hop in r.multipath() {
                match hop {
                    Ok(hop) => {
                        debug(&hop);
                    }
                    Err(_) => break,
                }
            }
        }
        RouteEvent::NewNeigh(n) | RouteEvent::DelNeigh(n) => {
            assert_eq!(event.group(), Some(group::NEIGH));
            display(n);
            let _ = n.lladdr().map(|l| debug(&l));
        }
        RouteEvent::NewRule(r) | RouteEvent::DelRule(r) => {
            assert_eq!(event.group().is_some(), by_family(r.family()));
            display(r);
        }
    }
}
