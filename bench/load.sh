#!/usr/bin/env bash
# Load benchmark on loopback: the release build on SQLite with the seed plus 1,000 generated
# articles, against nginx serving the seed article's HTML as a static file with the same headers
# and the same precompressed bytes (brotli_static, gzip_static), in the same run. wrk: 2 threads,
# 64 connections, DURATION (default 20s), Accept-Encoding: br, gzip. Prints requests/s, p50, p99,
# the server's peak RSS, and ours/nginx; and each server's CPU per request on the seed article
# (user and system): the user share compares across machines whose kernels make loopback TCP
# cheaper or dearer, where requests/s alone does not (the kernel's work is the same for both).
#
# nginx is measured before and after the seed article (A-B-A) and the ratio uses the mean of the
# two, so a drift of the machine's speed during the run (seen here: nginx alone moving by a fifth
# between runs) does not land on one side. The random article is measured twice: on a server
# just started (no page rendered yet: every first visit renders while the load runs, as right
# after a publish) and later on the warm server.
#
# Both run as in production: Plasticity in its default configuration (RUST_LOG=info, one log line
# per request, written to a file), nginx with its access log on (buffered, as nginx is run).
# Usage: bench/load.sh   (after `make build`; needs wrk and nginx with the brotli modules)
#   PLASTICITY_BIN=path   another build of the server to measure (to compare two builds)
#   BENCH_RUST_LOG=warn   the server's RUST_LOG (default: unset, which means info)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/load
port=3400
nginx_port=3401
nginx_plain_port=3403
duration=${DURATION:-20s}
bin=${PLASTICITY_BIN:-target/release/plasticity}
[ -x "$bin" ] || { echo "bench: build first (make build)" >&2; exit 1; }
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "bench: needs wrk and nginx (apt-get install wrk nginx-light libnginx-mod-http-brotli-static libnginx-mod-http-brotli-filter)" >&2; exit 1; }

rm -rf "$out" && mkdir -p "$out/static" "$out/static-plain" "$out/tmp"
cargo run -q --release --features ssr --example generate_articles -- "sqlite://$out/bench.db" 1000

server=
nginx_pid=
trap '[ -n "$server" ] && kill $server 2>/dev/null; [ -n "$nginx_pid" ] && kill $nginx_pid 2>/dev/null; true' EXIT
start_server() {
  env -u RUST_LOG ${BENCH_RUST_LOG:+RUST_LOG=$BENCH_RUST_LOG,plasticity::server::page_cache=info} \
    DATABASE_URL="sqlite://$out/bench.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" NO_COLOR=1 \
    "$bin" serve 2>>"$out/server.log" &
  server=$!
  watch=$server
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
}
peak_rss_kb() { awk '/VmHWM/ { print $2 }' "/proc/$server/status"; }
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }

article=/articles/ketamine-and-brain-plasticity

source bench/wrk.sh
# run NAME URL [wrk args…] → "rps p50 p99 non-2xx" (latencies in ms); the CPU per request of the
# processes in $watch (the server measured) goes to NAME.cpu ("user_us system_us").
watch=
run() {
  local name=$1 url=$2 before; shift 2
  before=$(cpu_ticks $watch)
  wrk_figures "$out/$name.txt" "$url" -t2 -c64 -d"$duration" -H 'Accept-Encoding: br, gzip' "$@"
  cpu_per_request "$before" "$(cpu_ticks $watch)" "$(awk '/requests in/ { print $1 }' "$out/$name.txt")" > "$out/$name.cpu"
}

printf '| target | requests/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---:|---:|---:|\n'
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }

# A server just started: no page is stored yet.
start_server
read -r c_rps c_p50 c_p99 c_bad < <(run random-cold "http://127.0.0.1:$port" -s bench/random-article.lua)
row "plasticity, random article of 1,000, server just started (first visits render)" "$c_rps" "$c_p50" "$c_p99" "$c_bad"
cold_rss_kb=$(peak_rss_kb)
stop_server

: > "$out/server.log"
start_server
# The very bytes Plasticity sends, for each encoding, and its policy header.
curl -sf "http://127.0.0.1:$port$article" -H 'Accept-Encoding: identity' -o "$out/static/article.html"
sleep 1 # the background pass recompresses the page at brotli 11 / gzip 9
curl -sf "http://127.0.0.1:$port$article" -H 'Accept-Encoding: br' -o "$out/static/article.html.br"
curl -sf "http://127.0.0.1:$port$article" -H 'Accept-Encoding: gzip' -o "$out/static/article.html.gz"
cp "$out/static/article.html" "$out/static-plain/article.html"
# The first request started rendering every page ahead (see src/server/page_cache); nothing is
# measured until that is done, so it takes no CPU from nginx's run.
for _ in $(seq 600); do grep -q "rendered the public pages ahead" "$out/server.log" && break; sleep 0.2; done
csp=$(curl -sfI "http://127.0.0.1:$port$article" | awk -F': ' 'tolower($1) == "content-security-policy" { sub(/\r$/, "", $2); print $2 }')
sed -e "s|__OUT__|$out|g" -e "s|__PORT__|$nginx_port|g" -e "s|__PORT2__|$nginx_plain_port|g" -e "s|__CSP__|$csp|g" bench/nginx.conf.template > "$out/nginx.conf"
nginx -c "$out/nginx.conf" -p "$out" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/article" >/dev/null && break; sleep 0.2; done

nginx_watch="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
watch=$nginx_watch
read -r n_rps n_p50 n_p99 n_bad < <(run nginx "http://127.0.0.1:$nginx_port/article")
row "nginx, seed article as a static file, the same precompressed bytes (before)" "$n_rps" "$n_p50" "$n_p99" "$n_bad"
watch=$server
read -r a_rps a_p50 a_p99 a_bad < <(run article "http://127.0.0.1:$port$article")
watch=$nginx_watch
row "plasticity, seed article" "$a_rps" "$a_p50" "$a_p99" "$a_bad"
read -r m_rps m_p50 m_p99 m_bad < <(run nginx-after "http://127.0.0.1:$nginx_port/article")
row "nginx, the same, again (after)" "$m_rps" "$m_p50" "$m_p99" "$m_bad"
read -r o_rps o_p50 o_p99 o_bad < <(run nginx-plain "http://127.0.0.1:$nginx_plain_port/article")
row "nginx, the same file compressed on the fly (brotli 4, gzip 6)" "$o_rps" "$o_p50" "$o_p99" "$o_bad"
watch=$server
read -r h_rps h_p50 h_p99 h_bad < <(run home "http://127.0.0.1:$port/")
row "plasticity, home page" "$h_rps" "$h_p50" "$h_p99" "$h_bad"
read -r r_rps r_p50 r_p99 r_bad < <(run random "http://127.0.0.1:$port" -s bench/random-article.lua)
row "plasticity, random article of 1,000, warm" "$r_rps" "$r_p50" "$r_p99" "$r_bad"
rss_kb=$(peak_rss_kb)
echo
awk -v a="$cold_rss_kb" -v b="$rss_kb" 'BEGIN { printf "plasticity peak RSS: %.1f MB (server just started: %.1f MB)\n", b / 1024, a / 1024 }'
awk -v a="$a_rps" -v n="$n_rps" -v m="$m_rps" 'BEGIN { printf "seed article, plasticity/nginx requests/s: %.2f (the same bytes; nginx the mean of before and after: %.2f and %.2f alone)\n", 2 * a / (n + m), a / n, a / m }'
awk -v a="$a_rps" -v n="$o_rps" 'BEGIN { printf "seed article, plasticity/nginx compressing on the fly: %.2f\n", a / n }'
read -r n_user n_sys < "$out/nginx.cpu"
read -r m_user m_sys < "$out/nginx-after.cpu"
read -r a_user a_sys < "$out/article.cpu"
awk -v au="$a_user" -v as="$a_sys" -v nu="$n_user" -v ns="$n_sys" -v mu="$m_user" -v ms="$m_sys" 'BEGIN {
  nu = (nu + mu) / 2; ns = (ns + ms) / 2
  printf "seed article, CPU per request in microseconds, user + system: plasticity %.1f + %.1f, nginx %.1f + %.1f (mean of before and after); user ratio nginx/plasticity %.2f, total %.2f\n", au, as, nu, ns, nu / au, (nu + ns) / (au + as) }'
