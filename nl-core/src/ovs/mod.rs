//! Open vSwitch: the datapath (`ovs_datapath`), its ports (`ovs_vport`)
//! and its flow table (`ovs_flow`), generic netlink families.
//!
//! Specs: `ovs_datapath.yaml`, `ovs_vport.yaml`, `ovs_flow.yaml`; header:
//! `linux/openvswitch.h`.

pub mod flow;
