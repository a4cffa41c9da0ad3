#!/usr/bin/env python3
"""Simultaneous close: both ends send their FIN before either receives the
other's, so both go FIN_WAIT_1 -> CLOSING -> TIME_WAIT (RFC 9293, figure 13).

On loopback a FIN reaches the peer within microseconds, so record.sh slows
the link down with a tbf qdisc (rate 32 kbit/s, a bucket smaller than two
packets): every segment then waits ~17 ms in the queue.  The client sends
"bye" and shutdown(SHUT_WR)s at once, so its FIN waits in the queue; the
server, as soon as it reads "bye", shuts down too, long before the client's
FIN comes out of the queue.  So the FINs cross.

Exit status 0 if both ends ended in TIME-WAIT (only an active closer gets
there, so both FINs crossed), 3 otherwise.
"""
import socket
import sys
import threading
import time

import common


def time_wait_count(a, b):
    """TIME-WAIT sockets (state 06) of this network namespace between ports
    a and b; /proc/net/tcp{,6} lists sockets as hex ADDR:PORT."""
    n = 0
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(path) as f:
            for row in f.readlines()[1:]:
                local, remote, state = row.split()[1:4]
                ports = {int(local.split(":")[1], 16), int(remote.split(":")[1], 16)}
                n += state == "06" and ports == {a, b}
    return n


def serve(lsock):
    conn, _ = lsock.accept()
    with conn:
        common.log("server got", common.recv_line(conn))
        conn.shutdown(socket.SHUT_WR)   # our FIN: the client's is still queued
        common.drain(conn)
    lsock.close()


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--wait", type=float, default=2.0,
                   help="seconds to wait for the queued segments before checking")
    args = p.parse_args()

    lsock = common.listen(args.host, args.port)
    t = threading.Thread(target=serve, args=(lsock,))
    t.start()

    with common.connect(args) as s:
        s.sendall(b"bye\n")
        s.shutdown(socket.SHUT_WR)       # FIN right behind our "bye"
        common.drain(s)
    t.join()
    time.sleep(args.wait)                # the last ACKs are still in the queue
    both = time_wait_count(args.port, args.cport) == 2
    common.log("simultaneous close:", "yes" if both else "no")
    sys.exit(0 if both else 3)


if __name__ == "__main__":
    main()
