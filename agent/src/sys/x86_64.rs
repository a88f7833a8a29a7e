//! x86_64 Linux: system call numbers, the `syscall` instruction, the
//! process entry point, and the memory functions the compiler calls.
//!
//! Porting the agent to another architecture means writing this file
//! again for it (aarch64: `svc #0`, numbers from `asm-generic/unistd.h`).
//!
//! Process stack at `_start` (System V ABI):
//! ```text
//! rsp -> +--------+---------+-----+-----------+------+-----------+------+
//!        | argc   | argv[0] | ... | argv[n-1] | NULL | envp[0].. | NULL |
//!        | (u64)  | (ptr)   |     | (ptr)     |      |           |      |
//!        +--------+---------+-----+-----------+------+-----------+------+
//! ```

use core::arch::{asm, global_asm};

pub(super) const SYS_WRITE: usize = 1;
pub(super) const SYS_CLOSE: usize = 3;
pub(super) const SYS_SOCKET: usize = 41;
pub(super) const SYS_SENDTO: usize = 44;
pub(super) const SYS_RECVFROM: usize = 45;
pub(super) const SYS_BIND: usize = 49;
pub(super) const SYS_GETSOCKNAME: usize = 51;
pub(super) const SYS_SETSOCKOPT: usize = 54;
pub(super) const SYS_EXIT_GROUP: usize = 231;

/// Makes system call `n` with six arguments; returns the raw result
/// (a negative errno on failure).
///
/// # Safety
/// The arguments must be what system call `n` expects: every pointer
/// valid for the length and direction the call uses it with.
pub(super) unsafe fn syscall6(n: usize, args: [usize; 6]) -> isize {
    let ret: isize;
    // SAFETY: the caller vouches for the arguments; the kernel clobbers
    // only rcx and r11 (declared) and returns in rax.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") n as isize => ret,
            in("rdi") args[0],
            in("rsi") args[1],
            in("rdx") args[2],
            in("r10") args[3],
            in("r8") args[4],
            in("r9") args[5],
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

// The entry point: hands the initial stack pointer (argc, argv) to Rust
// with the stack aligned to 16 bytes, as a call expects.
global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "xor ebp, ebp",
    "mov rdi, rsp",
    "and rsp, -16",
    "call {entry}",
    "ud2",
    entry = sym super::entry,
);

/// Copies `n` bytes from `src` to `dest` (which do not overlap).
///
/// # Safety
/// `src` readable and `dest` writable for `n` bytes, not overlapping.
#[unsafe(no_mangle)]
pub(super) unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller's promise; `rep movsb` copies rcx bytes forward
    // (the ABI keeps the direction flag clear) and changes no flag.
    unsafe {
        asm!(
            "rep movsb",
            inout("rcx") n => _,
            inout("rdi") dest => _,
            inout("rsi") src => _,
            options(nostack, preserves_flags),
        );
    }
    dest
}

/// Copies `n` bytes from `src` to `dest`, which may overlap.
///
/// # Safety
/// `src` readable and `dest` writable for `n` bytes.
#[unsafe(no_mangle)]
pub(super) unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dest as usize).wrapping_sub(src as usize) >= n {
        // `dest` is below `src` or past its end: a forward copy is safe.
        // SAFETY: the caller's promise, as for `memcpy`.
        unsafe {
            asm!(
                "rep movsb",
                inout("rcx") n => _,
                inout("rdi") dest => _,
                inout("rsi") src => _,
                options(nostack, preserves_flags),
            );
        }
    } else if n != 0 {
        // SAFETY: the caller's promise; copies backward from the last byte
        // (direction flag set, then cleared again as the ABI requires).
        unsafe {
            asm!(
                "std",
                "rep movsb",
                "cld",
                inout("rcx") n => _,
                inout("rdi") dest.add(n - 1) => _,
                inout("rsi") src.add(n - 1) => _,
                options(nostack),
            );
        }
    }
    dest
}

/// Sets `n` bytes at `dest` to the low byte of `c`.
///
/// # Safety
/// `dest` writable for `n` bytes.
#[unsafe(no_mangle)]
pub(super) unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: the caller's promise; `rep stosb` stores al rcx times forward.
    unsafe {
        asm!(
            "rep stosb",
            inout("rcx") n => _,
            inout("rdi") dest => _,
            in("al") c as u8,
            options(nostack, preserves_flags),
        );
    }
    dest
}

/// Compares `n` bytes: negative, zero or positive as `a` sorts before,
/// equal to or after `b`.
///
/// # Safety
/// `a` and `b` readable for `n` bytes.
#[unsafe(no_mangle)]
pub(super) unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i < n {
        // SAFETY: i < n and both are readable for n bytes.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

/// Compares `n` bytes for equality only (zero when equal).
///
/// # Safety
/// `a` and `b` readable for `n` bytes.
#[unsafe(no_mangle)]
pub(super) unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe { memcmp(a, b, n) }
}

/// The length of the NUL-terminated string at `s`. Written with
/// `repne scasb` because LLVM turns a plain byte loop into a call to
/// `strlen`, which nothing here provides.
///
/// # Safety
/// `s` must point at a NUL-terminated string.
pub(super) unsafe fn strlen(s: *const u8) -> usize {
    let left: usize;
    // SAFETY: the caller's promise: the scan stops at the NUL. It starts
    // with rcx = usize::MAX and leaves MAX - (length + 1) in rcx.
    unsafe {
        asm!(
            "repne scasb",
            inout("rcx") usize::MAX => left,
            inout("rdi") s => _,
            in("al") 0u8,
            options(nostack, readonly),
        );
    }
    usize::MAX - left - 1
}
