#!/usr/bin/env python3
"""Compares two Prometheus API query_range answers (files): the same series with the same timestamps, values equal to
1e-9 of their size (Prometheus 2.42 and Kansoku, which sums as Prometheus 3 does, may differ in the last bits).
Prints 'same, N series' or the first difference."""
import json
import math
import sys


def series(path):
    with open(path, encoding="utf-8") as f:
        answer = json.load(f)
    if answer.get("status") != "success":
        return None, f"{answer.get('errorType')}: {answer.get('error')}"
    return {tuple(sorted(s["metric"].items())): s["values"] for s in answer["data"]["result"]}, None


def close(a, b):
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return x == y or abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def main():
    expected, error = series(sys.argv[1])
    actual, error2 = series(sys.argv[2])
    if error or error2:
        print(f"error: Prometheus {error}, Kansoku {error2}")
        return
    if expected.keys() != actual.keys():
        missing = sorted(expected.keys() - actual.keys())[:1]
        extra = sorted(actual.keys() - expected.keys())[:1]
        print(f"DIFFERENT series: {len(expected)} vs {len(actual)}; only in Prometheus {missing}, only in Kansoku {extra}")
        return
    for labels, points in expected.items():
        other = actual[labels]
        if len(points) != len(other) or any(p[0] != o[0] or not close(p[1], o[1]) for p, o in zip(points, other)):
            print(f"DIFFERENT values for {dict(labels)}")
            return
    print(f"same, {len(expected)} series")


main()
