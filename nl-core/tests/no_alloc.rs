//! Decoding and re-encoding a whole nlctrl dump allocates nothing.
//!
//! A counting global allocator counts the allocations made on the test's
//! own thread while counting is switched on, so the test harness and other
//! threads cannot disturb the count.

#![cfg(feature = "genl")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use nl_core::genl::ctrl::{self, Cmd, CtrlAttrs, Family, McastGroupAttrs, OpAttrs};
use nl_core::genl::{GenlHeader, split};
use nl_core::nlmsg::{self, Flags, Header, Messages, Reply};
use nl_core::{Error, Writer};

/// Forwards to the system allocator and counts what the current thread asks for.
struct Counting;

thread_local! {
    // Const-initialised and without destructors: reading them never allocates.
    static ON: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    let _ = ON.try_with(|on| {
        if on.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees are passed through; counting touches
// only thread-local cells.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract for `layout`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: `ptr` came from this allocator, hence from `System`, with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, hence from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` with counting on and returns how many allocations it made.
fn allocations<R>(f: impl FnOnce() -> R) -> (R, usize) {
    COUNT.with(|c| c.set(0));
    ON.with(|on| on.set(true));
    let out = f();
    ON.with(|on| on.set(false));
    (out, COUNT.with(Cell::get))
}

const FAMILIES: usize = 10_000;

/// What family `i` of the dump holds.
struct Expected {
    id: u16,
    name: String,
    version: u32,
    hdrsize: u32,
    maxattr: u32,
    ops: Vec<(u32, u32)>,
    groups: Vec<(String, u32)>,
}

fn expected(i: usize) -> Expected {
    let n = u32::try_from(i).unwrap();
    Expected {
        id: u16::try_from(0x20 + i).unwrap(),
        name: format!("family_{i}"),
        version: n % 7 + 1,
        hdrsize: (n % 3) * 4,
        maxattr: n % 40,
        ops: (0..i % 12)
            .map(|j| {
                (
                    u32::try_from(j).unwrap() + 1,
                    (n + u32::try_from(j).unwrap()) % 32,
                )
            })
            .collect(),
        groups: (0..i % 4)
            .map(|j| (format!("group_{j}"), n * 4 + u32::try_from(j).unwrap()))
            .collect(),
    }
}

/// Appends one family message as the kernel's dump sends it.
#[allow(clippy::too_many_arguments)]
fn put_family(
    w: &mut Writer<'_>,
    header: Header,
    genl: GenlHeader,
    id: u16,
    name: &str,
    version: u32,
    hdrsize: u32,
    maxattr: u32,
    ops: impl Iterator<Item = (u32, u32)>,
    groups: impl Iterator<Item = (impl AsRef<str>, u32)>,
) -> Result<(), Error> {
    let start = w.begin_message(header)?;
    w.put_struct(&genl)?;
    w.put(CtrlAttrs::FAMILY_ID, id)?;
    w.put(CtrlAttrs::FAMILY_NAME, name)?;
    w.put(CtrlAttrs::VERSION, version)?;
    w.put(CtrlAttrs::HDRSIZE, hdrsize)?;
    w.put(CtrlAttrs::MAXATTR, maxattr)?;
    let array = w.nest(CtrlAttrs::OPS)?;
    for (i, (op, flags)) in ops.enumerate() {
        let element = w.nest_start(u16::try_from(i + 1).map_err(|_| Error::TooLong)?)?;
        w.put(OpAttrs::ID, op)?;
        w.put(OpAttrs::FLAGS, flags)?;
        w.nest_end(element)?;
    }
    w.nest_end(array)?;
    let array = w.nest(CtrlAttrs::MCAST_GROUPS)?;
    for (i, (group, gid)) in groups.enumerate() {
        let element = w.nest_start(u16::try_from(i + 1).map_err(|_| Error::TooLong)?)?;
        w.put(McastGroupAttrs::NAME, group.as_ref())?;
        w.put(McastGroupAttrs::ID, gid)?;
        w.nest_end(element)?;
    }
    w.nest_end(array)?;
    w.end_message(start)?;
    Ok(())
}

fn put_done(w: &mut Writer<'_>, header: Header, status: i32) -> Result<(), Error> {
    let start = w.begin_message(header)?;
    w.put_bytes(&status.to_ne_bytes())?;
    w.end_message(start)?;
    Ok(())
}

#[test]
fn decoding_and_reencoding_a_dump_allocates_nothing() {
    // The counter works: an allocation made while counting is seen.
    let (boxed, n) = allocations(|| std::hint::black_box(Box::new(7u64)));
    assert_eq!((*boxed, n), (7, 1));

    // Build the dump before counting: 10,000 families, then DONE.
    let want: Vec<Expected> = (0..FAMILIES).map(expected).collect();
    let mut input = vec![0u8; 8 << 20];
    let mut w = Writer::new(&mut input);
    for (i, e) in want.iter().enumerate() {
        let seq = u32::try_from(i).unwrap() / 100 + 1; // a few dump "reads"
        put_family(
            &mut w,
            Header::new(ctrl::GENL_ID_CTRL, Flags::MULTI, seq, 4242),
            GenlHeader::new(Cmd::NewFamily.into(), 2),
            e.id,
            &e.name,
            e.version,
            e.hdrsize,
            e.maxattr,
            e.ops.iter().copied(),
            e.groups.iter().map(|(name, id)| (name.as_str(), *id)),
        )
        .unwrap();
    }
    put_done(&mut w, Header::new(nlmsg::DONE, Flags::MULTI, 101, 4242), 0).unwrap();
    let len = w.len();
    input.truncate(len);
    let mut output = vec![0xa5u8; len + 64];

    let (written, n) = allocations(|| {
        let mut out = Writer::new(&mut output);
        let mut seen = 0usize;
        let mut done = false;
        for message in Messages::new(&input) {
            let message = message.unwrap();
            assert!(!done, "nothing after DONE");
            match Reply::classify(message).unwrap() {
                Reply::Data(msg) => {
                    let e = &want[seen];
                    let fam = Family::parse(&msg).unwrap();
                    let (genl, _) = split(&msg).unwrap();
                    assert_eq!(fam.cmd, Cmd::NewFamily);
                    assert_eq!(fam.id(), e.id);
                    assert_eq!(fam.name(), e.name.as_str());
                    assert_eq!(fam.version(), e.version);
                    assert_eq!(fam.hdrsize(), e.hdrsize);
                    assert_eq!(fam.maxattr(), e.maxattr);
                    assert_eq!(fam.attrs.unknown(), 0);
                    let mut ops = 0;
                    for (op, want_op) in fam.ops().zip(&e.ops) {
                        let op = op.unwrap();
                        assert_eq!((op.id, op.flags.0), *want_op);
                        ops += 1;
                    }
                    assert_eq!(ops, e.ops.len());
                    let mut groups = 0;
                    for (group, (name, id)) in fam.mcast_groups().zip(&e.groups) {
                        let group = group.unwrap();
                        assert_eq!(group.name, name.as_str());
                        assert_eq!(group.id, *id);
                        groups += 1;
                    }
                    assert_eq!(groups, e.groups.len());
                    if let Some((name, id)) = e.groups.last() {
                        assert_eq!(fam.mcast_group(name), Ok(Some(*id)));
                    }

                    // Re-encode from what was decoded.
                    put_family(
                        &mut out,
                        Header::new(msg.ty(), msg.flags(), msg.seq(), msg.pid()),
                        genl,
                        fam.id(),
                        fam.name().to_str().unwrap(),
                        fam.version(),
                        fam.hdrsize(),
                        fam.maxattr(),
                        fam.ops()
                            .map(|op| op.map(|op| (op.id, op.flags.0)).unwrap()),
                        fam.mcast_groups()
                            .map(|g| g.map(|g| (g.name.to_str().unwrap(), g.id)).unwrap()),
                    )
                    .unwrap();
                    seen += 1;
                }
                Reply::Done(d) => {
                    assert_eq!(d.status, 0);
                    assert!(d.ext.is_empty());
                    let msg = d.message;
                    put_done(
                        &mut out,
                        Header::new(msg.ty(), msg.flags(), msg.seq(), msg.pid()),
                        d.status,
                    )
                    .unwrap();
                    done = true;
                }
                _ => panic!("unexpected reply"),
            }
        }
        assert!(done);
        assert_eq!(seen, FAMILIES);
        out.len()
    });

    assert_eq!(n, 0, "allocations while decoding and encoding");
    assert_eq!(written, len);
    assert_eq!(&output[..len], &input[..], "re-encoded bytes differ");
    assert!(output[len..].iter().all(|&b| b == 0xa5));
}
