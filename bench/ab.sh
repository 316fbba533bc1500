#!/usr/bin/env bash
# Two builds of the server side by side on the seed article, in their default configuration:
# both serve copies of bench/load.sh's database at once, and wrk measures them in turn, RUNS times
# each (8 s a run), so a drift of the machine falls on both. Prints each run (requests/s and CPU
# per request, user and system), the means and B/A.
# Usage: bench/ab.sh BUILD_A BUILD_B [RUNS]   (after bench/load.sh has made its database)
#   FORGET_MIGRATION=N  remove migration N from A's copy first (A is older than that migration)
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 runs=${3:-4}
db=bench/out/load/bench.db
out=bench/out/ab
[ -f "$db" ] || { echo "bench: run bench/load.sh first (it makes $db)" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
cp "$db" "$out/a.db" && cp "$db" "$out/b.db"
if [ -n "${FORGET_MIGRATION:-}" ]; then
  python3 - "$out/a.db" "$FORGET_MIGRATION" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM _sqlx_migrations WHERE version = ?", (int(sys.argv[2]),))
db.commit()
PY
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; true' EXIT
for side in a:3500 b:3501; do
  name=${side%:*} port=${side#*:} bin=$a
  [ "$name" = b ] && bin=$b
  env -u RUST_LOG DATABASE_URL="sqlite://$PWD/$out/$name.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    NO_COLOR=1 "$bin" serve 2>"$out/$name.log" &
  pids+=($!)
done
article=/articles/ketamine-and-brain-plasticity
for port in 3500 3501; do
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port$article" && break; sleep 0.2; done
done
for name in a b; do # both have rendered every page ahead before anything is measured
  for _ in $(seq 600); do grep -q "rendered the public pages ahead" "$out/$name.log" && break; sleep 0.2; done
done
sleep 2
source bench/wrk.sh
# Each run prints "SIDE requests/s user_us system_us" (CPU per request, see cpu_per_request).
for _ in $(seq "$runs"); do
  for side in A:3500:0 B:3501:1; do
    IFS=: read -r name port index <<< "$side"
    before=$(cpu_ticks "${pids[$index]}")
    wrk -t2 -c64 -d8s -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$port$article" > "$out/wrk.txt"
    cpu=$(cpu_per_request "$before" "$(cpu_ticks "${pids[$index]}")" "$(awk '/requests in/ { print $1 }' "$out/wrk.txt")")
    echo "$name $(awk '/Requests\/sec/ { print $2 }' "$out/wrk.txt") $cpu"
  done
done | awk '{ sum[$1] += $2; user[$1] += $3; sys[$1] += $4; n[$1]++; print }
  END {
    printf "A mean %.0f req/s, CPU per request %.2f + %.2f us; B mean %.0f req/s, %.2f + %.2f us\n", sum["A"] / n["A"], user["A"] / n["A"], sys["A"] / n["A"], sum["B"] / n["B"], user["B"] / n["B"], sys["B"] / n["B"]
    printf "B/A requests/s %.3f, user CPU per request %.3f\n", (sum["B"] / n["B"]) / (sum["A"] / n["A"]), user["B"] / user["A"] }'
