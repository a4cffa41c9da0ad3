#!/usr/bin/env python3
"""Half-close: the client sends its request and shutdown(SHUT_WR)s (FIN),
the server, having read to end of stream, still sends its reply lines over
the half-open connection, then closes; the client reads them all and closes.
"""
import socket
import threading
import time

import common


def serve(lsock, reply_lines, gap):
    conn, peer = lsock.accept()
    with conn:
        request = b""
        while True:                  # read the request up to the client's FIN
            b = conn.recv(4096)
            if not b:
                break
            request += b
        common.log("server: request", request, "then EOF")
        for i in range(1, reply_lines + 1):   # sending is still allowed
            conn.sendall(f"reply line {i} after your FIN\n".encode())
            time.sleep(gap)
    lsock.close()


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--lines", type=int, default=3, help="reply lines")
    p.add_argument("--gap", type=float, default=0.05,
                   help="seconds between reply lines")
    args = p.parse_args()

    lsock = common.listen(args.host, args.port)
    t = threading.Thread(target=serve, args=(lsock, args.lines, args.gap))
    t.start()

    with common.connect(args) as s:
        s.sendall(b"GET everything\n")
        s.shutdown(socket.SHUT_WR)   # FIN: "I have nothing more to send"
        reply = b""
        while True:
            b = s.recv(4096)
            if not b:
                break
            reply += b
        common.log("client: got", reply.count(b"\n"), "lines after its FIN")
    t.join()


if __name__ == "__main__":
    main()
