#!/usr/bin/env bash
# Crash safety of the ledger import: kill -9 the binary in the middle of a 100,000-row import
# into SQLite, then check that the database passes PRAGMA integrity_check and holds none of that
# import's rows; finally run the import to the end and count them all.
#
# usage: scripts/crash-import.sh [ROWS]      (GONGKAI_BIN=path/to/gongkai to skip the build)
set -euo pipefail
rows=${1:-100000}
cd "$(dirname "$0")/.."
bin=${GONGKAI_BIN:-}
if [[ -z "$bin" ]]; then
    cargo build -q -p gongkai
    bin="${CARGO_TARGET_DIR:-target}/debug/gongkai"
fi
command -v sqlite3 >/dev/null || { echo "crash-import: sqlite3 (the CLI) is needed" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/gongkai.db"
agency="崩溃测试县人民政府"

# An agency and one committed row before the crash, so there is something to keep intact.
printf '申请编号,收到日期,申请方式,申请人,申请人类型,申请内容,答复日期,办理结果\nBEFORE-1,2023-01-03,当面,王某,自然人,某信息,2023-01-20,予以公开\n' >"$dir/before.csv"
"$bin" --data-dir "$dir" import ledger "$dir/before.csv" --agency "$agency" >/dev/null

awk -v n="$rows" 'BEGIN {
    print "申请编号,收到日期,申请方式,申请人,申请人类型,申请内容,答复日期,办理结果";
    for (i = 1; i <= n; i++) {
        m = 1 + i % 12; d = 1 + i % 28;
        printf "CRASH-%06d,2023-%02d-%02d,当面,申请人%d,自然人,某信息%d,2023-%02d-%02d,予以公开\n", i, m, d, i, i, m, d;
    }
}' >"$dir/big.csv"

"$bin" --data-dir "$dir" import ledger "$dir/big.csv" --agency "$agency" >/dev/null 2>&1 &
pid=$!
# Kill once the transaction has spilled pages into the WAL (the import is writing), or after 60 s.
for _ in $(seq 1 600); do
    size=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
    if (( size > 2000000 )); then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
done
if ! kill -0 "$pid" 2>/dev/null; then
    echo "crash-import: the import finished before it could be killed; use more rows" >&2
    exit 1
fi
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
echo "killed the import with the WAL at $(stat -c %s "$db-wal" 2>/dev/null || echo 0) bytes"

check=$(sqlite3 "$db" 'PRAGMA integrity_check;')
crashed=$(sqlite3 "$db" "SELECT COUNT(*) FROM applications WHERE tracking_no LIKE 'CRASH-%';")
before=$(sqlite3 "$db" "SELECT COUNT(*) FROM applications WHERE tracking_no = 'BEFORE-1';")
echo "integrity_check: $check; rows of the killed import: $crashed; rows committed before: $before"
[[ "$check" == "ok" && "$crashed" == "0" && "$before" == "1" ]] || { echo "crash-import: FAILED" >&2; exit 1; }

"$bin" --data-dir "$dir" import ledger "$dir/big.csv" --agency "$agency" >/dev/null
after=$(sqlite3 "$db" "SELECT COUNT(*) FROM applications WHERE tracking_no LIKE 'CRASH-%';")
echo "after a full re-run: $after rows"
[[ "$after" == "$rows" ]] || { echo "crash-import: FAILED (re-run)" >&2; exit 1; }
echo "crash-import: ok"
