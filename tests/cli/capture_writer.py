"""Small pcap and pcapng files written byte by byte, for tests that need a
capture no tool would record: hostile payloads, timestamps at the edges of
their range, odd pcapng timestamp resolutions."""
import struct


def tcp_frame(payload=b"", flags=0x18, seq=1, ack=1, sport=40000, dport=6666,
              src=(198, 18, 0, 1), dst=(198, 18, 0, 2)):
    """An Ethernet + IPv4 + TCP frame (checksums left 0: tcpviz does not check them)."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, bytes(src), bytes(dst)) + tcp
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip


def handshake_and(payloads):
    """SYN, SYN-ACK, ACK, then one client segment per payload."""
    frames = [tcp_frame(flags=0x02, seq=0, ack=0), tcp_frame(flags=0x12, seq=0, ack=1, sport=6666, dport=40000,
                                                             src=(198, 18, 0, 2), dst=(198, 18, 0, 1)),
              tcp_frame(flags=0x10, seq=1, ack=1)]
    seq = 1
    for p in payloads:
        frames.append(tcp_frame(p, seq=seq))
        seq += len(p)
    return frames


def pcap(frames, times=None):
    """A classic microsecond pcap; `times` are (seconds, microseconds) per frame."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i, f in enumerate(frames):
        sec, usec = times[i] if times else (1_700_000_000, i * 100)
        out += struct.pack("<IIII", sec, usec, len(f), len(f)) + f
    return out


def _block(kind, body):
    body += b"\x00" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", kind, length) + body + struct.pack("<I", length)


def pcapng(frames, timestamps, tsresol=None):
    """A pcapng with one Ethernet interface. `timestamps` are raw 64-bit
    values in units of the interface's resolution; `tsresol` is the
    if_tsresol option byte (None: the default, microseconds)."""
    out = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    options = b""
    if tsresol is not None:
        options = struct.pack("<HH", 9, 1) + bytes([tsresol]) + b"\x00\x00\x00" + struct.pack("<HH", 0, 0)
    out += _block(1, struct.pack("<HHI", 1, 0, 65535) + options)
    for f, ts in zip(frames, timestamps):
        out += _block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(f), len(f)) + f)
    return out
