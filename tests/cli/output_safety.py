#!/usr/bin/env python3
"""Outputs never destroy inputs (issue 13.2): an output that is the input
capture or another output is refused with a one-line error and exit 2,
whatever links lead to it; every output is written to a temporary file and
renamed into place, so a failed run leaves what was there. After every case
the input capture's bytes are unchanged. For analyze, capture (-w,
--timeline) and demo (its four files)."""
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import unittest

TCPVIZ = os.environ.get("TCPVIZ", "tcpviz")
CAPTURES = os.environ.get("CAPTURES", os.path.join(os.path.dirname(__file__), "..", "captures"))
GOOD = os.path.join(CAPTURES, "handshake_data_fin.pcap")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class OutputsNeverDestroyInputs(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.capture = os.path.join(self.dir, "c.pcap")
        shutil.copyfile(GOOD, self.capture)
        self.before = digest(self.capture)

    def tearDown(self):
        # Whatever happened, the capture is as it was and no temporary file is left.
        self.assertEqual(digest(self.capture), self.before, "the input capture was changed")
        left = [n for n in os.listdir(self.dir) if ".tcpviz-" in n]
        self.assertEqual(left, [], "temporary files left behind")
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def run_tcpviz(self, args, **kwargs):
        return subprocess.run([TCPVIZ] + args, capture_output=True, timeout=60, **kwargs)

    def assert_refused(self, result, path, reason_part):
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = result.stderr.decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith(f"tcpviz: error: {path}: "), lines[0])
        self.assertIn(reason_part, lines[0])

    def test_output_that_is_the_input(self):
        r = self.run_tcpviz(["analyze", self.capture, "-o", self.capture])
        self.assert_refused(r, self.capture, "is the input")

    def test_html_that_is_the_input(self):
        r = self.run_tcpviz(["analyze", self.capture, "--html", self.capture])
        self.assert_refused(r, self.capture, "is the input")

    def test_output_through_a_symbolic_link_to_the_input(self):
        link = self.path("link.json")
        os.symlink("c.pcap", link)
        r = self.run_tcpviz(["analyze", self.capture, "-o", link])
        self.assert_refused(r, link, "is the input")
        self.assertTrue(os.path.islink(link))

    def test_output_through_a_hard_link_to_the_input(self):
        link = self.path("hard.json")
        os.link(self.capture, link)
        r = self.run_tcpviz(["analyze", self.capture, "-o", link])
        self.assert_refused(r, link, "is the input")

    def test_input_by_another_name(self):
        os.mkdir(self.path("x"))
        other_name = os.path.join(self.dir, "x", "..", "c.pcap")
        r = self.run_tcpviz(["analyze", self.capture, "-o", other_name])
        self.assert_refused(r, other_name, "is the input")

    def test_standard_input_that_is_the_output(self):
        with open(self.capture, "rb") as stdin:
            r = self.run_tcpviz(["analyze", "-", "-o", self.capture], stdin=stdin)
        self.assert_refused(r, self.capture, "is the input")

    def test_standard_output_that_is_the_input(self):
        with open(self.capture, "ab") as stdout:
            r = subprocess.run([TCPVIZ, "analyze", self.capture], stdout=stdout, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is the input", r.stderr.decode())

    def test_two_outputs_that_are_one_file(self):
        out = self.path("out.json")
        r = self.run_tcpviz(["analyze", self.capture, "-o", out, "--html", out])
        self.assert_refused(r, out, "is also the -o output")
        self.assertFalse(os.path.exists(out))

    def test_two_outputs_one_a_link_to_the_other(self):
        out = self.path("out.json")
        with open(out, "w") as f:
            f.write("old")
        link = self.path("out.html")
        os.symlink(out, link)
        r = self.run_tcpviz(["analyze", self.capture, "-o", out, "--html", link])
        self.assert_refused(r, link, "is also the -o output")
        with open(out) as f:
            self.assertEqual(f.read(), "old")

    def test_dev_null_twice_is_fine(self):
        r = self.run_tcpviz(["analyze", self.capture, "-q", "-o", "/dev/null"], stdout=None)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_failed_run_leaves_what_was_there(self):
        out = self.path("timeline.json")
        with open(out, "w") as f:
            f.write("the previous timeline")
        damaged = self.path("damaged.pcap")
        with open(GOOD, "rb") as f:
            data = f.read()
        with open(damaged, "wb") as f:
            f.write(data[:200] + b"\xff" * 64 + data[264:])  # a record header with an absurd length
        r = self.run_tcpviz(["analyze", damaged, "-o", out])
        self.assertEqual(r.returncode, 2, r.stderr)
        with open(out) as f:
            self.assertEqual(f.read(), "the previous timeline")

    def test_a_good_run_replaces_the_file_and_keeps_its_permissions(self):
        out = self.path("timeline.json")
        with open(out, "w") as f:
            f.write("old")
        os.chmod(out, 0o640)
        r = self.run_tcpviz(["analyze", self.capture, "-o", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            self.assertTrue(f.read().startswith('{"format":"tcpviz-timeline"'))
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o640)

    def test_writing_through_a_symbolic_link_writes_its_target(self):
        target = self.path("target.json")
        with open(target, "w") as f:
            f.write("old")
        link = self.path("link.json")
        os.symlink("target.json", link)
        r = self.run_tcpviz(["analyze", self.capture, "-o", link])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.islink(link))
        with open(target) as f:
            self.assertTrue(f.read().startswith('{"format"'))

    def test_demo_fallback_that_is_the_demo_capture(self):
        os.mkdir(self.path("demo"))
        inside = os.path.join(self.dir, "demo", "session.pcap")
        shutil.copyfile(GOOD, inside)
        before = digest(inside)
        # Refused before anything is captured or copied.
        r = self.run_tcpviz(["demo", "--out", self.path("demo"), "--fallback", inside, "--host-loopback"])
        self.assertEqual(digest(inside), before, "the fallback capture was changed")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is the input", r.stderr.decode())


    # tcpviz demo: its four files are outputs too.
    def test_demo_files_that_are_one_file(self):
        demo = self.path("demo")
        os.mkdir(demo)
        with open(os.path.join(demo, "session.pcap"), "w") as f:
            f.write("old")
        os.symlink("session.pcap", os.path.join(demo, "ladder.txt"))
        r = self.run_tcpviz(["demo", "--out", demo, "--fallback", self.capture, "--host-loopback"])
        self.assert_refused(r, os.path.join(demo, "ladder.txt"), "is also the session output")
        with open(os.path.join(demo, "session.pcap")) as f:
            self.assertEqual(f.read(), "old")

    def test_demo_file_that_links_to_the_fallback(self):
        demo = self.path("demo")
        os.mkdir(demo)
        os.symlink(self.capture, os.path.join(demo, "timeline.json"))
        r = self.run_tcpviz(["demo", "--out", demo, "--fallback", self.capture, "--host-loopback"])
        self.assert_refused(r, os.path.join(demo, "timeline.json"), "is the input")


class CaptureOutputs(unittest.TestCase):
    """tcpviz capture -w and --timeline: refused when they are one file; written
    beside their targets and renamed into place when the capture ends."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        left = [n for n in os.listdir(self.dir) if ".tcpviz-" in n]
        self.assertEqual(left, [], "temporary files left behind")
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def old_file(self, name):
        path = self.path(name)
        with open(path, "w") as f:
            f.write("the previous capture")
        return path

    def assert_unchanged(self, path):
        with open(path) as f:
            self.assertEqual(f.read(), "the previous capture")

    def test_pcap_and_timeline_that_are_one_file(self):
        out = self.old_file("both")
        r = subprocess.run([TCPVIZ, "capture", "-w", out, "--timeline", out, "--duration", "1"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.decode(), f"tcpviz: error: {out}: is also the -w output; refusing to write over it\n")
        self.assert_unchanged(out)

    def test_timeline_through_a_link_to_the_pcap(self):
        out = self.old_file("c.pcap")
        link = self.path("t.json")
        os.symlink("c.pcap", link)
        r = subprocess.run([TCPVIZ, "capture", "-w", out, "--timeline", link, "--duration", "1"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is also the -w output", r.stderr.decode())
        self.assert_unchanged(out)

    def test_a_capture_that_cannot_start_leaves_what_was_there(self):
        pcap, timeline = self.old_file("c.pcap"), self.old_file("t.json")
        r = subprocess.run([TCPVIZ, "capture", "-i", "nosuchif0", "-w", pcap, "--timeline", timeline,
                            "--duration", "1"], capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assert_unchanged(pcap)
        self.assert_unchanged(timeline)

    def test_files_are_renamed_into_place_when_the_capture_ends(self):
        self.assertEqual(os.geteuid(), 0, "capturing needs root (CI runs as root); this test does not skip")
        pcap, timeline = self.old_file("c.pcap"), self.old_file("t.json")
        proc = subprocess.Popen([TCPVIZ, "capture", "-q", "--filter", "tcp port 9", "-w", pcap, "--timeline", timeline,
                                 "--duration", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            time.sleep(1.5)
            # While it runs, the targets are what they were and the new files are being written beside them.
            self.assert_unchanged(pcap)
            self.assert_unchanged(timeline)
            writing = [n for n in os.listdir(self.dir) if ".tcpviz-" in n]
            self.assertEqual(len(writing), 2, writing)
        finally:
            _, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        with open(pcap, "rb") as f:
            self.assertIn(f.read(4), (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"))
        with open(timeline) as f:
            self.assertTrue(f.read().startswith('{"format":"tcpviz-timeline"'))


if __name__ == "__main__":
    unittest.main(verbosity=2)
