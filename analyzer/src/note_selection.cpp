#include "tcpviz/note_selection.h"

namespace tcpviz {

using namespace tcp_flag;

Note select_note(const Event& e, const SegmentRoles& roles) {
    Note n;
    n.side = static_cast<std::uint8_t>(sender_of(e.dir));
    const Findings f = e.analysis.findings;
    auto with = [&n](NoteId id, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t cc = 0) {
        n.id = id;
        n.args = {a, b, cc};
        return n;
    };
    if (e.truncated && e.conn < 0) return with(NoteId::truncated);
    if (e.malformed) return with(NoteId::malformed);
    if (e.reserved != 0) return with(NoteId::reserved_bits, e.reserved);
    if (e.flags & rst) return roles.refuses ? with(NoteId::refused) : with(NoteId::rst);
    if (e.flags & syn) {
        const bool again = f.is_any_retransmission();
        if (e.flags & ack) return again ? with(NoteId::syn_ack_again) : with(NoteId::syn_ack, e.seq_raw, e.ack_raw);
        return again ? with(NoteId::syn_again) : with(NoteId::syn, e.seq_raw);
    }
    // Findings in order of how much they matter to a student.
    if (f.has(Finding::zero_window_probe)) return with(NoteId::zero_window_probe);
    if (f.has(Finding::zero_window_probe_ack)) return with(NoteId::zero_window_probe_ack);
    if (f.has(Finding::keep_alive)) return with(NoteId::keep_alive);
    if (f.has(Finding::keep_alive_ack)) return with(NoteId::keep_alive_ack);
    // A FIN resent without data: Wireshark may call it a fast retransmission
    // (duplicate ACKs had asked for its number), but no byte is resent.
    if ((e.flags & fin) && e.len == 0 && f.is_any_retransmission()) return with(NoteId::fin_again, e.seq);
    if (f.has(Finding::spurious_retransmission)) return with(NoteId::spurious_retransmission, e.len);
    if (f.has(Finding::fast_retransmission)) return with(NoteId::fast_retransmission, e.seq);
    if (f.has(Finding::retransmission)) return with(NoteId::retransmission, e.len);
    if (f.has(Finding::out_of_order)) return with(NoteId::out_of_order, e.len);
    if (f.has(Finding::lost_segment)) return with(NoteId::lost_segment);
    if (f.has(Finding::zero_window)) return with(NoteId::zero_window);
    if (f.has(Finding::duplicate_ack)) return with(NoteId::duplicate_ack, e.analysis.dup_ack_num, e.ack);
    if (f.has(Finding::ack_lost_segment)) return with(NoteId::ack_lost_segment);
    if (f.has(Finding::window_full)) return with(NoteId::window_full, e.len);
    if (f.has(Finding::window_update)) return with(NoteId::window_update, e.win);
    // Nothing went wrong: what the segment does.
    if (e.flags & fin) return roles.first_fin || !roles.new_fin ? with(NoteId::fin_first) : with(NoteId::fin_second);
    if (roles.completes_handshake) return with(NoteId::handshake_ack);
    if (e.len > 0) return with(NoteId::data, e.len, e.seq, e.seq + e.len - 1);
    if (roles.acks_fin) return with(NoteId::fin_ack);
    return with(NoteId::ack, e.ack, e.win);
}

Phase phase_of(const Event& e, const SegmentRoles& roles, bool closing) {
    if ((e.flags & syn) || roles.completes_handshake) return Phase::handshake;
    if (e.flags & (fin | rst)) return Phase::teardown;
    if (e.len == 0 && closing) return Phase::teardown;
    return Phase::data;
}

}  // namespace tcpviz
