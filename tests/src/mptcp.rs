//! Real MPTCP connections over loopback, for the mptcp_pm live tests.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

use socket2::{Domain, Protocol, Socket, Type};

/// `IPPROTO_MPTCP` (linux/in.h).
pub const IPPROTO_MPTCP: i32 = 262;

/// An MPTCP socket of the family of `addr`.
fn mptcp_socket(addr: &SocketAddr) -> Socket {
    Socket::new(
        Domain::for_address(*addr),
        Type::STREAM,
        Some(Protocol::from(IPPROTO_MPTCP)),
    )
    .expect("an IPPROTO_MPTCP socket (net.mptcp.enabled = 1)")
}

/// An MPTCP listener bound to `addr` (port 0: any free port).
pub fn listen(addr: SocketAddr) -> TcpListener {
    let socket = mptcp_socket(&addr);
    socket.bind(&addr.into()).expect("bind the MPTCP listener");
    socket.listen(16).expect("listen");
    socket.into()
}

/// One MPTCP connection: both ends, and the addresses of each.
pub struct Connection {
    /// The connecting end.
    pub client: TcpStream,
    /// The accepted end.
    pub server: TcpStream,
    /// The client's address (its first subflow's).
    pub client_addr: SocketAddr,
    /// The address the client connected to.
    pub server_addr: SocketAddr,
}

/// Connects to `listener` (an MPTCP listener on `to`'s port) over MPTCP,
/// accepts, and exchanges one byte each way so both ends are established.
pub fn connect(listener: &TcpListener, to: SocketAddr) -> Connection {
    let socket = mptcp_socket(&to);
    socket.connect(&to.into()).expect("connect over MPTCP");
    let mut client: TcpStream = socket.into();
    let (mut server, client_addr) = listener.accept().expect("accept");
    client.write_all(b"c").unwrap();
    server.write_all(b"s").unwrap();
    let mut byte = [0u8; 1];
    server.read_exact(&mut byte).unwrap();
    client.read_exact(&mut byte).unwrap();
    Connection {
        client,
        server,
        client_addr,
        server_addr: to,
    }
}
