"""Classic pcap files cut as a small snaplen would have cut them (for tests)."""
import struct


def cut_records(data, snaplen):
    """A classic pcap whose every record keeps at most `snaplen` bytes, as if captured with that snaplen."""
    order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out, at = bytearray(data[:24]), 24
    while at + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(order + "IIII", data[at:at + 16])
        kept = min(incl, snaplen)
        out += struct.pack(order + "IIII", sec, frac, kept, orig) + data[at + 16:at + 16 + kept]
        at += 16 + incl
    return bytes(out)
