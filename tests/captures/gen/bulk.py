#!/usr/bin/env python3
"""Bulk transfer: the client sends --bytes to the server, which reads them
(optionally after a pause, with a small receive buffer), then both close.

  --role both    server thread + client in this process (loopback captures)
  --role server  only the receiver (run it in the server's namespace)
  --role client  only the sender  (run it in the client's namespace)

Used for window_scale_bulk (defaults), loss_retrans (across a lossy veth) and
zero_window (--rcvbuf 4096 --pause 3: the receiver's window closes, the
sender probes it, then the receiver reads again and the window reopens).
"""
import socket
import threading
import time

import common


def serve(lsock, pause):
    conn, peer = lsock.accept()
    common.log("server: accepted", peer, "rcvbuf",
               conn.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF))
    with conn:
        if pause:
            common.log(f"server: not reading for {pause} s")
            time.sleep(pause)
        n = common.drain(conn)      # read until the client's FIN
        common.log("server: received", n, "bytes")
    lsock.close()


def send(args):
    payload = bytes(range(32, 127)) * (args.chunk // 95 + 1)
    payload = payload[:args.chunk]   # printable bytes, readable in a dump
    with common.connect(args) as s:
        left = args.bytes
        while left > 0:
            s.sendall(payload[:min(left, len(payload))])
            left -= min(left, len(payload))
        s.shutdown(socket.SHUT_WR)   # our FIN follows the last byte
        common.drain(s)              # wait for the server's FIN
    common.log("client: sent", args.bytes, "bytes")


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--role", choices=["both", "server", "client"], default="both")
    p.add_argument("--bytes", type=int, default=1 << 20, help="bytes to send")
    p.add_argument("--chunk", type=int, default=65536, help="bytes per send()")
    p.add_argument("--rcvbuf", type=int, default=0,
                   help="server SO_RCVBUF (0 = kernel default, autotuned)")
    p.add_argument("--pause", type=float, default=0.0,
                   help="server waits this long before its first read")
    p.add_argument("--listen", default=None,
                   help="server listen address (default: --host)")
    args = p.parse_args()

    if args.role in ("both", "server"):
        lsock = common.listen(args.listen or args.host, args.port, args.rcvbuf)
        t = threading.Thread(target=serve, args=(lsock, args.pause))
        t.start()
    if args.role in ("both", "client"):
        send(args)
    if args.role in ("both", "server"):
        t.join()


if __name__ == "__main__":
    main()
