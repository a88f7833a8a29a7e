#!/usr/bin/env bash
# The firmware-like agent's proof: builds agent/ (its own workspace) for
# release and checks the executable:
#   - static: no program interpreter, no dynamic section;
#   - self-contained: no undefined symbol at all;
#   - no libc (no __libc_start_main, malloc, printf..., no GLIBC_ version
#     references) and no allocator (__rust_alloc, __rg_*, __rdl_*...),
#     no std or alloc code: checked on a copy built with its symbols
#     (profile release-symbols);
#   - the stripped release binary is at most NL_AGENT_MAX_BYTES bytes
#     (default 32768), and says why not when bigger;
#   - a bad command line exits 2 (the binary runs);
#   - the unit tests of the agent's pure parts (the library target) pass,
#     run by the host's test harness without the static link flags.
#
# Symbols are read with `nm --target=elf64-x86-64`, as nostd-check does
# (plain nm may hand objects with newer bitcode to its LLVM plugin).
set -euo pipefail
cd "$(dirname "$0")"

fail() {
    echo "agent check: FAILED: $*" >&2
    exit 1
}

# .cargo/config.toml holds the static, no-libc link flags: flags from the
# environment would replace them.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS CARGO_BUILD_TARGET
unset CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS

triple=x86_64-unknown-linux-gnu
max="${NL_AGENT_MAX_BYTES:-32768}"
cargo build --release --locked --quiet --target-dir target
cargo build --profile release-symbols --locked --quiet --target-dir target
bin="target/$triple/release/nl-agent"
syms="target/$triple/release-symbols/nl-agent"
[ -x "$bin" ] || fail "$bin was not built"
[ -x "$syms" ] || fail "$syms was not built"

# --- static, no interpreter, no dynamic section -----------------------------
file "$bin" | grep -q "statically linked" || fail "not statically linked: $(file -b "$bin")"
! readelf -lW "$bin" | grep -q "INTERP" || fail "$bin has a program interpreter"
readelf -dW "$bin" | grep -q "There is no dynamic section" || fail "$bin has a dynamic section"
[ "$(readelf -hW "$bin" | awk '/Type:/{print $2}')" = EXEC ] || fail "$bin is not a plain (non-PIE) executable"

# --- symbols ----------------------------------------------------------------
nm_() { nm --target=elf64-x86-64 "$@" 2>/dev/null; }
defined=$(nm_ --defined-only "$syms" | awk 'NF==3{print $3}' | sort -u)
[ -n "$defined" ] || fail "nm read no symbols from $syms"
undefined=$(nm_ -u "$syms" | awk '{print $NF}' | sort -u)
[ -z "$undefined" ] || fail "undefined symbols: $(tr '\n' ' ' <<<"$undefined")"

LIBC_SYMS='^(__libc_start_main|__libc_csu_init|_init|_fini|__cxa_.*|malloc|calloc|realloc|free|posix_memalign|aligned_alloc|memalign|printf|fprintf|puts|write|read|exit|_exit|abort|strlen|errno|__errno_location|syscall|socket|sendto|recvfrom|bind)$'
ALLOC_SYMS='^(__rust_alloc|__rust_dealloc|__rust_realloc|__rust_alloc_zeroed|__rust_alloc_error_handler|__rust_no_alloc_shim_is_unstable.*|__rg_.*|__rdl_.*)$'
bad=$(grep -E "$LIBC_SYMS" <<<"$defined" || true)
[ -z "$bad" ] || fail "libc symbols: $(tr '\n' ' ' <<<"$bad")"
bad=$(grep -E "$ALLOC_SYMS" <<<"$defined" || true)
[ -z "$bad" ] || fail "allocator symbols: $(tr '\n' ' ' <<<"$bad")"
bad=$(nm_ -C "$syms" | grep -E '(^|[^A-Za-z0-9_:])(std|alloc)::' || true)
[ -z "$bad" ] || fail "std or alloc code: $(head -n 5 <<<"$bad")"
! grep -qa "GLIBC_" "$bin" || fail "$bin refers to GLIBC symbol versions"

# --- it runs: a bad command line is a usage error ---------------------------
set +e
"$bin" route frobnicate 2>"target/usage.err"
status=$?
set -e
[ "$status" -eq 2 ] || fail "a bad command line exited $status, not 2"
grep -q '"frobnicate"' "target/usage.err" || fail "the usage error does not name the bad word"

# --- unit tests of the pure parts (IP text, route printer, builders...) -----
# RUSTFLAGS (even empty) replaces the static, no-libc flags of
# .cargo/config.toml, which a std test harness cannot link with.
RUSTFLAGS="" cargo test --lib --locked --quiet --target-dir target/host-test >target/unit.log 2>&1 ||
    fail "unit tests: $(tail -n 20 target/unit.log)"
echo "agent: unit tests passed ($(grep -o '[0-9]* passed' target/unit.log | head -n 1))"

# --- size -------------------------------------------------------------------
size=$(stat -c %s "$bin")
text=$(size -A "$bin" | awk '$1==".text"{print $2}')
rodata=$(size -A "$bin" | awk '$1==".rodata"{print $2}')
echo "agent: static, no libc, no allocator, no undefined symbols"
echo "agent: stripped release binary $size bytes (.text $text, .rodata $rodata; limit $max)"
# Where the code goes, by symbol (after LTO: nl-core code inlined into the
# agent's functions counts as the agent's).
nm_ -C -S -t d --size-sort "$syms" | awk '
    $3 ~ /^[tT]$/ {
        name = $4; for (i = 5; i <= NF; i++) name = name " " $i
        if (name ~ /nl_agent::/ || name ~ /^(_start|mem(cpy|move|set|cmp)|bcmp|rust_eh_personality)$/) part = "agent (sys, args, steps, output)"
        else if (name ~ /nl_core::/) part = "nl-core"
        else if (name ~ /core::net::/) part = "core::net (IP parse/print)"
        else part = "core (fmt, str, slices)"
        bytes[part] += $2
    }
    END { for (p in bytes) printf "  %-34s %6d bytes of .text\n", p, bytes[p] }' | sort
[ "$size" -le "$max" ] || fail "the stripped binary is $size bytes, more than $max"
echo "agent check: ok ($size bytes)"
