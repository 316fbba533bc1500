#!/usr/bin/env bash
# The public lists at any depth (issue 31): the release build in its default configuration with
# the seed plus N generated articles (see bench/lib.sh: SQLite, or BACKEND=postgres for two
# instances behind nginx). Walks the home list from `/` to its last page by its "Older articles"
# links (`/?before=SLUG`); the first 5 pages are rendered ahead at start, so every page after them
# is a first visit: rendered for that request. Prints each stretch's time per request (p50, p95,
# max), the deepest stretch against the shallowest (keyset paging: the ratio stays near 1.0, where
# OFFSET paging took 55-72 ms past page 200), and beside them a stored page in the same run (the
# home page, served from the page cache) as the floor. Then the sitemap and the feed: the first
# request after a start (built from the database) and the next (from memory).
# Usage: bench/lists.sh [N]   (after `make build`; default N: 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/lists-${BACKEND:-sqlite}
source bench/lib.sh
n=${1:-10000}
rm -rf "$out" && mkdir -p "$out"
prepare_db "$n"
start_instances 3440
wait_for_rendering_ahead 1

# time_ms URL: the request's total time in milliseconds; fails on a status other than 200.
time_ms() {
  curl -s -o "$out/last.html" -w '%{http_code} %{time_total}\n' "$1" \
    | awk '$1 != 200 { print "status " $1 > "/dev/stderr"; exit 1 } { printf "%.2f\n", $2 * 1000 }'
}

# The walk: page K's time in $out/walk.txt (line K), its link to the next page followed.
path=/
: > "$out/walk.txt"
while [ -n "$path" ]; do
  time_ms "$origin$path" >> "$out/walk.txt"
  path=$(grep -o 'href="/?before=[a-z0-9-]*"' "$out/last.html" | tail -1 | sed 's/^href="//; s/"$//' || true)
done
pages=$(wc -l < "$out/walk.txt")
for _ in $(seq 200); do time_ms "$origin/"; done > "$out/stored.txt"

# stats FILE FIRST LAST: p50, p95 and max of lines FIRST..LAST.
stats() {
  sed -n "$2,$3p" "$1" | sort -n | awk '{ v[NR] = $1 } END {
    p95 = int(NR * 0.95); if (p95 < 1) p95 = 1
    printf "%.2f %.2f %.2f\n", v[int((NR + 1) * 0.5)], v[p95], v[NR] }'
}
row() { printf '| %s | %s | %s | %s |\n' "$@"; }
shallow=$(stats "$out/walk.txt" 6 55)
deep=$(stats "$out/walk.txt" $((pages - 49)) "$pages")
echo "backend: $backend, $n generated articles: $pages list pages, origin $origin"
printf '| what | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|\n'
row "list pages 6-55, first visits (rendered)" $shallow
row "list pages $((pages - 49))-$pages, first visits (rendered)" $deep
row "home page, stored (the floor)" $(stats "$out/stored.txt" 1 200)
awk -v d="${deep%% *}" -v s="${shallow%% *}" 'BEGIN { printf "deepest / shallowest p50: %.2f\n", d / s }'

# The documents: built on the first request after a start, then served from memory.
stop_instances
start_instances 3440
for doc in sitemap.xml feed.xml; do
  first=$(time_ms "$origin/$doc")
  bytes=$(wc -c < "$out/last.html")
  for _ in $(seq 50); do time_ms "$origin/$doc"; done > "$out/$doc.txt"
  echo "/$doc: $bytes bytes; first request $first ms, then p50 $(stats "$out/$doc.txt" 1 50 | cut -d' ' -f1) ms"
done
echo "peak RSS: $(peak_rss_mb) MB"
