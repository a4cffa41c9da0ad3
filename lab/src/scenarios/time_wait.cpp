// time-wait: the side that closes first keeps the connection's 4-tuple in
// TIME-WAIT; a new connection from the same port to the same server reuses it.
#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr int client_port = 40001;

void one_connection(const Path& path, int port) {
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        const int fd = connect_to(path.server.address, port, {}, 0, nullptr, client_port);  // bind(40001) first
        const std::string line = "hello again\n";
        send_all(fd, line.data(), line.size());
        close_fd(fd);  // we close first: our side goes to TIME-WAIT
        pause_for(0.3);
        return 0;
    });
    client.wait(10);
    server.wait(5);
}

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    s.start_capture(path, port);
    one_connection(path, port);
    pause_for(0.5);
    one_connection(path, port);  // same port, while the first is in TIME-WAIT
    s.stop_capture();
}

std::string tuple(const Json& c) {
    return str(c["client"], "ip") + ":" + num(number(c["client"], "port")) + " -> " + str(c["server"], "ip") + ":" +
           num(number(c["server"], "port"));
}

constexpr Text two{"it holds fewer than two connections", "其中连接不到两个"};

Answer first_state(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    const Json& c = t.connection(0);
    return answer({{"tuple", tuple(c)},
                   {"client", str(c["final_states"], "client")},
                   {"server", str(c["final_states"], "server")}});
}

Answer reuse(const Timeline& t) {
    if (t.connection_count() < 2) return cannot(two);
    const Json &a = t.connection(0), &b = t.connection(1);
    const bool same = tuple(a) == tuple(b);
    return answer({{"tuple", tuple(b)},
                   {"same", same ? "the same 4-tuple" : "a different 4-tuple"},
                   {"same_zh", same ? "四元组完全相同" : "四元组不同"},
                   {"gap", num((real(b, "start", 0) - real(a, "end", 0)) * 1000, 0)}});
}

Answer isns(const Timeline& t) {
    if (t.connection_count() < 2) return cannot(two);
    const long long a = number(t.connection(0)["isn"], "client"), b = number(t.connection(1)["isn"], "client");
    if (a < 0 || b < 0) return cannot(why::no_syn);
    return answer({{"a", num(a)}, {"b", num(b)}});
}

Verdict check(const Timeline& t) {
    if (t.connection_count() >= 2 && tuple(t.connection(0)) == tuple(t.connection(1)) &&
        str(t.connection(0)["final_states"], "client") == "TIME-WAIT" &&
        find_event(t, 1, [](const Json& e) { return flag(e, "SYN"); }) != nullptr) {
        return {true,
                {"two connections on {tuple}; the first left the client in TIME-WAIT, the second reused it.",
                 "两个连接都是 {tuple}；第一个连接结束后客户端处于 TIME-WAIT，第二个连接重用了这个四元组。"},
                {{"tuple", tuple(t.connection(0))}}};
    }
    return {false,
            {"not two connections on one 4-tuple with the first left in TIME-WAIT.",
             "没有出现同一四元组上的两个连接（且第一个处于 TIME-WAIT）。"},
            {}};
}

}  // namespace

extern const Scenario time_wait_scenario{
    "time-wait",
    {"TIME-WAIT and reusing a port", "TIME-WAIT 与端口重用"},
    {"TIME-WAIT: why it exists, and port reuse", "TIME-WAIT：为什么存在，以及端口重用"},
    false,
    {"A client binds port 40001 (SO_REUSEADDR), connects, sends a line and closes first. Half a second later it\n"
     "does it again from the same port to the same server.",
     "客户端绑定端口 "
     "40001（SO_REUSEADDR），建立连接，发送一行文字后先关闭。半秒后，它从同一个端口向同一个服务器再来一次。"},
    {"The first connection ends with the client in TIME-WAIT: it keeps the 4-tuple for 60 s so that old segments\n"
     "die out. The second SYN uses the same 4-tuple; Linux lets it (a new ISN, timestamps show it is newer).",
     "第一个连接结束后客户端处于 TIME-WAIT：它保留这个四元组 60 秒，让旧的报文段在网络中消失。\n"
     "第二个 SYN 使用同一个四元组；系统允许这样做（新的初始序号，时间戳表明它更新）。"},
    run,
    nullptr,
    {
        {{"What is the first connection's 4-tuple, and how does each side end?",
          "第一个连接的四元组是什么？双方各以什么状态结束？"},
         {"{tuple}: client {client}, server {server}.", "{tuple}：客户端 {client}，服务器 {server}。"},
         first_state},
        {{"What 4-tuple does the second connection use?", "第二个连接使用什么四元组？"},
         {"{tuple}: {same}, {gap} ms after the first ended.", "{tuple}：{same_zh}，在第一个连接结束 {gap} 毫秒之后。"},
         reuse},
        {{"Which initial sequence numbers do the two SYNs carry?", "两个 SYN 携带的初始序号各是多少？"},
         {"{a}, then {b}: a new connection, not an old segment.",
          "先是 {a}，然后是 {b}：这是一个新连接，而不是旧的报文段。"},
         isns},
    },
    check,
};

}  // namespace tcpviz::lab
