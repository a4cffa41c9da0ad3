#!/usr/bin/env bash
# Lab 4: loss, duplicate ACKs, fast retransmit: tcpviz lab fast-retransmit on a recorded capture.
source "$(dirname "$0")/run_lab.sh"
run_lab fast-retransmit "tests/captures/loss_retrans.pcap" "$@"
