// refused: a SYN to a port where nothing listens. The kernel answers for the
// missing program with a RST, and connect() fails with ECONNREFUSED.
#include <cerrno>

#include "common.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    s.start_capture(path, port);
    // The client: connect() to a port with no listen() behind it.
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        int error = 0;
        const int fd = connect_to(path.server.address, port, {}, 3.0, &error);
        close_fd(fd);
        return error == ECONNREFUSED ? 0 : 1;
    });
    client.wait(10);
    s.stop_capture();
}

const Json* syn(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
}
const Json* rst(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return flag(e, "RST") && !is_c2s(e); });
}

Answer first_segment(const Timeline& t) {
    const Json* e = syn(t);
    if (!e) return cannot(why::no_syn);
    return answer({{"frame", frame(e)},
                   {"isn", num(number(*e, "seq_raw"))},
                   {"port", num(number(t.connection(0)["server"], "port"))}});
}

Answer the_reply(const Timeline& t) {
    const Json* s = syn(t);
    const Json* r = rst(t);
    if (!s) return cannot(why::no_syn);
    if (!r) return cannot(why::no_rst);
    return answer({{"frame", frame(r)},
                   {"ack", num(number(*r, "ack_raw"))},
                   {"isn", num(number(*s, "seq_raw"))},
                   {"win", num(number(*r, "win"))}},
                  num(number(*r, "ack_raw")));
}

Answer how_long(const Timeline& t) {
    const Json* s = syn(t);
    const Json* r = rst(t);
    if (!s) return cannot(why::no_syn);
    if (!r) return cannot(why::no_rst);
    const long long synacks = static_cast<long long>(
        find_events(t, 0, [](const Json& e) { return flag(e, "SYN") && flag(e, "ACK"); }).size());
    return answer({{"ms", num(ms_between(*s, *r), 3)}, {"synacks", num(synacks)}});
}

Verdict check(const Timeline& t) {
    const Json* s = syn(t);
    const Json* r = rst(t);
    const bool synack = find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && flag(e, "ACK"); }) != nullptr;
    if (s && r && !synack) {
        return {true,
                {"the SYN in frame {syn} was answered by a RST in frame {rst}, and no SYN-ACK.",
                 "第 {syn} 帧的 SYN 得到的回答是第 {rst} 帧的 RST，没有 SYN-ACK。"},
                {{"syn", frame(s)}, {"rst", frame(r)}}};
    }
    return {false,
            {"no SYN answered by a RST without a SYN-ACK in the first connection.",
             "第一个连接里没有出现“SYN 被 RST 拒绝、且没有 SYN-ACK”的情形。"},
            {}};
}

}  // namespace

extern const Scenario refused_scenario{
    "refused",
    {"Connection refused: a SYN to a closed port", "连接被拒绝：向没有监听的端口发送 SYN"},
    {"the handshake that fails: RST answers a SYN", "握手失败：用 RST 回答 SYN"},
    false,
    {"A client calls connect() to a port where no program called listen(). Its kernel sends a SYN; the other\n"
     "kernel finds no listening socket and answers for the missing program.",
     "客户端对一个没有程序调用 listen() 的端口调用 connect()。客户端内核发出 SYN；对方内核找不到监听套接字，\n"
     "于是替这个不存在的程序作出回答。"},
    {"Two segments only: the SYN, and a RST with ACK set whose ack number is the client's ISN + 1. There is no\n"
     "SYN-ACK and no retry: connect() returns at once with ECONNREFUSED (\"Connection refused\").",
     "只有两个报文段：SYN，以及一个带 ACK 标志的 RST，它的确认号等于客户端的初始序号加 1。没有 SYN-ACK，\n"
     "也没有重试：connect() 立刻返回错误 ECONNREFUSED（连接被拒绝）。"},
    run,
    nullptr,
    {
        {{"What does the client send first, and what is its initial sequence number (ISN)?",
          "客户端最先发送的是什么报文段？它的初始序号是多少？"},
         {"A SYN, frame {frame}, to port {port}; its ISN is {isn}.",
          "第 {frame} 帧的 SYN，发往端口 {port}；它的初始序号是 {isn}。"},
         first_segment},
        {{"What comes back, and what raw ack number does it carry?", "对方回了什么？它携带的原始确认号是多少？"},
         {"A RST with ACK set (frame {frame}), ack = {ack} = the client's ISN {isn} + 1: it acknowledges the SYN, "
          "then refuses. Its window is {win}: nothing will be received.",
          "第 {frame} 帧，一个带 ACK 标志的 RST，确认号 {ack} 等于客户端的初始序号 {isn} 加 1：先确认 SYN，再拒绝连接。"
          "它的窗口是 {win}：不会接收任何数据。"},
         the_reply},
        {{"How long did the refusal take, and how many SYN-ACKs were sent?",
          "拒绝用了多长时间？对方发了几个 SYN-ACK？"},
         {"{ms} ms from SYN to RST, {synacks} SYN-ACKs: the kernel refuses at once, no program is asked.",
          "从 SYN 到 RST 只用了 {ms} 毫秒，SYN-ACK 的个数是 {synacks}：内核立即拒绝，根本没有询问任何程序。"},
         how_long},
    },
    check,
};

}  // namespace tcpviz::lab
