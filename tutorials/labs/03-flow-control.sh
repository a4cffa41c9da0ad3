#!/usr/bin/env bash
# Lab 3: flow control. The receiver's window says how many more bytes it can
# take; a full buffer advertises 0 and the sender must stop.
source "$(dirname "$0")/lab.sh"
lab_options tests/captures/zero_window.pcap "$@"

heading "Lab 3: flow control and the zero window"
say "The server set a 4 KiB receive buffer (SO_RCVBUF) and did not call recv()" \
    "for 3 seconds while the client sent 24 KiB. Watch the server's win=."
ladder 1 14

zero=$(q "(first(lambda e: has(e, 'zero_window')) or {}).get('frame')")
if [[ $zero == None ]]; then echo "lab: the first connection in $capture never advertises a zero window" >&2; exit 2; fi
zdir=$(q "first(lambda e: e['frame'] == $zero)['dir']")
receiver=$([[ $zdir == s2c ]] && echo server || echo client)
sender=$([[ $zdir == s2c ]] && echo client || echo server)

ask "How much may the $sender send before it hears from the $receiver again, right after the handshake?"
answer "$(q "(first(lambda e: e['dir'] == '$zdir' and 'SYN' in e['flags']) or {}).get('win')") bytes: the window in the $receiver's SYN segment, the room in its receive buffer." ok ok

full=$(q "(first(lambda e: has(e, 'window_full') and e['dir'] != '$zdir') or {}).get('frame')")
if [[ $full != None ]]; then
  ask "Which segment fills the $receiver's window exactly?"
  answer "Frame $full, tagged window_full: its last byte reaches the right edge of the advertised window (ack + win)." ok ok
fi

ask "What does the $receiver say once its buffer is full, and what must the $sender do?"
answer "Frame $zero: win=0 (zero_window). The $sender must stop sending data until the window opens." ok ok

ask "While the window is 0, does the $sender send any new data?"
update=$(q "(first(lambda e: has(e, 'window_update') and e['dir'] == '$zdir' and e['frame'] > $zero) or {}).get('frame')")
if [[ $update == None ]]; then echo "lab: the window never opens again in $capture" >&2; exit 2; fi
# New data: bytes in the other direction that are neither a probe nor sent before.
sent=$(q "sum(e['len'] for e in cev if e['dir'] != '$zdir' and $zero < e['frame'] < $update and (e['len'] or 0) > 0 and not any(has(e, n) for n in ('zero_window_probe', 'keep_alive', 'retransmission', 'out_of_order')))")
answer "No new bytes ($sent) between frame $zero and the window update in frame $update. It only probes: Linux sends empty segments one byte below the next sequence number (Wireshark and tcpviz call them keep_alive), backing off, and the $receiver answers each with its window, still 0." \
  "$sent" 0

ask "What starts the transfer again?"
answer "Frame $update, window_update: the $receiver's application read, so its buffer has room again (win=$(q "first(lambda e: e['frame'] == $update)['win']")) and the $sender resumes at once." ok ok
lab_end
