// packet-socket: what an AF_PACKET socket sees. tcpviz capture is the
// example: it opens one (through libpcap) on a veth between two namespaces,
// with no filter, while a client sends a few bytes. The lab reads the raw
// frames: whole Ethernet frames, MAC addresses and EtherType first, and the
// frames that are not TCP at all (ARP) that a TCP socket never sees.
#include <fstream>
#include <map>
#include <sstream>

#include "common.h"
#include "programs.h"
#include "tcpviz/link_layer.h"

namespace tcpviz::lab {
namespace {

constexpr const char* ss_artifact = "packet-socket.ss.txt";  // `ss -0 -p` while capturing

void run(Session& s) {
    const Path path = s.net().pair();
    const int port = pick_port(true);
    Child capture = start_unfiltered_capture(s, path.capture_netns, path.capture_interface);
    std::ofstream(artifact_path(s, ss_artifact)) << run_and_show(s, path.capture_netns, {"ss", "-0", "-p"});
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    Child client = spawn_sender(path.client, path.server, port, 100);
    client.wait(10);
    server.wait(5);
    stop_unfiltered_capture(capture);
}

std::vector<RawFrame> frames(const Timeline& t) {
    std::string error;
    return read_frames(t.source(), error);
}

const RawFrame* first_tcp(const std::vector<RawFrame>& all) {
    for (const RawFrame& f : all) {
        if (f.tcp) return &f;
    }
    return nullptr;
}

Answer link(const Timeline& t) {
    const auto all = frames(t);
    const RawFrame* f = first_tcp(all);
    if (!f) return cannot(why::no_program_output);
    return answer({{"type", std::string(link_type_name(f->link_type))},
                   {"number", num(static_cast<long long>(f->link_type))},
                   {"header", num(static_cast<long long>(f->link_header))}},
                  num(static_cast<long long>(f->link_header)));
}

Answer ethernet_header(const Timeline& t) {
    const auto all = frames(t);
    const RawFrame* f = first_tcp(all);
    if (!f || f->link_header < 14) return cannot(why::no_program_output);
    return answer({{"frame", num(f->number)},
                   {"dst", hex_bytes(f->bytes.substr(0, 6))},
                   {"src", hex_bytes(f->bytes.substr(6, 6))},
                   {"type", hex_bytes(f->bytes.substr(12, 2))}});
}

Answer not_tcp(const Timeline& t) {
    const auto all = frames(t);
    if (all.empty()) return cannot(why::no_program_output);
    std::map<std::string, long long> by_type;  // EtherType -> frames that carry no TCP
    for (const RawFrame& f : all) {
        if (!f.tcp && f.bytes.size() >= 14) ++by_type[hex_bytes(f.bytes.substr(12, 2))];
    }
    std::string list;
    long long total = 0;
    for (const auto& [type, count] : by_type) {
        list += (list.empty() ? "" : ", ") + num(count) + " × [" + type + "]";
        total += count;
    }
    return answer({{"frames", num(static_cast<long long>(all.size()))},
                   {"other", num(total)},
                   {"list", list.empty() ? "-" : list},
                   {"segments", num(static_cast<long long>(t.events().size()))}},
                  num(total));
}

Answer which_socket(const Timeline& t) {
    if (!has_artifact(t, ss_artifact)) return cannot(why::no_program_output);
    std::string lines;
    std::istringstream in(artifact(t, ss_artifact));
    for (std::string line; std::getline(in, line);) lines += "\n    " + line;
    return answer({{"ss", lines}});
}

Verdict check(const Timeline& t) {
    const Json* syn = find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
    const auto all = frames(t);
    const RawFrame* f = first_tcp(all);
    const bool ethernet = f && f->link_header == 14 && hex_bytes(f->bytes.substr(12, 2)) == "08 00";
    if (syn && (ethernet || all.empty())) {
        return {true,
                {"the capture holds whole frames: the SYN (frame {frame}) came with its 14-byte Ethernet header.",
                 "抓到的是完整的帧：SYN（第 {frame} 帧）连同 14 字节的以太网首部一起被收下。"},
                {{"frame", frame(syn)}}};
    }
    return {false, {"no SYN captured with its Ethernet header.", "没有抓到带以太网首部的 SYN。"}, {}};
}

}  // namespace

extern const Scenario packet_socket_scenario{
    "packet-socket",
    {"AF_PACKET: what a capture sees", "AF_PACKET：抓包看到的是什么"},
    {"address families: AF_PACKET, below IP", "地址族：AF_PACKET，位于 IP 之下"},
    true,
    {"Two namespaces joined by a veth pair, a real Ethernet link. tcpviz capture opens an AF_PACKET socket on\n"
     "the client's end with no filter at all, then the client connects to the server and sends 100 bytes.",
     "两个命名空间由一对 veth 相连，这是一条真正的以太网链路。`tcpviz capture` 在客户端一侧打开一个 AF_PACKET "
     "套接字，\n"
     "不加任何过滤，然后客户端连接服务器并发送 100 字节。"},
    {"The ladder shows only TCP. AF_PACKET delivered more: every frame whole, with its Ethernet header (MAC\n"
     "addresses, EtherType), and frames that are not IP or not TCP, such as the ARP that found the server's MAC.",
     "梯形图里只有 TCP。AF_PACKET 交上来的更多：每一帧都是完整的，带着以太网首部（MAC 地址、类型字段），\n"
     "还有不是 IP 或不是 TCP 的帧，比如用来查询服务器 MAC 地址的 ARP。"},
    run,
    nullptr,
    {
        {{"Which link type did the capture get, and how many bytes come before each IP header?",
          "抓包得到的链路类型是什么？每个 IP 首部前面有几个字节？"},
         {"{type} (link type {number}): {header} bytes of link-layer header.",
          "{type}（链路类型 {number}）：{header} 字节的链路层首部。"},
         link},
        {{"The first TCP frame's Ethernet header: destination MAC, source MAC, EtherType?",
          "第一个 TCP 帧的以太网首部：目的 MAC、源 MAC、类型字段？"},
         {"Frame {frame}: to [{dst}], from [{src}], type [{type}] (IPv4).",
          "第 {frame} 帧：发往 [{dst}]，来自 [{src}]，类型 [{type}]（IPv4）。"},
         ethernet_header},
        {{"How many frames carried no TCP at all, and of which EtherTypes?",
          "有多少帧根本不含 TCP？它们的类型字段是什么？"},
         {"{other} of {frames} frames: {list} ([08 06] is ARP, [86 dd] IPv6). The timeline keeps only the {segments} "
          "TCP segments.",
          "{frames} 帧中有 {other} 帧：{list}（[08 06] 是 ARP，[86 dd] 是 IPv6）。时间线只保留了其中 {segments} 个 TCP "
          "报文段。"},
         not_tcp},
        {{"Which socket did the capture open to see all this? (`ss -0 -p` lists packet sockets.)",
          "抓包程序打开了哪个套接字才看到这些？（`ss -0 -p` 列出 AF_PACKET 套接字。）"},
         {"A packet socket held by tcpviz:{ss}", "一个由 tcpviz 持有的 AF_PACKET 套接字：{ss}"},
         which_socket},
    },
    check,
};

}  // namespace tcpviz::lab
