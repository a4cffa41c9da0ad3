#!/usr/bin/env python3
"""Peak memory of `tcpviz analyze` must stay flat in the number of connections.

Generates captures of SMALL and LARGE short connections of both kinds (SYN
only, as in a port scan, and complete: handshake, data, FIN both ways), runs
`tcpviz analyze --format json -o /dev/null` on each and measures its peak
resident set. Before connections were retired the growth was about 1,100
bytes a connection; a retired connection now keeps a few dozen bytes in
memory (its place in a temporary file and a fingerprint of its 4-tuple).
The test fails when a connection costs more than --max-bytes-each.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def peak_rss_kib(argv):
    """Runs argv and returns its own peak resident set in KiB (wait4's rusage)."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"FAIL: {' '.join(argv)} exited {code}: {err.strip()}")
    return usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tcpviz", required=True)
    ap.add_argument("--generator", required=True)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--large", type=int, default=400_000)
    ap.add_argument("--max-bytes-each", type=float, default=100.0)
    args = ap.parse_args()

    failures = []
    with tempfile.TemporaryDirectory(prefix="tcpviz-memory-") as tmp:
        for kind in ("syn", "closed"):
            rss = {}
            for count in (args.small, args.large):
                path = os.path.join(tmp, f"{kind}-{count}.pcap")
                subprocess.run([args.generator, kind, str(count), path], check=True)
                rss[count] = peak_rss_kib([args.tcpviz, "analyze", path, "--format", "json", "-o", "/dev/null"])
                os.unlink(path)
            each = (rss[args.large] - rss[args.small]) * 1024 / (args.large - args.small)
            print(f"{kind}: peak RSS {rss[args.small] / 1024:.1f} MiB at {args.small} connections, "
                  f"{rss[args.large] / 1024:.1f} MiB at {args.large}: {each:.1f} bytes a connection, "
                  f"ratio {rss[args.large] / rss[args.small]:.2f}")
            if each > args.max_bytes_each:
                failures.append(f"{kind}: {each:.1f} bytes a connection (at most {args.max_bytes_each})")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
