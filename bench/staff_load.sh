#!/usr/bin/env bash
# Patients and staff at once (issue 15), the release build in its default configuration with the
# seed plus N generated articles (see bench/lib.sh: SQLite, or BACKEND=postgres for two instances
# behind nginx). Prints:
#   - the seed article under load (wrk -t2 -c64, DURATION) alone, then while a writer saves once
#     a second and every tenth second submits and a reviewer publishes (bench/staff.py activity);
#   - from a publish's answer until every instance serves the new text (RUNS publishes);
#   - the staff dashboard (as a writer, and as a reviewer with its waiting list) and the editor
#     under wrk -t1 -c4 (a handful of staff at once).
# Usage: bench/staff_load.sh [N]   (after `make build`; default N: 10000)
#   BACKEND=postgres;  PLASTICITY_BIN=path;  DURATION (default 30s);  RUNS (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/staff-load-${BACKEND:-sqlite}
source bench/lib.sh
n=${1:-10000}
duration=${DURATION:-30s}
runs=${RUNS:-50}
command -v wrk >/dev/null || { echo "bench: needs wrk" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
prepare_db "$n"
start_instances 3430
wait_for_rendering_ahead 1
sleep 2
sign_in_staff
id=$((n + 1))
slug=$(printf 'generated-%04d' "$n")
seed=/articles/ketamine-and-brain-plasticity

source bench/wrk.sh
# load NAME wrk-args: the figures of one wrk run; the CPU seconds the instances and the database
# spent during it go to $out/NAME.cpu.
load() {
  local name=$1 a da
  shift
  a=$(cpu_seconds); da=$(database_cpu_seconds)
  wrk_figures "$out/$name.txt" "$@"
  printf 'instances %s s, database %s s\n' "$(awk -v a="$a" -v b="$(cpu_seconds)" 'BEGIN { printf "%.2f", b - a }')" \
    "$(awk -v a="$da" -v b="$(database_cpu_seconds)" 'BEGIN { printf "%.2f", b - a }')" > "$out/$name.cpu"
}
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }

echo "backend: $backend, $n generated articles, origin $origin"
printf '| what | requests/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---:|---:|---:|\n'
row "seed article, patients only" $(load seed-alone "$origin$seed" -t2 -c64 -d"$duration" -H 'Accept-Encoding: br, gzip')
staff activity "$origin" "$out/writer.cookie" "$out/reviewer.cookie" "$id" "${duration%s}" > "$out/activity.txt" &
activity=$!
row "seed article, while a writer saves 1/s and a reviewer publishes every 10 s" \
  $(load seed-busy "$origin$seed" -t2 -c64 -d"$duration" -H 'Accept-Encoding: br, gzip')
wait "$activity"
cookie=$(cat "$out/writer.cookie")
row "staff dashboard (/admin)" $(load dashboard "$origin/admin" -t1 -c4 -d15s -H "Cookie: $cookie")
# A reviewer's dashboard also reads "Waiting for your review" (issue 30).
row "staff dashboard as a reviewer (/admin, with its waiting list)" \
  $(load dashboard-reviewer "$origin/admin" -t1 -c4 -d15s -H "Cookie: $(cat "$out/reviewer.cookie")")
row "editor (/admin/articles/$id)" $(load editor "$origin/admin/articles/$id" -t1 -c4 -d15s -H "Cookie: $cookie")
echo
echo "staff during the busy run: $(cat "$out/activity.txt")"
echo "CPU during the patients-only run: $(cat "$out/seed-alone.cpu"); during the busy run: $(cat "$out/seed-busy.cpu")"
staff latency "$origin" "$out/writer.cookie" "$out/reviewer.cookie" "$id" "$runs" "$slug" "${instances[@]}"
echo "peak RSS: $(peak_rss_mb) MB"
