#!/usr/bin/env bash
# Fuzzes the annual-report parser with cargo-fuzz: seeds a corpus from the seed report and the
# published reports of ../shared (copied at run time, never committed), then runs a target a
# fixed number of times. Works on a stable toolchain (RUSTC_BOOTSTRAP lets cargo-fuzz use the
# nightly-only sanitizer flags).
#
#   scripts/fuzz.sh [TARGET] [RUNS]     TARGET: parse_str (default) or parse_html; RUNS: 1000000
#   MAX_LEN=8192 scripts/fuzz.sh …      longest input (default 2048 bytes)
#
# A crash leaves its input in fuzz/artifacts/TARGET/; add it to
# crates/gongkai-report/tests/data/fuzz-regressions/ so the test suite keeps it fixed.
set -euo pipefail

target="${1:-parse_str}"
runs="${2:-1000000}"
max_len="${MAX_LEN:-2048}"
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED_DIR:-$root/../shared}"
corpus="$root/fuzz/corpus/$target"

mkdir -p "$corpus"
# Whole reports are 2–370 KB; the fuzzer runs on pieces of at most $max_len bytes cut at line
# boundaries, so that every piece (title, a run of table rows, table 四, prose) is a seed
# small enough to run thousands of times a second.
for f in "$shared"/seed/*.txt "$shared"/reports/*.txt "$shared"/reports/html/*.html; do
    [ -f "$f" ] || continue
    split -C "$max_len" -d -a 3 "$f" "$corpus/$(basename "$f")."
done
for f in "$root"/crates/gongkai-report/tests/data/fuzz-regressions/*; do
    [ -f "$f" ] && cp -f "$f" "$corpus/"
done

cd "$root/fuzz"
# -s none: the parser crate forbids unsafe code, so what the fuzzer looks for is panics
# (index out of range, overflow: -a keeps overflow checks on), which need no sanitizer and
# run several times faster without one.
RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a -s none "$target" "$corpus" -- \
    -runs="$runs" -max_len="$max_len" -print_final_stats=1
