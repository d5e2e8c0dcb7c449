#!/usr/bin/env python3
"""Writes a CRI container-log corpus in the kubelet's /var/log/containers layout.

Usage: gen-corpus.py DIR SIZE_MIB [FILES]
Lines are mostly JSON application logs (the guide's web app), with plain lines and a .NET stack trace now and then.
Deterministic: the same arguments give the same bytes.
"""
import os
import random
import sys

out_dir, size_mib = sys.argv[1], int(sys.argv[2])
files = int(sys.argv[3]) if len(sys.argv) > 3 else 4
os.makedirs(out_dir, exist_ok=True)
rng = random.Random(1125)
paths = ["/api/users", "/api/orders", "/api/products", "/health", "/ready", "/api/cart/items"]
target = size_mib * 1024 * 1024 // files
for f in range(files):
    pod = f"webapp-7d9f8b6c5d-{f:05d}"
    cid = f"{f:064x}"
    name = os.path.join(out_dir, f"{pod}_monitoring-demo_webapp-{cid}.log")
    written = 0
    second = 1764057600 + f
    seq = 0
    with open(name, "w", buffering=1 << 20) as out:
        chunk = []
        while written < target:
            seq += 1
            ns = (seq * 7919) % 1000000000
            if seq % 1000 == 0:
                second += 1
            hh, mm, ss = (second // 3600) % 24, (second // 60) % 60, second % 60
            ts = f"2025-11-25T{hh:02d}:{mm:02d}:{ss:02d}.{ns:09d}Z"
            kind = seq % 50
            if kind == 7:
                body = f"plain text line {seq}: cache warmed in {rng.randint(1, 999)} ms"
                line = f"{ts} stdout F {body}\n"
            elif kind == 13:
                line = (f"{ts} stderr F Unhandled exception. System.InvalidOperationException: pool exhausted {seq}\n"
                        f"{ts} stderr F    at Npgsql.PoolingDataSource.Get(NpgsqlConnection conn)\n"
                        f"{ts} stderr F    at WebApp.Orders.OrderRepository.SaveAsync(Order order) in /src/Orders/OrderRepository.cs:line 42\n")
            else:
                status = 500 if kind == 21 else (404 if kind == 33 else 200)
                level = "error" if status == 500 else ("warn" if status == 404 else "info")
                body = ('{"timestamp":"%s","level":"%s","message":"request completed","method":"GET","path":"%s",'
                        '"status":%d,"duration_ms":%d.%d,"trace_id":"%032x","service":"webapp"}'
                        % (ts, level, paths[seq % len(paths)], status, seq % 480, seq % 10, seq * 2654435761))
                line = f"{ts} stdout F {body}\n"
            chunk.append(line)
            written += len(line)
            if len(chunk) >= 4096:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
