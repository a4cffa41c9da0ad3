#!/usr/bin/env python3
"""Times `tcpviz serve` on one capture, as a page would use it:
index rate, first screen after the index is ready (sessions, meta, the first
200 events, two chart series), jumps to the last frame and to random frames
(frame look-up + 200 events around it), and the server's memory.

    bench/serve_bench.py CAPTURE [--tcpviz build/tcpviz]
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "serve"))
import serve_helpers  # noqa: E402


def rss_mb(pid, field="VmRSS"):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("--tcpviz", default=serve_helpers.TCPVIZ)
    args = ap.parse_args()
    serve_helpers.TCPVIZ = os.path.abspath(args.tcpviz)
    tmp = tempfile.mkdtemp()
    try:
        secret = os.path.join(tmp, "none")
        open(secret, "w").close()
        serve_helpers.make_page_dir(tmp, secret)
        started = time.perf_counter()
        server = serve_helpers.Server([os.path.abspath(args.capture)], tmp)
        sessions = server.wait_ready(timeout=3600)
        index_s = time.perf_counter() - started
        s = sessions[0]
        size_mb = os.path.getsize(args.capture) / 1e6
        print("serve: %s, %.0f MB, %d packets, %d segments" % (os.path.basename(args.capture), size_mb, s["packets"],
                                                             s["segments"]))
        print("  index: %.2f s, %.2fM packets/s (start-up included)" % (index_s, s["packets"] / index_s / 1e6))
        print("  server RSS after indexing: %.0f MB (%.0f%% of the capture)" %
              (rss_mb(server.proc.pid), 100 * rss_mb(server.proc.pid) / size_mb))

        def first_screen():
            server.get_json("/api/sessions")
            meta = server.get_json("/api/sessions/0/meta")
            server.get_json("/api/sessions/0/events?from=0&count=200")
            for kind in ("seq", "win"):
                server.get_json("/api/sessions/0/series?conn=0&kind=%s&width=1200" % kind)
            return meta
        first_s, meta = timed(first_screen)
        print("  first screen (sessions, meta, 200 events, 2 series of %d connections' first): %.0f ms" %
              (len(meta["connections"]), first_s * 1000))

        total = s["segments"]
        last_frame = s["packets"]

        def jump(frame):
            at = server.get_json("/api/sessions/0/frame/%d" % frame)
            start = max(0, at["index"] - 100)
            page = server.get_json("/api/sessions/0/events?from=%d&count=200" % start)
            assert page["events"], frame
            return page

        last_s, page = timed(lambda: jump(last_frame))
        assert page["events"][-1]["frame"] <= last_frame
        print("  jump to the last frame (%d): %.0f ms" % (last_frame, last_s * 1000))
        rng = random.Random(1)
        jumps = [timed(lambda: jump(rng.randrange(1, last_frame)))[0] for _ in range(20)]
        print("  jump to a random frame: median %.0f ms, max %.0f ms (20 jumps)" %
              (statistics.median(jumps) * 1000, max(jumps) * 1000))
        series_s, _ = timed(lambda: server.get_json("/api/sessions/0/series?conn=%d&kind=seq&width=1920" %
                                                    max(range(len(meta["connections"])),
                                                        key=lambda c: meta["connections"][c]["counts"]["c2s"]["segments"])))
        print("  seq series of the largest connection at 1920 px: %.0f ms" % (series_s * 1000))
        print("  server RSS at the end: %.0f MB, peak %.0f MB" % (rss_mb(server.proc.pid), rss_mb(server.proc.pid, "VmHWM")))
        server.stop()
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
