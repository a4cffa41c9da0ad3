// course-programs: the course's first chat as written (with its mistakes,
// tutorials/programs/buggy_chat.c, a counter-example) against itself, the
// same buggy server against a correct client, and the programs done right
// (chat/classic/) -- three connections in one capture, side by side: the
// 1024-byte segments padded with NUL bytes and stale text, and the garbage a
// buffer printed without its '\0' shows.
#include <algorithm>
#include <sstream>

#include "common.h"
#include "programs.h"

namespace tcpviz::lab {
namespace {

// Each program's stdout and stderr are kept as "course-programs.ACT.server.out" and so on.
std::string output_name(const std::string& act_file) { return "course-programs." + act_file; }

// The two lines every client types, one after the other: the second shorter,
// so what is left of the first in a buffer shows.
constexpr const char* typing_command =
    "(printf \"hello, everyone in the class\\n\"; sleep 0.3; printf \"hi\\n\"; sleep 0.3)";

struct Act {
    const char* name;
    const char* server;
    const char* client;
};
constexpr Act acts[] = {
    {"as-written", "tcpviz-buggy-server", "tcpviz-buggy-client"},
    {"mixed", "tcpviz-buggy-server", "tcpviz-classic-client"},
    {"right", "tcpviz-classic-server", "tcpviz-classic-client"},
};

void run_act(Session& s, const Path& path, int port, const Act& act) {
    const std::string base = artifact_path(s, output_name(act.name));
    for (const char* f : {".server.out", ".server.err", ".client.out", ".client.err"}) std::remove((base + f).c_str());
    // The server's own input ends after 2 s: then it sends its FIN too.
    Child server = start_shell(s, path.server.netns,
                               "sleep 2 | " + sh_quote(tutorial_program(act.server)) + " " + std::to_string(port) +
                                   " > " + sh_quote(base + ".server.out") + " 2> " + sh_quote(base + ".server.err"),
                               base + ".log");
    for (int i = 0; i < 250 && read_text(base + ".server.err").find("listening") == std::string::npos; ++i)
        pause_for(0.02);
    Child client = start_shell(s, path.client.netns,
                               std::string(typing_command) + " | " + sh_quote(tutorial_program(act.client)) + " " +
                                   path.server.address + " " + std::to_string(port) + " > " +
                                   sh_quote(base + ".client.out") + " 2> " + sh_quote(base + ".client.err"),
                               base + ".log");
    finish(client, 15, act.client);
    finish(server, 15, act.server);
}

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    segments_as_on_a_wire(s, path.client.netns);
    s.start_capture(path, port);
    for (const Act& act : acts) run_act(s, path, port, act);
    s.stop_capture();
}

std::vector<const Json*> client_data(const Timeline& t, int conn) {
    return find_events(t, conn, [](const Json& e) { return is_c2s(e) && number(e, "len", 0) > 0; });
}

std::string lengths(const std::vector<const Json*>& segments) {
    std::string out;
    for (const Json* e : segments) out += (out.empty() ? "" : ", ") + num(number(*e, "len", 0));
    return out;
}

bool has_nul(const Json& e) { return preview_bytes(str(e, "payload")).find('\0') != std::string::npos; }

Answer as_written_lengths(const Timeline& t) {
    const auto data = client_data(t, 0);
    if (data.empty()) return cannot({"it holds no data from the client", "其中没有客户端发出的数据"});
    const auto right = client_data(t, 2);
    return answer({{"lens", lengths(data)},
                   {"frames", frame(data.front()) + "…" + frame(data.back())},
                   {"right", right.empty() ? "?" : lengths(right)}},
                  num(number(*data.front(), "len", 0)));
}

Answer padding(const Timeline& t) {
    const auto data = client_data(t, 0);
    if (data.size() < 2)
        return cannot({"it holds fewer than two data segments from the client", "其中客户端的数据报文段不到两个"});
    const Json& e = *data[1];
    const std::string bytes = preview_bytes(str(e, "payload"));
    const std::size_t nul = bytes.find('\0');
    std::string stale;
    for (std::size_t i = nul == std::string::npos ? bytes.size() : nul + 1; i < bytes.size() && bytes[i] != '\0'; ++i)
        stale += bytes[i];
    return answer({{"frame", frame(&e)},
                   {"shown", num(static_cast<long long>(bytes.size()))},
                   {"bytes", visible(bytes)},
                   {"nuls", num(static_cast<long long>(std::count(bytes.begin(), bytes.end(), '\0')))},
                   {"stale", visible(stale)}});
}

Answer garbage(const Timeline& t) {
    if (!has_artifact(t, output_name("mixed.server.err"))) return cannot(why::no_program_output);
    std::string sizes;  // the buggy server logs "recv() = N" for each call
    std::istringstream lines(artifact(t, output_name("mixed.server.err")));
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("recv() = ", 0) == 0) sizes += (sizes.empty() ? "" : ", ") + line.substr(9);
    }
    return answer({{"printed", visible(artifact(t, output_name("mixed.server.out")), 200)}, {"recvs", sizes}});
}

Answer buffer_size(const Timeline& t) {
    if (!has_artifact(t, output_name("as-written.client.err"))) return cannot(why::no_program_output);
    const std::string line =
        output_line(artifact(t, output_name("as-written.client.err")), "write buffer: sizeof(char *) * 1024");
    return answer({{"size", value_in(line)}}, value_in(line));
}

Answer done_right(const Timeline& t) {
    const auto data = client_data(t, 2);
    if (data.empty())
        return cannot({"it holds no third connection (the programs done right)", "其中没有第三个连接（正确的程序）"});
    const bool nul = std::any_of(data.begin(), data.end(), [](const Json* e) { return has_nul(*e); });
    return answer({{"lens", lengths(data)},
                   {"nul", nul ? "yes" : "no"},
                   {"nul_zh", nul ? "有" : "没有"},
                   {"printed", has_artifact(t, output_name("right.server.out"))
                                   ? visible(artifact(t, output_name("right.server.out")))
                                   : std::string("?")}});
}

Verdict check(const Timeline& t) {
    const Json* syn = find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
    const auto data = client_data(t, 0);
    const bool padded = !data.empty() && std::all_of(data.begin(), data.end(), [](const Json* e) {
        return number(*e, "len", 0) == 1024 && has_nul(*e);
    });
    const auto right = client_data(t, 2);
    const bool right_ok = std::none_of(right.begin(), right.end(),
                                       [](const Json* e) { return number(*e, "len", 0) == 1024 || has_nul(*e); });
    if (syn && padded && right_ok) {
        return {true,
                {"as written, every data segment is 1024 bytes with NUL bytes inside (frames {frames}); done right: "
                 "{right}.",
                 "原样的程序每个数据报文段都是 1024 字节，里面有 NUL 字节（第 {frames} 帧）；正确的程序：{right}。"},
                {{"frames", frame(data.front()) + "…" + frame(data.back())},
                 {"right", right.empty() ? "-" : lengths(right)}}};
    }
    return {false,
            {"no connection opened by a SYN whose client data segments are all 1024 bytes padded with NUL bytes.",
             "没有找到由 SYN 打开、且客户端每个数据报文段都是用 NUL 字节填满的 1024 字节的连接。"},
            {}};
}

}  // namespace

extern const Scenario course_programs_scenario{
    "course-programs",
    {"The course's chat programs and their bugs", "讲义里的聊天程序和它的错误"},
    {"the course's first chat: a fixed 1024-byte send(), no '\\0', one recv() taken as one message",
     "讲义的第一个聊天程序：固定发送 1024 字节、不加 '\\0'、把一次 recv() 当成一条消息"},
    false,
    {"Three one-to-one chats on one port, one after the other; each client types the same two lines,\n"
     "\"hello, everyone in the class\" and then \"hi\":\n"
     "  connection 0: the course's programs as written (tcpviz-buggy-server and tcpviz-buggy-client, a "
     "counter-example\n"
     "                kept only for this lab: tutorials/programs/buggy_chat.c);\n"
     "  connection 1: the same buggy server, and a correct client (chat/classic);\n"
     "  connection 2: both done right (tcpviz-classic-server and tcpviz-classic-client).",
     "在同一个端口上先后进行三段一对一聊天，每个客户端都输入同样的两行：先是 \"hello, everyone in the class\"，再是 "
     "\"hi\"：\n"
     "  连接 0：讲义里原样的程序（tcpviz-buggy-server 和 tcpviz-buggy-client，反面教材，只为这个实验而编译：\n"
     "          tutorials/programs/buggy_chat.c）；\n"
     "  连接 1：同一个有错误的服务器，加上正确的客户端（chat/classic）；\n"
     "  连接 2：两边都是正确的程序（tcpviz-classic-server 和 tcpviz-classic-client）。"},
    {"The len of the client's data segments: 1024 in connection 0 whatever was typed, the line's own length in\n"
     "connection 2. The preview of connection 0's segments shows \\0 (NUL) bytes and text left over from an earlier "
     "line.",
     "客户端数据报文段的 len：连接 0 里不管输入什么都是 1024，连接 2 里就是那一行本身的长度。连接 0 报文段的预览里\n"
     "能看到 \\0（NUL 字节）以及前一行残留的文字。"},
    run,
    nullptr,
    {
        {{"As written (connection 0): how long are the client's data segments?",
          "原样的程序（连接 0）：客户端的数据报文段各多长？"},
         {"{lens} bytes (frames {frames}), though the lines typed were {right} bytes long (connection 2 sent exactly "
          "them).",
          "{lens} 字节（第 {frames} 帧），而输入的两行只有 {right} 字节（连接 2 发的正是这么多）。"},
         as_written_lengths},
        {{"What does the second segment hold after its line, \"hi\\n\"?",
          "第二个报文段在 \"hi\\n\" 这一行之后装的是什么？"},
         {"Frame {frame}, its first {shown} bytes: \"{bytes}\". {nuls} of them are NUL; \"{stale}\" is what the first, "
          "longer "
          "line left in the buffer: it went on the wire again.",
          "第 {frame} 帧的前 {shown} 个字节：\"{bytes}\"。其中 {nuls} 个是 NUL；\"{stale}\" "
          "是第一行（较长的那行）留在缓冲区里的"
          "内容：它又被发到了网上。"},
         padding},
        {{"A correct client (connection 1) sends the buggy server the same two lines. What does the server print?",
          "正确的客户端（连接 1）把同样两行发给有错误的服务器，服务器打印出什么？"},
         {"\"{printed}\" -- its recv() calls returned {recvs} bytes; with no '\\0' after \"hi\\n\", fputs() printed on "
          "into what "
          "the first line left.",
          "\"{printed}\"——它的 recv() 分别返回 {recvs} 字节；\"hi\\n\" 后面没有 '\\0'，fputs() "
          "一直打印到第一行残留的内容里。"},
         garbage},
        {{"malloc(sizeof(char *) * 1024): how many bytes is the buggy writer's buffer?",
          "malloc(sizeof(char *) * 1024)：有错误的写线程的缓冲区是多少字节？"},
         {"{size}: a pointer is 8 bytes here, not 1.", "{size}：这里一个指针占 8 字节，而不是 1 字节。"},
         buffer_size},
        {{"Done right (connection 2): how long are the client's segments, and is there a NUL byte in them?",
          "正确的程序（连接 2）：客户端的报文段各多长？里面有 NUL 字节吗？"},
         {"{lens} bytes, NUL bytes: {nul}; the server printed \"{printed}\".",
          "{lens} 字节，NUL 字节：{nul_zh}；服务器打印的是 \"{printed}\"。"},
         done_right},
    },
    check,
};

}  // namespace tcpviz::lab
