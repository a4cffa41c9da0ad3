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

// One id per sentence of analyzer/notes.json, in its order (the comments of
// the generated list say what each note's numbers a, b, c are).
enum class NoteId : std::uint8_t {
#define TCPVIZ_NOTE_ID(name) name,
#include "tcpviz/note_ids.inc"
#undef TCPVIZ_NOTE_ID
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
