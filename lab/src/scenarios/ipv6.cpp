// ipv6: the same handshake and data over IPv6 (AF_INET6, ::1).
#include <sys/socket.h>

#include "common.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) {
    Path path = s.net().loopback(s.root());
    path.client.address = path.server.address = "::1";
    const int port = pick_port(s.root());
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_sender(path.client, path.server, port, 5000);
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

Answer addresses(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    const Json& c = t.connection(0);
    return answer({{"client", str(c["client"], "ip")},
                   {"cport", num(number(c["client"], "port"))},
                   {"server", str(c["server"], "ip")},
                   {"sport", num(number(c["server"], "port"))}});
}

Answer mss(const Timeline& t) {
    const Json* syn = find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
    if (!syn || !syn->contains("options") || number((*syn)["options"], "mss") < 0) return cannot(why::no_syn);
    const long long m = number((*syn)["options"], "mss");
    return answer({{"mss", num(m)}, {"mtu", num(m + 60)}}, num(m));
}

Answer same(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    const Json& c = t.connection(0);
    return answer({{"complete", c["handshake"].value("complete", false) ? "yes" : "no"},
                   {"complete_zh", c["handshake"].value("complete", false) ? "完整" : "不完整"},
                   {"bytes", num(number(c["counts"]["c2s"], "bytes"))}});
}

Verdict check(const Timeline& t) {
    if (t.connection_count() && str(t.connection(0)["client"], "ip").find(':') != std::string::npos &&
        find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && flag(e, "ACK"); })) {
        return {true,
                {"a TCP handshake between IPv6 addresses ({ip}).", "IPv6 地址之间（{ip}）的 TCP 握手。"},
                {{"ip", str(t.connection(0)["client"], "ip")}}};
    }
    return {false, {"no TCP handshake between IPv6 addresses.", "没有 IPv6 地址之间的 TCP 握手。"}, {}};
}

}  // namespace

extern const Scenario ipv6_scenario{
    "ipv6",
    {"TCP over IPv6", "基于 IPv6 的 TCP"},
    {"address families: AF_INET6", "地址族：AF_INET6"},
    false,
    {"A server listens on ::1 (an AF_INET6 socket); a client connects and sends 5000 bytes.",
     "服务器在 ::1 上监听（AF_INET6 套接字）；客户端建立连接并发送 5000 字节。"},
    {"The same TCP: handshake, seq and ack, FINs. Only the addresses (128 bits) and the IP header (40 bytes instead\n"
     "of 20) differ, so the MSS is 20 bytes smaller for the same MTU.",
     "TCP 完全一样：握手、序号与确认号、FIN。不同的只是地址（128 位）和 IP 首部（40 字节而不是 20 字节），\n"
     "所以同样的 MTU 下 MSS 要小 20 字节。"},
    run,
    [](const Timeline&) -> std::pair<long long, long long> {
        return {1, 8};
    },
    {
        {{"What are the two endpoints?", "两个端点分别是什么？"},
         {"Client [{client}]:{cport}, server [{server}]:{sport}.",
          "客户端 [{client}]:{cport}，服务器 [{server}]:{sport}。"},
         addresses},
        {{"What MSS does the client's SYN announce?", "客户端的 SYN 通告的 MSS 是多少？"},
         {"{mss}: an MTU of {mtu} less 40 bytes of IPv6 header and 20 of TCP header.",
          "{mss}：MTU {mtu} 减去 40 字节 IPv6 首部和 20 字节 TCP 首部。"},
         mss},
        {{"Is the handshake complete, and how many bytes did the client send?", "握手完整吗？客户端发送了多少字节？"},
         {"Handshake complete: {complete}; {bytes} bytes.", "握手{complete_zh}；{bytes} 字节。"},
         same},
    },
    check,
};

}  // namespace tcpviz::lab
