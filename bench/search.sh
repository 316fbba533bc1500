#!/usr/bin/env bash
# Search at 10,000 articles (issue 31): the release build in its default configuration (request
# log on) with the seed plus N generated articles on fifty subjects (generate_articles `varied`),
# on SQLite, or BACKEND=postgres for two instances behind nginx (bench/lib.sh). Prints:
#   - the index build at start: how long after start the index was ready (from the log), and
#     that pages were answered meanwhile (the home page's status during the build);
#   - the 50 queries of bench/search-queries.txt (exact, misspelt, synonyms, phrases), each the
#     whole /search page as a patient gets it, in turn, by wrk on 2 connections then 8: p50, p95,
#     p99 and requests/s on this machine's two cores;
#   - beside them, the seed article (a stored page) in the same run, for reference;
#   - peak RSS.
# Targets (issue 31): p95 under 10 ms, at least 500 queries/s, index ready within 5 s at 10,000
# articles, RSS under 200 MB.
# Usage: bench/search.sh [N]   (after `make build`; default N: 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/search-${BACKEND:-sqlite}
source bench/lib.sh
n=${1:-10000}
duration=${DURATION:-10s}
rm -rf "$out" && mkdir -p "$out"
if [ "$backend" = sqlite ]; then db_url=sqlite://$out/bench.db; else
  psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS plasticity_bench WITH (FORCE)" \
    -c "CREATE DATABASE plasticity_bench" >/dev/null
  db_url=${pg_admin%/*}/plasticity_bench
fi
cargo run -q --release --features ssr --example generate_articles -- "$db_url" "$n" varied >/dev/null

start_instances 3450
# While the index builds, pages are answered: the home page's status right after start.
during=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$origin/")
for k in $(seq "${#pids[@]}"); do
  for _ in $(seq 600); do grep -q "search index built" "$out/server-$k.log" && break; sleep 0.05; done
done
echo "backend: $backend, seed + $n generated articles, origin $origin"
for k in $(seq "${#pids[@]}"); do
  line=$(grep "search index built" "$out/server-$k.log" | head -1)
  echo "instance $k: index ready after $(echo "$line" | grep -o 'ms=[0-9]*' | cut -d= -f2) ms for $(echo "$line" | grep -o 'articles=[0-9]*' | cut -d= -f2) articles"
done
echo "home page during the build: status ${during% *}, $(awk -v t="${during#* }" 'BEGIN { printf "%.1f", t * 1000 }') ms"

# Warm: each query once (the first search on an instance reads the content version and loads
# nothing more; this only settles allocators and the page of each query).
while read -r query; do curl -s -o /dev/null -G --data-urlencode "q=$query" "$origin/search"; done < bench/search-queries.txt
# Each query finds something (or, for none, says so): print the result counts once.
: > "$out/counts.txt"
while read -r query; do
  count=$(curl -s -G --data-urlencode "q=$query" "$origin/search" | grep -o 'class="search-count">[^<]*' | sed 's/.*>//')
  printf '%-36s %s\n' "$query" "$count" >> "$out/counts.txt"
done < bench/search-queries.txt
found=$(grep -vc 'No articles match' "$out/counts.txt" || true)
echo "queries that find articles: $found of $(wc -l < bench/search-queries.txt) (all counts: $out/counts.txt)"

printf '| what | connections | requests/s | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|\n'
for c in 2 8; do
  wrk -t2 -c"$c" -d"$duration" -s bench/search.lua "$origin/" > "$out/search-$c.txt"
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$out/search-$c.txt")
  read -r _ p50 p95 p99 < <(grep percentiles-ms "$out/search-$c.txt")
  bad=$(awk '/Non-2xx/ { print $NF }' "$out/search-$c.txt")
  printf '| 50 queries in turn, whole /search page | %s | %s | %s | %s | %s |%s\n' "$c" "$rps" "$p50" "$p95" "$p99" "${bad:+ non-2xx: $bad}"
done
cat > "$out/seed.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("percentiles-ms %.2f %.2f %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
wrk -t2 -c8 -d"$duration" -s "$out/seed.lua" "$origin/articles/ketamine-and-brain-plasticity" > "$out/seed.txt"
rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$out/seed.txt")
read -r _ p50 p95 p99 < <(grep percentiles-ms "$out/seed.txt")
printf '| the seed article (stored page), for reference | 8 | %s | %s | %s | %s |\n' "$rps" "$p50" "$p95" "$p99"
echo "peak RSS: $(peak_rss_mb) MB"
