//! The no_std proof: nl-core linked into a `#![no_std]` static library with
//! no allocator and `panic = "abort"`, exported to C.
//!
//! Each function takes its buffers from the caller (so nothing is folded
//! away at build time) and returns a length, a count or -1. `check.sh`
//! builds this, checks the archive for allocator and std symbols, prints
//! the code size and runs `smoke.c` against it.

#![no_std]

use core::fmt::{self, Write};
use core::slice;

use nl_core::genl::GenlHeader;
use nl_core::genl::ctrl::{self, CtrlAttrs, Family, GENL_ID_CTRL};
use nl_core::nlmsg::{Flags, Header, Message, Messages, Reply, RequestLayout};
use nl_core::table::{AttrSet, Be16, Binary, Flag, Index, Nest, NulStr, Uint};
use nl_core::{Error, Writer};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}

nl_core::attr_set! {
    /// A set using most kinds, declared outside nl-core.
    pub struct Demo = "demo-attrs" {
        /// A u32.
        1 ID "id": u32;
        /// A NUL-terminated string of at most 15 bytes.
        2 NAME "name": NulStr<15>;
        /// A big-endian u16.
        3 PORT "port": Be16;
        /// A 4- or 8-byte unsigned integer.
        4 SIZE "size": Uint;
        /// A flag.
        5 ENABLED "enabled": Flag;
        /// A nest.
        6 INNER "inner": Nest<Inner>;
    }
}

nl_core::attr_set! {
    /// The nest inside [`Demo`].
    pub struct Inner = "inner-attrs" {
        /// Binary of 1 to 16 bytes.
        1 KEY "key": Binary<1, 16>;
        /// A u64.
        2 VALUE "value": u64;
    }
}

/// The message type of [`nl_build_demo`] messages.
pub const DEMO_TYPE: u16 = 0x20;

/// What [`nl_decode`] saw in a datagram.
#[repr(C)]
#[derive(Default)]
pub struct NlSummary {
    /// Messages in the datagram.
    pub messages: u32,
    /// nlctrl family messages.
    pub families: u32,
    /// Demo messages.
    pub demos: u32,
    /// ACKs.
    pub acks: u32,
    /// Errors.
    pub errors: u32,
    /// DONE messages.
    pub dones: u32,
    /// The last error's or DONE's errno (positive), else 0.
    pub errno: i32,
    /// The last error's extended-ACK offset, else `u32::MAX`.
    pub ext_offset: u32,
    /// The last family's id.
    pub family_id: u16,
    /// The last family's operation count.
    pub ops: u16,
    /// The last family's multicast group count.
    pub groups: u16,
    /// Id of the last family's group "notify", else 0.
    pub notify_group: u32,
    /// The last demo message's `id`.
    pub demo_id: u32,
    /// The last demo message's `port`.
    pub demo_port: u16,
    /// The last demo message's `enabled`.
    pub demo_enabled: u8,
    /// The last demo message's `size`.
    pub demo_size: u64,
    /// The last demo message's `inner.value`.
    pub demo_value: u64,
    /// Unknown attributes skipped in the last demo message.
    pub demo_unknown: u16,
}

/// # Safety
/// `ptr` must be valid for `len` bytes (or `len` 0).
unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller guarantees `ptr` is valid for reads of `len` bytes.
    unsafe { slice::from_raw_parts(ptr, len) }
}

/// # Safety
/// `ptr` must be valid for writes of `len` bytes (or `len` 0) and not aliased.
unsafe fn bytes_mut<'a>(ptr: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller guarantees `ptr` is valid and unaliased for `len` bytes.
    unsafe { slice::from_raw_parts_mut(ptr, len) }
}

fn length(result: Result<usize, Error>) -> isize {
    result
        .ok()
        .and_then(|n| isize::try_from(n).ok())
        .unwrap_or(-1)
}

/// Builds `CTRL_CMD_GETFAMILY` for `name` into `buf`; returns its length or -1.
///
/// # Safety
/// `buf` valid for `cap` bytes, `name` for `name_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nl_get_family_by_name(
    buf: *mut u8,
    cap: usize,
    seq: u32,
    name: *const u8,
    name_len: usize,
) -> isize {
    // SAFETY: forwarded from this function's contract.
    let (buf, name) = unsafe { (bytes_mut(buf, cap), bytes(name, name_len)) };
    let Ok(name) = core::str::from_utf8(name) else {
        return -1;
    };
    length(ctrl::get_family_by_name(buf, seq, name).map(<[u8]>::len))
}

/// Builds a demo message with every kind of [`Demo`] and a nest; returns its
/// length or -1.
///
/// # Safety
/// `buf` valid for `cap` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nl_build_demo(
    buf: *mut u8,
    cap: usize,
    seq: u32,
    id: u32,
    port: u16,
    size: u64,
    value: u64,
) -> isize {
    // SAFETY: forwarded from this function's contract.
    let buf = unsafe { bytes_mut(buf, cap) };
    length(build_demo(buf, seq, id, port, size, value))
}

fn build_demo(
    buf: &mut [u8],
    seq: u32,
    id: u32,
    port: u16,
    size: u64,
    value: u64,
) -> Result<usize, Error> {
    let mut w = Writer::new(buf);
    let start = w.begin_message(Header::new(DEMO_TYPE, Flags::REQUEST | Flags::ACK, seq, 0))?;
    w.put(Demo::ID, id)?;
    w.put(Demo::NAME, "nostd")?;
    w.put(Demo::PORT, port)?;
    w.put(Demo::SIZE, size)?;
    w.put(Demo::ENABLED, ())?;
    let inner = w.nest(Demo::INNER)?;
    w.put(Inner::KEY, b"key".as_slice())?;
    w.put(Inner::VALUE, value)?;
    w.nest_end(inner)?;
    w.end_message(start)
}

/// Decodes a datagram into `out`; returns the message count or -1 on the
/// first malformed message.
///
/// # Safety
/// `buf` valid for `len` bytes; `out` valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nl_decode(buf: *const u8, len: usize, out: *mut NlSummary) -> i32 {
    // SAFETY: forwarded from this function's contract.
    let buf = unsafe { bytes(buf, len) };
    let mut summary = NlSummary {
        ext_offset: u32::MAX,
        ..NlSummary::default()
    };
    let result = decode(buf, &mut summary).map(|()| summary.messages);
    // SAFETY: the caller guarantees `out` is valid for writes.
    unsafe { out.write(summary) };
    result
        .ok()
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(-1)
}

fn decode(buf: &[u8], s: &mut NlSummary) -> Result<(), Error> {
    for message in Messages::new(buf) {
        s.messages += 1;
        match Reply::classify(message?)? {
            Reply::Data(m) if m.ty() == GENL_ID_CTRL => family(&m, s)?,
            Reply::Data(m) if m.ty() == DEMO_TYPE => demo(&m, s)?,
            Reply::Ack(_) => s.acks += 1,
            Reply::Error(e) => {
                s.errors += 1;
                s.errno = e.errno().0;
                s.ext_offset = e.ext.offset().unwrap_or(u32::MAX);
            }
            Reply::Done(d) => {
                s.dones += 1;
                s.errno = d.errno().0;
            }
            _ => {}
        }
    }
    Ok(())
}

fn family(m: &Message<'_>, s: &mut NlSummary) -> Result<(), Error> {
    let family = Family::parse(m)?;
    s.families += 1;
    s.family_id = family.id();
    let ops = family.ops_vec::<32>()?;
    s.ops = ops.len() as u16;
    s.groups = family.mcast_groups_vec::<8>()?.len() as u16;
    s.notify_group = family.mcast_group("notify")?.unwrap_or(0);
    Ok(())
}

fn demo(m: &Message<'_>, s: &mut NlSummary) -> Result<(), Error> {
    let attrs = Index::<Demo>::parse(m.payload())?;
    s.demos += 1;
    s.demo_id = attrs.get(Demo::ID).unwrap_or(0);
    s.demo_port = attrs.get(Demo::PORT).unwrap_or(0);
    s.demo_enabled = u8::from(attrs.has(Demo::ENABLED));
    s.demo_size = attrs.get(Demo::SIZE).unwrap_or(0);
    s.demo_unknown = attrs.unknown();
    if let Some(inner) = attrs.get(Demo::INNER) {
        let inner = inner.parse()?;
        s.demo_value = inner.get(Inner::VALUE).unwrap_or(0);
    }
    Ok(())
}

/// A `fmt::Write` into a caller's buffer; fails when it is full.
struct Text<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Write for Text<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes the text of the first nlctrl family message in `buf` (as
/// `genl ctrl list` prints it) into `out`; returns its length or -1.
///
/// # Safety
/// `buf` valid for `len` bytes, `out` for `cap` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nl_format_family(
    buf: *const u8,
    len: usize,
    out: *mut u8,
    cap: usize,
) -> isize {
    // SAFETY: forwarded from this function's contract.
    let (buf, out) = unsafe { (bytes(buf, len), bytes_mut(out, cap)) };
    let mut text = Text { buf: out, len: 0 };
    let written = Messages::new(buf)
        .filter_map(Result::ok)
        .find_map(|m| Family::parse(&m).ok())
        .map(|family| write!(text, "{family}").is_ok());
    match written {
        Some(true) => length(Ok(text.len)),
        _ => -1,
    }
}

/// For an error reply in `reply` to the nlctrl request `request`, writes
/// the kernel's message and the offending attribute's path (`text at
/// path`) into `out`; returns its length or -1.
///
/// # Safety
/// `reply` valid for `reply_len` bytes, `request` for `request_len`, `out` for `cap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nl_error_text(
    reply: *const u8,
    reply_len: usize,
    request: *const u8,
    request_len: usize,
    out: *mut u8,
    cap: usize,
) -> isize {
    // SAFETY: forwarded from this function's contract.
    let (reply, request, out) = unsafe {
        (
            bytes(reply, reply_len),
            bytes(request, request_len),
            bytes_mut(out, cap),
        )
    };
    let layout = RequestLayout {
        header_len: GenlHeader::LEN,
        attrs: CtrlAttrs::table(),
    };
    let mut text = Text { buf: out, len: 0 };
    for message in Messages::new(reply).filter_map(Result::ok) {
        let Ok(Reply::Error(error)) = Reply::classify(message) else {
            continue;
        };
        let mut ok = write!(text, "{}", error.errno()).is_ok();
        if let Some(msg) = error.ext.message() {
            ok &= write!(text, ": {msg}").is_ok();
        }
        if let Some(path) = error.ext.locate(request, layout) {
            ok &= write!(text, " at {path}").is_ok();
        }
        if let Some(name) = error.ext.missing_name(request, layout) {
            ok &= write!(text, " (missing {name})").is_ok();
        }
        return if ok { length(Ok(text.len)) } else { -1 };
    }
    -1
}
