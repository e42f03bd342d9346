#!/usr/bin/env bash
# A libFuzzer campaign of one target (fuzz/README.md, "Campaign log"):
#
#   bash scripts/fuzz-campaign.sh TARGET SECONDS
#
# Builds the targets (cargo-fuzz, nightly), then fuzzes TARGET for SECONDS in
# fork mode at the lowest CPU priority: each child process runs a batch of
# inputs, and a crash, hang (10 s) or out-of-memory (2 GB) ends only that
# child, so the campaign goes on and keeps every find in
# fuzz/artifacts/TARGET/. The corpus grows in fuzz/corpus/TARGET/ next to the
# committed seeds (only `seed-*` files are committed). The log is written to
# fuzz/camp/TARGET.log; its last `#N: cov: … corp: …` line and the
# `stat::` lines at the end are what the campaign log records.
#
# A crash that does not reproduce when its input is run alone depends on an
# input run before it in the same process (a cache keyed by path, say):
# replay it after the corpus, shuffled, until it does:
#
#   fuzz/target/x86_64-unknown-linux-gnu/release/TARGET \
#       $(ls -d fuzz/corpus/TARGET/* | shuf | head -800) fuzz/artifacts/TARGET/crash-*
set -euo pipefail
target="${1:?usage: fuzz-campaign.sh TARGET SECONDS}"
seconds="${2:?usage: fuzz-campaign.sh TARGET SECONDS}"
cd "$(dirname "$0")/../fuzz"
cargo +nightly fuzz build "$target"
mkdir -p "artifacts/$target" camp
exec nice -n 19 "target/x86_64-unknown-linux-gnu/release/$target" "corpus/$target" \
    -dict=dict/oie.dict -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -print_final_stats=1 -artifact_prefix="artifacts/$target/" >"camp/$target.log" 2>&1
