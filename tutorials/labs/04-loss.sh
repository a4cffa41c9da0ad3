#!/usr/bin/env bash
# Lab 4: loss, duplicate ACKs and fast retransmit.
source "$(dirname "$0")/lab.sh"
lab_options tests/captures/loss_retrans.pcap "$@"

heading "Lab 4: loss, duplicate ACKs, fast retransmit"
say "A 3 MiB transfer over a 20 Mbit/s link that drops 2% of the data at" \
    "random, captured at the sender. Every lost segment shows up twice: once" \
    "when it was sent, once when it was sent again."

fast=$(q "(first(lambda e: has(e, 'fast_retransmission')) or {}).get('frame')")
if [[ $fast == None ]]; then echo "lab: no fast retransmission in $capture" >&2; exit 2; fi
ladder "$(q "max(1, $fast - 8)")" "$fast"

ask "How does the sender learn, long before any timer runs out, that a segment was lost?"
dups=$(q "sum(1 for e in ev if has(e, 'duplicate_ack') and e['frame'] < $fast and e['ack'] == next(f['seq'] for f in ev if f['frame'] == $fast))")
answer "From duplicate ACKs: the receiver keeps acknowledging the same byte -- the first one missing -- for every later segment that arrives ($dups duplicate ACKs asked for it before frame $fast). Three duplicates are Reno's signal; Linux with SACK may act on fewer." \
  "$(q "$dups >= 2")" True

ask "Which bytes does the fast retransmission in frame $fast send again?"
fast_seq=$(q "next(e['seq'] for e in ev if e['frame'] == $fast)")
dup_ack=$(q "[e['ack'] for e in ev if has(e, 'duplicate_ack') and e['frame'] < $fast][-1]")
answer "From seq=$fast_seq: exactly the byte the duplicate ACKs ask for (ack=$dup_ack)." "$fast_seq" "$dup_ack"

ask "How many segments were sent again in the whole transfer, and how many of those were fast retransmissions?"
answer "$(q "sum(1 for e in ev if has(e, 'retransmission'))") retransmissions, $(q "sum(1 for e in ev if has(e, 'fast_retransmission'))") of them fast; the others were resent after a timeout or from SACK information." ok ok

lab_end
