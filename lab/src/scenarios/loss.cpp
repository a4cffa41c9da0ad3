// loss: a retransmission by timeout, seen in the packets. A writer sends a
// little every 50 ms; for 2.5 s every segment is dropped, so the first
// unacknowledged one is resent each time the timer runs out, the timer
// doubling each time (exponential backoff). The timer does not depend on
// the congestion control, but what is sent around the silence does, so the
// writer's socket pins it (reno unless --cc says otherwise), as the
// congestion labs do, rather than taking the host's default.
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr int port = 5001;

void run(Session& s) {
    const Path path = s.net().pair();
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    s.start_capture(path, port);
    const std::string cc = s.cc();
    Child client = spawn_in(path.client.netns, [&](const ReadyFn& ready) {
        SocketKnobs knobs;
        knobs.cc = cc;  // TCP_CONGESTION on this socket only
        const int fd = connect_to(path.server.address, port, knobs);
        ready(congestion_of(fd));
        const std::string line(1000, 'x');
        for (int i = 0; i < 80; ++i) {  // 4 s of writes
            if (!send_all(fd, line.data(), line.size())) return 1;
            ::usleep(50000);
        }
        ::shutdown(fd, SHUT_WR);
        read_to_end(fd);
        close_fd(fd);
        return 0;
    });
    const std::string pinned = client.wait_ready(5);
    s.note({"Congestion control: {cc}, pinned on the client's socket with setsockopt(TCP_CONGESTION); the kernel "
            "confirms {pinned}.",
            "拥塞控制算法：{cc}，用 setsockopt(TCP_CONGESTION) 固定在客户端的套接字上；内核确认为 {pinned}。"},
           {{"cc", cc}, {"pinned", pinned}});
    pause_for(1.0);
    const std::vector<std::string> rule{"INPUT", "-p", "tcp", "--dport", std::to_string(port), "-j", "DROP"};
    std::vector<std::string> add{"iptables", "-I"}, del{"iptables", "-D"};
    add.insert(add.end(), rule.begin(), rule.end());
    del.insert(del.end(), rule.begin(), rule.end());
    s.net().run(path.server.netns, add);
    pause_for(2.5);
    s.net().run(path.server.netns, del);
    if (client.wait(60) != 0) throw std::runtime_error("the writer failed");
    server.wait(10);
    s.stop_capture();
}

// The segment resent most often and every sending of it.
std::vector<const Json*> sendings(const Timeline& t) {
    const auto resent = find_events(
        t, 0, [](const Json& e) { return is_c2s(e) && has(e, "retransmission") && number(e, "len", 0) > 0; });
    std::vector<const Json*> best;
    for (const Json* r : resent) {
        auto same = find_events(t, 0, [&](const Json& e) {
            return is_c2s(e) && number(e, "seq") == number(*r, "seq") && number(e, "len", 0) > 0;
        });
        if (same.size() > best.size()) best = same;
    }
    return best;
}

constexpr Text no_rto{"it holds no segment sent more than twice", "其中没有发送超过两次的报文段"};

Answer which(const Timeline& t) {
    const auto s = sendings(t);
    if (s.size() < 3) return cannot(no_rto);
    return answer(
        {{"seq", num(number(*s[0], "seq"))}, {"first", frame(s[0])}, {"n", num(static_cast<long long>(s.size() - 1))}},
        num(static_cast<long long>(s.size() - 1)));
}

Answer gaps(const Timeline& t) {
    const auto s = sendings(t);
    if (s.size() < 3) return cannot(no_rto);
    std::string en, zh;
    for (std::size_t i = 2; i < s.size(); ++i) {
        const std::string gap = num(ms_between(*s[i - 1], *s[i]), 0);
        en += (en.empty() ? "" : ", ") + std::string("frame ") + frame(s[i - 1]) + " to " + frame(s[i]) + ": " + gap +
              " ms";
        zh += (zh.empty() ? "" : "，") + std::string("第 ") + frame(s[i - 1]) + " 帧到第 " + frame(s[i]) + " 帧：" +
              gap + " 毫秒";
    }
    return answer({{"list", en}, {"list_zh", zh}, {"first", num(ms_between(*s[1], *s[2]), 0)}},
                  num(ms_between(*s[1], *s[2]), 0));
}

Answer dups(const Timeline& t) {
    const auto s = sendings(t);
    if (s.size() < 3) return cannot(no_rto);
    const long long d = static_cast<long long>(find_events(t, 0, [&](const Json& e) {
                                                   return !is_c2s(e) && has(e, "duplicate_ack") &&
                                                          real(e, "t", 0) > real(*s[0], "t", 0) &&
                                                          real(e, "t", 0) < real(*s.back(), "t", 0);
                                               }).size());
    return answer({{"n", num(d)}}, num(d));
}

Verdict check(const Timeline& t) {
    const auto s = sendings(t);
    bool doubling = s.size() >= 4;
    for (std::size_t i = 3; i < s.size() && doubling; ++i) {
        doubling = ms_between(*s[i - 1], *s[i]) > 1.5 * ms_between(*s[i - 2], *s[i - 1]);
    }
    if (doubling && has(*s[1], "retransmission")) {
        return {true,
                {"the segment at seq={seq} was resent {n} times, each wait about twice the one before.",
                 "序号 {seq} 的报文段被重发了 {n} 次，每次等待约为前一次的两倍。"},
                {{"seq", num(number(*s[0], "seq"))}, {"n", num(static_cast<long long>(s.size() - 1))}}};
    }
    return {false,
            {"no segment resent three or more times with the wait doubling.",
             "没有出现重发三次以上、等待时间不断翻倍的报文段。"},
            {}};
}

}  // namespace

extern const Scenario loss_scenario{
    "loss",
    {"Loss: retransmission by timeout, the timer doubling", "丢包：超时重传，定时器加倍"},
    {"reliable delivery: the retransmission timer", "可靠传输：重传定时器"},
    true,
    {"The client writes 1000 bytes every 50 ms for 4 s. From 1 s to 3.5 s a firewall rule on the server's side\n"
     "drops every segment.",
     "客户端在 4 秒内每 50 毫秒写入 1000 字节。从第 1 秒到第 3.5 秒，服务器一侧的防火墙规则丢弃所有报文段。"},
    {"During the silence the client resends the first unacknowledged segment each time its retransmission\n"
     "timer (RTO) runs out, and doubles the timer every time: 200 ms, 400 ms, 800 ms ... Once the rule is gone,\n"
     "one retransmission gets through and its ACK covers everything.",
     "沉默期间，每当重传定时器（RTO）到期，客户端就重发第一个未确认的报文段，并且每次把定时器加倍：\n"
     "200 毫秒、400 毫秒、800 毫秒……规则删除之后，一次重传终于到达，它的 ACK 确认了全部数据。"},
    run,
    [](const Timeline& t) -> std::pair<long long, long long> {
        const auto s = sendings(t);
        const long long at = s.size() > 1 ? number(*s[1], "frame") : 1;
        return {std::max(1LL, at - 6), at + 30};
    },
    {
        {{"Which segment is sent again and again, and how many times is it resent?",
          "哪个报文段被一再重发？一共重发了几次？"},
         {"seq={seq}, first sent in frame {first}, resent {n} times.",
          "序号 {seq}，最初在第 {first} 帧发出，重发了 {n} 次。"},
         which},
        {{"How long does the timer wait between retransmissions (ms)?", "两次重传之间定时器等了多久（毫秒）？"},
         {"{list}: each wait about twice the one before (exponential backoff).",
          "{list_zh}：每次等待约为前一次的两倍（指数退避）。"},
         gaps},
        {{"How many duplicate ACKs could warn the client during the silence?", "沉默期间有几个重复确认能提醒客户端？"},
         {"{n}: nothing arrives at the server, so nothing comes back; only the timer can notice the loss.",
          "{n} 个：服务器什么也收不到，也就什么都不会回来；只有定时器能发现丢包。"},
         dups},
    },
    check,
};

}  // namespace tcpviz::lab
