#!/usr/bin/env bash
# Lab 3: flow control and the zero window: tcpviz lab zero-window on a recorded capture.
source "$(dirname "$0")/run_lab.sh"
run_lab zero-window "tests/captures/zero_window.pcap" "$@"
