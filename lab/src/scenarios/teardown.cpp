// teardown: the four-way close, and TIME-WAIT on the side that closed first.
#include <sys/socket.h>

#include "common.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    Child server = spawn_in(path.server.netns, [&](const ReadyFn& ready) {
        const int listener = listen_on(path.server.address, port);
        ready("listening");
        const int fd = accept_one(listener);
        read_to_end(fd);  // recv() returns 0: the client's FIN
        pause_for(0.2);   // the server's application takes a moment to close: a separate ACK, then its FIN
        close_fd(fd);
        return 0;
    });
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        const int fd = connect_to(path.server.address, port);
        const std::string line = "goodbye\n";
        send_all(fd, line.data(), line.size());
        pause_for(0.1);
        close_fd(fd);  // the client's FIN
        pause_for(0.5);
        return 0;
    });
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

const Json* first_fin(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return flag(e, "FIN"); });
}
constexpr Text no_fin{"it holds no FIN", "其中没有 FIN"};

Answer who(const Timeline& t) {
    const Json* f = first_fin(t);
    if (!f) return cannot(no_fin);
    const Json* a = find_event(t, 0, [&](const Json& e) {
        return str(e, "dir") != str(*f, "dir") && flag(e, "ACK") && number(e, "ack") >= seq_end(*f);
    });
    if (!a) return cannot({"the FIN is never acknowledged in it", "其中这个 FIN 没有被确认"});
    const bool c = is_c2s(*f);
    return answer({{"side", c ? "client" : "server"},
                   {"side_zh", c ? "客户端" : "服务器"},
                   {"frame", frame(f)},
                   {"seq", num(number(*f, "seq"))},
                   {"ack", num(number(*a, "ack"))},
                   {"aframe", frame(a)}},
                  num(number(*a, "ack")));
}

Answer four(const Timeline& t) {
    const auto fins = find_events(t, 0, [](const Json& e) { return flag(e, "FIN"); });
    if (fins.size() < 2) return cannot({"it does not hold a FIN from each side", "其中没有双方各自的 FIN"});
    std::string frames;
    for (const Json* e :
         find_events(t, 0, [&](const Json& e) { return number(e, "frame") >= number(*fins[0], "frame"); })) {
        frames += (frames.empty() ? "" : ", ") + frame(e);
    }
    return answer({{"frames", frames}, {"n", num(static_cast<long long>(fins.size()))}});
}

Answer states(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    std::string en, zh;
    for (const Json& s : t.connection(0)["states"]) {
        if (number(s, "frame") < 4) continue;
        const bool c = str(s, "side") == "client";
        en += (en.empty() ? "" : "; ") + std::string(c ? "client " : "server ") + str(s, "from") + " -> " +
              str(s, "to") + " (frame " + num(number(s, "frame")) + ")";
        zh += (zh.empty() ? "" : "；") + std::string(c ? "客户端 " : "服务器 ") + str(s, "from") + " → " +
              str(s, "to") + "（第 " + num(number(s, "frame")) + " 帧）";
    }
    if (en.empty()) return cannot(no_fin);
    return answer({{"list", en}, {"list_zh", zh}});
}

Answer time_wait(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    const Json& f = t.connection(0)["final_states"];
    const std::string client = str(f, "client"), server = str(f, "server");
    if (client != "TIME-WAIT" && server != "TIME-WAIT") {
        return cannot({"neither side reaches TIME-WAIT in it", "其中双方都没有进入 TIME-WAIT"});
    }
    const bool c = client == "TIME-WAIT";
    return answer({{"side", c ? "client" : "server"},
                   {"side_zh", c ? "客户端" : "服务器"},
                   {"client", client},
                   {"server", server}});
}

Verdict check(const Timeline& t) {
    const auto fins = find_events(t, 0, [](const Json& e) { return flag(e, "FIN"); });
    const bool both = fins.size() >= 2 && str(*fins[0], "dir") != str(*fins[1], "dir");
    const std::string closer = !fins.empty() && is_c2s(*fins[0]) ? "client" : "server";
    if (both && t.connection_count() && str(t.connection(0)["final_states"], closer.c_str()) == "TIME-WAIT") {
        return {true,
                {"a FIN from each side (frames {a} and {b}), and the side that closed first in TIME-WAIT.",
                 "双方各发一个 FIN（第 {a} 帧和第 {b} 帧），先关闭的一方进入 TIME-WAIT。"},
                {{"a", frame(fins[0])}, {"b", frame(fins[1])}}};
    }
    return {false,
            {"not a FIN from each side with the first closer in TIME-WAIT.",
             "没有出现双方各发 FIN、且先关闭方进入 TIME-WAIT 的情形。"},
            {}};
}

}  // namespace

extern const Scenario teardown_scenario{
    "teardown",
    {"Teardown: the four-way close and TIME-WAIT", "断开连接：四次挥手与 TIME-WAIT"},
    {"closing a connection: FIN, ACK, TIME-WAIT", "关闭连接：FIN、ACK 与 TIME-WAIT"},
    false,
    {"A client connects, sends one line and calls close(). The server reads until recv() returns 0, waits a\n"
     "moment, and calls close() too.",
     "客户端建立连接，发送一行文字，然后调用 close()。服务器一直读到 recv() 返回 0，稍等片刻，也调用 close()。"},
    {"Four segments close it: the client's FIN, the server's ACK, the server's FIN, the client's ACK. Each FIN\n"
     "takes one sequence number, so its ACK is seq + 1. The side that closed first ends in TIME-WAIT.",
     "关闭连接用了四个报文段：客户端的 FIN、服务器的 ACK、服务器的 FIN、客户端的 ACK。\n"
     "每个 FIN 占用一个序号，所以对它的确认号是序号加 1。先关闭的一方最后处于 TIME-WAIT。"},
    run,
    nullptr,
    {
        {{"Who closes first, and what ack acknowledges that FIN?", "谁先关闭？确认这个 FIN 的确认号是多少？"},
         {"The {side}, FIN in frame {frame} with seq={seq}; ack={ack} in frame {aframe}: the FIN's seq + 1.",
          "{side_zh}，第 {frame} 帧的 FIN，序号 {seq}；第 {aframe} 帧确认号 {ack}：FIN 的序号加 1。"},
         who},
        {{"Which frames make up the close?", "关闭过程由哪些帧组成？"},
         {"Frames {frames}: {n} FINs, each acknowledged.", "第 {frames} 帧：{n} 个 FIN，每个都得到确认。"},
         four},
        {{"Which states does each side go through?", "双方各经历了哪些状态？"}, {"{list}.", "{list_zh}。"}, states},
        {{"Which side ends in TIME-WAIT, and why?", "哪一方最后处于 TIME-WAIT？为什么？"},
         {"The {side} (client {client}, server {server}): the side that closed first waits twice the maximum segment "
          "lifetime (60 s on Linux), so a lost last ACK can be resent and old segments die out.",
          "{side_zh}（客户端 {client}，服务器 {server}）：先关闭的一方要等待两倍的最长报文段寿命（系统里是 60 秒），"
          "这样最后一个 ACK 丢了还能重发，旧的报文段也会在网络中消失。"},
         time_wait},
    },
    check,
};

}  // namespace tcpviz::lab
