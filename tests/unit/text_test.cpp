// JSON string escaping (safe inside <script>) and payload previews (valid
// UTF-8, control bytes visible), and note sentences.
#include <gtest/gtest.h>

#include "tcpviz/analyzer.h"
#include "tcpviz/json_text.h"
#include "tcpviz/note.h"
#include "tcpviz/payload_preview.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

std::string js(std::string_view s) {
    std::string out;
    json::append_string(out, s);
    return out;
}

std::string preview(std::string_view bytes, std::size_t max = 64) {
    std::string out;
    append_payload_preview(Bytes(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()), max, out);
    return out;
}

TEST(JsonString, EscapesWhatJsonRequires) { EXPECT_EQ(js("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\""); }

TEST(JsonString, CannotEndAScriptElementOrOpenMarkup) {
    const std::string out = js("</script><img src=x onerror=alert(1)><!-- & ");
    EXPECT_EQ(out.find('<'), std::string::npos);
    EXPECT_EQ(out.find('>'), std::string::npos);
    EXPECT_EQ(out.find('&'), std::string::npos);
    EXPECT_NE(out.find("\\u003c/script\\u003e"), std::string::npos);
}

TEST(JsonString, EscapesLineAndParagraphSeparatorsButKeepsOtherUtf8) {
    EXPECT_EQ(js("a\xE2\x80\xA8"
                 "b\xE2\x80\xA9"
                 "c"),
              "\"a\\u2028b\\u2029c\"");
    EXPECT_EQ(js("\xE2\x82\xAC \xE4\xBD\xA0"), "\"\xE2\x82\xAC \xE4\xBD\xA0\"");  // euro sign, CJK kept
    EXPECT_EQ(js("\xE2"), "\"\xE2\"");  // a lone lead byte at the end does not read past it
}

TEST(PayloadPreview, KeepsUtf8AndEscapesControlBytes) {
    EXPECT_EQ(preview("hi \xE4\xBD\xA0\xE5\xA5\xBD\r\n"), "hi \xE4\xBD\xA0\xE5\xA5\xBD\\r\\n");
    EXPECT_EQ(preview(std::string_view("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(preview("back\\slash"), "back\\\\slash");
}

TEST(PayloadPreview, InvalidUtf8BecomesHexEscapes) {
    EXPECT_EQ(preview("\xFF\xFE"), "\\xff\\xfe");
    EXPECT_EQ(preview("\xC0\xAF"), "\\xc0\\xaf");           // overlong
    EXPECT_EQ(preview("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // surrogate
    EXPECT_EQ(preview("\xE4\xBD"), "\\xe4\\xbd");           // cut by the capture
}

TEST(PayloadPreview, LimitNeverSplitsACharacter) {
    EXPECT_EQ(preview("ab\xE4\xBD\xA0", 3), "ab");
    EXPECT_EQ(preview("ab\xE4\xBD\xA0", 5), "ab\xE4\xBD\xA0");
    EXPECT_EQ(preview("abcdef", 3), "abc");
}

TEST(PayloadPreview, JsonFormIsThePreviewEscapedForJson) {
    // Every byte value, UTF-8 (valid, cut, U+2028), markup and escapes, at several limits.
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    const std::string samples[] = {all, "</script><b>&\"\\x\n\r\t",
                                   "a\xE2\x80\xA8"
                                   "b\xE2\x80\xA9"
                                   "\xE4\xBD\xA0"
                                   "\xE4\xBD",
                                   std::string("\0\x7f\xff", 3), ""};
    for (const std::string& sample : samples) {
        for (std::size_t limit : {0ul, 1ul, 3ul, 64ul, 300ul}) {
            const Bytes bytes(reinterpret_cast<const std::byte*>(sample.data()), sample.size());
            std::string text, expected, got;
            append_payload_preview(bytes, limit, text);
            json::append_string(expected, text);
            append_payload_preview_json(bytes, limit, got);
            EXPECT_EQ(got, expected) << "limit " << limit;
        }
    }
}

TEST(Notes, EnglishAndChineseFillTheirNumbers) {
    Note n;
    n.id = NoteId::duplicate_ack;
    n.side = 1;
    n.args = {3, 1449, 0};
    std::string en, zh;
    render_note(n, Lang::en, en);
    render_note(n, Lang::zh, zh);
    EXPECT_EQ(en,
              "Duplicate ACK #3: the server still waits for byte 1449; a later segment arrived instead, "
              "a sign of loss or reordering.");
    EXPECT_NE(zh.find("1449"), std::string::npos);
    EXPECT_NE(zh.find("服务器"), std::string::npos);
}

TEST(Notes, EveryNoteHasBothLanguagesAndNoLeftoverPlaceholder) {
    for (int id = 0; id < static_cast<int>(NoteId::count_); ++id) {
        Note n;
        n.id = static_cast<NoteId>(id);
        for (Lang lang : {Lang::en, Lang::zh}) {
            std::string out;
            render_note(n, lang, out);
            EXPECT_FALSE(out.empty()) << note_id_name(n.id);
            EXPECT_EQ(out.find('{'), std::string::npos) << out;
            // The widest numbers and side names still fit the bound writers reserve.
            n.args = {4294967295u, 4294967295u, 4294967295u};
            for (std::uint8_t side : {0, 1}) {
                n.side = side;
                std::string widest;
                render_note(n, lang, widest);
                EXPECT_LE(widest.size(), max_note_length()) << widest;
            }
            n.args = {};
        }
        EXPECT_FALSE(note_id_name(n.id).empty());
        // The JSON writer copies notes without an escape pass: they must need none.
        std::string en;
        n.args = {4294967295u, 0, 7};
        render_note(n, Lang::en, en);
        std::string quoted;
        json::append_string(quoted, en);
        EXPECT_EQ(quoted, "\"" + en + "\"") << en;
    }
}

// The event writer writes through a raw pointer into room it reserves up
// front: the bound must hold for the longest event there can be.
TEST(EventJson, TheLongestEventFitsItsBound) {
    Analyzer analyzer(1);
    TcpOptions options;
    options.mss = 65535;
    options.window_scale = 255;
    options.sack_permitted = true;
    options.sack_count = 4;
    options.sack.fill(SackBlock{4294967295u, 4294967294u});
    options.timestamps = TcpTimestamps{4294967295u, 4294967295u};
    options.entry_count = 40;
    options.entries.fill(TcpOptionEntry{255, 255, false});
    const std::string payload(2000, '<');  // the longest escape of all, 6 characters a byte
    Event e;
    e.frame = ~0ull;
    e.ts = -9'000'000'000'000'000'000ll;
    e.conn = -1;
    e.flags = 0x1FF;
    e.seq = e.ack = e.seq_raw = e.ack_raw = e.len = e.win = 4294967295u;
    e.win_raw = 65535;
    e.win_scale = -2;
    e.options = options;
    e.relative_sack = options.sack;
    e.analysis.findings.bits = (1u << finding_count) - 1;
    e.analysis.dup_ack_num = 4294967295u;
    e.analysis.dup_ack_frame = e.analysis.acks_frame = ~0ull;
    e.analysis.bytes_in_flight = 4294967295u;
    e.analysis.ack_rtt = -9'000'000'000'000'000'000ll;
    e.analysis_unreported = true;
    e.payload = Bytes(reinterpret_cast<const std::byte*>(payload.data()), payload.size());
    e.truncated = e.malformed = true;
    e.problem = "option with a length its RFC does not allow";
    e.state_change_count = 4;
    e.state_changes.fill(StateChange{Side::server, TcpState::syn_received, TcpState::syn_received, ~0ull, 0});
    e.note.id = NoteId::syn_ack;
    e.note.args = {4294967295u, 4294967295u, 4294967295u};
    for (std::size_t payload_bytes : {0ul, 64ul, 5000ul}) {
        WriterOptions writer;
        writer.payload_bytes = payload_bytes;
        std::string out;
        append_event_json(out, e, analyzer, writer, 9);
        EXPECT_LE(out.size(), event_fields_json_bound(e, writer) + 2) << payload_bytes;
        EXPECT_EQ(out.back(), '}');
        // The fixed part's estimate is not wildly off either (it would hide a missed field).
        EXPECT_GE(out.size() * 2, event_fields_json_bound(e, writer)) << payload_bytes;
    }
}

}  // namespace
}  // namespace tcpviz
