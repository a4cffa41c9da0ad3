#!/usr/bin/env python3
"""Keep-alive: one line, then an idle connection whose client has
SO_KEEPALIVE with TCP_KEEPIDLE=1 s and TCP_KEEPINTVL=1 s, so the kernel sends
a keep-alive probe (seq = snd_nxt - 1, no data) about every second and the
server's kernel answers each with an ACK.  Then a normal close.
"""
import socket
import threading
import time

import common


def serve(lsock):
    conn, _ = lsock.accept()
    with conn:
        common.log("server got", common.recv_line(conn))
        common.drain(conn)           # idle until the client's FIN
    lsock.close()


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--idle", type=float, default=3.5,
                   help="seconds to stay idle (default %(default)s)")
    args = p.parse_args()

    lsock = common.listen(args.host, args.port)
    t = threading.Thread(target=serve, args=(lsock,))
    t.start()

    with common.connect(args) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
        s.sendall(b"hello, then silence\n")
        time.sleep(args.idle)
    t.join()


if __name__ == "__main__":
    main()
