//! `defmt::Format` for the types whose fields defmt cannot derive for
//! (zerocopy byte-order fields, function pointers, generic index storage).

use defmt::{Format, Formatter, write};

use crate::Writer;
#[cfg(feature = "genl")]
use crate::genl::GenlHeader;
use crate::nlmsg::Header;
use crate::table::{ArrayIter, AttrSet, Def, Field, Index, Kind, Multi, Nested, Table};

impl Format for Header {
    fn format(&self, f: Formatter<'_>) {
        write!(
            f,
            "Header {{ len: {=u32}, ty: {=u16}, flags: {=u16:#x}, seq: {=u32}, pid: {=u32} }}",
            self.len.get(),
            self.ty.get(),
            self.flags.get(),
            self.seq.get(),
            self.pid.get()
        )
    }
}

#[cfg(feature = "genl")]
impl Format for GenlHeader {
    fn format(&self, f: Formatter<'_>) {
        write!(
            f,
            "GenlHeader {{ cmd: {=u8}, version: {=u8} }}",
            self.cmd, self.version
        )
    }
}

impl Format for Writer<'_> {
    fn format(&self, f: Formatter<'_>) {
        write!(
            f,
            "Writer {{ len: {=usize}, capacity: {=usize} }}",
            self.len(),
            self.capacity()
        )
    }
}

impl<S: AttrSet> Format for Index<'_, S> {
    /// The set's name, then `name=<length>` for each known attribute present.
    fn format(&self, f: Formatter<'_>) {
        let table = S::table();
        write!(f, "{=str} {{", table.name);
        for def in table.iter() {
            if let Some(payload) = self.raw(def.ty) {
                write!(f, " {=str}=<{=usize}>", def.name, payload.len());
            }
        }
        write!(f, " unknown={=u16} }}", self.unknown());
    }
}

impl<S: AttrSet> Format for Nested<'_, S> {
    fn format(&self, f: Formatter<'_>) {
        write!(
            f,
            "Nested<{=str}>({=usize} bytes)",
            S::table().name,
            self.bytes().len()
        )
    }
}

impl<E> Format for ArrayIter<'_, E> {
    fn format(&self, f: Formatter<'_>) {
        write!(f, "ArrayIter")
    }
}

impl<K> Format for Multi<'_, K> {
    fn format(&self, f: Formatter<'_>) {
        write!(f, "Multi")
    }
}

impl<S, K> Format for Field<S, K> {
    fn format(&self, f: Formatter<'_>) {
        write!(f, "Field({=u16})", self.ty())
    }
}

impl Format for Kind {
    fn format(&self, f: Formatter<'_>) {
        match *self {
            Kind::Nest(table) => write!(f, "Nest({=str})", table().name),
            Kind::Array(elem) => write!(f, "Array({})", elem),
            Kind::Str { max } => write!(f, "Str {{ max: {=u16} }}", max),
            Kind::NulStr { max } => write!(f, "NulStr {{ max: {=u16} }}", max),
            Kind::Binary { min, max } => {
                write!(f, "Binary {{ min: {=u16}, max: {=u16} }}", min, max)
            }
            Kind::U32s { max } => write!(f, "U32s {{ max: {=u16} }}", max),
            Kind::Struct { len, .. } => write!(f, "Struct {{ len: {=u16} }}", len),
            other => write!(f, "{=str}", other.name()),
        }
    }
}

impl Format for Def {
    fn format(&self, f: Formatter<'_>) {
        write!(
            f,
            "Def {{ ty: {=u16}, name: {=str}, kind: {}, multi: {=bool} }}",
            self.ty, self.name, self.kind, self.multi
        )
    }
}

impl Format for Table {
    fn format(&self, f: Formatter<'_>) {
        write!(f, "Table({=str})", self.name)
    }
}
