// rst: an abortive close. SO_LINGER with a zero timeout makes close() send a
// RST instead of a FIN: no FIN-WAIT, no TIME-WAIT, unsent data thrown away.
#include "common.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        const int fd = connect_to(path.server.address, port);
        const std::string line = "bye, I have to run\n";
        send_all(fd, line.data(), line.size());
        pause_for(0.2);
        set_linger_zero(fd);  // SO_LINGER {on, 0 s}
        close_fd(fd);         // the RST
        return 0;
    });
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

const Json* client_rst(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return flag(e, "RST") && is_c2s(e); });
}

Answer who(const Timeline& t) {
    const Json* r = find_event(t, 0, [](const Json& e) { return flag(e, "RST"); });
    if (!r) return cannot(why::no_rst);
    const bool client = is_c2s(*r);
    return answer({{"frame", frame(r)},
                   {"side", client ? "client" : "server"},
                   {"side_zh", client ? "客户端" : "服务器"},
                   {"seq", num(number(*r, "seq"))}},
                  frame(r));
}

Answer seq_of_rst(const Timeline& t) {
    const Json* r = find_event(t, 0, [](const Json& e) { return flag(e, "RST"); });
    if (!r) return cannot(why::no_rst);
    const std::string dir = str(*r, "dir");
    long long next = 0;
    const Json* last = nullptr;
    for (const Json* e : t.events(0)) {
        if (str(*e, "dir") == dir && number(*e, "frame") < number(*r, "frame")) {
            next = std::max(next, seq_end(*e));
            if (number(*e, "len", 0) > 0) last = e;
        }
    }
    return answer({{"seq", num(number(*r, "seq"))}, {"next", num(next)}, {"data", frame(last)}},
                  num(number(*r, "seq")));
}

Answer states(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    const Json& c = t.connection(0);
    const std::string client = str(c["final_states"], "client"), server = str(c["final_states"], "server");
    const long long fins =
        static_cast<long long>(find_events(t, 0, [](const Json& e) { return flag(e, "FIN"); }).size());
    if (client.empty()) return cannot(why::no_connection);
    return answer({{"client", client}, {"server", server}, {"fins", num(fins)}});
}

Verdict check(const Timeline& t) {
    const Json* r = client_rst(t);
    const bool fin = find_event(t, 0, [](const Json& e) { return flag(e, "FIN") && is_c2s(e); }) != nullptr;
    const bool handshake = t.connection_count() > 0 && t.connection(0)["handshake"].value("complete", false);
    if (r && !fin && handshake) {
        return {true,
                {"the client ended an established connection with a RST (frame {frame}) and sent no FIN.",
                 "客户端用 RST（第 {frame} 帧）结束了一个已建立的连接，没有发送 FIN。"},
                {{"frame", frame(r)}}};
    }
    return {false,
            {"no RST from the client closing an established connection without a FIN.",
             "没有看到客户端不发 FIN、直接用 RST 关闭已建立连接的情形。"},
            {}};
}

}  // namespace

extern const Scenario rst_scenario{
    "rst",
    {"Abortive close: SO_LINGER 0 sends a RST", "异常关闭：SO_LINGER 为 0 时发送 RST"},
    {"teardown by reset instead of FIN", "用复位（RST）而不是 FIN 结束连接"},
    false,
    {"A client connects, sends one line, sets SO_LINGER to {on, 0 seconds} and calls close(). The server\n"
     "reads until the connection ends.",
     "客户端建立连接，发送一行文字，把 SO_LINGER 设为“开启、0 秒”，然后调用 close()。服务器一直读，直到连接结束。"},
    {"The handshake, the line and its ACK, then one RST from the client instead of a FIN: no four-way close,\n"
     "and the client keeps no TIME-WAIT. The server's recv() fails with ECONNRESET.",
     "先是三次握手、那一行数据和它的 ACK，然后客户端发出一个 RST，而不是 FIN：没有四次挥手，\n"
     "客户端也不进入 TIME-WAIT。服务器的 recv() 返回错误 ECONNRESET。"},
    run,
    nullptr,
    {
        {{"Which side sends the RST, in which frame?", "哪一方发送了 RST？在第几帧？"},
         {"The {side}, in frame {frame}.", "{side_zh}，第 {frame} 帧。"},
         who},
        {{"What sequence number does the RST carry?", "RST 携带的序号是多少？"},
         {"seq={seq}: the next byte the sender would have sent ({next}, after its last data in frame {data}). A RST "
          "takes no sequence number and is not acknowledged.",
          "序号是 {seq}：正是发送方下一个要发的字节（{next}，它最后一段数据在第 {data} 帧）。RST "
          "不占用序号，也不会被确认。"},
         seq_of_rst},
        {{"In which states do the two sides end, and how many FINs were sent?",
          "双方最后处于什么状态？一共发了几个 FIN？"},
         {"client {client}, server {server}, {fins} FINs: a reset forgets the connection at once, with no TIME-WAIT.",
          "客户端 {client}，服务器 {server}，FIN 的个数是 {fins}：复位立刻丢弃连接，没有 TIME-WAIT。"},
         states},
    },
    check,
};

}  // namespace tcpviz::lab
