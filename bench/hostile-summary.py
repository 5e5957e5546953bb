#!/usr/bin/env python3
"""Turns bench/hostile's results.txt into a Markdown table per server: for each attack, the
legitimate users' delivery rates as a share of the same server's run without attackers, their p99
latency, what was lost, the server's peak RSS and descriptors, and what the attackers were told."""

import sys
from collections import OrderedDict


def fields(line):
    return dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)


def main(path):
    runs = OrderedDict()
    current = None
    for line in open(path):
        line = line.strip()
        if line.startswith("RUN "):
            current = fields(line)
            runs[(current["server"], current["attack"])] = current
        elif line.startswith("RESULT ") and current is not None:
            result = fields(line)
            key = result.get("scenario") or "attacker"
            current[key] = result
    servers = OrderedDict((server, None) for server, _ in runs)
    for server in servers:
        base = runs.get((server, "none"), {})
        base_fan = float(base.get("fanout", {}).get("deliveries_per_s", 0) or 0)
        base_dir = float(base.get("direct", {}).get("deliveries_per_s", 0) or 0)
        print(f"\n### {server}\n")
        print("| attack | fan-out deliveries/s (share of baseline) | private msgs/s (share) | p99 fan-out / private (ms) "
              "| lost | peak RSS (MiB) | peak fds | attacker connections, handshakes | what the attackers got (most frequent) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for (srv, attack), run in runs.items():
            if srv != server:
                continue
            fan = run.get("fanout", {})
            direct = run.get("direct", {})
            fan_rate = float(fan.get("deliveries_per_s", 0) or 0)
            dir_rate = float(direct.get("deliveries_per_s", 0) or 0)
            share = lambda rate, b: f"{rate / b:.2f}" if b else "-"
            lost = int(float(fan.get("lost", 0) or 0)) + int(float(direct.get("lost", 0) or 0))
            disconnected = int(float(fan.get("disconnected", 0) or 0)) + int(float(direct.get("disconnected", 0) or 0))
            p99 = f"{float(fan.get('p99_us', 0) or 0) / 1000:.0f} / {float(direct.get('p99_us', 0) or 0) / 1000:.0f}"
            rss = float(run.get("peak_rss_kib", 0)) / 1024
            attacker = run.get("attacker", {})
            # What the server did to the attackers, not what they did themselves.
            own = ("attack", "connections", "duration_s", "connections_opened", "handshakes_completed",
                   "registered", "closed:_attacker's_own_close")
            answers = {}
            for k, v in attacker.items():
                if k in own or not v.isdigit():
                    continue
                # A reason that is only the client's nick@host (InspIRCd's "Closing link: (nick@host)")
                # says nothing about the limit: one key for them all.
                if k.startswith("ERROR:_") and "@" in k:
                    k = "ERROR:_closing_link"
                answers[k] = answers.get(k, 0) + int(v)
            top = sorted(answers.items(), key=lambda kv: -kv[1])[:4]
            got = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in top) if top else "-"
            legit = "none" if attack == "none" else attack
            tried = (f"{int(attacker.get('connections_opened', 0)):,}, {int(attacker.get('handshakes_completed', 0)):,}"
                     if attacker else "-")
            if not fan or not direct:
                print(f"| {legit} | legitimate users did not run | | | | {rss:.0f} | {run.get('peak_fds', '-')} | {tried} | {got} |")
                continue
            lost_text = f"{lost}" + (f" ({disconnected} disconnected)" if disconnected else "")
            print(f"| {legit} | {fan_rate:,.0f} ({share(fan_rate, base_fan)}) | {dir_rate:,.0f} ({share(dir_rate, base_dir)}) "
                  f"| {p99} | {lost_text} | {rss:.0f} | {run.get('peak_fds', '-')} | {tried} | {got} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results.txt")
