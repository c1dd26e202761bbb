#!/usr/bin/env bash
# table.sh DIR — the Markdown table of a compare.sh run: per scenario and mode, the median of the
# repetitions with their spread, per broker, and the ratio Bastion / best peer.
set -euo pipefail
dir="${1:?usage: table.sh DIR (a compare.sh output folder)}"
python3 - "$dir" <<'PY'
import csv, os, statistics, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(d, "results.csv"))))
steps = list(csv.DictReader(open(os.path.join(d, "steps.csv")))) if os.path.exists(os.path.join(d, "steps.csv")) else []
brokers = [b for b in ["bastion", "mosquitto", "moquette"] if any(r["broker"] == b for r in rows + steps)]
modes = [m for m in ["pinned", "unpinned"] if any(r["mode"] == m for r in rows + steps)]

def nums(sel, key):
    out = []
    for r in sel:
        try:
            v = float(r[key])
            if v == v:  # not NaN
                out.append(v)
        except (ValueError, KeyError, TypeError):
            pass
    return out

def cell(vals, fmt="{:,.0f}"):
    if not vals:
        return "—"
    m = statistics.median(vals)
    if len(vals) == 1:
        return fmt.format(m)
    return fmt.format(m) + " (" + fmt.format(min(vals)) + "–" + fmt.format(max(vals)) + ")"

def ratio(mine, peers, higher_better=True):
    peers = [p for p in peers if p is not None]
    if mine is None or not peers:
        return "—"
    best = max(peers) if higher_better else min(peers)
    if best == 0 or mine == 0:
        return "—"
    return "{:.2f}".format(mine / best if higher_better else best / mine)

def med(sel, key):
    v = nums(sel, key)
    return statistics.median(v) if v else None

titles = {
    "fanin0": "1. fan-in QoS 0 (50 pub → 1 sub), deliveries/s",
    "fanin1": "2. fan-in QoS 1 (50 pub → 1 sub), deliveries/s",
    "fanout": "3. fan-out QoS 0 (1 pub → 200 sub), deliveries/s",
    "topics": "4. many topics QoS 0 (1,000 pub → 1,000 sub), deliveries/s",
}
for mode in modes:
    print(f"### {mode}\n")
    print("| scenario | " + " | ".join(brokers) + " | Bastion / best peer |")
    print("|---|" + "---|" * len(brokers) + "---|")
    for sc, title in titles.items():
        sel = {b: [r for r in rows if r["mode"] == mode and r["scenario"] == sc and r["broker"] == b] for b in brokers}
        if not any(sel.values()):
            continue
        cells = [cell(nums(sel[b], "recv_rate")) for b in brokers]
        r = ratio(med(sel.get("bastion", []), "recv_rate"), [med(sel[b], "recv_rate") for b in brokers if b != "bastion"])
        print(f"| {title} | " + " | ".join(cells) + f" | {r} |")
        # loss, CPU per delivery
        def loss(s):
            lost = sum(nums(s, "lost")); exp = sum(nums(s, "expected"))
            return "{:.2%}".format(lost / exp) if exp > 0 else "—"
        print(f"| … lost | " + " | ".join(loss(sel[b]) for b in brokers) + " | |")
        # CPU per delivery only where something was delivered
        deliv = {b: [r for r in sel[b] if nums([r], "recv_rate") and nums([r], "recv_rate")[0] > 0] for b in brokers}
        cells = [cell(nums(deliv[b], "broker_us_per_msg"), "{:.2f}") for b in brokers]
        r = ratio(med(deliv.get("bastion", []), "broker_us_per_msg"), [med(deliv[b], "broker_us_per_msg") for b in brokers if b != "bastion"], False)
        print(f"| … broker CPU µs per delivery | " + " | ".join(cells) + f" | {r} |")
        cells = [cell(nums(sel[b], "broker_cpu"), "{:.2f}") + " / " + cell(nums(sel[b], "gen_cpu"), "{:.2f}") for b in brokers]
        print(f"| … cores used: broker / generator | " + " | ".join(cells) + " | |")
    sel = {b: [r for r in rows if r["mode"] == mode and r["scenario"] == "latency" and r["broker"] == b] for b in brokers}
    if any(sel.values()):
        for key, label in [("recv_rate", "5. latency run: deliveries/s (target 10,000)"), ("p50_ms", "5. latency p50 ms"), ("p99_ms", "5. latency p99 ms"), ("p999_ms", "5. latency p99.9 ms"), ("max_ms", "5. latency max ms")]:
            fmt = "{:,.0f}" if key == "recv_rate" else "{:.3f}"
            cells = [cell(nums(sel[b], key), fmt) for b in brokers]
            r = "" if key == "recv_rate" else ratio(med(sel.get("bastion", []), key), [med(sel[b], key) for b in brokers if b != "bastion"], False)
            print(f"| {label} | " + " | ".join(cells) + f" | {r} |")
    st = {b: [s for s in steps if s["mode"] == mode and s["broker"] == b] for b in brokers}
    if any(st.values()):
        def at_max(b):
            s = st[b]
            if len(s) < 2:
                return None, None
            base = s[0]; top = max(s[1:], key=lambda x: int(x["connections"]))
            return base, top
        def per_conn(b, key):
            base, top = at_max(b)
            try:
                n = int(top["connections"])
                return (float(top[key]) - float(base[key])) / n
            except (TypeError, ValueError, ZeroDivisionError):
                return None
        def f(v, fmt="{:.2f}"):
            return "—" if v is None else fmt.format(v)
        rates = {b: nums([s for s in st[b] if s["connections"] != "0"], "connect_rate") for b in brokers}
        cells = [cell(rates[b]) for b in brokers]
        r = ratio(statistics.median(rates["bastion"]) if rates.get("bastion") else None, [statistics.median(rates[b]) for b in brokers if b != "bastion" and rates[b]])
        print(f"| 6. connects/s (median of steps, spread) | " + " | ".join(cells) + f" | {r} |")
        tops = {b: at_max(b)[1] for b in brokers}
        print(f"| 6. connections at the last step | " + " | ".join("—" if tops[b] is None else tops[b]["connections"] for b in brokers) + " | |")
        rss = {b: per_conn(b, "rss_kib") for b in brokers}
        print(f"| 6. RSS KiB per idle connection | " + " | ".join(f(rss[b]) for b in brokers) + f" | {ratio(rss.get('bastion'), [rss[b] for b in brokers if b != 'bastion'], False)} |")
        heap = {b: per_conn(b, "heap_used_kib") for b in brokers}
        direct = {b: per_conn(b, "direct_kib") for b in brokers}
        print(f"| 6. live heap KiB per idle connection | " + " | ".join(f(heap[b]) for b in brokers) + " | |")
        print(f"| 6. direct (NMT Other) KiB per idle connection | " + " | ".join(f(direct[b]) for b in brokers) + " | |")
    print()
print("Cells: median of the repetitions (min–max). Ratio: Bastion / best peer for throughput and connect rate,")
print("best peer / Bastion for CPU per delivery, latency and memory — so above 1.0 always means Bastion is better.")
PY
