#!/usr/bin/env bash
# The superior office's workbench at a region's scale (issue 15.5), release build:
#
# 1. `gongkai report check DIR --json` on N reports (default 2000) made from the real
#    complete reports of ../shared/reports, each with its unit renamed and its 本年新收
#    自然人 cell varied, written as text files into one folder.
# 2. The workbench itself (crates/gongkai-web/examples/bench_oversight.rs), on SQLite and on
#    PostgreSQL: N units registered, N reports of 2023 and of 2024 made from the real reports'
#    tables (cells varied) posted as one .zip each to /admin/oversight/import through the
#    site's router (read + check + store), then the 2024 workbench page of N units.
#
# Targets: import and check < 10 s; the page < 200 ms. Figures go to docs/PERFORMANCE.md by hand.
#
# usage: scripts/bench-oversight.sh [N]      (PostgreSQL from GONGKAI_TEST_PG_URL, else
#                                             scripts/ensure-postgres.sh; BENCH_NO_PG=1 skips it)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
# Two builds: with --example, cargo builds only the example, not the binary.
cargo build --release -q --locked -p gongkai >&2
cargo build --release -q --locked -p gongkai-web --example bench_oversight >&2
bin=$CARGO_TARGET_DIR/release/gongkai
example=$CARGO_TARGET_DIR/release/examples/bench_oversight

dir=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-bench-oversight.XXXXXX")
trap 'rm -rf "$dir" "$dir.out.json"' EXIT
mapfile -t sources < <(awk -F'\t' 'NR > 1 && $5 == "yes" { print $1 }' ../shared/reports/index.tsv)
for ((i = 0; i < n; i++)); do
  src=../shared/reports/${sources[$((i % ${#sources[@]}))]}
  # A unit of its own (the title's agency) and a varied first cell of 本年新收.
  sed -e "1s/^/第${i}单位/" -e "s/^\(.*一、本年新收政府信息公开申请数量[^0-9]*\)\([0-9][0-9]*\)/\1$((i % 97))/" \
    "$src" > "$dir/$i.txt"
done
echo "bench-oversight: $n reports in $dir, checking with $bin"
start=$(date +%s.%N)
set +e
"$bin" report check "$dir" --json > "$dir.out.json"
code=$?
set -e
end=$(date +%s.%N)
objects=$(grep -c '"file":' "$dir.out.json" || true)
echo "bench-oversight: report check: exit $code, $objects objects, $(echo "$end - $start" | bc) s"

echo "bench-oversight: the workbench on SQLite"
"$example" "$n"
if [ "${BENCH_NO_PG:-0}" != 1 ]; then
  pg=${GONGKAI_TEST_PG_URL:-$(bash scripts/ensure-postgres.sh)}
  echo "bench-oversight: the workbench on PostgreSQL"
  "$example" "$n" "$pg"
fi
