#!/usr/bin/env bash
# Issue 17, acceptance 3: random requests over every URL of the demo's sitemap, Gongkai against
# nginx serving the same pages as files, in the same run on the same machine: wrk with a Lua
# script that picks a random path per request, 64 connections (BENCH_CONNS), 30 s each
# (BENCH_SECONDS). Release build; the demo in a throwaway SQLite data dir; loopback only.
#
# The pages are mirrored through the portal itself (which also fills its cache), then served by
# nginx from files. Runs: nginx; the portal with its default cache bound (256 MiB); the portal
# with a bound of half the mirrored bytes (BENCH_SMALL_MB to set it), where the LRU must evict.
# After each portal run the cache's bytes are read from /metrics and must stay within its bound.
# Target: portal ≥ 0.8 × nginx requests/s with the default bound, no errors. Figures go to
# docs/PERFORMANCE.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${BENCH_SECONDS:-30}
CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
PORTAL_PORT=${BENCH_PORTAL_PORT:-18681}
METRICS_PORT=${BENCH_METRICS_PORT:-18682}
NGINX_PORT=${BENCH_NGINX_PORT:-18683}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}

for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "bench-web: installing wrk and nginx" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light; } >/dev/null
    break
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --locked -p gongkai >&2
BIN="$CARGO_TARGET_DIR/release/gongkai"

work=$(mktemp -d)
portal_pid=""
cleanup() {
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null || true
  [ -f "$work/nginx/nginx.pid" ] && "$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# As many open files as the hard limit allows: `ulimit -n 4096` once lowered the soft limit
# below nginx's open_file_cache and made it answer a third of the requests with errors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "bench-web: loading the demo data set" >&2
"$BIN" --data-dir "$work/data" demo --load-only >/dev/null
start_portal() { # cache bound in MiB
  if [ -n "$portal_pid" ]; then kill "$portal_pid" 2>/dev/null || true; wait "$portal_pid" 2>/dev/null || true; fi
  GONGKAI_SITE_URL="http://127.0.0.1:$PORTAL_PORT" "$BIN" --data-dir "$work/data" serve \
    --listen "127.0.0.1:$PORTAL_PORT" --metrics-listen "127.0.0.1:$METRICS_PORT" \
    --page-cache-mb "$1" 2>>"$work/serve.log" &
  portal_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$PORTAL_PORT/readyz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "bench-web: the portal did not start" >&2
  cat "$work/serve.log" >&2
  exit 2
}
metric() { curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

start_portal 256
# Every URL of the sitemap, as a path.
curl -fsS "http://127.0.0.1:$PORTAL_PORT/sitemap.xml" \
  | grep -o '<loc>[^<]*</loc>' | sed "s#<loc>http://127.0.0.1:$PORTAL_PORT##; s#</loc>##" \
  | sed 's#&amp;#\&#g' | sort -u > "$work/paths.txt"
n_paths=$(wc -l < "$work/paths.txt")
[ "$n_paths" -gt 100 ] || { echo "bench-web: only $n_paths sitemap URLs" >&2; exit 2; }
if grep -q '?' "$work/paths.txt"; then
  echo "bench-web: sitemap URLs with a query cannot be files for nginx" >&2; exit 2
fi

# Mirror every page as <path>/index.html (a path can be a page and a prefix of others).
echo "bench-web: mirroring $n_paths pages" >&2
awk -v port="$PORTAL_PORT" -v www="$work/www" '{
  out = ($0 == "/") ? www "/index.html" : www $0 "/index.html";
  printf "url = \"http://127.0.0.1:%s%s\"\noutput = \"%s\"\n", port, $0, out
}' "$work/paths.txt" > "$work/curl.cfg"
curl -sS --fail -Z --parallel-max 8 --create-dirs -K "$work/curl.cfg"
mirrored=$(du -sb "$work/www" | cut -f1)
chmod 755 "$work" && chmod -R a+rX "$work/www"

mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  open_file_cache max=20000 inactive=60s;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    default_type "text/html; charset=utf-8";
    location / { try_files \$uri/index.html =404; }
  }
}
NGINX
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx"
sleep 0.3

cat > "$work/random.lua" <<LUA
local paths = {}
for line in io.lines("$work/paths.txt") do paths[#paths + 1] = line end
local seeded = false
request = function()
  if not seeded then math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16)); seeded = true end
  return wrk.format("GET", paths[math.random(#paths)])
end
LUA

run() { # name port
  echo "bench-web: $1 — wrk -t$THREADS -c$CONNS -d${SECONDS_EACH}s (random sitemap path)" >&2
  wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_EACH}s" --latency -s "$work/random.lua" \
    "http://127.0.0.1:$2" > "$work/$1.txt" 2>&1 || true
  cat "$work/$1.txt" >&2
}
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
errors() {
  local sock non2xx
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$work/$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$1.txt")
  echo $(( ${sock:-0} + ${non2xx:-0} ))
}
p99() { awk '/ 99%/ {print $2}' "$work/$1.txt"; }

wrk -t"$THREADS" -c"$CONNS" -d3s -s "$work/random.lua" "http://127.0.0.1:$NGINX_PORT" >/dev/null 2>&1 || true
run nginx "$NGINX_PORT"
# The portal's cache was filled by the mirroring; one short warm-up for the connections.
wrk -t"$THREADS" -c"$CONNS" -d3s -s "$work/random.lua" "http://127.0.0.1:$PORTAL_PORT" >/dev/null 2>&1 || true
run portal "$PORTAL_PORT"
big_bytes=$(metric gongkai_page_cache_bytes); big_max=$(metric gongkai_page_cache_max_bytes)
big_hits=$(metric gongkai_page_cache_hits_total); big_misses=$(metric gongkai_page_cache_misses_total)

small_mb=${BENCH_SMALL_MB:-$(( mirrored / 2 / 1048576 + 1 ))}
start_portal "$small_mb"
wrk -t"$THREADS" -c"$CONNS" -d3s -s "$work/random.lua" "http://127.0.0.1:$PORTAL_PORT" >/dev/null 2>&1 || true
run small "$PORTAL_PORT"
small_bytes=$(metric gongkai_page_cache_bytes); small_max=$(metric gongkai_page_cache_max_bytes)

n_rps=$(rps nginx); p_rps=$(rps portal)
ratio=$(awk -v p="$p_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", (n > 0 ? p / n : 0) }')
echo
echo "$n_paths sitemap pages ($mirrored bytes as files); $CONNS connections, ${SECONDS_EACH} s each, $(nproc) cores"
printf "%-22s %12s %10s %8s %s\n" "server" "requests/s" "p99" "errors" "cache bytes / bound"
printf "%-22s %12s %10s %8s\n" "nginx (files)" "$n_rps" "$(p99 nginx)" "$(errors nginx)"
printf "%-22s %12s %10s %8s %s\n" "portal (256 MiB)" "$p_rps" "$(p99 portal)" "$(errors portal)" "$big_bytes / $big_max (hits $big_hits, misses $big_misses)"
printf "%-22s %12s %10s %8s %s\n" "portal ($small_mb MiB)" "$(rps small)" "$(p99 small)" "$(errors small)" "$small_bytes / $small_max"
echo "ratio portal/nginx: $ratio (target ≥ 0.8)"
fail=0
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.8) }' || fail=1
[ "$(errors portal)" = "0" ] || fail=1
# nginx must serve every page too, or its figure is not the same work.
[ "$(errors nginx)" = "0" ] || { echo "bench-web: nginx answered errors: the comparison is void" >&2; fail=1; }
[ "$big_bytes" -le "$big_max" ] && [ "$small_bytes" -le "$small_max" ] || { echo "bench-web: cache over its bound" >&2; fail=1; }
if [ "$fail" = 0 ]; then echo "bench-web: target met"; else echo "bench-web: target NOT met"; exit 1; fi
