#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 30), starting
# from the committed seeds (copied into the git-ignored corpus/). Exits
# non-zero if a target fails to build, crashes, panics on an assertion,
# hangs (over 10 s on one input) or runs out of memory.
#
#   fuzz/run.sh 30        # 30 s per target (`cargo fuzz list`) plus the build
set -euo pipefail

seconds="${1:-30}"
cd "$(dirname "$0")"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: installing it"
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz needs nightly flags (-Zsanitizer). Use the nightly toolchain
# when rustup has one; otherwise let the stable one accept them.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    fuzz=(cargo +nightly fuzz)
    fetch=(cargo +nightly fetch)
else
    echo "no nightly toolchain: using stable with RUSTC_BOOTSTRAP=1"
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
    fetch=(cargo fetch)
fi

# Fail if Cargo.lock would have to change, then build every target.
"${fetch[@]}" --locked --quiet
"${fuzz[@]}" build

targets=$("${fuzz[@]}" list)
failed=()
for target in $targets; do
    mkdir -p "corpus/$target"
    cp seeds/"$target"/* "corpus/$target/"
    log="corpus/$target.log"
    printf '%-12s %ss ... ' "$target" "$seconds"
    if "${fuzz[@]}" run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        echo "ok (${runs:-?} runs, $(ls "corpus/$target" | wc -l) in corpus)"
    else
        echo "FAILED"
        grep -E -A3 "panicked at|ERROR: libFuzzer|SUMMARY:" "$log" | head -n 20 || true
        grep -E "^artifact_prefix|Test unit written to" "$log" || true
        echo "  full log: fuzz/$log"
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -ne 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}"
    exit 1
fi
echo "fuzz: $(echo $targets | wc -w) targets ran ${seconds}s each, no crash"
