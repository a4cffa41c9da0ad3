#!/usr/bin/env python3
"""Runs every command of every lesson, as a student would type it.

Each line of a ```sh block in tutorials/en/*.md and tutorials/zh/*.md is
run once (a line in several lessons runs once), from a scratch directory
whose `build` is the build directory holding TCPVIZ, so the lessons'
`build/tcpviz lab ... --out out/lessons/NAME` reports land in WORKDIR/out/
for the screenshot test to open. Each must exit 0. A Chinese lesson's lab
must print Chinese: most of its letters CJK.

The commands are shared out so that each lab runs live once per command and
several tests run at the same time: `--lab NAME` runs the commands of lab NAME
(`tcpviz lab NAME ...`, and the commands that read what they wrote under
out/lessons/), and tests/lab/lab_scenario_test.sh checks that lab's Chinese
run (--zh-output FILE gets its output); `--except-labs A,B,...` runs every
other command. Without either, it runs them all.

  TCPVIZ=build/tcpviz python3 tests/tutorials/lesson_commands.py WORKDIR [--lab NAME [--zh-output FILE]]
  TCPVIZ=build/tcpviz python3 tests/tutorials/lesson_commands.py WORKDIR --except-labs A,B,...
Labs that build networks need root: run as root (CI does).
"""
import argparse
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


def lab_of(command):
    """The lab a command belongs to: the one it runs, or the one whose
    out/lessons/ folder it reads; None for the others."""
    m = re.search(r"\btcpviz lab (\S+)", command)
    return m.group(1) if m else None


def groups(todo):
    """{command: lab or None}; a command reading out/lessons/X goes with the
    lab command that wrote X (it must run after it, in the same test)."""
    writer = {}
    group = {}
    for command in todo:
        lab = lab_of(command)
        out = re.search(r"--out (out/lessons/\S+)", command)
        if lab and out:
            writer[out.group(1)] = lab
        if not lab:
            reads = re.search(r"(out/lessons/[^/\s]+)/", command)
            lab = writer.get(reads.group(1)) if reads else None
        group[command] = lab
    return group


def chinese_share(text):
    # The prose only: not the commands the lab prints (indented), nor paths,
    # file names and identifiers (tokens with / . _ - = in them).
    prose = " ".join(line for line in text.splitlines() if not line.startswith("  "))
    prose = re.sub(r"\S*[/._=-]\S*", " ", prose)
    letters = [c for c in prose if c.isalpha()]
    return sum("\u4e00" <= c <= "\u9fff" for c in letters) / max(1, len(letters))


def prepare(workdir, tcpviz):
    """WORKDIR with its `build` link; several tests share it, each running its
    own commands, so nothing here removes what another test made."""
    workdir.mkdir(parents=True, exist_ok=True)
    link = workdir / "build"
    try:
        link.symlink_to(tcpviz.parent, target_is_directory=True)
    except FileExistsError:
        if link.resolve() != tcpviz.parent:
            link.unlink()
            link.symlink_to(tcpviz.parent, target_is_directory=True)
    (workdir / "logs").mkdir(exist_ok=True)


def run_one(command, workdir, tmpdir):
    """(status, output, seconds) of one command; a lab without --out writes
    to a new folder in TMPDIR, so TMPDIR is this test's own scratch."""
    out = re.search(r"--out (\S+)", command)
    if out:  # a report from an earlier run must not stand in for this one's
        shutil.rmtree(workdir / out.group(1), ignore_errors=True)
    start = time.monotonic()
    try:
        run = subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True, text=True,
                             timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(tmpdir)})
        status, text = run.returncode, run.stdout + run.stderr
    except subprocess.TimeoutExpired as e:
        status, text = "timeout", (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
    return status, text, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--lab", help="run only the commands of this lab")
    parser.add_argument("--zh-output", type=Path, help="with --lab: write its first Chinese run's output here")
    parser.add_argument("--except-labs", default="", help="run every command but those of these labs (comma-separated)")
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    tcpviz = Path(os.environ.get("TCPVIZ", ROOT / "build" / "tcpviz")).resolve()
    if not tcpviz.is_file():
        print(f"FAIL: {tcpviz} not found: build it, or set TCPVIZ")
        return 1
    if os.geteuid() != 0:
        print("FAIL: the lessons' labs build networks and capture: run as root (CI does)")
        return 1
    prepare(workdir, tcpviz)

    everything = commands()
    group = groups(everything)
    skip = set(filter(None, args.except_labs.split(",")))
    if args.lab:
        todo = {c: l for c, l in everything.items() if group[c] == args.lab}
    else:
        todo = {c: l for c, l in everything.items() if group[c] not in skip or group[c] is None}
    name = args.lab or "rest"
    tmpdir = workdir / "tmp" / name
    shutil.rmtree(tmpdir, ignore_errors=True)
    tmpdir.mkdir(parents=True)

    failed = 0
    zh_written = False
    for n, (command, lessons) in enumerate(todo.items(), 1):
        status, out, took = run_one(command, workdir, tmpdir)
        log = workdir / "logs" / f"{name}-{n:02d}.log"
        log.write_text(f"$ {command}\n{out}", encoding="utf-8")
        problem = None
        if status != 0:
            problem = f"exited {status}"
        elif "--lang zh" in command and chinese_share(out) < 0.3:
            problem = f"is a Chinese lab but only {chinese_share(out):.0%} of its letters are Chinese"
        if problem:
            failed += 1
            print(f"FAIL {command} ({', '.join(lessons)}) {problem}; log {log}")
            print("\n".join("    " + line for line in out.splitlines()[-15:]))
        else:
            print(f"ok   {command} ({took:.0f} s)")
        if args.zh_output and not zh_written and not problem and lab_of(command) == args.lab and "--lang zh" in command:
            args.zh_output.write_text(out, encoding="utf-8")
            zh_written = True
    print(f"{len(todo) - failed} of {len(todo)} lesson commands ran" + (f" (lab {args.lab})" if args.lab else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
