#include "tcpviz/state_inference.h"

#include <iterator>

namespace tcpviz {
namespace {

using namespace tcp_flag;

// One segment going through the state diagram: the connection, the segment,
// and the changes it has caused so far.
struct Step {
    Connection& c;
    const SentSegment& s;
    StateStep& out;
    Side sender = s.sender;
    Side receiver = other(s.sender);

    bool has(std::uint16_t flag) const { return (s.flags & flag) != 0; }
    TcpState& state(Side side) { return c.state_of(side); }
    void change(Side side, TcpState to) {
        TcpState& current = c.state_of(side);
        if (current == to) return;
        const StateChange sc{side, current, to, s.frame, s.ts};
        current = to;
        c.states.push_back(sc);
        if (out.change_count < out.changes.size()) out.changes[out.change_count++] = sc;
    }
};

// RST: both ends drop the connection at once (RFC 9293 3.10.7).
void on_rst(Step& st) {
    st.out.roles.refuses = st.c.handshake.syn_ack_count == 0 && st.state(st.receiver) == TcpState::syn_sent;
    st.change(st.sender, TcpState::closed);
    st.change(st.receiver, TcpState::closed);
}

// Active open: CLOSED -> SYN-SENT. A second SYN is a retransmission; a SYN
// from a side in LISTEN is a simultaneous open.
void on_syn(Step& st) {
    const TcpState mine = st.state(st.sender);
    if (mine == TcpState::unknown || mine == TcpState::closed) {
        st.state(st.sender) = TcpState::closed;  // before its first SYN an endpoint is CLOSED
        st.change(st.sender, TcpState::syn_sent);
    }
    if (st.state(st.receiver) == TcpState::syn_sent) st.change(st.receiver, TcpState::syn_received);
}

// Whether the segment acknowledges the receiver's SYN.
bool acks_peer_syn(Step& st) {
    const SideSummary& peer = st.c.summary_of(st.receiver);
    return peer.isn_known && st.s.ack == SeqNum(peer.isn) + 1;
}

// The passive side was in LISTEN; sending SYN-ACK puts it in SYN-RECEIVED.
// The active side gets its SYN acknowledged: ESTABLISHED (it answers with ACK).
void on_syn_ack(Step& st) {
    const TcpState mine = st.state(st.sender);
    if (mine == TcpState::unknown || mine == TcpState::closed) {
        st.state(st.sender) = TcpState::listen;  // it was listening before the capture showed it
        st.change(st.sender, TcpState::syn_received);
    }
    if (st.state(st.receiver) == TcpState::syn_sent && acks_peer_syn(st)) st.change(st.receiver, TcpState::established);
}

// An ACK: of the SYN-ACK (the passive side becomes ESTABLISHED), or of the
// peer's FIN (which moves the peer on).
void on_ack(Step& st) {
    const TcpState peer_state = st.state(st.receiver);
    if (peer_state == TcpState::syn_received && acks_peer_syn(st)) {
        st.change(st.receiver, TcpState::established);
        st.out.roles.completes_handshake = true;
    }
    SideSummary& peer = st.c.summary_of(st.receiver);
    if (peer.fin_frame == 0 || !(st.s.ack >= SeqNum(peer.fin_end))) return;
    if (peer.fin_acked_frame == 0) {
        peer.fin_acked_frame = st.s.frame;
        st.out.roles.acks_fin = true;
    }
    switch (peer_state) {
        case TcpState::fin_wait_1: st.change(st.receiver, TcpState::fin_wait_2); break;
        case TcpState::closing: st.change(st.receiver, TcpState::time_wait); break;
        case TcpState::last_ack: st.change(st.receiver, TcpState::closed); break;
        default: break;
    }
}

// Simultaneous close: this FIN does not acknowledge the peer's, so it was
// sent before the peer's FIN arrived; the two crossed. The sender never was
// in CLOSE-WAIT: take that step back, then ESTABLISHED -> FIN-WAIT-1 ->
// CLOSING as RFC 9293 figure 13 shows.
void on_crossed_fins(Step& st) {
    st.c.simultaneous_close = true;
    for (auto it = st.c.states.rbegin(); it != st.c.states.rend(); ++it) {
        if (it->side == st.sender && it->to == TcpState::close_wait) {
            st.state(st.sender) = it->from;
            st.c.states.erase(std::next(it).base());
            break;
        }
    }
    st.change(st.sender, TcpState::fin_wait_1);
    st.change(st.sender, TcpState::closing);
    st.change(st.receiver, TcpState::closing);
}

// A FIN closes the sender's half: FIN-WAIT-1 if it closes first, LAST-ACK if
// it answers; the receiver learns the peer is done sending.
void on_fin(Step& st) {
    SideSummary& me = st.c.summary_of(st.sender);
    const SideSummary& peer = st.c.summary_of(st.receiver);
    SegmentRoles& roles = st.out.roles;
    roles.new_fin = me.fin_frame == 0;
    if (!roles.new_fin) return;
    roles.first_fin = peer.fin_frame == 0;
    me.fin_frame = st.s.frame;
    me.fin_end = (st.s.seq + st.s.seglen + 1).value;
    if (!roles.first_fin && peer.fin_acked_frame == 0 && st.state(st.sender) == TcpState::close_wait) {
        on_crossed_fins(st);
        return;
    }
    switch (st.state(st.sender)) {
        case TcpState::close_wait: st.change(st.sender, TcpState::last_ack); break;
        case TcpState::established:
        case TcpState::syn_received:
        case TcpState::unknown: st.change(st.sender, TcpState::fin_wait_1); break;
        default: break;
    }
    switch (st.state(st.receiver)) {
        case TcpState::established: st.change(st.receiver, TcpState::close_wait); break;
        case TcpState::fin_wait_1: st.change(st.receiver, TcpState::closing); break;
        case TcpState::fin_wait_2: st.change(st.receiver, TcpState::time_wait); break;
        default: break;
    }
}

}  // namespace

StateStep infer_states(Connection& c, const SentSegment& s) {
    StateStep out;
    Step st{c, s, out};
    // A capture that starts mid-connection: both sides were already talking.
    if (!st.has(syn) && c.state_of(Side::client) == TcpState::unknown &&
        c.state_of(Side::server) == TcpState::unknown) {
        st.change(Side::client, TcpState::established);
        st.change(Side::server, TcpState::established);
    }
    if (st.has(rst)) {
        on_rst(st);
    } else if (st.has(syn)) {
        if (st.has(ack)) on_syn_ack(st);
        else on_syn(st);
    } else {
        if (st.has(ack)) on_ack(st);
        if (st.has(fin)) on_fin(st);
    }
    return out;
}

}  // namespace tcpviz
