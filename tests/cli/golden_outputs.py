#!/usr/bin/env python3
"""Golden files: the text ladder of a handshake + teardown (English and
Chinese, with notes), a refused connection, and the JSON timeline of the
demo capture, which the web tests also read.

  UPDATE_GOLDEN=1 golden_outputs.py    rewrites the golden files
"""
import os
import unittest

from golden_files import GOLDEN, check_cases

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
        check_cases(self, CASES)

    def test_ladder_fits_80_columns_for_ascii_lines(self):
        with open(os.path.join(GOLDEN, "handshake_data_fin.ladder.txt"), encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#"):
                    self.assertLessEqual(len(line.rstrip("\n")), 80, line)


if __name__ == "__main__":
    unittest.main(verbosity=2)
