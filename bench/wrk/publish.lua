-- wrk script: every request publishes one ~100-byte event to Herald, as the ingest scenario's single phase does.
-- wrk -t2 -c32 -d10s -s bench/wrk/publish.lua http://localhost:8000/api/events
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"topic":"bench","type":"t","data":{"seq":0,"note":"a payload of about one hundred bytes, like the benchmark\'s"}}'

done = function(summary, latency, requests)
  io.write(string.format("answers other than 2xx: %d\n", summary.errors.status))
end
