// chat: tcpviz's own chat server and two clients. Data and ACKs flow both
// ways on each connection; each connection is one 4-tuple.
#include <csignal>

#include "common.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const std::string port = std::to_string(pick_port(s.root()));
    const std::string log = s.out_dir() + "/chat.log";
    auto chat = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv{self_exe(), "chat"}, shown{"tcpviz", "chat"};
        argv.insert(argv.end(), args.begin(), args.end());
        shown.insert(shown.end(), args.begin(), args.end());
        s.net().record(path.client.netns, shown);
        return exec_in(path.client.netns, argv, log);
    };
    s.start_capture(path, std::stoi(port));
    Child server = chat({"server", "--bind", path.server.address, "--port", port, "--quiet"});
    pause_for(0.5);  // the server listens
    Child alice = chat({"client", "--host", path.server.address, "--port", port, "--nick", "alice", "--say",
                        "hello bob", "--say", "how are you?", "--interval", "400", "--quit-after", "2", "--quiet"});
    pause_for(0.2);
    Child bob = chat({"client", "--host", path.server.address, "--port", port, "--nick", "bob", "--say", "hi alice",
                      "--interval", "400", "--quit-after", "1.8", "--quiet"});
    alice.wait(10);
    bob.wait(10);
    server.signal(SIGTERM);
    server.wait(5);
    s.stop_capture();
}

Answer four_tuple(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    const Json& c = t.connection(0);
    return answer({{"cip", str(c["client"], "ip")},
                   {"cport", num(number(c["client"], "port"))},
                   {"sip", str(c["server"], "ip")},
                   {"sport", num(number(c["server"], "port"))},
                   {"n", num(static_cast<long long>(t.connection_count()))}},
                  num(number(c["client"], "port")));
}

const Json* first_data(const Timeline& t, bool c2s) {
    return find_event(t, 0, [&](const Json& e) { return is_c2s(e) == c2s && number(e, "len", 0) > 0; });
}

Answer client_data(const Timeline& t) {
    const Json* d = first_data(t, true);
    if (!d) return cannot({"the client sends no data in it", "其中客户端没有发送数据"});
    const Json* a = find_event(t, 0, [&](const Json& e) {
        return !is_c2s(e) && number(e, "frame") > number(*d, "frame") && number(e, "ack") >= seq_end(*d);
    });
    if (!a) return cannot({"the ACK of that data is not in it", "其中没有对这段数据的确认"});
    return answer({{"frame", frame(d)},
                   {"len", num(number(*d, "len", 0))},
                   {"seq", num(number(*d, "seq"))},
                   {"ack", num(number(*a, "ack"))},
                   {"aframe", frame(a)},
                   {"data", number(*a, "len", 0) > 0 ? "with data of its own" : "empty"},
                   {"data_zh", number(*a, "len", 0) > 0 ? "同时带有自己的数据" : "不带数据"}},
                  num(number(*a, "ack")));
}

Answer server_data(const Timeline& t) {
    const Json* d = first_data(t, false);
    if (!d) return cannot({"the server sends no data in it", "其中服务器没有发送数据"});
    const Json* a = find_event(t, 0, [&](const Json& e) {
        return is_c2s(e) && number(e, "frame") > number(*d, "frame") && number(e, "ack") >= seq_end(*d);
    });
    if (!a) return cannot({"the ACK of that data is not in it", "其中没有对这段数据的确认"});
    return answer({{"frame", frame(d)},
                   {"len", num(number(*d, "len", 0))},
                   {"ack", num(number(*a, "ack"))},
                   {"aframe", frame(a)}},
                  num(number(*a, "ack")));
}

Verdict check(const Timeline& t) {
    const Json* c = first_data(t, true);
    const Json* s = first_data(t, false);
    const bool syn = find_event(t, 0, [](const Json& e) { return flag(e, "SYN"); }) != nullptr;
    if (c && s && syn) {
        return {true,
                {"data both ways on connection 0 (frames {c} and {s}), each acknowledged.",
                 "连接 0 上双向都有数据（第 {c} 帧和第 {s} 帧），并且都得到确认。"},
                {{"c", frame(c)}, {"s", frame(s)}}};
    }
    return {false,
            {"not data in both directions of a connection that opened with a SYN.",
             "没有出现以 SYN 建立、双向都有数据的连接。"},
            {}};
}

}  // namespace

extern const Scenario chat_scenario{
    "chat",
    {"A chat: data and ACKs both ways", "聊天：双向的数据与确认"},
    {"a TCP connection carries data both ways; the 4-tuple", "一个 TCP 连接双向传输数据；四元组"},
    false,
    {"tcpviz's chat server, and two clients, alice and bob, each saying a line or two. The server sends every\n"
     "line to everyone.",
     "运行 tcpviz 的聊天服务器和两个客户端，每个客户端说一两句话。服务器把每一行转发给所有人。"},
    {"Each client has its own connection (its own 4-tuple: the client's port differs). On one connection, the\n"
     "client's lines go one way, the server's relayed lines the other, and each side acknowledges the other's\n"
     "bytes, often in the same segment as its own data.",
     "每个客户端有自己的连接（自己的四元组：客户端端口不同）。在同一个连接上，客户端的话往一个方向走，\n"
     "服务器转发的话往另一个方向走，双方都确认对方的字节，而且常常和自己的数据放在同一个报文段里。"},
    run,
    [](const Timeline&) -> std::pair<long long, long long> {
        return {1, 24};
    },
    {
        {{"What is the first connection's 4-tuple?", "第一个连接的四元组是什么？"},
         {"Client {cip}:{cport}, server {sip}:{sport}; {n} connections in all, one per client.",
          "客户端 {cip}:{cport}，服务器 {sip}:{sport}；一共 {n} 个连接，每个客户端一个。"},
         four_tuple},
        {{"The client's first data: how long, and what ack does the server answer?",
          "客户端的第一段数据有多长？服务器回复的确认号是多少？"},
         {"Frame {frame}: {len} bytes at seq={seq}; the server answers ack={ack} in frame {aframe} ({data}).",
          "第 {frame} 帧：{len} 字节，序号 {seq}；服务器在第 {aframe} 帧回复确认号 {ack}（{data_zh}）。"},
         client_data},
        {{"The server's first data to this client: what ack does the client answer?",
          "服务器发给这个客户端的第一段数据：客户端回复的确认号是多少？"},
         {"Frame {frame}: {len} bytes; the client answers ack={ack} in frame {aframe}. Each direction has its own "
          "sequence numbers.",
          "第 {frame} 帧：{len} 字节；客户端在第 {aframe} 帧回复确认号 {ack}。每个方向都有自己的序号。"},
         server_data},
    },
    check,
};

}  // namespace tcpviz::lab
