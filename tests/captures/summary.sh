#!/usr/bin/env bash
# Print, for each capture in this folder (or the files given), its packet
# count, link type and how many frames tshark flags with each tcp.analysis.*
# flag -- the reference the analyzer's tests compare against.
#   tests/captures/summary.sh [FILE...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
FLAGS=(retransmission fast_retransmission spurious_retransmission out_of_order
       lost_segment ack_lost_segment duplicate_ack zero_window zero_window_probe
       zero_window_probe_ack window_update window_full keep_alive keep_alive_ack
       reused_ports)
fields=()
for f in "${FLAGS[@]}"; do fields+=(-e "tcp.analysis.$f"); done
files=("$@")
[[ ${#files[@]} -gt 0 ]] || files=(*.pcap *.pcapng)
printf '| file | packets | link type | tcp.analysis flags (frames) |\n|---|---|---|---|\n'
for file in "${files[@]}"; do
    encap=$(capinfos -E -T -r "$file" | cut -f2)
    tshark -r "$file" -T fields "${fields[@]}" 2>/dev/null |
        awk -F'\t' -v file="$(basename "$file")" -v encap="$encap" -v names="${FLAGS[*]}" '
            BEGIN { n = split(names, flag, " ") }
            { packets++; for (i = 1; i <= n; i++) if ($i != "") count[i]++ }
            END {
                out = ""
                for (i = 1; i <= n; i++)
                    if (count[i]) out = out (out ? ", " : "") flag[i] "=" count[i]
                printf "| %s | %d | %s | %s |\n", file, packets, encap, out ? out : "none"
            }'
done
