#!/usr/bin/env python3
"""The lessons in tutorials/en and tutorials/zh, read as a teacher would:

- the same lessons exist in both languages, in the course's order;
- each has an explanation, a `sh` block running `tcpviz lab`, a screenshot
  of its own, numbers to check and questions with answers;
- the Chinese lessons are Chinese: no English phrase left in their prose
  (code, commands, file names and single terms like `SYN` are allowed);
- every lab of `tcpviz lab --list` is taught by some lesson, and every lab a
  lesson runs is one that `tcpviz lab --list` knows;
- tutorials/README.md links every lesson.

  TCPVIZ=build/tcpviz python3 tests/tutorials/lessons_check.py
"""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "tutorials"
# The course's order (the notes): one lesson per topic.
LESSONS = [
    "01-layers", "02-sockets-api", "03-address-families", "04-byte-order",
    "05-tcp-properties", "06-seq-ack", "07-handshake", "08-flow-control",
    "09-slow-start", "10-timeout", "11-fast-retransmit", "12-teardown",
    "13-message-boundaries", "14-course-programs",
]
HEADINGS = {
    "en": ["## Run it", "## Numbers to check", "## Questions"],
    "zh": ["## 动手做", "## 要核对的数字", "## 思考题"],
}
ANSWER = {"en": "<summary>Answer</summary>", "zh": "<summary>答案</summary>"}

failures = []


def fail(message):
    failures.append(message)


def sh_blocks(text):
    return re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)


def prose(text):
    """The text a student reads as sentences: no code, commands, links or tags."""
    text = re.sub(r"^```.*?^```", " ", text, flags=re.S | re.M)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return text


def english_phrases(text):
    """Runs of three or more Latin-alphabet words: an English phrase."""
    return re.findall(r"\b[A-Za-z][A-Za-z'-]*(?:[ ,]+[A-Za-z][A-Za-z'-]*){2,}", prose(text))


def cjk_share(text):
    letters = [c for c in prose(text) if c.isalpha()]
    cjk = [c for c in letters if "\u4e00" <= c <= "\u9fff"]
    return len(cjk) / max(1, len(letters))


def lab_names_in(text):
    names = set()
    for block in sh_blocks(text):
        names.update(re.findall(r"tcpviz lab ([a-z0-9-]+)", block))
    return names


def check_lesson(lang, name):
    path = TUTORIALS / lang / f"{name}.md"
    if not path.is_file():
        fail(f"{lang}: lesson {name} is missing ({path.relative_to(ROOT)})")
        return set()
    text = path.read_text(encoding="utf-8")
    where = f"{lang}/{name}.md"
    if not text.startswith("# "):
        fail(f"{where}: no title")
    for heading in HEADINGS[lang]:
        if heading not in text:
            fail(f"{where}: no '{heading}' section")
    blocks = sh_blocks(text)
    if not any("tcpviz lab " in b for b in blocks):
        fail(f"{where}: no ```sh block running `tcpviz lab`")
    for block in blocks:
        for line in block.splitlines():
            if line.strip() and not line.startswith("build/"):
                fail(f"{where}: command not run from the repository root with build/: {line}")
            if "tcpviz lab" in line and lang == "zh" and "--lang zh" not in line:
                fail(f"{where}: a Chinese lesson's lab runs in English: {line}")
    suffix = "-zh" if lang == "zh" else ""
    shot = f"../screenshots/{name}{suffix}.png"
    if f"]({shot})" not in text:
        fail(f"{where}: no screenshot {shot}")
    questions = len(re.findall(r"^\d+\. ", text, flags=re.M))
    answers = text.count(ANSWER[lang])
    if questions < 3 or answers < 3:
        fail(f"{where}: {questions} questions and {answers} answers (at least 3 each)")
    if lang == "zh":
        share = cjk_share(text)
        if share < 0.6:
            fail(f"{where}: only {share:.0%} of its prose letters are Chinese")
        for phrase in english_phrases(text):
            fail(f"{where}: English phrase in a Chinese lesson: '{phrase}'")
    return lab_names_in(text)


def listed_labs():
    tcpviz = os.environ.get("TCPVIZ", str(ROOT / "build" / "tcpviz"))
    out = subprocess.run([tcpviz, "lab", "--list"], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"`tcpviz lab --list` exited {out.returncode}: {out.stderr.strip()}")
        return set()
    return {line.split()[0] for line in out.stdout.splitlines() if line.strip() and not line.startswith(" ")}


def main():
    for lang in ("en", "zh"):
        extra = sorted(p.stem for p in (TUTORIALS / lang).glob("*.md") if p.stem not in LESSONS)
        for name in extra:
            fail(f"{lang}/{name}.md is not one of the course's lessons (add it to LESSONS)")
    taught = {}
    for lang in ("en", "zh"):
        taught[lang] = set()
        for name in LESSONS:
            taught[lang] |= check_lesson(lang, name)
    if taught["en"] != taught["zh"]:
        fail(f"the two languages run different labs: en only {sorted(taught['en'] - taught['zh'])}, "
             f"zh only {sorted(taught['zh'] - taught['en'])}")
    labs = listed_labs()
    if labs:
        for lab in sorted(labs - taught["en"]):
            fail(f"lab {lab} (in `tcpviz lab --list`) is taught by no lesson")
        for lab in sorted(taught["en"] - labs):
            fail(f"a lesson runs lab {lab}, which `tcpviz lab --list` does not know")
    index = (TUTORIALS / "README.md").read_text(encoding="utf-8")
    for lang in ("en", "zh"):
        for name in LESSONS:
            if f"({lang}/{name}.md)" not in index:
                fail(f"tutorials/README.md does not link {lang}/{name}.md")
    for message in failures:
        print(f"FAIL: {message}")
    if failures:
        return 1
    print(f"ok: {len(LESSONS)} lessons in English and Chinese, {len(taught['en'])} labs taught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
