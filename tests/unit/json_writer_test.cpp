// json::Writer, the one way tcpviz writes JSON: commas, nulls, seconds,
// string escaping, and the room each record reserves.
#include <gtest/gtest.h>

#include <climits>
#include <functional>

#include "tcpviz/analyzer.h"
#include "tcpviz/json_text.h"
#include "tcpviz/json_writer.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

std::string written(std::size_t bound, const std::function<void(json::Writer&)>& write) {
    std::string out;
    json::append_record(out, bound, write);
    EXPECT_LE(out.size(), bound);
    return out;
}

std::string seconds(std::int64_t nanos, int decimals) {
    return written(json::max_number_chars, [&](json::Writer& w) { w.seconds(nanos, decimals); });
}

std::string millis(std::int64_t nanos) {
    return written(json::max_number_chars, [&](json::Writer& w) { w.millis(nanos); });
}

std::string escaped(std::string_view s) {
    return written(json::string_bound(s.size()), [&](json::Writer& w) { w.string(s); });
}

TEST(JsonWriter, CommasGoBetweenMembersAndElementsOnly) {
    const std::string out = written(200, [](json::Writer& w) {
        w.open();
        w.key("a");
        w.uint(1);
        w.key("empty");
        w.open();
        w.close();
        w.key("list");
        w.open_array();
        for (int i = 0; i < 3; ++i) {
            w.item();
            w.open_array();
            w.close_array();
        }
        w.close_array();
        w.key(std::string_view("named"));
        w.name("SYN");
        w.close();
    });
    EXPECT_EQ(out, R"({"a":1,"empty":{},"list":[[],[],[]],"named":"SYN"})");
}

TEST(JsonWriter, ANewWriterContinuesAnObject) {
    // What the kernel's samples rely on: `,"kernel":[]` appended to an open connection object.
    std::string out = "{\"id\":0";
    json::append_record(out, 30, [](json::Writer& w) {
        w.key("kernel");
        w.open_array();
        w.close_array();
    });
    EXPECT_EQ(out, R"({"id":0,"kernel":[])");
}

TEST(JsonWriter, UnknownFieldsAreNullNeverZero) {
    const std::string out = written(100, [](json::Writer& w) {
        w.open_array();
        w.item();
        w.uint_or_null(false, 7);
        w.item();
        w.uint_or_null(true, 0);
        w.item();
        w.uint_or_null(std::optional<std::uint32_t>{});
        w.item();
        w.uint_or_null(std::optional<std::uint32_t>{4294967295u});
        w.item();
        w.integer(-1);
        w.item();
        w.boolean(false);
        w.close_array();
    });
    EXPECT_EQ(out, "[null,0,null,4294967295,-1,false]");
}

TEST(JsonWriter, NumbersAtTheirWidestFitMaxNumberChars) {
    EXPECT_EQ(written(json::max_number_chars, [](json::Writer& w) { w.uint(UINT64_MAX); }), "18446744073709551615");
    EXPECT_EQ(written(json::max_number_chars, [](json::Writer& w) { w.integer(INT64_MIN); }), "-9223372036854775808");
}

TEST(JsonWriter, SecondsAreTruncatedToTheirDecimals) {
    EXPECT_EQ(seconds(0, 6), "0.000000");
    EXPECT_EQ(seconds(1'234'567'891, 9), "1.234567891");
    EXPECT_EQ(seconds(1'234'567'891, 6), "1.234567");
    EXPECT_EQ(seconds(59'999'999'999, 3), "59.999");
    EXPECT_EQ(seconds(1'700'000'000'123'456'789, 9), "1700000000.123456789");  // an absolute time of 2023
}

TEST(JsonWriter, NegativeSecondsKeepTheirSignEvenBelowTheLastDecimal) {
    EXPECT_EQ(seconds(-1, 9), "-0.000000001");
    EXPECT_EQ(seconds(-1, 6), "-0.000000");
    EXPECT_EQ(seconds(-2'500'000'000, 6), "-2.500000");
}

TEST(JsonWriter, SecondsOfTheExtremeInt64sAreExact) {
    // INT64_MIN has no positive counterpart: negating it as a signed number would overflow.
    EXPECT_EQ(seconds(INT64_MIN, 9), "-9223372036.854775808");
    EXPECT_EQ(seconds(INT64_MAX, 9), "9223372036.854775807");
    EXPECT_LE(seconds(INT64_MIN, 9).size(), json::max_number_chars);
}

TEST(JsonWriter, MillisecondsAreRoundedToTheNearestMicrosecond) {
    EXPECT_EQ(millis(0), "0.000");
    EXPECT_EQ(millis(1'234'499), "1.234");
    EXPECT_EQ(millis(1'234'500), "1.235");
    EXPECT_EQ(millis(-1'234'500), "-1.235");
    EXPECT_EQ(millis(999'999'999), "1000.000");
    EXPECT_EQ(millis(INT64_MIN), "-9223372036854.776");
    EXPECT_EQ(millis(INT64_MAX), "9223372036854.776");
}

TEST(JsonWriter, TheStringFormsFormatAsTheWriterDoes) {
    for (std::int64_t nanos : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{123'456'789'012}, INT64_MIN}) {
        std::string s, ms;
        json::append_seconds(s, nanos, 6);
        json::append_millis(ms, nanos);
        EXPECT_EQ(s, seconds(nanos, 6));
        EXPECT_EQ(ms, millis(nanos));
    }
}

TEST(JsonWriter, EscapesEveryControlByteAndDel) {
    for (int c = 0; c < 0x20; ++c) {
        const std::string out = escaped(std::string(1, static_cast<char>(c)));
        if (c == '\n') EXPECT_EQ(out, "\"\\n\"");
        else if (c == '\r') EXPECT_EQ(out, "\"\\r\"");
        else if (c == '\t') EXPECT_EQ(out, "\"\\t\"");
        else EXPECT_EQ(out.size(), 8u) << c;  // "\u00XX"
        for (char byte : out.substr(1, out.size() - 2)) EXPECT_GE(static_cast<unsigned char>(byte), 0x20) << c;
    }
    EXPECT_EQ(escaped(std::string("a\0b", 3)), "\"a\\u0000b\"");
    EXPECT_EQ(escaped("\x1f\x7f"), "\"\\u001f\\u007f\"");
}

TEST(JsonWriter, CopiesInvalidUtf8AsItIs) {
    // The writer escapes, it does not validate: payload goes through the
    // preview, which makes invalid bytes \xNN first.
    EXPECT_EQ(escaped("\xFF\xFE"), "\"\xFF\xFE\"");
    EXPECT_EQ(escaped("\xC0\xAF"), "\"\xC0\xAF\"");
    EXPECT_EQ(escaped("\xE2\x80"), "\"\xE2\x80\"");  // a line separator cut short is not one
    EXPECT_EQ(escaped("\xE2\x80\xA8"), "\"\\u2028\"");
}

TEST(JsonWriter, TheWorstStringFitsItsBoundExactly) {
    const std::string worst(100, '\x01');
    EXPECT_EQ(escaped(worst).size(), json::string_bound(worst.size()));
    const std::string markup(100, '<');
    EXPECT_EQ(escaped(markup).size(), json::string_bound(markup.size()));
}

// The connection object reserves its room up front: the bound must hold for
// the longest there can be (every number at its widest, IPv6 endpoints, the
// most options, every finding counted, many state changes).
TEST(ConnectionJson, TheLongestConnectionFitsItsBound) {
    Analyzer analyzer(1);
    Connection c;
    c.id = UINT32_MAX;
    for (Endpoint* ep : {&c.client, &c.server}) {
        ep->ip.version = 6;
        ep->ip.bytes.fill(0xff);
        ep->port = 65535;
    }
    c.first_frame = c.last_frame = UINT64_MAX;
    c.first_ts = INT64_MIN;
    c.last_ts = INT64_MAX;
    for (SideSummary& s : c.side) {
        s.isn_known = s.syn_seen = true;
        s.isn = UINT32_MAX;
        s.syn_options.mss = 65535;
        s.syn_options.window_scale = 255;
        s.syn_options.sack_permitted = true;
        s.syn_options.sack_count = 4;
        s.syn_options.sack.fill(SackBlock{UINT32_MAX, UINT32_MAX});
        s.syn_options.timestamps = TcpTimestamps{UINT32_MAX, UINT32_MAX};
        s.syn_options.entry_count = 40;
        s.syn_options.entries.fill(TcpOptionEntry{255, 255, false});
        s.segments = s.payload_bytes = s.fin_frame = s.rst_frame = UINT64_MAX;
    }
    c.handshake = Handshake{UINT64_MAX, UINT64_MAX, UINT64_MAX, 0, INT64_MAX, INT64_MAX, UINT32_MAX, UINT32_MAX, true};
    c.finding_counts.fill(UINT32_MAX);
    c.states.assign(50,
                    StateChange{Side::server, TcpState::syn_received, TcpState::syn_received, UINT64_MAX, INT64_MIN});
    std::string out;
    append_connection_json(out, c, analyzer, 9);
    EXPECT_LE(out.size(), connection_json_bound(c) + 2);  // and its braces
    EXPECT_EQ(out.back(), '}');
    EXPECT_GE(out.size() * 2, connection_json_bound(c));  // not wildly off either
}

}  // namespace
}  // namespace tcpviz
