#!/usr/bin/env python3
"""Make one connection attempt and report how it ended.

Used for refused.pcap (nothing listens: the SYN is answered by RST-ACK) and
syn_retransmit.pcap (the server side drops SYNs: the kernel retransmits the
SYN tcp_syn_retries times, then connect() fails with ETIMEDOUT).
"""
import errno
import sys

import common


def main():
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--expect", choices=["connected", "refused", "timeout"],
                   default="connected", help="outcome to expect (exit 1 otherwise)")
    args = p.parse_args()

    s = common.client_socket(args)
    try:
        s.connect((args.host, args.port))   # blocking: no socket timeout
        outcome = "connected"
    except ConnectionRefusedError:
        outcome = "refused"
    except OSError as e:
        if e.errno != errno.ETIMEDOUT:
            raise
        outcome = "timeout"
    finally:
        s.close()
    common.log("connect:", outcome)
    sys.exit(0 if outcome == args.expect else 1)


if __name__ == "__main__":
    main()
