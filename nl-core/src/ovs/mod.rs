//! Open vSwitch: the datapath (`ovs_datapath`), its ports (`ovs_vport`)
//! and its flow table (`ovs_flow`), generic netlink families.
//!
//! Specs: `ovs_datapath.yaml`, `ovs_vport.yaml`, `ovs_flow.yaml`; header:
//! `linux/openvswitch.h`. Where they disagree the header (the kernel's ABI)
//! wins, and the item says so.
//!
//! ```text
//! nlmsghdr (16) | genlmsghdr (4): cmd, version | ovs_header (4): dp_ifindex | attributes
//!   ovs_datapath (version 2): DatapathAttrs
//!   ovs_vport    (version 1): VportAttrs ── options: VportOptionAttrs
//!                                        └─ upcall-stats: UpcallStatsAttrs
//!   ovs_flow     (version 1): FlowAttrs ─┬─ key, mask: KeyAttrs
//!                                        └─ actions: ActionAttrs
//! ```
//!
//! - [`header`]: `ovs_header`, names, versions, groups, commands.
//! - [`datapath`]: datapaths, read ([`Datapath`](datapath::Datapath)) and
//!   requested.
//! - [`vport`]: ports, read ([`Vport`](vport::Vport)) and requested.
//! - [`flow`]: flows, read ([`Flow`](flow::Flow)) and requested; keys and actions.
//! - [`u32_list`]: the packed u32 arrays of upcall port ids.
//!
//! ```
//! use nl_core::nlmsg::Message;
//! use nl_core::ovs::vport::{self, Vport, VportOptions, VportSpec, VportType};
//!
//! // `ovs-dpctl add-if ovs-system vxlan0,type=vxlan,dst_port=4789` to the
//! // family id nlctrl resolved for "ovs_vport" (0x22 here), datapath 5.
//! let spec = VportSpec {
//!     ty: Some(VportType::Vxlan),
//!     name: Some("vxlan0"),
//!     options: Some(VportOptions { dst_port: Some(4789), gbp: false }),
//!     upcall_pids: Some(&[100]),
//!     ..VportSpec::default()
//! };
//! let mut buf = [0u8; 128];
//! let request = vport::request::new(&mut buf, 0x22, 1, 5, &spec).unwrap();
//! assert_eq!(request.len(), 64);
//!
//! // It reads back as a port, as a reply would.
//! let port = Vport::parse(&Message::parse(request).unwrap()).unwrap();
//! assert_eq!(port.options(), spec.options);
//! assert_eq!(port.to_string(), "port ?: vxlan0 (vxlan: dst_port=4789)");
//! ```
//!
//! The kernel here has no openvswitch module: these codecs are proven with
//! byte vectors derived from `linux/openvswitch.h`, round trips and fuzzing.

pub mod datapath;
pub mod flow;
pub mod header;
pub mod u32_list;
pub mod vport;

pub use header::{Cmd, OvsHeader};
