#!/usr/bin/env python3
"""Runs every command of every lesson, as a student would type it.

Each line of a ```sh block in tutorials/en/*.md and tutorials/zh/*.md is
run once (a line in several lessons runs once), from a scratch directory
whose `build` is the build directory holding TCPVIZ, so the lessons'
`build/tcpviz lab ... --out out/lessons/NAME` reports land in WORKDIR/out/
for the screenshot test to open. Each must exit 0. A Chinese lesson's lab
must print Chinese: most of its letters CJK.

  TCPVIZ=build/tcpviz python3 tests/tutorials/lesson_commands.py WORKDIR
Labs that build networks need root: run as root (CI does).
"""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 300


def commands():
    """(command, lesson files it appears in), in lesson order."""
    seen = {}
    for lang in ("en", "zh"):
        for lesson in sorted((ROOT / "tutorials" / lang).glob("*.md")):
            text = lesson.read_text(encoding="utf-8")
            for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M):
                for line in block.splitlines():
                    command = line.split("  #")[0].strip()
                    if command:
                        seen.setdefault(command, []).append(f"{lang}/{lesson.name}")
    return seen


def chinese_share(text):
    # The prose only: not the commands the lab prints (indented), nor paths,
    # file names and identifiers (tokens with / . _ - = in them).
    prose = " ".join(line for line in text.splitlines() if not line.startswith("  "))
    prose = re.sub(r"\S*[/._=-]\S*", " ", prose)
    letters = [c for c in prose if c.isalpha()]
    return sum("\u4e00" <= c <= "\u9fff" for c in letters) / max(1, len(letters))


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    workdir = Path(sys.argv[1]).resolve()
    tcpviz = Path(os.environ.get("TCPVIZ", ROOT / "build" / "tcpviz")).resolve()
    if not tcpviz.is_file():
        print(f"FAIL: {tcpviz} not found: build it, or set TCPVIZ")
        return 1
    if os.geteuid() != 0:
        print("FAIL: the lessons' labs build networks and capture: run as root (CI does)")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    (workdir / "build").symlink_to(tcpviz.parent, target_is_directory=True)
    logs = workdir / "logs"
    logs.mkdir()

    failed = 0
    todo = commands()
    for n, (command, lessons) in enumerate(todo.items(), 1):
        start = time.monotonic()
        try:
            run = subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True,
                                 text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
            status, out = run.returncode, run.stdout + run.stderr
        except subprocess.TimeoutExpired as e:
            status, out = "timeout", (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        took = time.monotonic() - start
        (logs / f"{n:03d}.log").write_text(f"$ {command}\n{out}", encoding="utf-8")
        problem = None
        if status != 0:
            problem = f"exited {status}"
        elif "--lang zh" in command and chinese_share(out) < 0.3:
            problem = f"is a Chinese lab but only {chinese_share(out):.0%} of its letters are Chinese"
        if problem:
            failed += 1
            print(f"FAIL {command} ({', '.join(lessons)}) {problem}; log {logs / f'{n:03d}.log'}")
            print("\n".join("    " + l for l in out.splitlines()[-15:]))
        else:
            print(f"ok   {command} ({took:.0f} s)")
    print(f"{len(todo) - failed} of {len(todo)} lesson commands ran")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
