#!/usr/bin/env bash
# PromQL benchmark (issue 5): the same OpenMetrics backfill loaded into Debian's Prometheus 2.42 (promtool tsdb
# create-blocks-from openmetrics) and into Kansoku (kansoku tsdb import openmetrics), both servers started on it, then
# a fixed set of 20 range queries (the backfill's last hour, step 60 s) run 5 times on each; the median latency of
# each and the ratio Kansoku / Prometheus (target: every one at most 1.0). Each query's answers are also compared
# (bench/promql/same_result.py: same series and timestamps, values to 1e-9) so a fast wrong answer shows.
#
# Usage: bench/promql/run.sh [TARGETS=20] [SERIES_PER_TARGET=2000] [HOURS=2] [WORK=/tmp/kansoku-bench-promql]
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=${1:-20}
per_target=${2:-2000}
hours=${3:-2}
work=${4:-/tmp/kansoku-bench-promql}
prom_port=19490
kansoku_port=19491
rm -rf "$work" && mkdir -p "$work"

# KANSOKU_OUT=DIR uses a kansoku already published there (the NativeAOT publish takes minutes on 2 cores).
if [ -n "${KANSOKU_OUT:-}" ]; then mkdir -p "$work/out" && cp "$KANSOKU_OUT/kansoku" "$work/out/"; else
  dotnet publish src/Kansoku.Cli -c Release -o "$work/out" >/dev/null
fi
dotnet build bench/metrics/Synth -c Release -o "$work/synth" >/dev/null
start=$(( $(date +%s) / 3600 * 3600 - hours * 3600 ))
end=$(( start + hours * 3600 - 15 ))
"$work/synth/synth" openmetrics "$work/backfill.om" "$targets" "$per_target" "$start" "$hours" 15 19000 | tee "$work/backfill.txt"
promtool tsdb create-blocks-from openmetrics "$work/backfill.om" "$work/prom-data" >/dev/null
"$work/out/kansoku" tsdb import openmetrics "$work/backfill.om" --data-dir "$work/kansoku-data/metrics" >/dev/null

echo 'scrape_configs: []' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom-data" --storage.tsdb.retention.time=3650d \
  --web.listen-address="127.0.0.1:$prom_port" > "$work/prometheus.log" 2>&1 &
prom_pid=$!
"$work/out/kansoku" server --data-dir "$work/kansoku-data" --listen "127.0.0.1:$kansoku_port" --metrics-retention 3650d \
  > "$work/kansoku.log" 2>&1 &
kansoku_pid=$!
trap 'kill $prom_pid $kansoku_pid 2>/dev/null || true' EXIT
for port in $prom_port $kansoku_port; do
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 1; done
done

q_start=$(( end - 3600 ))
median_ms() { # URL QUERY
  local times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' --get "$1/api/v1/query_range" --data-urlencode "query=$2" \
      --data-urlencode "start=$q_start" --data-urlencode "end=$end" --data-urlencode "step=60")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[3] * 1000}'
}
answer() { # URL QUERY FILE
  curl -s --get "$1/api/v1/query_range" --data-urlencode "query=$2" --data-urlencode "start=$q_start" \
    --data-urlencode "end=$end" --data-urlencode "step=60" > "$3"
}

printf '\n## 20 range queries over the last hour of the backfill, step 60 s (median of 5, ms)\n'
printf '%-110s %10s %10s %7s %s\n' query Prometheus Kansoku ratio result
worst=0
while IFS= read -r query; do
  [ -z "$query" ] && continue
  p=$(median_ms "http://127.0.0.1:$prom_port" "$query")
  k=$(median_ms "http://127.0.0.1:$kansoku_port" "$query")
  ratio=$(echo "$k / $p" | bc -l)
  answer "http://127.0.0.1:$prom_port" "$query" "$work/prometheus.json"
  answer "http://127.0.0.1:$kansoku_port" "$query" "$work/kansoku.json"
  same=$(python3 bench/promql/same_result.py "$work/prometheus.json" "$work/kansoku.json")
  printf '%-110s %10s %10s %7.2f %s\n' "$query" "$p" "$k" "$ratio" "$same"
  worst=$(echo "if ($ratio > $worst) $ratio else $worst" | bc -l)
done <<'QUERIES'
rate(http_requests_total[5m])
sum by (status) (rate(http_requests_total[5m]))
sum by (method, path) (rate(http_requests_total[5m]))
sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))
histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))
histogram_quantile(0.99, sum by (le, method) (rate(http_request_duration_seconds_bucket[5m])))
histogram_quantile(0.5, rate(http_request_duration_seconds_bucket{instance="localhost:19000"}[5m]))
topk(10, sum by (path) (rate(http_requests_total[5m])))
bottomk(5, sum by (instance) (http_requests_in_flight))
max_over_time(sum(rate(http_requests_total{status="500"}[5m]))[30m:1m])
rate(http_requests_total{status=~"5.."}[5m]) / on (instance, method, path) group_left sum by (instance, method, path) (rate(http_requests_total[5m]))
sum(rate(http_requests_total{path=~"/api/v1/resource1.*"}[5m]))
count by (instance) (http_requests_total)
avg_over_time(http_requests_in_flight{method="GET"}[10m])
sum by (instance) (increase(http_requests_total[1h]))
sum by (instance) (rate(http_requests_total[5m])) > 1
quantile(0.9, http_requests_in_flight)
stddev by (method) (http_requests_in_flight)
sum(irate(http_requests_total{method!="GET",status=~"2.."}[5m]))
absent(nonexistent_metric)
QUERIES
printf '\nworst ratio (Kansoku / Prometheus): %.2f\n' "$worst"
printf 'machine: %s, %s cores, %s; %s\n' "$(uname -m)" "$(nproc)" "$(date +%F)" "$(grep -o 'x [0-9]* series.*' "$work/backfill.txt" | head -1)"
