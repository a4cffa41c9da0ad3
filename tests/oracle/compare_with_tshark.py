#!/usr/bin/env python3
"""The oracle test: tcpviz must agree with tshark, segment for segment.

For every capture given (files or directories), runs `tcpviz analyze --format
ndjson` and `tshark -T fields`, then compares, frame by frame:
  conn <-> tcp.stream, seq, ack, seq_raw, ack_raw, len, win <-> tcp.window_size,
  win_raw <-> tcp.window_size_value, flags, reserved (bits 9-11 of tcp.flags), in_flight <-> bytes_in_flight,
  dup-ack number, acks_frame, and every analysis name <-> tcp.analysis.*.

Deliberate differences are listed in known_differences.txt (capture, frame,
field, reason); everything else must be equal. tshark is required: without
it the test fails, it does not skip.

Exit status 0 only when every comparison agrees.
"""
import argparse
import concurrent.futures
import fnmatch
import json
import os
import shutil
import subprocess
import sys

ANALYSIS_NAMES = [
    "retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
    "duplicate_ack", "zero_window", "zero_window_probe", "zero_window_probe_ack",
    "window_update", "window_full", "keep_alive", "keep_alive_ack", "lost_segment",
    "ack_lost_segment", "reused_ports",
]

# (tcpviz field, tshark field)
SCALAR_FIELDS = [
    ("conn", "tcp.stream"),
    ("seq", "tcp.seq"),
    ("ack", "tcp.ack"),
    ("seq_raw", "tcp.seq_raw"),
    ("ack_raw", "tcp.ack_raw"),
    ("len", "tcp.len"),
    ("win", "tcp.window_size"),
    ("win_raw", "tcp.window_size_value"),
    ("flags", "tcp.flags"),
    ("in_flight", "tcp.analysis.bytes_in_flight"),
    ("dup_ack_num", "tcp.analysis.duplicate_ack_num"),
    ("acks_frame", "tcp.analysis.acks_frame"),
]
# Fields read from another field's tshark column: the reserved bits are
# bits 9-11 of tcp.flags (tcp.flags.res itself prints only set or not set).
DERIVED_FIELDS = [("reserved", "flags")]
CORE_FIELDS = {"conn", "seq", "ack", "len", "flags"}

CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap")


def find_captures(paths):
    found = []
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith(CAPTURE_SUFFIXES):
                    found.append(os.path.join(path, name))
        else:
            found.append(path)
    return found


def load_known_differences(path):
    rules = []
    if not path or not os.path.exists(path):
        return rules
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 4:
                sys.exit(f"known differences: bad line: {line}")
            rules.append({"capture": parts[0], "frame": parts[1], "field": parts[2], "reason": parts[3]})
    return rules


def is_known(rules, capture, frame, field):
    base = os.path.basename(capture)
    for r in rules:
        if fnmatch.fnmatch(base, r["capture"]) and (r["frame"] == "*" or r["frame"] == str(frame)) \
                and (r["field"] == "*" or r["field"] == field):
            return r
    return None


def run_tshark(capture):
    fields = ["frame.number"] + [t for _, t in SCALAR_FIELDS] + ["tcp.analysis." + n for n in ANALYSIS_NAMES]
    cmd = ["tshark", "-n", "-r", capture, "-Y", "tcp && !icmp && !icmpv6", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=f",
           "-o", "tcp.relative_sequence_numbers:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"tshark failed on {capture}: {out.stderr.strip()}")
    rows = {}
    for line in out.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) - len(cols))
        frame = int(cols[0])
        row = {}
        for i, (ours, _) in enumerate(SCALAR_FIELDS, start=1):
            row[ours] = cols[i]
        for ours, source in DERIVED_FIELDS:
            row[ours] = row[source]
        base = 1 + len(SCALAR_FIELDS)
        row["analysis"] = {n for i, n in enumerate(ANALYSIS_NAMES) if cols[base + i] != ""}
        rows[frame] = row
    return rows


def run_tcpviz(tcpviz, capture):
    out = subprocess.run([tcpviz, "analyze", capture, "--format", "ndjson", "--no-payload", "--quiet"],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"tcpviz failed on {capture}: {out.stderr.strip()}")
    events = {}
    for line in out.stdout.splitlines():
        obj = json.loads(line)
        if obj.get("type") == "event":
            events[obj["frame"]] = obj
    return events


def normalise_tshark(field, value):
    if value == "":
        return None
    if field == "flags":
        return int(value, 16) & 0x1FF
    if field == "reserved":
        return (int(value, 16) >> 9) & 0x7
    return int(value)


FLAG_BITS = {"FIN": 0x001, "SYN": 0x002, "RST": 0x004, "PSH": 0x008, "ACK": 0x010,
             "URG": 0x020, "ECE": 0x040, "CWR": 0x080, "AE": 0x100}


def ours_value(event, field):
    if field == "flags":
        return None if event["flags"] is None else sum(FLAG_BITS[f] for f in event["flags"])
    if field == "reserved":
        return None if event["flags"] is None else event.get("reserved", 0)
    if field == "dup_ack_num":
        return event["dup_ack"]["num"] if "dup_ack" in event else None
    if field == "acks_frame":
        return event.get("acks_frame")
    if field == "in_flight":
        return event.get("in_flight")
    return event[field]


def compare_capture(tcpviz, capture, rules, report):
    theirs = run_tshark(capture)
    ours = run_tcpviz(tcpviz, capture)
    stats = {"compared": 0, "mismatched": 0, "core_compared": 0, "core_mismatched": 0, "known": 0}

    def mismatch(frame, field, want, got):
        rule = is_known(rules, capture, frame, field)
        if rule:
            stats["known"] += 1
            return
        stats["mismatched"] += 1
        if field in CORE_FIELDS or field == "segment":
            stats["core_mismatched"] += 1
        report.append(f"{os.path.basename(capture)} frame {frame} {field}: tshark {want!r}, tcpviz {got!r}")

    for frame in sorted(set(theirs) | set(ours)):
        if frame not in ours:
            stats["compared"] += 1
            stats["core_compared"] += 1
            mismatch(frame, "segment", "present", "missing")
            continue
        if frame not in theirs:
            stats["compared"] += 1
            stats["core_compared"] += 1
            mismatch(frame, "segment", "missing", "present")
            continue
        t, o = theirs[frame], ours[frame]
        for field, _ in SCALAR_FIELDS + DERIVED_FIELDS:
            want = normalise_tshark(field, t[field])
            got = ours_value(o, field)
            stats["compared"] += 1
            if field in CORE_FIELDS:
                stats["core_compared"] += 1
            if want != got:
                mismatch(frame, field, want, got)
        got_names = set(o["analysis"])
        for name in ANALYSIS_NAMES:
            stats["compared"] += 1
            if (name in t["analysis"]) != (name in got_names):
                mismatch(frame, "analysis." + name, name in t["analysis"], name in got_names)
    return stats, len(theirs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tcpviz", required=True, help="path of the tcpviz executable")
    parser.add_argument("--known", help="known differences file")
    parser.add_argument("--max-report", type=int, default=60)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="captures compared at once")
    parser.add_argument("captures", nargs="+", help="capture files or directories")
    args = parser.parse_args()

    if shutil.which("tshark") is None:
        print("FAIL: tshark is not installed; run scripts/setup.sh (the oracle test needs it)")
        return 1
    rules = load_known_differences(args.known)
    captures = find_captures(args.captures)
    if not captures:
        print("FAIL: no captures found")
        return 1
    def compare(capture):
        report = []
        try:
            return capture, compare_capture(args.tcpviz, capture, rules, report), report, None
        except RuntimeError as e:
            return capture, None, report, e

    # Two captures at a time: most of the time is spent waiting for tshark
    # and tcpviz, so a second core is used; the report keeps the files' order.
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(compare, captures))
    for capture, result, report, error in results:
        if error is not None:
            print(f"FAIL {capture}: {error}")
            failed += 1
            continue
        stats, segments = result
        ok = stats["mismatched"] == 0
        agree = 100.0 * (stats["compared"] - stats["mismatched"]) / max(1, stats["compared"])
        print(f"{'ok  ' if ok else 'FAIL'} {os.path.basename(capture)}: {segments} segments, "
              f"{stats['compared']} fields, {agree:.3f}% agree, {stats['known']} known differences")
        for line in report[:args.max_report]:
            print("     " + line)
        if len(report) > args.max_report:
            print(f"     ... and {len(report) - args.max_report} more")
        if ok:
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
