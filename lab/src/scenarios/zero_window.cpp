// zero-window: flow control. A receiver with a small buffer stops reading;
// its window falls to 0, the sender stops and probes, and the window update
// after the reader resumes restarts the transfer.
#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr int receive_buffer = 4096;  // SO_RCVBUF: a window of a few KB
constexpr std::size_t bytes = 60000;
constexpr double stop_reading_s = 2.5;  // the reader's pause

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    Child server = spawn_in(path.server.netns, [&](const ReadyFn& ready) {
        SocketKnobs knobs;
        knobs.rcvbuf = receive_buffer;
        const int listener = listen_on(path.server.address, port, knobs);
        ready("listening");
        const int fd = accept_one(listener);
        pause_for(stop_reading_s);  // the application does not call recv(): the buffer fills
        read_to_end(fd);
        close_fd(fd);
        return 0;
    });
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_sender(path.client, path.server, port, bytes);
    client.wait(20);
    server.wait(5);
    s.stop_capture();
}

const Json* zero(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return has(e, "zero_window"); });
}
const Json* update_after(const Timeline& t, const Json* z) {
    if (!z) return nullptr;
    const std::string dir = str(*z, "dir");
    return find_event(t, 0, [&](const Json& e) {
        return has(e, "window_update") && str(e, "dir") == dir && number(e, "frame") > number(*z, "frame");
    });
}
constexpr Text no_zero{"it holds no zero window", "其中没有零窗口"};
constexpr Text no_update{"the window never opens again in it", "其中窗口没有再次打开"};

Answer first_window(const Timeline& t) {
    const Json* z = zero(t);
    const std::string dir = z ? str(*z, "dir") : "s2c";
    const Json* syn = find_event(t, 0, [&](const Json& e) { return flag(e, "SYN") && str(e, "dir") == dir; });
    if (!syn) return cannot(why::no_syn);
    return answer({{"win", num(number(*syn, "win"))}, {"frame", frame(syn)}}, num(number(*syn, "win")));
}

Answer when_zero(const Timeline& t) {
    const Json* z = zero(t);
    if (!z) return cannot(no_zero);
    const Json* full = find_event(t, 0, [&](const Json& e) {
        return has(e, "window_full") && str(e, "dir") != str(*z, "dir") && number(e, "frame") < number(*z, "frame");
    });
    return answer({{"frame", frame(z)}, {"full", frame(full)}, {"t", num(real(*z, "t", 0), 3)}}, frame(z));
}

Answer probes(const Timeline& t) {
    const Json* z = zero(t);
    const Json* u = update_after(t, z);
    if (!z) return cannot(no_zero);
    if (!u) return cannot(no_update);
    const auto between = find_events(t, 0, [&](const Json& e) {
        return str(e, "dir") != str(*z, "dir") && number(e, "frame") > number(*z, "frame") &&
               number(e, "frame") < number(*u, "frame");
    });
    long long new_bytes = 0, n = 0;
    std::string times;
    for (const Json* e : between) {
        if (has(*e, "zero_window_probe") || has(*e, "keep_alive")) {
            ++n;
            times += (times.empty() ? "" : ", ") + num(real(*e, "t", 0), 3);
        } else if (!has(*e, "retransmission")) {
            new_bytes += number(*e, "len", 0);
        }
    }
    if (times.empty()) times = "-";
    return answer({{"n", num(n)}, {"times", times}, {"bytes", num(new_bytes)}}, num(n));
}

Answer restart(const Timeline& t) {
    const Json* z = zero(t);
    const Json* u = update_after(t, z);
    if (!z) return cannot(no_zero);
    if (!u) return cannot(no_update);
    return answer({{"frame", frame(u)}, {"win", num(number(*u, "win"))}, {"s", num(ms_between(*z, *u) / 1000, 3)}},
                  num(number(*u, "win")));
}

Verdict check(const Timeline& t) {
    const Json* z = zero(t);
    const Json* u = update_after(t, z);
    if (z && u) {
        return {true,
                {"the window fell to 0 in frame {z} and opened again in frame {u}.",
                 "窗口在第 {z} 帧降为 0，在第 {u} 帧重新打开。"},
                {{"z", frame(z)}, {"u", frame(u)}}};
    }
    return {false, {"no zero window followed by a window update.", "没有出现零窗口以及随后的窗口更新。"}, {}};
}

}  // namespace

extern const Scenario zero_window_scenario{
    "zero-window",
    {"Flow control: the zero window", "流量控制：零窗口"},
    {"flow control and the receive window", "流量控制与接收窗口"},
    false,
    {"The server sets a 4 KB receive buffer (SO_RCVBUF) and does not call recv() for 2.5 s, while the client\n"
     "sends 60000 bytes. Then the server reads everything.",
     "服务器把接收缓冲区设为 4 KB（SO_RCVBUF），并且 2.5 秒内不调用 recv()，而客户端要发送 60000 字节。\n"
     "之后服务器把数据全部读完。"},
    {"Watch the server's win=: it shrinks as the buffer fills, reaches 0 (zero_window), and the client stops.\n"
     "While the window is 0 the client only sends zero-window probes, waiting longer each time; the window update\n"
     "after the server reads restarts the data at once.",
     "注意服务器的 win=：缓冲区填满时它不断变小，直到 0（零窗口），客户端随即停止发送。\n"
     "窗口为 0 期间，客户端只发送零窗口探测报文，而且间隔越来越长；服务器读取数据后发出窗口更新，数据立即恢复发送。"},
    run,
    [](const Timeline& t) -> std::pair<long long, long long> {
        const Json* z = zero(t);
        const long long f = z ? number(*z, "frame") : 1;
        return {std::max(1LL, f - 8), f + 16};
    },
    {
        {{"How many bytes may the client send before it hears from the server again, right after the handshake?",
          "握手刚结束时，客户端在收到服务器下一个报文之前，最多可以发送多少字节？"},
         {"{win} bytes: the window in the server's SYN-ACK (frame {frame}), the room in its receive buffer.",
          "{win} 字节：这是服务器 SYN-ACK（第 {frame} 帧）中的窗口，也就是它接收缓冲区的剩余空间。"},
         first_window},
        {{"In which frame does the server's window reach 0?", "服务器的窗口在第几帧降为 0？"},
         {"Frame {frame}, at {t} s (zero_window); frame {full} had filled the window exactly (window_full).",
          "第 {frame} 帧，时间 {t} 秒（零窗口）；第 {full} 帧恰好把窗口填满（窗口已满）。"},
         when_zero},
        {{"While the window is 0, how many probes does the client send, and how much new data?",
          "窗口为 0 期间，客户端发了几个探测报文？发了多少新数据？"},
         {"{n} zero-window probes, at {times} s, each waiting about twice as long as the one before; {bytes} bytes "
          "of new data. (Wireshark flags some of these probes keep_alive; they are probes of the window.)",
          "{n} 个零窗口探测，时间分别是 {times} 秒，每次等待约为前一次的两倍；新数据 {bytes} 字节。"
          "（抓包工具会把其中一些探测标为保活报文，实际上它们是在探测窗口。）"},
         probes},
        {{"What window does the update that restarts the transfer announce?",
          "重新启动传输的窗口更新通告的窗口是多少？"},
         {"win={win} in frame {frame}, {s} s after the zero window: the server read, so its buffer has room again.",
          "第 {frame} 帧，窗口为 {win}，距零窗口 {s} 秒：服务器读取了数据，缓冲区又有了空间。"},
         restart},
    },
    check,
};

}  // namespace tcpviz::lab
