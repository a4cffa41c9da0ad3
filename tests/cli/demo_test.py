#!/usr/bin/env python3
"""`tcpviz demo` end to end (needs root: it captures; CI runs as root, and
without root this test fails loudly rather than skip): three chat clients,
every handshake complete, a half-close and a reset, the Chinese line in a
payload, kernel cwnd samples for the bulk connection, and all four files.
Then the fallback when capture is not permitted (run as user nobody), and
`tcpviz demo --serve`: the students' segments reach the live session of a
page server whose address it prints."""
import http.client
import json
import os
import re
import signal
import shutil
import subprocess
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))


class Demo(unittest.TestCase):
    def setUp(self):
        self.assertEqual(os.geteuid(), 0, "the demo test captures packets and must run as root (CI does)")
        self.tmp = tempfile.mkdtemp()
        os.chmod(self.tmp, 0o777)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_live_demo(self):
        out = os.path.join(self.tmp, "demo")
        r = subprocess.run([TCPVIZ, "demo", "--out", out], capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        for name in ["session.pcap", "timeline.json", "ladder.txt"]:
            self.assertGreater(os.path.getsize(os.path.join(out, name)), 0, name)
        with open(os.path.join(out, "timeline.json"), encoding="utf-8") as f:
            t = json.load(f)
        conns = t["connections"]
        self.assertEqual(len(conns), 3)
        self.assertTrue(all(c["handshake"]["complete"] for c in conns))
        kinds = sorted(c["teardown"]["kind"] for c in conns)
        self.assertEqual(kinds, ["fin", "fin", "rst"])
        # The clients end their input with shutdown(SHUT_WR) and still read the goodbye: half-closes.
        self.assertTrue(all(c["teardown"]["half_close"] for c in conns if c["teardown"]["kind"] == "fin"))
        payloads = "".join(e["payload"] for e in t["events"])
        self.assertIn("你好，同学们", payloads)
        bulk = max(conns, key=lambda c: c["counts"]["c2s"]["bytes"])
        self.assertGreaterEqual(bulk["counts"]["c2s"]["bytes"], 256 * 1024)
        self.assertGreater(bulk["counts"]["c2s"]["segments"], 150)  # MSS-sized segments, not 64 KiB ones
        cwnds = [k["cwnd"] for k in bulk.get("kernel", [])]
        self.assertTrue(cwnds, "kernel samples for the bulk connection")
        self.assertGreater(max(cwnds), 10)
        # Slow start to watch (issue 10): on the slowed path the sender's cwnd is
        # sampled many times on its way up, not twice.
        sender = [k["cwnd"] for k in bulk["kernel"] if k["side"] == "client"]
        self.assertGreaterEqual(len(sender), 8, sender)
        rises = [b for a, b in zip(sender, sender[1:]) if b > a]
        self.assertGreaterEqual(len(rises), 2, sender)
        self.assertGreaterEqual(max(sender), 2 * sender[0], sender)  # at least one doubling
        text = r.stdout.decode()
        self.assertIn("a slower path, so slow start shows: ip link set dev lo mtu 1500; tc qdisc add dev lo root", text)
        self.assertIn("3 connections", text)
        if shutil.which("node") and os.path.exists(os.path.join(ROOT, "web", "dist", "report-template.html")):
            self.assertTrue(os.path.exists(os.path.join(out, "report.html")))

    def unprivileged_copy(self):
        """The binary and the shipped capture where user nobody can reach them
        (the checkout may be under a directory only root may enter)."""
        exe = os.path.join(self.tmp, "tcpviz")
        shutil.copy(TCPVIZ, exe)
        os.chmod(exe, 0o755)
        shipped = os.path.join(self.tmp, "shipped.pcap")
        shutil.copy(os.path.join(ROOT, "tests", "captures", "handshake_data_fin.pcap"), shipped)
        os.chmod(shipped, 0o644)
        return exe, shipped

    def test_fallback_without_permission_to_capture(self):
        out = os.path.join(self.tmp, "fallback")
        exe, shipped = self.unprivileged_copy()
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", exe, "demo",
                            "--out", out, "--port", "0", "--fallback", shipped], capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn("showing the shipped capture", r.stderr.decode())
        with open(os.path.join(out, "timeline.json"), encoding="utf-8") as f:
            self.assertEqual(len(json.load(f)["events"]), 17)

    def test_without_permission_and_fallback_is_a_one_line_error(self):
        exe, _ = self.unprivileged_copy()
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", exe, "demo",
                            "--out", os.path.join(self.tmp, "x"), "--port", "0"], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith("tcpviz: error: lo: "))


    def test_serve_shows_the_students_live(self):
        # A stand-in for web/dist: serving the page is tested in serve_*, here the live session.
        web = os.path.join(self.tmp, "web")
        os.makedirs(os.path.join(web, "dist"))
        with open(os.path.join(web, "dist", "index.html"), "w") as f:
            f.write('<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
                    "<p>tcpviz page</p>")
        proc = subprocess.Popen([TCPVIZ, "demo", "--serve", "--port", "0", "--page-port", "0"],
                                env=dict(os.environ, TCPVIZ_WEB_DIR=web), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            lines = []
            for line in proc.stdout:
                lines.append(line)
                if line.startswith("demo: the students are done"):
                    break
            text = "".join(lines)
            self.assertIn("the students are done", text, proc.stderr.read() if proc.poll() is not None else "")
            m = re.search(r"^tcpviz serve: http://127\.0\.0\.1:(\d+)/$", text, re.M)
            self.assertTrue(m, text)
            self.assertIn("?live=1", text)

            def get(path):
                conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=10)
                try:
                    conn.request("GET", path)
                    return json.loads(conn.getresponse().read())
                finally:
                    conn.close()

            live = get("/api/info")["live_session"]
            self.assertIsNotNone(live)
            # The capture thread may still be analysing the last packets: a few seconds for the reset.
            for _ in range(50):
                conns = get("/api/sessions/%d/meta" % live)["connections"]
                if len(conns) == 3 and "rst" in [c["teardown"]["kind"] for c in conns]:
                    break
                time.sleep(0.1)
            self.assertEqual(len(conns), 3, conns)
            self.assertTrue(all(c["handshake"]["complete"] for c in conns))
            self.assertIn("rst", [c["teardown"]["kind"] for c in conns])
            events = get("/api/sessions/%d/events?from=0&count=2000" % live)["events"]
            self.assertIn("你好，同学们", "".join(e.get("payload", "") for e in events))
        finally:
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn("tcpviz serve: stopped", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
