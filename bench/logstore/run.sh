#!/usr/bin/env bash
# Log store benchmark (issue 3), one run on one generated corpus (a day of CRI container logs: JSON, plain and
# multi-line stack-trace lines), side by side with the tools it should beat:
#   (a) ingest: Loki push protobuf over HTTP into `kansoku server` from bench/logstore/Loadgen (requests encoded
#       beforehand, sent over N concurrent connections): lines/s, with the server's RSS sampled from /proc
#       (targets: >= 300,000 lines/s, <= 512 MiB RSS);
#   (b) bytes on disk of the data directory vs `zstd -3` of the raw text (target: smaller);
#   (c) a needle query (a token in exactly one line) over all data via /loki/api/v1/query_range vs `rg` over the raw
#       files (target: faster);
#   (d) sum by (level) (count_over_time({namespace="shop"} | json [1m])) over the day (reported; Loki refuses it on
#       mixed JSON and plain lines, so then also with | __error__="" before the range).
# The server is the shipped NativeAOT binary. Corpus and prepared requests are kept in WORK_DIR for the next run.
#
# Usage: bench/logstore/run.sh [SIZE_MIB=2048] [WORK_DIR=/tmp/kansoku-bench-logstore] [CONNECTIONS=8]
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-2048}
work=${2:-/tmp/kansoku-bench-logstore}
connections=${3:-8}
corpus="$work/corpus-$size"
mkdir -p "$work"

need=()
command -v zstd >/dev/null || need+=(zstd)
command -v rg >/dev/null || need+=(ripgrep)
command -v jq >/dev/null || need+=(jq)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The corpus is one UTC day (yesterday when generated) with one needle; both are kept beside it for later runs.
if [ ! -f "$corpus.meta" ]; then
  rm -rf "$corpus" "$corpus.bodies"
  day=$(date -u -d yesterday +%F)
  needle=$(python3 -c 'import secrets; print(secrets.token_hex(8))')
  echo "generating ${size} MiB corpus for $day in $corpus"
  python3 bench/logstore/gen-corpus.py "$corpus" "$size" "$day" "$needle"
  printf 'day=%s\nneedle=%s\n' "$day" "$needle" > "$corpus.meta"
fi
# shellcheck disable=SC1090,SC1091
. "$corpus.meta"
start="${day}T00:00:00Z"
end=$(date -u -d "$day + 1 day" +%FT%TZ)
bytes=$(du -cb "$corpus"/*.log | tail -1 | cut -f1)
lines=$(cat "$corpus"/*.log | wc -l)

build() {  # a dotnet command whose output is shown only when it fails
  "$@" > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; echo "failed: $*"; exit 1; }
}
build dotnet publish src/Kansoku.Cli -c Release -o "$work/out"
build dotnet build bench/logstore/Loadgen -c Release -o "$work/loadgen"
loadgen=(dotnet "$work/loadgen/loadgen.dll")
if [ ! -f "$corpus.bodies" ]; then
  echo "encoding the corpus into push requests: $("${loadgen[@]}" prepare "$corpus" "$corpus.bodies.tmp")"
  mv "$corpus.bodies.tmp" "$corpus.bodies"
fi

now() { date +%s.%N; }
seconds_since() { echo "$(now) - $1" | bc -l; }
cpu_seconds() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}'; }

sample_rss() {
  local pid=$1 file=$2
  : > "$file"
  while kill -0 "$pid" 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null >> "$file" || true
    sleep 0.2
  done
}

server_pid=
url=
start_server() {
  local began
  began=$(now)
  "$work/out/kansoku" server --data-dir "$work/data" --listen 127.0.0.1:0 --retention 0 > "$work/server.log" 2>&1 &
  server_pid=$!
  until grep -q 'listening on' "$work/server.log"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.05
  done
  url=$(grep -o 'listening on [^ ]*' "$work/server.log" | head -1 | cut -d' ' -f3 | sed 's#/$##')
  server_started=$(seconds_since "$began")
}
stop_server() {
  local began
  began=$(now)
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_stopped=$(seconds_since "$began")
}
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; true' EXIT

# (a) ingest
rm -rf "$work/data"
start_server
sample_rss "$server_pid" "$work/rss.txt" &
sampler=$!
/usr/bin/time -f "%U %S" -o "$work/loadgen-time.txt" "${loadgen[@]}" push "$url" "$corpus.bodies" "$connections" > "$work/push.txt" \
  || echo "loadgen: the server refused some requests for good (see 'failures' below)"
server_cpu=$(cpu_seconds "$server_pid")
kill "$sampler" 2>/dev/null || true
read -r lg_user lg_sys < "$work/loadgen-time.txt"
push=$(cat "$work/push.txt")
pushed_lines=$(grep -o 'lines=[0-9]*' <<< "$push" | head -1 | cut -d= -f2)
push_seconds=$(grep -o 'seconds=[0-9.]*' <<< "$push" | cut -d= -f2)
stored=$(curl -sfG "$url/loki/api/v1/index/stats" --data-urlencode 'query={namespace=~".+"}' \
  --data-urlencode "start=$start" --data-urlencode "end=$end" | jq .entries)
rss_peak=$(sort -n "$work/rss.txt" | tail -1)
rss_median=$(median < "$work/rss.txt")
stop_server

printf '\n## corpus\n'
printf '%d bytes (%s MiB), %d lines, 8 containers in 3 namespaces, day %s, needle %s\n' "$bytes" "$size" "$lines" "$day" "$needle"

printf '\n## (a) ingest: Loki push protobuf, %d connections\n' "$connections"
printf 'loadgen: %s\n' "$push"
printf 'lines/s: %.0f  (target >= 300000)   stored entries: %s of %s\n' "$(echo "$pushed_lines / $push_seconds" | bc -l)" "$stored" "$lines"
printf 'server RSS: peak %d KiB (%.0f MiB, target <= 512 MiB), median %d KiB; server CPU %s s; loadgen CPU %.2f s\n' \
  "$rss_peak" "$(echo "$rss_peak / 1024" | bc -l)" "$rss_median" "$server_cpu" "$(echo "$lg_user + $lg_sys" | bc -l)"
printf 'graceful stop (flush to parts): %.2f s\n' "$server_stopped"

# (b) size on disk
disk=$(du -sb "$work/data" | cut -f1)
began=$(now)
zstd_bytes=$(cat "$corpus"/*.log | zstd -3 -q -c | wc -c)
zstd_seconds=$(seconds_since "$began")
printf '\n## (b) bytes on disk\n'
printf 'kansoku data dir: %d bytes (%.1f%% of raw)   zstd -3: %d bytes (%.1f%% of raw, %.1f s)   kansoku/zstd: %.2f\n' \
  "$disk" "$(echo "100 * $disk / $bytes" | bc -l)" "$zstd_bytes" "$(echo "100 * $zstd_bytes / $bytes" | bc -l)" "$zstd_seconds" \
  "$(echo "$disk / $zstd_bytes" | bc -l)"

# (c) and (d) run on a restarted server: what is on disk, not what the ingest left in memory.
best_time() {  # runs the command once to warm up, then three times; prints the shortest wall time in seconds
  "$@" > /dev/null
  local best='' t began
  for _ in 1 2 3; do
    began=$(now)
    "$@" > /dev/null
    t=$(seconds_since "$began")
    if [ -z "$best" ] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  echo "$best"
}
query_range() {  # query, more curl arguments: the answer on stdout
  local query=$1
  shift
  curl -sf -G "$url/loki/api/v1/query_range" --data-urlencode "query=$query" \
    --data-urlencode "start=$start" --data-urlencode "end=$end" "$@"
}
metric_once() {  # query: the answer in $work/metric.json; prints the HTTP status and the seconds taken
  curl -s -o "$work/metric.json" -w '%{http_code} %{time_total}\n' -G "$url/loki/api/v1/query_range" \
    --data-urlencode "query=$1" --data-urlencode "start=$start" --data-urlencode "end=$end" --data-urlencode step=60
}
start_server
printf '\n## (c) needle query over all data (warm page cache: one warm-up, then best of 3)\n'
printf 'server restart to listening: %.2f s\n' "$server_started"
rg_seconds=$(best_time rg -F -c "$needle" "$corpus")
rg_count=$(rg -F -c --no-filename "$needle" "$corpus" | paste -sd+ | bc)
printf 'rg -F over the raw files: %.3f s, %s matching line(s)\n' "$rg_seconds" "$rg_count"
needle_query="{namespace=~\".+\"} |= \"$needle\""
metric_query='sum by (level) (count_over_time({namespace="shop"} | json [1m]))'
status=$(curl -s -o /dev/null -w '%{http_code}' "$url/loki/api/v1/query_range?query=%7Bnamespace%3D%22shop%22%7D")
if [ "$status" = 404 ]; then
  printf 'kansoku: /loki/api/v1/query_range is not in this build (404): not measured\n'
  printf '\n## (d) %s over the day\n' "$metric_query"
  printf 'kansoku: /loki/api/v1/query_range is not in this build (404): not measured\n'
else
  kansoku_seconds=$(best_time query_range "$needle_query" --data-urlencode limit=100)
  found=$(query_range "$needle_query" --data-urlencode limit=100 | jq '[.data.result[].values[]] | length')
  printf 'kansoku %s: %.3f s, %s line(s)   kansoku/rg: %.2f\n' "$needle_query" "$kansoku_seconds" "$found" \
    "$(echo "$kansoku_seconds / $rg_seconds" | bc -l)"

  printf '\n## (d) %s over the day, step 60s\n' "$metric_query"
  read -r status first < <(metric_once "$metric_query")
  if [ "$status" != 200 ]; then
    # As in Loki, a metric query whose parser fails on some lines (plain text, stack traces) is refused unless it
    # filters the errors out: report the answer, then measure the query with that filter.
    printf 'HTTP %s: %s\n' "$status" "$(head -1 "$work/metric.json" | cut -c1-300)"
    metric_query='sum by (level) (count_over_time({namespace="shop"} | json | __error__="" [1m]))'
    printf 'so instead: %s\n' "$metric_query"
    read -r status first < <(metric_once "$metric_query")
  fi
  printf 'first run: %.3f s (HTTP %s)\n' "$first" "$status"
  printf 'best of 3: %.3f s\n' "$(best_time query_range "$metric_query" --data-urlencode step=60)"
  printf 'series: %s\n' "$(jq -c '[.data.result[] | {level: .metric.level, points: (.values | length),
    lines: ([.values[][1] | tonumber] | add)}]' "$work/metric.json")"
fi
stop_server
printf '\nkansoku data dir after the query phase (background merges): %d bytes\n' "$(du -sb "$work/data" | cut -f1)"
printf 'machine: %s, %s cores, %s MiB RAM, %s\n' "$(uname -m)" "$(nproc)" "$(free -m | awk '/Mem:/ {print $2}')" "$(date -u +%Y-%m-%d)"
