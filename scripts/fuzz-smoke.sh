#!/usr/bin/env bash
# A short smoke of every fuzz target (fuzz/README.md): builds the targets
# with cargo-fuzz on the nightly toolchain, then runs each for
# FUZZ_SMOKE_SECONDS (default 45) over its seed corpus, with the dictionary,
# so the targets keep building and the seeds keep passing. A crash fails
# the script and leaves the input in fuzz/artifacts/<target>/.
#
# Needs: a nightly toolchain (`rustup toolchain install nightly`) and
# cargo-fuzz (`cargo install cargo-fuzz --locked`); both are installed
# here when missing.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SMOKE_SECONDS:-45}"

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build
for t in $targets; do
    echo "== fuzz smoke: $t (${seconds}s)"
    # A scratch copy of the seeds: the smoke never grows the committed corpus.
    work=$(mktemp -d)
    cp corpus/"$t"/seed-* "$work"/
    log="$work.log"
    status=0
    cargo +nightly fuzz run "$t" "$work" -- \
        -dict=dict/oie.dict -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|Done)" "$log" || true
    if [ "$status" -ne 0 ]; then tail -40 "$log" >&2; fi
    rm -rf "$work" "$log"
    if [ "$status" -ne 0 ]; then
        echo "fuzz smoke: $t failed (exit $status); see fuzz/artifacts/$t/" >&2
        exit 1
    fi
done
echo "fuzz smoke: every target ran clean"
