#!/usr/bin/env python3
"""`tcpviz analyze` on bad input: one line `tcpviz: error: FILE: reason`, exit 2;
a file cut in the middle of a packet: the timeline of what was read plus a
warning; standard input works; options are checked."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from pcap_cut import cut_records

TCPVIZ = os.environ.get("TCPVIZ", "tcpviz")
CAPTURES = os.environ.get("CAPTURES", os.path.join(os.path.dirname(__file__), "..", "captures"))
GOOD = os.path.join(CAPTURES, "handshake_data_fin.pcap")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run(args, stdin=None):
    return subprocess.run([TCPVIZ] + args, input=stdin, capture_output=True, timeout=30)


class ErrorsAreOneLine(unittest.TestCase):
    def assert_one_line_error(self, result, path, reason_part):
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = result.stderr.decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith(f"tcpviz: error: {path}: "), lines[0])
        self.assertIn(reason_part, lines[0])
        self.assertEqual(result.stdout, b"")

    def test_missing_file(self):
        self.assert_one_line_error(run(["analyze", "/nonexistent/x.pcap"]), "/nonexistent/x.pcap", "No such file")

    def test_directory(self):
        self.assert_one_line_error(run(["analyze", CAPTURES]), CAPTURES, "directory")

    def test_text_file_is_not_a_capture(self):
        with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
            f.write(b"this is not a capture file at all, just some text\n" * 3)
        try:
            self.assert_one_line_error(run(["analyze", f.name]), f.name, "not a pcap or pcapng")
        finally:
            os.unlink(f.name)

    def test_empty_file(self):
        with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
            pass
        try:
            self.assert_one_line_error(run(["analyze", f.name]), f.name, "")
        finally:
            os.unlink(f.name)

    def test_unreadable_file(self):
        if os.geteuid() == 0:
            # root reads everything; use a path whose parent is not a directory instead
            self.assert_one_line_error(run(["analyze", GOOD + "/x"]), GOOD + "/x", "Not a directory")
            return
        with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
            os.chmod(f.name, 0)
        try:
            self.assert_one_line_error(run(["analyze", f.name]), f.name, "Permission denied")
        finally:
            os.unlink(f.name)

    def test_bad_filter(self):
        self.assert_one_line_error(run(["analyze", GOOD, "--filter", "tcp port banana"]), GOOD, "bad filter")

    def test_unwritable_output(self):
        r = run(["analyze", GOOD, "-o", "/nonexistent/dir/out.json"])
        self.assert_one_line_error(r, "/nonexistent/dir/out.json", "No such file")

    def test_unknown_format_is_a_usage_error(self):
        r = run(["analyze", GOOD, "--format", "xml"])
        self.assertEqual(r.returncode, 2)


class PartialFiles(unittest.TestCase):
    def test_file_cut_inside_a_packet_gives_timeline_and_warning(self):
        data = read(GOOD)
        with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
            f.write(data[: len(data) - 30])
        try:
            r = run(["analyze", f.name, "--quiet"])
            self.assertEqual(r.returncode, 0, r.stderr)
            timeline = json.loads(r.stdout)
            self.assertEqual(len(timeline["events"]), 16)  # the 17th packet was cut
            self.assertEqual(len(timeline["stats"]["warnings"]), 1)
            err = r.stderr.decode().splitlines()
            self.assertEqual(len(err), 1)
            self.assertTrue(err[0].startswith(f"tcpviz: warning: {f.name}: the file ends in the middle of a packet"))
        finally:
            os.unlink(f.name)

    def test_tcp_header_cut_before_the_ports_is_counted_and_named(self):
        # Ethernet 14 + IPv4 20 + 2 bytes of TCP: not even both ports, so
        # Wireshark shows no TCP; tcpviz counts the frames and warns.
        with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
            f.write(cut_records(read(GOOD), 36))
        try:
            r = run(["analyze", f.name, "--quiet"])
            self.assertEqual(r.returncode, 0, r.stderr)
            timeline = json.loads(r.stdout)
            self.assertEqual(timeline["events"], [])
            self.assertEqual(timeline["stats"]["tcp_without_ports"], 17)
            self.assertEqual(timeline["stats"]["undecodable"], 17)
            err = r.stderr.decode().splitlines()
            self.assertEqual(len(err), 1)
            self.assertIn("17 TCP packets kept too little of the TCP header to show even the ports", err[0])
        finally:
            os.unlink(f.name)

    def test_standard_input(self):
        r = run(["analyze", "-", "--format", "ndjson"], stdin=read(GOOD))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.decode().splitlines()]
        self.assertEqual(sum(1 for l in lines if l["type"] == "event"), 17)
        self.assertEqual(lines[0]["type"], "header")
        self.assertEqual(lines[-1]["type"], "stats")

    def test_filter_keeps_capture_frame_numbers(self):
        r = run(["analyze", os.path.join(CAPTURES, "port_reuse.pcap"), "--filter", "tcp[tcpflags] & tcp-syn != 0"])
        self.assertEqual(r.returncode, 0, r.stderr)
        frames = [e["frame"] for e in json.loads(r.stdout)["events"]]
        self.assertEqual(len(frames), 4)
        self.assertNotEqual(frames, [1, 2, 3, 4])

    def test_no_payload(self):
        r = run(["analyze", GOOD, "--no-payload"])
        self.assertTrue(all(e["payload"] == "" for e in json.loads(r.stdout)["events"]))
        r = run(["analyze", GOOD, "--payload-bytes", "3"])
        self.assertIn("hel", [e["payload"] for e in json.loads(r.stdout)["events"]])


if __name__ == "__main__":
    unittest.main(verbosity=2)
