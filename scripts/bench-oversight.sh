#!/usr/bin/env bash
# Times `gongkai report check DIR --json` on a region's worth of reports (issue 15.5): N
# reports (default 2000) made from the real complete reports of ../shared/reports, each with
# its unit renamed and its 本年新收 自然人 cell varied, written as text files into one folder.
#
# usage: scripts/bench-oversight.sh [N] [BINARY]   (default BINARY: target/release/gongkai)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
bin=${2:-target/release/gongkai}
[ -x "$bin" ] || { echo "bench-oversight: build $bin first (cargo build --release -p gongkai)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-bench-oversight.XXXXXX")
trap 'rm -rf "$dir"' EXIT
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
rm -f "$dir.out.json"
echo "bench-oversight: exit $code, $objects objects, $(echo "$end - $start" | bc) s"
