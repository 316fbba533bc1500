#!/usr/bin/env bash
# What a stranger or a writer can make the server spend (issue 12, items 4 and 6), measured on the
# release build in its default configuration (RUST_LOG=info), on SQLite with the seed article:
#
# 1. Sign-in burst: 200 failed sign-ins sent at once, each from its own address (X-Forwarded-For
#    through a trusted proxy) and for its own email, so no throttle refuses them and every one
#    costs an Argon2id check (19 MiB each). Prints the statuses and the server's RSS before and
#    at its peak (target: peak under 1 GB; before the bound it went from 1.7 to 5.6 GB).
# 2. Writers stalling patients: three writers send pathological requests over and over (a history
#    diff of two 200 KB bodies of all-different short lines, and previews of a 200 KB body)
#    while wrk reads the seed article. Prints the seed article's p99 with and without them
#    (target: under 50 ms; before, GET / stalled for 12-14 s).
#
# Usage: bench/abuse.sh   (after `make build`; needs wrk and curl)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/abuse
port=3410
base="http://127.0.0.1:$port"
[ -x target/release/plasticity ] || { echo "bench: build first (make build)" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
export DATABASE_URL="sqlite://$out/bench.db" NO_COLOR=1
password='lantern orchard velvet compass'
echo "$password" | target/release/plasticity user add --email writer@clinic.example --name "Kim Writer" --role writer >/dev/null 2>&1
LEPTOS_SITE_ADDR="127.0.0.1:$port" PLASTICITY_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=info \
  PLASTICITY_SECRET_KEY=$(printf '%064d' 7) \
  target/release/plasticity serve >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "$base/healthz" && break; sleep 0.2; done
rss() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$server/status"; }

echo "## 1. 200 failed sign-ins at once, each from its own address"
before=$(rss VmRSS)
for n in $(seq 200); do
  curl -s -o /dev/null -w '%{http_code}\n' \
    -H "X-Forwarded-For: 198.51.$(( n / 250 )).$(( n % 250 + 1 ))" \
    -H 'Sec-Fetch-Site: same-origin' -H "Origin: $base" \
    --data-urlencode "email=guess$n@clinic.example" --data-urlencode 'password=wrong guess' \
    "$base/admin/login" >>"$out/statuses" &
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
sort "$out/statuses" | uniq -c | awk '{ printf "status %s: %s requests\n", $2, $1 }'
printf 'RSS before: %s MB; peak (VmHWM): %s MB (target: under 1024 MB)\n' "$before" "$(rss VmHWM)"

echo
echo "## 2. The seed article while three writers send pathological requests"
python3 bench/staff.py sign-in "$base" writer@clinic.example "$password" "$out/writer.cookie"
jar="$out/cookies"
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s\n' "$(cut -d= -f1 "$out/writer.cookie")" \
  "$(cut -d= -f2- "$out/writer.cookie")" >"$jar"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
old = "".join(f"{n % 7}\n" for n in range(100_000))[:200_000]
new = "".join(f"{n % 5 + 7}\n" for n in range(100_000))[:200_000]
open(f"{out}/old.txt", "w").write(old)
open(f"{out}/new.txt", "w").write(new)
body = "".join("*a **b " * 5 + "[x](y \"z\") <b>\n" for _ in range(2_000))[:200_000]
json.dump({"body": body, "references": []}, open(f"{out}/preview.json", "w"))
PY
fields() { # fields BODYFILE BASE
  printf -- '--data-urlencode intent=save --data-urlencode base_revision=%s --data-urlencode title=Stall --data-urlencode slug=stall --data-urlencode summary=Stall --data-urlencode body@%s --data-urlencode author_name=Kim --data-urlencode author_credentials=RN' "$2" "$1"
}
post() { curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" -H 'Sec-Fetch-Site: same-origin' -H "Origin: $base" "$@"; }
# shellcheck disable=SC2046
location=$(post $(fields "$out/old.txt" "") "$base/admin/articles/new")
id=$(echo "$location" | sed -E 's#.*/admin/articles/([0-9]+).*#\1#')
head=$(sqlite3 "$out/bench.db" "SELECT head_revision_id FROM articles WHERE id = $id" 2>/dev/null || echo $((id)))
# shellcheck disable=SC2046
post $(fields "$out/new.txt" "$head") "$base/admin/articles/$id" >/dev/null
seed=/articles/ketamine-and-brain-plasticity
measure() { wrk -t2 -c16 -d10s --latency -H 'Accept-Encoding: br' "$base$seed" | awk '$1 == "99%" { print $2 }'; }
quiet=$(measure)
writers=()
for w in 1 2 3; do
  ( while true; do
      curl -s -o /dev/null -b "$jar" -H 'Sec-Fetch-Site: same-origin' "$base/admin/articles/$id/history"
      curl -s -o /dev/null -b "$jar" -H 'Sec-Fetch-Site: same-origin' -H "Origin: $base" \
        -H 'Content-Type: application/json' --data-binary "@$out/preview.json" "$base/api/admin/preview"
    done ) &
  writers+=($!)
done
sleep 2
loaded=$(measure)
kill "${writers[@]}" 2>/dev/null || true
printf 'seed article p99: %s alone, %s with three writers stalling (target: under 50 ms)\n' "$quiet" "$loaded"
grep -c 'refused as busy' "$out/server.log" | xargs printf 'editor requests refused as busy: %s\n'
