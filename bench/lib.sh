# Shared by the staff benchmarks (bench/staff_actions.sh, bench/staff_load.sh); sourced, not run.
# A database with the seed plus N generated published articles, a writer and a reviewer, and the
# release build serving it in its default configuration (RUST_LOG unset: one line per request):
#   BACKEND=sqlite (default)  one instance on a SQLite file;
#   BACKEND=postgres          two instances on one PostgreSQL database (PG_ADMIN_URL, default
#                             postgres://postgres@127.0.0.1:5432/postgres; the database
#                             plasticity_bench is made afresh) behind nginx with the repository's
#                             deploy/nginx/upstream.conf and proxy.conf, its access log on
#                             (buffered), as in production; INSTANCES=1 for one instance on
#                             PostgreSQL without nginx (what the database path costs alone).
# After `start_instances`: $origin (what browsers use), ${instances[@]} (each instance's own
# address), ${pids[@]} (their processes), $out/server-K.log (their logs).
bin=${PLASTICITY_BIN:-target/release/plasticity}
backend=${BACKEND:-sqlite}
pg_admin=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
password='otter lantern quietly mapping'
pids=()
instances=()
nginx_pid=
[ -x "$bin" ] || { echo "bench: build first (make build)" >&2; exit 1; }
case "$backend" in sqlite|postgres) ;; *) echo "bench: BACKEND is sqlite or postgres" >&2; exit 1 ;; esac

stop_instances() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; fi
  pids=(); instances=(); nginx_pid=
  true
}
trap stop_instances EXIT

# prepare_db N: a fresh database with the seed and N articles, a writer and a reviewer.
prepare_db() {
  local n=$1
  if [ "$backend" = sqlite ]; then
    db_url=sqlite://$out/bench.db
  else
    psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS plasticity_bench WITH (FORCE)" \
      -c "CREATE DATABASE plasticity_bench" >/dev/null
    db_url=${pg_admin%/*}/plasticity_bench
  fi
  cargo run -q --release --features ssr --example generate_articles -- "$db_url" "$n" >/dev/null
  add_user writer "Kim Writer" writer
  add_user reviewer "Dr Rae Reviewer" reviewer
}

add_user() {
  printf '%s\n' "$password" | DATABASE_URL="$db_url" RUST_LOG=warn "$bin" user add \
    --email "$1@clinic.example" --name "$2" --role "$3" --credentials MD >/dev/null
}

# start_instances PORT: the server(s), and nginx in front on PostgreSQL; returns when each
# instance answers its home page.
start_instances() {
  local port=$1 count=1 k
  [ "$backend" = postgres ] && count=${INSTANCES:-2}
  # What browsers use: the instance itself, or nginx (the instances must know its origin).
  origin=http://127.0.0.1:$port
  for k in $(seq "$count"); do
    local at=$((port + k))
    [ "$count" = 1 ] && at=$port
    env -u RUST_LOG DATABASE_URL="$db_url" LEPTOS_SITE_ADDR="127.0.0.1:$at" NO_COLOR=1 \
      PLASTICITY_PUBLIC_URL="$origin" PLASTICITY_SECRET_KEY="$(printf '%064d' 7)" \
      "$bin" serve 2>"$out/server-$k.log" &
    pids+=($!)
    instances+=("http://127.0.0.1:$at")
  done
  for instance in "${instances[@]}"; do
    until curl -sf -o /dev/null "$instance/"; do sleep 0.02; done
  done
  if [ "$count" = 2 ]; then
    mkdir -p "$out/nginx"
    sed -e "s|127.0.0.1:3001|${instances[0]#http://}|" -e "s|127.0.0.1:3002|${instances[1]#http://}|" \
      deploy/nginx/upstream.conf > "$out/nginx/upstream.conf"
    cat > "$out/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $out/nginx/access.log combined buffer=64k flush=1s;
  client_body_temp_path $out/nginx; proxy_temp_path $out/nginx; fastcgi_temp_path $out/nginx;
  uwsgi_temp_path $out/nginx; scgi_temp_path $out/nginx;
  include $out/nginx/upstream.conf;
  server { listen 127.0.0.1:$port; include $PWD/deploy/nginx/proxy.conf; }
}
CONF
    nginx -g 'daemon off;' -p "$out/nginx" -c "$out/nginx/nginx.conf" &
    nginx_pid=$!
    until curl -sf -o /dev/null "$origin/healthz"; do sleep 0.05; done
  fi
}

# The instances' CPU seconds so far (user + system), summed.
cpu_seconds() {
  local tick total=0 pid
  tick=$(getconf CLK_TCK)
  for pid in "${pids[@]}"; do
    total=$(awk -v t="$tick" -v sum="$total" '{ printf "%.3f", sum + ($14 + $15) / t }' "/proc/$pid/stat")
  done
  echo "$total"
}

# PostgreSQL's CPU seconds so far (user + system), summed over its processes (the server's
# own and one per connection); 0 on SQLite. Processes that ended since are not counted, so
# compare readings taken while the instances keep their connections.
database_cpu_seconds() {
  local tick
  tick=$(getconf CLK_TCK)
  if [ "$backend" != postgres ]; then echo 0; return; fi
  for pid in $(pgrep -x postgres); do cat "/proc/$pid/stat" 2>/dev/null; done \
    | awk -v t="$tick" '{ sub(/^.*\) /, ""); sum += $12 + $13 } END { printf "%.3f\n", sum / t }'
}

# The instances' peak RSS in MB, the largest.
peak_rss_mb() {
  local pid
  for pid in "${pids[@]}"; do awk '/VmHWM/ { printf "%.1f\n", $2 / 1024 }' "/proc/$pid/status"; done | sort -n | tail -1
}

# Until every instance has rendered the public pages ahead at least $1 times.
wait_for_rendering_ahead() {
  local k
  for k in $(seq "${#pids[@]}"); do
    for _ in $(seq 1500); do
      [ "$(grep -c "rendered the public pages ahead" "$out/server-$k.log" || true)" -ge "$1" ] && break
      sleep 0.2
    done
  done
}

# Pages rendered ahead so far, summed over the instances' logs.
pages_rendered_ahead() {
  cat "$out"/server-*.log | grep "rendered the public pages ahead" | grep -o 'rendered=[0-9]*' \
    | cut -d= -f2 | awk '{ sum += $1 } END { print sum + 0 }'
}

staff() { python3 bench/staff.py "$@"; }

sign_in_staff() {
  staff sign-in "$origin" writer@clinic.example "$password" "$out/writer.cookie"
  staff sign-in "$origin" reviewer@clinic.example "$password" "$out/reviewer.cookie"
}
