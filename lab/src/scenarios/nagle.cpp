// nagle: many small writes. With Nagle's algorithm a small segment waits while
// earlier data is unacknowledged, so writes are coalesced; TCP_NODELAY sends
// each write at once. Two connections: Nagle on, then off.
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr int writes = 40;
constexpr std::size_t write_size = 10;

void writer(Session& s, const Path& path, int port, bool nodelay) {
    (void)s;
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        SocketKnobs knobs;
        knobs.nodelay = nodelay;  // TCP_NODELAY
        const int fd = connect_to(path.server.address, port, knobs);
        const std::string piece(write_size, 'k');
        for (int i = 0; i < writes; ++i) {
            send_all(fd, piece.data(), piece.size());  // one small write, like a keystroke
            ::usleep(2000);
        }
        ::shutdown(fd, SHUT_WR);
        read_to_end(fd);
        close_fd(fd);
        return 0;
    });
    client.wait(20);
    server.wait(5);
}

void run(Session& s) {
    const Path path = s.net().pair();
    const int port = 5001;
    // The server's ACKs leave through a slow token bucket (16 kbit/s: one ACK
    // about every 33 ms), so the client's earlier data stays unacknowledged
    // long enough for Nagle's algorithm to matter, as on a real long path.
    s.net().run(path.server.netns, {"tc", "qdisc", "add", "dev", path.server.interface, "root", "tbf", "rate", "16kbit",
                                    "burst", "200", "limit", "6000"});
    // Linux also corks small writes on its own while earlier packets still
    // wait in the queue (tcp_autocorking), even with TCP_NODELAY: off here, so
    // that the two connections differ by Nagle's algorithm alone.
    s.net().sysctl(path.client.netns, "net.ipv4.tcp_autocorking", "0");
    s.start_capture(path, port);
    writer(s, path, port, false);  // connection 0: Nagle on (the default)
    writer(s, path, port, true);   // connection 1: TCP_NODELAY
    s.stop_capture();
}

struct Count {
    long long segments = 0, bytes = 0;
};
Count data_of(const Timeline& t, int conn) {
    Count c;
    for (const Json* e : find_events(t, conn, [](const Json& e) {
             return is_c2s(e) && number(e, "len", 0) > 0 && !has(e, "retransmission");
         })) {
        ++c.segments;
        c.bytes += number(*e, "len", 0);
    }
    return c;
}

Answer with_nagle(const Timeline& t) {
    const Count c = data_of(t, 0);
    if (c.segments == 0) return cannot({"the client sends no data in it", "其中客户端没有发送数据"});
    return answer({{"segments", num(c.segments)},
                   {"bytes", num(c.bytes)},
                   {"avg", num(static_cast<double>(c.bytes) / c.segments, 1)}},
                  num(c.segments));
}

Answer without(const Timeline& t) {
    if (t.connection_count() < 2)
        return cannot({"it holds only one connection (the lab's second uses TCP_NODELAY)",
                       "其中只有一个连接（本实验的第二个连接使用 TCP_NODELAY）"});
    const Count c = data_of(t, 1);
    if (c.segments == 0) return cannot({"the client sends no data in it", "其中客户端没有发送数据"});
    return answer({{"segments", num(c.segments)},
                   {"bytes", num(c.bytes)},
                   {"avg", num(static_cast<double>(c.bytes) / c.segments, 1)}},
                  num(c.segments));
}

Answer biggest(const Timeline& t) {
    const Json* big = nullptr;
    for (const Json* e : find_events(t, 0, [](const Json& e) { return is_c2s(e) && number(e, "len", 0) > 0; })) {
        if (!big || number(*e, "len", 0) > number(*big, "len", 0)) big = e;
    }
    if (!big) return cannot({"the client sends no data in it", "其中客户端没有发送数据"});
    return answer({{"frame", frame(big)},
                   {"len", num(number(*big, "len", 0))},
                   {"writes", num(number(*big, "len", 0) / static_cast<long long>(write_size))}});
}

Verdict check(const Timeline& t) {
    const Count on = data_of(t, 0), off = t.connection_count() > 1 ? data_of(t, 1) : Count{};
    const bool handshakes = find_event(t, 0, [](const Json& e) { return flag(e, "SYN"); }) &&
                            find_event(t, 1, [](const Json& e) { return flag(e, "SYN"); });
    if (handshakes && on.segments > 0 && off.segments >= 2 * on.segments) {
        return {true,
                {"{a} segments with Nagle, {b} with TCP_NODELAY, for the same {n} writes.",
                 "同样的 {n} 次写入：开启 Nagle 时 {a} 个报文段，使用 TCP_NODELAY 时 {b} 个。"},
                {{"a", num(on.segments)}, {"b", num(off.segments)}, {"n", num(writes)}}};
    }
    return {false,
            {"Nagle's algorithm did not send clearly fewer segments than TCP_NODELAY.",
             "开启 Nagle 时发送的报文段并没有明显少于 TCP_NODELAY。"},
            {}};
}

}  // namespace

extern const Scenario nagle_scenario{
    "nagle",
    {"Nagle's algorithm and TCP_NODELAY", "Nagle 算法与 TCP_NODELAY"},
    {"small writes: Nagle's algorithm", "小块写入：Nagle 算法"},
    true,
    {"The client writes 10 bytes 40 times, 2 ms apart, like someone typing. First with Nagle's algorithm (the\n"
     "default), then with TCP_NODELAY set on the socket.",
     "客户端每隔 2 毫秒写入 10 字节，共 40 次，就像有人在打字。第一次使用 Nagle 算法（默认），\n"
     "第二次在套接字上设置 TCP_NODELAY。"},
    {"With Nagle, a small segment waits while earlier data is unacknowledged, so several writes leave together\n"
     "(len= grows). With TCP_NODELAY, each write leaves at once. (The server's ACKs go through a 16 kbit/s token\n"
     "bucket, so they come back slowly, as over a long path.)",
     "开启 Nagle 时，只要之前的数据还没被确认，小报文段就要等待，于是几次写入合在一起发出（len= 变大）。\n"
     "使用 TCP_NODELAY 时，每次写入都立即发出。（服务器的 ACK 经过一个 16 "
     "千比特每秒的令牌桶，回来得很慢，就像经过一条很长的路径。）"},
    run,
    [](const Timeline&) -> std::pair<long long, long long> {
        return {1, 30};
    },
    {
        {{"With Nagle on, how many data segments carry the 40 writes?",
          "开启 Nagle 时，40 次写入用了多少个数据报文段？"},
         {"{segments} segments for {bytes} bytes, {avg} bytes each on average.",
          "{segments} 个报文段，共 {bytes} 字节，平均每个 {avg} 字节。"},
         with_nagle},
        {{"With TCP_NODELAY, how many?", "使用 TCP_NODELAY 时是多少个？"},
         {"{segments} segments for {bytes} bytes, {avg} bytes each: a write leaves as soon as the congestion window "
          "lets it, without waiting for an ACK of the data before it; writes still share a segment only when the "
          "window is full.",
          "{segments} 个报文段，共 {bytes} 字节，平均每个 {avg} "
          "字节：只要拥塞窗口允许，写入就立即发出，不必等待前面数据的确认；只有窗口用满时，几次写入才会挤在同一个报文段"
          "里。"},
         without},
        {{"Which segment carries the most writes with Nagle on?", "开启 Nagle 时，哪个报文段合并的写入最多？"},
         {"Frame {frame}: {len} bytes, {writes} writes that waited for an ACK.",
          "第 {frame} 帧：{len} 字节，是等待 ACK 期间积攒的 {writes} 次写入。"},
         biggest},
    },
    check,
};

}  // namespace tcpviz::lab
