//! The agent's pure parts, with no system calls: IP address parsing and
//! printing, decimal output, and the `ip route show` line printer. They
//! live in a library so that the host's test harness can test them
//! (`cargo test --lib` inside `agent/`, see `check.sh`); the executable
//! (`main.rs`) uses them from here.

#![no_std]
#![forbid(unsafe_code)]

#[cfg(test)]
extern crate std;

pub mod addr_request;
mod attr_list;
pub mod decimal;
pub mod endpoint_request;
pub mod ip;
mod next_hops;
pub mod put;
pub mod reply;
pub mod route_line;
pub mod route_request;
