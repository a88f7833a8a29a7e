//! The kernel's side: policies as a `CTRL_CMD_GETPOLICY` dump gives them, owned.

use std::collections::BTreeMap;

use nl_core::policy::{AttrKindCode, PolicyAttrs};
use nl_core::table::Index;

/// What the kernel accepts for one attribute (`NL_POLICY_TYPE_ATTR_*`),
/// owned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrPolicy {
    /// The kernel's kind.
    pub kind: AttrKindCode,
    /// Smallest and largest signed value accepted.
    pub range_s: Option<(i64, i64)>,
    /// Smallest and largest unsigned value accepted.
    pub range_u: Option<(u64, u64)>,
    /// Shortest payload accepted.
    pub min_length: Option<u32>,
    /// Longest payload (for strings: content without the NUL) accepted.
    pub max_length: Option<u32>,
    /// Index of the nested policy (nests, nested arrays).
    pub policy_idx: Option<u32>,
    /// Highest attribute type of the nested policy.
    pub policy_maxtype: Option<u32>,
}

impl AttrPolicy {
    /// A policy of kind `kind` with no bounds.
    pub fn new(kind: AttrKindCode) -> Self {
        AttrPolicy {
            kind,
            range_s: None,
            range_u: None,
            min_length: None,
            max_length: None,
            policy_idx: None,
            policy_maxtype: None,
        }
    }

    /// The same, with length bounds.
    pub fn lengths(self, min: Option<u32>, max: Option<u32>) -> Self {
        AttrPolicy {
            min_length: min,
            max_length: max,
            ..self
        }
    }

    /// The same, with an unsigned value range.
    pub fn range_u(self, min: u64, max: u64) -> Self {
        AttrPolicy {
            range_u: Some((min, max)),
            ..self
        }
    }

    /// The same, with a signed value range.
    pub fn range_s(self, min: i64, max: i64) -> Self {
        AttrPolicy {
            range_s: Some((min, max)),
            ..self
        }
    }

    /// The same, pointing at nested policy `idx` of highest type `maxtype`.
    pub fn nested(self, idx: u32, maxtype: u32) -> Self {
        AttrPolicy {
            policy_idx: Some(idx),
            policy_maxtype: Some(maxtype),
            ..self
        }
    }

    /// Copies one entry of a policy dump.
    pub fn from_index(info: &Index<'_, PolicyAttrs>) -> Self {
        AttrPolicy {
            kind: info
                .get(PolicyAttrs::TYPE)
                .map_or(AttrKindCode::Invalid, AttrKindCode::from),
            range_s: info
                .get(PolicyAttrs::MIN_VALUE_S)
                .zip(info.get(PolicyAttrs::MAX_VALUE_S)),
            range_u: info
                .get(PolicyAttrs::MIN_VALUE_U)
                .zip(info.get(PolicyAttrs::MAX_VALUE_U)),
            min_length: info.get(PolicyAttrs::MIN_LENGTH),
            max_length: info.get(PolicyAttrs::MAX_LENGTH),
            policy_idx: info.get(PolicyAttrs::POLICY_IDX),
            policy_maxtype: info.get(PolicyAttrs::POLICY_MAXTYPE),
        }
    }
}

/// One kernel policy: attribute type → what is accepted.
pub type Policy = BTreeMap<u16, AttrPolicy>;

/// One operation as the kernel has it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelOp {
    /// It has a `do` handler (`GENL_CMD_CAP_DO`).
    pub has_do: bool,
    /// It has a `dump` handler (`GENL_CMD_CAP_DUMP`).
    pub has_dump: bool,
    /// Index in [`KernelOp::policies`] of the `do` policy.
    pub do_policy: Option<u32>,
    /// Index in [`KernelOp::policies`] of the `dump` policy.
    pub dump_policy: Option<u32>,
    /// Every policy of this operation's dump, by index (nested ones
    /// included); empty when it was not asked for or has none.
    pub policies: BTreeMap<u32, Policy>,
}

/// A family's operations as the kernel has them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelPolicies {
    /// Family name.
    pub family: String,
    /// Every operation of the family, by command number; policies are
    /// filled in for the declared ones.
    pub ops: BTreeMap<u8, KernelOp>,
}
