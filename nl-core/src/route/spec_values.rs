//! The rtnetlink value sets under the names of the kernel's YAML specs
//! (`ifinfo-flags`, `ifa-flags`, `nud-state`…), which `nl decode` prints.
//! The sets elsewhere in `route` use iproute2's spellings (`LOWER_UP`,
//! `mngtmpaddr`…), which `ip` prints; values are the same.

crate::flag_set! {
    /// `IFF_*` (`ifi-flags`), spec `rt-link` `ifinfo-flags`.
    pub struct IfinfoFlags(u32) {
        /// `up`.
        UP = 0x1 => "up",
        /// `broadcast`.
        BROADCAST = 0x2 => "broadcast",
        /// `debug`.
        DEBUG = 0x4 => "debug",
        /// `loopback`.
        LOOPBACK = 0x8 => "loopback",
        /// `point-to-point`.
        POINT_TO_POINT = 0x10 => "point-to-point",
        /// `no-trailers`.
        NO_TRAILERS = 0x20 => "no-trailers",
        /// `running`.
        RUNNING = 0x40 => "running",
        /// `no-arp`.
        NO_ARP = 0x80 => "no-arp",
        /// `promisc`.
        PROMISC = 0x100 => "promisc",
        /// `all-multi`.
        ALL_MULTI = 0x200 => "all-multi",
        /// `master`.
        MASTER = 0x400 => "master",
        /// `slave`.
        SLAVE = 0x800 => "slave",
        /// `multicast`.
        MULTICAST = 0x1000 => "multicast",
        /// `portsel`.
        PORTSEL = 0x2000 => "portsel",
        /// `auto-media`.
        AUTO_MEDIA = 0x4000 => "auto-media",
        /// `dynamic`.
        DYNAMIC = 0x8000 => "dynamic",
        /// `lower-up`.
        LOWER_UP = 0x10000 => "lower-up",
        /// `dormant`.
        DORMANT = 0x20000 => "dormant",
        /// `echo`.
        ECHO = 0x40000 => "echo",
    }
}

crate::flag_set! {
    /// `RTEXT_FILTER_*` (`ext-mask`), spec `rt-link` `rtext-filter`.
    pub struct RtextFilter(u32) {
        /// `vf`.
        VF = 0x1 => "vf",
        /// `brvlan`.
        BRVLAN = 0x2 => "brvlan",
        /// `brvlan-compressed`.
        BRVLAN_COMPRESSED = 0x4 => "brvlan-compressed",
        /// `skip-stats`.
        SKIP_STATS = 0x8 => "skip-stats",
        /// `mrp`.
        MRP = 0x10 => "mrp",
        /// `cfm-config`.
        CFM_CONFIG = 0x20 => "cfm-config",
        /// `cfm-status`.
        CFM_STATUS = 0x40 => "cfm-status",
        /// `mst`.
        MST = 0x80 => "mst",
    }
}

crate::flag_set! {
    /// `IFA_F_*` (`ifa-flags`, and the `flags` attribute), spec `rt-addr` `ifa-flags`.
    pub struct IfaFlags(u32) {
        /// `secondary`.
        SECONDARY = 0x1 => "secondary",
        /// `nodad`.
        NODAD = 0x2 => "nodad",
        /// `optimistic`.
        OPTIMISTIC = 0x4 => "optimistic",
        /// `dadfailed`.
        DADFAILED = 0x8 => "dadfailed",
        /// `homeaddress`.
        HOMEADDRESS = 0x10 => "homeaddress",
        /// `deprecated`.
        DEPRECATED = 0x20 => "deprecated",
        /// `tentative`.
        TENTATIVE = 0x40 => "tentative",
        /// `permanent`.
        PERMANENT = 0x80 => "permanent",
        /// `managetempaddr`.
        MANAGETEMPADDR = 0x100 => "managetempaddr",
        /// `noprefixroute`.
        NOPREFIXROUTE = 0x200 => "noprefixroute",
        /// `mcautojoin`.
        MCAUTOJOIN = 0x400 => "mcautojoin",
        /// `stable-privacy`.
        STABLE_PRIVACY = 0x800 => "stable-privacy",
    }
}

crate::flag_set! {
    /// `NUD_*` (`ndm-state`), spec `rt-neigh` `nud-state`.
    pub struct NudStateSpec(u16) {
        /// `incomplete`.
        INCOMPLETE = 0x1 => "incomplete",
        /// `reachable`.
        REACHABLE = 0x2 => "reachable",
        /// `stale`.
        STALE = 0x4 => "stale",
        /// `delay`.
        DELAY = 0x8 => "delay",
        /// `probe`.
        PROBE = 0x10 => "probe",
        /// `failed`.
        FAILED = 0x20 => "failed",
        /// `noarp`.
        NOARP = 0x40 => "noarp",
        /// `permanent`.
        PERMANENT = 0x80 => "permanent",
    }
}

crate::flag_set! {
    /// `NTF_*` (`ndm-flags`), spec `rt-neigh` `ntf-flags`.
    pub struct NtfFlags(u8) {
        /// `use`.
        USE = 0x1 => "use",
        /// `self`.
        SELF = 0x2 => "self",
        /// `master`.
        MASTER = 0x4 => "master",
        /// `proxy`.
        PROXY = 0x8 => "proxy",
        /// `ext-learned`.
        EXT_LEARNED = 0x10 => "ext-learned",
        /// `offloaded`.
        OFFLOADED = 0x20 => "offloaded",
        /// `sticky`.
        STICKY = 0x40 => "sticky",
        /// `router`.
        ROUTER = 0x80 => "router",
    }
}

crate::flag_set! {
    /// `NTF_EXT_*` (`flags-ext`), spec `rt-neigh` `ntf-ext-flags`.
    pub struct NtfExtFlags(u32) {
        /// `managed`.
        MANAGED = 0x1 => "managed",
        /// `locked`.
        LOCKED = 0x2 => "locked",
        /// `ext-validated`.
        EXT_VALIDATED = 0x4 => "ext-validated",
    }
}

crate::value_enum! {
    /// `RTN_*` (`rtm-type`, `ndm-type`), spec `rt-route` `rtm-type`.
    pub enum RtmType(u8) {
        /// `unspec`.
        Unspec = 0 => "unspec",
        /// `unicast`.
        Unicast = 1 => "unicast",
        /// `local`.
        Local = 2 => "local",
        /// `broadcast`.
        Broadcast = 3 => "broadcast",
        /// `anycast`.
        Anycast = 4 => "anycast",
        /// `multicast`.
        Multicast = 5 => "multicast",
        /// `blackhole`.
        Blackhole = 6 => "blackhole",
        /// `unreachable`.
        Unreachable = 7 => "unreachable",
        /// `prohibit`.
        Prohibit = 8 => "prohibit",
        /// `throw`.
        Throw = 9 => "throw",
        /// `nat`.
        Nat = 10 => "nat",
        /// `xresolve`.
        Xresolve = 11 => "xresolve",
    }
}

crate::value_enum! {
    /// `FR_ACT_*` (fib-rule-hdr `action`), spec `rt-rule` `fr-act`.
    pub enum FrAct(u8) {
        /// `unspec`.
        Unspec = 0 => "unspec",
        /// `to-tbl`.
        ToTbl = 1 => "to-tbl",
        /// `goto`.
        Goto = 2 => "goto",
        /// `nop`.
        Nop = 3 => "nop",
        /// `res3`.
        Res3 = 4 => "res3",
        /// `res4`.
        Res4 = 5 => "res4",
        /// `blackhole`.
        Blackhole = 6 => "blackhole",
        /// `unreachable`.
        Unreachable = 7 => "unreachable",
        /// `prohibit`.
        Prohibit = 8 => "prohibit",
    }
}

#[cfg(test)]
mod tests {
    use core::mem::size_of;

    use super::*;
    use crate::table::{Member, WireStruct, members_fit};

    /// Every fixed header's members lie inside it, in offset order.
    fn fits<T: WireStruct>() -> bool {
        let members: &[Member] = T::MEMBERS;
        members_fit(members, size_of::<T>())
            && members
                .windows(2)
                .all(|w| w.iter().map(|m| m.offset).is_sorted())
    }

    #[test]
    fn headers_name_their_members_inside_themselves() {
        assert!(fits::<super::super::link::IfInfoMsg>());
        assert!(fits::<super::super::addr::IfAddrMsg>());
        assert!(fits::<super::super::route::RtMsg>());
        assert!(fits::<super::super::neigh::NeighHeader>());
        assert!(fits::<super::super::rule::RuleHeader>());
        assert!(fits::<super::super::tc::TcHeader>());
        assert!(fits::<crate::genl::GenlHeader>());
    }

    #[test]
    fn spec_values_match_the_uapi_headers() {
        // linux/if.h, linux/if_addr.h, linux/neighbour.h, linux/rtnetlink.h,
        // linux/fib_rules.h.
        assert_eq!(IfinfoFlags::LOWER_UP, 0x10000);
        assert_eq!(IfinfoFlags::ECHO, 0x40000);
        assert_eq!(IfaFlags::STABLE_PRIVACY, 0x800);
        assert_eq!(NudStateSpec::PERMANENT, 0x80);
        assert_eq!(NtfFlags::ROUTER, 0x80);
        assert_eq!(NtfExtFlags::EXT_VALIDATED, 0x4);
        assert_eq!(RtextFilter::MST, 0x80);
        assert_eq!(u8::from(RtmType::Xresolve), 11);
        assert_eq!(u8::from(FrAct::Prohibit), 8);
        assert_eq!(RtmType::from(1).name(), Some("unicast"));
    }
}
