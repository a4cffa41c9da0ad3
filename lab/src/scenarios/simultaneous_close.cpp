// simultaneous-close: both sides call shutdown() at the same moment across a
// path with delay, so each FIN leaves before the other's arrives. Both go
// FIN-WAIT-1 -> CLOSING -> TIME-WAIT, instead of one side passing through
// CLOSE-WAIT.
//
// The delay: netem when the kernel has it; otherwise a slow tbf queue on each
// side, which each program fills with a burst of UDP datagrams just before its
// shutdown(), so its FIN waits behind them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

#include <string>

#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr int udp_port = 9;          // the burst's port; each side binds it to absorb the other's burst
constexpr int burst_datagrams = 10;  // 10 x 1000 bytes at 1 Mbit/s: about 80 ms in the queue
constexpr std::size_t datagram = 1000;

void sleep_until(const timespec& when) {
    while (::clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &when, nullptr) != 0) {
    }
}

int udp_bound(const std::string& address) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(udp_port);
    ::inet_pton(AF_INET, address.c_str(), &a.sin_addr);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    return fd;
}

// Fills this side's queue, so that the FIN sent next waits behind the burst.
void fill_queue(int udp, const std::string& peer) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(udp_port);
    ::inet_pton(AF_INET, peer.c_str(), &to.sin_addr);
    const std::string bytes(datagram, 'q');
    for (int i = 0; i < burst_datagrams; ++i) {
        ::sendto(udp, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
}

// One side: wait for the agreed moment, (fill the queue,) shutdown(SHUT_WR),
// read the peer's FIN, close.
int close_at(int fd, const timespec& when, int udp, const std::string& peer, bool fill) {
    sleep_until(when);
    if (fill) fill_queue(udp, peer);
    ::shutdown(fd, SHUT_WR);  // the FIN: both sides call this at the same moment
    read_to_end(fd);
    pause_for(0.3);
    close_fd(fd);
    return 0;
}

void run(Session& s) {
    const Path path = s.net().pair();
    const int port = pick_port(s.root());
    bool netem = s.net().try_run(
        path.client.netns, {"tc", "qdisc", "add", "dev", path.client.interface, "root", "netem", "delay", "50ms"});
    if (netem) {
        s.net().run(path.client.netns, {"tc", "qdisc", "del", "dev", path.client.interface, "root"});
        for (const Host* h : {&path.client, &path.server}) {
            s.net().run(h->netns, {"tc", "qdisc", "add", "dev", h->interface, "root", "netem", "delay", "50ms"});
        }
        s.note({"Delay: netem, 50 ms each way.", "延迟：netem，每个方向 50 毫秒。"});
    } else {
        for (const Host* h : {&path.client, &path.server}) {
            s.net().run(h->netns, {"tc", "qdisc", "add", "dev", h->interface, "root", "tbf", "rate", "1mbit", "burst",
                                   "1600", "limit", "30000"});
        }
        s.note(
            {"Delay: this kernel has no netem; each side sends 10 UDP datagrams of 1000 bytes into its 1 Mbit/s "
             "tbf queue just before its shutdown(), so its FIN waits about 80 ms behind them.",
             "延迟：这个内核没有 netem；双方在调用 shutdown() 之前各向自己 1 Mbit/s 的 tbf 队列发送 10 个 1000 字节的"
             " UDP 数据报，所以各自的 FIN 要在队列里排大约 80 毫秒。"});
    }
    timespec when{};
    ::clock_gettime(CLOCK_REALTIME, &when);
    when.tv_sec += 2;  // both programs shut down at this moment
    const bool fill = !netem;
    Child server = spawn_in(path.server.netns, [&](const ReadyFn& ready) {
        const int udp = udp_bound(path.server.address);
        const int listener = listen_on(path.server.address, port);
        ready("listening");
        return close_at(accept_one(listener), when, udp, path.client.address, fill);
    });
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        const int udp = udp_bound(path.client.address);
        return close_at(connect_to(path.server.address, port), when, udp, path.server.address, fill);
    });
    client.wait(15);
    server.wait(5);
    s.stop_capture();
}

struct Fins {
    const Json* first = nullptr;
    const Json* second = nullptr;  // the other side's FIN
};

Fins fins_in(const Timeline& t) {
    Fins f;
    f.first = find_event(t, 0, [](const Json& e) { return flag(e, "FIN"); });
    if (!f.first) return f;
    const std::string dir = str(*f.first, "dir");
    f.second = find_event(t, 0, [&](const Json& e) { return flag(e, "FIN") && str(e, "dir") != dir; });
    return f;
}

// The FINs crossed when the second one does not acknowledge the first: its
// sender had not yet received it.
bool crossed(const Fins& f) { return f.first && f.second && number(*f.second, "ack") < seq_end(*f.first); }

constexpr Text no_fins{"it does not hold a FIN from each side", "其中没有双方各自的 FIN"};

std::string side(const Json& e, bool zh) { return is_c2s(e) ? (zh ? "客户端" : "client") : (zh ? "服务器" : "server"); }

Answer crossing(const Timeline& t) {
    const Fins f = fins_in(t);
    if (!f.first || !f.second) return cannot(no_fins);
    return answer({{"a", frame(f.first)},
                   {"aside", side(*f.first, false)},
                   {"aside_zh", side(*f.first, true)},
                   {"b", frame(f.second)},
                   {"bside", side(*f.second, false)},
                   {"bside_zh", side(*f.second, true)},
                   {"aend", num(seq_end(*f.first))},
                   {"back", num(number(*f.second, "ack"))},
                   {"verdict", crossed(f) ? "so it was sent before the first FIN arrived: the FINs crossed"
                                          : "so it acknowledges the first FIN: they did not cross"},
                   {"verdict_zh", crossed(f) ? "说明它是在第一个 FIN 到达之前发出的：两个 FIN 在路上交错而过"
                                             : "说明它已经确认了第一个 FIN：两个 FIN 没有交错"}},
                  frame(f.second));
}

Answer states(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    std::string en, zh;
    for (const Json& s : t.connection(0)["states"]) {
        if (number(s, "frame") < 4) continue;
        const bool c = str(s, "side") == "client";
        en += (en.empty() ? "" : "; ") + std::string(c ? "client " : "server ") + str(s, "from") + " -> " +
              str(s, "to") + " (frame " + num(number(s, "frame")) + ")";
        zh += (zh.empty() ? "" : "；") + std::string(c ? "客户端 " : "服务器 ") + str(s, "from") + " → " +
              str(s, "to") + "（第 " + num(number(s, "frame")) + " 帧）";
    }
    if (en.empty()) return cannot(no_fins);
    return answer({{"list", en}, {"list_zh", zh}});
}

Answer ends(const Timeline& t) {
    if (t.connection_count() == 0) return cannot(why::no_connection);
    const Json& f = t.connection(0)["final_states"];
    if (str(f, "client").empty() || str(f, "server").empty()) return cannot(no_fins);
    return answer({{"client", str(f, "client")}, {"server", str(f, "server")}});
}

// Both sides passed through CLOSING (the analyzer's states, from the FINs).
bool both_closing(const Timeline& t) {
    if (t.connection_count() == 0) return false;
    bool c = false, s = false;
    for (const Json& st : t.connection(0)["states"]) {
        if (str(st, "to") != "CLOSING") continue;
        (str(st, "side") == "client" ? c : s) = true;
    }
    return c && s;
}

Verdict check(const Timeline& t) {
    const Fins f = fins_in(t);
    if (crossed(f) && both_closing(t)) {
        return {true,
                {"the FINs crossed (frames {a} and {b}): each side went through CLOSING.",
                 "两个 FIN 交错而过（第 {a} 帧和第 {b} 帧）：双方都经过了 CLOSING 状态。"},
                {{"a", frame(f.first)}, {"b", frame(f.second)}}};
    }
    return {false,
            {"the FINs did not cross: one side received the other's FIN before sending its own. The delay was "
             "too short for the two programs' timing on this machine; run it again.",
             "两个 FIN 没有交错：有一方在发出自己的 FIN 之前已经收到了对方的 FIN。"
             "在这台机器上，延迟不足以盖过两个程序的时间差；请再运行一次。"},
            {}};
}

}  // namespace

extern const Scenario simultaneous_close_scenario{
    "simultaneous-close",
    {"Simultaneous close: two FINs cross", "同时关闭：两个 FIN 交错而过"},
    {"closing a connection: FIN-WAIT-1, CLOSING, TIME-WAIT", "关闭连接：FIN-WAIT-1、CLOSING 与 TIME-WAIT"},
    true,
    {"A client and a server in two namespaces connect, then both call shutdown(SHUT_WR) at the same agreed\n"
     "moment, across a path with a delay, and read until the other's FIN.",
     "客户端和服务器分别在两个命名空间里，建立连接后，在约定的同一时刻都调用 shutdown(SHUT_WR)，\n"
     "中间的路径有延迟；然后各自一直读到对方的 FIN。两个程序谁也不等谁，\n"
     "所以各自的 FIN 都在收到对方的 FIN 之前就已经发出，这就是“同时关闭”。"},
    {"Each FIN leaves before the other's arrives: neither FIN acknowledges the other. Each side, in FIN-WAIT-1,\n"
     "receives a FIN instead of an ACK and goes to CLOSING; when its own FIN is acknowledged, to TIME-WAIT.\n"
     "Both sides end in TIME-WAIT: neither passes through CLOSE-WAIT.",
     "每个 FIN 都在对方的 FIN 到达之前发出：两个 FIN 都没有确认对方。处于 FIN-WAIT-1 的双方收到的\n"
     "不是 ACK 而是 FIN，于是进入 CLOSING；自己的 FIN 被确认后再进入 TIME-WAIT。\n"
     "双方最后都处于 TIME-WAIT，没有一方经过 CLOSE-WAIT。"},
    run,
    nullptr,
    {
        {{"Which frames carry the two FINs, and does the second acknowledge the first?",
          "哪两帧是 FIN？第二个 FIN 确认了第一个吗？"},
         {"Frame {a} from the {aside} (it ends at {aend}) and frame {b} from the {bside}, whose ack is {back}: "
          "{verdict}.",
          "第 {a} 帧来自{aside_zh}（它结束于 {aend}），第 {b} 帧来自{bside_zh}，确认号 {back}：{verdict_zh}。"},
         crossing},
        {{"Which states does each side go through?", "双方各经历了哪些状态？"},
         {"{list}. A side in CLOSING has sent its FIN and received the other's, and waits for the ACK of its own.",
          "{list_zh}。处于 CLOSING 状态的一方已经发出了自己的 FIN，也收到了对方的 FIN，"
          "只差对方确认自己的 FIN；收到这个确认后才进入 TIME-WAIT。普通的四次挥手里，先关闭的一方不会经过这个状态，"
          "后关闭的一方则经过 CLOSE-WAIT 和 LAST-ACK。"},
         states},
        {{"In which state does each side end?", "双方最后各处于什么状态？"},
         {"Client {client}, server {server}: after a simultaneous close both sides wait in TIME-WAIT.",
          "客户端 {client}，服务器 {server}：同时关闭之后，双方都要在 TIME-WAIT 中等待。"},
         ends},
    },
    check,
};

}  // namespace tcpviz::lab
