//! `ovs_flow`: the datapath's flow table.

pub mod action;
pub mod key;
