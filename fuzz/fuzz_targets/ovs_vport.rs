//! ovs_vport: `Vport::parse` and every getter (options and upcall stats
//! included), `Display` and `Debug`, over any datagram.
//!
//! Properties: nothing panics; a port that decodes, written back as a
//! `set` request from what was read, decodes to the same values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::nlmsg::{Message, Messages};
use nl_core::ovs::vport::{Vport, VportOptions, VportSpec, request};
use nl_fuzz::{debug, display};

fuzz_target!(|data: &[u8]| {
    if let Ok(options) = VportOptions::parse(data) {
        display(&options);
    }
    for message in Messages::new(data).map_while(Result::ok) {
        if let Ok(port) = Vport::parse(&message) {
            check(&port);
        }
    }
});

fn check(port: &Vport<'_>) {
    display(port);
    debug(port);
    let _ = (
        port.stats(),
        port.netnsid(),
        port.upcall_stats(),
        port.cmd(),
    );
    let pids: Option<Vec<u32>> = port.upcall_pids().map(|p| p.iter().collect());
    let name = port.name().and_then(|n| n.to_str().ok());
    let spec = VportSpec {
        port_no: port.port_no(),
        ty: port.ty(),
        name,
        options: port.options(),
        upcall_pids: pids.as_deref(),
        ifindex: port.ifindex(),
    };
    let mut buf = vec![0xa5u8; 70_000];
    let bytes =
        request::set(&mut buf, 0x22, 1, port.dp_ifindex(), &spec).expect("what decoded encodes");
    let message = Message::parse(bytes).expect("a request parses");
    let back = Vport::parse(&message).expect("what set writes decodes");
    assert_eq!(back.dp_ifindex(), port.dp_ifindex());
    assert_eq!(back.port_no(), port.port_no());
    assert_eq!(back.ty(), port.ty());
    assert_eq!(back.name().and_then(|n| n.to_str().ok()), name);
    assert_eq!(back.options(), port.options());
    assert_eq!(back.ifindex(), port.ifindex());
    assert_eq!(
        back.upcall_pids().map(|p| p.iter().collect::<Vec<_>>()),
        pids
    );
}
