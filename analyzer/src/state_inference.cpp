#include "tcpviz/state_inference.h"

#include <iterator>

#include "tcpviz/seq_num.h"

namespace tcpviz {
namespace {

using namespace tcp_flag;

void change(Connection& c, Event& e, Side side, TcpState to, std::uint64_t frame, Nanos ts) {
    TcpState& current = c.state_of(side);
    if (current == to) return;
    const StateChange sc{side, current, to, frame, ts};
    current = to;
    c.states.push_back(sc);
    if (e.state_change_count < e.state_changes.size()) e.state_changes[e.state_change_count++] = sc;
}

}  // namespace

SegmentRoles infer_states(Connection& c, Side sender, const TcpHeader& h, std::uint32_t seglen,
                          std::uint64_t frame, Nanos ts, Event& e) {
    SegmentRoles roles;
    const Side receiver = other(sender);
    SideSummary& me = c.summary_of(sender);
    SideSummary& peer = c.summary_of(receiver);
    const TcpState my_state = c.state_of(sender);

    // A capture that starts mid-connection: both sides were already talking.
    if (!h.has(syn) && c.state_of(Side::client) == TcpState::unknown &&
        c.state_of(Side::server) == TcpState::unknown) {
        change(c, e, Side::client, TcpState::established, frame, ts);
        change(c, e, Side::server, TcpState::established, frame, ts);
    }

    // RST: both ends drop the connection at once (RFC 9293 3.10.7).
    if (h.has(rst)) {
        roles.refuses = c.handshake.syn_ack_count == 0 && c.state_of(receiver) == TcpState::syn_sent;
        change(c, e, sender, TcpState::closed, frame, ts);
        change(c, e, receiver, TcpState::closed, frame, ts);
        return roles;
    }

    if (h.has(syn) && !h.has(ack)) {
        // Active open: CLOSED -> SYN-SENT. A second SYN is a retransmission;
        // a SYN from a side in LISTEN is a simultaneous open.
        if (my_state == TcpState::unknown || my_state == TcpState::closed) {
            c.state_of(sender) = TcpState::closed;  // before its first SYN an endpoint is CLOSED
            change(c, e, sender, TcpState::syn_sent, frame, ts);
        }
        if (c.state_of(receiver) == TcpState::syn_sent) {
            change(c, e, receiver, TcpState::syn_received, frame, ts);  // simultaneous open
        }
        return roles;
    }

    if (h.has(syn) && h.has(ack)) {
        // The passive side was in LISTEN; sending SYN-ACK puts it in SYN-RECEIVED.
        if (my_state == TcpState::unknown || my_state == TcpState::closed) {
            c.state_of(sender) = TcpState::listen;  // it was listening before the capture showed it
            change(c, e, sender, TcpState::syn_received, frame, ts);
        }
        // The active side gets its SYN acknowledged: ESTABLISHED (it answers with ACK).
        if (c.state_of(receiver) == TcpState::syn_sent && peer.isn_known && h.ack == peer.isn + 1) {
            change(c, e, receiver, TcpState::established, frame, ts);
        }
        return roles;
    }

    if (h.has(ack)) {
        const TcpState peer_state = c.state_of(receiver);
        // The ACK of the SYN-ACK: the passive side becomes ESTABLISHED.
        if (peer_state == TcpState::syn_received && peer.isn_known && h.ack == peer.isn + 1) {
            change(c, e, receiver, TcpState::established, frame, ts);
            roles.completes_handshake = true;
        }
        // The ACK of the peer's FIN moves the peer on.
        if (peer.fin_frame != 0 && SeqNum(h.ack) >= SeqNum(peer.fin_end)) {
            if (peer.fin_acked_frame == 0) {
                peer.fin_acked_frame = frame;
                roles.acks_fin = true;
            }
            switch (peer_state) {
                case TcpState::fin_wait_1: change(c, e, receiver, TcpState::fin_wait_2, frame, ts); break;
                case TcpState::closing: change(c, e, receiver, TcpState::time_wait, frame, ts); break;
                case TcpState::last_ack: change(c, e, receiver, TcpState::closed, frame, ts); break;
                default: break;
            }
        }
    }

    if (h.has(fin)) {
        const std::uint32_t fin_end = h.seq + seglen + 1;
        roles.new_fin = me.fin_frame == 0;
        if (roles.new_fin) {
            roles.first_fin = peer.fin_frame == 0;
            me.fin_frame = frame;
            me.fin_end = fin_end;
            if (!roles.first_fin && peer.fin_acked_frame == 0 && c.state_of(sender) == TcpState::close_wait) {
                // Simultaneous close: this FIN does not acknowledge the peer's,
                // so it was sent before the peer's FIN arrived; the two crossed.
                // The sender never was in CLOSE-WAIT: take that step back, then
                // ESTABLISHED -> FIN-WAIT-1 -> CLOSING as RFC 9293 figure 13 shows.
                c.simultaneous_close = true;
                for (auto it = c.states.rbegin(); it != c.states.rend(); ++it) {
                    if (it->side == sender && it->to == TcpState::close_wait) {
                        c.state_of(sender) = it->from;
                        c.states.erase(std::next(it).base());
                        break;
                    }
                }
                change(c, e, sender, TcpState::fin_wait_1, frame, ts);
                change(c, e, sender, TcpState::closing, frame, ts);
                change(c, e, receiver, TcpState::closing, frame, ts);
                return roles;
            }
            // The sender closes its half: FIN-WAIT-1 if it closes first, LAST-ACK if it answers.
            switch (c.state_of(sender)) {
                case TcpState::close_wait: change(c, e, sender, TcpState::last_ack, frame, ts); break;
                case TcpState::established:
                case TcpState::syn_received:
                case TcpState::unknown: change(c, e, sender, TcpState::fin_wait_1, frame, ts); break;
                default: break;
            }
            // The receiver learns the peer is done sending.
            switch (c.state_of(receiver)) {
                case TcpState::established: change(c, e, receiver, TcpState::close_wait, frame, ts); break;
                case TcpState::fin_wait_1: change(c, e, receiver, TcpState::closing, frame, ts); break;
                case TcpState::fin_wait_2: change(c, e, receiver, TcpState::time_wait, frame, ts); break;
                default: break;
            }
        }
    }
    return roles;
}

}  // namespace tcpviz
