#!/usr/bin/env bash
# The no_std proof. Builds the `#![no_std]` static library that links
# nl-core (release: panic=abort, LTO, opt-level s) and checks the archive:
#   - no object of the std crates (std, alloc, their runtime) is in it;
#   - our object (nl-core and the part of core it uses, merged by LTO)
#     defines no std/alloc/allocator symbol, and needs from outside the
#     archive nothing but memcpy/memmove/memset/memcmp/bcmp;
#   - nothing in the whole archive needs malloc & co. or a Rust allocator.
# Then prints the code size, links smoke.c against it and runs it (host
# only), repeats the symbol checks for thumbv7em-none-eabihf if that target
# is installed, and builds nl-core with the defmt feature.
#
# Symbols are read with `nm --target=<bfd name>`: plain nm hands the
# compiler_builtins objects to its LLVM plugin (they embed bitcode newer
# than the system LLVM), which fails and lists no symbols at all.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "nostd-check: FAILED: $*" >&2
    exit 1
}

ALLOC_SYMS='^(malloc|calloc|realloc|free|posix_memalign|aligned_alloc|memalign|__rust_alloc|__rust_dealloc|__rust_realloc|__rust_alloc_zeroed|__rust_alloc_error_handler|__rust_no_alloc_shim_is_unstable.*|__rg_.*|__rdl_.*)$'
STD_CRATES='^(std|alloc|panic_unwind|panic_abort|unwind|std_detect|hashbrown|addr2line|gimli|object|miniz_oxide|rustc_demangle)$'
MEM_FNS='^(memcpy|memmove|memset|memcmp|bcmp)$'

# check ARCHIVE BFD_TARGET: prints the text size of our object.
check() {
    local lib="$1" bfd="$2" dir="$tmp/$2"
    mkdir -p "$dir"
    (cd "$dir" && ar x "$lib")

    local crates
    crates=$(ar t "$lib" | sed -n 's/^\([A-Za-z0-9_]*\)-[0-9a-f]\{16\}\..*\.o$/\1/p' | sort -u)
    if grep -E "$STD_CRATES" <<<"$crates" >/dev/null; then
        fail "$lib holds std objects: $(grep -E "$STD_CRATES" <<<"$crates" | tr '\n' ' ')"
    fi
    local ours=("$dir"/nostd_check-*.o)
    [ -e "${ours[0]}" ] || fail "no nostd_check object in $lib"

    nm --target="$bfd" --defined-only "$dir"/*.o 2>/dev/null | awk 'NF==3{print $3}' | sort -u >"$dir/defined"
    nm --target="$bfd" -u "$dir"/*.o 2>/dev/null | awk '$1=="U"{print $2}' | sort -u >"$dir/undefined"
    [ -s "$dir/defined" ] || fail "nm read no symbols from $lib"

    local bad
    bad=$(grep -hE "$ALLOC_SYMS" "$dir/undefined" "$dir/defined" || true)
    [ -z "$bad" ] || fail "allocator symbols in $lib: $bad"

    bad=$(nm --target="$bfd" -C "${ours[@]}" 2>/dev/null | grep -E '(^|[^A-Za-z0-9_:])(std|alloc)::|_ZN3std|_ZN5alloc' || true)
    [ -z "$bad" ] || fail "std or alloc symbols in our object: $(head -n 5 <<<"$bad")"

    local needs
    needs=$(nm --target="$bfd" -u "${ours[@]}" 2>/dev/null | awk '$1=="U"{print $2}' | sort -u \
        | comm -23 - "$dir/defined" | grep -vE "$MEM_FNS" || true)
    [ -z "$needs" ] || fail "our object needs from outside: $needs"

    size "${ours[@]}" | awk 'NR==2{print $1}'
}

# --- host ---------------------------------------------------------------
cargo build --release --locked --quiet
host_lib="$PWD/target/release/libnostd_check.a"
host_text=$(check "$host_lib" elf64-x86-64)
echo "host: no std objects, no allocator symbols; nl-core + used core = $host_text bytes of text (x86_64, opt-level s, LTO)"
echo "exported functions (bytes):"
nm --target=elf64-x86-64 -S --size-sort "$host_lib" 2>/dev/null | while read -r _ size kind name; do
    if [ "$kind" = T ] && [[ "$name" == nl_* ]]; then
        printf '  %-24s %d\n' "$name" "$((16#$size))"
    fi
done

if command -v cc >/dev/null; then
    cc -O2 -Wall -Wextra -Werror -o target/smoke smoke.c "$host_lib" -Wl,--gc-sections
    ./target/smoke >target/smoke.out || { cat target/smoke.out; fail "smoke.c"; }
    echo "smoke.c: C calls encode and decode correctly"
    smoke="smoke ok"
else
    echo "smoke.c: skipped (no C compiler)"
    smoke="smoke skipped"
fi

# --- embedded target, when installed -------------------------------------
arm=thumbv7em-none-eabihf
if rustup target list --installed 2>/dev/null | grep -qx "$arm"; then
    cargo build --release --locked --quiet --target "$arm"
    arm_text=$(check "$PWD/target/$arm/release/libnostd_check.a" elf32-little)
    echo "$arm: no std objects, no allocator symbols; $arm_text bytes of text"
    arm_note="$arm $arm_text B"
else
    echo "$arm: target not installed, skipped (rustup target add $arm)"
    arm_note="$arm skipped"
fi

# --- defmt ------------------------------------------------------------------
(cd .. && cargo build --quiet -p nl-core --features defmt) || fail "nl-core --features defmt"
echo "defmt: nl-core builds with --features defmt"

echo "nostd-check: ok (x86_64 $host_text B text, $smoke, $arm_note, defmt builds)"
