#!/usr/bin/env bash
# What one staff action costs the server (issue 15): the release build on SQLite with the seed
# plus N generated published articles, in its default configuration, every public page rendered
# ahead. A writer saves a draft of a published article (twenty times: the figure is per save),
# then submits it; a reviewer publishes it. For each action: the server's CPU seconds (user + system, from /proc) in the WINDOW seconds
# after the request, less what the idle server spent in a window as long just before; and the
# pages it rendered (from the cache's "rendered the public pages ahead" line). No reader load,
# so the figures are the action's own cost. Also printed: the time from starting the server to
# its first answered page (the home page), and its peak RSS over the run.
# Usage: bench/staff_actions.sh [N...]   (after `make build`; default N: 1000 10000)
#   PLASTICITY_BIN=path  another build to measure;  WINDOW=seconds (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${PLASTICITY_BIN:-target/release/plasticity}
window=${WINDOW:-15}
out=$PWD/bench/out/staff
port=3410
origin=http://127.0.0.1:$port
[ -x "$bin" ] || { echo "bench: build first (make build)" >&2; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
password='otter lantern quietly mapping'
tick=$(getconf CLK_TCK)

server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; true' EXIT
cpu() { awk -v t="$tick" '{ printf "%.3f\n", ($14 + $15) / t }' "/proc/$server/stat"; }
minus() { awk -v a="$1" -v b="$2" -v idle="$3" 'BEGIN { printf "%.3f", a - b - idle }'; }
add_user() {
  printf '%s\n' "$password" | DATABASE_URL="sqlite://$db" RUST_LOG=warn "$bin" user add \
    --email "$1@clinic.example" --name "$2" --role "$3" --credentials MD >/dev/null
}
sign_in() {
  curl -sf -o /dev/null -c "$out/$1.jar" -H "Origin: $origin" \
    --data-urlencode "email=$1@clinic.example" --data-urlencode "password=$password" \
    --data-urlencode "next=/admin" "$origin/admin/login"
}
# Posts the editor form of article $2 as $1 with intent $3, every field as the page holds it
# (what a browser would send), the body replaced by $4 when given. Prints the status code.
post_editor() {
  local who=$1 id=$2 intent=$3 body=${4:-}
  curl -sf -b "$out/$who.jar" "$origin/admin/articles/$id" > "$out/editor.html"
  python3 - "$out/editor.html" "$intent" "$body" > "$out/form.txt" <<'EOF'
import html.parser, sys, urllib.parse
page, intent, body = sys.argv[1], sys.argv[2], sys.argv[3]
class Form(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.area = [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "submit"):
            self.fields.append([a["name"], a.get("value") or ""])
        elif tag == "textarea" and a.get("name"):
            self.area = [a["name"], ""]
            self.fields.append(self.area)
    def handle_data(self, data):
        if self.area is not None:
            self.area[1] += data
    def handle_endtag(self, tag):
        if tag == "textarea":
            self.area = None
form = Form()
form.feed(open(page, encoding="utf-8").read())
fields = [(k, v.removeprefix("\n") if k in ("summary", "body") else v) for k, v in form.fields]
fields = [(k, body if (k == "body" and body) else v) for k, v in fields if k != "intent"]
print(urllib.parse.urlencode(fields + [("intent", intent), ("note", "bench")]), end="")
EOF
  curl -s -o "$out/answer.html" -w '%{http_code}' -b "$out/$who.jar" -H "Origin: $origin" \
    -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$out/form.txt" \
    "$origin/admin/articles/$id"
}
rendered_lines() { grep -c "rendered the public pages ahead" "$out/server.log" || true; }
last_rendered() { grep "rendered the public pages ahead" "$out/server.log" | tail -1 | grep -o 'rendered=[0-9]*' | cut -d= -f2; }

printf '| articles | start to first page, s | idle CPU s per %s s | draft save: CPU s | pages rendered | submit: CPU s | pages rendered | publish: CPU s | pages rendered | peak RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n' "$window"
for n in "${sizes[@]}"; do
  rm -rf "$out" && mkdir -p "$out"
  db=$out/bench.db
  cargo run -q --release --features ssr --example generate_articles -- "sqlite://$db" "$n" >/dev/null
  add_user writer "Kim Writer" writer
  add_user reviewer "Dr Rae Reviewer" reviewer
  started=$(date +%s.%N)
  env -u RUST_LOG DATABASE_URL="sqlite://$db" LEPTOS_SITE_ADDR="127.0.0.1:$port" NO_COLOR=1 \
    "$bin" serve 2>"$out/server.log" &
  server=$!
  until curl -sf -o /dev/null "$origin/"; do sleep 0.02; done
  startup=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  for _ in $(seq 1500); do [ "$(rendered_lines)" -ge 1 ] && break; sleep 0.2; done
  sleep 2 # the background recompression of what was rendered ahead
  sign_in writer; sign_in reviewer
  id=$((n + 1)) # the newest generated article (the seed is 1): on the first page of the list

  a=$(cpu); sleep "$window"; b=$(cpu); idle=$(minus "$b" "$a" 0)

  measure() { # $1: what; the action runs between two readings, then the window passes
    local before_lines status a b
    before_lines=$(rendered_lines)
    a=$(cpu)
    status=$("$@")
    curl -s -o /dev/null "$origin/help-now" # a patient's next request sees the change
    sleep "$window"
    b=$(cpu)
    [ "$status" = 303 ] || echo "bench: $* answered $status" >&2
    local pages=0
    [ "$(rendered_lines)" -gt "$before_lines" ] && pages=$(last_rendered)
    printf '%s %s\n' "$(minus "$b" "$a" "$idle")" "$pages"
  }
  saves() { # twenty draft saves, one after another (ten-millisecond CPU ticks: one is too short)
    local status
    for k in $(seq 20); do
      status=$(post_editor writer "$id" save "A draft nobody has reviewed yet ($k).")
      [ "$status" = 303 ] || break
    done
    echo "$status"
  }
  read -r saves_cpu save_pages < <(measure saves)
  save_cpu=$(awk -v c="$saves_cpu" 'BEGIN { printf "%.4f", c / 20 }')
  read -r submit_cpu submit_pages < <(measure post_editor writer "$id" submit)
  read -r publish_cpu publish_pages < <(measure post_editor reviewer "$id" publish)
  rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$startup" "$idle" "$save_cpu" \
    "$save_pages" "$submit_cpu" "$submit_pages" "$publish_cpu" "$publish_pages" "$rss"
  kill "$server"; wait "$server" 2>/dev/null || true; server=
done
