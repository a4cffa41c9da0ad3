#!/usr/bin/env python3
"""Abortive close: the client sends a line, then closes with SO_LINGER
{l_onoff=1, l_linger=0}, so the kernel sends RST instead of FIN.

The server reads the line and then sees ECONNRESET on its next recv().
"""
import socket
import struct
import threading
import time

import common


def serve(lsock):
    conn, peer = lsock.accept()
    with conn:
        common.log("server got", common.recv_line(conn))
        try:
            data = conn.recv(100)
            common.log("server: unexpected", data)
        except ConnectionResetError as e:
            common.log("server: connection reset by peer:", e)


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--wait", type=float, default=0.1,
                   help="seconds between the line and the abortive close")
    args = p.parse_args()

    lsock = common.listen(args.host, args.port)
    t = threading.Thread(target=serve, args=(lsock,))
    t.start()

    s = common.connect(args)
    s.sendall(b"hello, and goodbye\n")
    time.sleep(args.wait)
    # struct linger { int l_onoff; int l_linger; } = {1, 0}: close() aborts.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    common.log("client: closed with RST")
    t.join()
    lsock.close()


if __name__ == "__main__":
    main()
