"""Small helpers shared by the traffic generators in this folder.

Every generator is a plain Python 3 script (standard library only) that makes
one kind of real TCP conversation for record.sh to capture.  They all take the
same basic options: server address/port and the client's source port, which
record.sh fixes so that the captures are easy to filter and to test against.
"""
import argparse
import socket
import sys
import time

DEFAULT_PORT = 6666         # the server port of every capture
DEFAULT_CLIENT_PORT = 50000  # the client's (fixed) source port


def parser(description):
    """An argparse parser with the options every generator shares."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--host", default="127.0.0.1",
                   help="server address, IPv4 or IPv6 (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help="server port (default %(default)s)")
    p.add_argument("--bind", default=None,
                   help="client source address (default: same as --host)")
    p.add_argument("--cport", type=int, default=DEFAULT_CLIENT_PORT,
                   help="client source port, 0 = ephemeral (default %(default)s)")
    return p


def family(host):
    """AF_INET6 for an IPv6 literal, AF_INET otherwise."""
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def log(*args):
    """Progress messages go to stderr so record.sh can keep them in its log."""
    print(f"[{time.strftime('%H:%M:%S')}]", *args, file=sys.stderr, flush=True)


def listen(host, port, rcvbuf=None):
    """A listening socket.  SO_RCVBUF must be set before listen() so that the
    accepted socket inherits it (and the SYN-ACK already advertises it)."""
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((host, port))
    s.listen(8)
    return s


def client_socket(args, reuseaddr=False):
    """An unconnected client socket bound to (--bind or --host, --cport)."""
    s = socket.socket(family(args.host), socket.SOCK_STREAM)
    if reuseaddr:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.bind or args.host, args.cport))
    return s


def connect(args, reuseaddr=False):
    """Connect a client socket bound to the fixed source port."""
    s = client_socket(args, reuseaddr)
    s.connect((args.host, args.port))
    return s


def recv_line(sock):
    """Read one '\\n'-terminated line byte by byte (fine for a few short
    lines, and it never reads past the line); b'' at end of stream."""
    buf = b""
    while not buf.endswith(b"\n"):
        b = sock.recv(1)
        if not b:
            break
        buf += b
    return buf


def drain(sock):
    """Read until the peer's FIN (recv returns b''); return the byte count."""
    n = 0
    while True:
        b = sock.recv(65536)
        if not b:
            return n
        n += len(b)
