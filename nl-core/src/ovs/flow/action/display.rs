//! `Display` for actions, in the words of `ovs-dpctl dump-flows` (see the
//! module documentation of `action`).

use core::fmt::{self, Display, Formatter, Write};
use core::net::IpAddr;

use crate::Error;
use crate::ovs::flow::key::KeyAttrs;
use crate::table::AttrSet;

use super::MAX_ACTION_DEPTH;
use super::reader::{Action, Actions, Ct, Nat};
use super::structs::{OVS_HASH_ALG_L4, OVS_HASH_ALG_SYM_L4};

impl Display for Actions<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        list(f, self.clone(), 0)
    }
}

impl Display for Action<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        action(f, self, 0)
    }
}

fn error(f: &mut Formatter<'_>, err: Error) -> fmt::Result {
    write!(f, "error({})", err.message())
}

/// Prints a list at `depth` (the flow's own list is 0).
fn list(f: &mut Formatter<'_>, actions: Actions<'_>, depth: usize) -> fmt::Result {
    if depth > MAX_ACTION_DEPTH {
        return error(f, Error::TooDeep);
    }
    if actions.is_empty() {
        return f.write_str("drop");
    }
    for (i, item) in actions.enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        match item {
            Ok(a) => action(f, &a, depth)?,
            Err(e) => return error(f, e),
        }
    }
    Ok(())
}

fn hex(f: &mut Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

fn mac(f: &mut Formatter<'_>, m: &[u8; 6]) -> fmt::Result {
    let [a, b, c, d, e, g] = *m;
    write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
}

fn key_name(f: &mut Formatter<'_>, ty: u16) -> fmt::Result {
    match <KeyAttrs as AttrSet>::table().name_of(ty) {
        Some(name) => f.write_str(name),
        None => write!(f, "key{ty}"),
    }
}

/// Label, TC, TTL and bottom-of-stack of an MPLS label stack entry.
fn lse(f: &mut Formatter<'_>, lse: u32) -> fmt::Result {
    write!(
        f,
        "label={},tc={},ttl={},bos={}",
        lse >> 12,
        (lse >> 9) & 7,
        lse & 0xff,
        (lse >> 8) & 1
    )
}

fn action(f: &mut Formatter<'_>, a: &Action<'_>, depth: usize) -> fmt::Result {
    match a {
        Action::Output(port) => write!(f, "{port}"),
        Action::Userspace(u) => {
            write!(f, "userspace(pid={}", u.pid)?;
            if let Some(data) = u.userdata {
                f.write_str(",userdata(")?;
                hex(f, data)?;
                f.write_char(')')?;
            }
            if u.actions {
                f.write_str(",actions")?;
            }
            if let Some(port) = u.egress_tun_port {
                write!(f, ",tunnel_out_port={port}")?;
            }
            f.write_char(')')
        }
        Action::Set(key) => {
            f.write_str("set(")?;
            key_name(f, key.ty())?;
            f.write_char('(')?;
            hex(f, key.value)?;
            f.write_str("))")
        }
        Action::SetMasked(key) => {
            f.write_str("set(")?;
            key_name(f, key.ty())?;
            f.write_char('(')?;
            hex(f, key.value)?;
            f.write_char('/')?;
            hex(f, key.mask)?;
            f.write_str("))")
        }
        Action::PushVlan(v) => {
            let (tpid, tci) = (v.vlan_tpid.get(), v.vlan_tci.get());
            f.write_str("push_vlan(")?;
            if tpid != super::structs::ETH_P_8021Q {
                write!(f, "tpid={tpid:#06x},")?;
            }
            write!(f, "vid={},pcp={}", tci & 0xfff, tci >> 13)?;
            if tci & 0x1000 == 0 {
                f.write_str(",cfi=0")?;
            }
            f.write_char(')')
        }
        Action::PopVlan => f.write_str("pop_vlan"),
        Action::Sample(s) => {
            let percent = f64::from(s.probability) * 100.0 / f64::from(u32::MAX);
            write!(f, "sample(sample={percent:.1}%,actions(")?;
            list(f, s.actions.clone(), depth + 1)?;
            f.write_str("))")
        }
        Action::Recirc(id) => write!(f, "recirc({id:#x})"),
        Action::Hash(h) => match h.hash_alg.get() {
            OVS_HASH_ALG_L4 => write!(f, "hash(l4({}))", h.hash_basis.get()),
            OVS_HASH_ALG_SYM_L4 => write!(f, "hash(sym_l4({}))", h.hash_basis.get()),
            alg => write!(f, "hash(alg{alg}({}))", h.hash_basis.get()),
        },
        Action::PushMpls(m) => {
            f.write_str("push_mpls(")?;
            lse(f, m.mpls_lse.get())?;
            write!(f, ",eth_type={:#x})", m.mpls_ethertype.get())
        }
        Action::PopMpls(ethertype) => write!(f, "pop_mpls(eth_type={ethertype:#x})"),
        Action::Ct(ct) => write!(f, "{ct}"),
        Action::Trunc(len) => write!(f, "trunc({len})"),
        Action::PushEth(e) => {
            f.write_str("push_eth(src=")?;
            mac(f, &e.eth_src)?;
            f.write_str(",dst=")?;
            mac(f, &e.eth_dst)?;
            f.write_char(')')
        }
        Action::PopEth => f.write_str("pop_eth"),
        Action::CtClear => f.write_str("ct_clear"),
        Action::PushNsh(bytes) => {
            f.write_str("push_nsh(")?;
            hex(f, bytes)?;
            f.write_char(')')
        }
        Action::PopNsh => f.write_str("pop_nsh"),
        Action::Meter(id) => write!(f, "meter({id})"),
        Action::Clone(actions) => {
            f.write_str("clone(")?;
            list(f, actions.clone(), depth + 1)?;
            f.write_char(')')
        }
        Action::CheckPktLen(c) => {
            write!(f, "check_pkt_len(size={},gt(", c.pkt_len)?;
            list(f, c.if_greater.clone(), depth + 1)?;
            f.write_str("),le(")?;
            list(f, c.if_less_equal.clone(), depth + 1)?;
            f.write_str("))")
        }
        Action::AddMpls(m) => {
            f.write_str("add_mpls(")?;
            lse(f, m.mpls_lse.get())?;
            write!(f, ",eth_type={:#x}", m.mpls_ethertype.get())?;
            if m.tun_flags.get() != 0 {
                write!(f, ",tun_flags={:#x}", m.tun_flags.get())?;
            }
            f.write_char(')')
        }
        Action::DecTtl(actions) => {
            f.write_str("dec_ttl(le_1(")?;
            list(f, actions.clone(), depth + 1)?;
            f.write_str("))")
        }
        Action::Drop(0) => f.write_str("drop"),
        Action::Drop(code) => write!(f, "drop({code})"),
        Action::Psample(p) => {
            write!(f, "psample(group={}", p.group)?;
            if let Some(cookie) = p.cookie {
                f.write_str(",cookie=0x")?;
                hex(f, cookie)?;
            }
            f.write_char(')')
        }
        Action::Unknown { raw_ty, payload } => {
            write!(f, "action{}(", raw_ty & crate::attr::TYPE_MASK)?;
            hex(f, payload)?;
            f.write_char(')')
        }
    }
}

/// `ct(commit,zone=5,mark=0x1/0xff,label=0x…/0x…,helper=ftp,timeout=t,nat(…))`.
impl Display for Ct<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("ct")?;
        let mut sep = Sep::default();
        if self.commit {
            sep.next(f)?;
            f.write_str("commit")?;
        }
        if self.force_commit {
            sep.next(f)?;
            f.write_str("force_commit")?;
        }
        if let Some(zone) = self.zone {
            sep.next(f)?;
            write!(f, "zone={zone}")?;
        }
        if let Some(mark) = self.mark {
            sep.next(f)?;
            write!(f, "mark={:#x}/{:#x}", mark.value, mark.mask)?;
        }
        if let Some(labels) = &self.labels {
            sep.next(f)?;
            f.write_str("label=0x")?;
            hex(f, &labels.value)?;
            f.write_str("/0x")?;
            hex(f, &labels.mask)?;
        }
        if let Some(helper) = self.helper {
            sep.next(f)?;
            write!(f, "helper={helper}")?;
        }
        if let Some(timeout) = self.timeout {
            sep.next(f)?;
            write!(f, "timeout={timeout}")?;
        }
        if let Some(mask) = self.eventmask {
            sep.next(f)?;
            write!(f, "eventmask={mask:#x}")?;
        }
        if let Some(nat) = &self.nat {
            sep.next(f)?;
            write!(f, "{nat}")?;
        }
        sep.close(f)
    }
}

/// Writes `(` before the first item, `,` before the others, `)` at the end
/// if anything was written.
#[derive(Default)]
struct Sep(bool);

impl Sep {
    fn next(&mut self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char(if self.0 { ',' } else { '(' })?;
        self.0 = true;
        Ok(())
    }

    fn close(self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.0 { f.write_char(')') } else { Ok(()) }
    }
}

fn ip(f: &mut Formatter<'_>, addr: IpAddr) -> fmt::Result {
    match addr {
        IpAddr::V4(v4) => write!(f, "{v4}"),
        IpAddr::V6(v6) => write!(f, "[{v6}]"),
    }
}

/// `nat(src=10.0.0.1-10.0.0.9:1000-2000,persistent,hash,random)`; IPv6
/// addresses in brackets.
impl Display for Nat {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("nat")?;
        let mut sep = Sep::default();
        let kind = match (self.src, self.dst) {
            (true, false) => Some("src"),
            (false, true) => Some("dst"),
            (true, true) => Some("src,dst"),
            (false, false) => None,
        };
        if let Some(kind) = kind {
            sep.next(f)?;
            f.write_str(kind)?;
        }
        if let Some(min) = self.ip_min {
            if kind.is_none() {
                sep.next(f)?;
            }
            f.write_char('=')?;
            ip(f, min)?;
            if let Some(max) = self.ip_max {
                f.write_char('-')?;
                ip(f, max)?;
            }
        } else if let Some(max) = self.ip_max {
            sep.next(f)?;
            f.write_str("ip_max=")?;
            ip(f, max)?;
        }
        if let Some(min) = self.proto_min {
            if !sep.0 {
                sep.next(f)?;
            }
            write!(f, ":{min}")?;
            if let Some(max) = self.proto_max {
                write!(f, "-{max}")?;
            }
        } else if let Some(max) = self.proto_max {
            sep.next(f)?;
            write!(f, "proto_max={max}")?;
        }
        for (on, name) in [
            (self.persistent, "persistent"),
            (self.proto_hash, "hash"),
            (self.proto_random, "random"),
        ] {
            if on {
                sep.next(f)?;
                f.write_str(name)?;
            }
        }
        sep.close(f)
    }
}
