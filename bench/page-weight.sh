#!/usr/bin/env bash
# Bytes a first visit to a page transfers: the HTML and every asset it names (stylesheet, JS,
# WebAssembly), raw, gzip and brotli as this server sends them (Accept-Encoding negotiated).
# Usage: bench/page-weight.sh [BASE_URL] [PATH]   (default http://127.0.0.1:3000, the seed article)
set -euo pipefail
base=${1:-http://127.0.0.1:3000}
path=${2:-/articles/ketamine-and-brain-plasticity}

size() { # url encoding -> bytes on the wire
  curl -s -o /dev/null -w '%{size_download}' -H "accept-encoding: $2" "$1"
}

html=$(curl -s "$base$path")
assets=$(grep -oE '(href|src)="/pkg/[^"]+"' <<<"$html" | sed -E 's/^(href|src)="//; s/"$//' | sort -u)

printf '%-48s %9s %9s %9s\n' "resource" "raw" "gzip" "br"
total_raw=0 total_gzip=0 total_br=0
for url in "$path" $assets; do
  raw=$(size "$base$url" identity); gz=$(size "$base$url" gzip); br=$(size "$base$url" br)
  total_raw=$((total_raw + raw)); total_gzip=$((total_gzip + gz)); total_br=$((total_br + br))
  printf '%-48s %9d %9d %9d\n' "${url:0:48}" "$raw" "$gz" "$br"
done
printf '%-48s %9d %9d %9d\n' "first visit, total" "$total_raw" "$total_gzip" "$total_br"
