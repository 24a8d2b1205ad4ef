#!/usr/bin/env bash
# Search latency of gongkai-search on a large synthetic corpus.
#
#   scripts/bench-search.sh [--docs N] [--queries N] [--heap-mb MB] [--threads N]
#
# Builds (once) an index of 1,000,000 generated items under <target dir>/search-bench/ and
# reuses it on later runs, then times 1,000 varied queries one after another and prints
# p50 / p95 / p99 (target: p99 <= 20 ms). Release build; the first run builds the index
# (minutes on 2 cores, about 1 GB of disk). Figures of record: docs/PERFORMANCE-search.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release --quiet -p gongkai-search --example bench_search -- \
  --docs 1000000 --queries 1000 "$@"
