#!/usr/bin/env python3
"""The oracle at every snaplen: cuts real captures short at each byte of the
TCP header (and further into the options and payload) with editcap, then
compares tcpviz and tshark on every cut file with compare_with_tshark.py.

A capture made with a small snaplen (60 bytes on `-i any` with IPv6 leaves
no TCP header at all) must agree with tshark field by field as much as a
whole one: Wireshark shows the ports from 4 bytes of TCP header on, seq,
ack, flags and window from 16, the analysis from 20 and the options as far
as they were captured.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

# Bytes of TCP header kept: every one up to the options, then steps into them.
EVERY_CUT = list(range(0, 21)) + [22, 24, 28, 32, 36, 40, 44]
# Cuts through the options of a bulk transfer's ACKs (timestamps, then SACK blocks).
OPTION_CUTS = [16, 20, 24, 32, 36, 40, 44, 48]

# (capture in tests/captures, bytes before the TCP header in its frames, cuts)
CAPTURES = [
    ("handshake_data_fin.pcap", 14 + 20, EVERY_CUT),  # Ethernet, IPv4
    ("ipv6.pcap", 14 + 40, EVERY_CUT),                # Ethernet, IPv6
    ("any_sll2.pcap", 20 + 20, EVERY_CUT),            # Linux cooked v2 (-i any), IPv4
    ("loss_retrans.pcap", 14 + 20, OPTION_CUTS),      # SACK blocks, retransmissions, dup ACKs
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tcpviz", required=True)
    parser.add_argument("--captures", required=True, help="the tests/captures folder")
    args = parser.parse_args()
    for tool in ("tshark", "editcap"):
        if shutil.which(tool) is None:
            print(f"FAIL: {tool} is not installed; run scripts/setup.sh (this test needs it)")
            return 1
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        for name, before_tcp, cuts in CAPTURES:
            source = os.path.join(args.captures, name)
            stem = os.path.splitext(name)[0]
            for kept in cuts:
                cut = os.path.join(tmp, f"{stem}-s{before_tcp + kept}.pcap")
                subprocess.run(["editcap", "-s", str(before_tcp + kept), source, cut], check=True,
                               capture_output=True)
        compare = [sys.executable, os.path.join(here, "compare_with_tshark.py"), "--tcpviz", args.tcpviz,
                   "--known", os.path.join(here, "known_differences.txt"), tmp]
        return subprocess.run(compare, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
