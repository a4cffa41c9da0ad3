// delayed-ack: a receiver holds back its ACK for a lone small segment (Linux's
// delayed ACK timer), but acknowledges at once when a second full segment
// arrives. Every gap is read from the timeline; none is written here.
#include <sys/socket.h>

#include <string>

#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr int warmups = 20;  // writes the server reads at once: they use up Linux's "quick ACK" start
constexpr std::size_t warmup_len = 1000;
constexpr std::size_t lone_len = 100;
constexpr int mss = 1000;  // the client's MSS: two full segments are 2 x 1000 bytes
constexpr int fulls = 6;   // full segments written back to back

void read_exactly(int fd, std::size_t n) {
    std::string buf(n, '\0');
    while (n > 0) {
        const ssize_t got = ::recv(fd, buf.data(), n, 0);
        if (got <= 0) return;
        n -= static_cast<std::size_t>(got);
    }
}

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    Child server = spawn_in(path.server.netns, [&](const ReadyFn& ready) {
        const int listener = listen_on(path.server.address, port);
        ready("listening");
        const int fd = accept_one(listener);
        read_exactly(fd, warmups * warmup_len);
        // The application is busy when the lone segment arrives: it waits in
        // the socket, so reading it cannot trigger an ACK; only the kernel's
        // delayed-ACK timer can. Then the application reads again.
        pause_for(0.2);
        read_exactly(fd, lone_len);
        read_to_end(fd);
        close_fd(fd);
        return 0;
    });
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        SocketKnobs knobs;
        knobs.nodelay = true;  // each write leaves at once: the delay we see is the receiver's
        knobs.mss = mss;
        const int fd = connect_to(path.server.address, port, knobs);
        const std::string small(warmup_len, 'w');
        for (int i = 0; i < warmups; ++i) {
            send_all(fd, small.data(), small.size());
            pause_for(0.01);
        }
        pause_for(0.1);  // under the retransmission timeout: the receiver does not start over in quick-ACK mode
        const std::string lone(lone_len, 'L');
        send_all(fd, lone.data(), lone.size());  // the lone small segment
        // Longer than the delayed-ACK timer, shorter than the retransmission
        // timeout (200 ms at least): after a longer pause the receiver would
        // start again in quick-ACK mode and acknowledge at once.
        pause_for(0.15);
        const std::string full(mss, 'F');
        // Full segments back to back. Linux may acknowledge the first at
        // once; the next one then waits for a partner, and its ACK leaves as
        // soon as the second full segment is in.
        // Five bursts: whether two segments meet in the receiver before it
        // answers depends on how the two processes are scheduled.
        for (int burst = 0; burst < 5; ++burst) {
            for (int i = 0; i < fulls; ++i) send_all(fd, full.data(), full.size());
            pause_for(0.005);
        }
        pause_for(0.2);
        close_fd(fd);
        return 0;
    });
    client.wait(15);
    server.wait(5);
    s.stop_capture();
}

// The segments the lab is about: the last small one before the first full one
// (len >= 1000), the two full ones, and the ACK that first covers each.
struct Gaps {
    const Json* lone = nullptr;
    const Json* lone_ack = nullptr;
    const Json* full1 = nullptr;
    const Json* full2 = nullptr;
    const Json* pair_ack = nullptr;
};

const Json* ack_of(const Timeline& t, const Json& data) {
    const long long end = seq_end(data), at = number(data, "frame");
    return find_event(t, 0, [&](const Json& e) {
        return !is_c2s(e) && flag(e, "ACK") && number(e, "frame") > at && number(e, "ack") >= end;
    });
}

// A full segment is one MSS long: the MSS the client announced in its SYN,
// less the TCP options a segment may carry (up to 40 bytes; timestamps: 12).
long long full_size(const Timeline& t) {
    const Json* syn = find_event(t, 0, [](const Json& e) { return is_c2s(e) && flag(e, "SYN"); });
    const long long mss = syn && (*syn).contains("options") ? number((*syn)["options"], "mss") : -1;
    return mss > 40 ? mss - 40 : -1;
}

// The lone one: the last small segment before the first full one. The pair:
// two back-to-back full segments whose first ACK came only after the second
// and covers both. Not every burst shows it: the receiver may answer the first
// segment before the second is in, or send an ACK written before the second
// arrived but captured after it; so every burst is tried, in order.
Gaps gaps_in(const Timeline& t) {
    Gaps g;
    const long long full = full_size(t);
    if (full <= 0) return g;
    const auto data = find_events(t, 0, [](const Json& e) { return is_c2s(e) && number(e, "len", 0) > 0; });
    const Json* small = nullptr;
    for (std::size_t i = 0; i + 1 < data.size(); ++i) {
        if (number(*data[i], "len", 0) < full) {
            if (!g.lone) small = data[i];  // small ones after the first full segment do not matter
            continue;
        }
        if (!small) continue;
        if (!g.lone) {
            g.lone = small;
            g.lone_ack = ack_of(t, *small);
        }
        if (number(*data[i + 1], "len", 0) < full) continue;
        const Json* ack = ack_of(t, *data[i]);
        if (!ack || number(*ack, "frame") < number(*data[i + 1], "frame")) continue;  // acknowledged alone
        if (number(*ack, "ack") < seq_end(*data[i + 1])) continue;                    // it names the first only
        g.full1 = data[i];
        g.full2 = data[i + 1];
        g.pair_ack = ack;
        break;
    }
    return g;
}

// The client's data segments the pair's ACK covers, from the first of the pair on.
std::vector<const Json*> covered(const Timeline& t, const Gaps& g) {
    const long long from = number(*g.full1, "frame"), to = number(*g.pair_ack, "frame");
    const long long acked = number(*g.pair_ack, "ack");
    return find_events(t, 0, [&](const Json& e) {
        return is_c2s(e) && number(e, "len", 0) > 0 && number(e, "frame") >= from && number(e, "frame") < to &&
               seq_end(e) <= acked;
    });
}
const Json* last_covered(const Timeline& t, const Gaps& g) { return covered(t, g).back(); }

constexpr Text no_pattern{"it does not hold the client's SYN (its MSS), then a small segment and two full ones",
                          "其中没有客户端的 SYN（它给出 MSS），或者没有“一个小报文段之后紧跟两个满长度报文段”的情形"};

Answer lone(const Timeline& t) {
    const Gaps g = gaps_in(t);
    if (!g.lone || !g.lone_ack) return cannot(no_pattern);
    return answer({{"frame", frame(g.lone)},
                   {"len", num(number(*g.lone, "len", 0))},
                   {"aframe", frame(g.lone_ack)},
                   {"ms", num(ms_between(*g.lone, *g.lone_ack), 1)}},
                  num(ms_between(*g.lone, *g.lone_ack), 0));
}

Answer pair(const Timeline& t) {
    const Gaps g = gaps_in(t);
    if (!g.full2 || !g.pair_ack) return cannot(no_pattern);
    const Json* last = last_covered(t, g);
    return answer({{"f1", frame(g.full1)},
                   {"f2", frame(last)},
                   {"aframe", frame(g.pair_ack)},
                   {"ack", num(number(*g.pair_ack, "ack"))},
                   {"end", num(seq_end(*last))},
                   {"n", num(static_cast<long long>(covered(t, g).size()))},
                   {"ms", num(ms_between(*last, *g.pair_ack), 3)}},
                  frame(g.pair_ack));
}

Verdict check(const Timeline& t) {
    const Gaps g = gaps_in(t);
    if (g.lone_ack && g.pair_ack && g.full2) {
        const double held = ms_between(*g.lone, *g.lone_ack), prompt = ms_between(*last_covered(t, g), *g.pair_ack);
        const bool one_ack =
            number(*g.pair_ack, "frame") > number(*g.full2, "frame") && number(*g.pair_ack, "ack") >= seq_end(*g.full2);
        // "Held back": at least 10 ms, and ten times longer than the ACK of the pair.
        if (one_ack && held >= 10 && prompt * 10 < held) {
            return {true,
                    {"the lone segment's ACK waited {held} ms; full segments were acknowledged together, "
                     "{prompt} ms after the last.",
                     "单个小报文段的 ACK 等了 {held} 毫秒；几个满长度报文段被一起确认，距最后一个只有 {prompt} 毫秒。"},
                    {{"held", num(held, 1)}, {"prompt", num(prompt, 3)}}};
        }
    }
    return {false,
            {"no ACK held back for a lone segment and sent at once after two full segments.",
             "没有看到“单个小报文段的 ACK 被推迟、两个满长度报文段之后立即确认”的现象。"},
            {}};
}

}  // namespace

extern const Scenario delayed_ack_scenario{
    "delayed-ack",
    {"Delayed ACK: the receiver waits before acknowledging", "延迟确认：接收方稍等再发 ACK"},
    {"seq and ack: when an ACK is sent", "序号与确认号：ACK 什么时候发出"},
    false,
    {"The client (TCP_NODELAY, MSS 1000) sends 20 writes of 1000 bytes, which the server reads at once, then one\n"
     "lone 100-byte segment while the server's application is busy, then five bursts of six full 1000-byte segments.",
     "客户端（TCP_NODELAY，MSS 为 1000）先发送 20 次 1000 字节的数据（服务器立刻读走），\n"
     "然后在服务器的应用程序忙着的时候发送一个 100 字节的单独报文段，最后分五批、每批连续发送六个 1000 "
     "字节的满长度报文段。"},
    {"Linux does not acknowledge a lone small segment at once: it waits for its delayed-ACK timer, hoping to\n"
     "send the ACK with data or to cover more bytes. A second full segment ends the wait: one ACK covers both.",
     "系统不会立刻确认单独到达的小报文段：它等待延迟确认定时器，希望 ACK 能和数据一起发出，或者一次确认更多字节。\n"
     "第二个满长度报文段一到，就不再等待：一个 ACK 同时确认两个报文段。"},
    run,
    [](const Timeline& t) -> std::pair<long long, long long> {
        const Gaps g = gaps_in(t);
        if (!g.lone || !g.pair_ack) return {1, 60};
        return {std::max(1LL, number(*g.lone, "frame") - 2), number(*g.pair_ack, "frame") + 2};
    },
    {
        {{"How long did the lone small segment wait for its ACK?", "单独的小报文段等了多久才得到确认？"},
         {"Frame {frame} ({len} bytes) was acknowledged by frame {aframe}, {ms} ms later: the delayed-ACK timer, "
          "not the network (on loopback a round trip takes microseconds).",
          "第 {frame} 帧（{len} 字节）由第 {aframe} 帧确认，晚了 {ms} 毫秒：这是延迟确认定时器，"
          "不是网络（本机回环的往返只需几微秒）。"},
         lone},
        {{"Which frame acknowledges the two full segments, and how soon?", "哪一帧确认了两个满长度报文段？隔了多久？"},
         {"Frame {aframe}, ack={ack} = the end of frame {f2} ({end}): one ACK for the {n} segments of frames {f1} to "
          "{f2}, {ms} ms after the last: with two full segments unacknowledged the receiver does not wait.",
          "第 {aframe} 帧，确认号 {ack} 正是第 {f2} 帧的末尾（{end}）：一个 ACK 确认了第 {f1} 帧到第 {f2} 帧的 "
          "{n} 个报文段，距最后一个只有 {ms} 毫秒：有两个满长度报文段没确认时，接收方不再等待。"},
         pair},
    },
    check,
};

}  // namespace tcpviz::lab
