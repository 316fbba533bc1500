#!/usr/bin/env bash
# Lighthouse 12 (mobile preset, the default) on the home page, the seed article, the glossary,
# the topics, a topic, and searches: with results, answered with a definition, and with none, in Debian's
# Chromium: the four category scores and LCP, TBT, CLS.
# Usage: bench/lighthouse.sh [BASE_URL]   (default http://127.0.0.1:3000; the server must run)
set -euo pipefail
cd "$(dirname "$0")"
base=${1:-http://127.0.0.1:3000}
[ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund >/dev/null
mkdir -p out/lighthouse
printf '| page | performance | accessibility | best practices | SEO | LCP s | TBT ms | CLS |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
for path in / /articles/ketamine-and-brain-plasticity /glossary /topics /topics/how-ketamine-treatment-works "/search?q=ketamine" "/search?q=synaptogensis" "/search?q=xylophone"; do
  report="out/lighthouse/$(echo "$path" | tr '/' '_').json"
  rm -f "$report"
  # Lighthouse sometimes exits non-zero while closing Chromium after writing its report: the
  # report decides (its log is kept beside it).
  CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node_modules/.bin/lighthouse "$base$path" \
    --quiet --output=json --output-path="$report" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync" \
    >"${report%.json}.log" 2>&1 || true
  if [ ! -s "$report" ]; then
    echo "| $path | Lighthouse failed: see bench/${report%.json}.log | | | | | | |"
    continue
  fi
  node -e '
    const r = require(process.argv[1]);
    const score = (c) => (r.categories[c].score === null ? "n/a" : Math.round(r.categories[c].score * 100));
    const a = r.audits;
    // A metric Lighthouse could not measure in this run is "n/a", with its reason.
    const metric = (id, show) => (typeof a[id]?.numericValue === "number" ? show(a[id].numericValue) : `n/a (${a[id]?.errorMessage ?? "missing"})`);
    const lcp = metric("largest-contentful-paint", (v) => (v / 1000).toFixed(2));
    const tbt = metric("total-blocking-time", (v) => v.toFixed(0));
    const cls = metric("cumulative-layout-shift", (v) => v.toFixed(3));
    console.log(`| ${process.argv[2]} | ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} | ${lcp} | ${tbt} | ${cls} |`);
  ' "$PWD/$report" "$path"
done
