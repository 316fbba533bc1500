#!/usr/bin/env bash
# What one staff action costs the server (issue 15): the release build in its default
# configuration with the seed plus N generated published articles (see bench/lib.sh: SQLite, or
# BACKEND=postgres for two instances behind nginx), every public page rendered ahead. A writer
# saves a draft of a published article (twenty times: the figure is per save), then submits it;
# a reviewer publishes it (ticking the references and acknowledging each warning, as the review
# gate asks). For each action: the instances' CPU seconds (user + system, from /proc) in the
# WINDOW seconds after the request, less what they spent idle in a window as long just before;
# and the pages they rendered (their "rendered the public pages ahead" lines). On PostgreSQL also
# the database's CPU seconds for the action (all its processes, measured the same way). No reader load,
# so the figures are the action's own cost. Also printed: the time from starting the server to
# its first answered page (the home page; on PostgreSQL, both instances'), and the peak RSS.
# Usage: bench/staff_actions.sh [N...]   (after `make build`; default N: 1000 10000)
#   BACKEND=postgres  two instances on PostgreSQL;  PLASTICITY_BIN=path  another build;
#   WINDOW=seconds (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/staff-${BACKEND:-sqlite}
source bench/lib.sh
window=${WINDOW:-15}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
minus() { awk -v a="$1" -v b="$2" -v idle="$3" 'BEGIN { printf "%.3f", a - b - idle }'; }

echo "backend: $backend"
printf '| articles | start to first page, s | idle CPU s per %s s | draft save: CPU s | database | pages rendered | submit: CPU s | database | pages rendered | publish: CPU s | database | pages rendered | peak RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n' "$window"
for n in "${sizes[@]}"; do
  rm -rf "$out" && mkdir -p "$out"
  prepare_db "$n"
  started=$(date +%s.%N)
  start_instances 3410
  startup=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  wait_for_rendering_ahead 1
  sleep 2 # the background recompression of what was rendered ahead
  sign_in_staff
  id=$((n + 1)) # the newest generated article (the seed is 1): on the first page of the list

  a=$(cpu_seconds); da=$(database_cpu_seconds); sleep "$window"
  b=$(cpu_seconds); db=$(database_cpu_seconds)
  idle=$(minus "$b" "$a" 0); db_idle=$(minus "$db" "$da" 0)

  measure() { # the action runs between two readings, then the window passes
    local before status a b da db instance
    before=$(pages_rendered_ahead)
    a=$(cpu_seconds); da=$(database_cpu_seconds)
    status=$("$@")
    # A patient's next request, on every instance, sees the change.
    for instance in "${instances[@]}"; do curl -s -o /dev/null "$instance/help-now"; done
    sleep "$window"
    b=$(cpu_seconds); db=$(database_cpu_seconds)
    [ "$status" = 303 ] || echo "bench: $* answered $status" >&2
    printf '%s %s %s\n' "$(minus "$b" "$a" "$idle")" "$(minus "$db" "$da" "$db_idle")" \
      "$(( $(pages_rendered_ahead) - before ))"
  }
  saves() { # twenty draft saves, one after another (ten-millisecond CPU ticks: one is too short)
    local status
    for k in $(seq 20); do
      status=$(staff post "$origin" "$out/writer.cookie" "$id" save "A draft nobody has reviewed yet ($k).")
      [ "$status" = 303 ] || break
    done
    echo "$status"
  }
  read -r saves_cpu saves_db save_pages < <(measure saves)
  save_cpu=$(awk -v c="$saves_cpu" 'BEGIN { printf "%.4f", c / 20 }')
  save_db=$(awk -v c="$saves_db" 'BEGIN { printf "%.4f", c / 20 }')
  read -r submit_cpu submit_db submit_pages < <(measure staff post "$origin" "$out/writer.cookie" "$id" submit)
  read -r publish_cpu publish_db publish_pages < <(measure staff post "$origin" "$out/reviewer.cookie" "$id" publish)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$startup" "$idle" \
    "$save_cpu" "$save_db" "$save_pages" "$submit_cpu" "$submit_db" "$submit_pages" \
    "$publish_cpu" "$publish_db" "$publish_pages" "$(peak_rss_mb)"
  stop_instances
done
