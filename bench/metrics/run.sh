#!/usr/bin/env bash
# Metrics benchmark (issue 4): Kansoku and Debian's Prometheus side by side in one run, on the same synthetic targets.
#  1. Backfill: HOURS of every series as an OpenMetrics file, loaded by `promtool tsdb create-blocks-from openmetrics`
#     and by `kansoku tsdb import openmetrics`: bytes per sample on disk, import CPU.
#  2. Live: both servers start on their backfilled data and scrape the same TARGETS x SERIES synthetic targets every 15 s
#     for LIVE_MINUTES: RSS (steady = median of the last half of the samples) and CPU seconds of each process.
#  3. Queries: a fixed set of selectors, instant and range, each run 5 times on both; median latency.
#
# Usage: bench/metrics/run.sh [TARGETS=100] [SERIES_PER_TARGET=2000] [HOURS=2] [LIVE_MINUTES=10] [WORK=/tmp/kansoku-bench-metrics]
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=${1:-100}
per_target=${2:-2000}
hours=${3:-2}
live_minutes=${4:-10}
work=${5:-/tmp/kansoku-bench-metrics}
first_port=19000
prom_port=19390
kansoku_port=19391
mkdir -p "$work"
# REUSE_BACKFILL=1 keeps the OpenMetrics file and Prometheus' blocks of an earlier run of the same size (promtool takes
# minutes on 200k series); Kansoku's import always runs.
if [ -z "${REUSE_BACKFILL:-}" ]; then rm -rf "$work/prom-data" "$work/backfill.om"; fi
rm -rf "$work/kansoku-data" "$work"/*.log

dotnet publish src/Kansoku.Cli -c Release -o "$work/out" >/dev/null
dotnet build bench/metrics/Synth -c Release -o "$work/synth" >/dev/null
synth="$work/synth/synth"

now=$(date +%s)
# The backfill ends an interval before the live scrapes begin, so the two never overlap.
start=$(( now - hours * 3600 - 60 ))
if [ ! -f "$work/backfill.om" ]; then
  "$synth" openmetrics "$work/backfill.om" "$targets" "$per_target" "$start" "$hours" 15 "$first_port" | tee "$work/backfill.txt"
fi
samples=$(grep -o 'wrote [0-9]*' "$work/backfill.txt" | cut -d' ' -f2)
series=$(grep -o 'x [0-9]* series' "$work/backfill.txt" | cut -d' ' -f2)
series=$(( series * targets ))

cpu_of() { # user+system seconds of a finished /usr/bin/time -f "%U %S" file
  awk '{printf "%.2f", $1 + $2}' "$1"
}

if [ ! -d "$work/prom-data" ]; then
  /usr/bin/time -f "%U %S %M" -o "$work/promtool.time" promtool tsdb create-blocks-from openmetrics "$work/backfill.om" "$work/prom-data" >/dev/null
fi
/usr/bin/time -f "%U %S %M" -o "$work/kansoku-import.time" "$work/out/kansoku" tsdb import openmetrics "$work/backfill.om" --data-dir "$work/kansoku-data" >/dev/null
prom_bytes=$(du -sb "$work/prom-data" | cut -f1)
kansoku_bytes=$(du -sb "$work/kansoku-data/metrics" | cut -f1)

cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 15s
  scrape_timeout: 10s
scrape_configs:
  - job_name: synth
    static_configs:
      - targets: [$(for t in $(seq 0 $(( targets - 1 ))); do printf '"localhost:%d",' $(( first_port + t )); done | sed 's/,$//')]
YAML

"$synth" serve "$first_port" "$targets" "$per_target" 15 > "$work/synth.log" 2>&1 &
synth_pid=$!
trap 'kill $synth_pid $prom_pid $kansoku_pid 2>/dev/null || true' EXIT
sleep 2

prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom-data" \
  --web.listen-address="127.0.0.1:$prom_port" --storage.tsdb.retention.time=30d > "$work/prometheus.log" 2>&1 &
prom_pid=$!
"$work/out/kansoku" server --data-dir "$work/kansoku-data" --listen "127.0.0.1:$kansoku_port" \
  --config "$work/prometheus.yml" > "$work/kansoku.log" 2>&1 &
kansoku_pid=$!

: > "$work/rss.txt"
end=$(( $(date +%s) + live_minutes * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
  printf '%s %s\n' "$(awk '/VmRSS/ {print $2}' /proc/$prom_pid/status)" "$(awk '/VmRSS/ {print $2}' /proc/$kansoku_pid/status)" >> "$work/rss.txt"
  sleep 5
done
ticks=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$ticks" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
prom_cpu=$(cpu_seconds $prom_pid)
kansoku_cpu=$(cpu_seconds $kansoku_pid)
steady() { # median of column $1 over the second half of the samples, in MiB
  local n; n=$(wc -l < "$work/rss.txt")
  tail -n $(( n / 2 )) "$work/rss.txt" | awk -v c="$1" '{print $c}' | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)] / 1024}'
}
peak() { awk -v c="$1" '$c > m {m = $c} END {printf "%.0f", m / 1024}' "$work/rss.txt"; }

# Query latency: median of 5 runs of each query on each server, in milliseconds.
query_ms() { # URL PATH ARGS...
  local url=$1 path=$2; shift 2
  local times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' --get "$url$path" "$@")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[3] * 1000}'
}
t_now=$(date +%s)
t_start=$(( t_now - hours * 3600 ))
printf '\n## queries (median of 5, ms): Prometheus | Kansoku | series\n'
while IFS='|' read -r kind selector; do
  if [ "$kind" = instant ]; then
    args=(--data-urlencode "query=$selector" --data-urlencode "time=$t_now")
    path=/api/v1/query
  else
    args=(--data-urlencode "query=$selector" --data-urlencode "start=$t_start" --data-urlencode "end=$t_now" --data-urlencode "step=60")
    path=/api/v1/query_range
  fi
  p=$(query_ms "http://127.0.0.1:$prom_port" "$path" "${args[@]}")
  k=$(query_ms "http://127.0.0.1:$kansoku_port" "$path" "${args[@]}")
  n=$(curl -s --get "http://127.0.0.1:$kansoku_port$path" "${args[@]}" | grep -o '"metric"' | wc -l || true)
  np=$(curl -s --get "http://127.0.0.1:$prom_port$path" "${args[@]}" | grep -o '"metric"' | wc -l || true)
  printf '%-8s %-70s %8s | %8s | %s (Prometheus %s)\n' "$kind" "$selector" "$p" "$k" "$n" "$np"
done <<'QUERIES'
instant|up
instant|http_requests_in_flight{path="/api/v1/resource0/item0"}
instant|http_requests_total{instance="localhost:19000"}
instant|http_requests_total{status=~"5..",method!="GET"}
range|http_requests_in_flight{instance="localhost:19001",path=~"/api/v1/resource1/.*"}
range|up
QUERIES

printf '\n## backfill: %d series, %d samples over %d h\n' "$series" "$samples" "$hours"
printf 'Prometheus: %d bytes on disk, %.3f bytes/sample, import CPU %s s\n' "$prom_bytes" "$(echo "$prom_bytes / $samples" | bc -l)" "$(cpu_of "$work/promtool.time")"
printf 'Kansoku:    %d bytes on disk, %.3f bytes/sample, import CPU %s s\n' "$kansoku_bytes" "$(echo "$kansoku_bytes / $samples" | bc -l)" "$(cpu_of "$work/kansoku-import.time")"
printf '\n## live: %d targets x %d series every 15 s for %d min\n' "$targets" "$(( series / targets ))" "$live_minutes"
printf 'Prometheus: RSS steady %s MiB, peak %s MiB, CPU %s s\n' "$(steady 1)" "$(peak 1)" "$prom_cpu"
printf 'Kansoku:    RSS steady %s MiB, peak %s MiB, CPU %s s\n' "$(steady 2)" "$(peak 2)" "$kansoku_cpu"
printf '\nmachine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(date +%F)"
