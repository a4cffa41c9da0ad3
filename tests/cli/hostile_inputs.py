#!/usr/bin/env python3
"""Issue 13's attack cases against replay, site, the text ladder and the
command line: timelines of the wrong shape, control bytes meant for the
terminal, a capture named like the site's index, CLI11's own errors. Each
must end in a correct result or one line `tcpviz: error: WHAT: reason` and
exit 2, never an abort."""
import copy
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import capture_writer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
CAPTURES = os.path.join(ROOT, "tests", "captures")

# What a terminal must never receive from a capture or a timeline: C0 controls
# other than the newline, DEL, C1 controls (UTF-8 C2 80..C2 9F), bidi
# embeddings/overrides/isolates/marks, line and paragraph separators.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
HOSTILE = "\x1b]0;owned\x07\x1b[2J\u009b31m\u202eevil\u2066\x00"


def run(*args, stdin=b""):
    return subprocess.run([TCPVIZ, *args], input=stdin, capture_output=True, timeout=120)


def terminal_unsafe(output):
    text = output.decode("utf-8", errors="replace")
    return UNSAFE.findall(text)


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.good = os.path.join(cls.tmp, "good.json")
        subprocess.run([TCPVIZ, "analyze", os.path.join(CAPTURES, "handshake_data_fin.pcap"), "-o", cls.good, "-q"],
                       check=True)
        with open(cls.good, encoding="utf-8") as f:
            cls.timeline = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def write(self, name, content):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False))
        return path

    def mutated(self, change):
        t = copy.deepcopy(self.timeline)
        change(t)
        return t

    def assert_one_line_error(self, r, what, reason_part=""):
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = r.stderr.decode("utf-8", errors="replace").splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith(f"tcpviz: error: {what}: "), lines[0])
        self.assertIn(reason_part, lines[0])
        self.assertEqual(terminal_unsafe(r.stderr), [])


def set_key(path, value):
    """A change that sets t[path...] = value."""
    def change(t):
        node = t
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def delete_key(path):
    def change(t):
        node = t
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return change


# Timelines of the wrong shape, and the part of the error that names the place.
WRONG_SHAPES = [
    ("format_5", set_key(["format"], 5), "not a tcpviz timeline"),
    ("version_string", set_key(["version"], "1"), "version"),
    ("version_2", set_key(["version"], 2), "version"),
    ("events_object", set_key(["events"], {}), "events: not an array"),
    ("no_events", delete_key(["events"]), "missing \"events\""),
    ("connection_number", set_key(["connections"], [1]), "connections[0]: not an object"),
    ("connection_no_id", delete_key(["connections", 0, "id"]), "connections[0]: missing \"id\""),
    ("port_too_big", set_key(["connections", 0, "client", "port"], 70000), "connections[0].client.port"),
    ("ip_number", set_key(["connections", 0, "client", "ip"], 7), "connections[0].client.ip: not a string"),
    ("empty_event", set_key(["events"], [{}]), "events[0]: missing"),
    ("event_number", set_key(["events"], [1]), "events[0]: not an object"),
    ("no_t", delete_key(["events", 2, "t"]), "events[2]: missing \"t\""),
    ("t_1e300", set_key(["events", 0, "t"], 1e300), "events[0].t"),
    ("t_string", set_key(["events", 0, "t"], "0.1"), "events[0].t: not a number"),
    ("seq_negative", set_key(["events", 1, "seq"], -1), "events[1].seq"),
    ("seq_2_32", set_key(["events", 1, "seq"], 2 ** 32), "events[1].seq"),
    ("seq_float", set_key(["events", 1, "seq"], 1.5), "events[1].seq"),
    ("conn_string", set_key(["events", 0, "conn"], "0"), "events[0].conn"),
    ("conn_huge", set_key(["events", 0, "conn"], 2 ** 64 - 1), "events[0].conn"),
    ("frame_null", set_key(["events", 0, "frame"], None), "events[0].frame"),
    ("dir_other", set_key(["events", 0, "dir"], "up"), "events[0].dir"),
    ("flags_number", set_key(["events", 0, "flags"], [1]), "events[0].flags"),
    ("flags_unknown", set_key(["events", 0, "flags"], ["\x1b[2J"]), "events[0].flags"),
    ("analysis_unknown", set_key(["events", 0, "analysis"], ["boom"]), "events[0].analysis"),
    ("dup_ack_string", set_key(["events", 0, "dup_ack"], "x"), "events[0].dup_ack"),
    ("states_object", set_key(["events", 0, "states"], {"side": "client"}), "events[0].states"),
    ("state_unknown", set_key(["events", 0, "states"], [{"side": "client", "from": "X", "to": "\x1b"}]),
     "events[0].states.to"),
    ("note_args_short", set_key(["events", 0, "note_args"], [1]), "events[0].note_args"),
    ("note_args_negative", set_key(["events", 0, "note_args"], [1, -2, 3]), "events[0].note_args"),
    ("truncated_string", set_key(["events", 0, "truncated"], "yes"), "events[0].truncated"),
    ("stats_duration_inf", set_key(["stats", "duration"], 1e308 * 10), ""),
    ("stats_duration_huge", set_key(["stats", "duration"], 1e300), "stats.duration"),
    ("stats_array", set_key(["stats"], []), "stats: not an object"),
]


class ReplayOfWrongShapes(Base):
    def test_each_is_a_one_line_error(self):
        for name, change, reason in WRONG_SHAPES:
            with self.subTest(name):
                path = self.write(name + ".json", self.mutated(change))
                r = run("replay", path, "--every", "0")
                self.assert_one_line_error(r, path, reason)
                self.assertEqual(r.stdout, b"")

    def test_not_json_and_not_an_object(self):
        for name, text in [("array", "[1, 2]"), ("string", '"tcpviz-timeline"'), ("cut", '{"format": "tcpviz-tim'),
                           ("deep", "{" + '"a":[' * 50000 + "]" * 50000 + "}")]:
            with self.subTest(name):
                path = self.write(name + ".json", text)
                self.assert_one_line_error(run("replay", path, "--every", "0"), path)

    def test_ndjson_lines_of_the_wrong_shape(self):
        ndjson = run("analyze", os.path.join(CAPTURES, "handshake_data_fin.pcap"), "-f", "ndjson").stdout.decode()
        lines = ndjson.splitlines()
        cases = [("event_t", 2, lambda e: e.update(t=-1e300), "line 3"),
                 ("type", 2, lambda e: e.update(type="wat"), "line 3.type"),
                 ("header_version", 0, lambda e: e.update(version="1"), "version")]
        for name, index, change, reason in cases:
            with self.subTest(name):
                broken = list(lines)
                value = json.loads(broken[index])
                change(value)
                broken[index] = json.dumps(value)
                path = self.write(name + ".ndjson", "\n".join(broken) + "\n")
                self.assert_one_line_error(run("replay", path, "--every", "0"), path, reason)
        path = self.write("garbage.ndjson", lines[0] + "\n{not json\n")
        self.assert_one_line_error(run("replay", path, "--every", "0"), path, "line 2: not valid JSON")

    def test_the_untouched_timeline_still_replays(self):
        r = run("replay", self.good, "--every", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("FIN", r.stdout.decode())


class ControlBytes(Base):
    def hostile_timeline(self):
        def change(t):
            data = next(e for e in t["events"] if e["len"] > 0)
            data["payload"] = HOSTILE + data["payload"]
            data["note"] = "note " + HOSTILE
            t["connections"][0]["client"]["ip"] = HOSTILE
            t["connections"][0]["server"]["ip"] = "\u202e1.0.0.721"
        return self.write("hostile.json", self.mutated(change))

    def test_replay_of_a_crafted_timeline_makes_them_visible(self):
        for lang in ["en", "zh"]:
            r = run("replay", self.hostile_timeline(), "--every", "0", "--lang", lang)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(terminal_unsafe(r.stdout), [])
            out = r.stdout.decode()
            self.assertIn("\\x1b]0;owned\\x07", out)  # the reader sees what was there
            self.assertIn("\\u009b31m", out)
            self.assertIn("\\u202e", out)
            if lang == "en":
                self.assertIn("note \\x1b]0;owned", out)

    def hostile_capture(self):
        payloads = [b"\x1b]0;owned\x07\x1b[2J", "\u009b31m red".encode(), "\u202eevil\u2066".encode(),
                    "→ 中文 ok".encode()]
        path = os.path.join(self.tmp, "hostile\x1b[31m.pcap")
        with open(path, "wb") as f:
            f.write(capture_writer.pcap(capture_writer.handshake_and(payloads)))
        return path

    def test_text_ladder_and_replay_of_a_capture_make_them_visible(self):
        capture = self.hostile_capture()
        for args in [("analyze", capture, "-f", "text", "--notes"), ("analyze", capture, "-f", "text", "--lang", "zh"),
                     ("replay", capture, "--every", "0")]:
            with self.subTest(args[0:3]):
                r = run(*args)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(terminal_unsafe(r.stdout), [], r.stdout.decode(errors="replace"))
                self.assertEqual(terminal_unsafe(r.stderr), [])
                # The arrow has room for the escapes' first characters only.
                out = r.stdout.decode()
                self.assertIn('"\\x1b', out)
                self.assertIn('"\\u00', out)
                self.assertIn('"\\u2', out)
        timeline = os.path.join(self.tmp, "hostile_capture.json")
        subprocess.run([TCPVIZ, "analyze", capture, "-o", timeline, "-q"], check=True)
        r = run("replay", timeline, "--every", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(terminal_unsafe(r.stdout), [])

    def test_arrows_stay_aligned_with_narrow_and_wide_characters(self):
        r = run("analyze", self.hostile_capture(), "-f", "text")
        rows = [l for l in r.stdout.decode().splitlines() if l.rstrip().endswith("|") and "|" in l[20:23]]
        self.assertGreater(len(rows), 5)
        def width(s):
            import unicodedata
            return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
        self.assertEqual({width(l) for l in rows}, {width(rows[0])}, rows)  # "→" is one column, "中" two


class Timestamps(Base):
    """pcapng timestamps libpcap cannot turn into a time: if_tsresol 0 (a unit
    of one second) with values near 2^64, a nanosecond clock past 2262."""

    def analyze(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        r = run("analyze", path, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        err = r.stderr.decode().splitlines()
        self.assertEqual(len(err), 1, err)
        self.assertTrue(err[0].startswith(f"tcpviz: warning: {path}: "), err)
        self.assertIn("before 1970 or after 2262", err[0])
        replay = run("replay", path, "--every", "0")
        self.assertEqual(replay.returncode, 0, replay.stderr)
        self.assertIn("before 1970 or after 2262", replay.stderr.decode())
        self.assertNotIn("-", "".join(l[:17] for l in replay.stdout.decode().splitlines() if l[:6].strip().isdigit()))
        return json.loads(r.stdout)

    def check_times(self, timeline):
        self.assertEqual(len(timeline["events"]), 4)
        for e in timeline["events"]:
            self.assertGreaterEqual(e["t"], 0)
        for c in timeline["connections"]:
            rtt = c["handshake"]["rtt_ms"]
            self.assertTrue(rtt is None or 0 <= rtt < 1e13, rtt)
            self.assertGreaterEqual(c["start"], 0)
        self.assertGreaterEqual(timeline["stats"]["duration"], 0)
        self.assertGreaterEqual(timeline["stats"]["first_frame_time"], "1970-01-01T00:00:00Z")
        self.assertEqual(len(timeline["stats"]["warnings"]), 1)

    def test_resolution_of_one_second_and_times_near_2_64(self):
        frames = capture_writer.handshake_and([b"hello"])
        t = self.analyze("res0.pcapng", capture_writer.pcapng(frames, [2 ** 64 - 4 + i for i in range(4)], tsresol=0))
        self.check_times(t)

    def test_times_that_jump_past_2262(self):
        frames = capture_writer.handshake_and([b"hello"])
        stamps = [1_700_000_000, 10 ** 12, 10 ** 12 + 1, 2 ** 64 - 1]
        self.check_times(self.analyze("jump.pcapng", capture_writer.pcapng(frames, stamps, tsresol=0)))
        nanos = [1_700_000_000 * 10 ** 9, 2 ** 64 - 3, 2 ** 64 - 2, 2 ** 64 - 1]
        self.check_times(self.analyze("nanos.pcapng", capture_writer.pcapng(frames, nanos, tsresol=9)))

    def test_a_well_formed_file_gives_no_warning(self):
        frames = capture_writer.handshake_and([b"hello"])
        path = os.path.join(self.tmp, "fine.pcapng")
        with open(path, "wb") as f:
            f.write(capture_writer.pcapng(frames, [1_700_000_000 * 10 ** 6 + i for i in range(4)]))
        r = run("analyze", path, "-q")
        self.assertEqual((r.returncode, r.stderr), (0, b""))
        self.assertEqual([e["t"] for e in json.loads(r.stdout)["events"]], [0.0, 0.000001, 0.000002, 0.000003])

    def test_replay_of_times_at_the_edge_of_the_range(self):
        def change(t):
            t["events"][0]["t"] = -9.1e9
            t["events"][1]["t"] = 9.1e9
        path = self.write("edge.json", self.mutated(change))
        r = run("replay", path, "--every", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("-9100000000.000000", r.stdout.decode())
        self.assertIn("9100000000.000000", r.stdout.decode())


class Filter(unittest.TestCase):
    def test_a_filter_too_long_to_compile_in_time_is_refused(self):
        capture = os.path.join(CAPTURES, "handshake_data_fin.pcap")
        terms = " or ".join(f"port {i}" for i in range(1, 5000))
        r = run("analyze", capture, "--filter", terms)
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = r.stderr.decode().splitlines()
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith(f"tcpviz: error: {capture}: filter is {len(terms)} characters long"), lines)
        self.assertEqual(r.stdout, b"")

    def test_a_long_filter_within_the_bound_works(self):
        capture = os.path.join(CAPTURES, "handshake_data_fin.pcap")
        terms = " or ".join(["tcp port 6666"] * 60)
        self.assertLessEqual(len(terms), 1024)
        r = run("analyze", capture, "--filter", terms, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)["events"]), 17)


class CommandLine(unittest.TestCase):
    def test_cli11_errors_are_one_line_errors(self):
        for args, what, reason in [((), "usage", "A subcommand is required"),
                                   (("analyze",), "analyze", "capture is required"),
                                   (("replay",), "replay", "input is required"),
                                   (("replay", "a", "b"), "replay", "not expected"),
                                   (("analyze", "x.pcap", "--payload-bytes", "abc"), "analyze", "payload-bytes"),
                                   (("nonsense",), "usage", "")]:
            with self.subTest(args):
                r = run(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                lines = r.stderr.decode().splitlines()
                self.assertEqual(len(lines), 1, lines)
                self.assertTrue(lines[0].startswith(f"tcpviz: error: {what}: "), lines[0])
                self.assertIn(reason, lines[0])

    def test_help_and_version_still_exit_0(self):
        for args in [("--help",), ("analyze", "--help"), ("--version",)]:
            r = run(*args)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(r.stdout)


class Site(Base):
    def test_wrong_shapes_are_one_line_errors_and_write_no_index(self):
        for name, change, reason in WRONG_SHAPES[:12]:
            with self.subTest(name):
                path = self.write(name + ".json", self.mutated(change))
                out = os.path.join(self.tmp, "site_" + name)
                self.assert_one_line_error(run("site", out, path), path, reason)
                self.assertFalse(os.path.exists(os.path.join(out, "index.html")))

    def test_a_capture_named_index_does_not_overwrite_the_index(self):
        inputs = os.path.join(self.tmp, "in")
        os.makedirs(inputs, exist_ok=True)
        for name in ["index.pcap", "INDEX.pcapng", "index.json"]:
            src = os.path.join(CAPTURES, "pcapng_basic.pcapng" if name.endswith("ng") else "handshake_data_fin.pcap")
            if name.endswith(".json"):
                shutil.copy(self.good, os.path.join(inputs, name))
            else:
                shutil.copy(src, os.path.join(inputs, name))
        site = os.path.join(self.tmp, "site_index")
        r = run("site", site, *[os.path.join(inputs, n) for n in ["index.pcap", "INDEX.pcapng", "index.json"]])
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(site, "index.html"), encoding="utf-8") as f:
            index = f.read()
        self.assertIn("Made by tcpviz site", index)
        links = re.findall(r'href="([^"]+)"', index)
        self.assertEqual(sorted(links), ["INDEX-3.html", "index-2.html", "index-4.html"])
        for link in links:
            with open(os.path.join(site, link), encoding="utf-8") as f:
                self.assertNotIn("Made by tcpviz site", f.read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
