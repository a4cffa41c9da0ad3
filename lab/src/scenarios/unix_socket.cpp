// unix-socket: the classic chat over AF_UNIX (tutorials/programs/unix_*.c)
// while a capture with no filter at all watches every interface of the
// namespace. The chat works; the capture stays empty: the bytes never become
// packets. `ss -x` shows where the connection lives instead.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common.h"
#include "programs.h"

namespace tcpviz::lab {
namespace {

// What the run kept beside its capture.
constexpr const char* server_artifact = "unix-socket.server.out";
constexpr const char* client_artifact = "unix-socket.client.out";
constexpr const char* ss_artifact = "unix-socket.ss.txt";      // `ss -xa` while they talked
constexpr const char* path_artifact = "unix-socket.path.txt";  // the socket's file name

void run(Session& s) {
    const Path path = s.net().loopback(true);
    const std::string ns = path.client.netns;
    std::string dir_template = "/tmp/tcpviz-unix-XXXXXX";  // short: sun_path holds 108 bytes
    if (::mkdtemp(dir_template.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    const std::string socket_path = dir_template + "/chat.sock";
    struct RemoveDir {
        std::string dir;
        ~RemoveDir() { run_command({"rm", "-rf", dir}); }
    } remove_dir{dir_template};
    for (const char* f : {server_artifact, client_artifact, ss_artifact, path_artifact})
        std::remove(artifact_path(s, f).c_str());
    const std::string server_out = artifact_path(s, server_artifact), client_out = artifact_path(s, client_artifact);
    Child capture = start_unfiltered_capture(s, ns, "any");
    Child server = start_shell(s, ns,
                               "(sleep 0.5; printf \"hello from the server\\n\"; sleep 1) | " +
                                   sh_quote(tutorial_program("tcpviz-unix-server")) + " " + socket_path + " > " +
                                   sh_quote(server_out) + " 2> " + sh_quote(server_out + ".err"),
                               server_out + ".log");
    if (!wait_for_file(socket_path, 5)) throw std::runtime_error("tcpviz-unix-server did not create " + socket_path);
    Child client = start_shell(s, ns,
                               "(printf \"hello over AF_UNIX\\n\"; sleep 1) | " +
                                   sh_quote(tutorial_program("tcpviz-unix-client")) + " " + socket_path + " > " +
                                   sh_quote(client_out) + " 2> " + sh_quote(client_out + ".err"),
                               client_out + ".log");
    pause_for(0.4);  // connected and talking: where does the kernel list the connection?
    std::ofstream(artifact_path(s, ss_artifact)) << run_and_show(s, ns, {"ss", "-xa"});
    std::ofstream(artifact_path(s, path_artifact)) << socket_path;
    finish(client, 10, "tcpviz-unix-client");
    finish(server, 10, "tcpviz-unix-server");
    stop_unfiltered_capture(capture);
}

Answer received(const Timeline& t) {
    if (!has_artifact(t, server_artifact) || !has_artifact(t, client_artifact)) return cannot(why::no_program_output);
    return answer(
        {{"server", visible(artifact(t, server_artifact))}, {"client", visible(artifact(t, client_artifact))}});
}

Answer tcp_segments(const Timeline& t) {
    return answer({{"segments", num(static_cast<long long>(t.events().size()))},
                   {"connections", num(static_cast<long long>(t.connection_count()))}},
                  num(static_cast<long long>(t.events().size())));
}

Answer frames_at_all(const Timeline& t) {
    std::string error;
    const auto frames = read_frames(t.source(), error);
    if (!error.empty()) return cannot({"its capture file cannot be read", "它的抓包文件无法读取"});
    return answer({{"frames", num(static_cast<long long>(frames.size()))}}, num(static_cast<long long>(frames.size())));
}

Answer where_instead(const Timeline& t) {
    if (!has_artifact(t, ss_artifact) || !has_artifact(t, path_artifact)) return cannot(why::no_program_output);
    const std::string path = artifact(t, path_artifact);
    std::string lines;
    std::istringstream ss(artifact(t, ss_artifact));
    for (std::string line; std::getline(ss, line);) {
        if (line.rfind("Netid", 0) == 0 || line.find(path) != std::string::npos) lines += "\n    " + line;
    }
    return answer({{"path", path}, {"ss", lines}});
}

Verdict check(const Timeline& t) {
    const bool live = has_artifact(t, server_artifact) && has_artifact(t, client_artifact);
    const bool talked = !live || (artifact(t, server_artifact).find("hello over AF_UNIX") != std::string::npos &&
                                  artifact(t, client_artifact).find("hello from the server") != std::string::npos);
    if (t.events().empty() && talked) {
        return {true,
                {"the chat's lines crossed, and the capture holds no TCP segment.",
                 "聊天内容双方都收到了，而抓包里没有任何 TCP 报文段。"},
                {}};
    }
    return {false,
            {"the capture holds {n} TCP segments, or the chat's lines did not arrive.",
             "抓包里有 {n} 个 TCP 报文段，或者聊天内容没有送达。"},
            {{"n", num(static_cast<long long>(t.events().size()))}}};
}

}  // namespace

extern const Scenario unix_socket_scenario{
    "unix-socket",
    {"AF_UNIX: the same chat, and no packet anywhere", "AF_UNIX：同样的聊天，却没有任何报文"},
    {"address families: AF_UNIX", "地址族：AF_UNIX"},
    true,
    {"tcpviz-unix-server and tcpviz-unix-client (tutorials/programs/unix_*.c) are the classic chat with one\n"
     "change: socket(AF_UNIX, ...) and a file path as the address. They exchange a line each while tcpviz\n"
     "captures every frame on every interface of their namespace, with no filter at all.",
     "tcpviz-unix-server 和 tcpviz-unix-client（tutorials/programs/unix_*.c）就是经典聊天程序，只改了一处：\n"
     "socket(AF_UNIX, ...)，地址换成文件路径。双方各发一行，同时 tcpviz "
     "在它们所在命名空间的所有网卡上抓包，不加任何过滤。"},
    {"Nothing: the ladder is empty. An AF_UNIX socket never builds an IP or TCP header; the kernel copies the\n"
     "bytes from one socket's buffer to the other's, so no interface, not even loopback, carries them.",
     "什么都没有：梯形图是空的。AF_UNIX 套接字从不构造 IP 或 TCP "
     "首部；内核直接把字节从一个套接字的缓冲区拷到另一个的，\n"
     "所以没有任何网卡（连回环接口也不例外）经手这些数据。"},
    run,
    nullptr,
    {
        {{"Did the chat work? What did each side print?", "聊天成功了吗？双方各打印了什么？"},
         {"The server printed \"{server}\", the client \"{client}\".",
          "服务器打印了 \"{server}\"，客户端打印了 \"{client}\"。"},
         received},
        {{"How many TCP segments did the capture hold while they talked?", "聊天期间，抓包里有多少个 TCP 报文段？"},
         {"{segments} segments, {connections} connections.", "{segments} 个报文段，{connections} 个连接。"},
         tcp_segments},
        {{"And frames of any kind (ARP, IPv6, anything) on any interface?",
          "那么任何网卡上、任何类型的帧（ARP、IPv6 等等）呢？"},
         {"{frames}: the capture had no filter, and nothing crossed an interface.",
          "{frames} 个：抓包没有加过滤，却没有任何东西经过网卡。"},
         frames_at_all},
        {{"Where was the connection, then? (`ss -xa` lists AF_UNIX sockets.)",
          "那连接在哪里？（`ss -xa` 列出 AF_UNIX 套接字。）"},
         {"In the kernel's table of AF_UNIX sockets, named by the path {path}:{ss}",
          "在内核的 AF_UNIX 套接字表里，名字就是路径 {path}：{ss}"},
         where_instead},
    },
    check,
};

}  // namespace tcpviz::lab
