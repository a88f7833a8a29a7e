//! Generic netlink family dumps, as `CTRL_CMD_GETFAMILY` with `NLM_F_DUMP`
//! returns them.

use nl_core::genl::GenlHeader;
use nl_core::genl::ctrl::{self, CtrlAttrs, McastGroupAttrs, OpAttrs, OpFlags};
use nl_core::nlmsg::{Flags, Header};
use nl_core::{Error, Writer};

use crate::{Dump, pack};

/// Sequence number and port id written in every generated message.
pub const SEQ: u32 = 7;
/// See [`SEQ`].
pub const PORT: u32 = 4242;

/// Appends family number `i` as the kernel describes a family: id, name,
/// version, hdrsize, maxattr, 1–8 operations, 0–3 multicast groups.
pub fn write_family(w: &mut Writer<'_>, i: usize) -> Result<(), Error> {
    let header = Header::new(ctrl::GENL_ID_CTRL, Flags::MULTI, SEQ, PORT);
    let start = w.begin_message(header)?;
    w.put_struct(&GenlHeader::new(ctrl::Cmd::NewFamily.into(), ctrl::VERSION))?;
    w.put(CtrlAttrs::FAMILY_NAME, &format!("fam{i}"))?;
    w.put(CtrlAttrs::FAMILY_ID, 0x10 + (i % 1000) as u16)?;
    w.put(CtrlAttrs::VERSION, 1 + (i % 3) as u32)?;
    w.put(CtrlAttrs::HDRSIZE, 0)?;
    w.put(CtrlAttrs::MAXATTR, 8 + (i % 20) as u32)?;
    let ops = w.nest(CtrlAttrs::OPS)?;
    for op in 0..1 + i % 8 {
        let element = w.nest_start(op as u16 + 1)?;
        w.put(OpAttrs::ID, op as u32 + 1)?;
        w.put(
            OpAttrs::FLAGS,
            OpFlags::CMD_CAP_DO | OpFlags::CMD_CAP_HASPOL,
        )?;
        w.nest_end(element)?;
    }
    w.nest_end(ops)?;
    if i % 4 != 0 {
        let groups = w.nest(CtrlAttrs::MCAST_GROUPS)?;
        for group in 0..i % 4 {
            let element = w.nest_start(group as u16 + 1)?;
            w.put(McastGroupAttrs::ID, 0x20 + group as u32)?;
            w.put(
                McastGroupAttrs::NAME,
                ["events", "config", "stats"][group % 3],
            )?;
            w.nest_end(element)?;
        }
        w.nest_end(groups)?;
    }
    w.end_message(start)?;
    Ok(())
}

/// A dump of `count` families, packed into datagrams, ending with `NLMSG_DONE`.
pub fn family_dump(count: usize) -> Dump {
    pack(count, SEQ, PORT, write_family)
}
