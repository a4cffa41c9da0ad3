// out-of-order: one segment is held back on the path so that the segments
// after it arrive first. The receiver acknowledges the first missing byte again
// (duplicate ACKs, with SACK blocks for what it holds), and when the late
// segment comes, one ACK jumps past everything. The application still reads
// the bytes in order: the reader's bytes are kept and shown.
//
// Reordering without netem: a slow lane on the router's way to the server (an htb class with a 100 kbit/s tbf under
// it), chosen by an iptables mark on the segments that carry a marker.
#include <sys/socket.h>

#include <cstdio>
#include <string>

#include "common.h"
#include "programs.h"

namespace tcpviz::lab {
namespace {

constexpr int parts = 5;
constexpr std::size_t part_len = 1000;
const std::string marker = "LABSLOW";  // parts 2 and 3 take the slow lane
constexpr const char* reader_artifact = "out-of-order.reader.txt";

// "<part N>" then dots, and the marker for the slow lane's parts.
std::string part(int n) {
    std::string p = "<part " + std::to_string(n) + ">";
    if (n == 2 || n == 3) p += marker;
    p.resize(part_len, '.');
    return p;
}

// Two lanes on the router's way to the server: htb's default class 1:10, and
// 1:30 with a slow tbf under it; iptables' CLASSIFY puts the segments that
// carry the marker in the slow one. (On the sender's own interface the kernel would stop sending
// while its segment waits in the queue: TCP small queues.)
bool slow_lane(Session& s, const Host& router, int port) {
    std::string dev = router.interface;  // "...rc", the router's side towards the client
    dev.back() = 's';                    // "...rs": towards the server
    const std::string ns = router.netns;
    s.net().run(ns, {"tc", "qdisc", "del", "dev", dev, "root"});
    s.net().run(ns, {"tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "10"});
    for (const char* id : {"1:10", "1:30"}) {
        s.net().run(ns, {"tc", "class", "add", "dev", dev, "parent", "1:", "classid", id, "htb", "rate", "1gbit",
                         "quantum", "1514"});
    }
    // The slow lane delays with netem when the kernel has it, else with a tbf.
    const bool netem = s.net().try_run(
        ns, {"tc", "qdisc", "add", "dev", dev, "parent", "1:30", "handle", "30:", "netem", "delay", "40ms"});
    if (netem) {
        s.net().record(ns,
                       {"tc", "qdisc", "add", "dev", dev, "parent", "1:30", "handle", "30:", "netem", "delay", "40ms"});
    } else {
        s.net().run(ns, {"tc", "qdisc", "add", "dev", dev, "parent", "1:30", "handle", "30:", "tbf", "rate", "100kbit",
                         "burst", "1600", "limit", "20000"});
    }
    s.net().run(ns, {"iptables", "-t", "mangle", "-A", "FORWARD", "-p", "tcp", "--dport", std::to_string(port), "-m",
                     "string", "--string", marker, "--algo", "bm", "-j", "CLASSIFY", "--set-class", "1:30"});
    return netem;
}

void run(Session& s) {
    Path path = s.net().routed({1000000, 200000, 1});
    // The capture runs at the receiver: there the segments arrive out of order.
    path.capture_netns = path.server.netns;
    path.capture_interface = path.server.interface;
    const int port = pick_port(s.root());
    // No RACK and no tail loss probe in the sender's namespace: the late
    // segment must not be resent before it arrives.
    s.net().sysctl(path.client.netns, "net.ipv4.tcp_recovery", "0");
    s.net().sysctl(path.client.netns, "net.ipv4.tcp_early_retrans", "0");
    if (slow_lane(s, path.router, port)) {
        s.note(
            {"Reordering with netem: parts 2 and 3 carry the marker LABSLOW, iptables on the router classifies them "
             "into a lane where netem delays them 40 ms, and parts 4 and 5 overtake them.",
             "乱序的办法（使用 netem）：第 2、3 段带有标记 LABSLOW，路由器上的 iptables 把它们归入慢车道，"
             "netem 让它们延迟 40 毫秒，第 4、5 段就超到它们前面。"});
    } else {
        s.note(
            {"Reordering without netem (this kernel has none): parts 2 and 3 carry the marker LABSLOW, iptables on "
             "the router classifies them into a slow lane, a 100 kbit/s tbf: part 2 empties its bucket, part 3 "
             "waits about 40 ms while parts 4 and 5 overtake it.",
             "乱序的办法（这个内核没有 netem）：第 2、3 段带有标记 LABSLOW，路由器上的 iptables 把它们归入慢车道，"
             "也就是一个 100 kbit/s 的 tbf：第 2 段用完了令牌，第 3 段要等大约 40 毫秒，第 4、5 段就超到它前面。"});
    }
    const std::string reader_log = artifact_path(s, reader_artifact);
    std::remove(reader_log.c_str());
    Child server = spawn_in(path.server.netns, [&](const ReadyFn& ready) {
        const int listener = listen_on(path.server.address, port);
        ready("listening");
        const int fd = accept_one(listener);
        std::string got, buf(4096, '\0');
        for (ssize_t n; (n = ::recv(fd, buf.data(), buf.size(), 0)) > 0;)
            got.append(buf.data(), static_cast<std::size_t>(n));
        FILE* f = std::fopen(reader_log.c_str(), "w");
        if (f) {
            std::fwrite(got.data(), 1, got.size(), f);
            std::fclose(f);
        }
        close_fd(fd);
        return 0;
    });
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        SocketKnobs knobs;
        knobs.nodelay = true;  // one write, one segment
        const int fd = connect_to(path.server.address, port, knobs);
        pause_for(0.05);
        for (int n = 1; n <= parts; ++n) {
            const std::string p = part(n);
            send_all(fd, p.data(), p.size());
        }
        pause_for(0.3);
        ::shutdown(fd, SHUT_WR);
        read_to_end(fd);
        close_fd(fd);
        return 0;
    });
    client.wait(15);
    server.wait(5);
    s.stop_capture();
}

// The segment that arrived early (Wireshark: the previous segment was not
// captured) and the late one that fills the gap it left.
struct Gap {
    const Json* early = nullptr;
    const Json* late = nullptr;
    std::vector<const Json*> dups;  // the receiver's duplicate ACKs for the gap
    const Json* jump = nullptr;     // the ACK after the late segment
};

Gap gap_in(const Timeline& t) {
    Gap g;
    g.early = find_event(t, 0, [](const Json& e) { return is_c2s(e) && has(e, "lost_segment"); });
    if (!g.early) return g;
    const long long at = number(*g.early, "frame"), top = number(*g.early, "seq");
    g.late = find_event(t, 0, [&](const Json& e) {
        return is_c2s(e) && number(e, "frame") > at && number(e, "len", 0) > 0 && number(e, "seq") < top;
    });
    if (!g.late) return g;
    const long long gap = number(*g.late, "seq"), late_at = number(*g.late, "frame");
    g.dups = find_events(t, 0, [&](const Json& e) {
        return !is_c2s(e) && has(e, "duplicate_ack") && number(e, "ack") == gap && number(e, "frame") < late_at;
    });
    g.jump = find_event(t, 0, [&](const Json& e) {
        return !is_c2s(e) && number(e, "frame") > late_at && number(e, "ack") > seq_end(*g.late);
    });
    return g;
}

constexpr Text no_gap{"no segment in it arrives ahead of a missing one that comes later",
                      "其中没有“先于缺失报文段到达、缺失的报文段随后才到”的情形"};

Answer early(const Timeline& t) {
    const Gap g = gap_in(t);
    if (!g.late) return cannot(no_gap);
    return answer({{"early", frame(g.early)},
                   {"eseq", num(number(*g.early, "seq"))},
                   {"late", frame(g.late)},
                   {"lseq", num(number(*g.late, "seq"))},
                   {"ms", num(ms_between(*g.early, *g.late), 1)}},
                  frame(g.late));
}

Answer acks(const Timeline& t) {
    const Gap g = gap_in(t);
    if (!g.late) return cannot(no_gap);
    if (g.dups.empty())
        return cannot({"the receiver sent no duplicate ACK for the gap", "接收方没有为这个缺口发送重复确认"});
    std::string frames, sack;
    for (const Json* d : g.dups) {
        frames += (frames.empty() ? "" : ", ") + frame(d);
        if (sack.empty() && (*d).contains("options") && (*d)["options"].contains("sack"))
            sack = (*d)["options"]["sack"].dump();
    }
    return answer({{"n", num(static_cast<long long>(g.dups.size()))},
                   {"frames", frames},
                   {"ack", num(number(*g.dups[0], "ack"))},
                   {"sack", sack.empty() ? "-" : sack},
                   {"jump", g.jump ? frame(g.jump) : "-"},
                   {"jack", g.jump ? num(number(*g.jump, "ack")) : "-"}},
                  num(number(*g.dups[0], "ack")));
}

// The numbers N of the "<part N>" labels, in the order they appear in `text`.
std::string labels(const std::string& text) {
    std::string out;
    for (std::size_t at = text.find("<part "); at != std::string::npos; at = text.find("<part ", at + 1)) {
        const std::size_t end = text.find('>', at);
        if (end == std::string::npos) break;
        out += (out.empty() ? "" : ", ") + text.substr(at + 6, end - at - 6);
    }
    return out;
}

Answer reader(const Timeline& t) {
    if (!has_artifact(t, reader_artifact)) {
        return cannot(
            {"only the lab's own run keeps what the reader read", "只有本实验自己运行时才保存了读取方读到的内容"});
    }
    std::string wire;
    for (const Json* e : find_events(t, 0, [](const Json& e) { return is_c2s(e) && number(e, "len", 0) > 0; })) {
        const std::string l = labels(str(*e, "payload"));
        if (!l.empty()) wire += (wire.empty() ? "" : ", ") + l;
    }
    const std::string text = artifact(t, reader_artifact);
    return answer({{"wire", wire},
                   {"read", labels(text)},
                   {"bytes", num(static_cast<long long>(text.size()))},
                   {"start", visible(text, 40)}});
}

Verdict check(const Timeline& t) {
    const Gap g = gap_in(t);
    if (g.late && !g.dups.empty() && g.jump) {
        return {true,
                {"frame {e} arrived ahead of frame {l}; {n} duplicate ACK(s), then ACK {j} past both.",
                 "第 {e} 帧先于第 {l} 帧到达；接收方发了 {n} 个重复确认，然后第 {j} 帧一次确认了全部。"},
                {{"e", frame(g.early)},
                 {"l", frame(g.late)},
                 {"n", num(static_cast<long long>(g.dups.size()))},
                 {"j", frame(g.jump)}}};
    }
    return {false,
            {"no segment overtaken on the path with the receiver's duplicate ACKs for it.",
             "没有看到报文段在路上被超车、接收方为缺口发出重复确认的情形。"},
            {}};
}

}  // namespace

extern const Scenario out_of_order_scenario{
    "out-of-order",
    {"Out of order: segments overtake one another, the reader still gets the bytes in order",
     "乱序到达：报文段在路上被超车，应用读到的字节仍然有序"},
    {"TCP's properties: in-order delivery", "TCP 的特征：按序交付"},
    true,
    {"The client writes five 1000-byte parts, <part 1> to <part 5>, back to back. On the router, part 3 is held\n"
     "back so that parts 4 and 5 overtake it; the capture runs at the server. The server reads everything and keeps "
     "the bytes it read.",
     "客户端连续写出五段 1000 字节的数据，<part 1> 到 <part 5>。在路由器上第 3 段被拖慢，第 4、5 "
     "段超到它前面；抓包在服务器一侧进行。\n"
     "服务器读完所有数据，并把读到的字节保存下来。"},
    {"A segment arrives with a seq above the next byte expected (the previous segment was not seen). The receiver\n"
     "keeps acknowledging the first missing byte (duplicate ACKs), with SACK blocks for what it already holds.\n"
     "When the late segment arrives, one ACK jumps past everything. The reader gets the bytes in order.\n"
     "Wireshark may call the late segment a retransmission (it judges by time), and the sender may resend it too.",
     "某个报文段的序号大于接收方期望的下一个字节（前面的报文段还没到）。接收方一直确认第一个缺失的字节（重复确认），\n"
     "并用 SACK 块说明已经收到了哪些后面的字节。迟到的报文段一到，一个 ACK 就确认全部。应用读到的字节仍然按顺序排列。\n"
     "抓包分析可能把迟到的报文段标成重传（它按时间判断），发送方也可能真的再发一次。"},
    run,
    nullptr,
    {
        {{"Which segment arrived before the one in front of it, and when did the missing one come?",
          "哪个报文段抢在前面的报文段之前到达？缺失的报文段什么时候才到？"},
         {"Frame {early} (seq={eseq}) arrived first; frame {late} (seq={lseq}) filled the gap {ms} ms later.",
          "第 {early} 帧（序号 {eseq}）先到；第 {late} 帧（序号 {lseq}）晚了 {ms} 毫秒才补上缺口。"},
         early},
        {{"What did the receiver acknowledge meanwhile?", "这期间接收方确认的是什么？"},
         {"{n} duplicate ACK(s) (frames {frames}), ack={ack}: the first missing byte; SACK blocks {sack} name what it "
          "holds beyond. Then frame {jump}: ack={jack}, past everything.",
          "{n} 个重复确认（第 {frames} 帧），确认号 {ack}：第一个缺失的字节；SACK 块 {sack} "
          "说明它已收到后面的哪些字节。"
          "然后是第 {jump} 帧：确认号 {jack}，一次确认了全部。"},
         acks},
        {{"In which order did the parts cross the wire, and in which order did the application read them?",
          "各段数据在线路上的顺序是什么？应用读到的顺序又是什么？"},
         {"Parts on the wire, as they arrived: {wire}. Parts the application read: {read} ({bytes} bytes, starting "
          "\"{start}\"): TCP hands the bytes over in order, whatever order the segments came in.",
          "按到达顺序，线路上各段的编号：{wire}。应用读到的各段编号：{read}（共 {bytes} 字节，开头是 \"{start}\"）："
          "不管报文段以什么顺序到达，TCP 都按顺序把字节交给应用。"},
         reader},
    },
    check,
};

}  // namespace tcpviz::lab
