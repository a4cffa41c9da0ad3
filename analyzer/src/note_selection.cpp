#include "tcpviz/note_selection.h"

namespace tcpviz {

using namespace tcp_flag;

namespace {

Note with_args(Note n, NoteId id, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    n.id = id;
    n.args = {a, b, c};
    return n;
}

// A SYN sent again: how long its timer waited, and whether that doubled.
Note syn_again_note(const Note& n, const NoteFacts& facts) {
    if (!facts.resend) return with_args(n, NoteId::syn_again);
    const ResendTiming& t = *facts.resend;
    if (wait_doubled(t.waited, t.previous_wait)) {
        return with_args(n, NoteId::syn_again_backoff, whole_millis(t.waited), whole_millis(t.previous_wait));
    }
    return with_args(n, NoteId::syn_again_timed, whole_millis(t.waited));
}

// Data sent again by timeout: how long the timer waited since whatever last
// restarted it (the bytes' last sending, a later segment, an ACK of new
// data), since the bytes were first sent, and whether the wait doubled since
// the last timeout.
Note timeout_note(const Note& n, const Event& e) {
    if (!e.note_facts.resend) return with_args(n, NoteId::retransmission, e.len);
    const ResendTiming& t = *e.note_facts.resend;
    const std::uint32_t waited = whole_millis(t.waited);
    const std::uint32_t since_first = whole_millis(t.since_first_sent);
    if (t.previous_wait > 0) {
        const NoteId id = wait_doubled(t.waited, t.previous_wait) ? NoteId::retransmission_backoff
                                                                  : NoteId::retransmission_timeout_again;
        return with_args(n, id, waited, whole_millis(t.previous_wait), since_first);
    }
    switch (t.started_by) {
        case TimerStart::later_segment:
            return with_args(n, NoteId::retransmission_timeout_after_send, e.len, waited, since_first);
        case TimerStart::peer_ack:
            return with_args(n, NoteId::retransmission_timeout_after_ack, e.len, waited, since_first);
        case TimerStart::resent_bytes: break;
    }
    if (t.since_first_sent != t.since_last_sent) {
        return with_args(n, NoteId::retransmission_timeout_resent, e.len, waited, since_first);
    }
    return with_args(n, NoteId::retransmission_timeout, e.len, waited);
}

// A FIN: with data it says both, the bytes and the end of sending.
Note fin_note(const Note& n, const Event& e, const SegmentRoles& roles) {
    const bool first = roles.first_fin || !roles.new_fin;
    if (e.len == 0) return with_args(n, first ? NoteId::fin_first : NoteId::fin_second);
    return with_args(n, first ? NoteId::fin_data_first : NoteId::fin_data_second, e.len, e.seq, e.seq + e.len - 1);
}

}  // namespace

Note select_note(const Event& e, const SegmentRoles& roles) {
    Note n;
    n.side = static_cast<std::uint8_t>(sender_of(e.dir));
    const Findings f = e.analysis.findings;
    auto with = [&n](NoteId id, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
        return with_args(n, id, a, b, c);
    };
    if (e.truncated && e.conn < 0) return with(NoteId::truncated);
    if (e.malformed) return with(NoteId::malformed);
    if (e.reserved != 0) return with(NoteId::reserved_bits, e.reserved);
    if (e.flags & rst) return roles.refuses ? with(NoteId::refused) : with(NoteId::rst);
    if (e.flags & syn) {
        const bool again = f.is_any_retransmission();
        if (e.flags & ack) {
            if (again) return with(NoteId::syn_ack_again);
            // The scale it offers is what its later windows mean (RFC 7323 2.2).
            if (e.options.window_scale)
                return with(NoteId::syn_ack_scale, e.seq_raw, e.ack_raw, *e.options.window_scale);
            return with(NoteId::syn_ack, e.seq_raw, e.ack_raw);
        }
        return again ? syn_again_note(n, e.note_facts) : with(NoteId::syn, e.seq_raw);
    }
    // Findings in order of how much they matter to a student.
    if (f.has(Finding::zero_window_probe)) return with(NoteId::zero_window_probe);
    if (f.has(Finding::zero_window_probe_ack)) return with(NoteId::zero_window_probe_ack);
    // Linux's probe has the shape Wireshark calls a keep-alive; into a zero
    // window it is a zero-window probe, and the reply with window 0 its answer.
    if (f.has(Finding::keep_alive) && e.note_facts.probes_zero_window) return with(NoteId::zero_window_probe_empty);
    if (e.note_facts.answers_zero_window_probe) return with(NoteId::zero_window_probe_ack);
    if (f.has(Finding::keep_alive)) return with(NoteId::keep_alive);
    if (f.has(Finding::keep_alive_ack)) return with(NoteId::keep_alive_ack);
    // A FIN resent without data: Wireshark may call it a fast retransmission
    // (duplicate ACKs had asked for its number), but no byte is resent.
    if ((e.flags & fin) && e.len == 0 && f.is_any_retransmission()) return with(NoteId::fin_again, e.seq);
    if (f.has(Finding::spurious_retransmission)) return with(NoteId::spurious_retransmission, e.len);
    if (f.has(Finding::fast_retransmission)) return with(NoteId::fast_retransmission, e.seq);
    if (f.has(Finding::retransmission)) return timeout_note(n, e);
    if (f.has(Finding::out_of_order)) return with(NoteId::out_of_order, e.len);
    if (f.has(Finding::lost_segment)) return with(NoteId::lost_segment);
    if (f.has(Finding::zero_window)) return with(NoteId::zero_window);
    if (f.has(Finding::duplicate_ack)) return with(NoteId::duplicate_ack, e.analysis.dup_ack_num, e.ack);
    if (f.has(Finding::ack_lost_segment)) return with(NoteId::ack_lost_segment);
    if (f.has(Finding::window_full)) return with(NoteId::window_full, e.len);
    if (f.has(Finding::window_update)) return with(NoteId::window_update, e.win);
    // Nothing went wrong: what the segment does.
    if (e.flags & fin) return fin_note(n, e, roles);
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
