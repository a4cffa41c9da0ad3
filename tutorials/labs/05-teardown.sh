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
if [[ $fin == None ]]; then echo "lab: no FIN teardown in $capture" >&2; exit 2; fi
by=$(q "c['teardown']['by']")
other=$([[ $by == client ]] && echo server || echo client)

ask "Who closes first, and what does the ACK of that FIN acknowledge?"
fin_end=$(q "next(e['seq'] + e['len'] + 1 for e in ev if e['frame'] == $fin)")
fin_ack=$(q "next(e['ack'] for e in ev if e['frame'] > $fin and e['dir'] != next(f['dir'] for f in ev if f['frame'] == $fin) and 'ACK' in e['flags'] and e['ack'] >= $fin_end)")
answer "The $by, in frame $fin. The ACK for it carries ack=$fin_ack: the FIN's seq + its data + 1, because a FIN takes up one sequence number, like a SYN." \
  "$fin_ack" "$fin_end"

ask "Can the $other still send after the $by's FIN?"
after=$(q "sum(e['len'] for e in ev if e['frame'] > $fin and e['dir'] == ('s2c' if '$by' == 'client' else 'c2s'))")
answer "Yes: a FIN closes one direction only. The $other sent $after bytes after it (teardown style: $(q "c['teardown']['style']"))." ok ok

ask "Which states does each side go through, and which segment moves it?"
q "'\n'.join('   frame %3d  %-6s %s -> %s' % (s['frame'], s['side'], s['from'], s['to']) for s in c['states'])"
answer "The side that closes first goes FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT; the other CLOSE-WAIT (its application still has to close), LAST-ACK, CLOSED." ok ok

ask "Which side ends in TIME-WAIT, and why does it wait?"
answer "The $by, the one that closed first: it stays in TIME-WAIT for twice the maximum segment lifetime (60 s on Linux), so that a lost last ACK can be sent again and old segments die out before the port pair is reused." \
  "$(q "c['final_states']['$by']")" TIME-WAIT
say "" "An abortive close looks different: SO_LINGER with a zero timeout makes close()" \
       "send RST instead of FIN -- no FIN-WAIT, no TIME-WAIT. See it with" \
       "  tcpviz analyze tests/captures/rst_linger.pcap --format text --notes"
lab_end
