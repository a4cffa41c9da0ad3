#!/usr/bin/env bash
# Lab 5: closing a connection: FIN in each direction, half-close, the TCP
# states on both sides, TIME-WAIT.
source "$(dirname "$0")/lab.sh"
lab_options tests/captures/half_close.pcap "$@"

heading "Lab 5: teardown, half-close and the TCP states"
say "The client sends one request and calls shutdown(SHUT_WR): its FIN says" \
    "\"I will send nothing more\", but it keeps reading. The server still sends" \
    "its answer over the half-open connection, then close()s its side."
ladder

fin=$(q "c['teardown']['fin_frames'][c['teardown']['by']] if c['teardown']['kind'] == 'fin' else None")
if [[ $fin == None ]]; then echo "lab: the first connection in $capture does not close with a FIN" >&2; exit 2; fi
by=$(q "c['teardown']['by']")
other=$([[ $by == client ]] && echo server || echo client)
fdir=$(q "first(lambda e: e['frame'] == $fin)['dir']")

ask "Who closes first, and what does the ACK of that FIN acknowledge?"
fin_end=$(q "first(lambda e: e['frame'] == $fin)['seq'] + first(lambda e: e['frame'] == $fin)['len'] + 1")
fin_ack=$(q "(first(lambda e: e['frame'] > $fin and e['dir'] != '$fdir' and 'ACK' in e['flags'] and e['ack'] is not None and e['ack'] >= $fin_end) or {}).get('ack')")
if [[ $fin_ack == None ]]; then
  answer "The $by, in frame $fin; this capture ends before the $other acknowledges it." ok ok
else
  answer "The $by, in frame $fin. The ACK for it carries ack=$fin_ack: the FIN's seq + its data + 1, because a FIN takes up one sequence number, like a SYN." \
    "$fin_ack" "$fin_end"
fi

ask "Can the $other still send after the $by's FIN?"
after=$(q "sum(e['len'] or 0 for e in cev if e['frame'] > $fin and e['dir'] != '$fdir')")
answer "Yes: a FIN closes one direction only. The $other sent $after bytes after it (teardown style: $(q "c['teardown']['style']"))." ok ok

ask "Which states does each side go through, and which segment moves it?"
q "'\n'.join('   frame %3d  %-6s %s -> %s' % (s['frame'], s['side'], s['from'], s['to']) for s in c['states'])"
answer "The side that closes first goes FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT; the other CLOSE-WAIT (its application still has to close), LAST-ACK, CLOSED." ok ok

ask "Which side ends in TIME-WAIT, and why does it wait?"
if [[ $(q "c['teardown']['complete']") == True ]]; then
  answer "The $by, the one that closed first: it stays in TIME-WAIT for twice the maximum segment lifetime (60 s on Linux), so that a lost last ACK can be sent again and old segments die out before the port pair is reused." \
    "$(q "c['final_states']['$by']")" TIME-WAIT
else
  answer "None yet: this capture ends before both FINs are acknowledged; the $by is in $(q "c['final_states']['$by']")." ok ok
fi
say "" "An abortive close looks different: SO_LINGER with a zero timeout makes close()" \
       "send RST instead of FIN -- no FIN-WAIT, no TIME-WAIT. See it with" \
       "  tcpviz analyze tests/captures/rst_linger.pcap --format text --notes"
lab_end
