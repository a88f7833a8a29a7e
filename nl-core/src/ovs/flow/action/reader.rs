//! Reading action lists: [`Actions`] iterates, [`Action`] is one action,
//! [`validate`] walks the nested lists under the depth bound.

use core::net::IpAddr;

use crate::Error;
use crate::attr::{Attr, AttrIter};
use crate::table::{AttrSet, AttrType, Be16, Index, NlStr, Struct};

use super::MAX_ACTION_DEPTH;
use super::sets::{
    ActionAttrs, CheckPktLenAttrs, CtAttrs, DecTtlAttrs, NatAttrs, PsampleAttrs, SampleAttrs,
    UserspaceAttrs,
};
use super::structs::{AddMpls, Hash, PushEth, PushMpls, PushVlan, Trunc};

/// `OVS_CT_LABELS_LEN`: bytes of a conntrack label value (and of its mask).
pub const CT_LABELS_LEN: usize = 16;

/// A lazy view of an action list (a flow's actions, or a list nested in
/// `clone`, `sample`, `check-pkt-len` or `dec-ttl`).
///
/// Yields each action, or one error for malformed input and then stops.
/// Two lists are equal when their bytes are.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Actions<'a> {
    bytes: &'a [u8],
    attrs: AttrIter<'a>,
}

impl<'a> Actions<'a> {
    /// The actions in `bytes` (an attribute run, such as the payload of
    /// `OVS_FLOW_ATTR_ACTIONS`).
    pub fn new(bytes: &'a [u8]) -> Self {
        Actions {
            bytes,
            attrs: AttrIter::new(bytes),
        }
    }

    /// The whole list's bytes (not only what is left to iterate).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// True when the list holds no bytes (the datapath drops the packet).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl<'a> Iterator for Actions<'a> {
    type Item = Result<Action<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.attrs.next()?.and_then(Action::parse);
        if item.is_err() {
            self.attrs = AttrIter::new(&[]);
        }
        Some(item)
    }
}

impl core::iter::FusedIterator for Actions<'_> {}

impl PartialEq for Actions<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for Actions<'_> {}

/// One action, decoded; nested lists stay lazy ([`Actions`]).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Action<'a> {
    /// `output`: send to this port.
    Output(u32),
    /// `userspace`: send to a userspace process.
    Userspace(Userspace<'a>),
    /// `set`: replace a header with the key attribute's value.
    Set(KeyAttr<'a>),
    /// `set-masked`: replace the masked bits of a header.
    SetMasked(MaskedKeyAttr<'a>),
    /// `push-vlan`.
    PushVlan(PushVlan),
    /// `pop-vlan`.
    PopVlan,
    /// `sample`: run actions on a fraction of packets.
    Sample(Sample<'a>),
    /// `recirc`: recirculate with this id.
    Recirc(u32),
    /// `hash`.
    Hash(Hash),
    /// `push-mpls`.
    PushMpls(PushMpls),
    /// `pop-mpls`, with the ethertype left behind.
    PopMpls(u16),
    /// `ct`: conntrack.
    Ct(Ct<'a>),
    /// `trunc`: truncate to this many bytes on output.
    Trunc(u32),
    /// `push-eth`.
    PushEth(PushEth),
    /// `pop-eth`.
    PopEth,
    /// `ct-clear`.
    CtClear,
    /// `push-nsh`: the nest's payload, NSH key attributes (read them with
    /// [`NshKey::parse`](crate::ovs::flow::key::NshKey::parse)).
    PushNsh(&'a [u8]),
    /// `pop-nsh`.
    PopNsh,
    /// `meter`: run through this meter.
    Meter(u32),
    /// `clone`: run the list on a copy of the packet.
    Clone(Actions<'a>),
    /// `check-pkt-len`: choose a list by packet length.
    CheckPktLen(CheckPktLen<'a>),
    /// `add-mpls`.
    AddMpls(AddMpls),
    /// `dec-ttl`: decrement the TTL; run the list when it expires.
    DecTtl(Actions<'a>),
    /// `drop` with its error code (0: none).
    Drop(u32),
    /// `psample`: send a sample to psample observers.
    Psample(Psample<'a>),
    /// An action type this codec does not know (newer kernel), kept as is.
    Unknown {
        /// Type as sent, flag bits included.
        raw_ty: u16,
        /// Payload.
        payload: &'a [u8],
    },
}

/// The key attribute of a `set` action: a key type and its new value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct KeyAttr<'a> {
    /// The `OVS_KEY_ATTR_*` type as sent (flag bits included).
    pub raw_ty: u16,
    /// The new value.
    pub value: &'a [u8],
}

impl KeyAttr<'_> {
    /// The key type without flag bits.
    pub fn ty(&self) -> u16 {
        self.raw_ty & crate::attr::TYPE_MASK
    }
}

/// The key attribute of a `set-masked` action: its payload is the value
/// followed by a mask of the same length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MaskedKeyAttr<'a> {
    /// The `OVS_KEY_ATTR_*` type as sent (flag bits included).
    pub raw_ty: u16,
    /// The value (bits outside the mask are zero).
    pub value: &'a [u8],
    /// The mask: set bits are replaced.
    pub mask: &'a [u8],
}

impl MaskedKeyAttr<'_> {
    /// The key type without flag bits.
    pub fn ty(&self) -> u16 {
        self.raw_ty & crate::attr::TYPE_MASK
    }
}

/// A `userspace` action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Userspace<'a> {
    /// Netlink port id receiving the upcall (required).
    pub pid: u32,
    /// Cookie copied into the upcall.
    pub userdata: Option<&'a [u8]>,
    /// Output port whose tunnel information goes with the upcall.
    pub egress_tun_port: Option<u32>,
    /// Send the actions with the upcall (a flag: no nested list).
    pub actions: bool,
}

/// A `sample` action.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Sample<'a> {
    /// Fraction sampled, out of `u32::MAX`.
    pub probability: u32,
    /// Actions run on sampled packets.
    pub actions: Actions<'a>,
}

/// A `check-pkt-len` action.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CheckPktLen<'a> {
    /// Length compared with.
    pub pkt_len: u16,
    /// Actions for longer packets.
    pub if_greater: Actions<'a>,
    /// Actions for packets of `pkt_len` bytes or shorter.
    pub if_less_equal: Actions<'a>,
}

/// A `psample` action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Psample<'a> {
    /// psample group.
    pub group: u32,
    /// Cookie, at most 16 bytes.
    pub cookie: Option<&'a [u8]>,
}

/// A value and a mask (conntrack mark and labels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Masked<T> {
    /// The value.
    pub value: T,
    /// Bits of the value that are applied.
    pub mask: T,
}

/// A `ct` action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ct<'a> {
    /// Commit the connection.
    pub commit: bool,
    /// Conntrack zone.
    pub zone: Option<u16>,
    /// Mark to set.
    pub mark: Option<Masked<u32>>,
    /// Labels to set.
    pub labels: Option<Masked<[u8; CT_LABELS_LEN]>>,
    /// Helper (ALG) name.
    pub helper: Option<NlStr<'a>>,
    /// NAT.
    pub nat: Option<Nat>,
    /// Commit, replacing an entry of the other direction.
    pub force_commit: bool,
    /// Conntrack events reported.
    pub eventmask: Option<u32>,
    /// Timeout policy name.
    pub timeout: Option<NlStr<'a>>,
}

/// The NAT of a `ct` action. With neither `src` nor `dst` it only
/// translates already-committed connections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Nat {
    /// Source NAT.
    pub src: bool,
    /// Destination NAT.
    pub dst: bool,
    /// Lowest address.
    pub ip_min: Option<IpAddr>,
    /// Highest address.
    pub ip_max: Option<IpAddr>,
    /// Lowest port.
    pub proto_min: Option<u16>,
    /// Highest port.
    pub proto_max: Option<u16>,
    /// Persistent address mapping.
    pub persistent: bool,
    /// Hashed port mapping.
    pub proto_hash: bool,
    /// Random port mapping.
    pub proto_random: bool,
}

// `core::net::IpAddr` has no defmt implementation: these print as Debug.
#[cfg(feature = "defmt")]
impl defmt::Format for Ct<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Debug2Format(self))
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Nat {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Debug2Format(self))
    }
}

/// The value of `field` in `index`, or [`Error::MissingAttr`].
fn required<'a, S: AttrSet, K: AttrType>(
    index: &Index<'a, S>,
    field: crate::table::Field<S, K>,
) -> Result<K::Value<'a>, Error> {
    index
        .get(field)
        .ok_or(Error::MissingAttr { ty: field.ty() })
}

/// A `u32` payload (length already checked).
fn u32_of(payload: &[u8]) -> Result<u32, Error> {
    <u32 as AttrType>::decode(payload).ok_or(Error::BadLength)
}

/// A struct payload (length already checked), copied out.
fn struct_of<T>(payload: &[u8]) -> Result<T, Error>
where
    T: 'static
        + Copy
        + crate::table::WireStruct
        + zerocopy::FromBytes
        + zerocopy::KnownLayout
        + zerocopy::Immutable
        + zerocopy::Unaligned,
{
    <Struct<T> as AttrType>::decode(payload)
        .copied()
        .ok_or(Error::BadLength)
}

impl<'a> Action<'a> {
    /// Decodes one action attribute. Its length is checked against its kind;
    /// nests holding no nested list (`userspace`, `ct`, `psample`, `set`…)
    /// are decoded now, nested lists stay lazy.
    pub fn parse(attr: Attr<'a>) -> Result<Self, Error> {
        let ty = attr.ty();
        let payload = attr.payload();
        if !<ActionAttrs as AttrSet>::table().check(ty, payload)? {
            return Ok(Action::Unknown {
                raw_ty: attr.raw_ty(),
                payload,
            });
        }
        Ok(match ty {
            1 => Action::Output(u32_of(payload)?),
            2 => Action::Userspace(Userspace::parse(payload)?),
            3 => Action::Set(single_key(ty, payload)?),
            4 => Action::PushVlan(struct_of(payload)?),
            5 => Action::PopVlan,
            6 => Action::Sample(Sample::parse(payload)?),
            7 => Action::Recirc(u32_of(payload)?),
            8 => Action::Hash(struct_of(payload)?),
            9 => Action::PushMpls(struct_of(payload)?),
            10 => Action::PopMpls(Be16::decode(payload).ok_or(Error::BadLength)?),
            11 => Action::SetMasked(masked_key(ty, payload)?),
            12 => Action::Ct(Ct::parse(payload)?),
            13 => Action::Trunc(struct_of::<Trunc>(payload)?.max_len.get()),
            14 => Action::PushEth(struct_of(payload)?),
            15 => Action::PopEth,
            16 => Action::CtClear,
            17 => Action::PushNsh(payload),
            18 => Action::PopNsh,
            19 => Action::Meter(u32_of(payload)?),
            20 => Action::Clone(Actions::new(payload)),
            21 => Action::CheckPktLen(CheckPktLen::parse(payload)?),
            22 => Action::AddMpls(struct_of(payload)?),
            23 => Action::DecTtl(dec_ttl(payload)?),
            24 => Action::Drop(u32_of(payload)?),
            25 => Action::Psample(Psample::parse(payload)?),
            _ => Action::Unknown {
                raw_ty: attr.raw_ty(),
                payload,
            },
        })
    }

    /// The `OVS_ACTION_ATTR_*` type of this action.
    pub fn ty(&self) -> u16 {
        match self {
            Action::Output(_) => ActionAttrs::OUTPUT.ty(),
            Action::Userspace(_) => ActionAttrs::USERSPACE.ty(),
            Action::Set(_) => ActionAttrs::SET.ty(),
            Action::SetMasked(_) => ActionAttrs::SET_MASKED.ty(),
            Action::PushVlan(_) => ActionAttrs::PUSH_VLAN.ty(),
            Action::PopVlan => ActionAttrs::POP_VLAN.ty(),
            Action::Sample(_) => ActionAttrs::SAMPLE.ty(),
            Action::Recirc(_) => ActionAttrs::RECIRC.ty(),
            Action::Hash(_) => ActionAttrs::HASH.ty(),
            Action::PushMpls(_) => ActionAttrs::PUSH_MPLS.ty(),
            Action::PopMpls(_) => ActionAttrs::POP_MPLS.ty(),
            Action::Ct(_) => ActionAttrs::CT.ty(),
            Action::Trunc(_) => ActionAttrs::TRUNC.ty(),
            Action::PushEth(_) => ActionAttrs::PUSH_ETH.ty(),
            Action::PopEth => ActionAttrs::POP_ETH.ty(),
            Action::CtClear => ActionAttrs::CT_CLEAR.ty(),
            Action::PushNsh(_) => ActionAttrs::PUSH_NSH.ty(),
            Action::PopNsh => ActionAttrs::POP_NSH.ty(),
            Action::Meter(_) => ActionAttrs::METER.ty(),
            Action::Clone(_) => ActionAttrs::CLONE.ty(),
            Action::CheckPktLen(_) => ActionAttrs::CHECK_PKT_LEN.ty(),
            Action::AddMpls(_) => ActionAttrs::ADD_MPLS.ty(),
            Action::DecTtl(_) => ActionAttrs::DEC_TTL.ty(),
            Action::Drop(_) => ActionAttrs::DROP.ty(),
            Action::Psample(_) => ActionAttrs::PSAMPLE.ty(),
            Action::Unknown { raw_ty, .. } => raw_ty & crate::attr::TYPE_MASK,
        }
    }

    /// The action lists nested directly in this action (none, one, or the
    /// two of `check-pkt-len`).
    pub fn nested_lists(&self) -> [Option<Actions<'a>>; 2] {
        match self {
            Action::Sample(s) => [Some(s.actions.clone()), None],
            Action::Clone(list) | Action::DecTtl(list) => [Some(list.clone()), None],
            Action::CheckPktLen(c) => [Some(c.if_greater.clone()), Some(c.if_less_equal.clone())],
            _ => [None, None],
        }
    }
}

/// The one key attribute a `set` nest must hold (the kernel rejects more).
fn single_key(ty: u16, payload: &[u8]) -> Result<KeyAttr<'_>, Error> {
    let (attr, step) = Attr::parse(payload)?;
    if step != payload.len() {
        return Err(Error::BadPayload { ty });
    }
    Ok(KeyAttr {
        raw_ty: attr.raw_ty(),
        value: attr.payload(),
    })
}

/// The key attribute of `set-masked`, split into value and mask halves.
fn masked_key(ty: u16, payload: &[u8]) -> Result<MaskedKeyAttr<'_>, Error> {
    let key = single_key(ty, payload)?;
    let len = key.value.len();
    if len % 2 != 0 {
        return Err(Error::BadAttrLength { ty: key.ty(), len });
    }
    let (value, mask) = key.value.split_at(len / 2);
    Ok(MaskedKeyAttr {
        raw_ty: key.raw_ty,
        value,
        mask,
    })
}

fn dec_ttl(payload: &[u8]) -> Result<Actions<'_>, Error> {
    let index = Index::<DecTtlAttrs>::parse(payload)?;
    Ok(Actions::new(required(&index, DecTtlAttrs::ACTION)?.bytes()))
}

impl<'a> Userspace<'a> {
    /// Decodes a `userspace` nest's payload; `pid` is required.
    pub fn parse(payload: &'a [u8]) -> Result<Self, Error> {
        let index = Index::<UserspaceAttrs>::parse(payload)?;
        Ok(Userspace {
            pid: required(&index, UserspaceAttrs::PID)?,
            userdata: index.get(UserspaceAttrs::USERDATA),
            egress_tun_port: index.get(UserspaceAttrs::EGRESS_TUN_PORT),
            actions: index.has(UserspaceAttrs::ACTIONS),
        })
    }
}

impl<'a> Sample<'a> {
    /// Decodes a `sample` nest's payload; both attributes are required.
    pub fn parse(payload: &'a [u8]) -> Result<Self, Error> {
        let index = Index::<SampleAttrs>::parse(payload)?;
        Ok(Sample {
            probability: required(&index, SampleAttrs::PROBABILITY)?,
            actions: Actions::new(required(&index, SampleAttrs::ACTIONS)?.bytes()),
        })
    }
}

impl<'a> CheckPktLen<'a> {
    /// Decodes a `check-pkt-len` nest's payload; all three attributes are required.
    pub fn parse(payload: &'a [u8]) -> Result<Self, Error> {
        let index = Index::<CheckPktLenAttrs>::parse(payload)?;
        Ok(CheckPktLen {
            pkt_len: required(&index, CheckPktLenAttrs::PKT_LEN)?,
            if_greater: Actions::new(
                required(&index, CheckPktLenAttrs::ACTIONS_IF_GREATER)?.bytes(),
            ),
            if_less_equal: Actions::new(
                required(&index, CheckPktLenAttrs::ACTIONS_IF_LESS_EQUAL)?.bytes(),
            ),
        })
    }
}

impl<'a> Psample<'a> {
    /// Decodes a `psample` nest's payload; `group` is required.
    pub fn parse(payload: &'a [u8]) -> Result<Self, Error> {
        let index = Index::<PsampleAttrs>::parse(payload)?;
        Ok(Psample {
            group: required(&index, PsampleAttrs::GROUP)?,
            cookie: index.get(PsampleAttrs::COOKIE),
        })
    }
}

impl<'a> Ct<'a> {
    /// Decodes a `ct` nest's payload (every attribute optional).
    pub fn parse(payload: &'a [u8]) -> Result<Self, Error> {
        let index = Index::<CtAttrs>::parse(payload)?;
        let mark = match index.get(CtAttrs::MARK) {
            Some(bytes) => {
                let (value, mask) = bytes.split_at_checked(4).ok_or(Error::BadLength)?;
                Some(Masked {
                    value: u32_of(value)?,
                    mask: u32_of(mask)?,
                })
            }
            None => None,
        };
        let labels = match index.get(CtAttrs::LABELS) {
            Some(bytes) => {
                let (value, mask) = bytes
                    .split_at_checked(CT_LABELS_LEN)
                    .ok_or(Error::BadLength)?;
                Some(Masked {
                    value: value.try_into().map_err(|_| Error::BadLength)?,
                    mask: mask.try_into().map_err(|_| Error::BadLength)?,
                })
            }
            None => None,
        };
        let nat = match index.get(CtAttrs::NAT) {
            Some(nest) => Some(Nat::parse(nest.bytes())?),
            None => None,
        };
        Ok(Ct {
            commit: index.has(CtAttrs::COMMIT),
            zone: index.get(CtAttrs::ZONE),
            mark,
            labels,
            helper: index.get(CtAttrs::HELPER),
            nat,
            force_commit: index.has(CtAttrs::FORCE_COMMIT),
            eventmask: index.get(CtAttrs::EVENTMASK),
            timeout: index.get(CtAttrs::TIMEOUT),
        })
    }
}

impl Nat {
    /// Decodes a `nat` nest's payload (every attribute optional).
    pub fn parse(payload: &[u8]) -> Result<Self, Error> {
        let index = Index::<NatAttrs>::parse(payload)?;
        Ok(Nat {
            src: index.has(NatAttrs::SRC),
            dst: index.has(NatAttrs::DST),
            ip_min: index.get(NatAttrs::IP_MIN),
            ip_max: index.get(NatAttrs::IP_MAX),
            proto_min: index.get(NatAttrs::PROTO_MIN),
            proto_max: index.get(NatAttrs::PROTO_MAX),
            persistent: index.has(NatAttrs::PERSISTENT),
            proto_hash: index.has(NatAttrs::PROTO_HASH),
            proto_random: index.has(NatAttrs::PROTO_RANDOM),
        })
    }
}

/// Decodes every action of `list` and of every list nested in it, down to
/// [`MAX_ACTION_DEPTH`]; returns the first error. A list nested deeper is
/// [`Error::TooDeep`]. Recursion is bounded by the depth, so any input
/// terminates.
pub fn validate(list: &[u8]) -> Result<(), Error> {
    walk(Actions::new(list), 0, &mut |_, _| Ok(()))
}

/// Calls `visit(depth, action)` for every action of `list` and of the
/// lists nested in it, depth first in wire order (the flow's own list is
/// depth 0). Stops at the first decoding error, at a list nested deeper
/// than [`MAX_ACTION_DEPTH`] ([`Error::TooDeep`]) or at an error `visit` returns.
pub fn walk<'a, F>(list: Actions<'a>, depth: usize, visit: &mut F) -> Result<(), Error>
where
    F: FnMut(usize, &Action<'a>) -> Result<(), Error>,
{
    if depth > MAX_ACTION_DEPTH {
        return Err(Error::TooDeep);
    }
    for action in list {
        let action = action?;
        visit(depth, &action)?;
        for nested in action.nested_lists().into_iter().flatten() {
            walk(nested, depth + 1, visit)?;
        }
    }
    Ok(())
}
