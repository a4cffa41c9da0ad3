#!/usr/bin/env python3
"""Golden files: the text ladder of a handshake + teardown (English and
Chinese, with notes), a refused connection, and the JSON timeline of the
demo capture, which the web tests also read.

  UPDATE_GOLDEN=1 golden_outputs.py    rewrites the golden files
"""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
GOLDEN = os.path.join(ROOT, "tests", "golden")

CASES = [
    # (golden file, capture, extra arguments)
    ("handshake_data_fin.ladder.txt", "handshake_data_fin.pcap", ["--format", "text"]),
    ("handshake_data_fin.notes-en.txt", "handshake_data_fin.pcap", ["--format", "text", "--notes"]),
    ("handshake_data_fin.notes-zh.txt", "handshake_data_fin.pcap", ["--format", "text", "--notes", "--lang", "zh"]),
    ("refused.notes-en.txt", "refused.pcap", ["--format", "text", "--notes"]),
    ("simultaneous_close.ladder.txt", "simultaneous_close.pcap", ["--format", "text"]),
    ("handshake_data_fin.json", "handshake_data_fin.pcap", ["--format", "json"]),
]


class Golden(unittest.TestCase):
    def test_outputs_match_golden_files(self):
        for golden, capture, args in CASES:
            with self.subTest(golden=golden):
                # Run from the repository root with a relative path, so the
                # file name written into the output is the same everywhere.
                r = subprocess.run([TCPVIZ, "analyze", os.path.join("tests", "captures", capture), "--quiet"] + args,
                                   capture_output=True, check=True, cwd=ROOT)
                path = os.path.join(GOLDEN, golden)
                if os.environ.get("UPDATE_GOLDEN"):
                    with open(path, "wb") as f:
                        f.write(r.stdout)
                    continue
                with open(path, "rb") as f:
                    expected = f.read()
                self.assertEqual(expected.decode(), r.stdout.decode(),
                                 f"{golden} differs; if the change is intended, rerun with UPDATE_GOLDEN=1")

    def test_ladder_fits_80_columns_for_ascii_lines(self):
        with open(os.path.join(GOLDEN, "handshake_data_fin.ladder.txt"), encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#"):
                    self.assertLessEqual(len(line.rstrip("\n")), 80, line)


if __name__ == "__main__":
    unittest.main(verbosity=2)
