// ChatRoom: the chat's rules, checked with a recording outbox instead of
// sockets.
#include "tcpviz/chat/chat_room.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace tcpviz::chat {
namespace {

class RecordingOutbox : public Outbox {
public:
    void send_line(ClientId to, std::string_view line) override { received[to].emplace_back(line); }
    // Everything `id` received so far, then forgotten.
    std::vector<std::string> take(ClientId id) { return std::exchange(received[id], {}); }
    std::map<ClientId, std::vector<std::string>> received;
};

class ChatRoomTest : public ::testing::Test {
protected:
    // Three members, 1 = alice, 2 = bob, 3 = guest3; the welcome lines forgotten.
    void SetUp() override {
        for (ClientId id : {1, 2, 3}) room.join(id);
        room.handle_line(1, "/nick alice");
        room.handle_line(2, "/nick bob");
        outbox.received.clear();
    }
    RecordingOutbox outbox;
    ChatRoom room{outbox};
};

using Lines = std::vector<std::string>;

TEST(ChatRoom, WelcomesANewcomerWithAGuestNameAndTellsTheOthers) {
    RecordingOutbox outbox;
    ChatRoom room(outbox);
    room.join(10);
    EXPECT_EQ(outbox.take(10),
              Lines{"*** welcome to the tcpviz chat, guest1! 1 person here. /help lists the commands\n"});
    room.join(11);
    EXPECT_EQ(outbox.take(11),
              Lines{"*** welcome to the tcpviz chat, guest2! 2 people here. /help lists the commands\n"});
    EXPECT_EQ(outbox.take(10), Lines{"*** guest2 joined\n"});
    EXPECT_EQ(room.size(), 2u);
}

TEST_F(ChatRoomTest, SendsAMessageToEveryoneButTheSenderWithTheSendersName) {
    EXPECT_EQ(room.handle_line(1, "hello \xE5\xA4\xA7\xE5\xAE\xB6"), ChatRoom::After::stay);
    EXPECT_EQ(outbox.take(1), Lines{});
    EXPECT_EQ(outbox.take(2), Lines{"alice: hello \xE5\xA4\xA7\xE5\xAE\xB6\n"});
    EXPECT_EQ(outbox.take(3), Lines{"alice: hello \xE5\xA4\xA7\xE5\xAE\xB6\n"});
    EXPECT_EQ(room.messages_relayed(), 1u);
}

TEST_F(ChatRoomTest, IgnoresEmptyLines) {
    room.handle_line(1, "");
    EXPECT_TRUE(outbox.received.empty());
}

TEST_F(ChatRoomTest, SendsALineStartingWithDoubleSlashAsASlashLine) {
    room.handle_line(2, "//etc/hosts is a file");
    EXPECT_EQ(outbox.take(1), Lines{"bob: /etc/hosts is a file\n"});
}

TEST_F(ChatRoomTest, AnnouncesANameChangeToTheOthers) {
    room.handle_line(3, "/nick \xE5\xB0\x8F\xE6\x98\x8E");  // 小明
    EXPECT_EQ(outbox.take(3), Lines{"*** you are now \xE5\xB0\x8F\xE6\x98\x8E\n"});
    EXPECT_EQ(outbox.take(1), Lines{"*** guest3 is now \xE5\xB0\x8F\xE6\x98\x8E\n"});
    room.handle_line(3, "hi");
    EXPECT_EQ(outbox.take(2).back(), "\xE5\xB0\x8F\xE6\x98\x8E: hi\n");
}

TEST_F(ChatRoomTest, KeepsNamesUnique) {
    room.handle_line(3, "/nick alice");
    EXPECT_EQ(outbox.take(3), Lines{"*** the name alice is taken; pick another\n"});
    EXPECT_EQ(outbox.take(1), Lines{});
    EXPECT_EQ(room.nick_of(3), "guest3");
}

TEST_F(ChatRoomTest, RejectsNamesWithSpacesColonsSlashesOrTooManyCharacters) {
    for (const char* bad : {"/nick a b", "/nick a:b", "/nick a/b", "/nick abcdefghijklmnopqrstu"}) {
        room.handle_line(3, bad);
        ASSERT_EQ(outbox.take(3).size(), 1u) << bad;
        EXPECT_EQ(room.nick_of(3), "guest3") << bad;
    }
    EXPECT_TRUE(ChatRoom::is_valid_nick("abcdefghijklmnopqrst"));  // 20 characters
    EXPECT_TRUE(ChatRoom::is_valid_nick("x.y-z_0"));
    EXPECT_FALSE(ChatRoom::is_valid_nick(""));
    EXPECT_FALSE(ChatRoom::is_valid_nick("a\xEF\xBF\xBD"));  // U+FFFD from the sanitizer
}

TEST_F(ChatRoomTest, ComparesNamesCaseFoldedSoBobCannotBecomeBOB) {
    room.handle_line(3, "/nick BOB");
    EXPECT_EQ(outbox.take(3), Lines{"*** the name BOB is taken; pick another\n"});
    EXPECT_EQ(room.nick_of(3), "guest3");
    room.handle_line(3, "/nick Alice");
    EXPECT_EQ(room.nick_of(3), "guest3");
    // One's own name in another case is no clash.
    room.handle_line(2, "/nick Bob");
    EXPECT_EQ(room.nick_of(2), "Bob");
    EXPECT_EQ(ChatRoom::fold_nick("BoB-\xE5\xB0\x8F"), "bob-\xE5\xB0\x8F");
}

TEST_F(ChatRoomTest, RejectsNamesThatPoseAsAnotherNameOrAsTheServer) {
    const char* const bad[] = {
        "bob\xE2\x80\xAE",  // U+202E RIGHT-TO-LEFT OVERRIDE
        "\xE2\x80\xAA"
        "alice",                                 // U+202A
        "x\xE2\x81\xA6y",                        // U+2066 LEFT-TO-RIGHT ISOLATE
        "x\xE2\x81\xA9",                         // U+2069
        "\xEF\xBC\x8A\xEF\xBC\x8A\xEF\xBC\x8A",  // ＊＊＊ fullwidth asterisks, like "***"
        "\xE2\x88\x97\xE2\x88\x97\xE2\x88\x97",  // ∗∗∗ U+2217
        "\xE2\x9C\xB1server",                    // ✱ U+2731
        "\xEF\xB9\xA1x",                         // ﹡ U+FE61
        "\xEF\xBD\x82\xEF\xBD\x8F\xEF\xBD\x82",  // ｂｏｂ fullwidth letters
        "bob\xEF\xBC\x9A",                       // fullwidth colon, "bob："
        "bo\xE2\x80\x8B"
        "b",  // U+200B ZERO WIDTH SPACE
        "a\xC2\xA0"
        "b",  // U+00A0 NO-BREAK SPACE
        "a\xE3\x80\x80"
        "b",          // U+3000 IDEOGRAPHIC SPACE
        "a\xC2\x9B",  // U+009B, a C1 control
    };
    for (const char* nick : bad) {
        EXPECT_FALSE(ChatRoom::is_valid_nick(nick)) << nick;
        room.handle_line(3, std::string("/nick ") + nick);
        EXPECT_EQ(room.nick_of(3), "guest3") << nick;
    }
    // Letters of every script stay welcome.
    for (const char* good :
         {"\xE5\xB0\x8F\xE6\x98\x8E", "Jos\xC3\xA9", "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD", "\xD8\xB9\xD9\x84\xD9\x8A"}) {
        EXPECT_TRUE(ChatRoom::is_valid_nick(good)) << good;
    }
}

TEST_F(ChatRoomTest, NickWithoutANameSaysWhoYouAre) {
    room.handle_line(1, "/nick");
    EXPECT_EQ(outbox.take(1), Lines{"*** you are alice; to change it: /nick NAME\n"});
}

TEST_F(ChatRoomTest, WhoListsEveryoneInTheOrderTheyCame) {
    room.handle_line(3, "/who");
    EXPECT_EQ(outbox.take(3), Lines{"*** 3 here: alice, bob, guest3\n"});
    EXPECT_EQ(room.nicks(), (Lines{"alice", "bob", "guest3"}));
}

TEST_F(ChatRoomTest, HelpListsTheCommandsAndUnknownCommandsPointToIt) {
    room.handle_line(1, "/help");
    const Lines help = outbox.take(1);
    ASSERT_GE(help.size(), 5u);
    EXPECT_NE(help[1].find("/nick"), std::string::npos);
    room.handle_line(1, "/dance");
    EXPECT_EQ(outbox.take(1), Lines{"*** unknown command /dance; /help lists the commands\n"});
    EXPECT_EQ(outbox.take(2), Lines{});
}

TEST_F(ChatRoomTest, QuitSaysGoodbyeAndTellsTheOthers) {
    EXPECT_EQ(room.handle_line(2, "/quit"), ChatRoom::After::quit);
    room.leave(2, LeaveReason::quit);
    EXPECT_EQ(outbox.take(2), Lines{"*** goodbye, bob\n"});
    EXPECT_EQ(outbox.take(1), Lines{"*** bob left\n"});
    EXPECT_FALSE(room.contains(2));
    room.leave(2, LeaveReason::quit);  // twice: nothing happens
    EXPECT_TRUE(outbox.received[1].empty());
}

TEST_F(ChatRoomTest, EndOfInputAlsoGetsAGoodbye) {
    room.leave(1, LeaveReason::end_of_input);
    EXPECT_EQ(outbox.take(1), Lines{"*** goodbye, alice\n"});
    EXPECT_EQ(outbox.take(2), Lines{"*** alice left\n"});
}

TEST_F(ChatRoomTest, AResetOrADropIsExplainedToTheOthersWithoutAGoodbye) {
    room.leave(1, LeaveReason::reset);
    EXPECT_EQ(outbox.take(1), Lines{});
    EXPECT_EQ(outbox.take(2), Lines{"*** alice left (connection reset)\n"});
    EXPECT_EQ(outbox.take(3), Lines{"*** alice left (connection reset)\n"});
    room.leave(2, LeaveReason::not_reading);
    EXPECT_EQ(outbox.take(2), Lines{});
    EXPECT_EQ(outbox.take(3), Lines{"*** bob was dropped (not reading)\n"});
}

TEST(ChatRoom, GuestNamesSkipNamesSomeoneAlreadyChose) {
    RecordingOutbox outbox;
    ChatRoom room(outbox);
    room.join(1);
    room.handle_line(1, "/nick guest2");
    room.join(2);
    EXPECT_EQ(room.nick_of(2), "guest3");
}

TEST_F(ChatRoomTest, CloseRoomTellsEveryoneOnceAndEmptiesTheRoom) {
    room.close_room();
    for (ClientId id : {1, 2, 3}) EXPECT_EQ(outbox.take(id), Lines{"*** the server is shutting down; goodbye\n"});
    EXPECT_EQ(room.size(), 0u);
}

TEST_F(ChatRoomTest, LinesFromNonMembersAreIgnored) {
    EXPECT_EQ(room.handle_line(99, "hello"), ChatRoom::After::stay);
    room.notify(99, "x");
    EXPECT_TRUE(outbox.received.empty());
}

}  // namespace
}  // namespace tcpviz::chat
