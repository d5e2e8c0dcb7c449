#!/usr/bin/env python3
"""Writes a day of CRI container logs (kubelet /var/log/containers layout) for the log store benchmark.

Usage: gen-corpus.py DIR SIZE_MIB DAY NEEDLE
DAY is YYYY-MM-DD (UTC); each file's timestamps run evenly from its start to its end, so the corpus is one day of data.
Eight containers in three namespaces (shop, payments, monitoring-demo). Lines are mostly JSON application logs (levels
debug/info/warn/error, trace ids), with plain lines and multi-line .NET stack traces on stderr, as bench/agent's corpus.
NEEDLE appears in exactly one line (an order id in a "payment declined" record, in the middle of one payments file).
Deterministic: the same arguments give the same bytes.
"""
import datetime
import os
import random
import sys

out_dir, size_mib, day, needle = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.makedirs(out_dir, exist_ok=True)
rng = random.Random(1125)
day_start = int(datetime.datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp())
containers = [
    ("shop", "webapp", 3), ("shop", "cart", 1), ("payments", "api", 2), ("monitoring-demo", "worker", 2),
]
files = [(ns, app, i) for ns, app, n in containers for i in range(n)]
paths = ["/api/users", "/api/orders", "/api/products", "/health", "/ready", "/api/cart/items"]
levels = ["info"] * 14 + ["debug"] * 3 + ["warn"] * 2 + ["error"]
target = size_mib * 1024 * 1024 // len(files)
needle_file = 4  # the first payments/api container
for f, (ns, app, replica) in enumerate(files):
    pod = f"{app}-7d9f8b6c5d-{f:05d}"
    cid = f"{f + 1:064x}"
    name = os.path.join(out_dir, f"{pod}_{ns}_{app}-{cid}.log")
    written = 0
    seq = 0
    needle_at = target // 2 if f == needle_file else -1
    with open(name, "w", buffering=1 << 20) as out:
        chunk = []
        while written < target:
            seq += 1
            nanos = day_start * 1_000_000_000 + written * 86_400_000_000_000 // target
            second, frac = divmod(nanos, 1_000_000_000)
            ts = datetime.datetime.fromtimestamp(second, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + f".{frac:09d}Z"
            kind = seq % 50
            if 0 <= needle_at <= written:
                needle_at = -1
                line = ('%s stdout F {"timestamp":"%s","level":"warn","message":"payment declined","order_id":"ord-%s",'
                        '"service":"%s"}\n' % (ts, ts, needle, app))
            elif kind == 7:
                line = f"{ts} stdout F plain text line {seq}: cache warmed in {rng.randint(1, 999)} ms\n"
            elif kind == 13:
                line = (f"{ts} stderr F Unhandled exception. System.InvalidOperationException: pool exhausted {seq}\n"
                        f"{ts} stderr F    at Npgsql.PoolingDataSource.Get(NpgsqlConnection conn)\n"
                        f"{ts} stderr F    at WebApp.Orders.OrderRepository.SaveAsync(Order order) in /src/Orders/OrderRepository.cs:line 42\n")
            else:
                status = 500 if kind == 21 else (404 if kind == 33 else 200)
                level = "error" if status == 500 else ("warn" if status == 404 else levels[rng.randrange(len(levels))])
                body = ('{"timestamp":"%s","level":"%s","message":"request completed","method":"GET","path":"%s",'
                        '"status":%d,"duration_ms":%d.%d,"trace_id":"%032x","service":"%s"}'
                        % (ts, level, paths[seq % len(paths)], status, seq % 480, seq % 10, (seq * 2654435761) ^ (f << 100), app))
                line = f"{ts} stdout F {body}\n"
            chunk.append(line)
            written += len(line)
            if len(chunk) >= 4096:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
