"""What golden_outputs.py and golden_views.py share: where tcpviz and the
golden files are, running `tcpviz analyze` as they run it, and comparing (or,
with UPDATE_GOLDEN=1, rewriting) a golden file.
"""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
GOLDEN = os.path.join(ROOT, "tests", "golden")


def analyze(*args):
    """`tcpviz analyze ARGS` from the repository root, so that a capture named
    by a relative path has the same file name in the output everywhere."""
    return subprocess.run([TCPVIZ, "analyze", *args], capture_output=True, cwd=ROOT)


def check_cases(test, cases):
    """Each (golden file, capture under tests/captures, extra arguments) of
    `cases` as a subtest of `test`: tcpviz succeeds and writes the golden file
    byte for byte."""
    for golden, capture, args in cases:
        with test.subTest(golden=golden):
            r = analyze(os.path.join("tests", "captures", capture), "--quiet", *args)
            test.assertEqual(r.returncode, 0, r.stderr.decode())
            path = os.path.join(GOLDEN, golden)
            if os.environ.get("UPDATE_GOLDEN"):
                with open(path, "wb") as f:
                    f.write(r.stdout)
                continue
            with open(path, "rb") as f:
                expected = f.read()
            test.assertEqual(expected.decode(), r.stdout.decode(),
                             f"{golden} differs; if the change is intended, rerun with UPDATE_GOLDEN=1")
