#!/usr/bin/env bash
# Lab 2: byte order. Numbers in TCP/IP headers travel big-endian ("network
# byte order"); x86 and most ARM machines keep them little-endian in memory.
# That is why socket code calls htons()/htonl() before sending a port or an
# address and ntohs()/ntohl() after reading one.
source "$(dirname "$0")/lab.sh"
lab_options tests/captures/handshake_data_fin.pcap "$@"

heading "Lab 2: byte order in a real TCP header"
say "The first frame of the capture is the client's SYN. This lab reads its" \
    "bytes straight from the capture file (classic pcap, Ethernet, IPv4)."

# The first frame's TCP header, read from the file with nothing but offsets:
# 24 bytes of pcap file header, 16 of record header, 14 of Ethernet, then the
# IPv4 header, whose length is the low 4 bits of its first byte times 4.
read_header() {
  python3 - "$capture" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
magic = data[:4]
if magic not in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
    sys.exit("this lab reads classic pcap files (tcpdump -w); convert with: editcap -F pcap IN OUT")
little = magic[0] in (0xd4, 0x4d)
link = struct.unpack("<I" if little else ">I", data[20:24])[0]
if link != 1:
    sys.exit("this lab reads Ethernet captures (link type 1)")
frame = 24 + 16
ip = frame + 14
if data[ip - 2:ip] != b"\x08\x00" or data[ip] >> 4 != 4 or data[ip + 9] != 6:
    sys.exit("this lab needs a capture whose first frame is TCP over IPv4 (no VLAN tag)")
tcp = ip + (data[ip] & 0x0F) * 4
print(data[:4].hex(" "), data[tcp:tcp + 2].hex(" "), data[tcp + 4:tcp + 8].hex(" "), sep="|")
PY
}
header=$(read_header)
[[ $(q "ev[0]['frame']") == 1 ]] || { echo "lab: the first frame of $capture is not a TCP segment" >&2; exit 2; }
IFS='|' read -r magic_bytes port_bytes seq_bytes <<<"$header"

say "" "The source port, as the 2 bytes on the wire:   $port_bytes" \
       "The sequence number, as the 4 bytes on the wire: $seq_bytes"

ask "Read the port bytes as a big-endian number (first byte most significant). What port is it?"
port_be=$(q "int.from_bytes(bytes.fromhex('${port_bytes// /}'), 'big')")
port_tcpviz=$(q "t['connections'][ev[0]['conn']]['client' if ev[0]['dir'] == 'c2s' else 'server']['port']")
answer "$port_be, the client's port, as tcpviz decoded it. A program that copied these bytes into a uint16_t on a little-endian machine without ntohs() would read $(q "int.from_bytes(bytes.fromhex('${port_bytes// /}'), 'little')") instead." \
  "$port_be" "$port_tcpviz"

ask "And the 4 sequence-number bytes, big-endian?"
seq_be=$(q "int.from_bytes(bytes.fromhex('${seq_bytes// /}'), 'big')")
answer "$seq_be: the client's ISN, tcpviz's seq_raw for frame 1 ($(q "ev[0]['seq_raw']")). Read little-endian it would be $(q "int.from_bytes(bytes.fromhex('${seq_bytes// /}'), 'little')")." \
  "$seq_be" "$(q "ev[0]['seq_raw']")"

ask "The capture file's own first 4 bytes are $magic_bytes. Which byte order did the machine that wrote it use?"
if [[ $magic_bytes == "d4 c3 b2 a1" || $magic_bytes == "4d 3c b2 a1" ]]; then order=little; else order=big; fi
answer "$order-endian: the pcap format stores its own headers in the writer's byte order (the magic number a1b2c3d4 tells readers which), while the packets inside keep network byte order." ok ok
lab_end
