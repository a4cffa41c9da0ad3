#!/usr/bin/env python3
"""`tcpviz site`: an index of sessions linking to self-contained reports, from
captures and from timelines; hostile strings stay text; bad input is a
one-line error."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
CAPTURES = os.path.join(ROOT, "tests", "captures")


class Site(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_index_lists_every_session_and_links_its_report(self):
        # A timeline whose strings are hostile, given as a file with a hostile name.
        timeline = os.path.join(self.tmp, "<b>term1.json")
        subprocess.run([TCPVIZ, "analyze", os.path.join(CAPTURES, "crafted", "hostile_payload.pcap"), "-o", timeline, "-q"],
                       check=True)
        with open(timeline, encoding="utf-8") as f:
            t = json.load(f)
        t["source"]["file"] = "</script><script>alert(9)</script>"
        with open(timeline, "w", encoding="utf-8") as f:
            json.dump(t, f, ensure_ascii=False)  # raw < > in strings, as another tool might write
        site = os.path.join(self.tmp, "site")
        r = subprocess.run([TCPVIZ, "site", site, os.path.join(CAPTURES, "handshake_data_fin.pcap"),
                            os.path.join(CAPTURES, "refused.pcap"), timeline, "--title", "Week <1>"],
                           capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(site, "index.html"), encoding="utf-8") as f:
            index = f.read()
        self.assertIn("Week &lt;1&gt;", index)
        links = re.findall(r'href="([^"]+)"', index)
        self.assertEqual(sorted(links), sorted(["handshake_data_fin.html", "refused.html", "_b_term1.html"]))
        for link in links:
            with open(os.path.join(site, link), encoding="utf-8") as f:
                report = f.read()
            self.assertNotIn("__TCPVIZ_TIMELINE__", report)
            self.assertNotIn("alert(9)</script>", report)
            self.assertNotIn("alert(1)</script>", report)
        self.assertIn("<svg class=\"spark\"", index)

    def test_bad_input_is_a_one_line_error(self):
        bad = os.path.join(self.tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"format": "something-else"}')
        r = subprocess.run([TCPVIZ, "site", os.path.join(self.tmp, "s"), bad], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.decode().splitlines()), 1)
        self.assertIn("not a tcpviz timeline", r.stderr.decode())


if __name__ == "__main__":
    unittest.main(verbosity=2)
