#!/usr/bin/env bash
# Agent throughput benchmark (issue 2): CRI + JSON parse + path metadata + file output, one agent process, on a
# generated corpus. Prints records/s, steady-state and peak RSS, and CPU-seconds per GiB; with rsyslog installed, runs
# rsyslog's imfile -> omfile on the same files as a reference in the same run.
#
# Usage: bench/agent/run.sh [SIZE_MIB=1024] [WORK_DIR=/tmp/kansoku-bench-agent]
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1024}
work=${2:-/tmp/kansoku-bench-agent}
corpus="$work/corpus-$size"
mkdir -p "$work"

if [ ! -d "$corpus" ]; then
  echo "generating ${size} MiB corpus in $corpus"
  python3 bench/agent/gen-corpus.py "$corpus" "$size" 4
fi
bytes=$(du -cb "$corpus"/*.log | tail -1 | cut -f1)
lines=$(cat "$corpus"/*.log | wc -l)

dotnet publish src/Kansoku.Cli -c Release -o "$work/out" >/dev/null
rm -rf "$work/state" "$work/out.ndjson"

# Sample RSS every 200 ms; the median of the samples after the first second is the steady state.
sample_rss() {
  local pid=$1 file=$2
  : > "$file"
  while kill -0 "$pid" 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null >> "$file" || true
    sleep 0.2
  done
}

start=$(date +%s.%N)
/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
  "$work/out/kansoku" agent --path "$corpus/*.log" --output "file:$work/out.ndjson" --state-dir "$work/state" \
  --read-from head --once 2> "$work/agent.log" &
pid=$!
sleep 0.1
agent_pid=$(pgrep -P "$pid" -f kansoku || echo "$pid")
sample_rss "$agent_pid" "$work/rss.txt" &
wait "$pid"
read -r elapsed user sys maxrss < "$work/time.txt"
records=$(wc -l < "$work/out.ndjson")
steady=$(tail -n +6 "$work/rss.txt" | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}')
cpu=$(echo "$user + $sys" | bc -l)
gib=$(echo "$bytes / 1073741824" | bc -l)

printf '\n## kansoku agent\n'
printf 'corpus: %d bytes, %d lines (%s MiB), records out: %d\n' "$bytes" "$lines" "$size" "$records"
printf 'wall: %.2f s  records/s: %.0f  MiB/s: %.1f\n' "$elapsed" "$(echo "$records / $elapsed" | bc -l)" "$(echo "$bytes / 1048576 / $elapsed" | bc -l)"
printf 'CPU: %.2f s (%.2f s per GiB)  RSS: steady %d KiB, peak %d KiB\n' "$cpu" "$(echo "$cpu / $gib" | bc -l)" "$steady" "$maxrss"

if command -v rsyslogd >/dev/null; then
  rm -rf "$work/rsyslog" && mkdir -p "$work/rsyslog"
  cat > "$work/rsyslog/rsyslog.conf" <<CONF
global(workDirectory="$work/rsyslog")
module(load="imfile")
template(name="json" type="list" option.jsonf="on") { property(outname="log" name="msg" format="jsonf") }
input(type="imfile" File="$corpus/*.log" Tag="bench" readMode="0" freshStartTail="off")
action(type="omfile" file="$work/rsyslog/out.ndjson" template="json")
CONF
  start=$(date +%s.%N)
  rsyslogd -n -f "$work/rsyslog/rsyslog.conf" -i "$work/rsyslog/pid" 2>/dev/null &
  rpid=$!
  sample_rss "$rpid" "$work/rsyslog-rss.txt" &
  while [ ! -f "$work/rsyslog/out.ndjson" ] || [ "$(wc -l < "$work/rsyslog/out.ndjson")" -lt "$lines" ]; do sleep 0.5; done
  end=$(date +%s.%N)
  cpu_r=$(awk '{print ($14 + $15) / 100}' "/proc/$rpid/stat")
  kill "$rpid"; wait "$rpid" 2>/dev/null || true
  elapsed_r=$(echo "$end - $start" | bc -l)
  steady_r=$(tail -n +6 "$work/rsyslog-rss.txt" | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print 0}')
  printf '\n## reference: rsyslog imfile -> omfile (tail + JSON-wrap, no parsing, no metadata)\n'
  printf 'wall: %.2f s  lines/s: %.0f  CPU: %.2f s  RSS steady: %d KiB\n' "$elapsed_r" "$(echo "$lines / $elapsed_r" | bc -l)" "$cpu_r" "$steady_r"
fi
printf '\nmachine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(date -u +%Y-%m-%d)"
