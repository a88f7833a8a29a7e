//! The few fields the agent reads from link and nlctrl replies, found with
//! nl-core's attribute iterator (`nl_core::attr`) and decoded with its
//! attribute kinds (`nl_core::table::AttrType`).
//!
//! Why not `Link::parse` / `ctrl::Family::parse`: they index every
//! attribute through the family's attribute tables, which bring the whole
//! link and nlctrl declarations (names, kinds, nested sets: about 10 KiB)
//! into the binary, for one field each.
//!
//! ```text
//! RTM_NEWLINK:     nlmsghdr | ifinfomsg (16 B, index at 4) | attrs: IFLA_IFNAME (3) ...
//! CTRL_NEWFAMILY:  nlmsghdr | genlmsghdr (4 B)             | attrs: CTRL_ATTR_FAMILY_ID (1) ...
//! ```

use nl_core::Error;
use nl_core::attr::AttrIter;
use nl_core::genl::{self, ctrl::CtrlAttrs};
use nl_core::nlmsg::Message;
use nl_core::route::RTM_NEWLINK;
use nl_core::route::link::{IfInfoMsg, LinkAttrs};
use nl_core::table::{AttrType, NlStr, NulStr};

/// The payload of the first attribute of type `ty` in `attrs`.
fn find(attrs: &[u8], ty: u16) -> Result<Option<&[u8]>, Error> {
    for attr in AttrIter::new(attrs) {
        let attr = attr?;
        if attr.ty() == ty {
            return Ok(Some(attr.payload()));
        }
    }
    Ok(None)
}

/// The header and attributes of an `RTM_NEWLINK`.
fn link<'a>(message: &Message<'a>) -> Result<(IfInfoMsg, &'a [u8]), Error> {
    if message.ty() != RTM_NEWLINK {
        return Err(Error::UnexpectedType { ty: message.ty() });
    }
    let (header, attrs) = message.split_header::<IfInfoMsg>()?;
    Ok((*header, attrs))
}

/// The interface index of an `RTM_NEWLINK`.
pub(crate) fn link_index(message: &Message<'_>) -> Result<i32, Error> {
    Ok(link(message)?.0.index.get())
}

/// The interface name (`IFLA_IFNAME`) of an `RTM_NEWLINK`.
pub(crate) fn link_name<'a>(message: &Message<'a>) -> Result<NlStr<'a>, Error> {
    let ty = LinkAttrs::IFNAME.ty();
    let (_, attrs) = link(message)?;
    let payload = find(attrs, ty)?.ok_or(Error::BadPayload { ty })?;
    NulStr::<15>::decode(payload).ok_or(Error::BadPayload { ty })
}

/// The family id (`CTRL_ATTR_FAMILY_ID`) of an nlctrl family reply.
pub(crate) fn family_id(message: &Message<'_>) -> Result<u16, Error> {
    let ty = CtrlAttrs::FAMILY_ID.ty();
    let (_, attrs) = genl::split(message)?;
    let payload = find(attrs, ty)?.ok_or(Error::BadPayload { ty })?;
    u16::decode(payload).ok_or(Error::BadPayload { ty })
}
