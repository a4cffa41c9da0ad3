#!/usr/bin/env bash
# Lab 6 (live, needs root): slow start and congestion avoidance, reno pinned on the sender: tcpviz lab slow-start.
source "$(dirname "$0")/run_lab.sh"
run_lab slow-start "" "$@"
