"""Checks a lab's Chinese output for English words outside the ladder, the
set-up commands, numbers and identifiers. Prints each offending line."""
import re
import sys

# Names that stay as they are in Chinese teaching: TCP flags, protocol and
# field names, option names. A word made only of these is fine.
ALLOWED = {
    "SYN", "ACK", "FIN", "RST", "PSH", "URG", "SYN-ACK", "TCP", "IP", "IPv4", "IPv6", "UDP", "MSS", "MTU",
    "RTT", "RTO", "SACK", "cwnd", "ssthresh", "ca_state", "TCP_INFO", "Reno", "reno", "CUBIC", "cubic", "BBR", "bbr",
    "Nagle", "RFC", "TIME-WAIT", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "LAST-ACK", "CLOSED", "ESTABLISHED",
    "SYN-SENT", "SYN-RECEIVED", "LISTEN", "CLOSING", "netem", "tbf", "iptables", "sysctl", "tcpviz",
    "Open", "Loss", "Recovery", "Disorder", "CWR", "Wireshark", "KB", "MB", "KiB", "MiB", "Mbit", "kbit", "ms",
    "NUL", "MAC", "ARP", "veth", "len", "C", "Linux", "RACK",
}
# Lines that are not sentences: the ladder (frame lines, lanes, notes from the
# analyzer), commands, files.
SKIP_SECTIONS = ("-- 梯形图", "-- 实验环境", "-- 文件")


def words(line):
    # Data, not prose: quoted strings (what programs printed or were typed),
    # `commands`, [byte lists], hex numbers, printf formats, C escapes.
    for pattern in (r'"[^"]*"', r"`[^`]*`", r"\[[^\]]*\]", r"\b0x[0-9a-fA-F]+\b", r"%[a-z]", r"'[^']{1,4}'"):
        line = re.sub(pattern, " ", line)
    line = re.sub(r"\S*[/_=()\[\].:<>-]\S*", lambda m: "" if re.search(r"[/_=()\[\]<>]|\.\w|\w:\w|\w-\w", m.group()) else m.group(), line)
    # A word with a digit in it (IPv4, EN10MB) is a name, not English.
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", line) if not re.search(r"[0-9]", w)]


bad = 0
skipping = False
for raw in open(sys.argv[1], encoding="utf-8"):
    line = raw.rstrip("\n")
    if line.startswith("-- "):
        skipping = line.startswith(SKIP_SECTIONS)
        continue
    # Indented four spaces: a program's output quoted verbatim (ss tables).
    if skipping or line.startswith("tcpviz: ") or line.startswith("    "):
        continue
    # errno names (ECONNREFUSED) are identifiers too.
    english = [w for w in words(line)
               if w not in ALLOWED and w.strip("-") not in ALLOWED and not re.fullmatch(r"E[A-Z]{3,}", w)]
    if english:
        bad += 1
        print("English in a Chinese line: %s  <- %s" % (line, ", ".join(english)))
sys.exit(1 if bad else 0)
