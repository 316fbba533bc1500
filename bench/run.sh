#!/usr/bin/env bash
# All benchmarks in one run, printed as Markdown (and saved to bench/out/latest.md): page weight,
# Lighthouse, load against nginx. `make bench` builds first. Copy the figures, with the date and
# machine, into bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
port=3402
{
  echo "# Benchmark run, $(date -u +'%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); commit $(git rev-parse --short HEAD)."
  echo
  rm -rf bench/out/weight && mkdir -p bench/out/weight
  DATABASE_URL="sqlite://$PWD/bench/out/weight/db.sqlite" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn \
    target/release/plasticity serve &
  server=$!
  trap 'kill $server 2>/dev/null; true' EXIT
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  echo "## Page weight, seed article (bench/page-weight.sh)"
  echo
  bench/page-weight.sh "http://127.0.0.1:$port"
  echo
  echo "## Page weight, home page"
  echo
  bench/page-weight.sh "http://127.0.0.1:$port" /
  echo
  echo "## Lighthouse 12, mobile (bench/lighthouse.sh)"
  echo
  bench/lighthouse.sh "http://127.0.0.1:$port"
  kill $server
  echo
  echo "## Load, wrk -t2 -c64 -d${DURATION:-20s} (bench/load.sh)"
  echo
  bench/load.sh
} | tee bench/out/latest.md
