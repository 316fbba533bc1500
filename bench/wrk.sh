# Sourced by the load benchmarks: `wrk_figures FILE URL [wrk args…]` runs wrk (with --latency),
# keeps its report in FILE, and prints "requests/s p50 p99 non-2xx" (latencies in ms).
wrk_figures() {
  local file=$1 url=$2; shift 2
  wrk --latency "$@" "$url" > "$file"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }' "$file"
}

# `cpu_ticks PID…` prints "user system": the CPU time the processes and their threads have used
# so far, in clock ticks (`getconf CLK_TCK` a second). nginx's workers are its master's children:
# pass them too (`pgrep -P MASTER`), a parent's figures count only children it has reaped.
cpu_ticks() {
  local pid user=0 system=0 fields
  for pid in "$@"; do
    # Fields 14 and 15 of /proc/PID/stat; the name in field 2 may hold spaces, so count from ')'.
    read -r -a fields < <(sed 's/.*) //' "/proc/$pid/stat")
    user=$((user + fields[11])) system=$((system + fields[12]))
  done
  echo "$user $system"
}

# `cpu_per_request BEFORE AFTER REQUESTS` ("user system" pairs from cpu_ticks, the requests
# answered in between) prints "user_us system_us": microseconds of CPU per request. Unlike
# requests/s, the user share does not depend on how costly the machine's kernel makes loopback
# TCP, so it compares servers across machines of different kinds.
cpu_per_request() {
  local hz
  hz=$(getconf CLK_TCK)
  awk -v b="$1" -v a="$2" -v n="$3" -v hz="$hz" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    printf "%.1f %.1f\n", (y[1] - x[1]) * 1e6 / hz / n, (y[2] - x[2]) * 1e6 / hz / n }'
}
