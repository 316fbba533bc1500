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
