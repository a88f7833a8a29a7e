//! ovs_datapath: `Datapath::parse` and every getter, `Display` and `Debug`,
//! over any datagram.
//!
//! Properties: nothing panics; a datapath that decodes, written back as a
//! `set` request from what was read, decodes to the same values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::nlmsg::{Message, Messages};
use nl_core::ovs::datapath::{Datapath, DatapathSpec, request};
use nl_fuzz::{debug, display};

fuzz_target!(|data: &[u8]| {
    for message in Messages::new(data).map_while(Result::ok) {
        if let Ok(dp) = Datapath::parse(&message) {
            check(&dp);
        }
    }
});

fn check(dp: &Datapath<'_>) {
    display(dp);
    debug(dp);
    let _ = (dp.stats(), dp.megaflow_stats(), dp.cmd());
    let pids: Option<Vec<u32>> = dp.per_cpu_pids().map(|p| p.iter().collect());
    let name = dp.name().and_then(|n| n.to_str().ok());
    let spec = DatapathSpec {
        name,
        upcall_pid: dp.upcall_pid(),
        user_features: dp.user_features(),
        masks_cache_size: dp.masks_cache_size(),
        per_cpu_pids: pids.as_deref(),
        ifindex: dp.ifindex(),
    };
    let mut buf = vec![0xa5u8; 70_000];
    let Ok(bytes) = request::set(&mut buf, 0x21, 1, dp.dp_ifindex(), &spec) else {
        // Only a name with a NUL-free prefix too long is refused; never here.
        panic!("what decoded encodes");
    };
    let message = Message::parse(bytes).expect("a request parses");
    let back = Datapath::parse(&message).expect("what set writes decodes");
    assert_eq!(back.dp_ifindex(), dp.dp_ifindex());
    assert_eq!(back.name().and_then(|n| n.to_str().ok()), name);
    assert_eq!(back.upcall_pid(), dp.upcall_pid());
    assert_eq!(back.user_features(), dp.user_features());
    assert_eq!(back.masks_cache_size(), dp.masks_cache_size());
    assert_eq!(back.ifindex(), dp.ifindex());
    assert_eq!(
        back.per_cpu_pids().map(|p| p.iter().collect::<Vec<_>>()),
        pids
    );
}
