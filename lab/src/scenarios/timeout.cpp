// timeout: every segment is dropped for 1.5 s. No duplicate ACK can come, so
// the retransmission timer runs out: ssthresh = half the window, cwnd = 1
// (ca_state Loss), and slow start again up to ssthresh.
#include "bulk.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) { run_bulk(s, blackout_plan()); }

constexpr Text no_loss{"its kernel samples never show ca_state loss", "其中内核采样从未出现丢失状态"};

Answer before(const Timeline& t) {
    const auto k = sender_samples(t);
    const Json* l = first_in_state(k, "loss");
    if (!l) return cannot(k.empty() ? why::no_kernel : no_loss);
    const Json* last = nullptr;
    for (const Json* x : k) {
        if (x == l) break;
        last = x;
    }
    if (!last) return cannot(why::no_kernel);
    return answer({{"cwnd", num(number(*last, "cwnd", 0))},
                   {"last", num(real(*last, "t", 0), 3)},
                   {"t", num(real(*l, "t", 0), 3)},
                   {"state", str(*last, "ca_state")},
                   {"state_zh", ca_state_in(str(*last, "ca_state"), Lang::zh)}},
                  num(number(*last, "cwnd", 0)));
}

Answer after(const Timeline& t) {
    const auto k = sender_samples(t);
    const Json* l = first_in_state(k, "loss");
    if (!l) return cannot(k.empty() ? why::no_kernel : no_loss);
    const Json* rto = find_event(t, 0, [&](const Json& e) {
        return is_c2s(e) && has(e, "retransmission") && !has(e, "fast_retransmission") &&
               real(e, "t", 0) >= real(*l, "t", 0) - 0.05;
    });
    long long before = 0;
    for (const Json* x : k) {
        if (x == l) break;
        before = number(*x, "cwnd", 0);
    }
    return answer({{"cwnd", num(number(*l, "cwnd", 0))},
                   {"ssthresh", num(number(*l, "ssthresh", 0))},
                   {"peak", num(before)},
                   {"frame", frame(rto)},
                   {"t", num(real(*l, "t", 0), 3)}},
                  num(number(*l, "cwnd", 0)));
}

Answer again(const Timeline& t) {
    const auto k = sender_samples(t);
    const Json* l = first_in_state(k, "loss");
    if (!l) return cannot(k.empty() ? why::no_kernel : no_loss);
    std::vector<const Json*> climb;
    bool after = false;
    long long ssthresh = number(*l, "ssthresh", 0);
    for (const Json* x : k) {
        if (x == l) after = true;
        if (!after || (x != l && number(*x, "retransmits", 0) > 0)) continue;
        if (climb.empty() || number(*x, "cwnd", 0) != number(*climb.back(), "cwnd", 0)) climb.push_back(x);
        if (number(*x, "cwnd", 0) > ssthresh || climb.size() >= 8) break;
    }
    if (climb.empty()) return cannot({"the capture ends before the sender recovers", "抓包在发送方恢复之前就结束了"});
    return answer(
        {{"list", cwnd_list(climb, Lang::en)}, {"list_zh", cwnd_list(climb, Lang::zh)}, {"ssthresh", num(ssthresh)}});
}

Verdict check(const Timeline& t) {
    const auto k = sender_samples(t);
    const Json* l = first_in_state(k, "loss");
    const Json* rto = find_event(t, 0, [](const Json& e) { return is_c2s(e) && has(e, "retransmission"); });
    if (l && rto && number(*l, "cwnd", 99) <= 2) {
        return {true,
                {"after the timeout, a kernel sample in ca_state loss with cwnd {cwnd} and ssthresh {ssthresh}.",
                 "超时之后，内核采样处于丢失状态，cwnd 为 {cwnd}，ssthresh 为 {ssthresh}。"},
                {{"cwnd", num(number(*l, "cwnd", 0))}, {"ssthresh", num(number(*l, "ssthresh", 0))}}};
    }
    return {false,
            {"no retransmission followed by a kernel sample in ca_state loss with cwnd at most 2.",
             "没有出现重传之后 cwnd 不超过 2 的丢失状态内核采样。"},
            {}};
}

}  // namespace

extern const Scenario timeout_scenario{
    "timeout",
    {"Retransmission timeout: cwnd back to 1", "超时重传：cwnd 回到 1"},
    {"congestion control: the retransmission timeout", "拥塞控制：超时重传"},
    true,
    {"The client sends 2.5 MB through a 10 Mbit/s bottleneck (one segment at 150 KB is dropped once, so slow start\n"
     "ends early). 1 s in, a firewall rule on the server's side drops every segment for 1.5 s (iptables -I ... -j\n"
     "DROP, then -D). The capture samples the sender's TCP_INFO.",
     "客户端经过 10 兆比特每秒的瓶颈发送 2.5 MB（150 KB 处的一个报文段被丢弃一次，让慢启动早早结束）。开始 1 "
     "秒后，服务器一侧的防火墙规则在 1.5 秒内丢弃所有报文段\n"
     "（用 iptables 先添加、后删除一条丢弃规则）。抓包时采样发送方的 TCP_INFO。"},
    {"Silence: no ACK, so no duplicate ACK either. The retransmission timer runs out; the kernel resends the\n"
     "first unacknowledged segment, sets ssthresh to half the window and cwnd to 1 (ca_state loss), and waits\n"
     "twice as long before each new try. Once segments pass again, slow start climbs back to ssthresh.",
     "一片沉默：没有 ACK，也就没有重复确认。重传定时器到期；内核重发第一个未确认的报文段，\n"
     "把 ssthresh 设为窗口的一半、cwnd 设为 1（ca_state 为丢失状态），每次重试前的等待时间翻倍。\n"
     "报文段重新能通过之后，慢启动再把窗口涨回 ssthresh。"},
    run,
    [](const Timeline& t) -> std::pair<long long, long long> {
        const Json* r = find_event(t, 0, [](const Json& e) {
            return is_c2s(e) && has(e, "retransmission") && !has(e, "fast_retransmission") && real(e, "t", 0) > 0.9;
        });
        const long long at = r ? number(*r, "frame") : 1;
        return {std::max(1LL, at - 4), at + 12};
    },
    {
        {{"How big was cwnd before the silence?", "沉默开始之前 cwnd 有多大？"},
         {"{cwnd} segments in the last sample before it ({last} s, ca_state {state}); the timeout struck at {t} s.",
          "超时前最后一次采样（{last} 秒，ca_state 为{state_zh}）中是 {cwnd} 个报文段；超时发生在 {t} 秒。"},
         before},
        {{"What are cwnd and ssthresh right after the timeout?", "超时刚发生后，cwnd 和 ssthresh 各是多少？"},
         {"cwnd = {cwnd}, ssthresh = {ssthresh} (about half of {peak}), ca_state loss at {t} s; the retransmission by "
          "timeout is frame {frame}.",
          "cwnd = {cwnd}，ssthresh = {ssthresh}（大约是 {peak} 的一半），{t} 秒时 ca_state 为丢失状态；"
          "超时重传的是第 {frame} 帧。"},
         after},
        {{"How does cwnd grow back once segments get through again?", "报文段重新能通过之后，cwnd 怎样恢复？"},
         {"{list}: slow start again from 1, doubling per round trip up to ssthresh = {ssthresh}, then linear.",
          "{list_zh}：从 1 开始重新慢启动，每个往返时间翻倍，直到 ssthresh = {ssthresh}，之后线性增长。"},
         again},
    },
    check,
};

}  // namespace tcpviz::lab
