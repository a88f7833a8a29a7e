//! Flow keys and masks (`key-attrs`).

crate::attr_set! {
    /// `OVS_KEY_ATTR_*`: the attributes of a flow key or mask.
    pub struct KeyAttrs = "key-attrs" {
        /// Packet priority.
        2 PRIORITY "priority": u32;
    }
}
