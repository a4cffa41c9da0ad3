#!/usr/bin/env bash
# Lab 3: flow control. The receiver's window says how many more bytes it can
# take; a full buffer advertises 0 and the sender must stop.
source "$(dirname "$0")/lab.sh"
lab_options tests/captures/zero_window.pcap "$@"

heading "Lab 3: flow control and the zero window"
say "The server set a 4 KiB receive buffer (SO_RCVBUF) and did not call recv()" \
    "for 3 seconds while the client sent 24 KiB. Watch the server's win=."
ladder 1 14

ask "How much may the client send before it hears from the server again, right after the handshake?"
answer "$(q "first(lambda e: e['dir'] == 's2c' and 'SYN' in e['flags'])['win']") bytes: the window in the server's SYN-ACK, the room in its receive buffer." ok ok

ask "Which segment fills the server's window exactly?"
full=$(q "(first(lambda e: has(e, 'window_full')) or {}).get('frame')")
answer "Frame $full, tagged window_full: its last byte reaches the right edge of the advertised window (ack + win)." \
  "$([[ $full != None ]] && echo found)" found

ask "What does the server say once its buffer is full, and what must the client do?"
zero=$(q "(first(lambda e: has(e, 'zero_window')) or {}).get('frame')")
if [[ $zero == None ]]; then echo "lab: no zero window in $capture" >&2; exit 2; fi
answer "Frame $zero: win=0 (zero_window). The client must stop sending data until the window opens." \
  "$(q "next(e['win'] for e in ev if e['frame'] == $zero)")" 0

ask "While the window is 0, does the client send any new data?"
update=$(q "(first(lambda e: has(e, 'window_update') and e['frame'] > $zero) or {}).get('frame')")
if [[ $update == None ]]; then echo "lab: the window never opens again in $capture" >&2; exit 2; fi
sent=$(q "sum(e['len'] for e in ev if e['dir'] == 'c2s' and $zero < e['frame'] < $update and e['len'] > 0 and not has(e, 'zero_window_probe'))")
answer "No new bytes ($sent) between frame $zero and the window update in frame $update. It only probes: Linux sends empty segments one byte below the next sequence number (Wireshark and tcpviz call them keep_alive), backing off, and the server answers each with its window, still 0." \
  "$sent" 0

ask "What starts the transfer again?"
answer "Frame $update, window_update: the server's application read, so its buffer has room again (win=$(q "next(e['win'] for e in ev if e['frame'] == $update)")) and the client resumes at once." \
  "$(q "next(e['win'] for e in ev if e['frame'] == $update) > 0")" True
lab_end
