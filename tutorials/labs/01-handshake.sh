#!/usr/bin/env bash
# Lab 1: the three-way handshake, seq and ack: tcpviz lab handshake on a recorded capture.
source "$(dirname "$0")/run_lab.sh"
run_lab handshake "tests/captures/handshake_data_fin.pcap" "$@"
