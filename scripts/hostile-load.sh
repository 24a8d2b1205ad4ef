#!/usr/bin/env bash
# Issue 12, acceptance 1, against a running server: an editor uploads each hostile file of the
# security probe (at the probe's sizes) to a draft, over HTTP, while /healthz is polled every
# 50 ms from another client. Prints, per file, the HTTP status and the refusal's message, then
# the server's peak memory (VmHWM from /proc/PID/status) and the worst /healthz latency.
#
#   scripts/hostile-load.sh            # debug build
#   scripts/hostile-load.sh release    # release build
#
# Listens on 127.0.0.1:${PORT:-18210} (loopback only); stops the server and the poller itself.
# Uses a fresh demo data directory under a temporary folder (removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE=${1:-debug}
PORT=${PORT:-18210}
BASE="http://127.0.0.1:$PORT"
flag=()
[ "$PROFILE" = release ] && flag=(--release)

cargo build -q "${flag[@]}" -p gongkai
cargo build -q -p gongkai-extract --features hostile --example hostile_peak
BIN="target/$PROFILE/gongkai"

W=$(mktemp -d)
SERVER=""
POLLER=""
cleanup() {
    [ -n "$POLLER" ] && kill "$POLLER" 2>/dev/null || true
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/files"
target/debug/examples/hostile_peak --write "$W/files" >/dev/null

"$BIN" --data-dir "$W/data" demo --load-only >"$W/demo.txt"
EDITOR_PW=$(sed -n 's/^  demo_editor（[^）]*）密码：\(.*\)$/\1/p' "$W/demo.txt")
[ -n "$EDITOR_PW" ] || { echo "no demo_editor password in the demo's output" >&2; exit 1; }

"$BIN" --data-dir "$W/data" serve --listen "127.0.0.1:$PORT" >"$W/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
    sleep 0.2
done
HWM_START=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")

# Sign in as the editor through the form (its pre-session cookie and token).
J="$W/jar"
token() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1; }
T=$(curl -fsS -c "$J" -b "$J" "$BASE/admin/login" | token)
curl -fsS -o /dev/null -c "$J" -b "$J" --data-urlencode "csrf=$T" \
    --data-urlencode "name=demo_editor" --data-urlencode "password=$EDITOR_PW" "$BASE/admin/login"
T=$(curl -fsS -c "$J" -b "$J" "$BASE/admin/publish" | token)
LOC=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$J" -b "$J" \
    --data-urlencode "csrf=$T" --data-urlencode "title=春耕通知" \
    --data-urlencode "doc_number=" --data-urlencode "category=normative_document" \
    --data-urlencode "art20=1" --data-urlencode "topic=综合政务" \
    --data-urlencode "keywords=春耕" --data-urlencode "body=请做好春耕工作。" \
    "$BASE/admin/publish/drafts")
# The new draft: the highest item number linked from the publishing page.
ITEM=$(curl -fsS -b "$J" "$BASE/admin/publish" | grep -o '/admin/publish/[0-9]*' | sed 's#.*/##' | sort -n | tail -1)
[ -n "$ITEM" ] || { echo "the draft was not made (redirect: $LOC)" >&2; exit 1; }

# /healthz every 50 ms from another client, each latency in seconds.
(
    while true; do
        curl -sS -o /dev/null -m 30 -w '%{http_code} %{time_total}\n' "$BASE/healthz" || echo "000 30"
        sleep 0.05
    done
) >"$W/health.txt" 2>/dev/null &
POLLER=$!
sleep 1

for f in sparse.xlsx many-part.docx overlapping.docx deep.docx objstm.pdf; do
    start=$(date +%s.%N)
    code=$(curl -sS -o "$W/answer.html" -w '%{http_code}' -b "$J" \
        -F "csrf=$T" -F "file=@$W/files/$f" "$BASE/admin/publish/$ITEM/attachments")
    took=$(echo "$(date +%s.%N) - $start" | bc)
    msg=$(grep -o '超出处理上限[^<]*' "$W/answer.html" | head -1 || true)
    printf '%-18s %6s bytes  HTTP %s  %.2f s  %s\n' "$f" "$(stat -c %s "$W/files/$f")" "$code" "$took" "$msg"
done
sleep 1
kill "$POLLER" 2>/dev/null || true
wait "$POLLER" 2>/dev/null || true
POLLER=""

HWM=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
STORED=$(curl -fsS -b "$J" "$BASE/admin/publish/$ITEM" | grep -c 'attachments/[0-9]' || true)
echo "attachment links on the draft's page afterwards: $STORED"
echo "server peak memory (VmHWM): $((HWM / 1024)) MB (after start-up and sign-in: $((HWM_START / 1024)) MB)"
awk '{n++; if ($1 != 200) bad++; if ($2 > max) max = $2} END {
    printf "/healthz: %d polls, %d not 200, worst %.0f ms\n", n, bad, max * 1000 }' "$W/health.txt"
