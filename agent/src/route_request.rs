//! `RTM_NEWROUTE` / `RTM_DELROUTE` for the routes the agent's command
//! line describes, built with nl-core's message builder (`nlmsg::build`)
//! and attribute writer. The same bytes as nl-core's `new_route` /
//! `del_route` for these specs (the tests check it), without the general
//! `RouteSpec` builder (source prefixes, metrics, next hops: 3 KiB).
//!
//! ```text
//! nlmsghdr | rtmsg (12 B)                             | RTA_DST | RTA_GATEWAY or RTA_VIA | RTA_OIF | RTA_PRIORITY
//!            family dst_len 0 0 table proto scope type   (each only when given)
//!            flags
//! ```

use core::net::IpAddr;

use nl_core::nlmsg::{self, Flags};
use nl_core::route::route::{RouteAttrs, RtMsg};
use nl_core::route::{RTM_DELROUTE, RTM_NEWROUTE};
use nl_core::{Error, Writer};

use crate::attr_list;
use crate::ip::{AF_INET, wire};

/// `RT_TABLE_MAIN`, `RTPROT_BOOT`, `RTN_UNICAST`.
const TABLE_MAIN: u8 = 254;
const PROTOCOL_BOOT: u8 = 3;
const TYPE_UNICAST: u8 = 1;
/// `RT_SCOPE_UNIVERSE`, `RT_SCOPE_LINK`, `RT_SCOPE_NOWHERE` (any, for a delete).
const SCOPE_UNIVERSE: u8 = 0;
const SCOPE_LINK: u8 = 253;
const SCOPE_NOWHERE: u8 = 255;

/// A route of the command line (main table).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteRequest {
    /// Destination (`None`: the default route).
    pub dst: Option<IpAddr>,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Gateway.
    pub gateway: Option<IpAddr>,
    /// Output interface.
    pub oif: Option<u32>,
    /// Priority (`ip`'s `metric`).
    pub priority: Option<u32>,
}

impl RouteRequest {
    /// The route's family: its destination's, else its gateway's, else IPv4.
    fn family(&self) -> u8 {
        self.dst.or(self.gateway).map_or(AF_INET, |a| wire(a).0)
    }

    /// Builds the request into `buf`: `add` is `RTM_NEWROUTE` with
    /// `NLM_F_CREATE | NLM_F_EXCL` as `ip route add`
    /// (both with `NLM_F_ACK`, as nl-core's builders set it) (protocol boot, scope
    /// link without a gateway), else `RTM_DELROUTE` matching any protocol,
    /// scope and type, as `ip route del`. Nothing is written on failure.
    pub fn build<'b>(&self, buf: &'b mut [u8], seq: u32, add: bool) -> Result<&'b [u8], Error> {
        let family = self.family();
        let mut header = RtMsg {
            family,
            dst_len: self.dst_len,
            table: TABLE_MAIN,
            scope: SCOPE_NOWHERE,
            ..RtMsg::default()
        };
        let (ty, flags) = if add {
            header.protocol = PROTOCOL_BOOT;
            header.ty = TYPE_UNICAST;
            header.scope = if self.gateway.is_some() {
                SCOPE_UNIVERSE
            } else {
                SCOPE_LINK
            };
            (RTM_NEWROUTE, Flags::ACK | Flags::CREATE | Flags::EXCL)
        } else {
            (RTM_DELROUTE, Flags::ACK)
        };
        let dst = self.dst.map(wire);
        let gateway = self.gateway.map(wire);
        // A gateway of the other family goes in RTA_VIA, after its family.
        let mut via = [0u8; 18];
        let gateway_attr = gateway.as_ref().map(|(gw_family, bytes, len)| {
            let bytes = bytes.get(..*len).unwrap_or_default();
            if *gw_family == family {
                return (RouteAttrs::GATEWAY.ty(), bytes);
            }
            let (head, addr) = via.split_at_mut(2);
            head.copy_from_slice(&u16::from(*gw_family).to_ne_bytes());
            if let Some(addr) = addr.get_mut(..*len) {
                addr.copy_from_slice(bytes);
            }
            (RouteAttrs::VIA.ty(), via.get(..2 + len).unwrap_or_default())
        });
        let oif = self.oif.map(u32::to_ne_bytes);
        let priority = self.priority.map(u32::to_ne_bytes);
        let attrs = [
            dst.as_ref().map(|(_, bytes, len)| {
                (RouteAttrs::DST.ty(), bytes.get(..*len).unwrap_or_default())
            }),
            gateway_attr,
            oif.as_ref().map(|b| (RouteAttrs::OIF.ty(), &b[..])),
            priority
                .as_ref()
                .map(|b| (RouteAttrs::PRIORITY.ty(), &b[..])),
        ];
        let space = attr_list::space(&attrs)?;
        nlmsg::build(buf, ty, flags, seq, &header, space, |w: &mut Writer<'_>| {
            attr_list::put(w, &attrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use core::net::{Ipv4Addr, Ipv6Addr};

    use nl_core::route::AddressFamily;
    use nl_core::route::route::{
        RouteProtocol, RouteScope, RouteSpec, RouteType, del_route, new_route,
    };

    use super::*;

    fn v4(a: u8, b: u8, c: u8, d: u8) -> Option<IpAddr> {
        Some(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
    }

    /// nl-core's general builder for the same route, as the agent used it.
    fn reference(r: &RouteRequest, add: bool) -> std::vec::Vec<u8> {
        let family = match r.dst.or(r.gateway) {
            Some(IpAddr::V6(_)) => AddressFamily::Inet6,
            _ => AddressFamily::Inet,
        };
        let mut spec = RouteSpec {
            dst: r.dst,
            dst_len: r.dst_len,
            gateway: r.gateway,
            oif: r.oif,
            priority: r.priority,
            ..RouteSpec::new(family)
        };
        if add && r.gateway.is_none() {
            spec.scope = RouteScope::Link;
        }
        if !add {
            spec.scope = RouteScope::Nowhere;
            spec.protocol = RouteProtocol::Unspec;
            spec.kind = RouteType::Unspec;
        }
        let mut buf = [0u8; 256];
        let flags = Flags::CREATE | Flags::EXCL;
        let built = if add {
            new_route(&mut buf, 9, flags, &spec)
        } else {
            del_route(&mut buf, 9, &spec)
        };
        built.unwrap().to_vec()
    }

    #[test]
    fn the_same_bytes_as_nl_cores_route_builder() {
        let v6 = Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)));
        let routes = [
            RouteRequest {
                dst: v4(10, 2, 0, 0),
                dst_len: 16,
                gateway: v4(10, 1, 0, 254),
                oif: Some(2),
                priority: None,
            },
            RouteRequest {
                dst: v4(10, 3, 0, 0),
                dst_len: 16,
                oif: Some(2),
                priority: Some(7),
                ..RouteRequest::default()
            },
            RouteRequest {
                gateway: v4(10, 1, 0, 1),
                ..RouteRequest::default()
            },
            RouteRequest::default(),
            RouteRequest {
                dst: v6,
                dst_len: 64,
                gateway: v6,
                ..RouteRequest::default()
            },
            RouteRequest {
                dst: v4(10, 4, 0, 0),
                dst_len: 16,
                gateway: v6,
                ..RouteRequest::default()
            },
            RouteRequest {
                dst: v6,
                dst_len: 128,
                gateway: v4(10, 1, 0, 1),
                oif: Some(5),
                priority: Some(1024),
            },
        ];
        for route in routes {
            for add in [true, false] {
                let mut buf = [0u8; 256];
                let built = route.build(&mut buf, 9, add).unwrap();
                assert_eq!(built, reference(&route, add), "{route:?} add={add}");
            }
        }
    }

    #[test]
    fn no_room_writes_nothing() {
        let route = RouteRequest {
            dst: v4(10, 2, 0, 0),
            dst_len: 16,
            gateway: v4(10, 1, 0, 254),
            oif: Some(2),
            priority: Some(7),
        };
        let mut buf = [0xaa_u8; 40];
        assert!(matches!(
            route.build(&mut buf, 1, true),
            Err(Error::NoRoom { .. })
        ));
        assert!(buf.iter().all(|&b| b == 0xaa));
    }
}
