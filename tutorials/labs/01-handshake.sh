#!/usr/bin/env bash
# Lab 1: the three-way handshake, sequence and acknowledgment numbers.
source "$(dirname "$0")/lab.sh"
lab_options tests/captures/handshake_data_fin.pcap "$@"

heading "Lab 1: the three-way handshake, seq and ack"
say "A client connects (connect()), the server accepts (listen()/accept()), the" \
    "client sends three short lines and the server echoes each one. Read the" \
    "first segments of the ladder: time runs down, the client is on the left."
ladder 1 7

if [[ $(q "c is not None and c['handshake']['complete'] and c['isn']['client'] is not None") != True ]]; then
  echo "lab: the first connection in $capture has no complete handshake to look at" >&2
  exit 2
fi

ask "The client's SYN carries its initial sequence number (ISN). What is it?"
isn_c=$(q "c['isn']['client']")
answer "$isn_c. The ladder shows seq=0 because tcpviz, like Wireshark, counts relative to the ISN." ok ok

ask "What ack number does the server's SYN-ACK carry, and why that one?"
synack_ack=$(q "first(lambda e: 'SYN' in e['flags'] and 'ACK' in e['flags'])['ack_raw']")
answer "$synack_ack: the client's ISN + 1. A SYN takes up one sequence number, and ack always names the next byte expected." \
  "$synack_ack" "$(( (isn_c + 1) % 4294967296 ))"

ask "The client's third segment completes the handshake. What does its ack acknowledge?"
isn_s=$(q "c['isn']['server']")
hs_ack=$(q "next(e for e in cev if e['frame'] == c['handshake']['ack_frame'])['ack_raw']")
answer "$hs_ack: the server's ISN ($isn_s) + 1, for the server's SYN." ok ok

ask "How long did the handshake take (SYN to the ACK that completes it)?"
answer "$(q "c['handshake']['rtt_ms']") ms: one round trip, here over loopback." ok ok

data=$(q "(first(lambda e: e['dir'] == 'c2s' and (e['len'] or 0) > 0) or {}).get('frame')")
if [[ $data != None ]]; then
  ask "The client's first data segment (frame $data) has seq=$(q "first(lambda e: e['frame'] == $data)['seq']") and len=$(q "first(lambda e: e['frame'] == $data)['len']"). What ack does the server answer with?"
  reply=$(q "(first(lambda e: e['dir'] == 's2c' and e['frame'] > $data and 'ACK' in e['flags']) or {}).get('ack')")
  answer "ack=$reply: seq + len, the next byte the server expects (an ACK may also cover several segments at once). Data does not use up an extra number as SYN and FIN do." ok ok
fi

ask "Does any ACK from the server acknowledge a byte the client had not sent yet?"
# Relative numbers, within the first connection; fine below 4 GiB of data.
bad=$(q "sum(1 for e in cev if e['dir'] == 's2c' and 'ACK' in e['flags'] and e['ack'] is not None and e['ack'] > max([d['seq'] + d['len'] + (1 if ('SYN' in d['flags'] or 'FIN' in d['flags']) else 0) for d in cev if d['dir'] == 'c2s' and d['frame'] < e['frame'] and d['len'] is not None] or [0]))")
answer "No ($bad such ACKs): an ACK only acknowledges what arrived. (On a capture that missed segments, Wireshark and tcpviz mark such an ACK ack_lost_segment, \"ACKed unseen segment\".)" \
  "$bad" "$(q "sum(1 for e in cev if e['dir'] == 's2c' and has(e, 'ack_lost_segment'))")"
lab_end
