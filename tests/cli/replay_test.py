#!/usr/bin/env python3
"""`tcpviz replay`: a timeline and its capture replay to the same ladder;
--conn, --step and --lang work; pacing follows --every; bad input is a
one-line error."""
import os
import subprocess
import tempfile
import time
import unittest

from pcap_cut import cut_records

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
CAPTURES = os.path.join(ROOT, "tests", "captures")


def tcpviz(*args, stdin=b""):
    return subprocess.run([TCPVIZ, *args], input=stdin, capture_output=True, timeout=60)


class Replay(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.timeline = os.path.join(cls.tmp, "port_reuse.json")
        subprocess.run([TCPVIZ, "analyze", os.path.join(CAPTURES, "port_reuse.pcap"), "-o", cls.timeline, "-q"], check=True)

    def test_timeline_and_capture_replay_the_same_ladder(self):
        from_json = tcpviz("replay", self.timeline, "--every", "0")
        from_pcap = tcpviz("replay", os.path.join(CAPTURES, "port_reuse.pcap"), "--every", "0")
        self.assertEqual(from_json.returncode, 0, from_json.stderr)
        self.assertEqual(from_json.stdout.decode(), from_pcap.stdout.decode())
        text = from_json.stdout.decode()
        self.assertIn("[reused_ports]", text)
        self.assertIn("conn 1:", text)

    def test_replays_agree_on_cut_and_damaged_headers(self):
        # Fast retransmissions (the timeline adds "retransmission" beside them),
        # options cut by the capture, a malformed header, and a header cut
        # before the window (shown as "?", null in the timeline).
        cut = os.path.join(self.tmp, "cut_before_window.pcap")
        with open(os.path.join(CAPTURES, "handshake_data_fin.pcap"), "rb") as src, open(cut, "wb") as dst:
            dst.write(cut_records(src.read(), 14 + 20 + 12))
        for capture in [os.path.join(CAPTURES, "loss_retrans.pcap"),
                        os.path.join(CAPTURES, "crafted", "truncated_options.pcap"),
                        os.path.join(CAPTURES, "crafted", "malformed_tcp.pcap"), cut]:
            timeline = os.path.join(self.tmp, os.path.basename(capture) + ".json")
            subprocess.run([TCPVIZ, "analyze", capture, "-o", timeline, "-q"], check=True)
            from_json = tcpviz("replay", timeline, "--every", "0", "--no-notes")
            from_pcap = tcpviz("replay", capture, "--every", "0", "--no-notes")
            self.assertEqual(from_json.returncode, 0, from_json.stderr)
            self.assertEqual(from_json.stdout.decode(), from_pcap.stdout.decode(), capture)
        text = from_pcap.stdout.decode()
        self.assertIn("- seq=? win=?", text)
        self.assertIn("[truncated]", text)

    def test_one_connection(self):
        out = tcpviz("replay", self.timeline, "--every", "0", "--conn", "1").stdout.decode()
        self.assertNotIn("conn 0:", out)
        self.assertIn("conn 1:", out)

    def test_chinese_notes_from_ids(self):
        out = tcpviz("replay", self.timeline, "--every", "0", "--lang", "zh").stdout.decode()
        self.assertIn("三次握手完成", out)

    def test_step_mode_waits_for_enter_and_stops_at_end_of_input(self):
        out = tcpviz("replay", self.timeline, "--step", "--no-notes", stdin=b"\n\n\n").stdout.decode()
        arrows = [l for l in out.splitlines() if "|--" in l or "|<" in l]
        self.assertEqual(len(arrows), 3)

    def test_pacing(self):
        start = time.monotonic()
        r = tcpviz("replay", os.path.join(CAPTURES, "refused.pcap"), "--every", "400")
        self.assertEqual(r.returncode, 0)
        self.assertGreaterEqual(time.monotonic() - start, 0.35)  # one pause between the two segments

    def test_bad_timelines_are_one_line_errors(self):
        bad = os.path.join(self.tmp, "bad.json")
        for content, reason in [(b'{"format": "other"}', "not a tcpviz timeline"),
                                (b'{"format": "tcpviz-timeline", "version": 2, "events": []}', "version"),
                                (b'{"format": ', "not valid JSON")]:
            with open(bad, "wb") as f:
                f.write(content)
            r = tcpviz("replay", bad)
            self.assertEqual(r.returncode, 2)
            lines = r.stderr.decode().splitlines()
            self.assertEqual(len(lines), 1, lines)
            self.assertIn(reason, lines[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
