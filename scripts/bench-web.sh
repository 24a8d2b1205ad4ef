#!/usr/bin/env bash
# Throughput of the portal's item page against nginx serving the same HTML, in the same run on
# the same machine: wrk with 500 connections for 60 s each (set BENCH_SECONDS, BENCH_CONNS to
# change). Release build; the demo data set in a throwaway data dir; loopback only.
# Target: the portal answers at least half of nginx's requests per second, with no error.
# Figures go to docs/PERFORMANCE-web.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${BENCH_SECONDS:-60}
CONNS=${BENCH_CONNS:-500}
THREADS=${BENCH_THREADS:-2}
PORTAL_PORT=${BENCH_PORTAL_PORT:-18581}
NGINX_PORT=${BENCH_NGINX_PORT:-18582}
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
nginx_conf=""
cleanup() {
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null || true
  [ -n "$nginx_conf" ] && "$NGINX" -c "$nginx_conf" -p "$work/nginx" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ulimit -n 65536 2>/dev/null || ulimit -n 4096 2>/dev/null || true

echo "bench-web: loading the demo data set" >&2
"$BIN" --data-dir "$work/data" demo --load-only >/dev/null
start_portal() { # page-cache seconds
  [ -n "$portal_pid" ] && { kill "$portal_pid" 2>/dev/null || true; wait "$portal_pid" 2>/dev/null || true; }
  GONGKAI_PAGE_CACHE_SECS=$1 "$BIN" --data-dir "$work/data" serve --listen "127.0.0.1:$PORTAL_PORT" 2>>"$work/serve.log" &
  portal_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORTAL_PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "bench-web: the portal did not start" >&2
  cat "$work/serve.log" >&2
  exit 2
}
start_portal 5

# The item page: the normative document with its 解读 links (the richest item page).
ITEM_PATH=$(curl -fsS "http://127.0.0.1:$PORTAL_PORT/xxgk/category/regulations" \
  | grep -o 'href="/xxgk/items/[0-9]*"' | head -1 | sed 's/href="//; s/"$//')
[ -n "$ITEM_PATH" ] || { echo "bench-web: no item page found" >&2; exit 2; }
mkdir -p "$work/nginx/logs" "$work/www$(dirname "$ITEM_PATH")"
curl -fsS "http://127.0.0.1:$PORTAL_PORT$ITEM_PATH" -o "$work/www$ITEM_PATH"
# nginx's workers run as an unprivileged user: let them read the page.
chmod 755 "$work" && chmod -R a+rX "$work/www"
bytes=$(wc -c < "$work/www$ITEM_PATH")

nginx_conf="$work/nginx/nginx.conf"
cat > "$nginx_conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    location / { default_type "text/html; charset=utf-8"; }
  }
}
NGINX
"$NGINX" -c "$nginx_conf" -p "$work/nginx"
sleep 0.5
curl -fsS "http://127.0.0.1:$NGINX_PORT$ITEM_PATH" -o /dev/null

run() { # name url
  echo "bench-web: $1 — wrk -t$THREADS -c$CONNS -d${SECONDS_EACH}s $2" >&2
  wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_EACH}s" --latency "$2" > "$work/$1.txt" 2>&1 || true
  cat "$work/$1.txt" >&2
}
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
errors() { # socket errors + non-2xx responses
  local sock non2xx
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$work/$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$1.txt")
  echo $(( ${sock:-0} + ${non2xx:-0} ))
}
p99() { awk '/ 99%/ {print $2}' "$work/$1.txt"; }

# Warm both (connections, caches), then measure: nginx first, then the portal.
wrk -t"$THREADS" -c50 -d3s "http://127.0.0.1:$NGINX_PORT$ITEM_PATH" >/dev/null 2>&1 || true
wrk -t"$THREADS" -c50 -d3s "http://127.0.0.1:$PORTAL_PORT$ITEM_PATH" >/dev/null 2>&1 || true
run nginx "http://127.0.0.1:$NGINX_PORT$ITEM_PATH"
run portal "http://127.0.0.1:$PORTAL_PORT$ITEM_PATH"
# For the record: the same page with the micro-cache off (every request queries the database).
start_portal 0
wrk -t"$THREADS" -c50 -d3s "http://127.0.0.1:$PORTAL_PORT$ITEM_PATH" >/dev/null 2>&1 || true
run nocache "http://127.0.0.1:$PORTAL_PORT$ITEM_PATH"

n_rps=$(rps nginx); p_rps=$(rps portal)
ratio=$(awk -v p="$p_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", (n > 0 ? p / n : 0) }')
echo
echo "page: $ITEM_PATH ($bytes bytes); $CONNS connections, ${SECONDS_EACH} s each, $(nproc) cores"
printf "%-8s %12s %10s %8s\n" "server" "requests/s" "p99" "errors"
printf "%-8s %12s %10s %8s\n" "nginx" "$n_rps" "$(p99 nginx)" "$(errors nginx)"
printf "%-8s %12s %10s %8s\n" "portal" "$p_rps" "$(p99 portal)" "$(errors portal)"
printf "%-8s %12s %10s %8s\n" "nocache" "$(rps nocache)" "$(p99 nocache)" "$(errors nocache)"
echo "ratio portal/nginx: $ratio (target ≥ 0.5; portal = default settings, 5 s page micro-cache)"
if awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }' && [ "$(errors portal)" = "0" ]; then
  echo "bench-web: target met"
else
  echo "bench-web: target NOT met"
  exit 1
fi
