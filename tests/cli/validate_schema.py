#!/usr/bin/env python3
"""Every capture's timeline (JSON and NDJSON) validates against
analyzer/timeline.schema.json, and the schema rejects what it must."""
import copy
import json
import os
import subprocess
import sys
import unittest

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
SCHEMA_PATH = os.path.join(ROOT, "analyzer", "timeline.schema.json")
CAPTURE_DIRS = [os.path.join(ROOT, "tests", "captures"), os.path.join(ROOT, "tests", "captures", "crafted")]


def captures():
    for d in CAPTURE_DIRS:
        for n in sorted(os.listdir(d)):
            if n.endswith((".pcap", ".pcapng")):
                yield os.path.join(d, n)


def analyze(path, fmt):
    r = subprocess.run([TCPVIZ, "analyze", path, "--format", fmt, "--quiet"], capture_output=True, check=True)
    return r.stdout.decode()


class Schema(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            cls.schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(cls.schema)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)

    def test_every_capture_validates(self):
        count = 0
        for path in captures():
            with self.subTest(capture=os.path.basename(path)):
                timeline = json.loads(analyze(path, "json"))
                errors = sorted(self.validator.iter_errors(timeline), key=lambda e: list(e.path))
                self.assertEqual([], [f"{list(e.path)}: {e.message}" for e in errors[:5]])
                count += 1
        self.assertGreater(count, 20)

    def test_ndjson_lines_validate_against_their_definitions(self):
        defs = self.schema["$defs"]
        for path in list(captures())[:6]:
            for line in analyze(path, "ndjson").splitlines():
                obj = json.loads(line)
                kind = obj["type"]
                if kind == "header":
                    self.assertEqual(obj["format"], "tcpviz-timeline")
                    continue
                sub = dict(self.schema)
                sub = {"$schema": self.schema["$schema"], "$defs": defs, "$ref": f"#/$defs/{kind}"}
                jsonschema.validate(obj, sub, cls=jsonschema.Draft202012Validator)

    def test_schema_rejects_a_renamed_field_and_a_bad_analysis_name(self):
        timeline = json.loads(analyze(os.path.join(CAPTURE_DIRS[0], "handshake_data_fin.pcap"), "json"))
        broken = copy.deepcopy(timeline)
        broken["events"][0]["sequence"] = broken["events"][0].pop("seq")
        self.assertFalse(self.validator.is_valid(broken))
        broken = copy.deepcopy(timeline)
        broken["events"][3]["analysis"] = ["retransmited"]
        self.assertFalse(self.validator.is_valid(broken))
        broken = copy.deepcopy(timeline)
        broken["version"] = 2
        self.assertFalse(self.validator.is_valid(broken))


if __name__ == "__main__":
    unittest.main(verbosity=1)
