//! A counting global allocator, so a bench can report how many heap
//! allocations a decoder or encoder makes per message.
//!
//! A bench binary installs it with
//! `#[global_allocator] static ALLOC: CountingAlloc = CountingAlloc;` and
//! then measures a closure with [`count`]. Counting is process-wide, so
//! measure with one thread running (criterion runs benches on one).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

/// Allocations (`alloc`, `alloc_zeroed`, `realloc`) since the process started.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting every allocation and reallocation.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountingAlloc;

// SAFETY: every method forwards its arguments unchanged to `System`, which
// upholds the `GlobalAlloc` contract; the counter is an atomic that never
// allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's guarantees for `layout` are `System::alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by this allocator, that is by `System`,
        // with `layout`; the caller guarantees `new_size` is valid for it.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through this allocator)
        // with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocations made so far by this process (through [`CountingAlloc`]
/// when it is the global allocator; always 0 otherwise).
pub fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Runs `f` and returns its result with the allocations it made.
pub fn count<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = allocations();
    let value = f();
    (value, allocations() - before)
}

/// Runs `f` once (outside any timing) and prints
/// `{id}: allocations per message: X` for its `messages` messages;
/// returns what `f` returned.
pub fn report<T>(id: &str, messages: usize, f: impl FnOnce() -> T) -> T {
    let (value, allocs) = count(f);
    let per_message = allocs as f64 / messages.max(1) as f64;
    println!("{id}: allocations per message: {per_message:.2}");
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test: the counter is process-wide, so two tests using it in
    // parallel would see each other's allocations. Nothing else in this
    // binary allocates through `CountingAlloc` (it is not its global
    // allocator).
    #[test]
    fn every_allocation_and_reallocation_is_counted() {
        let layout = Layout::from_size_align(64, 8).expect("valid layout");
        let grown_layout = Layout::from_size_align(128, 8).expect("valid layout");
        let before = allocations();
        // SAFETY: `layout` has a non-zero size; each block is freed once,
        // with the layout it has (the grown one after `realloc`).
        unsafe {
            let block = CountingAlloc.alloc(layout);
            assert!(!block.is_null());
            let grown = CountingAlloc.realloc(block, layout, 128);
            assert!(!grown.is_null());
            let zeroed = CountingAlloc.alloc_zeroed(layout);
            assert_eq!(*zeroed, 0);
            CountingAlloc.dealloc(zeroed, layout);
            CountingAlloc.dealloc(grown, grown_layout);
        }
        assert_eq!(allocations() - before, 3);

        let (value, allocs) = count(|| {
            // SAFETY: non-zero size; freed once with the same layout.
            unsafe { CountingAlloc.dealloc(CountingAlloc.alloc(layout), layout) };
            7
        });
        assert_eq!((value, allocs), (7, 1));
        assert_eq!(count(|| ()).1, 0);
    }
}
