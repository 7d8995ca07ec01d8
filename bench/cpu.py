#!/usr/bin/env python3
"""CPU time per process of a stack, to say where the cost of a request goes (a figure that a busy machine disturbs
far less than latency or throughput: other processes take turns on the cores, not CPU seconds from this stack).

  cpu.py snapshot ROOT_PID [DIR] > file  CPU seconds so far of ROOT_PID and all its descendants, by process name; with
                                        DIR also of every process whose command line names DIR and its descendants
                                        (PostgreSQL daemonizes away from the launcher; its -D is under the stack's DIR)
  cpu.py per-request BEFORE AFTER N      milliseconds of CPU per request per process between two snapshots
  cpu.py busy BEFORE AFTER SECONDS [N]   one line: how many cores the stack kept busy over the SECONDS between two
                                        snapshots, and its largest processes (in ms per request with N, else cores)

Process names: a JVM by its jar (vigil-gateway, ...; the launcher also hosts Kafka), anything else by its command
(postgres, redis-server). PostgreSQL's backends are separate processes; they are summed under "postgres".
The gateway's and orders' threads are also summed by kind, under "vigil-gateway:gc+vm" and the like (JFR's execution
samples see only Java code: the JIT compilers, GC and the exporters' threads are where they cannot look). Names with
a ':' are that split of a process already counted, not more processes.
"""
import json
import os
import re
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def parse_stat(stat):
    """(comm, fields after it) of a /proc stat line; comm may contain spaces and parentheses."""
    return stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()


def cpu_seconds(fields):
    return (int(fields[11]) + int(fields[12])) / TICKS


def processes():
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        comm, fields = parse_stat(stat)
        yield int(pid), int(fields[1]), comm, [c.decode(errors="replace") for c in cmdline if c], cpu_seconds(fields)


# Thread kinds by /proc comm (thread names, cut to 15 characters by the kernel); first match wins.
THREAD_KINDS = [
    ("jit", ("C1 CompilerThre", "C2 CompilerThre")),
    ("gc+vm", ("VM Thread", "GC Thread", "VM Periodic")),
    ("telemetry export", ("BatchSpanProces", "BatchLogRecordP", "OkHttp", "HttpClient", "otlp", "Okio")),
    ("request threads", ("http-nio", "grpc-default-ex", "grpc-nio-worker", "grpc-", "tomcat-handler")),
]
SPLIT = ("vigil-gateway", "vigil-orders")


def thread_kinds(pid):
    totals = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return totals
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm, fields = parse_stat(stat)
        kind = next((k for k, prefixes in THREAD_KINDS if comm.startswith(prefixes)), "other threads")
        totals[kind] = totals.get(kind, 0.0) + cpu_seconds(fields)
    return totals


def name_of(comm, cmdline):
    for arg in cmdline:
        match = re.search(r"(vigil-[a-z]+)\.jar$", arg)
        if match:
            return match.group(1).replace("vigil-launcher", "launcher+kafka")
    return "postgres" if comm.startswith("postgres") else comm


def snapshot(root, directory=None):
    procs = list(processes())
    children = {}
    for pid, ppid, *_ in procs:
        children.setdefault(ppid, []).append(pid)
    roots = [root] + [pid for pid, _, _, cmdline, _ in procs if directory and any(directory in a for a in cmdline)]
    tree, todo = set(), roots
    while todo:
        pid = todo.pop()
        if pid not in tree:
            tree.add(pid)
            todo.extend(children.get(pid, []))
    totals = {}
    for pid, _, comm, cmdline, seconds in procs:
        if pid in tree:
            name = name_of(comm, cmdline)
            totals[name] = totals.get(name, 0.0) + seconds
            if name in SPLIT:
                for kind, kind_seconds in thread_kinds(pid).items():
                    totals[f"{name}:{kind}"] = totals.get(f"{name}:{kind}", 0.0) + kind_seconds
    return totals


def used(before, after):
    """CPU seconds per name between two snapshots."""
    return {name: max(0.0, after[name] - before.get(name, 0.0)) for name in after}


def busy(seconds_by_name, seconds, requests=None):
    processes = {name: s for name, s in seconds_by_name.items() if ":" not in name}  # splits are counted already
    total = sum(processes.values())
    largest = sorted(processes.items(), key=lambda p: -p[1])
    line = f"stack busy {total / seconds:.2f} of {os.cpu_count()} cores"
    if requests:
        top = ", ".join(f"{name} {s * 1000 / requests:.2f}" for name, s in largest[:4])
        return f"{line}; {total * 1000 / requests:.2f} ms per request ({top})"
    return line + " (" + ", ".join(f"{name} {s / seconds:.3f}" for name, s in largest[:6]) + ")"


def main():
    if sys.argv[1] == "snapshot":
        json.dump(snapshot(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None), sys.stdout)
    elif sys.argv[1] == "per-request":
        before, after = (json.load(open(p)) for p in sys.argv[2:4])
        requests = float(sys.argv[4])
        json.dump({name: s * 1000 / requests for name, s in used(before, after).items()}, sys.stdout)
    elif sys.argv[1] == "busy":
        before, after = (json.load(open(p)) for p in sys.argv[2:4])
        print(busy(used(before, after), float(sys.argv[4]), float(sys.argv[5]) if len(sys.argv) > 5 else None))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
