#include "tcpviz/utf8.h"

#include <gtest/gtest.h>

namespace tcpviz::utf8 {
namespace {

TEST(Utf8, DecodesWellFormedSequencesOnly) {
    EXPECT_EQ(decode("A", 0).code_point, U'A');
    EXPECT_EQ(decode("\xE2\x86\x92", 0).code_point, U'\u2192');  // →
    EXPECT_EQ(decode("\xF0\x9F\x98\x80", 0).length, 4u);
    EXPECT_EQ(decode("\xC0\xAF", 0).length, 0u);          // overlong '/'
    EXPECT_EQ(decode("\xED\xA0\x80", 0).length, 0u);      // surrogate
    EXPECT_EQ(decode("\xF4\x90\x80\x80", 0).length, 0u);  // beyond U+10FFFF
    EXPECT_EQ(decode("\xE4\xB8", 0).length, 0u);          // cut short
    EXPECT_EQ(decode("\x80", 0).length, 0u);              // a lone continuation byte
    EXPECT_TRUE(is_valid("中文 → ok"));
    EXPECT_FALSE(is_valid("ok\xFF"));
}

TEST(Utf8, WideAndFullwidthTakeTwoColumnsOthersOne) {
    EXPECT_EQ(display_width("abc"), 3u);
    EXPECT_EQ(display_width("→"), 1u);  // a 3-byte character that is narrow
    EXPECT_EQ(display_width("中文"), 4u);
    EXPECT_EQ(display_width("＊＊＊"), 6u);  // fullwidth forms
    EXPECT_EQ(display_width("한"), 2u);
    EXPECT_EQ(display_width("\xF0\x9F\x98\x80"), 2u);  // an emoji
    EXPECT_EQ(display_width("é"), 1u);
    EXPECT_EQ(display_width("\xFF\xFE"), 2u);  // invalid bytes: one column each
    EXPECT_FALSE(is_wide(U'\u303F'));          // a narrow character inside the CJK symbols block
    EXPECT_TRUE(is_wide(U'\u3000'));
    EXPECT_TRUE(is_wide(U'\U00020000'));
}

TEST(Utf8, FitNeverCutsACharacter) {
    EXPECT_EQ(fit("中文字", 5), "中文");
    EXPECT_EQ(fit("a→b", 2), "a→");
    EXPECT_EQ(fit("abc", 0), "");
    EXPECT_EQ(fit("ab", 10), "ab");
}

TEST(Utf8, MakeVisibleEscapesWhatATerminalWouldObey) {
    EXPECT_EQ(make_visible("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
    EXPECT_EQ(make_visible("a\nb\tc\r"), "a\\nb\\tc\\r");
    EXPECT_EQ(make_visible(std::string("\0\x7f", 2)), "\\x00\\x7f");
    EXPECT_EQ(make_visible("\xC2\x9B"
                           "31m"),
              "\\u009b31m");  // C1 CSI
    EXPECT_EQ(make_visible("\xE2\x80\xAE"
                           "abc"),
              "\\u202eabc");                                                  // right-to-left override
    EXPECT_EQ(make_visible("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u2066x\\u2069");  // isolates
    EXPECT_EQ(make_visible("\xE2\x80\x8F\xD8\x9C"), "\\u200f\\u061c");
    EXPECT_EQ(make_visible("\xE2\x80\xA8"), "\\u2028");
    EXPECT_EQ(make_visible("bad\xFF\xC3"), "bad\\xff\\xc3");
}

TEST(Utf8, MakeVisibleKeepsTextAndBackslashesAsTheyAre) {
    EXPECT_EQ(make_visible("中文 → ＊ é \\x1b"), "中文 → ＊ é \\x1b");
    EXPECT_EQ(make_visible(""), "");
    for (int b = 0; b < 256; ++b) {
        const std::string out = make_visible(std::string(1, static_cast<char>(b)));
        for (const char c : out) {
            const auto u = static_cast<unsigned char>(c);
            EXPECT_TRUE(u >= 0x20 && u < 0x7F) << b;  // any single byte comes out as printable ASCII
        }
    }
}

}  // namespace
}  // namespace tcpviz::utf8
