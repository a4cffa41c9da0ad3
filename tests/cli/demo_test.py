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
        sender = [k for k in bulk["kernel"] if k["side"] == "client"]
        # The algorithm, as the kernel names it in every sample of bob's socket: the pinned reno,
        # not the host's default.
        self.assertEqual({k.get("cc") for k in sender}, {"reno"})
        self.assert_slow_start_then_avoidance(sender)
        text = r.stdout.decode()
        self.assertIn("demo: a path where slow start shows, built as you could type it:", text)
        self.assertIn("tbf rate 4000kbit", text)
        self.assertIn("reno pinned", text)
        self.assertIn("3 connections", text)
        # The planned drop's resend, found by its bytes in the timeline: the
        # terminal names its frame whatever flag Wireshark's rules give it.
        seen, resend = set(), None
        for e in t["events"]:
            if e["conn"] == bulk["id"] and e["dir"] == "c2s" and e.get("len", 0) > 0:
                if e["seq"] in seen:
                    resend = e
                    break
                seen.add(e["seq"])
        self.assertIsNotNone(resend, "the planned drop was resent")
        self.assertIn("the dropped segment (seq %d) went again in frame %d" % (resend["seq"], resend["frame"]), text)
        if shutil.which("node") and os.path.exists(os.path.join(ROOT, "web", "dist", "report-template.html")):
            self.assertTrue(os.path.exists(os.path.join(out, "report.html")))

    def assert_slow_start_then_avoidance(self, sender):
        """Issue 10: the teacher sees slow start as the course draws it, read
        from the kernel's own samples of bob's socket. Slow start: twice in a
        row, cwnd at least doubled within one and a half of the sample's own
        smoothed round trips (on a path whose only delay is a queue, the round
        trip grows with cwnd and this fails). Then a loss: ssthresh about half
        the peak. Then congestion avoidance: over at least a second, about one
        segment more per round trip."""
        self.assertGreaterEqual(len(sender), 20, sender)
        ends = [i for i, k in enumerate(sender) if k["ssthresh"] is not None]
        self.assertTrue(ends, "slow start never ended (no ssthresh in the samples)")
        slow = sender[:ends[0]]

        def doubled_from(i):
            """The first sample that holds twice sample i's cwnd, if within 1.5 of its round trips."""
            start = slow[i]
            for j in range(i + 1, len(slow)):
                if slow[j]["t"] > start["t"] + 1.5 * start["rtt_us"] / 1e6:
                    return None
                if slow[j]["cwnd"] >= 2 * start["cwnd"]:
                    return j
            return None

        runs = []
        for i in range(len(slow)):
            j = doubled_from(i)
            if j is not None and doubled_from(j) is not None:
                runs.append((slow[i]["cwnd"], slow[j]["cwnd"], slow[doubled_from(j)]["cwnd"]))
        self.assertTrue(runs, "cwnd did not double per round trip twice in a row: %s"
                        % [(round(k["t"], 3), k["cwnd"], k["rtt_us"]) for k in slow])
        peak = max(k["cwnd"] for k in slow)
        ssthresh = sender[ends[0]]["ssthresh"]
        self.assertTrue(0.35 * peak <= ssthresh <= 0.65 * peak, (peak, ssthresh))
        # Congestion avoidance: back in "open" after the recovery, to the end of the transfer.
        after = sender[ends[0]:]
        opened = [i for i, k in enumerate(after) if k["ca_state"] == "open"]
        self.assertTrue(opened, "never back to open after the loss")
        avoid = [k for k in after[opened[0]:] if k["ca_state"] == "open" and k["unacked"] >= k["cwnd"] - 1]
        self.assertGreaterEqual(len(avoid), 10, "too few cwnd-limited samples after the loss")
        first, last = avoid[0], avoid[-1]
        seconds = last["t"] - first["t"]
        self.assertGreaterEqual(seconds, 1.0, "congestion avoidance lasted only %.2f s" % seconds)
        rtt = sum(k["rtt_us"] for k in avoid) / len(avoid) / 1e6
        per_rtt = (last["cwnd"] - first["cwnd"]) / (seconds / rtt)
        self.assertTrue(0.3 <= per_rtt <= 3, "cwnd grew %.2f segments per round trip after the loss" % per_rtt)
        self.assertLess(last["cwnd"], 2 * first["cwnd"], "cwnd still doubling after the loss")

    @staticmethod
    def namespaces_of(proc):
        prefix = "demo-%d-" % proc.pid
        listing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        return [line.split()[0] for line in listing.splitlines() if line.startswith(prefix)]

    def test_ctrl_c_removes_the_namespaces(self):
        out = os.path.join(self.tmp, "interrupted")
        proc = subprocess.Popen([TCPVIZ, "demo", "--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(200):
            if self.namespaces_of(proc) or proc.poll() is not None:
                break
            time.sleep(0.02)
        self.assertTrue(self.namespaces_of(proc), "the demo made no namespace")
        time.sleep(0.5)  # the students are talking
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 130, stderr.decode())
        self.assertIn("interrupted; the namespaces it made are removed", stdout.decode())
        self.assertIn("finishing: Ctrl-C again stops now", stderr.decode())
        self.assertEqual(self.namespaces_of(proc), [], "namespaces left behind")

    def test_second_ctrl_c_stops_a_long_bulk_at_once(self):
        """A bulk of 100 MB would take some 200 s across the 4 Mbit/s path:
        the first Ctrl-C says it is finishing, the second stops the students
        within seconds, and the namespaces still go and the capture is written."""
        out = os.path.join(self.tmp, "stopped")
        proc = subprocess.Popen([TCPVIZ, "demo", "--out", out, "--bulk", "100000000"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            seen = []
            for line in proc.stdout:
                seen.append(line.decode())
                if line.startswith(b"demo: chat server on "):
                    break
            self.assertTrue(seen and seen[-1].startswith("demo: chat server on "), "".join(seen))
            self.assertTrue(self.namespaces_of(proc), "the demo made no namespace")
            time.sleep(2)  # the students are started, bob's bulk is crossing the path
            proc.send_signal(signal.SIGINT)
            time.sleep(1)
            self.assertIsNone(proc.poll(), "the first Ctrl-C ended the demo: it should let the students finish")
            proc.send_signal(signal.SIGINT)
            stopped = time.monotonic()
            stdout, stderr = proc.communicate(timeout=60)
            took = time.monotonic() - stopped
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 130, stderr.decode())
        self.assertLess(took, 10, "the second Ctrl-C took %.1f s to end the demo" % took)
        self.assertIn("finishing: Ctrl-C again stops now", stderr.decode())
        self.assertIn("interrupted; the namespaces it made are removed", stdout.decode())
        self.assertEqual(self.namespaces_of(proc), [], "namespaces left behind")
        # What was captured is written: bob's connection, with some of his bulk in it.
        with open(os.path.join(out, "timeline.json"), encoding="utf-8") as f:
            conns = json.load(f)["connections"]
        self.assertGreaterEqual(len(conns), 2, conns)
        self.assertGreater(max(c["counts"]["c2s"]["bytes"] for c in conns), 100 * 1000)

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
