// sanitize_text(): what reaches other people's terminals is valid UTF-8 with
// no control characters; everything else becomes U+FFFD.
#include "tcpviz/chat/text.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tcpviz::chat {
namespace {

const std::string R(replacement_character);

TEST(SanitizeText, KeepsAsciiChineseEmojiAndTabsAsTheyAre) {
    for (const std::string text : {"hello, world", "\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C",
                                   "caf\xC3\xA9", "\xF0\x9F\x98\x80 ok", "a\tb", ""}) {
        EXPECT_EQ(sanitize_text(text), text);
    }
}

TEST(SanitizeText, ReplacesNulAndEveryControlCharacterButTab) {
    EXPECT_EQ(sanitize_text(std::string("a\0b", 3)), "a" + R + "b");
    EXPECT_EQ(sanitize_text("\x1B[2J"), R + "[2J");                             // ESC: clear screen
    EXPECT_EQ(sanitize_text("bob: hi\ralice: x"), "bob: hi" + R + "alice: x");  // forged line
    EXPECT_EQ(sanitize_text("del\x7F"), "del" + R);
    EXPECT_EQ(sanitize_text("c1\xC2\x9B"
                            "31m"),
              "c1" + R + "31m");                               // U+009B, the C1 CSI
    EXPECT_EQ(sanitize_text("\xC2\xA0nbsp"), "\xC2\xA0nbsp");  // U+00A0 is no control
}

TEST(SanitizeText, ReplacesBidirectionalControlsThatReorderTheLine) {
    EXPECT_EQ(sanitize_text("abc\xE2\x80\xAE"
                            "fdp.exe"),
              "abc" + R + "fdp.exe");  // U+202E
    EXPECT_EQ(sanitize_text("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD"), R + R + R + R);
    EXPECT_EQ(sanitize_text("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9"), R + R + R + R);
    EXPECT_EQ(sanitize_text("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C"), R + R + R);  // LRM, RLM, ALM
    EXPECT_EQ(sanitize_text("\xE2\x80\x94"), "\xE2\x80\x94");                 // an em dash is no control
}

TEST(SanitizeText, ReplacesEachByteThatIsNotWellFormedUtf8) {
    EXPECT_EQ(sanitize_text("\x80"), R);          // a continuation byte alone
    EXPECT_EQ(sanitize_text("\xFF\xFE"), R + R);  // bytes UTF-8 never uses
    EXPECT_EQ(sanitize_text("\xE4\xBD"), R + R);  // a sequence cut short
    EXPECT_EQ(sanitize_text("\xE4\xBD"
                            "A"),
              R + R + "A");
    EXPECT_EQ(sanitize_text("\xC0\xAF"), R + R);                  // overlong '/'
    EXPECT_EQ(sanitize_text("\xE0\x80\xAF"), R + R + R);          // overlong, three bytes
    EXPECT_EQ(sanitize_text("\xED\xA0\x80"), R + R + R);          // a UTF-16 surrogate
    EXPECT_EQ(sanitize_text("\xF4\x90\x80\x80"), R + R + R + R);  // above U+10FFFF
}

TEST(SanitizeText, AlwaysGivesValidUtf8WithoutControlsForRandomBytes) {
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 2000; ++round) {
        std::string garbage(static_cast<std::size_t>(round % 64), '\0');
        for (char& c : garbage) c = static_cast<char>(byte(random));
        const std::string clean = sanitize_text(garbage);
        ASSERT_TRUE(is_valid_utf8(clean));
        ASSERT_LE(clean.size(), 3 * garbage.size());
        for (const char c : clean) {
            const auto b = static_cast<unsigned char>(c);
            ASSERT_TRUE(b >= 0x20 || b == '\t') << "control byte " << int(b);
            ASSERT_NE(b, 0x7F);
        }
    }
}

TEST(TerminalFilter, MakesAHostileServersControlsVisibleButKeepsNewlines) {
    TerminalFilter filter;
    EXPECT_EQ(filter.filter("\x1B]0;owned\x07\x1B[2Jhi\r\n"), R + "]0;owned" + R + R + "[2Jhi" + R + "\n");
    EXPECT_EQ(filter.filter("\xC2\x9B"
                            "31m \xE2\x80\xAE"
                            "x\n"),
              R + "31m " + R + "x\n");
    EXPECT_EQ(filter.filter("\xE4\xBD\xA0\t\xF0\x9F\x98\x80\n"), "\xE4\xBD\xA0\t\xF0\x9F\x98\x80\n");
}

TEST(TerminalFilter, GivesTheSameTextHoweverTheStreamIsCut) {
    const std::string stream =
        "a\xE4\xBD\xA0\xC2\x9B\xE2\x80\xAE\xF0\x9F\x98\x80\xFF\xE4\xBD"
        "b\n\x1B\xED\xA0\x80\xC2";
    const std::string whole = [&] {
        TerminalFilter once;
        std::string text = once.filter(stream);
        return text + once.finish();
    }();
    EXPECT_TRUE(is_valid_utf8(whole));
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        for (std::size_t cut2 = cut; cut2 <= stream.size(); ++cut2) {
            TerminalFilter pieces;
            std::string out = pieces.filter(stream.substr(0, cut));
            out += pieces.filter(stream.substr(cut, cut2 - cut));  // one statement each: the order matters
            out += pieces.filter(stream.substr(cut2));
            out += pieces.finish();
            ASSERT_EQ(out, whole) << "cut at " << cut << " and " << cut2;
        }
    }
    // A character cut in two is held, not replaced.
    TerminalFilter held;
    EXPECT_EQ(held.filter("\xE4\xBD"), "");
    EXPECT_EQ(held.filter("\xA0"), "\xE4\xBD\xA0");
    EXPECT_EQ(held.filter("\xE4"), "");
    EXPECT_EQ(held.finish(), R);
}

TEST(IsValidUtf8, AcceptsWellFormedAndRejectsTheRest) {
    EXPECT_TRUE(is_valid_utf8("plain"));
    EXPECT_TRUE(is_valid_utf8("\xE4\xBD\xA0\xE5\xA5\xBD"));
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
    EXPECT_FALSE(is_valid_utf8("\xC3"));
    EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));
    EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
}

TEST(CountCharacters, CountsCodePointsNotBytes) {
    EXPECT_EQ(count_characters("abc"), 3u);
    EXPECT_EQ(count_characters("\xE5\xB0\x8F\xE6\x98\x8E"), 2u);  // 小明
    EXPECT_EQ(count_characters(""), 0u);
}

}  // namespace
}  // namespace tcpviz::chat
