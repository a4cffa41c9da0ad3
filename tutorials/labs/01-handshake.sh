#!/usr/bin/env bash
# Lab 1: the three-way handshake, sequence and acknowledgment numbers.
source "$(dirname "$0")/lab.sh"
lab_options tests/captures/handshake_data_fin.pcap "$@"

heading "Lab 1: the three-way handshake, seq and ack"
say "A client connects (connect()), the server accepts (listen()/accept()), the" \
    "client sends three short lines and the server echoes each one. Read the" \
    "first segments of the ladder: time runs down, the client is on the left."
ladder 1 7

ask "The client's SYN carries its initial sequence number (ISN). What is it?"
isn_c=$(q "c['isn']['client']")
answer "$isn_c. The ladder shows seq=0 because tcpviz, like Wireshark, counts relative to the ISN." ok ok

ask "What ack number does the server's SYN-ACK carry, and why that one?"
synack_ack=$(q "first(lambda e: 'SYN' in e['flags'] and 'ACK' in e['flags'])['ack_raw']")
answer "$synack_ack: the client's ISN + 1. A SYN takes up one sequence number, and ack always names the next byte expected." \
  "$synack_ack" "$(( (isn_c + 1) % 4294967296 ))"

ask "The client's third segment completes the handshake. What does its ack acknowledge?"
isn_s=$(q "c['isn']['server']")
hs_ack=$(q "next(e for e in ev if e['frame'] == c['handshake']['ack_frame'])['ack_raw']")
answer "$hs_ack: the server's ISN ($isn_s) + 1, for the server's SYN." "$hs_ack" "$(( (isn_s + 1) % 4294967296 ))"

ask "How long did the handshake take (SYN to the ACK that completes it)?"
answer "$(q "c['handshake']['rtt_ms']") ms: one round trip, here over loopback." ok ok

ask "The client's first data segment has seq=1 and carries len bytes. What ack will the server send back?"
data_seq=$(q "first(lambda e: e['dir'] == 'c2s' and e['len'] > 0)['seq']")
data_len=$(q "first(lambda e: e['dir'] == 'c2s' and e['len'] > 0)['len']")
reply_ack=$(q "next(e['ack'] for e in ev if e['dir'] == 's2c' and e['frame'] > first(lambda d: d['dir'] == 'c2s' and d['len'] > 0)['frame'])")
answer "ack=$reply_ack: seq $data_seq + len $data_len. The ack number is the next byte the receiver expects; data does not use up an extra number as SYN and FIN do." \
  "$reply_ack" "$((data_seq + data_len))"

ask "Does every ACK in this capture follow that rule, acknowledging exactly the bytes (and SYN/FIN) sent before it?"
bad=$(q "sum(1 for e in ev if e['dir'] == 's2c' and 'ACK' in e['flags'] and e['ack'] > max([d['seq'] + d['len'] + (1 if ('SYN' in d['flags'] or 'FIN' in d['flags']) else 0) for d in ev if d['dir'] == 'c2s' and d['frame'] < e['frame']] or [0]))")
answer "Yes: no ACK from the server acknowledges a byte the client had not sent yet ($bad such ACKs)." "$bad" 0
lab_end
