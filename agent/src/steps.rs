//! Applying each step: build the request with nl-core, exchange it, and
//! for `route dump` print each route as `ip route show` does.

use nl_agent::addr_request::AddrRequest;
use nl_agent::endpoint_request::EndpointRequest;
use nl_agent::put::Put;
use nl_agent::route_line::RouteLine;
use nl_agent::route_request::RouteRequest;

use nl_core::genl::ctrl;
use nl_core::mptcp;
use nl_core::route::AddressFamily;
use nl_core::route::link::{self, LinkRef};
use nl_core::route::route::{DumpFilter, RouteTable, dump_routes};

use crate::args::{AddrArgs, EndpointArgs, RouteArgs, Step};
use crate::names::Names;
use crate::netlink::{Conn, Failure, RECV_LEN};
use crate::out::Out;
use crate::replies;

/// Room for one request.
const SEND_LEN: usize = 8 * 1024;
const NETLINK_ROUTE: u32 = 0;
const NETLINK_GENERIC: u32 = 16;

/// The sockets (opened when first needed) and the buffers of a run.
pub(crate) struct Agent {
    route: Option<Conn>,
    genl: Option<Conn>,
    mptcp_family: Option<u16>,
    send: [u8; SEND_LEN],
    recv: [u8; RECV_LEN],
}

impl Agent {
    /// No socket open yet.
    pub(crate) fn new() -> Self {
        Agent {
            route: None,
            genl: None,
            mptcp_family: None,
            send: [0; SEND_LEN],
            recv: [0; RECV_LEN],
        }
    }

    /// Applies `step`; `route dump` prints to `out`.
    pub(crate) fn run(&mut self, step: &Step, out: &mut Out) -> Result<(), Failure> {
        match step {
            Step::AddrAdd(a) => self.addr(a, true),
            Step::AddrDel(a) => self.addr(a, false),
            Step::RouteAdd(r) => self.route(r, true),
            Step::RouteDel(r) => self.route(r, false),
            Step::RouteDump => self.dump_routes(out),
            Step::EndpointAdd(e) => self.endpoint_add(e),
            Step::EndpointDel(id) => self.endpoint_del(*id),
        }
    }

    /// The index of interface `name` (`RTM_GETLINK` with `IFLA_IFNAME`).
    fn ifindex(&mut self, name: &str) -> Result<i32, Failure> {
        let conn = open(&mut self.route, NETLINK_ROUTE)?;
        let seq = conn.next_seq();
        let len = link::get_link(&mut self.send, seq, LinkRef::Name(name))?.len();
        let mut index = None;
        conn.exchange(
            request_bytes(&mut self.send, len)?,
            &mut self.recv,
            &mut |m| {
                index = Some(replies::link_index(&m)?);
                Ok(())
            },
        )?;
        index.ok_or(Failure::NoAnswer)
    }

    fn addr(&mut self, a: &AddrArgs, add: bool) -> Result<(), Failure> {
        let request = AddrRequest {
            index: self.ifindex(a.dev)?.unsigned_abs(),
            local: a.local,
            prefixlen: a.len,
        };
        let conn = open(&mut self.route, NETLINK_ROUTE)?;
        let seq = conn.next_seq();
        let len = request.build(&mut self.send, seq, add)?.len();
        conn.exchange(
            request_bytes(&mut self.send, len)?,
            &mut self.recv,
            &mut ignore,
        )
    }

    fn route(&mut self, r: &RouteArgs, add: bool) -> Result<(), Failure> {
        let oif = match r.dev {
            Some(dev) => Some(self.ifindex(dev)?.unsigned_abs()),
            None => None,
        };
        let request = RouteRequest {
            dst: r.dst.addr,
            dst_len: r.dst.len,
            gateway: r.via,
            oif,
            priority: r.metric,
        };
        let conn = open(&mut self.route, NETLINK_ROUTE)?;
        let seq = conn.next_seq();
        let len = request.build(&mut self.send, seq, add)?.len();
        conn.exchange(
            request_bytes(&mut self.send, len)?,
            &mut self.recv,
            &mut ignore,
        )
    }

    /// Prints the IPv4 main table, one route a line, as `ip route show`.
    fn dump_routes(&mut self, out: &mut Out) -> Result<(), Failure> {
        let main: u32 = RouteTable::Main.into();
        let filter = DumpFilter {
            table: Some(main),
            ..DumpFilter::family(AddressFamily::Inet)
        };
        // Interface names come from a second socket: this one is busy
        // with the dump.
        let mut names = Names::new(Conn::open(NETLINK_ROUTE)?);
        let conn = open(&mut self.route, NETLINK_ROUTE)?;
        let seq = conn.next_seq();
        let len = dump_routes(&mut self.send, seq, &filter)?.len();
        conn.exchange(
            request_bytes(&mut self.send, len)?,
            &mut self.recv,
            &mut |m| {
                let route = RouteLine::parse(&m)?;
                // Cache clones are not table entries; the table filter is
                // checked again in case the kernel did not apply it.
                if route.is_cloned() || route.table() != main {
                    return Ok(());
                }
                route.interfaces(|index| names.learn(index))?;
                route.put(out, &|index| names.get(index));
                out.put(b"\n");
                Ok(())
            },
        )
    }

    /// The id of the `mptcp_pm` family, asked of nlctrl once.
    fn mptcp_family(&mut self) -> Result<u16, Failure> {
        if let Some(id) = self.mptcp_family {
            return Ok(id);
        }
        let conn = open(&mut self.genl, NETLINK_GENERIC)?;
        let seq = conn.next_seq();
        let len = ctrl::get_family_by_name(&mut self.send, seq, mptcp::FAMILY_NAME)?.len();
        let mut id = None;
        conn.exchange(
            request_bytes(&mut self.send, len)?,
            &mut self.recv,
            &mut |m| {
                id = Some(replies::family_id(&m)?);
                Ok(())
            },
        )?;
        let id = id.ok_or(Failure::NoAnswer)?;
        self.mptcp_family = Some(id);
        Ok(id)
    }

    fn endpoint_add(&mut self, e: &EndpointArgs) -> Result<(), Failure> {
        let ifindex = match e.dev {
            Some(dev) => Some(self.ifindex(dev)?),
            None => None,
        };
        let endpoint = EndpointRequest {
            id: e.id,
            addr: Some(e.addr),
            port: e.port,
            flags: e.flags,
            ifindex,
        };
        self.endpoint(&endpoint, true)
    }

    fn endpoint_del(&mut self, id: u8) -> Result<(), Failure> {
        let endpoint = EndpointRequest {
            id: Some(id),
            ..EndpointRequest::default()
        };
        self.endpoint(&endpoint, false)
    }

    /// Builds `add-addr` (`add`) or `del-addr` for `endpoint` and exchanges it.
    fn endpoint(&mut self, endpoint: &EndpointRequest, add: bool) -> Result<(), Failure> {
        let family = self.mptcp_family()?;
        let conn = open(&mut self.genl, NETLINK_GENERIC)?;
        let seq = conn.next_seq();
        let len = endpoint.build(&mut self.send, family, seq, add)?.len();
        conn.exchange(
            request_bytes(&mut self.send, len)?,
            &mut self.recv,
            &mut ignore,
        )
    }
}

/// The socket in `slot`, opened on first use with netlink `protocol`.
fn open(slot: &mut Option<Conn>, protocol: u32) -> Result<&mut Conn, Failure> {
    match slot {
        Some(conn) => Ok(conn),
        None => Ok(slot.insert(Conn::open(protocol)?)),
    }
}

/// The request an nl-core builder wrote at the start of `send` (`len`
/// bytes, which the builder checked fit).
fn request_bytes(send: &mut [u8], len: usize) -> Result<&mut [u8], Failure> {
    send.get_mut(..len)
        .ok_or(Failure::Codec(nl_core::Error::Truncated))
}

/// For requests whose only answer is the ACK: a data reply is unexpected.
fn ignore(m: nl_core::nlmsg::Message<'_>) -> Result<(), Failure> {
    Err(Failure::Codec(nl_core::Error::UnexpectedType {
        ty: m.ty(),
    }))
}
