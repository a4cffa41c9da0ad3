// One plain sentence per segment, for a student: what this segment does.
//
// A note is an id plus the numbers it mentions, so that the timeline can
// carry it in a language-neutral form (the page renders English or Chinese
// from the id and numbers) beside the English sentence.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tcpviz {

enum class NoteId : std::uint8_t {
    syn,                      // a: ISN
    syn_again,                // SYN retransmitted
    syn_ack,                  // a: server ISN, b: ack (client ISN + 1)
    syn_ack_again,
    refused,                  // RST answering a SYN
    handshake_ack,            // the ACK that completes the three-way handshake
    data,                     // a: len, b: first relative seq, c: last relative seq
    ack,                      // a: relative ack, b: window
    retransmission,           // a: len
    fast_retransmission,      // a: relative seq
    spurious_retransmission,  // a: len
    out_of_order,             // a: len
    duplicate_ack,            // a: dup count, b: relative ack
    zero_window,
    zero_window_probe,
    zero_window_probe_ack,
    window_update,            // a: window
    window_full,              // a: len
    keep_alive,
    keep_alive_ack,
    lost_segment,
    ack_lost_segment,
    fin_first,                // side closes first (active close)
    fin_second,               // side closes after the peer (passive close)
    fin_ack,                  // the ACK of a FIN
    rst,                      // side aborts
    truncated,                // the capture cut the header
    malformed,                // the header is wrong
    reserved_bits,            // a: the reserved bits' value (a crafted or injected segment)
    fin_again,                // a: relative seq of the FIN sent again
    count_
};

enum class Lang : std::uint8_t { en, zh };

struct Note {
    NoteId id = NoteId::ack;
    std::uint8_t side = 0;  // 0 client, 1 server: who sent the segment
    std::array<std::uint32_t, 3> args{};
    friend bool operator==(const Note&, const Note&) = default;
};

std::string_view note_id_name(NoteId id);
// The id of a name written by note_id_name, or nullopt.
std::optional<NoteId> note_id_from_name(std::string_view name);
// Appends the sentence in the given language to `out`.
void render_note(const Note& note, Lang lang, std::string& out);
// The same, written through a raw pointer into at least max_note_length()
// bytes; returns the end of what it wrote.
char* write_note(const Note& note, Lang lang, char* out);
std::size_t max_note_length();

}  // namespace tcpviz
