// The terminal ladder: one line per segment, an arrow between the client's
// column on the left and the server's on the right, readable in 80 columns.
//
//  frame     time  c  client                                       server
//      1 0.000000  0  |-- SYN seq=0 win=65495 ------------------------>|
//      2 0.000013  0  |<----------------- SYN,ACK seq=0 ack=1 win=65483 |
//
// State changes are printed on a line of their own under the segment that
// caused them, under the column of the endpoint that changed.
//
// Every string that came from the capture or a timeline (payload, notes,
// addresses, states, the file name) passes through utf8::make_visible before
// it is printed, so a hostile payload cannot drive the terminal.
#include <algorithm>

#include "ladder_words.h"
#include "tcpviz/json_text.h"
#include "tcpviz/ladder_row.h"
#include "tcpviz/payload_preview.h"
#include "tcpviz/timeline_writer.h"
#include "tcpviz/utf8.h"

namespace tcpviz {
namespace {

constexpr std::size_t arrow_width = 50;  // between the two lifelines, bars included

std::string label_of(const Event& e, const WriterOptions& options) {
    // A header cut before the window shows none of these fields, as in the
    // timeline (null there, "?" here and in tcpviz replay).
    if (e.captured_header_bytes < tcp_field_end::window) return "- seq=? win=?";
    std::string label = flag_names(e.flags, ',');
    if (label.empty()) label = "-";
    label += " seq=" + std::to_string(e.seq);
    if (e.flags & tcp_flag::ack) label += " ack=" + std::to_string(e.ack);
    if (e.len > 0) label += " len=" + std::to_string(e.len);
    label += " win=" + std::to_string(e.win);
    if (e.len > 0 && options.payload_bytes > 0 && !e.payload.empty()) {
        std::string preview;
        append_payload_preview(e.payload, std::min<std::size_t>(options.payload_bytes, 16), preview);
        label += " \"" + preview + "\"";
    }
    return label;
}

std::string tags_of(const Event& e) {
    std::string tags;
    for (std::size_t i = 0; i < finding_count; ++i) {
        const auto f = static_cast<Finding>(i);
        if (!e.analysis.findings.has(f)) continue;
        if (!tags.empty()) tags += ' ';
        tags += '[';
        tags += name_of(f);
        if (f == Finding::duplicate_ack) tags += " #" + std::to_string(e.analysis.dup_ack_num);
        tags += ']';
    }
    if (e.truncated) tags += tags.empty() ? "[truncated]" : " [truncated]";
    if (e.malformed) tags += tags.empty() ? "[malformed]" : " [malformed]";
    return tags;
}

// Draws "|-- label ---->|" (client to server) or "|<---- label --|".
std::string arrow(const std::string& label_in, bool to_server) {
    const std::size_t inner = arrow_width - 2;  // without the two bars
    const std::string visible = utf8::make_visible(label_in);
    const std::string_view label = utf8::fit(visible, inner - 6);
    const std::size_t label_width = utf8::display_width(label);
    std::string out = "|";
    if (to_server) {
        out += "-- ";
        out += label;
        out += ' ';
        out.append(inner - 4 - label_width - 1, '-');
        out += ">|";
    } else {
        out += "<";
        out.append(inner - 4 - label_width - 1, '-');
        out += ' ';
        out += label;
        out += " --";
        out += "|";
    }
    return out;
}

// Complete, incomplete (it began but did not finish: refused, unanswered),
// or not captured (the capture began after it: no SYN, no SYN-ACK).
std::string_view handshake_word(const Handshake& hs, const LadderWords& words) {
    if (hs.complete) return words.handshake_complete;
    if (hs.syn_count == 0 && hs.syn_ack_count == 0) return words.handshake_not_captured;
    return words.handshake_incomplete;
}

}  // namespace

LadderRow ladder_row_of(const Event& e, Nanos first_ts, const WriterOptions& options) {
    LadderRow row;
    row.frame = e.frame;
    row.t = e.ts - first_ts;
    row.conn = e.conn;
    row.to_server = e.dir == Direction::c2s;
    row.label = label_of(e, options);
    row.tags = tags_of(e);
    for (std::uint8_t i = 0; i < e.state_change_count; ++i) {
        row.states.emplace_back(e.state_changes[i].side, std::string(name_of(e.state_changes[i].to)));
    }
    render_note(e.note, options.lang, row.note);
    return row;
}

std::string format_ladder_row(const LadderRow& row, bool with_note) {
    std::string out;
    char head[48];
    std::string t;
    json::append_seconds(t, row.t, 6);
    std::snprintf(head, sizeof head, "%6llu %9s %2lld  ", static_cast<unsigned long long>(row.frame), t.c_str(),
                  static_cast<long long>(row.conn));
    out += head;
    out += arrow(row.label, row.to_server);
    if (!row.tags.empty()) {
        out += ' ';
        utf8::append_visible(row.tags, out);
    }
    out += '\n';
    for (const auto& [side, state_in] : row.states) {
        const std::string state = utf8::make_visible(state_in);
        out.append(21, ' ');
        const std::size_t state_width = utf8::display_width(state);
        if (side == Side::server && state_width < arrow_width) out.append(arrow_width - state_width, ' ');
        out += state;
        out += '\n';
    }
    if (with_note && !row.note.empty()) {
        out.append(23, ' ');
        utf8::append_visible(row.note, out);
        out += '\n';
    }
    return out;
}

std::string ladder_connection_header(std::int64_t id, const std::string& client, const std::string& server, Lang lang) {
    const LadderWords& words = ladder_words(lang);
    std::string out(words.conn_line);
    out += std::to_string(id);
    out += words.client_after_id;
    utf8::append_visible(client, out);
    out += words.server_between;
    utf8::append_visible(server, out);
    out += '\n';
    out += words.column_heads;
    out.append(arrow_width - 6 - utf8::display_width(words.server_column), ' ');
    out += words.server_column;
    out += '\n';
    return out;
}

namespace {

class TextLadderWriter : public TimelineWriter {
public:
    TextLadderWriter(std::FILE* out, const WriterOptions& options) : sink_(out), options_(options) {}

    void begin(const TimelineSource& source) override {
        std::string out(ladder_words(options_.lang).title);
        utf8::append_visible(source.file, out);
        out += "\n";
        sink_.append(out);
    }

    void event(const Event& e, const Analyzer& analyzer) override {
        if (e.conn >= 0 && static_cast<std::uint64_t>(e.conn) >= announced_) {
            announce(analyzer.connections()[static_cast<std::size_t>(e.conn)]);
            announced_ = static_cast<std::uint64_t>(e.conn) + 1;
        }
        sink_.append(format_ladder_row(ladder_row_of(e, analyzer.stats().first_ts, options_), options_.notes));
        sink_.maybe_flush();
    }

    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        std::string out;
        const LadderWords& words = ladder_words(options_.lang);
        for (const Connection& c : analyzer.connections()) {
            const Teardown td = teardown_of(c);
            out += words.summary_conn;
            out += std::to_string(c.id);
            out += words.handshake;
            out += handshake_word(c.handshake, words);
            out += words.teardown;
            out += words.teardowns[static_cast<std::size_t>(td.kind)];
            if (td.kind == TeardownKind::fin && td.style != TeardownStyle::four_way) {
                out += td.style == TeardownStyle::half_close ? words.half_close : words.simultaneous;
            }
            if (td.kind != TeardownKind::none) {
                out += words.by_open;
                out += words.sides[static_cast<std::size_t>(td.by)];
                out += words.by_close;
            }
            out += words.final_states;
            out += name_of(c.state[0]);
            out += " / ";
            out += name_of(c.state[1]);
            out += '\n';
        }
        for (const std::string& w : warnings) {
            out += words.warning;
            utf8::append_visible(w, out);
            out += '\n';
        }
        sink_.append(out);
        sink_.flush();
    }

private:
    void announce(const Connection& c) {
        sink_.append(ladder_connection_header(c.id, c.client.ip.to_string() + ":" + std::to_string(c.client.port),
                                              c.server.ip.to_string() + ":" + std::to_string(c.server.port),
                                              options_.lang));
    }

    OutputSink sink_;
    WriterOptions options_;
    std::uint64_t announced_ = 0;
};

}  // namespace

std::unique_ptr<TimelineWriter> make_text_ladder_writer(std::FILE* out, const WriterOptions& options) {
    return std::make_unique<TextLadderWriter>(out, options);
}

}  // namespace tcpviz
