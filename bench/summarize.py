#!/usr/bin/env python3
"""Summarises scripts/bench results: medians with spread, ratios to the best peer, and plots.

Usage: summarize.py RESULTS_FILE OUT_DIR
Each results line: "server=NAME label=LABEL rep=K RESULT scenario=... key=value ...".
Writes OUT_DIR/summary.md (also printed) and, when gnuplot is present, OUT_DIR/fanout-*.png.
"""
import collections
import os
import shutil
import statistics
import subprocess
import sys

PEERS = ["inspircd", "ngircd", "hybrid"]
ORDER = ["tktalk", "tktalk-openssl", "ref", "inspircd", "ngircd", "hybrid"]
# (label, metric, title, higher_is_better)
ROWS = [
    ("fanout", "deliveries_per_s", "fan-out deliveries/s (N=H, S=10)", True),
    ("fanout", "p99_us", "fan-out p99 latency at saturation (us)", False),
    ("fanout-paced", "p50_us", "fan-out p50 latency at fixed load (us)", False),
    ("fanout-paced", "p99_us", "fan-out p99 latency at fixed load (us)", False),
    ("fanout-paced", "p999_us", "fan-out p99.9 latency at fixed load (us)", False),
    ("fanout", "rss_per_client_kib", "server RSS per TLS client, N=H (KiB)", False),
    ("idle-10000", "rss_per_client_kib", "server RSS per idle TLS client, N=10000, no channel (KiB)", False),
    ("idle-10000", "served", "idle N=10000: clients whose PING was answered", True),
    ("idle-10000", "connect_s", "idle N=10000: time to connect all (s)", False),
    ("direct", "deliveries_per_s", "direct messages/s (500 pairs)", True),
    ("direct", "p99_us", "direct p99 latency (us)", False),
    ("connect", "connects_per_s", "TLS handshakes + registrations/s", True),
    ("connect", "connect_s", "time to reach N=H clients (s)", False),
    ("churn", "churn_cycles_per_s", "churn: connect+join+part+quit cycles/s", True),
    ("churn", "deliveries_per_s", "churn: deliveries/s to 1000 members", True),
    ("fanout", "server_cpu", "server CPU share during fan-out", None),
    ("fanout", "loadgen_cpu", "load generator CPU share during fan-out", None),
    ("fanout", "loadgen_busy", "load generator busy share during fan-out (saturated at 0.9)", None),
]
FAULTS = ["lost", "duplicates", "reordered", "disconnected", "failed"]


def parse(path):
    runs = collections.defaultdict(list)  # (label, server) -> [dict]
    with open(path) as f:
        for line in f:
            fields = dict(word.split("=", 1) for word in line.split() if "=" in word)
            if "server" in fields and "label" in fields:
                runs[(fields["label"], fields["server"])].append(fields)
    return runs


def values(runs, label, server, metric):
    out = []
    for run in runs.get((label, server), []):
        try:
            out.append(float(run[metric]))
        except (KeyError, ValueError):
            pass
    return out


def fmt(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(runs, servers, headline):
    lines = ["| figure | " + " | ".join(servers) + " |", "|---" * (len(servers) + 1) + "|"]
    for label, metric, title, higher in ROWS:
        medians = {}
        cells = []
        for s in servers:
            v = values(runs, label, s, metric)
            if v:
                medians[s] = statistics.median(v)
        peers = [medians[p] for p in PEERS if p in medians and medians[p] > 0]
        best = (max(peers) if higher else min(peers)) if peers and higher is not None else None
        if not medians:
            continue
        for s in servers:
            v = values(runs, label, s, metric)
            if not v:
                cells.append("-")
                continue
            m = statistics.median(v)
            cell = fmt(m)
            if len(v) > 1:
                cell += f" ({fmt(min(v))}–{fmt(max(v))})"
            if best:
                cell += f" **{m / best:.2f}×**"
            cells.append(cell)
        arrow = "" if higher is None else (" ↑" if higher else " ↓")
        lines.append(f"| {title.replace('H', str(headline))}{arrow} | " + " | ".join(cells) + " |")
    faults = []
    for s in servers:
        total = collections.Counter()
        for (label, server), rs in runs.items():
            if server != s:
                continue
            for r in rs:
                for k in FAULTS:
                    try:
                        total[k] += int(float(r.get(k, "0")))
                    except ValueError:
                        total[k] += 1
                if r.get("failed") in ("start", "loadgen") or r.get("served_all") == "no":
                    total["failed runs"] += 1
        faults.append(", ".join(f"{k} {v}" for k, v in total.items() if v) or "none")
    lines.append("| loss / dup / reorder / disconnects, all runs | " + " | ".join(faults) + " |")
    return "\n".join(lines)


def sweep(runs, servers, metric):
    data = {}
    for s in servers:
        points = []
        for (label, server), _ in runs.items():
            if server != s:
                continue
            if label.startswith("fanout-") and label[7:].isdigit():
                n = int(label[7:])
            elif label == "fanout" and runs[(label, server)] and runs[(label, server)][0].get("clients", "").isdigit():
                n = int(runs[(label, server)][0]["clients"])  # the headline runs are a point too
            else:
                continue
            v = values(runs, label, s, metric)
            if v:
                points.append((n, statistics.median(v)))
        data[s] = sorted(points)
    return data


def plot(runs, servers, out):
    if not shutil.which("gnuplot"):
        return []
    made = []
    for metric, ylabel, name, logy in [
        ("deliveries_per_s", "deliveries per second (all recipients)", "fanout-deliveries.png", False),
        ("p99_us", "p99 latency (ms)", "fanout-p99.png", True),
        ("rss_per_client_kib", "server RSS per client (KiB)", "fanout-rss.png", False),
    ]:
        data = sweep(runs, servers, metric)
        if not any(data.values()):
            continue
        script = [
            "set terminal pngcairo size 900,540 font 'DejaVu Sans,11'" if has_cairo() else "set terminal png size 900,540",
            f"set output '{os.path.join(out, name)}'",
            "set logscale x", "set grid", "set key outside right",
            "set xlabel 'clients in the channel (N), 10 senders'", f"set ylabel '{ylabel}'",
            f"set title 'IRC over TLS, one core per side: {ylabel} against N'",
        ]
        if logy:
            script.append("set logscale y")
        plots = []
        for s in servers:
            if data[s]:
                plots.append(f"'-' using 1:2 with linespoints lw 2 title '{s}'")
        script.append("plot " + ", ".join(plots))
        for s in servers:
            if data[s]:
                for n, v in data[s]:
                    script.append(f"{n} {v / 1000 if metric == 'p99_us' else v}")
                script.append("e")
        subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=False)
        made.append(name)
    return made


def has_cairo():
    r = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
    return "pngcairo" in (r.stdout + r.stderr)


def main():
    results, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    runs = parse(results)
    present = {server for (_, server) in runs}
    servers = [s for s in ORDER if s in present] + sorted(present - set(ORDER))
    headline = next((r["clients"] for (label, _), rs in runs.items() if label == "fanout" for r in rs
                     if "clients" in r), "?")
    text = ["Medians (min–max) over repetitions; **bold** is the ratio to the best of " + ", ".join(PEERS)
            + " (↑ higher is better, ↓ lower is better).", "", table(runs, servers, headline)]
    for metric, title in [("deliveries_per_s", "deliveries/s"), ("p99_us", "p99 latency (us)"),
                          ("rss_per_client_kib", "RSS per client (KiB)")]:
        data = sweep(runs, servers, metric)
        ns = sorted({n for pts in data.values() for n, _ in pts})
        if not ns:
            continue
        text += ["", f"Fan-out sweep, {title}:", "", "| N | " + " | ".join(servers) + " |",
                 "|---" * (len(servers) + 1) + "|"]
        for n in ns:
            row = []
            for s in servers:
                v = dict(data[s]).get(n)
                row.append(fmt(v) if v is not None else "-")
            text.append(f"| {n} | " + " | ".join(row) + " |")
    made = plot(runs, servers, out)
    if made:
        text += ["", "Plots: " + ", ".join(made)]
    summary = "\n".join(text) + "\n"
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(summary)
    print(summary)


if __name__ == "__main__":
    main()
