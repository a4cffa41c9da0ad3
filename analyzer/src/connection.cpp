#include "tcpviz/connection.h"

namespace tcpviz {

std::string_view name_of(TeardownKind k) {
    switch (k) {
        case TeardownKind::none: return "none";
        case TeardownKind::fin: return "fin";
        case TeardownKind::rst: return "rst";
    }
    return "none";
}

std::string_view name_of(TeardownStyle s) {
    switch (s) {
        case TeardownStyle::four_way: return "four_way";
        case TeardownStyle::half_close: return "half_close";
        case TeardownStyle::simultaneous: return "simultaneous";
    }
    return "four_way";
}

Teardown teardown_of(const Connection& c) {
    Teardown t;
    const SideSummary& cl = c.summary_of(Side::client);
    const SideSummary& sv = c.summary_of(Side::server);
    if (cl.rst_frame != 0 || sv.rst_frame != 0) {
        t.kind = TeardownKind::rst;
        const bool client_first = cl.rst_frame != 0 && (sv.rst_frame == 0 || cl.rst_frame < sv.rst_frame);
        t.by = client_first ? Side::client : Side::server;
        t.first_frame = client_first ? cl.rst_frame : sv.rst_frame;
        t.refused = !client_first && c.handshake.syn_ack_count == 0 && c.handshake.syn_count > 0;
        return t;
    }
    if (cl.fin_frame == 0 && sv.fin_frame == 0) return t;
    const bool client_first = cl.fin_frame != 0 && (sv.fin_frame == 0 || cl.fin_frame < sv.fin_frame);
    t.by = client_first ? Side::client : Side::server;
    t.first_frame = client_first ? cl.fin_frame : sv.fin_frame;
    const SideSummary& passive = client_first ? sv : cl;
    t.complete = cl.fin_acked_frame != 0 && sv.fin_acked_frame != 0;
    t.kind = TeardownKind::fin;
    if (c.simultaneous_close) {
        t.style = TeardownStyle::simultaneous;
    } else if (passive.bytes_after_peer_fin > 0 || passive.fin_frame == 0) {
        // The other side kept sending after the first FIN (or has not closed
        // yet): the connection was half-closed.
        t.style = TeardownStyle::half_close;
    } else {
        t.style = TeardownStyle::four_way;
    }
    return t;
}

}  // namespace tcpviz
