#!/usr/bin/env bash
# Crawl speed of 网上巡查 on loopback (issue 16, acceptance 5: ≥ 200 pages/s, release build).
# Serves a synthetic site in the CMS shapes the reader handles and crawls it; prints pages/s.
# Usage: scripts/bench-inspect.sh [PAGES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
pages="${1:-5000}"
runs="${2:-3}"
cargo build --release -p gongkai-inspect --example crawl_speed
bin="${CARGO_TARGET_DIR:-target}/release/examples/crawl_speed"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for _ in $(seq "$runs"); do
  "$bin" "$pages"
done
