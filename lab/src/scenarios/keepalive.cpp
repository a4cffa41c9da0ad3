// keepalive: an idle connection with SO_KEEPALIVE. After TCP_KEEPIDLE seconds
// of silence the kernel sends a probe (one byte before the next sequence
// number), and the peer's ACK proves it is still there.
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
        SocketKnobs knobs;
        knobs.keepalive_idle = 1;  // SO_KEEPALIVE, TCP_KEEPIDLE = TCP_KEEPINTVL = 1 s
        const int fd = connect_to(path.server.address, port, knobs);
        const std::string line = "still there?\n";
        send_all(fd, line.data(), line.size());
        pause_for(3.6);  // idle: nothing to send
        close_fd(fd);
        return 0;
    });
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

std::vector<const Json*> probes(const Timeline& t) {
    return find_events(t, 0, [](const Json& e) { return is_c2s(e) && has(e, "keep_alive"); });
}
constexpr Text none{"it holds no keep-alive", "其中没有保活报文"};

Answer first(const Timeline& t) {
    const auto p = probes(t);
    if (p.empty()) return cannot(none);
    const Json* last_data = nullptr;
    for (const Json* e : t.events(0)) {
        if (number(*e, "frame") < number(*p[0], "frame") && number(*e, "len", 0) > 0) last_data = e;
    }
    return answer({{"frame", frame(p[0])},
                   {"idle", last_data ? num(ms_between(*last_data, *p[0]) / 1000, 2) : "?"},
                   {"seq", num(number(*p[0], "seq"))},
                   {"len", num(number(*p[0], "len", 0))}},
                  frame(p[0]));
}

Answer gaps(const Timeline& t) {
    const auto p = probes(t);
    if (p.size() < 2) return cannot(none);
    std::string list;
    for (std::size_t i = 1; i < p.size(); ++i)
        list += (i > 1 ? ", " : "") + num(ms_between(*p[i - 1], *p[i]) / 1000, 2);
    return answer({{"n", num(static_cast<long long>(p.size()))}, {"list", list}});
}

Answer replies(const Timeline& t) {
    const auto acks = find_events(t, 0, [](const Json& e) { return !is_c2s(e) && has(e, "keep_alive_ack"); });
    if (acks.empty()) return cannot({"it holds no answer to a keep-alive", "其中没有对保活报文的回答"});
    return answer({{"n", num(static_cast<long long>(acks.size()))},
                   {"ack", num(number(*acks[0], "ack"))},
                   {"frame", frame(acks[0])}});
}

Verdict check(const Timeline& t) {
    const auto p = probes(t);
    const auto acks = find_events(t, 0, [](const Json& e) { return !is_c2s(e) && has(e, "keep_alive_ack"); });
    if (p.size() >= 2 && acks.size() >= 2) {
        return {true,
                {"{n} keep-alive probes, each answered.", "{n} 个保活探测，每个都得到回答。"},
                {{"n", num(static_cast<long long>(p.size()))}}};
    }
    return {false, {"not two keep-alive probes with answers.", "没有出现两个得到回答的保活探测。"}, {}};
}

}  // namespace

extern const Scenario keepalive_scenario{
    "keepalive",
    {"Keep-alive: probing an idle connection", "保活：探测空闲的连接"},
    {"SO_KEEPALIVE on an idle connection", "空闲连接上的 SO_KEEPALIVE"},
    false,
    {"The client sets SO_KEEPALIVE with TCP_KEEPIDLE and TCP_KEEPINTVL of 1 s, sends one line, then stays idle\n"
     "for 3.6 s before closing.",
     "客户端设置 SO_KEEPALIVE，TCP_KEEPIDLE 和 TCP_KEEPINTVL 都是 1 秒，发送一行文字后空闲 3.6 秒再关闭。"},
    {"After 1 s of silence the client's kernel sends an empty segment whose seq is one below the next byte: the\n"
     "server must answer with an ACK (keep_alive_ack). Then once a second while the connection stays idle.",
     "静默 1 秒后，客户端内核发出一个空报文段，它的序号比下一个字节小一：服务器必须用 ACK 回答（保活确认）。\n"
     "连接保持空闲期间，每秒重复一次。"},
    run,
    nullptr,
    {
        {{"In which frame is the first keep-alive, after how long a silence?",
          "第一个保活报文在第几帧？之前静默了多久？"},
         {"Frame {frame}, after {idle} s without data; seq={seq}, len={len}: one below the next byte, so the peer must "
          "answer.",
          "第 {frame} 帧，在没有数据 {idle} 秒之后；序号 {seq}，长度 {len}：比下一个字节小一，所以对方必须回答。"},
         first},
        {{"How many probes were sent, and how far apart (s)?", "一共发了几个探测？间隔多久（秒）？"},
         {"{n} probes, {list} s apart: TCP_KEEPINTVL.", "{n} 个探测，间隔 {list} 秒：即 TCP_KEEPINTVL。"},
         gaps},
        {{"What does the server answer?", "服务器怎样回答？"},
         {"{n} ACKs (the first in frame {frame}) with ack={ack}: the next byte it expects, proving it is alive.",
          "{n} 个 ACK（第一个在第 {frame} 帧），确认号 {ack}：它期望的下一个字节，证明它还在。"},
         replies},
    },
    check,
};

}  // namespace tcpviz::lab
