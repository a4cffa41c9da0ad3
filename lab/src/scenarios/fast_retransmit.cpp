// fast-retransmit: one chosen segment is dropped on its way to the server
// (an iptables rule matching a marker in its payload, once). The segments
// after it arrive, each answered by a duplicate ACK for the missing byte;
// the sender resends it without waiting for its timer. Twice: with SACK, and
// with SACK turned off in the sender's namespace.
#include <sys/socket.h>

#include <set>

#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr std::size_t bytes = 300000;
constexpr std::size_t marker_at = 40000;  // inside the 28th segment or so
const std::string markers[2] = {"LABDROPSACKON", "LABDROPSACKOFF"};

// Drops the first segment that carries `marker`, and only that one: the nth
// match counts only segments that matched the string, and fires on the first.
std::vector<std::string> drop_once(int port, const std::string& marker) {
    return {"iptables",  "-A",     "INPUT",    "-p",      "tcp",     "--dport",  std::to_string(port),
            "-m",        "string", "--string", marker,    "--algo",  "bm",       "-m",
            "statistic", "--mode", "nth",      "--every", "1000000", "--packet", "0",
            "-j",        "DROP"};
}

void transfer(Session& s, const Path& path, int port, const std::string& marker) {
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        const int fd = connect_to(path.server.address, port);
        const bool ok = send_pattern(fd, bytes, marker, marker_at);
        ::shutdown(fd, SHUT_WR);
        read_to_end(fd);
        close_fd(fd);
        return ok ? 0 : 1;
    });
    if (client.wait(30) != 0) throw std::runtime_error("the sender failed");
    server.wait(5);
    (void)s;
}

void run(Session& s) {
    const Path path = s.net().pair();
    const int port = 5001;
    s.net().run(path.server.netns, drop_once(port, markers[0]));
    s.net().run(path.server.netns, drop_once(port, markers[1]));
    s.start_capture(path, port);
    transfer(s, path, port, markers[0]);  // connection 0: SACK on (Linux's default)
    s.net().sysctl(path.client.netns, "net.ipv4.tcp_sack", "0");
    transfer(s, path, port, markers[1]);  // connection 1: SACK off
    s.stop_capture();
}

// The resend of the lost segment, found by its bytes, not by a flag: the
// first data segment from the client that repeats a seq it already sent.
// With SACK on, Linux's RACK resends as soon as the SACK blocks and the
// clock make the loss plain, which can be after one duplicate ACK; Wireshark
// (and tcpviz, agreeing with it) says fast_retransmission only after two.
struct Fast {
    const Json* retransmission = nullptr;
    const Json* original = nullptr;
    std::vector<const Json*> dups;  // the ACKs that repeat the missing byte, in order
};

Fast fast_in(const Timeline& t, int conn) {
    Fast f;
    std::set<long long> sent;
    f.retransmission = find_event(t, conn, [&](const Json& e) {
        if (str(e, "dir") != "c2s" || number(e, "len", 0) == 0) return false;
        return !sent.insert(number(e, "seq")).second;
    });
    if (!f.retransmission) return f;
    const long long seq = number(*f.retransmission, "seq"), at = number(*f.retransmission, "frame");
    f.original = find_event(t, conn, [&](const Json& e) {
        return str(e, "dir") == "c2s" && number(e, "seq") == seq && number(e, "len", 0) > 0;
    });
    const long long from = number(*f.original, "frame");
    // Every pure ACK naming the missing byte after the first one is a duplicate
    // to the sender, also one whose window grew (Wireshark counts that one as
    // a window update instead).
    f.dups = find_events(t, conn, [&](const Json& e) {
        const long long n = number(e, "frame");
        return str(e, "dir") == "s2c" && number(e, "len", 0) == 0 && number(e, "ack") == seq && n > from && n < at;
    });
    if (!f.dups.empty()) f.dups.erase(f.dups.begin());
    return f;
}

// How tcpviz flagged the resend: fast_retransmission, or out_of_order when
// fewer than two duplicates in Wireshark's sense came before it.
std::string flag_of(const Json& e) {
    for (const char* name : {"fast_retransmission", "retransmission", "spurious_retransmission", "out_of_order"})
        if (has(e, name)) return name;
    return "-";
}

constexpr Text no_fast{"it holds no resent segment", "其中没有重发的报文段"};

Answer which(const Timeline& t) {
    const Fast f = fast_in(t, 0);
    if (!f.retransmission) return cannot(no_fast);
    return answer({{"frame", frame(f.retransmission)},
                   {"seq", num(number(*f.retransmission, "seq"))},
                   {"len", num(number(*f.retransmission, "len", 0))},
                   {"original", frame(f.original)},
                   {"flag", flag_of(*f.retransmission)}},
                  frame(f.retransmission));
}

Answer duplicates(const Timeline& t) {
    const Fast f = fast_in(t, 0);
    if (!f.retransmission) return cannot(no_fast);
    if (f.dups.empty())
        return cannot({"no duplicate ACK precedes its fast retransmission", "快速重传之前没有重复确认"});
    std::string frames;
    for (std::size_t i = 0; i < f.dups.size() && i < 6; ++i) frames += (i ? ", " : "") + frame(f.dups[i]);
    if (f.dups.size() > 6) frames += ", ... " + frame(f.dups.back());
    return answer({{"n", num(static_cast<long long>(f.dups.size()))},
                   {"ack", num(number(*f.dups[0], "ack"))},
                   {"frames", frames}},
                  num(static_cast<long long>(f.dups.size())));
}

Answer how_fast(const Timeline& t) {
    const Fast f = fast_in(t, 0);
    if (!f.retransmission || !f.original) return cannot(no_fast);
    return answer({{"ms", num(ms_between(*f.original, *f.retransmission), 3)},
                   {"dup_ms", f.dups.empty() ? "?" : num(ms_between(*f.dups[0], *f.retransmission), 3)}});
}

Answer without_sack(const Timeline& t) {
    if (t.connection_count() < 2) {
        return cannot({"it holds only one connection (the lab's second runs with SACK off)",
                       "其中只有一个连接（本实验的第二个连接关闭了 SACK）"});
    }
    const Fast on = fast_in(t, 0), off = fast_in(t, 1);
    if (!off.retransmission) return cannot(no_fast);
    auto with_sack = [](const std::vector<const Json*>& dups) {
        long long n = 0;
        for (const Json* d : dups) n += (*d).contains("options") && (*d)["options"].contains("sack") ? 1 : 0;
        return n;
    };
    return answer({{"frame", frame(off.retransmission)},
                   {"dups", num(static_cast<long long>(off.dups.size()))},
                   {"sack_on", num(with_sack(on.dups))},
                   {"on", num(static_cast<long long>(on.dups.size()))},
                   {"sack_off", num(with_sack(off.dups))}},
                  num(static_cast<long long>(off.dups.size())));
}

Verdict check(const Timeline& t) {
    const Fast on = fast_in(t, 0);
    const Fast off = t.connection_count() > 1 ? fast_in(t, 1) : Fast{};
    // SACK blocks are expected when both SYNs offered SACK; the second connection
    // (SACK off) is checked when the capture has one, as the live lab's does.
    const Json& syn_options = t.connection_count() ? t.connection(0)["syn_options"] : Json();
    const bool sack_agreed = syn_options.is_object() && syn_options["client"].value("sack_perm", false) &&
                             syn_options["server"].value("sack_perm", false);
    const bool sack_seen =
        !on.dups.empty() && on.dups[0]->contains("options") && (*on.dups[0])["options"].contains("sack");
    // Fast: after duplicate ACKs and well before Linux's shortest timeout
    // (200 ms), and the analysis agrees that the segment is a resend.
    auto fast = [](const Fast& f) {
        return f.retransmission && f.original && !f.dups.empty() && flag_of(*f.retransmission) != "-" &&
               ms_between(*f.original, *f.retransmission) < 200;
    };
    const bool second_ok = t.connection_count() < 2 || fast(off);
    if (fast(on) && second_ok && sack_seen == sack_agreed) {
        return {
            true,
            {"with SACK, {a} duplicate ACKs then the fast retransmission in frame {fa}; without, {b} then frame {fb}.",
             "开启 SACK 时，{a} 个重复确认之后是第 {fa} 帧的快速重传；关闭时，{b} 个重复确认之后是第 {fb} 帧。"},
            {{"a", num(static_cast<long long>(on.dups.size()))},
             {"fa", frame(on.retransmission)},
             {"b", num(static_cast<long long>(off.dups.size()))},
             {"fb", off.retransmission ? frame(off.retransmission) : "-"}}};
    }
    return {false,
            {"not a resend after duplicate ACKs, long before any timer, in both connections (with and without SACK).",
             "两个连接（开启和关闭 SACK）中没有都出现“重复确认之后、远早于定时器到期的重发”。"},
            {}};
}

}  // namespace

extern const Scenario fast_retransmit_scenario{
    "fast-retransmit",
    {"Fast retransmit: duplicate ACKs instead of a timeout", "快速重传：用重复确认代替超时"},
    {"reliable delivery: loss, duplicate ACKs, fast retransmit", "可靠传输：丢包、重复确认、快速重传"},
    true,
    {"The client sends 300000 bytes to the server twice. Each time, a firewall rule on the server's side drops the\n"
     "one segment that carries a marker, once. The first connection uses SACK (Linux's default); before the\n"
     "second, net.ipv4.tcp_sack is set to 0 in the client's namespace.",
     "客户端向服务器发送两次 300000 字节。每次服务器一侧的防火墙规则都只丢弃一次带有标记的那个报文段。\n"
     "第一个连接使用 SACK（系统默认）；第二个连接之前，在客户端的命名空间里把 net.ipv4.tcp_sack 设为 0。"},
    {"After the lost segment, the server keeps acknowledging the same byte (duplicate_ack): the first one missing.\n"
     "The client resends that segment after a few duplicates (fast_retransmission), long before its timer would\n"
     "run out. With SACK the duplicates also say which later bytes did arrive (SACK blocks); without, they cannot.\n"
     "Without SACK, Linux waits for the classic three duplicates. With SACK, its RACK detection resends as soon as\n"
     "a later segment is SACKed and a little time has passed: on this fast path often after one or two duplicates\n"
     "(Wireshark's and tcpviz's fast_retransmission flag needs two; with one they say out_of_order).",
     "丢失的报文段之后，服务器一直确认同一个字节（重复确认）：也就是第一个缺失的字节。\n"
     "客户端收到几个重复确认后立刻重发这个报文段（快速重传），远早于重传定时器到期。\n"
     "开启 SACK 时，重复确认还会说明后面哪些字节已经收到（SACK 块）；关闭时就做不到。\n"
     "关闭 SACK 时，Linux 按经典规则等三个重复确认。开启 SACK 时，它的 RACK 检测只要看到后面的报文段被 SACK\n"
     "确认、又过了一小段时间就重发：在这条很快的路径上常常只隔一两个重复确认\n"
     "（Wireshark 和 tcpviz 的 fast_retransmission 标记要求至少两个；只有一个时标为 out_of_order）。"},
    run,
    [](const Timeline& t) -> std::pair<long long, long long> {
        const Fast f = fast_in(t, 0);
        const long long at = f.retransmission ? number(*f.retransmission, "frame") : 1;
        const long long from = f.dups.empty() ? at - 10 : number(*f.dups[0], "frame") - 4;
        return {std::max(1LL, from), at + 2};
    },
    {
        {{"Which frame is the fast retransmission, and which bytes does it send again?",
          "哪一帧是快速重传？它重发的是哪些字节？"},
         {"Frame {frame}: {len} bytes from seq={seq}, first sent in frame {original} (the segment that was lost). "
          "tcpviz flags it {flag}.",
          "第 {frame} 帧：从序号 {seq} 开始的 {len} 字节，最初在第 {original} 帧发出（就是丢失的那个报文段）。"
          "tcpviz 给它的标记是 {flag}。"},
         which},
        {{"How many duplicate ACKs did the server send before it, and what do they acknowledge?",
          "在它之前服务器发了几个重复确认？它们确认的是什么？"},
         {"{n} duplicate ACKs (frames {frames}), all ack={ack}: the first byte missing. Each later segment that "
          "arrives "
          "makes the server say again which byte it still needs.",
          "{n} 个重复确认（第 {frames} 帧），确认号都是 {ack}：第一个缺失的字节。后面每到达一个报文段，"
          "服务器就再说一遍它还缺哪个字节。"},
         duplicates},
        {{"How long after the lost segment was first sent did the retransmission go out?",
          "丢失的报文段第一次发出后，过了多久才重传？"},
         {"{ms} ms, {dup_ms} ms after the first duplicate ACK: no timer ran out (Linux's minimum timeout is 200 ms).",
          "{ms} 毫秒，距第一个重复确认 {dup_ms} 毫秒：没有等待任何定时器到期（系统的最小超时是 200 毫秒）。"},
         how_fast},
        {{"With SACK off (the second connection), how many duplicate ACKs came before the fast retransmission, and "
          "how many duplicates carried SACK blocks in each connection?",
          "关闭 SACK 后（第二个连接），快速重传之前有几个重复确认？两个连接中各有几个重复确认带有 SACK 块？"},
         {"{dups} duplicate ACKs, then frame {frame}. SACK blocks: {sack_on} of {on} duplicates with SACK, {sack_off} "
          "without: the sender only learns which byte is missing first.",
          "{dups} 个重复确认，然后是第 {frame} 帧。带 SACK 块的重复确认：开启时 {on} 个中有 {sack_on} 个，"
          "关闭时 {sack_off} 个：发送方只能知道第一个缺失的字节。"},
         without_sack},
    },
    check,
};

}  // namespace tcpviz::lab
