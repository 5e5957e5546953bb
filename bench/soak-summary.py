#!/usr/bin/env python3
"""Turns bench/soak's samples (soak.csv: seconds, RSS KiB, descriptors, database bytes) and the load
generators' RESULT lines into one RESULT line: losses, rates, and how RSS, descriptors and the
database moved after warm-up (the first quarter of the samples), as a least-squares slope."""

import sys


def result(path):
    for line in open(path):
        if line.startswith("RESULT"):
            return dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
    return {}


def slope(rows, column):
    if len(rows) < 2:
        return 0.0
    xs = [row[0] for row in rows]
    ys = [row[column] for row in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs) or 1
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den


def main(csv, work, fds_before, fds_after, alive, status):
    rows = [list(map(float, line.split())) for line in open(csv).read().splitlines()[1:] if line.strip()]
    churn, direct = result(f"{work}/churn.out"), result(f"{work}/direct.out")
    # Every burst of attackers printed a RESULT line: the accounts they managed to create.
    accounts = 0
    for line in open(f"{work}/attacks.out"):
        for part in line.split():
            if part.startswith("accounts_created="):
                accounts += int(part.split("=", 1)[1])
    lost = sum(int(float(r.get("lost", 0))) for r in (churn, direct))
    disconnected = sum(int(float(r.get("disconnected", 0))) for r in (churn, direct))
    steady = rows[len(rows) // 4:] or rows
    rss = [row[1] for row in steady] or [0]
    fds = [row[2] for row in steady] or [0]
    db = [row[3] for row in steady] or [0]
    number = lambda r, key: float(r.get(key, 0))
    fields = [
        f"minutes={(rows[-1][0] if rows else 0) / 60:.1f}", f"alive={alive}", f"exit_status={status}",
        f"lost={lost}", f"disconnected={disconnected}",
        f"fanout_deliveries_per_s={number(churn, 'deliveries_per_s'):.0f}",
        f"churn_cycles_per_s={number(churn, 'churn_cycles_per_s'):.1f}",
        f"direct_per_s={number(direct, 'deliveries_per_s'):.0f}",
        f"p99_ms={number(churn, 'p99_us') / 1000:.0f}",
        f"rss_kib_first={rss[0]:.0f}", f"rss_kib_last={rss[-1]:.0f}", f"rss_kib_max={max(rss):.0f}",
        f"rss_growth_kib_per_min={slope(steady, 1) * 60:.1f}",
        f"fds_range={min(fds):.0f}-{max(fds):.0f}", f"fds_before={fds_before}", f"fds_after={fds_after}",
        f"db_bytes_range={min(db):.0f}-{max(db):.0f}", f"db_growth_bytes_per_min={slope(steady, 3) * 60:.0f}",
        f"accounts_created={accounts}",
    ]
    print("RESULT soak " + " ".join(fields))


if __name__ == "__main__":
    main(*sys.argv[1:7])
