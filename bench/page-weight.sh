#!/usr/bin/env bash
# Bytes a first visit to a page transfers: the HTML and every asset it names (stylesheet, JS,
# WebAssembly), raw, gzip and brotli as this server sends them (Accept-Encoding negotiated).
# A repeat visit transfers again only what may not be cached (no `immutable`/`max-age`); a
# page with an ETag is revalidated (If-None-Match), and a 304 carries no body.
# Usage: bench/page-weight.sh [BASE_URL] [PATH]   (default http://127.0.0.1:3000, the seed article)
set -euo pipefail
base=${1:-http://127.0.0.1:3000}
path=${2:-/articles/ketamine-and-brain-plasticity}

size() { # url encoding -> bytes on the wire
  curl -s -o /dev/null -w '%{size_download}' -H "accept-encoding: $2" "$1"
}

html=$(curl -s "$base$path")
assets=$(grep -oE '(href|src)="/pkg/[^"]+"' <<<"$html" | sed -E 's/^(href|src)="//; s/"$//' | sort -u)

cacheable() { # url -> 0 when the response may be reused without asking again
  curl -s -o /dev/null -D - "$1" | grep -qiE '^cache-control:.*(immutable|max-age=[1-9])'
}

revalidated() { # url encoding -> bytes of a conditional request's body (0 for a 304)
  local etag
  etag=$(curl -s -o /dev/null -D - -H "accept-encoding: $2" "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')
  if [ -n "$etag" ]; then
    curl -s -o /dev/null -w '%{size_download}' -H "accept-encoding: $2" -H "if-none-match: $etag" "$1"
  else
    size "$1" "$2"
  fi
}

printf '| resource | raw | gzip | br | cached on repeat visit |\n|---|---:|---:|---:|---|\n'
total_raw=0 total_gzip=0 total_br=0 repeat_raw=0 repeat_br=0
for url in "$path" $assets; do
  raw=$(size "$base$url" identity); gz=$(size "$base$url" gzip); br=$(size "$base$url" br)
  total_raw=$((total_raw + raw)); total_gzip=$((total_gzip + gz)); total_br=$((total_br + br))
  if cacheable "$base$url"; then
    cached=yes
  else
    again_raw=$(revalidated "$base$url" identity); again_br=$(revalidated "$base$url" br)
    if [ "$again_br" -eq 0 ]; then cached="revalidated (304)"; else cached=no; fi
    repeat_raw=$((repeat_raw + again_raw)); repeat_br=$((repeat_br + again_br))
  fi
  printf '| %s | %d | %d | %d | %s |\n' "$url" "$raw" "$gz" "$br" "$cached"
done
printf '| **first visit** | %d | %d | %d | |\n' "$total_raw" "$total_gzip" "$total_br"
printf '| **repeat visit** (bodies only) | %d | | %d | |\n' "$repeat_raw" "$repeat_br"
