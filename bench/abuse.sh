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
# 3. A writer's heavy previews (issue 28, item 2), one at a time and each measured alone: a
#    150 KB body of distinct unmatched citations, 8,000 references, 100,000 `>`, 100,000 `[`
#    then `]`; then three abandoned 100 KB previews (the client hangs up at once) followed by a
#    fourth. Prints each answer's status, size and time, the seed article's p99 while a writer
#    sends them over and over, and the peak RSS (targets: every answer under 5 s or refused,
#    p99 under 50 ms, RSS under 600 MB).
# 4. Idle connections (issue 28, item 4): 4,100 keep-alive connections, each one request and
#    then quiet, from 16 loopback addresses; then a new client's request for the seed article
#    (target: answered within 2 s).
#
# Usage: bench/abuse.sh   (after `make build`; needs wrk, curl and python3)
#   PLASTICITY_BIN=PATH  another build (an older one, for before and after); a preview it has
#                        not answered within 60 s is reported as status 000
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/abuse
port=3410
base="http://127.0.0.1:$port"
bin=${PLASTICITY_BIN:-target/release/plasticity}
[ -x "$bin" ] || { echo "bench: build first (make build)" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
export DATABASE_URL="sqlite://$out/bench.db" NO_COLOR=1
password='lantern orchard velvet compass'
echo "$password" | "$bin" user add --email writer@clinic.example --name "Kim Writer" --role writer >/dev/null 2>&1
LEPTOS_SITE_ADDR="127.0.0.1:$port" PLASTICITY_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=info \
  PLASTICITY_SECRET_KEY=$(printf '%064d' 7) \
  "$bin" serve >"$out/server.log" 2>&1 &
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
printf 'editor requests refused as busy: %s\n' "$(grep -c 'refused as busy' "$out/server.log" || true)"

echo
echo "## 3. A writer's heavy previews"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def save(name, body, references=()):
    json.dump({"body": body, "references": list(references)}, open(f"{out}/{name}.json", "w"))
citations, n = [], 0
while sum(map(len, citations)) < 150 * 1024:
    citations.append(f"(Author{n} et al., 2019) ")
    n += 1
save("citations", "".join(citations))
save("references", "Text (Author1, 2019).", [
    {"authors": f"Author{n}, A.", "year": "2019", "title": "T", "journal": "J",
     "volume": None, "issue": None, "pages": None, "doi": None} for n in range(8000)])
save("quotes", ">" * 100_000 + " deep")
save("brackets", "[" * 100_000 + "]" * 100_000)
save("abandoned", "".join(citations)[:100 * 1024])
PY
preview() { # preview NAME [curl args…]: "status bytes seconds"
  local name=$1; shift
  curl -s -o "$out/$name.answer" -w '%{http_code} %{size_download} %{time_total}' --max-time 60 -H 'Expect:' "$@" -b "$jar" \
    -H 'Sec-Fetch-Site: same-origin' -H "Origin: $base" -H 'Content-Type: application/json' \
    --data-binary "@$out/$name.json" "$base/api/admin/preview"
}
for name in citations references quotes brackets; do
  read -r status bytes seconds < <(preview "$name" || true; echo)
  printf '%-10s input %7s bytes: status %s, answer %8s bytes, %6.2f s\n' \
    "$name" "$(stat -c %s "$out/$name.json")" "${status:-none}" "${bytes:-0}" "${seconds:-0}"
done
for _ in 1 2 3; do preview abandoned --max-time 0.05 >/dev/null || true; done
read -r status bytes seconds < <(preview abandoned || true; echo)
printf 'after 3 abandoned 100 KB previews, a 4th: status %s in %.2f s (each waits its turn in the bound)\n' "${status:-none}" "${seconds:-0}"
( while true; do for name in citations quotes brackets; do preview "$name" >/dev/null; done; done ) &
writer=$!
sleep 1
during=$(measure)
kill "$writer" 2>/dev/null || true
printf 'seed article p99 while a writer sends them over and over: %s (target: under 50 ms)\n' "$during"
printf 'peak RSS (VmHWM): %s MB (target: under 600 MB)\n' "$(rss VmHWM)"

echo
echo "## 4. 4,100 idle keep-alive connections, then a new client"
python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
held = []
for n in range(4100):
    s = socket.socket()
    s.bind((f"127.0.1.{n % 16 + 1}", 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    s.settimeout(5)
    try:
        s.recv(4096)
    except OSError:
        pass
    held.append(s)
start = time.monotonic()
try:
    new = socket.create_connection(("127.0.0.1", port), timeout=30)
    new.sendall(b"GET /articles/ketamine-and-brain-plasticity HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    first = new.recv(64)
except OSError:
    first = b"(no answer)"
took = time.monotonic() - start
closed = 0
for s in held:
    s.setblocking(False)
    try:
        closed += s.recv(1) == b""
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
print(f"new client answered {first[:15].decode(errors='replace')!r} in {took:.3f} s (target: under 2 s); "
      f"idle connections closed to make room: {closed} of {len(held)}")
PY
