// mss: each SYN announces the largest segment its sender can receive (from
// its interface's MTU) and a window scale; the data then uses the smaller MSS.
// The server's side of the path has a lower MTU (1000).
#include "common.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) {
    const Path path = s.net().pair();
    const int port = 5001;
    s.net().run(path.server.netns, {"ip", "link", "set", "dev", path.server.interface, "mtu", "1000"});
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_sender(path.client, path.server, port, 50000);
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

const Json* syn_of(const Timeline& t, bool client) {
    return find_event(t, 0, [&](const Json& e) { return flag(e, "SYN") && is_c2s(e) == client; });
}
long long option(const Json* e, const char* name) {
    return e && e->contains("options") ? number((*e)["options"], name) : -1;
}

Answer mss_each(const Timeline& t) {
    const Json* c = syn_of(t, true);
    const Json* s = syn_of(t, false);
    if (!c || !s || option(c, "mss") < 0 || option(s, "mss") < 0)
        return cannot({"it lacks a SYN with an MSS option from each side", "其中缺少双方带 MSS 选项的 SYN"});
    return answer({{"c", num(option(c, "mss"))}, {"s", num(option(s, "mss"))}}, num(option(s, "mss")));
}

Answer largest(const Timeline& t) {
    const Json* big = nullptr;
    for (const Json* e : find_events(t, 0, [](const Json& e) { return is_c2s(e) && number(e, "len", 0) > 0; })) {
        if (!big || number(*e, "len", 0) > number(*big, "len", 0)) big = e;
    }
    if (!big) return cannot({"the client sends no data in it", "其中客户端没有发送数据"});
    const bool ts = big->contains("options") && (*big)["options"].contains("ts");
    return answer({{"len", num(number(*big, "len", 0))}, {"frame", frame(big)}, {"ts", ts ? "12" : "0"}},
                  num(number(*big, "len", 0)));
}

Answer scale(const Timeline& t) {
    const Json* c = syn_of(t, true);
    const Json* s = syn_of(t, false);
    if (!c || !s || option(c, "ws") < 0 || option(s, "ws") < 0)
        return cannot({"it lacks a window scale option from each side", "其中缺少双方的窗口缩放选项"});
    const Json* later =
        find_event(t, 0, [](const Json& e) { return !is_c2s(e) && !flag(e, "SYN") && number(e, "win_raw") >= 0; });
    if (!later) return cannot(why::no_connection);
    return answer({{"c", num(option(c, "ws"))},
                   {"s", num(option(s, "ws"))},
                   {"raw", num(number(*later, "win_raw"))},
                   {"win", num(number(*later, "win"))},
                   {"frame", frame(later)},
                   {"mult", num(1LL << option(s, "ws"))}});
}

Verdict check(const Timeline& t) {
    const long long c = option(syn_of(t, true), "mss"), s = option(syn_of(t, false), "mss");
    long long biggest = 0;
    for (const Json* e : find_events(t, 0, [](const Json& e) { return is_c2s(e); }))
        biggest = std::max(biggest, number(*e, "len", 0));
    if (c > 0 && s > 0 && s < c && biggest > 0 && biggest <= s) {
        return {true,
                {"the SYNs announced MSS {c} and {s}; the client's largest segment was {len} bytes.",
                 "两个 SYN 分别通告 MSS {c} 和 {s}；客户端最大的报文段是 {len} 字节。"},
                {{"c", num(c)}, {"s", num(s)}, {"len", num(biggest)}}};
    }
    return {false,
            {"not two different MSS values with the data within the smaller one.",
             "没有出现两个不同的 MSS 且数据不超过较小的那个。"},
            {}};
}

}  // namespace

extern const Scenario mss_scenario{
    "mss",
    {"MSS and window scale, negotiated in the SYNs", "在 SYN 中协商的 MSS 与窗口缩放"},
    {"TCP options: MSS, window scale; the MTU of the path", "TCP 选项：MSS、窗口缩放；路径的 MTU"},
    true,
    {"The server's interface has an MTU of 1000 bytes (ip link set ... mtu 1000), the client's 1500. The client\n"
     "sends 50000 bytes.",
     "服务器网卡的 MTU 是 1000 字节（设置命令见下文），客户端的是 1500。客户端发送 50000 字节。"},
    {"Each SYN carries mss= (MTU - 40 for the IPv4 and TCP headers) and ws= (the window scale). The client sends\n"
     "no segment bigger than the server's MSS, less 12 bytes of timestamps option.",
     "每个 SYN 都带有 mss=（MTU 减去 IPv4 和 TCP 首部的 40 字节）和 ws=（窗口缩放因子）。\n"
     "客户端发送的报文段都不超过服务器的 MSS（再减去时间戳选项的 12 字节）。"},
    run,
    [](const Timeline&) -> std::pair<long long, long long> {
        return {1, 8};
    },
    {
        {{"What MSS does each side announce?", "双方各通告多大的 MSS？"},
         {"Client {c}, server {s}: each is its interface's MTU less 40 bytes of headers.",
          "客户端 {c}，服务器 {s}：都是各自网卡的 MTU 减去 40 字节首部。"},
         mss_each},
        {{"How big is the client's largest data segment?", "客户端最大的数据报文段有多大？"},
         {"{len} bytes (frame {frame}): within the server's MSS, less {ts} bytes for the timestamps option.",
          "{len} 字节（第 {frame} 帧）：不超过服务器的 MSS，再减去时间戳选项占用的 {ts} 字节。"},
         largest},
        {{"What window scale does each side offer, and what does it do to win=?",
          "双方各提供多大的窗口缩放因子？它对 win= 有什么作用？"},
         {"Client {c}, server {s}. Frame {frame} carries a raw window of {raw}, times 2^{s} = {mult}: win={win} bytes.",
          "客户端 {c}，服务器 {s}。第 {frame} 帧的原始窗口值是 {raw}，乘以 2 的 {s} 次方（{mult}）：窗口为 {win} "
          "字节。"},
         scale},
    },
    check,
};

}  // namespace tcpviz::lab
