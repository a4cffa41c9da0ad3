// Notes rendered from their sentences in English and Chinese. The sentences
// live in analyzer/notes.json (CMake turns them into note_sentences.inc).
// Placeholders: {a} {b} {c} are the note's numbers, {side}/{peer} the sender
// and the other side ("client"/"server", 客户端/服务器).
#include "tcpviz/note.h"

#include <array>
#include <charconv>
#include <cstring>
#include <vector>

namespace tcpviz {
namespace {

struct Sentence {
    std::string_view id;
    std::string_view en;
    std::string_view zh;
};

constexpr Sentence sentences[] = {
#include "tcpviz/note_sentences.inc"
};
static_assert(std::size(sentences) == static_cast<std::size_t>(NoteId::count_), "notes.json and NoteId disagree");

// The words for {side} and {peer}: [language][0 client, 1 server].
constexpr std::string_view side_words[2][2] = {
#include "tcpviz/note_side_words.inc"
};

std::string_view side_word(int side, Lang lang) { return side_words[lang == Lang::zh ? 1 : 0][side == 0 ? 0 : 1]; }

// A placeholder is replaced by at most 10 bytes: a 32-bit number's digits,
// or a side's name (客户端 is 9 bytes in UTF-8).
constexpr std::size_t max_placeholder_bytes = 10;

constexpr std::size_t longest_note = [] {
    std::size_t longest = 0;
    for (const Sentence& s : sentences) {
        for (std::string_view text : {s.en, s.zh}) {
            std::size_t n = text.size();
            for (char c : text) n += c == '{' ? max_placeholder_bytes : 0;
            longest = n > longest ? n : longest;
        }
    }
    return longest;
}();

}  // namespace

std::string_view note_id_name(NoteId id) { return sentences[static_cast<std::size_t>(id)].id; }

std::optional<NoteId> note_id_from_name(std::string_view name) {
    for (std::size_t i = 0; i < std::size(sentences); ++i) {
        if (sentences[i].id == name) return static_cast<NoteId>(i);
    }
    return std::nullopt;
}

std::size_t max_note_length() { return longest_note; }

namespace {

// A sentence cut at its placeholders once, so that writing a note is a few
// copies: each piece is literal text followed by one placeholder (or none),
// told apart by its first letter: {a} {b} {c} {side} {peer}.
struct Piece {
    std::string_view text;
    char placeholder = 0;
};
using Pieces = std::vector<Piece>;

Pieces cut_at_placeholders(std::string_view text) {
    Pieces pieces;
    std::size_t run = 0;
    while (run < text.size()) {
        const std::size_t open = text.find('{', run);
        if (open == std::string_view::npos) break;
        const std::size_t close = text.find('}', open);
        pieces.push_back({text.substr(run, open - run), text[open + 1]});
        run = close + 1;
    }
    pieces.push_back({text.substr(run), 0});
    return pieces;
}

const std::array<std::array<Pieces, 2>, std::size(sentences)>& all_pieces() {
    static const auto pieces = [] {
        std::array<std::array<Pieces, 2>, std::size(sentences)> p;
        for (std::size_t i = 0; i < std::size(sentences); ++i) {
            p[i][0] = cut_at_placeholders(sentences[i].en);
            p[i][1] = cut_at_placeholders(sentences[i].zh);
        }
        return p;
    }();
    return pieces;
}

}  // namespace

char* write_note(const Note& note, Lang lang, char* out) {
    const Pieces& pieces = all_pieces()[static_cast<std::size_t>(note.id)][lang == Lang::zh ? 1 : 0];
    for (const Piece& piece : pieces) {
        std::memcpy(out, piece.text.data(), piece.text.size());
        out += piece.text.size();
        std::string_view word;
        switch (piece.placeholder) {
            case 'a': out = std::to_chars(out, out + max_placeholder_bytes, note.args[0]).ptr; break;
            case 'b': out = std::to_chars(out, out + max_placeholder_bytes, note.args[1]).ptr; break;
            case 'c': out = std::to_chars(out, out + max_placeholder_bytes, note.args[2]).ptr; break;
            case 's': word = side_word(note.side, lang); break;
            case 'p': word = side_word(1 - note.side, lang); break;
            default: break;
        }
        if (!word.empty()) {  // an empty view may hold no pointer at all
            std::memcpy(out, word.data(), word.size());
            out += word.size();
        }
    }
    return out;
}

void render_note(const Note& note, Lang lang, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + longest_note);
    char* end = write_note(note, lang, out.data() + at);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace tcpviz
