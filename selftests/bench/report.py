#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn selftests/bench/guest.sh's lines into results (JSON, Markdown).

Each "bench" line is one pktgen run: ns / pkts is instructions per packet
(the VM counts instructions, 1 ns each). Per switch instance the median of
its runs counts; of several fresh instances (random hash seeds) the
cheapest is quoted. Cost = instructions per packet minus the baseline's
(a lone dummy, same boot). Ratios compare costs with a reference row of the
same kernel; targets are checked and a miss is printed as one.

The "bench-tcp" lines of tcp.sh (--tcp LOG) are iperf3 runs in real time:
per path, each round's nestsw / bridge ratio, the median over rounds
against the target (>= 1.0), their spread shown. Its "bench-flood2" lines
are the legitimate rate beside a two-port MAC flood and beside as many
known frames (the control), in pairs: the median of flood / control
against FLOOD2_TARGET.
"""

import argparse
import datetime
import json
import platform
import statistics
import subprocess
import sys

# case, implementation, what it is, the reference row (case, impl), target
ROWS = [
    ("a", "nestsw", "known unicast, no policies", ("a", "bridge"), 0.9),
    ("a", "bridge", "bridge, learning + flooding, static entry", ("a", "bridge"), None),
    ("a", "ovs", "OVS kernel datapath, one wildcarded flow", ("a", "bridge"), None),
    ("b", "nestsw", "forged reject, learning, access VLAN 10", ("b", "bridge"), 0.9),
    ("b", "bridge", "bridge, vlan_filtering, pvid 10, learning", ("b", "bridge"), None),
    ("c", "nestsw-1000", "to a learned MAC, FDB 1k entries", ("c", "nestsw-1000"), None),
    ("c", "nestsw-64000", "to a learned MAC, FDB 64k entries", ("c", "nestsw-1000"), 1.2),
    ("c", "nestsw-1048576", "to a learned MAC, FDB 1M entries", ("c", "nestsw-1000"), 1.2),
    ("d", "nestsw", "every frame from a new source (learning)", ("d", "bridge"), None),
    ("d", "bridge", "bridge, every frame from a new source", ("d", "bridge"), None),
    ("e", "legit-alone", "legitimate d0 -> d1, no flood", ("e", "legit-alone"), None),
    ("e", "flood", "flood frame, port at mac-limit 4096", ("e", "legit-alone"), None),
    ("e", "legit-flooded", "legitimate d0 -> d1, FDB flooded", ("e", "legit-alone"), None),
    ("f", "learned-10", "to a learned MAC, 10 every-VLAN entries", ("f", "learned-10"), None),
    ("f", "learned-1000", "to a learned MAC, 1000 every-VLAN entries", ("f", "learned-10"), 1.02),
    ("f", "learned-100000", "to a learned MAC, 100000 every-VLAN entries", ("f", "learned-10"), 1.02),
    ("f", "guest-10", "to a guest MAC, 10 every-VLAN entries", ("f", "guest-10"), None),
    ("f", "guest-1000", "to a guest MAC, 1000 every-VLAN entries", ("f", "guest-10"), 1.02),
    ("f", "guest-100000", "to a guest MAC, 100000 every-VLAN entries", ("f", "guest-10"), 1.02),
    ("g", "mirred", "the floor: tc mirred redirect, shared skbs", ("g", "mirred"), None),
    ("g", "nestsw", "every policy on (as b), shared skbs", ("g", "mirred"), None),
    ("g", "bridge", "bridge as b, shared skbs", ("g", "mirred"), None),
    ("g", "mirred-unshared", "the floor, unshared skbs", ("g", "mirred-unshared"), None),
    ("g", "nestsw-unshared", "every policy on (as b), unshared skbs", ("g", "mirred-unshared"), 1.05),
    ("g", "bridge-unshared", "bridge as b, unshared skbs", ("g", "mirred-unshared"), None),
]


# TCP paths of tcp.sh, what they are; nestsw / bridge must be at least this
TCP_PATHS = [
    ("g2g", "guest to guest"),
    ("h2g", "host (switch device) to guest"),
    ("g2h", "guest to host (switch device)"),
]
TCP_TARGET = 1.0
# legitimate traffic beside a MAC flood, against beside known frames
FLOOD2_TARGET = 0.9


def parse_kv(line):
    return dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)


def parse_log(path):
    runs, info = [], {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("bench "):
                kv = parse_kv(line)
                for k in ("inst", "rep", "pkts", "ns", "delivered", "leaked"):
                    kv[k] = int(kv[k])
                runs.append(kv)
            elif line.startswith("bench-info "):
                kv = parse_kv(line)
                key = "case-" + kv.pop("case", "run")
                if "size" in kv:
                    key += "-" + kv["size"]
                info.setdefault(key, {}).update(kv)
    return runs, info


def per_packet(run):
    return run["ns"] / run["pkts"]


def summarize(runs, info):
    """{(case, impl): row} with instructions per packet and costs."""
    groups = {}
    for r in runs:
        groups.setdefault((r["case"], r["impl"]), {}).setdefault(r["inst"], []).append(r)
    base_runs = groups.get(("base", "dummy"), {})
    base_ipp = [per_packet(r) for rs in base_runs.values() for r in rs]
    if not base_ipp:
        sys.exit("report: no baseline runs")
    base = statistics.median(base_ipp)
    rows = {}
    for (case, impl), insts in groups.items():
        if case == "base":
            continue
        medians = {i: statistics.median(per_packet(r) for r in rs) for i, rs in insts.items()}
        best = min(medians, key=medians.get)
        ipps = [per_packet(r) for r in insts[best]]
        runs_best = insts[best]
        rows[(case, impl)] = {
            "case": case,
            "impl": impl,
            "instr_per_pkt_min": round(min(ipps), 1),
            "instr_per_pkt_median": round(medians[best], 1),
            "cost": round(medians[best] - base, 1),
            "pkts_per_s": round(1e9 / medians[best]),
            "instances": {str(i): round(m, 1) for i, m in sorted(medians.items())},
            "runs": len(runs_best),
            "pkts": runs_best[0]["pkts"],
            "delivered": min(r["delivered"] for r in runs_best),
            "leaked": max(r["leaked"] for r in runs_best),
        }
    return base, base_ipp, rows


def build(path):
    runs, info = parse_log(path)
    base, base_ipp, rows = summarize(runs, info)
    kernel = info.get("case-run", {}).get("kernel", path)
    out = []
    misses, errors = [], []
    for case, impl, what, ref, target in ROWS:
        row = rows.get((case, impl))
        if not row:
            continue
        refrow = rows.get(ref)
        row = dict(row, what=what, ref="%s/%s" % ref, target=target)
        if refrow and refrow["cost"] > 0:
            row["ratio"] = round(row["cost"] / refrow["cost"], 3)
        if impl == "legit-flooded" and refrow:
            # throughput against no flood, not cost
            row["throughput_ratio"] = round(refrow["instr_per_pkt_median"] /
                                            row["instr_per_pkt_median"], 3)
        if target is not None and "ratio" in row:
            row["meets_target"] = row["ratio"] <= target
            if not row["meets_target"]:
                misses.append("%s %s: ratio %.3f > %.2f" % (case, impl, row["ratio"], target))
        # every frame reaches d1 and no other port; the flood's frames
        # reach d1 from the sources learned only
        if impl != "flood" and row["delivered"] != row["pkts"]:
            errors.append("%s %s: %d of %d frames reached d1" %
                          (case, impl, row["delivered"], row["pkts"]))
        if row["leaked"]:
            errors.append("%s %s: %d frames left by other ports" %
                          (case, impl, row["leaked"]))
        out.append(row)
    flooded = rows.get(("e", "legit-flooded"))
    alone = rows.get(("e", "legit-alone"))
    e_info = info.get("case-e", {})
    if flooded and alone:
        tput = alone["instr_per_pkt_median"] / flooded["instr_per_pkt_median"]
        if tput < 0.9:
            misses.append("e: legitimate throughput %.3f of no flood < 0.9" % tput)
        if e_info.get("learned") != "4096" or e_info.get("learned2") != "4096":
            misses.append("e: FDB of the flooded port %s/%s, not 4096" %
                          (e_info.get("learned"), e_info.get("learned2")))
    return {
        "kernel": kernel,
        "baseline_instr_per_pkt": round(base, 1),
        "baseline_runs": [round(x, 1) for x in base_ipp],
        "rows": out,
        "info": info,
        "misses": misses,
        "errors": errors,
    }


def ratio_stats(pairs, num, den, target):
    """The median and spread of pairs' num / den, against target."""
    ratios = [v[num] / v[den] for v in pairs]
    median = round(statistics.median(ratios), 3)
    return {
        "ratio_median": median,
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "target": target,
        "meets_target": median >= target,
    }


def build_flood2(runs):
    """flood2's pairs: the legitimate rate beside the flood / the control."""
    pairs = {}
    for r in runs:
        pairs.setdefault((r["round"], r["pair"]), {})[r["mode"]] = r["kpps"]
    pairs = [v for v in pairs.values() if v.get("control") and "flood" in v]
    if not pairs:
        return None
    row = {
        "pairs": len(pairs),
        "flood_kpps_median": statistics.median(v["flood"] for v in pairs),
        "control_kpps_median": statistics.median(v["control"] for v in pairs),
    }
    row.update(ratio_stats(pairs, "flood", "control", FLOOD2_TARGET))
    return row


def build_tcp(path):
    """One kernel's TCP runs: per path, medians and the ratio's spread."""
    runs, info, flood2 = [], {}, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("bench-tcp "):
                kv = parse_kv(line)
                for k in ("round", "mbps", "retr"):
                    kv[k] = int(kv[k])
                runs.append(kv)
            elif line.startswith("bench-flood2 "):
                kv = parse_kv(line)
                for k in ("round", "pair", "kpps"):
                    kv[k] = int(kv[k])
                flood2.append(kv)
            elif line.startswith("bench-info "):
                info.update(parse_kv(line))
    paths, misses = [], []
    for name, what in TCP_PATHS:
        rounds = {}
        for r in runs:
            if r["path"] == name:
                rounds.setdefault(r["round"], {})[r["impl"]] = r["mbps"]
        pairs = [v for v in rounds.values() if v.get("bridge") and "nestsw" in v]
        if not pairs:
            continue
        row = {
            "path": name,
            "what": what,
            "rounds": len(pairs),
            "bridge_mbps_median": statistics.median(v["bridge"] for v in pairs),
            "nestsw_mbps_median": statistics.median(v["nestsw"] for v in pairs),
        }
        row.update(ratio_stats(pairs, "nestsw", "bridge", TCP_TARGET))
        if not row["meets_target"]:
            misses.append("tcp %s: nestsw / bridge %.2f < %.1f" %
                          (name, row["ratio_median"], TCP_TARGET))
        paths.append(row)
    f2 = build_flood2(flood2)
    if f2 and not f2["meets_target"]:
        misses.append("flood2: legitimate rate beside the flood / the control %.2f < %.1f" %
                      (f2["ratio_median"], FLOOD2_TARGET))
    return {"kernel": info.get("kernel", path), "cpus": info.get("cpus"),
            "secs": info.get("secs"), "paths": paths, "flood2": f2,
            "misses": misses}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ""


def machine():
    return {
        "cpu": sh("lscpu | sed -n 's/^Model name: *//p' | head -n 1"),
        "host_cpus": sh("nproc"),
        "host_kernel": platform.release(),
        "qemu": sh("qemu-system-x86_64 --version | head -n 1"),
        "qemu_args": "-accel tcg -smp 1 -icount shift=0,sleep=off -cpu max -m 2048",
        "tcp_qemu_args": "-accel tcg,thread=single -smp 2 -cpu max -m 2048",
        "commit": sh("git describe --always --dirty"),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def fmt(x, nd=0):
    if x is None:
        return "-"
    return ("%." + str(nd) + "f") % x


def markdown(results):
    m = results["machine"]
    lines = [
        "Measured %s on %s (%s host CPUs), %s, guest `%s`, commit %s." %
        (m["date"], m["cpu"], m["host_cpus"], m["qemu"], m["qemu_args"], m["commit"]),
        "",
    ]
    for k in results["kernels"]:
        lines += [
            "Kernel %s: baseline %.0f instructions per packet (a lone dummy)." %
            (k["kernel"], k["baseline_instr_per_pkt"]),
            "",
            "| case | what | instr/pkt | cost | ratio | vs | target | pkts/s |",
            "|---|---|---:|---:|---:|---|---|---:|",
        ]
        for r in k["rows"]:
            target = "-"
            if r["target"] is not None:
                target = "<= %g %s" % (r["target"], "ok" if r.get("meets_target") else "MISS")
            ratio = fmt(r.get("ratio"), 2)
            if "throughput_ratio" in r:
                ratio += " (%.2fx pkts/s)" % r["throughput_ratio"]
            lines.append("| %s | %s: %s | %s | %s | %s | %s | %s | %s |" % (
                r["case"], r["impl"], r["what"], fmt(r["instr_per_pkt_median"]),
                fmt(r["cost"]), ratio, r["ref"], target, fmt(r["pkts_per_s"])))
        lines.append("")
        info = k["info"]
        facts = []
        for key in sorted(info):
            if key.startswith("case-c-"):
                facts.append("FDB %s: %s learned, slab %s kB" %
                             (info[key].get("size"), info[key].get("learned"),
                              info[key].get("slab_kb")))
            if key.startswith("case-f-"):
                facts.append("every-VLAN entries %s: %s static on f0, slab %s kB" %
                             (info[key].get("size"), info[key].get("static"),
                              info[key].get("slab_kb")))
        e = info.get("case-e")
        if e:
            facts.append("flood of %s sources: FDB of the flooded port %s (after a second flood %s), "
                         "%s frames dropped at the limit, MemAvailable kB before/after/after "
                         "second %s, Slab kB %s" %
                         (e.get("flood"), e.get("learned"), e.get("learned2"), e.get("dropped"),
                          e.get("memavail_kb"), e.get("slab_kb")))
        lines += ["- " + f for f in facts]
        if k["misses"]:
            lines += ["- missed: " + "; ".join(k["misses"])]
        else:
            lines += ["- every target met"]
        if k["errors"]:
            lines += ["- MEASUREMENT ERROR: " + "; ".join(k["errors"])]
        lines.append("")
    for t in results["tcp"]:
        lines += [
            "Kernel %s, TCP (iperf3, %s s a run, guest `%s`): nestsw / bridge per round, "
            "the two alternating in one boot." % (t["kernel"], t["secs"], m["tcp_qemu_args"]),
            "",
            "| path | bridge Mbit/s | nestsw Mbit/s | nestsw / bridge | spread | rounds | target |",
            "|---|---:|---:|---:|---|---:|---|",
        ]
        for p in t["paths"]:
            lines.append("| %s: %s | %.0f | %.0f | %.2f | %.2f-%.2f | %d | >= %g %s |" % (
                p["path"], p["what"], p["bridge_mbps_median"], p["nestsw_mbps_median"],
                p["ratio_median"], p["ratio_min"], p["ratio_max"], p["rounds"],
                p["target"], "ok" if p["meets_target"] else "MISS"))
        f2 = t["flood2"]
        if f2:
            lines += [
                "",
                "Two CPUs, MAC flood: legitimate frames d0 -> d1 (pktgen, CPU 1) beside "
                "a flood of two ports at their mac-limit (CPU 0), against beside as many "
                "known frames; %d pairs, alternating." % f2["pairs"],
                "",
                "| beside the flood kpkt/s | beside known frames kpkt/s | flood / control | spread | target |",
                "|---:|---:|---:|---|---|",
                "| %.0f | %.0f | %.2f | %.2f-%.2f | >= %g %s |" % (
                    f2["flood_kpps_median"], f2["control_kpps_median"], f2["ratio_median"],
                    f2["ratio_min"], f2["ratio_max"], f2["target"],
                    "ok" if f2["meets_target"] else "MISS"),
            ]
        lines += ["", "- missed: " + "; ".join(t["misses"]) if t["misses"]
                  else "- every target met", ""]
    return "\n".join(lines)


def rst(results):
    """The figures as Documentation/networking/nestsw.rst shows them."""
    m = results["machine"]
    lines = []
    for k in results["kernels"]:
        lines += [
            ".. list-table:: Kernel %s, baseline %.0f instructions per packet"
            % (k["kernel"], k["baseline_instr_per_pkt"]),
            "   :header-rows: 1",
            "",
            "   * - case",
            "     - cost",
            "     - ratio",
            "     - against",
            "     - Mpkt/s",
        ]
        for r in k["rows"]:
            ratio = fmt(r.get("ratio"), 2)
            if "throughput_ratio" in r:
                ratio += " (%.2fx pkt/s)" % r["throughput_ratio"]
            lines += [
                "   * - (%s) %s: %s" % (r["case"], r["impl"], r["what"]),
                "     - %s" % fmt(r["cost"]),
                "     - %s" % ratio,
                "     - %s" % r["ref"],
                "     - %.3f" % (r["pkts_per_s"] / 1e6),
            ]
        lines.append("")
    for t in results["tcp"]:
        lines += [
            ".. list-table:: Kernel %s, TCP (iperf3, %s s a run), nestsw / bridge"
            % (t["kernel"], t["secs"]),
            "   :header-rows: 1",
            "",
            "   * - path",
            "     - bridge Mbit/s",
            "     - nestsw Mbit/s",
            "     - ratio (median)",
            "     - spread",
        ]
        for p in t["paths"]:
            lines += [
                "   * - %s" % p["what"],
                "     - %.0f" % p["bridge_mbps_median"],
                "     - %.0f" % p["nestsw_mbps_median"],
                "     - %.2f" % p["ratio_median"],
                "     - %.2f-%.2f (%d rounds)" % (p["ratio_min"], p["ratio_max"], p["rounds"]),
            ]
        lines.append("")
        f2 = t["flood2"]
        if f2:
            lines += [
                ".. list-table:: Kernel %s, two CPUs: legitimate frames (kpkt/s) beside "
                "a MAC flood of two ports, and beside as many known frames" % t["kernel"],
                "   :header-rows: 1",
                "",
                "   * - beside known frames",
                "     - beside the flood",
                "     - ratio (median)",
                "     - spread",
                "   * - %.0f" % f2["control_kpps_median"],
                "     - %.0f" % f2["flood_kpps_median"],
                "     - %.2f" % f2["ratio_median"],
                "     - %.2f-%.2f (%d pairs)" % (f2["ratio_min"], f2["ratio_max"], f2["pairs"]),
                "",
            ]
    lines.append("Taken %s on %s (%s host CPUs), %s, commit %s." %
                 (m["date"], m["cpu"], m["host_cpus"], m["qemu"], m["commit"]))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--rst")
    ap.add_argument("--tcp", action="append", default=[],
                    help="a log of tcp.sh (once per kernel)")
    ap.add_argument("logs", nargs="+")
    args = ap.parse_args()
    results = {"machine": machine(), "kernels": [build(p) for p in args.logs],
               "tcp": [build_tcp(p) for p in args.tcp]}
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    md = markdown(results)
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(md)
    if args.rst:
        with open(args.rst, "w", encoding="utf-8") as f:
            f.write(rst(results))
    print(md)
    # a missed target is a result; a frame that did not arrive is a bug
    return 1 if any(k["errors"] for k in results["kernels"]) else 0


if __name__ == "__main__":
    sys.exit(main())
