#!/usr/bin/env python3
"""Golden files of `tcpviz analyze --format layers` and `--format stream`, in
English and Chinese, and their bad-input cases (one-line errors, exit 2).

  UPDATE_GOLDEN=1 golden_views.py    rewrites the golden files
"""
import os
import unittest

from golden_files import analyze as run, check_cases

CASES = [
    # (golden file, capture under tests/captures, extra arguments)
    ("handshake_data_fin.layers-en.txt", "handshake_data_fin.pcap", ["--format", "layers"]),
    ("handshake_data_fin.layers-zh.txt", "handshake_data_fin.pcap", ["--format", "layers", "--lang", "zh"]),
    ("any_sll2.syn.layers-en.txt", "any_sll2.pcap", ["--format", "layers", "--frame", "1"]),
    ("any_sll.layers-zh.txt", "any_sll.pcap", ["--format", "layers", "--frame", "4", "--lang", "zh"]),
    ("ipv6_extension_headers.layers-en.txt", "crafted/ipv6_extension_headers.pcap", ["--format", "layers"]),
    ("ipv4_options.layers-en.txt", "crafted/ipv4_options_fragment.pcap", ["--format", "layers", "--frame", "4"]),
    ("truncated_options.layers-en.txt", "crafted/truncated_options.pcap", ["--format", "layers", "--frame", "1"]),
    ("handshake_data_fin.stream-en.txt", "handshake_data_fin.pcap", ["--format", "stream"]),
    ("handshake_data_fin.stream-zh.txt", "handshake_data_fin.pcap", ["--format", "stream", "--lang", "zh"]),
    ("out_of_order.stream-en.txt", "crafted/out_of_order.pcap", ["--format", "stream"]),
    ("out_of_order.stream-zh.txt", "crafted/out_of_order.pcap", ["--format", "stream", "--lang", "zh"]),
    ("hostile_payload.stream-en.txt", "crafted/hostile_payload.pcap", ["--format", "stream"]),
]


class GoldenViews(unittest.TestCase):
    def test_outputs_match_golden_files(self):
        check_cases(self, CASES)

    def test_no_control_byte_reaches_the_terminal(self):
        for args in (["--format", "stream"], ["--format", "layers", "--frame", "4"], ["--format", "layers", "--frame", "6"]):
            r = run(os.path.join("tests", "captures", "crafted", "hostile_payload.pcap"), *args)
            self.assertEqual(r.returncode, 0, r.stderr.decode())
            text = r.stdout.decode()
            self.assertFalse(any(ord(c) < 0x20 and c != "\n" for c in text), args)
            self.assertNotIn("\u2028", text)
            self.assertNotIn("\x7f", text)

    def test_chinese_outputs_name_fields_in_chinese(self):
        layers = run("tests/captures/handshake_data_fin.pcap", "--format", "layers", "--lang", "zh").stdout.decode()
        for word in ("源端口", "序号", "确认号", "传输层", "网络层", "链路层"):
            self.assertIn(word, layers)
        for word in ("source port", "sequence number", "bytes"):
            self.assertNotIn(word, layers)
        stream = run("tests/captures/handshake_data_fin.pcap", "--format", "stream", "--lang", "zh").stdout.decode()
        self.assertIn("连接 0", stream)
        self.assertNotIn("frame", stream)

    def test_a_range_of_frames_shows_each(self):
        r = run("tests/captures/handshake_data_fin.pcap", "--format", "layers", "--frame", "1-2,4")
        self.assertEqual(r.returncode, 0)
        heads = [l for l in r.stdout.decode().splitlines() if l.startswith("# tcpviz layers:")]
        self.assertEqual([h.split(", ")[1] for h in heads], ["frame 1", "frame 2", "frame 4"])

    def test_bad_frame_selections_are_one_line_errors(self):
        for frames, message in (("99", "no frame 99 in the capture (it has 17 frames)"), ("abc", "--frame wants"),
                                ("0", "--frame wants"), ("5-3", "--frame wants"), ("1-99999999", "more than")):
            with self.subTest(frames=frames):
                r = run("tests/captures/handshake_data_fin.pcap", "--format", "layers", "--frame", frames)
                self.assertEqual(r.returncode, 2)
                err = r.stderr.decode()
                self.assertEqual(err.count("\n"), 1, err)
                self.assertTrue(err.startswith("tcpviz: error: "), err)
                self.assertIn(message, err)
                self.assertEqual(r.stdout, b"")


if __name__ == "__main__":
    unittest.main(verbosity=2)
