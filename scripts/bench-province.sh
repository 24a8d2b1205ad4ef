#!/usr/bin/env bash
# Issue 17, acceptance 4: a province on one platform. Over a PostgreSQL database holding the
# scale data (the seed county and synthetic counties under 河南省人民政府, made by
# `cargo run --release -p gongkai-store --example scale -- URL 100`), every county becomes a
# site of one `gongkai serve` node (host cN.sheng.localhost); wrk then sends 200 connections of
# random requests, each to a random site's random page (paths taken from the sites' own
# sitemaps), and reports requests/s and the latency percentiles (target: p99 < 50 ms). Then the
# province's annual report is generated through the CLI and timed (target: < 1 s).
#
# usage: scripts/bench-province.sh postgres://…/perf100 [SITES] [PATHS_PER_SITE]
# (BENCH_CONNS, BENCH_SECONDS, BENCH_THREADS as in bench-web.sh). Release build. The figures go
# to docs/PERFORMANCE.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${1:?usage: scripts/bench-province.sh POSTGRES_URL [SITES] [PATHS_PER_SITE]}
SITES=${2:-100}
PER_SITE=${3:-60}
SECONDS_EACH=${BENCH_SECONDS:-30}
CONNS=${BENCH_CONNS:-200}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORTAL_PORT:-18691}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}

cargo build --release --locked -p gongkai >&2
BIN="$CARGO_TARGET_DIR/release/gongkai"
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# As many open files as the hard limit allows: `ulimit -n 4096` once lowered the soft limit
# below nginx's open_file_cache and made it answer a third of the requests with errors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# Every county a site (idempotent: a site that exists keeps its hosts).
mapfile -t counties < <(psql "$DB" -Atc \
  "SELECT id FROM agencies WHERE level = 'county' ORDER BY id LIMIT $SITES")
echo "bench-province: ${#counties[@]} county sites" >&2
i=0
for id in "${counties[@]}"; do
  "$BIN" --data-dir "$work" site add --db "$DB" --agency "$id" --host "c$i.sheng.localhost" \
    >/dev/null 2>&1
  i=$((i + 1))
done

start=$(date +%s.%N)
# wrk stands where nginx would: a deployment's connections all come from its proxy, which is
# trusted and so not held to the per-address cap of 64 connections.
GONGKAI_SITE_URL="http://127.0.0.1:$PORT" "$BIN" --data-dir "$work" serve --db "$DB" \
  --listen "127.0.0.1:$PORT" --trusted-proxies 127.0.0.1 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 3000); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$work/serve.log" >&2; exit 2; }
echo "bench-province: node ready in $(echo "$(date +%s.%N) - $start" | bc) s (search index built over every site)" >&2
grep -m1 "检索索引" "$work/serve.log" >&2 || true

# A sample of each site's own sitemap: "host path" lines.
: > "$work/targets.txt"
for ((n = 0; n < ${#counties[@]}; n++)); do
  host="c$n.sheng.localhost"
  curl -fsS -H "Host: $host" "http://127.0.0.1:$PORT/sitemap.xml" \
    | grep -o '<loc>[^<]*</loc>' | sed -E 's#<loc>https?://[^/]*##; s#</loc>##; s#&amp;#\&#g' \
    | shuf -n "$PER_SITE" --random-source=<(yes) | sed "s#^#$host #" >> "$work/targets.txt"
done
n_targets=$(wc -l < "$work/targets.txt")
echo "bench-province: $n_targets (site, page) pairs" >&2

cat > "$work/random.lua" <<LUA
local hosts, paths = {}, {}
for line in io.lines("$work/targets.txt") do
  local h, p = line:match("^(%S+) (%S+)$")
  if h then hosts[#hosts + 1] = h; paths[#paths + 1] = p end
end
local seeded = false
request = function()
  if not seeded then math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)); seeded = true end
  local i = math.random(#paths)
  return wrk.format("GET", paths[i], { Host = hosts[i] })
end
LUA

run() {
  echo "bench-province: $1 — wrk -t$THREADS -c$CONNS -d${SECONDS_EACH}s" >&2
  wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_EACH}s" --latency -s "$work/random.lua" \
    "http://127.0.0.1:$PORT" > "$work/$1.txt" 2>&1 || true
  cat "$work/$1.txt" >&2
}
run first   # pages rendered on first request, then cached until they change
# Every sampled page once (8 at a time), as a portal is in its steady state: pages that have
# not changed are in the cache.
awk -v port="$PORT" '{ printf "url = \"http://127.0.0.1:%s%s\"\nheader = \"Host: %s\"\noutput = \"/dev/null\"\nnext\n", port, $2, $1 }' \
  "$work/targets.txt" > "$work/warm.cfg"
curl -sS -Z --parallel-max 8 -K "$work/warm.cfg" 2>/dev/null || true
run warm    # the same pages, all cached
p() { awk -v q="$2%" '$1 == q {print $2}' "$work/$1.txt"; }
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
non2xx() { awk '/Non-2xx/ {print $NF}' "$work/$1.txt"; }
errs() { awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$work/$1.txt"; }

t0=$(date +%s.%N)
"$BIN" --data-dir "$work" report generate --db "$DB" --agency 河南省人民政府 --year 2020 \
  --format 2019 --output "$work/province.json" >/dev/null 2>&1
t1=$(date +%s.%N)
"$BIN" --data-dir "$work" report generate --db "$DB" --agency 河南省人民政府 --year 2021 \
  --format 2021 --output "$work/province21.json" >/dev/null 2>&1
t2=$(date +%s.%N)

echo
echo "${#counties[@]} county sites, $n_targets pages sampled from their sitemaps; $CONNS connections, ${SECONDS_EACH} s each, $(nproc) cores"
printf "%-8s %12s %10s %10s %10s %8s %8s\n" run "requests/s" p50 p90 p99 non-2xx "socket errors"
for r in first warm; do
  printf "%-8s %12s %10s %10s %10s %8s %8s\n" "$r" "$(rps $r)" "$(p $r 50)" "$(p $r 90)" "$(p $r 99)" "$(non2xx $r)" "$(errs $r)"
done
echo "province report (CLI, whole process): 2020 format 2019 $(echo "$t1 - $t0" | bc) s; 2021 format 2021 $(echo "$t2 - $t1" | bc) s"
