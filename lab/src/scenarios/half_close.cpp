// half-close: shutdown(SHUT_WR) sends a FIN for one direction only; data
// still flows the other way until that side closes too.
#include <sys/socket.h>

#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr std::size_t reply_bytes = 20000;

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    Child server = spawn_in(path.server.netns, [&](const ReadyFn& ready) {
        const int listener = listen_on(path.server.address, port);
        ready("listening");
        const int fd = accept_one(listener);
        read_to_end(fd);                // until the client's FIN: the request is complete
        send_pattern(fd, reply_bytes);  // the answer still goes out over the half-open connection
        close_fd(fd);                   // our FIN
        return 0;
    });
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        const int fd = connect_to(path.server.address, port);
        const std::string request = "GET everything\n";
        send_all(fd, request.data(), request.size());
        ::shutdown(fd, SHUT_WR);  // FIN: "I will send nothing more", but we keep reading
        read_to_end(fd);
        close_fd(fd);
        return 0;
    });
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

const Json* client_fin(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return flag(e, "FIN") && is_c2s(e); });
}
constexpr Text no_fin{"it holds no FIN from the client", "其中没有客户端的 FIN"};

Answer fin(const Timeline& t) {
    const Json* f = client_fin(t);
    if (!f) return cannot(no_fin);
    return answer({{"frame", frame(f)}, {"seq", num(number(*f, "seq"))}}, frame(f));
}

Answer after(const Timeline& t) {
    const Json* f = client_fin(t);
    if (!f) return cannot(no_fin);
    long long bytes = 0, segments = 0;
    for (const Json* e :
         find_events(t, 0, [&](const Json& e) { return !is_c2s(e) && number(e, "frame") > number(*f, "frame"); })) {
        bytes += number(*e, "len", 0);
        segments += number(*e, "len", 0) > 0 ? 1 : 0;
    }
    return answer({{"bytes", num(bytes)}, {"segments", num(segments)}}, num(bytes));
}

Answer state(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    std::string client_state;
    for (const Json& s : t.connection(0)["states"]) {
        if (str(s, "side") == "client" && str(s, "to") == "FIN-WAIT-2")
            client_state = "FIN-WAIT-2 (frame " + num(number(s, "frame")) + ")";
    }
    if (client_state.empty()) return cannot(no_fin);
    return answer({{"state", client_state}, {"final", str(t.connection(0)["final_states"], "client")}});
}

Verdict check(const Timeline& t) {
    const Json* f = client_fin(t);
    const Json* data =
        f ? find_event(t, 0,
                       [&](const Json& e) {
                           return !is_c2s(e) && number(e, "len", 0) > 0 && number(e, "frame") > number(*f, "frame");
                       })
          : nullptr;
    const Json* server_fin = find_event(t, 0, [](const Json& e) { return flag(e, "FIN") && !is_c2s(e); });
    if (f && data && server_fin && number(*server_fin, "frame") > number(*data, "frame")) {
        return {true,
                {"the client's FIN in frame {f}, then the server's data (from frame {d}), then its FIN in frame {s}.",
                 "第 {f} 帧是客户端的 FIN，之后服务器仍在发送数据（从第 {d} 帧起），最后在第 {s} 帧发出它的 FIN。"},
                {{"f", frame(f)}, {"d", frame(data)}, {"s", frame(server_fin)}}};
    }
    return {false,
            {"no data from the server between the client's FIN and the server's.",
             "客户端的 FIN 与服务器的 FIN 之间没有服务器发出的数据。"},
            {}};
}

}  // namespace

extern const Scenario half_close_scenario{
    "half-close",
    {"Half-close: shutdown(SHUT_WR), and data still flows back", "半关闭：shutdown(SHUT_WR) 之后数据仍可反向流动"},
    {"closing one direction: shutdown()", "只关闭一个方向：shutdown()"},
    false,
    {"The client sends a request and calls shutdown(SHUT_WR). The server reads until recv() returns 0, then\n"
     "sends a 20000-byte answer and calls close().",
     "客户端发送请求后调用 shutdown(SHUT_WR)。服务器一直读到 recv() 返回 0，然后发送 20000 字节的回答，再调用 "
     "close()。"},
    {"The client's FIN comes right after its request, yet the server's answer follows it: a FIN closes one\n"
     "direction only. The client waits in FIN-WAIT-2, reading, until the server's own FIN.",
     "客户端的 FIN 紧跟在请求之后，但服务器的回答仍然在它之后到达：FIN 只关闭一个方向。\n"
     "客户端在 FIN-WAIT-2 状态继续读取，直到服务器发出自己的 FIN。"},
    run,
    nullptr,
    {
        {{"In which frame does the client say it will send nothing more?", "客户端在第几帧表示它不再发送数据？"},
         {"Frame {frame}: its FIN, seq={seq}.", "第 {frame} 帧：它的 FIN，序号 {seq}。"},
         fin},
        {{"How many bytes does the server send after that FIN?", "在这个 FIN 之后，服务器又发送了多少字节？"},
         {"{bytes} bytes in {segments} segments: the other direction is still open.",
          "{bytes} 字节，分 {segments} 个报文段：另一个方向仍然是打开的。"},
         after},
        {{"In which state does the client wait for them?", "客户端在什么状态下等待这些数据？"},
         {"{state}: it has closed its side and still reads; it ends in {final}.",
          "{state}：它关闭了自己的发送方向，但仍在读取；最后处于 {final}。"},
         state},
    },
    check,
};

}  // namespace tcpviz::lab
