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

fdir=$(q "first(lambda e: e['frame'] == $fast)['dir']")
fast_seq=$(q "first(lambda e: e['frame'] == $fast)['seq']")
# The receiver's duplicate ACKs before it, asking for the byte it resends.
dups=$(q "sum(1 for e in cev if has(e, 'duplicate_ack') and e['dir'] != '$fdir' and e['frame'] < $fast and e['ack'] == $fast_seq)")

ask "How does the sender learn, long before any timer runs out, that a segment was lost?"
answer "From duplicate ACKs: the receiver keeps acknowledging the same byte -- the first one missing -- for every later segment that arrives ($dups duplicate ACKs asked for byte $fast_seq before frame $fast). Three duplicates are Reno's signal; Linux with SACK may act on fewer." ok ok

ask "Which bytes does the fast retransmission in frame $fast send again, and had they been sent before?"
earlier=$(q "(next((e for e in cev if e['dir'] == '$fdir' and e['frame'] < $fast and e['seq'] <= $fast_seq < e['seq'] + (e['len'] or 0)), None) or {}).get('frame')")
answer "From seq=$fast_seq, the byte the duplicate ACKs ask for; frame $earlier had first carried it." \
  "$([[ $earlier != None && $dups -ge 1 ]] && echo sent-before)" sent-before

ask "How many segments were sent again in the whole transfer, and how many of those were fast retransmissions?"
answer "$(q "sum(1 for e in cev if has(e, 'retransmission'))") retransmissions, $(q "sum(1 for e in cev if has(e, 'fast_retransmission'))") of them fast; the others were resent after a timeout or from SACK information." ok ok

lab_end
