#!/usr/bin/env bash
# Re-record tcpviz's test captures from real traffic.
#
#   sudo tests/captures/record.sh            # record every capture
#   sudo tests/captures/record.sh NAME...    # only these (e.g. zero_window)
#   tests/captures/record.sh --list          # list the names
#
# Every capture is made inside fresh network namespaces that this script
# creates and deletes, so the host's own interfaces, firewall and sockets are
# never touched and the fixed ports (server 6666, client 50000) never clash:
#   - loopback captures: one namespace, its own lo (127.0.0.1, ::1);
#   - two-host captures: namespaces "client" (198.18.0.1/24 on veth "vc") and
#     "server" (198.18.0.2/24 on veth "vs"), joined by a veth pair, or, for
#     loss_receiver, with a forwarding "router" namespace between them
#     (198.18.0.254/24 | 198.18.1.254/24, server 198.18.1.2/24); addresses
#     from the benchmarking range 198.18.0.0/15 (RFC 2544) only.
# The traffic comes from the small Python scripts in gen/ (standard library
# only).  A capture is written to a temporary directory and moved here only
# when it succeeded, so a failed run leaves the committed file alone.
# Needs root, tcpdump, iproute2 (ip, tc, ss), iptables, python3; dumpcap or
# editcap for the pcapng capture.  See README.md for what each capture shows.
set -Eeuo pipefail
trap 'echo "[record] ERROR: line $LINENO: $BASH_COMMAND failed" >&2' ERR

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GEN="$HERE/gen"
PORT=6666                      # server port in every capture
CPORT=50000                    # client source port in every capture
FILTER="tcp port $PORT"
C4=198.18.0.1 S4=198.18.0.2    # client / server on the veth pair
R4C=198.18.0.254 R4S=198.18.1.254 S4R=198.18.1.2  # router, server behind it
TAG="tcpviz$$"                 # namespace name prefix, unique per run
PY=${PYTHON:-python3}

ALL=(handshake_data_fin rst_linger refused syn_retransmit loss_retrans loss_receiver
     zero_window half_close keepalive port_reuse ipv6 any_sll2 any_sll
     pcapng_basic simultaneous_close window_scale_bulk)

log() { printf '[record] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- clean-up: a stack of commands, run last-first after every capture and,
# --- through the EXIT trap, also when anything fails or the run is interrupted.
CLEANUP=()
defer() { CLEANUP+=("$1"); }
cleanup() {
    local i
    for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do
        eval "${CLEANUP[i]}" >/dev/null 2>&1 || true
    done
    CLEANUP=()
}
WORK=$(mktemp -d /tmp/tcpviz-record.XXXXXX)
trap 'cleanup; rm -rf "$WORK"' EXIT
trap 'log "interrupted"; exit 130' INT TERM

# kill_job PID: stop a background job of ours (if still running) and reap it.
# SIGTERM, not SIGINT: a non-interactive shell starts its background jobs
# with SIGINT ignored.  tcpdump and dumpcap finish their file on SIGTERM.
kill_job() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# --- namespaces -----------------------------------------------------------
# lo_ns: one namespace with only lo up.  Sets NS.
lo_ns() {
    NS="$TAG-lo"
    ip netns add "$NS"
    defer "ip netns del $NS"
    ip -n "$NS" link set lo up
}

# pair_ns: client and server namespaces joined by veth vc <-> vs.  Sets NSC
# and NSS.  IPv6 is off on the veths (no link-local chatter), fixed MACs,
# and GSO limited to one segment so the capture shows the real MSS-sized
# segments, not 64 KB GSO super-packets (there is no ethtool here).
pair_ns() {
    NSC="$TAG-client" NSS="$TAG-server"
    ip netns add "$NSC"; defer "ip netns del $NSC"
    ip netns add "$NSS"; defer "ip netns del $NSS"
    ip link add vc netns "$NSC" type veth peer name vs netns "$NSS"
    defer "ip -n $NSC link del vc"
    local ns dev mac addr x
    for x in "$NSC vc 02:00:c6:12:00:01 $C4" "$NSS vs 02:00:c6:12:00:02 $S4"; do
        read -r ns dev mac addr <<<"$x"
        ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
        ip -n "$ns" link set "$dev" address "$mac" gso_max_segs 1 gso_max_size 1500
        ip -n "$ns" addr add "$addr/24" dev "$dev"
        ip -n "$ns" link set lo up
        ip -n "$ns" link set "$dev" up
    done
}

# routed_ns: client -- router -- server, for a capture downstream of the
# loss.  Client 198.18.0.1/24 (vc) <-> router 198.18.0.254/24 (rc),
# router 198.18.1.254/24 (rs) <-> server 198.18.1.2/24 (vs); the router
# forwards.  Sets NSC, NSR, NSS.
routed_ns() {
    NSC="$TAG-client" NSR="$TAG-router" NSS="$TAG-server"
    local ns dev mac addr x
    for ns in "$NSC" "$NSR" "$NSS"; do
        ip netns add "$ns"; defer "ip netns del $ns"
        ip -n "$ns" link set lo up
    done
    ip link add vc netns "$NSC" type veth peer name rc netns "$NSR"
    defer "ip -n $NSC link del vc"
    ip link add vs netns "$NSS" type veth peer name rs netns "$NSR"
    defer "ip -n $NSS link del vs"
    for x in "$NSC vc 02:00:c6:12:00:01 $C4" "$NSR rc 02:00:c6:12:00:fe $R4C" \
             "$NSR rs 02:00:c6:12:01:fe $R4S" "$NSS vs 02:00:c6:12:01:02 $S4R"; do
        read -r ns dev mac addr <<<"$x"
        ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
        ip -n "$ns" link set "$dev" address "$mac" gso_max_segs 1 gso_max_size 1500
        ip -n "$ns" addr add "$addr/24" dev "$dev"
        ip -n "$ns" link set "$dev" up
    done
    ip netns exec "$NSR" sysctl -qw net.ipv4.ip_forward=1
    ip -n "$NSC" route add default via "${R4C}"
    ip -n "$NSS" route add default via "${R4S}"
}

ipt() {  # ipt NS RULE...: append an iptables rule, delete it afterwards
    local ns=$1; shift
    ip netns exec "$ns" iptables -A "$@"
    defer "ip netns exec $ns iptables -D $*"
}
qdisc() {  # qdisc NS DEV SPEC...: add a root qdisc, delete it afterwards
    local ns=$1 dev=$2; shift 2
    tc -n "$ns" qdisc add dev "$dev" root "$@"
    defer "tc -n $ns qdisc del dev $dev root"
}

# wait_listen NS: wait until something listens on $PORT in NS.
wait_listen() {
    for _ in $(seq 50); do
        [[ -n $(ip netns exec "$1" ss -Hltn "sport = :$PORT") ]] && return 0
        sleep 0.1
    done
    die "nothing listens on port $PORT in $1"
}

# --- capturing -------------------------------------------------------------
# cap_start NAME.EXT NS IFACE [tcpdump options...]: start tcpdump (packet
# buffered with -U) into $WORK and wait until it really captures.
cap_start() {
    CAP_OUT=$1 CAP_TMP="$WORK/$1"
    local ns=$2 iface=$3; shift 3
    local err="$WORK/$CAP_OUT.log"
    ip netns exec "$ns" tcpdump -i "$iface" -U --immediate-mode -Z root "$@" -w "$CAP_TMP" "$FILTER" 2>"$err" &
    CAP_PID=$!
    defer "kill_job $CAP_PID"
    wait_started "$err" "listening on"
}
# dumpcap writes pcapng itself (tcpdump cannot).
cap_start_dumpcap() {
    CAP_OUT=$1 CAP_TMP="$WORK/$1"
    local ns=$2 iface=$3 err="$WORK/$1.log"
    ip netns exec "$ns" dumpcap -q -i "$iface" -f "$FILTER" -w "$CAP_TMP" 2>"$err" &
    CAP_PID=$!
    defer "kill_job $CAP_PID"
    wait_started "$err" "Capturing on"
}
wait_started() {
    for _ in $(seq 50); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$CAP_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$1" >&2
    die "capture did not start"
}
# cap_stop: let the last packets in, stop the capture, move the file in place.
cap_stop() {
    sleep 0.3
    kill_job "$CAP_PID"
    [[ -s $CAP_TMP ]] || die "empty capture $CAP_OUT"
    chmod 644 "$CAP_TMP"
    mv "$CAP_TMP" "$HERE/$CAP_OUT"
    log "wrote $CAP_OUT ($(stat -c %s "$HERE/$CAP_OUT") bytes)"
}

# run CMD...: run a command in the background and wait for it, so that a
# signal to this script ends the wait at once and the EXIT trap stops it.
run() {
    "$@" &
    local pid=$!
    defer "kill_job $pid"
    wait "$pid"
}
# gen NS SCRIPT ARGS...: run a traffic generator from gen/ inside NS.
gen() {
    local ns=$1 script=$2; shift 2
    run ip netns exec "$ns" "$PY" "$GEN/$script" --port "$PORT" --cport "$CPORT" "$@"
}

# --- the captures -----------------------------------------------------------
# Loopback conversation: handshake, 3 lines each way, four-way FIN close.
rec_handshake_data_fin() {
    lo_ns
    cap_start handshake_data_fin.pcap "$NS" lo
    gen "$NS" lines.py --host 127.0.0.1
    cap_stop
}

# Client sends a line, then close() with SO_LINGER {1,0}: RST.
rec_rst_linger() {
    lo_ns
    cap_start rst_linger.pcap "$NS" lo
    gen "$NS" rst_linger.py --host 127.0.0.1
    cap_stop
}

# Nothing listens on the port: SYN answered by RST-ACK.
rec_refused() {
    lo_ns
    cap_start refused.pcap "$NS" lo
    gen "$NS" connect.py --host 127.0.0.1 --expect refused
    cap_stop
}

# The server namespace drops incoming SYNs; the client (tcp_syn_retries=2)
# sends the SYN and 2 retransmissions (after 1 s and 3 s: exponential
# backoff) and gives up at 7 s.  Linux >= 6.7 retransmits the first SYNs
# every second (tcp_syn_linear_timeouts=4); 0 restores the classic backoff.
rec_syn_retransmit() {
    pair_ns
    ipt "$NSS" INPUT -p tcp --dport "$PORT" --syn -j DROP
    ip netns exec "$NSC" sysctl -qw net.ipv4.tcp_syn_retries=2
    if [[ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]]; then
        ip netns exec "$NSC" sysctl -qw net.ipv4.tcp_syn_linear_timeouts=0
    fi
    cap_start syn_retransmit.pcap "$NSC" vc
    gen "$NSC" connect.py --host "$S4" --bind "$C4" --expect timeout
    cap_stop
}

# 3 MB over the veth pair, client -> server, with 2% random loss of the
# data segments: netem if the kernel has it, else (as here) iptables
# statistic in the server namespace.  A tbf on the client's veth makes a
# 20 Mbit/s link; its queue is big enough (2 MB) never to drop, so all the
# loss is the random one, and the retransmissions wait in that queue while
# more duplicate ACKs (with SACK blocks) come back.  Captured on the
# sender's veth (after the tbf), snaplen 128: every original segment and
# every retransmission.
rec_loss_retrans() {
    pair_ns
    if tc -n "$NSS" qdisc add dev vs root netem loss 2% 2>/dev/null; then
        defer "tc -n $NSS qdisc del dev vs root"
        log "loss_retrans: netem loss 2% on the server's veth"
    else
        ipt "$NSS" INPUT -p tcp --dport "$PORT" ! --syn -m statistic --mode random --probability 0.02 -j DROP
        log "loss_retrans: no netem, iptables statistic 2% drop in the server namespace"
    fi
    qdisc "$NSC" vc tbf rate 20mbit burst 32kb limit 2mb
    ip netns exec "$NSS" "$PY" "$GEN/bulk.py" --role server --host "$S4" --port "$PORT" &
    local srv=$!
    defer "kill_job $srv"
    wait_listen "$NSS"
    cap_start loss_retrans.pcap "$NSC" vc -s 128
    gen "$NSC" bulk.py --role client --host "$S4" --bind "$C4" --bytes $((3 * 1024 * 1024))
    wait "$srv"
    cap_stop
}

# The same kind of transfer (2 MB), but the 2% loss happens in a router
# namespace between client and server and the capture is taken on the
# server's veth, downstream of the loss: the receiver's view, where lost
# segments are gaps (previous segment not captured) and their
# retransmissions arrive later.  The router's egress to the server is the
# 20 Mbit/s bottleneck (tbf with a queue that never overflows).
rec_loss_receiver() {
    routed_ns
    ipt "$NSR" FORWARD -p tcp --dport "$PORT" ! --syn -m statistic --mode random --probability 0.02 -j DROP
    qdisc "$NSR" rs tbf rate 20mbit burst 32kb limit 2mb
    ip netns exec "$NSS" "$PY" "$GEN/bulk.py" --role server --host "$S4R" --port "$PORT" &
    local srv=$!
    defer "kill_job $srv"
    wait_listen "$NSS"
    cap_start loss_receiver.pcap "$NSS" vs -s 128
    gen "$NSC" bulk.py --role client --host "$S4R" --bind "$C4" --bytes $((2 * 1024 * 1024))
    wait "$srv"
    cap_stop
}

# Receiver with SO_RCVBUF 4096 does not read for 3 s: the window closes,
# the sender probes the zero window (persist timer), then the receiver reads
# and its window update reopens the window.
rec_zero_window() {
    lo_ns
    cap_start zero_window.pcap "$NS" lo
    gen "$NS" bulk.py --host 127.0.0.1 --bytes 24576 --chunk 8192 --rcvbuf 4096 --pause 3
    cap_stop
}

# Client sends a request and shutdown(SHUT_WR); the server still sends 3 lines.
rec_half_close() {
    lo_ns
    cap_start half_close.pcap "$NS" lo
    gen "$NS" half_close.py --host 127.0.0.1
    cap_stop
}

# Idle connection, client keep-alive every second: probes and their ACKs.
rec_keepalive() {
    lo_ns
    cap_start keepalive.pcap "$NS" lo
    gen "$NS" keepalive.py --host 127.0.0.1 --idle 3.5
    cap_stop
}

# Two connections in a row over the same 4-tuple (client port 50000 twice).
rec_port_reuse() {
    lo_ns
    cap_start port_reuse.pcap "$NS" lo
    gen "$NS" port_reuse.py --host 127.0.0.1
    cap_stop
}

# The handshake_data_fin conversation over IPv6 loopback (::1).
rec_ipv6() {
    lo_ns
    cap_start ipv6.pcap "$NS" lo
    gen "$NS" lines.py --host ::1
    cap_stop
}

# tcpdump -i any: Linux cooked capture v2 (SLL2, tcpdump's default for any)
# and v1 (SLL).  On lo each packet is seen once.
rec_any_sll2() {
    lo_ns
    cap_start any_sll2.pcap "$NS" any -y LINUX_SLL2
    gen "$NS" lines.py --host 127.0.0.1
    cap_stop
}
rec_any_sll() {
    lo_ns
    cap_start any_sll.pcap "$NS" any -y LINUX_SLL
    gen "$NS" lines.py --host 127.0.0.1
    cap_stop
}

# pcapng straight from dumpcap; editcap conversion if there is no dumpcap.
rec_pcapng_basic() {
    lo_ns
    if command -v dumpcap >/dev/null; then
        cap_start_dumpcap pcapng_basic.pcapng "$NS" lo
        gen "$NS" lines.py --host 127.0.0.1 --lines 2
        cap_stop
    else
        cap_start pcapng_basic.pcap "$NS" lo
        gen "$NS" lines.py --host 127.0.0.1 --lines 2
        cap_stop
        editcap -F pcapng "$HERE/pcapng_basic.pcap" "$HERE/pcapng_basic.pcapng"
        rm -f "$HERE/pcapng_basic.pcap"
    fi
}

# Both ends close at once.  A slow tbf on lo (32 kbit/s, 100-byte bucket)
# keeps the client's FIN ~17 ms in the queue, and the server shuts down as
# soon as it reads the client's "bye", so the two FINs cross.  The generator
# checks that both ends reached TIME-WAIT; retried a few times if not.
rec_simultaneous_close() {
    local try
    for try in 1 2 3 4 5; do
        lo_ns
        qdisc "$NS" lo tbf rate 32kbit burst 100 latency 1s
        cap_start simultaneous_close.pcap "$NS" lo
        if gen "$NS" simultaneous_close.py --host 127.0.0.1 --wait 0.5; then
            cap_stop
            return 0
        fi
        log "simultaneous_close: attempt $try did not cross, again"
        cleanup
    done
    die "simultaneous_close: the FINs never crossed"
}

# 1 MB on loopback with default buffers: window scaling, window growth.
rec_window_scale_bulk() {
    lo_ns
    cap_start window_scale_bulk.pcap "$NS" lo -s 128
    gen "$NS" bulk.py --host 127.0.0.1 --bytes $((1024 * 1024))
    cap_stop
}

# --- main ----------------------------------------------------------------
if [[ ${1:-} == --list ]]; then printf '%s\n' "${ALL[@]}"; exit 0; fi
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, tcpdump)"
for tool in tcpdump ip tc ss iptables "$PY"; do
    command -v "$tool" >/dev/null || die "$tool not found"
done
names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=("${ALL[@]}")
for name in "${names[@]}"; do
    declare -F "rec_$name" >/dev/null || die "unknown capture '$name' (see --list)"
done
for name in "${names[@]}"; do
    log "recording $name"
    "rec_$name"
    cleanup
done
log "done: ${names[*]}"
if command -v tshark >/dev/null && command -v capinfos >/dev/null; then
    files=()
    for name in "${names[@]}"; do
        for f in "$HERE/$name.pcap" "$HERE/$name.pcapng"; do [[ -e $f ]] && files+=("$f"); done
    done
    "$HERE/summary.sh" "${files[@]}"
fi
