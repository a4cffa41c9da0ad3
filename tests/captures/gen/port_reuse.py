#!/usr/bin/env python3
"""Port reuse: two connections in a row over the same 4-tuple
(client 127.0.0.1:--cport -> server 127.0.0.1:--port).

In each one the server closes first, so the TIME-WAIT state stays on the
server side; the client (passive closer) ends in CLOSED and may bind the same
source port again at once (SO_REUSEADDR set anyway).  The server's kernel
accepts the new SYN for the TIME-WAIT 4-tuple because its sequence number and
timestamp are newer, so the two connections have different ISNs.
"""
import threading
import time

import common


def serve(lsock, n):
    for i in range(n):
        conn, peer = lsock.accept()
        with conn:
            common.log(f"server: connection {i + 1} from", peer,
                       common.recv_line(conn))
            conn.sendall(f"bye from connection {i + 1}\n".encode())
        # closed first: this side goes through FIN_WAIT_1/2 into TIME-WAIT
    lsock.close()


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=2, help="connections")
    p.add_argument("--gap", type=float, default=0.2,
                   help="seconds between the connections")
    args = p.parse_args()

    lsock = common.listen(args.host, args.port)
    t = threading.Thread(target=serve, args=(lsock, args.count))
    t.start()

    for i in range(args.count):
        with common.connect(args, reuseaddr=True) as s:
            s.sendall(f"hello from connection {i + 1}\n".encode())
            common.log("client got", common.recv_line(s))
            common.drain(s)          # wait for the server's FIN, then close
        time.sleep(args.gap)
    t.join()


if __name__ == "__main__":
    main()
