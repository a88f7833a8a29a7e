//! Conntrack statistics: the global table size (`get-stats`) and the
//! per-CPU counters (`get-stats-cpu`, one message per CPU, the CPU number
//! in `nfgenmsg.res_id`).
//!
//! ```text
//! type 0x0105 get-stats      nfgenmsg | StatsGlobalAttrs: entries, max-entries (be32)
//! type 0x0104 get-stats-cpu  nfgenmsg (res_id = cpu) | StatsAttrs: found, invalid,
//!                            insert, insert-failed, drop, early-drop, error,
//!                            search-restart, clash-resolve, chain-toolong (be32)
//! ```

use super::attrs::{CtMsg, StatsAttrs, StatsGlobalAttrs, msg_type};
use crate::Error;
use crate::netfilter::NfGenMsg;
use crate::nlmsg::{Message, split_fixed};
use crate::table::{AttrSet, Field, Index};

/// The table's global statistics (`conntrack -C` prints `entries`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Stats {
    /// Entries in the table.
    pub entries: u32,
    /// The table's maximum (`nf_conntrack_max`); 0 when not sent.
    pub max_entries: u32,
}

impl Stats {
    /// Reads a `get-stats` reply; another type is [`Error::UnexpectedType`],
    /// a reply without `entries` [`Error::MissingAttr`].
    pub fn parse(m: &Message<'_>) -> Result<Self, Error> {
        let attrs = attrs::<StatsGlobalAttrs>(m, CtMsg::GetStats)?.1;
        Ok(Stats {
            entries: attrs
                .get(StatsGlobalAttrs::ENTRIES)
                .ok_or(Error::MissingAttr {
                    ty: StatsGlobalAttrs::ENTRIES.ty(),
                })?,
            max_entries: attrs.get(StatsGlobalAttrs::MAX_ENTRIES).unwrap_or(0),
        })
    }
}

/// One CPU's counters (`conntrack -S`); a counter not sent reads 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StatsCpu {
    /// The CPU (`nfgenmsg.res_id`).
    pub cpu: u16,
    /// Lookups that found an entry.
    pub found: u32,
    /// Packets that could not be tracked.
    pub invalid: u32,
    /// Entries inserted.
    pub insert: u32,
    /// Insertions that failed.
    pub insert_failed: u32,
    /// Packets dropped.
    pub drop: u32,
    /// Entries dropped early.
    pub early_drop: u32,
    /// Errors.
    pub error: u32,
    /// Lookups restarted.
    pub search_restart: u32,
    /// Clashes resolved.
    pub clash_resolve: u32,
    /// Chains found too long.
    pub chain_toolong: u32,
}

impl StatsCpu {
    /// Reads one `get-stats-cpu` reply; another type is [`Error::UnexpectedType`].
    pub fn parse(m: &Message<'_>) -> Result<Self, Error> {
        let (header, attrs) = attrs::<StatsAttrs>(m, CtMsg::GetStatsCpu)?;
        let get = |field: Field<StatsAttrs, crate::table::Be32>| attrs.get(field).unwrap_or(0);
        Ok(StatsCpu {
            cpu: header.res_id.get(),
            found: get(StatsAttrs::FOUND),
            invalid: get(StatsAttrs::INVALID),
            insert: get(StatsAttrs::INSERT),
            insert_failed: get(StatsAttrs::INSERT_FAILED),
            drop: get(StatsAttrs::DROP),
            early_drop: get(StatsAttrs::EARLY_DROP),
            error: get(StatsAttrs::ERROR),
            search_restart: get(StatsAttrs::SEARCH_RESTART),
            clash_resolve: get(StatsAttrs::CLASH_RESOLVE),
            chain_toolong: get(StatsAttrs::CHAIN_TOOLONG),
        })
    }
}

/// The header and indexed attributes of a message of type `msg`.
fn attrs<'a, S: AttrSet>(
    m: &Message<'a>,
    msg: CtMsg,
) -> Result<(&'a NfGenMsg, Index<'a, S>), Error> {
    if m.ty() != msg_type(msg) {
        return Err(Error::UnexpectedType { ty: m.ty() });
    }
    let (header, rest) = split_fixed::<NfGenMsg>(m.payload())?;
    Ok((header, Index::parse(rest)?))
}
