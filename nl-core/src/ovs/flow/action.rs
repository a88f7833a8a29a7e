//! Flow actions (`action-attrs`).

crate::attr_set! {
    /// `OVS_ACTION_ATTR_*`: the attributes of an action list.
    pub struct ActionAttrs = "action-attrs" {
        /// Output to a port.
        1 OUTPUT "output": u32;
    }
}
