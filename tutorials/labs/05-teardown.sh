#!/usr/bin/env bash
# Lab 5: teardown, half-close and TIME-WAIT: tcpviz lab teardown on a recorded capture.
source "$(dirname "$0")/run_lab.sh"
run_lab teardown "tests/captures/half_close.pcap" "$@"
