-- wrk: each request is the next of the 50 queries in bench/search-queries.txt, in turn; done()
-- prints the latency percentiles the issue asks for (p50, p95, p99, in ms).
local queries = {}
for line in io.lines("bench/search-queries.txt") do
  local encoded = line:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end)
  table.insert(queries, "/search?q=" .. encoded)
end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", queries[(counter % #queries) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("percentiles-ms %.2f %.2f %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
