//! The MPTCP path manager (`mptcp_pm`, generic netlink) over a [`Ring`]:
//! endpoints and limits of the in-kernel path manager, the commands of the
//! userspace path manager, and the event group.
//!
//! ```no_run
//! use nl_uring::mptcp::MptcpPm;
//! use nl_uring::nl_core::mptcp::{Address, EndpointFlags};
//! use nl_uring::{GenlFamilies, Protocol, Ring, Socket};
//!
//! let mut ring = Ring::new();
//! let mut socket = Socket::open(Protocol::Generic)?;
//! let pm = MptcpPm::resolve(&mut socket, &mut GenlFamilies::new())?;
//! let mut endpoint = Address::new("10.0.0.1".parse().unwrap());
//! endpoint.id = Some(1);
//! endpoint.flags = EndpointFlags(EndpointFlags::SIGNAL);
//! pm.add_endpoint(&mut ring, &mut socket, &endpoint)?;
//! for endpoint in pm.endpoints(&mut ring, &mut socket)? {
//!     println!("{endpoint}");
//! }
//! # Ok::<(), nl_uring::Error>(())
//! ```

use std::ops::ControlFlow;
use std::time::Duration;

use nl_core::mptcp::{self, Address, Cmd, Event, Limits};
use nl_core::nlmsg::Message;

use crate::error::Error;
use crate::genl::{GenlFamilies, check_generic};
use crate::ring::Ring;
use crate::socket::Socket;

/// Room for the longest request: headers, a token and two full address nests.
const REQUEST_LEN: usize = 256;

/// The `mptcp_pm` family as this kernel registered it: its id and its
/// event group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MptcpPm {
    id: u16,
    events: Option<u32>,
}

impl MptcpPm {
    /// Resolves the family through nlctrl on `socket` (a
    /// [`Protocol::Generic`](crate::Protocol::Generic) socket). A kernel without MPTCP answers
    /// `ENOENT`.
    pub fn resolve(socket: &mut Socket, families: &mut GenlFamilies) -> Result<MptcpPm, Error> {
        let family = families.resolve(socket, mptcp::FAMILY_NAME)?;
        Ok(MptcpPm {
            id: family.id,
            events: family.group(mptcp::EVENTS_GROUP),
        })
    }

    /// The family id: the `nlmsg_type` of its messages.
    pub fn id(&self) -> u16 {
        self.id
    }

    /// Joins the `mptcp_pm_events` group on `socket`, for [`Ring::mptcp_events`].
    pub fn join_events(&self, socket: &Socket) -> Result<(), Error> {
        let group = self.events.ok_or(Error::InvalidRequest(
            "this kernel's mptcp_pm family has no mptcp_pm_events group",
        ))?;
        socket.join_group(group)?;
        Ok(())
    }

    /// Adds an endpoint to the in-kernel path manager (`ip mptcp endpoint add`).
    pub fn add_endpoint(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        endpoint: &Address,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::AddAddr, |buf, seq| {
            mptcp::add_addr(buf, self.id, seq, endpoint)
        })
    }

    /// Deletes an endpoint, by id (and by address for id 0).
    pub fn del_endpoint(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        endpoint: &Address,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::DelAddr, |buf, seq| {
            mptcp::del_addr(buf, self.id, seq, endpoint)
        })
    }

    /// Deletes every endpoint (`ip mptcp endpoint flush`).
    pub fn flush_endpoints(&self, ring: &mut Ring, socket: &mut Socket) -> Result<(), Error> {
        self.request(ring, socket, Cmd::FlushAddrs, |buf, seq| {
            mptcp::flush_addrs(buf, self.id, seq)
        })
    }

    /// The endpoint with id `id`.
    pub fn endpoint(&self, ring: &mut Ring, socket: &mut Socket, id: u8) -> Result<Address, Error> {
        let mut buf = [0u8; REQUEST_LEN];
        let request = mptcp::get_addr(&mut buf, self.id, socket.next_seq(), id, None)?;
        let mut found = None;
        ring.request_with(socket, request, Some(mptcp::layout(Cmd::GetAddr)), |m| {
            found = Some(mptcp::parse_endpoint(&m)?);
            Ok::<(), Error>(())
        })?;
        found.ok_or(Error::MissingReply)
    }

    /// Every endpoint of the in-kernel path manager, in the kernel's order.
    pub fn endpoints(&self, ring: &mut Ring, socket: &mut Socket) -> Result<Vec<Address>, Error> {
        self.dump_addrs(ring, socket, None)
    }

    /// The local addresses the userspace path manager announced on the
    /// connection `token`.
    pub fn connection_addresses(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        token: u32,
    ) -> Result<Vec<Address>, Error> {
        self.dump_addrs(ring, socket, Some(token))
    }

    fn dump_addrs(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        token: Option<u32>,
    ) -> Result<Vec<Address>, Error> {
        let mut buf = [0u8; REQUEST_LEN];
        let request = mptcp::dump_addrs(&mut buf, self.id, socket.next_seq(), token)?;
        let mut found = Vec::new();
        ring.try_dump(socket, request, Some(mptcp::layout(Cmd::GetAddr)), |m| {
            found.push(mptcp::parse_endpoint(&m)?);
            Ok::<(), Error>(())
        })?;
        Ok(found)
    }

    /// The in-kernel path manager's limits (`ip mptcp limits show`).
    pub fn limits(&self, ring: &mut Ring, socket: &mut Socket) -> Result<Limits, Error> {
        let mut buf = [0u8; REQUEST_LEN];
        let request = mptcp::get_limits(&mut buf, self.id, socket.next_seq())?;
        let mut found = None;
        ring.request_with(socket, request, Some(mptcp::layout(Cmd::GetLimits)), |m| {
            found = Some(Limits::parse(&m)?);
            Ok::<(), Error>(())
        })?;
        found.ok_or(Error::MissingReply)
    }

    /// Sets the limits given (`None` fields are left as they are).
    pub fn set_limits(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        limits: &Limits,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::SetLimits, |buf, seq| {
            mptcp::set_limits(buf, self.id, seq, limits)
        })
    }

    /// Changes an endpoint's flags (`backup`, `fullmesh`); with `token`,
    /// the flags of a userspace path manager's subflow from `address` to
    /// `remote`.
    pub fn set_flags(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        address: &Address,
        token: Option<u32>,
        remote: Option<&Address>,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::SetFlags, |buf, seq| {
            mptcp::set_flags(buf, self.id, seq, address, token, remote)
        })
    }

    /// Userspace path manager: announces `address` (with its id) to the
    /// peer of connection `token` (ADD_ADDR).
    pub fn announce(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        token: u32,
        address: &Address,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::Announce, |buf, seq| {
            mptcp::announce(buf, self.id, seq, token, address)
        })
    }

    /// Userspace path manager: withdraws the address with id `loc_id` from
    /// connection `token` (REMOVE_ADDR).
    pub fn remove(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        token: u32,
        loc_id: u8,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::Remove, |buf, seq| {
            mptcp::remove(buf, self.id, seq, token, loc_id)
        })
    }

    /// Userspace path manager: opens a subflow of connection `token` from
    /// `local` to `remote`.
    pub fn subflow_create(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        token: u32,
        local: &Address,
        remote: &Address,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::SubflowCreate, |buf, seq| {
            mptcp::subflow_create(buf, self.id, seq, token, local, remote)
        })
    }

    /// Userspace path manager: closes the subflow of connection `token`
    /// from `local` to `remote` (both with their ports).
    pub fn subflow_destroy(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        token: u32,
        local: &Address,
        remote: &Address,
    ) -> Result<(), Error> {
        self.request(ring, socket, Cmd::SubflowDestroy, |buf, seq| {
            mptcp::subflow_destroy(buf, self.id, seq, token, local, remote)
        })
    }

    /// Builds one request with the socket's next sequence number and waits
    /// for its ACK; a kernel error names the attribute it points at.
    fn request(
        &self,
        ring: &mut Ring,
        socket: &mut Socket,
        cmd: Cmd,
        build: impl FnOnce(&mut [u8], u32) -> Result<&[u8], nl_core::Error>,
    ) -> Result<(), Error> {
        check_generic(socket)?;
        let mut buf = [0u8; REQUEST_LEN];
        let request = build(&mut buf, socket.next_seq())?;
        ring.request(socket, request, Some(mptcp::layout(cmd)))?;
        Ok(())
    }
}

impl Ring {
    /// Streams the MPTCP events arriving on `socket` (after
    /// [`MptcpPm::join_events`]) to `f`, decoded, until `f` breaks or
    /// `timeout` passes; returns how many events `f` saw. An event that
    /// does not decode is [`Error::Codec`], returned, never skipped (the
    /// messages after it stay queued for the next call); an overrun is
    /// [`Error::Overrun`] as in [`Ring::events`].
    pub fn mptcp_events(
        &mut self,
        socket: &mut Socket,
        timeout: Option<Duration>,
        mut f: impl FnMut(Event) -> ControlFlow<()>,
    ) -> Result<usize, Error> {
        self.events_with(socket, timeout, |message: Message<'_>| {
            Ok::<_, Error>(f(Event::parse(&message)?))
        })
    }
}
