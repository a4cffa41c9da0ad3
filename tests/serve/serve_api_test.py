#!/usr/bin/env python3
"""`tcpviz serve`'s read-only API (serve/API.md): every endpoint, windows of
events equal to the full `tcpviz analyze` timeline, and hostile requests
(traversal, encoded dots and slashes, symlinks, bad numbers, huge ranges,
other methods, oversized requests, many connections)."""
import glob
import gzip
import json
import os
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_helpers import CAPTURES, CSP, Server, analyze, make_page_dir  # noqa: E402

SECRET = "tcpviz-secret-4242"
# Several captures, small and large, with and without loss, several link types.
INPUTS = sorted(glob.glob(os.path.join(CAPTURES, "*.pcap")) + glob.glob(os.path.join(CAPTURES, "*.pcapng")) +
                [os.path.join(CAPTURES, "crafted", n) for n in
                 ("hostile_payload.pcap", "out_of_order.pcap", "spurious_retransmission.pcap",
                  "truncated_options.pcap", "malformed_tcp.pcap", "vlan.pcap")])


class ServeApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.secret = os.path.join(cls.tmp, "secret.txt")
        with open(cls.secret, "w") as f:
            f.write(SECRET)
        make_page_dir(cls.tmp, cls.secret)
        # Checkpoints every 5 packets: windows are re-analysed from many points
        # inside each capture, not only from its start.
        cls.server = Server(["--checkpoint-packets", "5"] + INPUTS, cls.tmp)
        cls.sessions = cls.server.wait_ready()
        cls.timelines = [analyze(path) for path in INPUTS]

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        shutil.rmtree(cls.tmp)
        assert code == 0, code

    # --- the endpoints -------------------------------------------------

    def test_sessions_are_numbered_and_named_without_paths(self):
        self.assertEqual([s["id"] for s in self.sessions], list(range(len(INPUTS))))
        for s, path, t in zip(self.sessions, INPUTS, self.timelines):
            self.assertEqual(s["name"], os.path.basename(path))
            self.assertNotIn("/", json.dumps(s["name"]))
            self.assertEqual(s["source"], "capture")
            self.assertTrue(s["ready"], s)
            self.assertEqual(s["segments"], len(t["events"]))
            self.assertEqual(s["connections"], len(t["connections"]))
            self.assertEqual(s["packets"], t["stats"]["frames"])

    def test_info(self):
        info = self.server.get_json("/api/info")
        self.assertEqual(info["live"], False)
        self.assertIsNone(info["live_session"])
        self.assertEqual(info["max_count"], 2000)

    def test_meta_equals_the_timeline(self):
        for i, t in enumerate(self.timelines):
            meta = self.server.get_json("/api/sessions/%d/meta" % i)
            self.assertEqual(meta["id"], i)
            self.assertEqual(meta["connections"], t["connections"], INPUTS[i])
            self.assertEqual(meta["stats"], t["stats"], INPUTS[i])
            self.assertEqual(meta["segments"], len(t["events"]))
            self.assertEqual(meta["source"]["file"], os.path.basename(INPUTS[i]))
            self.assertEqual(meta["source"]["link_type"], t["source"]["link_type"])
            self.assertAlmostEqual(meta["duration"], t["stats"]["duration"], places=6)

    def test_every_window_equals_the_full_analysis(self):
        rng = random.Random(12)
        for i, t in enumerate(self.timelines):
            events = t["events"]
            n = len(events)
            windows = [(0, 2000), (0, 1), (max(0, n - 1), 1), (max(0, n - 3), 2000)]
            windows += [(f, 7) for f in range(0, min(n, 400), 7)]
            windows += [(rng.randrange(max(n, 1)), rng.randrange(1, 300)) for _ in range(20)]
            for start, count in windows:
                got = self.server.get_json("/api/sessions/%d/events?from=%d&count=%d" % (i, start, count))
                self.assertEqual(got["from"], start)
                self.assertEqual(got["total"], n)
                self.assertEqual(got["events"], events[start:start + count],
                                 "%s window %d+%d" % (INPUTS[i], start, count))

    def test_all_pages_of_a_large_capture_equal_the_full_analysis(self):
        i = INPUTS.index(os.path.join(CAPTURES, "loss_retrans.pcap"))
        events = self.timelines[i]["events"]
        self.assertGreater(len(events), 2000)
        got = []
        while len(got) < len(events):
            page = self.server.get_json("/api/sessions/%d/events?from=%d&count=2000" % (i, len(got)))
            self.assertTrue(page["events"])
            got += page["events"]
        self.assertEqual(got, events)

    def test_default_count_is_500(self):
        i = INPUTS.index(os.path.join(CAPTURES, "loss_retrans.pcap"))
        got = self.server.get_json("/api/sessions/%d/events" % i)
        self.assertEqual(len(got["events"]), 500)
        self.assertEqual(got["from"], 0)

    def test_frame_lookup(self):
        for i, t in enumerate(self.timelines):
            frames = [e["frame"] for e in t["events"]]
            if not frames:
                continue
            for index, frame in list(enumerate(frames))[:200]:
                self.assertEqual(self.server.get_json("/api/sessions/%d/frame/%d" % (i, frame)),
                                 {"index": index, "frame": frame})
            # A frame with no TCP segment gives the next one.
            gaps = [f for f in range(1, frames[-1]) if f not in set(frames)]
            for g in gaps[:20]:
                index = next(k for k, f in enumerate(frames) if f > g)
                self.assertEqual(self.server.get_json("/api/sessions/%d/frame/%d" % (i, g))["index"], index)
            self.server.get_json("/api/sessions/%d/frame/%d" % (i, frames[-1] + 1), expect=404)

    def test_series_keep_every_point_when_they_fit(self):
        i = INPUTS.index(os.path.join(CAPTURES, "handshake_data_fin.pcap"))
        events = self.timelines[i]["events"]
        s = self.server.get_json("/api/sessions/%d/series?conn=0&kind=seq&width=1000" % i)
        self.assertFalse(s["downsampled"])
        by_name = {x["name"]: x for x in s["series"]}
        want = [(e["t"], e["seq"]) for e in events
                if e["dir"] == "c2s" and (e["len"] > 0 or "SYN" in e["flags"] or "FIN" in e["flags"])]
        self.assertEqual(list(zip(by_name["c2s"]["t"], by_name["c2s"]["v"])), want)
        acks = [(e["t"], e["ack"]) for e in events if e["dir"] == "s2c" and "ACK" in e["flags"]]
        self.assertEqual(list(zip(by_name["s2c_ack"]["t"], by_name["s2c_ack"]["v"])), acks)
        w = self.server.get_json("/api/sessions/%d/series?conn=0&kind=win" % i)
        wins = {x["name"]: x for x in w["series"]}
        self.assertEqual(wins["s2c"]["v"], [e["win"] for e in events if e["dir"] == "s2c"])

    def test_series_downsampled_keep_min_and_max_of_each_pixel(self):
        i = INPUTS.index(os.path.join(CAPTURES, "loss_retrans.pcap"))
        events = [e for e in self.timelines[i]["events"] if e["conn"] == 0]
        full = [e["win"] for e in events if e["dir"] == "s2c"]
        for width in (1, 3, 50):
            s = self.server.get_json("/api/sessions/%d/series?conn=0&kind=win&width=%d" % (i, width))
            self.assertTrue(s["downsampled"])
            for series in s["series"]:
                self.assertLessEqual(len(series["t"]), 2 * width, series["name"])
                self.assertEqual(series["t"], sorted(series["t"]))
            s2c = next(x for x in s["series"] if x["name"] == "s2c")
            self.assertIn(max(full), s2c["v"])
            self.assertIn(min(full), s2c["v"])
        # A window in time: only points inside it.
        t0, t1 = events[len(events) // 3]["t"], events[len(events) // 2]["t"]
        s = self.server.get_json("/api/sessions/%d/series?conn=0&kind=seq&from_t=%.6f&to_t=%.6f&width=4000" % (i, t0, t1))
        for series in s["series"]:
            self.assertTrue(all(t0 <= t <= t1 for t in series["t"]), series["name"])

    def test_series_kernel_of_a_capture_is_empty(self):
        s = self.server.get_json("/api/sessions/0/series?conn=0&kind=kernel")
        self.assertTrue(all(not x["t"] for x in s["series"]))
        self.assertEqual(s["markers"], [])

    # --- the page --------------------------------------------------------

    def test_page_files_from_memory_with_the_csp(self):
        for path in ("/", "/index.html", "/?session=0", "/?live=1"):
            status, headers, body = self.server.request(path)
            self.assertEqual(status, 200, path)
            self.assertIn(b"tcpviz page", body)
            self.assertTrue(headers["content-type"].startswith("text/html"))
            self.assertEqual(headers["content-security-policy"], CSP)
            self.assertEqual(headers["x-content-type-options"], "nosniff")
        status, headers, body = self.server.request("/tcpviz.js")
        self.assertEqual((status, body), (200, b"console.log('page');\n"))
        self.assertTrue(headers["content-type"].startswith("text/javascript"))
        self.assertEqual(self.server.request("/sub/deep.css")[0], 200)
        # API answers carry the same headers.
        status, headers, _ = self.server.request("/api/sessions")
        self.assertEqual(headers["content-security-policy"], CSP)

    def test_the_page_is_gzipped_never_brotli(self):
        # Brotli at cpp-httplib's quality took 0.4-0.7 s for the page: most of the first screen.
        _, _, plain = self.server.request("/")
        status, headers, body = self.server.request("/", headers={"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual((status, headers.get("content-encoding")), (200, "gzip"))
        self.assertEqual(gzip.decompress(body), plain)
        status, headers, body = self.server.request("/", headers={"Accept-Encoding": "br"})
        self.assertEqual((status, headers.get("content-encoding"), body), (200, None, plain))

    def test_traversal_encoded_dots_slashes_and_symlinks_read_nothing(self):
        capture = INPUTS[0]
        hostile = [
            "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2f..%2fetc%2fpasswd", "/%252e%252e/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd",
            "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/outside.txt", "/sub/../outside.txt",
            "/..\\..\\etc\\passwd", "/index.html%00.png", "/" + capture, "/" + os.path.basename(capture),
            "/%2f" + capture.lstrip("/").replace("/", "%2f"), "/report-template.html", "/api/../../etc/passwd",
            "/api/sessions/..%2f..%2fetc%2fpasswd/meta", "/api/sessions/0/../../../etc/passwd",
            "/api/sessions/%2e%2e/meta", "/api/sessions/0%2f..%2f1/meta",
        ]
        for path in hostile:
            status, headers, body = self.server.request(path)
            self.assertIn(status, (400, 404), path)
            self.assertNotIn(SECRET.encode(), body, path)
            self.assertNotIn(b"root:", body, path)
            self.assertNotIn(b"\xd4\xc3\xb2\xa1", body, path)  # a pcap file's magic
        # Through a raw socket too, where no client library normalises the path.
        for path in ("/../secret.txt", "/./../secret.txt", "/outside.txt", "/%2e%2e%2fsecret.txt"):
            raw = self.raw(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" % path).encode())
            self.assertNotIn(SECRET.encode(), raw, path)
            self.assertTrue(raw.startswith(b"HTTP/1.1 404") or raw.startswith(b"HTTP/1.1 400"), (path, raw[:40]))

    # --- hostile requests -------------------------------------------------

    def test_other_sites_names_are_refused_dns_rebinding(self):
        # A hostile page whose name resolves to 127.0.0.1 sends its own name as Host.
        for host in ("evil.example", "evil.example:%d" % self.server.port, "127.0.0.1.evil.example",
                     "localhost.evil.example", "127.0.0.1:80x", "[::1", "[::1]x", "[evil]:80", ":80"):
            for path in ("/api/sessions", "/api/sessions/0/events?from=0&count=5", "/", "/api/live/events"):
                status, _, body = self.server.request(path, headers={"Host": host})
                self.assertEqual(status, 403, (host, path))
                self.assertNotIn(b"\"events\"", body)
                self.assertIn("Host", json.loads(body)["error"])
        # Addresses and this machine's own names are answered.
        machine = socket.gethostname()
        for host in ("127.0.0.1", "127.0.0.1:%d" % self.server.port, "localhost:%d" % self.server.port,
                     "LOCALHOST", "[::1]:%d" % self.server.port, "198.18.0.1:8080", machine, machine + ".local:1"):
            status, _, _ = self.server.request("/api/sessions", headers={"Host": host})
            self.assertEqual(status, 200, host)

    def test_bad_numbers_are_400_with_a_json_error(self):
        bad = ["from=-1", "from=1e3", "from=0x10", "from=12abc", "from=", "from=%201", "from=1.5",
               "from=99999999999999999999999", "count=2001", "count=-5", "count=1e9", "from=1&from=2",
               "count=18446744073709551617"]
        for q in bad:
            body = self.server.get_json("/api/sessions/0/events?" + q, expect=400)
            self.assertIsInstance(body["error"], str, q)
        for q in ["conn=0&width=0", "conn=0&width=8193", "conn=0&kind=cwnd", "kind=seq", "conn=-1",
                  "conn=0&from_t=1e3", "conn=0&from_t=nan", "conn=0&to_t=inf", "conn=0&from_t=2&to_t=1",
                  "conn=abc", "conn=0&conn=1"]:
            self.server.get_json("/api/sessions/0/series?" + q, expect=400)
        self.server.get_json("/api/sessions/0/frame/abc", expect=400)
        self.server.get_json("/api/sessions/0/frame/-3", expect=400)
        self.server.get_json("/api/sessions/0/frame/1e5", expect=400)

    def test_huge_ranges_are_empty_or_cut_not_slow(self):
        n = len(self.timelines[0]["events"])
        got = self.server.get_json("/api/sessions/0/events?from=9007199254740992&count=2000")
        self.assertEqual((got["events"], got["total"]), ([], n))
        got = self.server.get_json("/api/sessions/0/events?from=0&count=0")
        self.assertEqual(got["events"], [])
        self.server.get_json("/api/sessions/0/frame/9007199254740992", expect=404)
        self.server.get_json("/api/sessions/0/frame/99999999999999999999999", expect=400)
        self.server.get_json("/api/sessions/0/series?conn=4294967295", expect=400)
        self.server.get_json("/api/sessions/0/series?conn=999", expect=404)

    def test_unknown_sessions_and_paths_are_404(self):
        for path in ("/api/sessions/%d/meta" % len(INPUTS), "/api/sessions/99999999999/meta",
                     "/api/sessions/x/meta", "/api/sessions/0/nothing", "/api/nothing", "/api/",
                     "/api/sessions/0/meta/extra", "/api/live/events", "/nothing.html"):
            status, headers, body = self.server.request(path)
            self.assertEqual(status, 404, path)
            self.assertIn("error", json.loads(body), path)

    def test_other_methods_are_405(self):
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            for path in ("/api/sessions", "/index.html", "/api/sessions/0/events"):
                status, headers, body = self.server.request(path, method=method, body=b"x" * 10)
                self.assertEqual(status, 405, (method, path))
                self.assertEqual(headers.get("allow"), "GET, HEAD")
        status, headers, body = self.server.request("/api/sessions", method="HEAD")
        self.assertEqual((status, body), (200, b""))

    def test_oversized_requests_are_refused(self):
        status, _, _ = self.server.request("/api/sessions?x=" + "a" * 20000)
        self.assertIn(status, (400, 414))
        raw = self.raw(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n")
        self.assertFalse(raw.startswith(b"HTTP/1.1 200"), raw[:40])
        status, _, _ = self.server.request("/api/sessions", method="POST", body=b"x" * (4 << 20))
        self.assertIn(status, (405, 413))
        self.assertEqual(self.server.request("/api/sessions")[0], 200)

    def test_byte_ranges_cannot_multiply_an_answer(self):
        for path in ("/", "/api/sessions", "/nothing"):
            plain_status, _, plain = self.server.request(path)
            status, _, body = self.server.request(path, headers={"Range": "bytes=" + ",".join(["0-"] * 1500)})
            self.assertEqual((status, body), (plain_status, plain), path)
        _, _, whole = self.server.request("/")
        status, _, body = self.server.request("/", headers={"Range": "bytes=0-9"})
        self.assertEqual((status, body), (200, whole))  # ranges are ignored: the whole page

    def test_many_connections_at_once_are_all_answered(self):
        results = []

        def fetch(k):
            try:
                got = self.server.get_json("/api/sessions/%d/events?from=0&count=50" % (k % len(INPUTS)))
                results.append(got["events"] == self.timelines[k % len(INPUTS)]["events"][:50])
            except Exception as e:  # noqa: BLE001 - counted as a failure below
                results.append(repr(e))

        threads = [threading.Thread(target=fetch, args=(k,)) for k in range(150)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(results, [True] * 150)

    def test_idle_connections_are_dropped_and_the_server_recovers(self):
        idle = []
        for _ in range(40):
            s = socket.create_connection((self.server.host, self.server.port), timeout=5)
            s.sendall(b"GET /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            idle.append(s)
        started = time.time()
        status, _, _ = self.server.request("/api/info", timeout=60)
        self.assertEqual(status, 200)
        self.assertLess(time.time() - started, 30)
        for s in idle:
            s.close()

    def raw(self, data):
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(data)
            chunks = []
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    if b"\r\n\r\n" in b"".join(chunks) and len(b"".join(chunks)) > 4096:
                        break
            except (socket.timeout, ConnectionResetError):
                pass
            return b"".join(chunks)


class ServeBind(unittest.TestCase):
    def test_binding_all_addresses_says_who_can_now_read_the_captures(self):
        import subprocess
        from serve_helpers import TCPVIZ
        tmp = tempfile.mkdtemp()
        secret = os.path.join(tmp, "s")
        open(secret, "w").close()
        make_page_dir(tmp, secret)
        proc = subprocess.Popen([TCPVIZ, "serve", "--bind", "0.0.0.0", "--port", "0", "-q", INPUTS[0]],
                                env=dict(os.environ, TCPVIZ_WEB_DIR=tmp), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.assertTrue(proc.stdout.readline().startswith("tcpviz serve: http://"))
        proc.terminate()
        self.assertEqual(proc.wait(20), 0)
        err = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        shutil.rmtree(tmp)
        self.assertRegex(err, r"tcpviz: warning: --bind 0\.0\.0\.0: anyone who can reach this machine on port \d+ "
                              r"can now read these captures")
        self.assertIn("lo 127.0.0.1", err)


class ServeErrors(unittest.TestCase):
    def test_no_input_is_a_one_line_error(self):
        import subprocess
        from serve_helpers import TCPVIZ
        r = subprocess.run([TCPVIZ, "serve", "/nonexistent/x.pcap", "--port", "0"], capture_output=True, text=True,
                           timeout=30, env=dict(os.environ, TCPVIZ_WEB_DIR="/nonexistent"))
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"^tcpviz: error: /nonexistent/x.pcap: No such file or directory\n$")
        r = subprocess.run([TCPVIZ, "serve", "--port", "0"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"^tcpviz: error: serve: give captures to serve, or --live\n$")
        r = subprocess.run([TCPVIZ, "serve", CAPTURES + "/README.md", "--port", "0"], capture_output=True, text=True,
                           timeout=30, env=dict(os.environ, TCPVIZ_WEB_DIR="/nonexistent"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"^tcpviz: error: serve: the web page is not built")


if __name__ == "__main__":
    unittest.main()
