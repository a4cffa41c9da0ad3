#!/usr/bin/env python3
"""`tcpviz serve --live`: chat lines sent over the loopback of a network
namespace of our own reach a page's Server-Sent Events stream as `segment`
events, with their capture timestamps, in order, with the connection and the
kernel's TCP_INFO samples; a burst is aggregated; a client that never reads
does not hold up the others. Needs root (namespaces, capture): fails without."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_helpers import TCPVIZ, Server, make_page_dir  # noqa: E402

NS = "serve-live-%d" % os.getpid()
CHAT_PORT = 6666


class SseReader(threading.Thread):
    """Reads /api/live/events, keeping (event, data, arrival time)."""

    def __init__(self, host, port):
        super().__init__(daemon=True)
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.conn.request("GET", "/api/live/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200, self.response.status
        assert self.response.getheader("Content-Type").startswith("text/event-stream")
        self.events = []
        self.lock = threading.Lock()
        self.start()

    def run(self):
        event, data = None, None
        try:
            while True:
                line = self.response.fp.readline()
                if not line:
                    return
                line = line.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif line == "" and event:
                    with self.lock:
                        self.events.append((event, json.loads(data), time.time()))
                    event, data = None, None
        except (OSError, ValueError, AttributeError):  # AttributeError: closed by the test
            return

    def of(self, kind):
        with self.lock:
            return [(d, t) for e, d, t in self.events if e == kind]

    def wait_for(self, predicate, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(0.02)
        return False


class ServeLive(unittest.TestCase):
    """Runs inside the namespace (see main)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        secret = os.path.join(cls.tmp, "secret")
        open(secret, "w").close()
        make_page_dir(cls.tmp, secret)
        cls.chat = subprocess.Popen([TCPVIZ, "chat", "server", "--port", str(CHAT_PORT), "--bind", "127.0.0.1", "-q"])
        time.sleep(0.3)
        cls.server = Server(["--live", "-i", "lo", "--filter", "tcp port %d" % CHAT_PORT], cls.tmp)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.chat.terminate()
        cls.chat.wait(10)
        shutil.rmtree(cls.tmp)
        assert code == 0, code

    def chat_client(self):
        s = socket.create_connection(("127.0.0.1", CHAT_PORT), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def test_1_chat_lines_arrive_as_segments_with_their_capture_time(self):
        info = self.server.get_json("/api/info")
        self.assertTrue(info["live"])
        live_id = info["live_session"]
        reader = SseReader(self.server.host, self.server.port)
        self.assertTrue(reader.wait_for(lambda: reader.of("hello")), "no hello")
        self.assertEqual(reader.of("hello")[0][0]["session"], live_id)

        client = self.chat_client()
        sent = {}
        for k in range(10):
            line = "line %d from the test" % k
            sent[line] = time.time()
            client.sendall((line + "\n").encode())
            time.sleep(0.15)

        def seen_all():
            payloads = [d["payload"] for d, _ in reader.of("segment") if d["dir"] == "c2s" or True]
            return all(any(line in p for p in payloads) for line in sent)
        self.assertTrue(reader.wait_for(seen_all, 10), [d["payload"] for d, _ in reader.of("segment")])

        delays = []
        segments = reader.of("segment")
        for line, when in sent.items():
            data, arrived = next((d, t) for d, t in segments if line in d["payload"] and d["len"] > 0)
            # The capture timestamp is the moment it went over the wire: after we sent it, and soon.
            self.assertGreaterEqual(data["wall"], when - 0.01, line)
            self.assertLess(data["wall"], when + 1.0, line)
            delays.append(arrived - data["wall"])
            self.assertLess(arrived - data["wall"], 1.0, line)
        print("live: wire to SSE arrival, median %.1f ms, max %.1f ms" %
              (statistics.median(delays) * 1000, max(delays) * 1000), file=sys.stderr)

        # Indexes are consecutive, and the kept events equal what was pushed.
        indexes = [d["index"] for d, _ in segments]
        self.assertEqual(indexes, list(range(indexes[0], indexes[0] + len(indexes))))
        kept = self.server.get_json("/api/sessions/%d/events?from=%d&count=2000" % (live_id, indexes[0]))
        pushed = [{k: v for k, v in d.items() if k not in ("index", "wall")} for d, _ in segments]
        self.assertEqual(kept["events"][:len(pushed)], pushed)

        # The connection was announced, and the kernel's samples of its sockets came.
        conns = reader.of("connection")
        self.assertTrue(conns)
        self.assertEqual(conns[0][0]["server"]["port"], CHAT_PORT)
        self.assertTrue(reader.wait_for(lambda: reader.of("kernel"), 5), "no kernel samples")
        sample = reader.of("kernel")[0][0]
        self.assertIn(sample["sample"]["side"], ("client", "server"))
        self.assertGreater(sample["sample"]["cwnd"], 0)
        meta = self.server.get_json("/api/sessions/%d/meta" % live_id)
        self.assertTrue(meta["connections"][sample["conn"]]["kernel"])
        series = self.server.get_json("/api/sessions/%d/series?conn=%d&kind=kernel" % (live_id, sample["conn"]))
        self.assertTrue(any(s["t"] for s in series["series"] if s["name"].endswith("_cwnd")))
        client.close()
        reader.conn.close()

    def test_2_a_burst_is_aggregated_and_a_stalled_page_holds_nobody_up(self):
        # A page that never reads: its socket buffers fill, its queue overflows.
        stalled = socket.create_connection((self.server.host, self.server.port))
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.sendall(b"GET /api/live/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        reader = SseReader(self.server.host, self.server.port)
        self.assertTrue(reader.wait_for(lambda: reader.of("hello")))
        client = self.chat_client()
        # Thousands of small writes with Nagle off: thousands of segments in well under a second.
        started = time.time()
        for k in range(30000):
            client.send(b"burst %05d\n" % k)
        burst_seconds = time.time() - started
        self.assertTrue(reader.wait_for(lambda: reader.of("aggregate"), 10),
                        "no aggregate during a burst: %d segments pushed, burst took %.2f s" %
                        (len(reader.of("segment")), burst_seconds))
        agg = reader.of("aggregate")[0][0]
        self.assertEqual(agg["reason"], "rate")
        self.assertGreater(agg["segments"], 0)
        self.assertGreaterEqual(agg["to_index"] - agg["from_index"], agg["segments"])
        # After the burst, single lines still arrive promptly to the page that reads.
        time.sleep(1.0)
        client.sendall(b"after the burst\n")
        self.assertTrue(reader.wait_for(lambda: any("after the burst" in d["payload"] for d, _ in reader.of("segment")), 5))
        client.close()
        stalled.close()
        reader.conn.close()


    def test_3_more_than_64_streams_are_refused_with_503(self):
        # Streams of the tests before are given back within seconds (the stalled
        # one after the write timeout): until then, some of the 64 may be refused.
        deadline = time.time() + 20
        while True:
            streams, refused = [], 0
            for _ in range(64):
                s = socket.create_connection((self.server.host, self.server.port), timeout=10)
                s.sendall(b"GET /api/live/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                head = s.recv(4096)
                refused += head.startswith(b"HTTP/1.1 503")
                streams.append(s)
            if refused == 0 or time.time() > deadline:
                break
            for s in streams:
                s.close()
            time.sleep(1)
        self.assertEqual(refused, 0, "64 streams could not be opened")
        status, _, body = self.server.request("/api/live/events")
        self.assertEqual(status, 503, body)
        self.assertIn(b"too many live streams", body)
        self.assertEqual(self.server.get_json("/api/info")["live"], True)  # the API still answers
        for s in streams:
            s.close()
        # Closed streams give their places back (noticed at the next idle write, within seconds).
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                reader = SseReader(self.server.host, self.server.port)
            except AssertionError:
                time.sleep(0.5)
                continue
            ok = reader.wait_for(lambda: reader.of("hello"), 2)
            reader.conn.close()
            if ok:
                return
        self.fail("closed streams did not give their places back")


class Classroom(unittest.TestCase):
    def test_classroom_prints_what_students_type_and_streams_their_lines(self):
        tmp = tempfile.mkdtemp()
        secret = os.path.join(tmp, "secret")
        open(secret, "w").close()
        make_page_dir(tmp, secret)
        proc = subprocess.Popen([TCPVIZ, "classroom", "--chat-port", "6677", "--port", "0"],
                                env=dict(os.environ, TCPVIZ_WEB_DIR=tmp), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            lines = [proc.stdout.readline() for _ in range(5)]
            text = "".join(lines)
            url = re.search(r"http://127\.0\.0\.1:(\d+)/", text)
            self.assertTrue(url, text)
            self.assertIn("tcpviz chat client --host 127.0.0.1 --port 6677", text)
            self.assertIn("nc 127.0.0.1 6677", text)
            self.assertIn("?live=1", text)
            reader = SseReader("127.0.0.1", int(url.group(1)))
            self.assertTrue(reader.wait_for(lambda: reader.of("hello")))
            student = socket.create_connection(("127.0.0.1", 6677), timeout=10)
            student.sendall(b"a student says hi\n")
            self.assertTrue(reader.wait_for(
                lambda: any("a student says hi" in d["payload"] for d, _ in reader.of("segment")), 5))
            student.close()
            reader.conn.close()
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(20), 0, proc.stderr.read())
            proc.stdout.close()
            proc.stderr.close()
            shutil.rmtree(tmp)


def inside_namespace():
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    result = unittest.main(argv=[sys.argv[0]], exit=False).result
    return 0 if result.wasSuccessful() else 1


def main():
    if "--inside" in sys.argv:
        sys.exit(inside_namespace())
    if os.geteuid() != 0 or not shutil.which("ip"):
        print("serve_live_test: FAIL: needs root and iproute2 (network namespaces, live capture)", file=sys.stderr)
        sys.exit(1)

    def cleanup(*_):
        subprocess.run(["ip", "netns", "pids", NS], capture_output=True)
        pids = subprocess.run(["ip", "netns", "pids", NS], capture_output=True, text=True).stdout.split()
        for p in pids:
            try:
                os.kill(int(p), signal.SIGKILL)
            except OSError:
                pass
        subprocess.run(["ip", "netns", "del", NS], capture_output=True)

    signal.signal(signal.SIGTERM, lambda *_: (cleanup(), sys.exit(1)))
    signal.signal(signal.SIGINT, lambda *_: (cleanup(), sys.exit(1)))
    cleanup()
    subprocess.run(["ip", "netns", "add", NS], check=True)
    try:
        r = subprocess.run(["ip", "netns", "exec", NS, sys.executable, os.path.abspath(__file__), "--inside"],
                           env=dict(os.environ, TCPVIZ=os.path.abspath(TCPVIZ)), timeout=240)
        sys.exit(r.returncode)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
