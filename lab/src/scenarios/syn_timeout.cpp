// syn-timeout: the server's SYNs are dropped, so the client's kernel sends
// its SYN again and again, waiting twice as long each time (exponential
// backoff), until connect() gives up.
#include <cerrno>

#include "common.h"

namespace tcpviz::lab {
namespace {

constexpr int syn_retries = 3;  // SYNs after the first: at 1, 3 and 7 s

void run(Session& s) {
    const Path path = s.net().pair();
    const int port = 5001;
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    // Every SYN to the port dies on arrival: the server never hears of it.
    s.net().run(path.server.netns,
                {"iptables", "-A", "INPUT", "-p", "tcp", "--dport", std::to_string(port), "--syn", "-j", "DROP"});
    s.net().sysctl(path.client.netns, "net.ipv4.tcp_syn_retries", std::to_string(syn_retries));
    // Linux 6.7 and later retry the first SYNs after a fixed 1 s (tcp_syn_linear_timeouts,
    // 4 by default) before backing off; 0 gives the classic doubling from the first retry.
    if (s.net().try_run(path.client.netns, {"sysctl", "-q", "-w", "net.ipv4.tcp_syn_linear_timeouts=0"})) {
        s.note({"This kernel first retries SYNs at fixed 1 s intervals (tcp_syn_linear_timeouts); the lab set it to 0.",
                "这个内核默认先以固定的 1 秒间隔重发 SYN（tcp_syn_linear_timeouts）；本实验把它设为 0。"});
    }
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        int error = 0;
        connect_to(path.server.address, port, {}, 7.5, &error);  // gives up after 7.5 s
        return error == ETIMEDOUT ? 0 : 1;
    });
    client.wait(15);
    s.stop_capture();
}

std::vector<const Json*> syns(const Timeline& t) {
    return find_events(t, 0, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
}

Answer how_many(const Timeline& t) {
    const auto s = syns(t);
    if (s.empty()) return cannot(why::no_syn);
    bool same = true;
    for (const Json* e : s) same = same && number(*e, "seq_raw") == number(*s[0], "seq_raw");
    return answer({{"n", num(static_cast<long long>(s.size()))},
                   {"isn", num(number(*s[0], "seq_raw"))},
                   {"same", same ? "the same ISN" : "different ISNs"},
                   {"same_zh", same ? "初始序号都相同" : "初始序号并不相同"}},
                  num(static_cast<long long>(s.size())));
}

Answer gaps(const Timeline& t) {
    const auto s = syns(t);
    if (s.size() < 2) return cannot({"it holds fewer than two SYNs of one connection", "其中同一连接的 SYN 不到两个"});
    std::string list_en, list_zh;
    for (std::size_t i = 1; i < s.size(); ++i) {
        const std::string gap = num(ms_between(*s[i - 1], *s[i]) / 1000.0, 3);
        list_en +=
            (i > 1 ? ", " : "") + std::string("frame ") + frame(s[i - 1]) + " to " + frame(s[i]) + ": " + gap + " s";
        list_zh += (i > 1 ? "，" : "") + std::string("第 ") + frame(s[i - 1]) + " 帧到第 " + frame(s[i]) + " 帧：" +
                   gap + " 秒";
    }
    const double last = ms_between(*s[s.size() - 2], *s.back()) / 1000.0;
    return answer({{"list", list_en}, {"list_zh", list_zh}, {"last", num(last, 3)}}, num(last, 1));
}

Answer total(const Timeline& t) {
    const auto s = syns(t);
    if (s.size() < 2) return cannot({"it holds fewer than two SYNs of one connection", "其中同一连接的 SYN 不到两个"});
    const bool answered = find_event(t, 0, [](const Json& e) { return !is_c2s(e); }) != nullptr;
    return answer({{"s", num(ms_between(*s[0], *s.back()) / 1000.0, 3)},
                   {"reply", answered ? "the server answered at last" : "the server never answered"},
                   {"reply_zh", answered ? "服务器最后还是回答了" : "服务器始终没有回答"}});
}

Verdict check(const Timeline& t) {
    const auto s = syns(t);
    bool growing = s.size() >= 3;
    for (std::size_t i = 2; i < s.size() && growing; ++i) {
        growing = ms_between(*s[i - 1], *s[i]) > 1.5 * ms_between(*s[i - 2], *s[i - 1]);
    }
    if (growing) {
        return {true,
                {"{n} SYNs, each gap about twice the one before.", "共 {n} 个 SYN，每次间隔大约是前一次的两倍。"},
                {{"n", num(static_cast<long long>(s.size()))}}};
    }
    return {false,
            {"not three or more SYNs each waiting about twice as long as the one before ({n} SYNs).",
             "没有出现三个以上、每次等待约为前一次两倍的 SYN（共 {n} 个 SYN）。"},
            {{"n", num(static_cast<long long>(s.size()))}}};
}

}  // namespace

extern const Scenario syn_timeout_scenario{
    "syn-timeout",
    {"SYN timeout: retransmitted SYNs and exponential backoff", "SYN 超时：重传的 SYN 与指数退避"},
    {"the handshake that gets no answer", "得不到回答的握手"},
    true,
    {"A server listens, but a firewall rule on its side drops every SYN. The client calls connect() with a\n"
     "7.5 s limit; its kernel may send the SYN again 3 times (net.ipv4.tcp_syn_retries = 3).",
     "服务器在监听，但它那一侧的防火墙规则丢弃所有 SYN。客户端调用 connect()，最多等 7.5 秒；\n"
     "它的内核最多再重发 3 次 SYN（net.ipv4.tcp_syn_retries = 3）。"},
    {"Only SYNs, all with the same ISN (the same connection attempt): the kernel waits 1 s for a SYN-ACK, then\n"
     "twice as long before each new try. connect() fails with ETIMEDOUT.",
     "只有 SYN，而且初始序号都相同（同一次连接尝试）：内核先等 1 秒，之后每次重试前的等待时间都翻倍。\n"
     "最终 connect() 返回错误 ETIMEDOUT。"},
    run,
    nullptr,
    {
        {{"How many SYNs did the client send, and with which ISN?", "客户端一共发了几个 SYN？初始序号是多少？"},
         {"{n} SYNs, {same} ({isn}): each is the same SYN sent again.",
          "{n} 个 SYN，{same_zh}（{isn}）：每一个都是同一个 SYN 的重发。"},
         how_many},
        {{"How long did the kernel wait before each new SYN (in seconds)?", "每次重发 SYN 之前，内核等了多久（秒）？"},
         {"{list}: the wait doubles each time (exponential backoff); the last was {last} s.",
          "{list_zh}：每次等待都翻倍（指数退避）；最后一次是 {last} 秒。"},
         gaps},
        {{"How long did the attempt last in the capture, and did anyone answer?",
          "抓包中这次连接尝试持续了多久？有没有人回答？"},
         {"{s} s from the first SYN to the last, and {reply}. connect() gave up with ETIMEDOUT.",
          "从第一个 SYN 到最后一个共 {s} 秒，{reply_zh}。connect() 最终放弃，返回 ETIMEDOUT。"},
         total},
    },
    check,
};

}  // namespace tcpviz::lab
