#!/usr/bin/env python3
"""Writes seeds for the record fuzz target (fuzz/record_fuzz.cpp's layout)
from classic pcap files: the link type, then each record's time, wire
length, captured length and bytes.

    python3 fuzz/make_record_seeds.py OUTDIR CAPTURE.pcap...
"""
import os
import struct
import sys


def convert(data, max_records=24):
    order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nanos = data[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    link = struct.unpack(order + "I", data[20:24])[0] & 0xFFFF
    out, at = bytearray(struct.pack("<H", link)), 24
    for _ in range(max_records):
        if at + 16 > len(data):
            break
        sec, frac, incl, orig = struct.unpack(order + "IIII", data[at:at + 16])
        body = data[at + 16:at + 16 + incl][:0xFFFF]
        out += struct.pack("<qiIH", sec, frac if nanos else frac * 1000, orig, len(body)) + body
        at += 16 + incl
    return bytes(out)


def main():
    outdir = sys.argv[1]
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            seed = convert(f.read())
        name = os.path.splitext(os.path.basename(path))[0] + ".rec"
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(seed)


if __name__ == "__main__":
    main()
