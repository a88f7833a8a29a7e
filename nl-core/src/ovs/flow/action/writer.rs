//! Writing action lists (see the module documentation of `action`).

use crate::table::{AttrPut, Field};
use crate::{Error, Writer};

use super::MAX_ACTION_DEPTH;
use super::reader::{Action, Actions, CT_LABELS_LEN, Ct, Nat, Psample, Userspace};
use super::sets::{
    ActionAttrs, CheckPktLenAttrs, CtAttrs, DecTtlAttrs, NatAttrs, PsampleAttrs, SampleAttrs,
    UserspaceAttrs,
};
use super::structs::{AddMpls, Hash, PushEth, PushMpls, PushVlan, Trunc};

/// Appends actions to a [`Writer`] (the payload of an actions nest, or a
/// nested list while inside a closure).
#[derive(Debug)]
pub struct ActionWriter<'w, 'b> {
    w: &'w mut Writer<'b>,
    depth: usize,
}

/// A closure writing a nested action list.
pub trait ListFn<'b>: FnOnce(&mut ActionWriter<'_, 'b>) -> Result<(), Error> {}

impl<'b, F: FnOnce(&mut ActionWriter<'_, 'b>) -> Result<(), Error>> ListFn<'b> for F {}

impl<'w, 'b> ActionWriter<'w, 'b> {
    /// Appends to `w`, as a flow's own list (depth 0).
    pub fn new(w: &'w mut Writer<'b>) -> Self {
        ActionWriter { w, depth: 0 }
    }

    /// The underlying writer.
    pub fn writer(&mut self) -> &mut Writer<'b> {
        self.w
    }

    /// The depth of the list being written (the flow's own list is 0).
    pub fn depth(&self) -> usize {
        self.depth
    }

    fn put<S, K: AttrPut>(&mut self, field: Field<S, K>, value: K::Input<'_>) -> Result<(), Error> {
        self.w.put(field, value)
    }

    /// Runs `f` inside a nest of type `ty`; cancels the nest if anything fails.
    fn within<F>(&mut self, ty: u16, f: F) -> Result<(), Error>
    where
        F: FnOnce(&mut Self) -> Result<(), Error>,
    {
        let start = self.w.nest_start(ty)?;
        match f(self) {
            Ok(()) => self.w.nest_end(start),
            Err(e) => {
                self.w.nest_cancel(start);
                Err(e)
            }
        }
    }

    /// Writes a nested action list of type `ty` one level deeper.
    fn list<F: ListFn<'b>>(&mut self, ty: u16, f: F) -> Result<(), Error> {
        let depth = self.depth + 1;
        if depth > MAX_ACTION_DEPTH {
            return Err(Error::TooDeep);
        }
        self.within(ty, |s| {
            f(&mut ActionWriter {
                w: &mut *s.w,
                depth,
            })
        })
    }

    /// `output`: send to datapath port `port`.
    pub fn output(&mut self, port: u32) -> Result<(), Error> {
        self.put(ActionAttrs::OUTPUT, port)
    }

    /// `userspace`: send the packet up to `u.pid`.
    pub fn userspace(&mut self, u: &Userspace<'_>) -> Result<(), Error> {
        self.within(ActionAttrs::USERSPACE.ty(), |s| {
            s.put(UserspaceAttrs::PID, u.pid)?;
            if let Some(data) = u.userdata {
                s.put(UserspaceAttrs::USERDATA, data)?;
            }
            if let Some(port) = u.egress_tun_port {
                s.put(UserspaceAttrs::EGRESS_TUN_PORT, port)?;
            }
            if u.actions {
                s.put(UserspaceAttrs::ACTIONS, ())?;
            }
            Ok(())
        })
    }

    /// `set`: one key attribute `key_ty` (written as given, flag bits
    /// included) with the header's new `value`.
    pub fn set(&mut self, key_ty: u16, value: &[u8]) -> Result<(), Error> {
        self.within(ActionAttrs::SET.ty(), |s| s.w.attr(key_ty, value))
    }

    /// `set` of a nested key attribute (`tunnel`): `f` writes the nest's
    /// content; `NLA_F_NESTED` is set on it.
    pub fn set_nested<F>(&mut self, key_ty: u16, f: F) -> Result<(), Error>
    where
        F: FnOnce(&mut Writer<'b>) -> Result<(), Error>,
    {
        self.within(ActionAttrs::SET.ty(), |s| {
            let start = s.w.nest_start(key_ty)?;
            match f(s.w) {
                Ok(()) => s.w.nest_end(start),
                Err(e) => {
                    s.w.nest_cancel(start);
                    Err(e)
                }
            }
        })
    }

    /// `set-masked`: key attribute `key_ty` holding `value` then `mask`.
    /// Value and mask of different lengths are [`Error::BadAttrLength`].
    pub fn set_masked(&mut self, key_ty: u16, value: &[u8], mask: &[u8]) -> Result<(), Error> {
        if value.len() != mask.len() {
            return Err(Error::BadAttrLength {
                ty: key_ty & crate::attr::TYPE_MASK,
                len: value.len().saturating_add(mask.len()),
            });
        }
        let len = value.len().checked_add(mask.len()).ok_or(Error::TooLong)?;
        self.within(ActionAttrs::SET_MASKED.ty(), |s| {
            let out = s.w.attr_with(key_ty, len)?;
            let (v, m) = out.split_at_mut(value.len());
            v.copy_from_slice(value);
            m.copy_from_slice(mask);
            Ok(())
        })
    }

    /// `push-vlan`.
    pub fn push_vlan(&mut self, vlan: &PushVlan) -> Result<(), Error> {
        self.put(ActionAttrs::PUSH_VLAN, vlan)
    }

    /// `pop-vlan`.
    pub fn pop_vlan(&mut self) -> Result<(), Error> {
        self.put(ActionAttrs::POP_VLAN, ())
    }

    /// `sample`: run the list `f` writes on `probability / u32::MAX` of the packets.
    pub fn sample<F: ListFn<'b>>(&mut self, probability: u32, f: F) -> Result<(), Error> {
        self.within(ActionAttrs::SAMPLE.ty(), |s| {
            s.put(SampleAttrs::PROBABILITY, probability)?;
            s.list(SampleAttrs::ACTIONS.ty(), f)
        })
    }

    /// `recirc` with this id.
    pub fn recirc(&mut self, id: u32) -> Result<(), Error> {
        self.put(ActionAttrs::RECIRC, id)
    }

    /// `hash`.
    pub fn hash(&mut self, hash: &Hash) -> Result<(), Error> {
        self.put(ActionAttrs::HASH, hash)
    }

    /// `push-mpls`.
    pub fn push_mpls(&mut self, mpls: &PushMpls) -> Result<(), Error> {
        self.put(ActionAttrs::PUSH_MPLS, mpls)
    }

    /// `pop-mpls`, leaving `ethertype`.
    pub fn pop_mpls(&mut self, ethertype: u16) -> Result<(), Error> {
        self.put(ActionAttrs::POP_MPLS, ethertype)
    }

    /// `ct`, attributes in type order.
    pub fn ct(&mut self, ct: &Ct<'_>) -> Result<(), Error> {
        self.within(ActionAttrs::CT.ty(), |s| {
            if ct.commit {
                s.put(CtAttrs::COMMIT, ())?;
            }
            if let Some(zone) = ct.zone {
                s.put(CtAttrs::ZONE, zone)?;
            }
            if let Some(mark) = ct.mark {
                let out = s.w.attr_with(CtAttrs::MARK.ty(), 8)?;
                let (v, m) = out.split_at_mut(4);
                v.copy_from_slice(&mark.value.to_ne_bytes());
                m.copy_from_slice(&mark.mask.to_ne_bytes());
            }
            if let Some(labels) = &ct.labels {
                let out = s.w.attr_with(CtAttrs::LABELS.ty(), 2 * CT_LABELS_LEN)?;
                let (v, m) = out.split_at_mut(CT_LABELS_LEN);
                v.copy_from_slice(&labels.value);
                m.copy_from_slice(&labels.mask);
            }
            if let Some(helper) = ct.helper {
                string(s.w, CtAttrs::HELPER.ty(), helper.as_bytes(), 15)?;
            }
            if let Some(nat) = &ct.nat {
                s.within(CtAttrs::NAT.ty(), |s| s.nat(nat))?;
            }
            if ct.force_commit {
                s.put(CtAttrs::FORCE_COMMIT, ())?;
            }
            if let Some(mask) = ct.eventmask {
                s.put(CtAttrs::EVENTMASK, mask)?;
            }
            if let Some(timeout) = ct.timeout {
                string(s.w, CtAttrs::TIMEOUT.ty(), timeout.as_bytes(), 31)?;
            }
            Ok(())
        })
    }

    fn nat(&mut self, nat: &Nat) -> Result<(), Error> {
        if nat.src {
            self.put(NatAttrs::SRC, ())?;
        }
        if nat.dst {
            self.put(NatAttrs::DST, ())?;
        }
        if let Some(ip) = nat.ip_min {
            self.put(NatAttrs::IP_MIN, ip)?;
        }
        if let Some(ip) = nat.ip_max {
            self.put(NatAttrs::IP_MAX, ip)?;
        }
        if let Some(port) = nat.proto_min {
            self.put(NatAttrs::PROTO_MIN, port)?;
        }
        if let Some(port) = nat.proto_max {
            self.put(NatAttrs::PROTO_MAX, port)?;
        }
        if nat.persistent {
            self.put(NatAttrs::PERSISTENT, ())?;
        }
        if nat.proto_hash {
            self.put(NatAttrs::PROTO_HASH, ())?;
        }
        if nat.proto_random {
            self.put(NatAttrs::PROTO_RANDOM, ())?;
        }
        Ok(())
    }

    /// `trunc` to `max_len` bytes.
    pub fn trunc(&mut self, max_len: u32) -> Result<(), Error> {
        self.put(ActionAttrs::TRUNC, &Trunc::new(max_len))
    }

    /// `push-eth`.
    pub fn push_eth(&mut self, eth: &PushEth) -> Result<(), Error> {
        self.put(ActionAttrs::PUSH_ETH, eth)
    }

    /// `pop-eth`.
    pub fn pop_eth(&mut self) -> Result<(), Error> {
        self.put(ActionAttrs::POP_ETH, ())
    }

    /// `ct-clear`.
    pub fn ct_clear(&mut self) -> Result<(), Error> {
        self.put(ActionAttrs::CT_CLEAR, ())
    }

    /// `push-nsh`: `f` writes the NSH key attributes; `NLA_F_NESTED` is set.
    pub fn push_nsh<F>(&mut self, f: F) -> Result<(), Error>
    where
        F: FnOnce(&mut Writer<'b>) -> Result<(), Error>,
    {
        self.within(ActionAttrs::PUSH_NSH.ty(), |s| f(s.w))
    }

    /// `pop-nsh`.
    pub fn pop_nsh(&mut self) -> Result<(), Error> {
        self.put(ActionAttrs::POP_NSH, ())
    }

    /// `meter` with this id.
    pub fn meter(&mut self, id: u32) -> Result<(), Error> {
        self.put(ActionAttrs::METER, id)
    }

    /// `clone`: run the list `f` writes on a copy of the packet.
    pub fn clone_with<F: ListFn<'b>>(&mut self, f: F) -> Result<(), Error> {
        self.list(ActionAttrs::CLONE.ty(), f)
    }

    /// `check-pkt-len`: `greater` for packets longer than `pkt_len`,
    /// `less_equal` for the others.
    pub fn check_pkt_len<G, L>(
        &mut self,
        pkt_len: u16,
        greater: G,
        less_equal: L,
    ) -> Result<(), Error>
    where
        G: ListFn<'b>,
        L: ListFn<'b>,
    {
        // The nest is not a list itself; its two lists are one level deeper.
        self.within(ActionAttrs::CHECK_PKT_LEN.ty(), |s| {
            s.put(CheckPktLenAttrs::PKT_LEN, pkt_len)?;
            s.list(CheckPktLenAttrs::ACTIONS_IF_GREATER.ty(), greater)?;
            s.list(CheckPktLenAttrs::ACTIONS_IF_LESS_EQUAL.ty(), less_equal)
        })
    }

    /// `add-mpls`.
    pub fn add_mpls(&mut self, mpls: &AddMpls) -> Result<(), Error> {
        self.put(ActionAttrs::ADD_MPLS, mpls)
    }

    /// `dec-ttl`: run the list `f` writes when the TTL expires.
    pub fn dec_ttl<F: ListFn<'b>>(&mut self, f: F) -> Result<(), Error> {
        self.within(ActionAttrs::DEC_TTL.ty(), |s| {
            s.list(DecTtlAttrs::ACTION.ty(), f)
        })
    }

    /// `drop` with error code `code` (0: none).
    pub fn drop_with(&mut self, code: u32) -> Result<(), Error> {
        self.put(ActionAttrs::DROP, code)
    }

    /// `psample`.
    pub fn psample(&mut self, p: &Psample<'_>) -> Result<(), Error> {
        self.within(ActionAttrs::PSAMPLE.ty(), |s| {
            s.put(PsampleAttrs::GROUP, p.group)?;
            if let Some(cookie) = p.cookie {
                s.put(PsampleAttrs::COOKIE, cookie)?;
            }
            Ok(())
        })
    }

    /// Appends a decoded action again (nested lists are copied action by
    /// action, so they are decoded and bounded by [`MAX_ACTION_DEPTH`]).
    /// Nests are written with `NLA_F_NESTED` whether the input had it or not.
    pub fn action(&mut self, a: &Action<'_>) -> Result<(), Error> {
        match a {
            Action::Output(port) => self.output(*port),
            Action::Userspace(u) => self.userspace(u),
            Action::Set(key) => self.set(key.raw_ty, key.value),
            Action::SetMasked(key) => self.set_masked(key.raw_ty, key.value, key.mask),
            Action::PushVlan(v) => self.push_vlan(v),
            Action::PopVlan => self.pop_vlan(),
            Action::Sample(s) => self.sample(s.probability, |w| w.actions(s.actions.clone())),
            Action::Recirc(id) => self.recirc(*id),
            Action::Hash(h) => self.hash(h),
            Action::PushMpls(m) => self.push_mpls(m),
            Action::PopMpls(ethertype) => self.pop_mpls(*ethertype),
            Action::Ct(ct) => self.ct(ct),
            Action::Trunc(len) => self.trunc(*len),
            Action::PushEth(e) => self.push_eth(e),
            Action::PopEth => self.pop_eth(),
            Action::CtClear => self.ct_clear(),
            Action::PushNsh(bytes) => self.push_nsh(|w| w.put_bytes(bytes)),
            Action::PopNsh => self.pop_nsh(),
            Action::Meter(id) => self.meter(*id),
            Action::Clone(list) => self.clone_with(|w| w.actions(list.clone())),
            Action::CheckPktLen(c) => self.check_pkt_len(
                c.pkt_len,
                |w| w.actions(c.if_greater.clone()),
                |w| w.actions(c.if_less_equal.clone()),
            ),
            Action::AddMpls(m) => self.add_mpls(m),
            Action::DecTtl(list) => self.dec_ttl(|w| w.actions(list.clone())),
            Action::Drop(code) => self.drop_with(*code),
            Action::Psample(p) => self.psample(p),
            Action::Unknown { raw_ty, payload } => self.w.attr(*raw_ty, payload),
        }
    }

    /// Appends every action of a decoded list; on error nothing of the list
    /// is left.
    pub fn actions(&mut self, list: Actions<'_>) -> Result<(), Error> {
        let start = self.w.len();
        let result = list.into_iter().try_for_each(|a| self.action(&a?));
        if result.is_err() {
            self.w.truncate(start);
        }
        result
    }
}

/// A string attribute: `bytes` (at most `max`) and a NUL.
fn string(w: &mut Writer<'_>, ty: u16, bytes: &[u8], max: usize) -> Result<(), Error> {
    if bytes.len() > max {
        return Err(Error::BadAttrLength {
            ty,
            len: bytes.len(),
        });
    }
    let out = w.attr_with(ty, bytes.len() + 1)?;
    let (text, nul) = out.split_at_mut(bytes.len());
    text.copy_from_slice(bytes);
    nul.fill(0);
    Ok(())
}
