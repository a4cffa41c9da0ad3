#!/usr/bin/env python3
"""A tiny line-echo conversation: handshake, a few lines each way, and a
graceful four-way close (client FIN, server ACK, server FIN, client ACK).

Server (a thread) and client run in this one process:
  client -> "hello 1\\n"   server -> "echo: hello 1\\n"   (x --lines)
  client close()  -> FIN;  server sees EOF, waits 0.25 s, close() -> FIN
Used for handshake_data_fin, ipv6, any_sll*, pcapng_basic.
"""
import threading
import time

import common


def serve(lsock, linger_before_close):
    conn, peer = lsock.accept()
    common.log("server: accepted", peer)
    with conn:
        while True:
            line = common.recv_line(conn)
            if not line:            # client's FIN: end of stream
                break
            conn.sendall(b"echo: " + line)
        # Linux ACKs a FIN with a delayed ACK (40-200 ms); waiting longer
        # than that before our own FIN keeps the two apart, so the teardown
        # shows all four segments (FIN, ACK, FIN, ACK).
        time.sleep(linger_before_close)
    common.log("server: closed")


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--lines", type=int, default=3, help="lines the client sends")
    p.add_argument("--gap", type=float, default=0.05,
                   help="seconds between client lines (default %(default)s)")
    args = p.parse_args()

    lsock = common.listen(args.host, args.port)
    t = threading.Thread(target=serve, args=(lsock, 0.25))
    t.start()

    with common.connect(args) as s:
        for i in range(1, args.lines + 1):
            s.sendall(f"hello {i}\n".encode())
            common.log("client got", common.recv_line(s))
            time.sleep(args.gap)
    common.log("client: closed")
    t.join()
    lsock.close()


if __name__ == "__main__":
    main()
