#!/usr/bin/env python3
"""Damaged captures never crash or hang tcpviz.

Makes variants of every test capture (cut at random points, random bytes
flipped in headers and data, record lengths made huge or zero, the file
header damaged) and runs `tcpviz analyze` on each. Each run must end within
a few seconds either with exit 0 and a valid JSON timeline, or with exit 2
and one line `tcpviz: error: ...`. A signal (crash, sanitizer abort), a hang
or any other outcome fails the test.

  damaged_captures.py --tcpviz PATH [--variants N] [--seed S] [--jobs J] CAPTURES...

The variants are made in one fixed order from the seed, so a failure names
the same input whatever --jobs is.
"""
import argparse
import concurrent.futures
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

SUFFIXES = (".pcap", ".pcapng")


def captures_in(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += [os.path.join(p, n) for n in sorted(os.listdir(p)) if n.endswith(SUFFIXES)]
        else:
            out.append(p)
    return out


def record_offsets(data):
    """Offsets of the record headers of a classic little-endian pcap."""
    if data[:4] not in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        return []
    offsets, at = [], 24
    while at + 16 <= len(data):
        offsets.append(at)
        caplen = struct.unpack_from("<I", data, at + 8)[0]
        at += 16 + caplen
    return offsets


def mutate(data, rng):
    data = bytearray(data)
    kind = rng.choice(["cut", "flip", "flip_many", "caplen", "len", "header", "zero_run", "dup"])
    records = record_offsets(bytes(data))
    if kind == "cut":
        data = data[: rng.randrange(0, len(data))]
    elif kind == "flip":
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == "flip_many":
        start = rng.randrange(len(data))
        for i in range(start, min(len(data), start + rng.randint(1, 200))):
            data[i] = rng.randrange(256)
    elif kind in ("caplen", "len") and records:
        at = rng.choice(records) + (8 if kind == "caplen" else 12)
        struct.pack_into("<I", data, at, rng.choice([0, 1, 13, 65535, 262145, 0x7FFFFFFF, 0xFFFFFFFF]))
    elif kind == "header":
        i = rng.randrange(min(24, len(data)))
        data[i] = rng.randrange(256)
    elif kind == "zero_run":
        start = rng.randrange(len(data))
        data[start:start + rng.randint(1, 64)] = bytes(min(64, len(data) - start))
    else:  # duplicate a slice in the middle: records out of step
        a = rng.randrange(len(data))
        b = min(len(data), a + rng.randint(1, 300))
        data[a:a] = data[a:b]
    return bytes(data), kind


def check(tcpviz, path, timeout):
    try:
        r = subprocess.run([tcpviz, "analyze", path, "--quiet"], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hang"
    if r.returncode < 0:
        return f"killed by signal {-r.returncode}: {r.stderr.decode(errors='replace')[-300:]}"
    if r.returncode == 0:
        try:
            timeline = json.loads(r.stdout)
        except ValueError as e:
            return f"exit 0 but invalid JSON: {e}"
        if timeline.get("format") != "tcpviz-timeline":
            return "exit 0 but not a timeline"
        return None
    if r.returncode == 2:
        lines = r.stderr.decode(errors="replace").splitlines()
        if len(lines) == 1 and lines[0].startswith("tcpviz: error: "):
            return None
        return f"exit 2 without a one-line error: {lines[:3]}"
    return f"exit {r.returncode}: {r.stderr.decode(errors='replace')[-300:]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tcpviz", required=True)
    ap.add_argument("--variants", type=int, default=20, help="variants per capture")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--jobs", type=int, default=2, help="runs of tcpviz at a time")
    ap.add_argument("captures", nargs="+")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    files = captures_in(args.captures)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        variants = []  # (path, kind, n, capture), made in order from the seed
        for capture in files:
            with open(capture, "rb") as f:
                original = f.read()
            for n in range(args.variants):
                damaged, kind = mutate(original, rng)
                path = os.path.join(tmp, f"{n}-{os.path.basename(capture)}")
                with open(path, "wb") as f:
                    f.write(damaged)
                variants.append((path, kind, n, capture))
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            problems = pool.map(lambda v: check(args.tcpviz, v[0], args.timeout), variants)
            for (path, kind, n, capture), problem in zip(variants, problems):
                if problem:
                    failed += 1
                    keep = os.path.join(tempfile.gettempdir(), f"tcpviz-damaged-{kind}-{n}-{os.path.basename(capture)}")
                    with open(path, "rb") as src, open(keep, "wb") as f:
                        f.write(src.read())
                    print(f"FAIL {os.path.basename(capture)} variant {n} ({kind}): {problem} (kept as {keep})")
                else:
                    passed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
