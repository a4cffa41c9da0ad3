// slow-start: the sender's congestion window, from the kernel's own TCP_INFO,
// doubling every round trip until the first loss sets ssthresh; then growing
// by one segment per round trip (congestion avoidance).
#include "bulk.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) { run_bulk(s, one_loss_plan()); }

Answer initial(const Timeline& t) {
    const auto k = sender_samples(t);
    if (k.empty()) return cannot(why::no_kernel);
    return answer({{"cwnd", num(number(*k[0], "cwnd", 0))},
                   {"t", num(real(*k[0], "t", 0), 3)},
                   {"mss", num(number(*k[0], "mss", 0))}},
                  num(number(*k[0], "cwnd", 0)));
}

Answer doubling(const Timeline& t) {
    const SlowStart ss = slow_start_of(sender_samples(t));
    if (ss.steps.size() < 2) return cannot(why::no_kernel);
    return answer(
        {{"list", cwnd_list(ss.steps, Lang::en)}, {"list_zh", cwnd_list(ss.steps, Lang::zh)}, {"peak", num(ss.peak)}});
}

Answer end_of_it(const Timeline& t) {
    const SlowStart ss = slow_start_of(sender_samples(t));
    if (!ss.end)
        return cannot(
            {"slow start never ended in it (no ssthresh in the samples)", "其中慢启动没有结束（采样里没有 ssthresh）"});
    const Json* lost =
        find_event(t, 0, [](const Json& e) { return has(e, "retransmission") || has(e, "fast_retransmission"); });
    return answer({{"t", num(real(*ss.end, "t", 0), 3)},
                   {"ssthresh", num(number(*ss.end, "ssthresh", 0))},
                   {"peak", num(ss.peak)},
                   {"frame", frame(lost)},
                   {"state", str(*ss.end, "ca_state")},
                   {"state_zh", ca_state_in(str(*ss.end, "ca_state"), Lang::zh)}},
                  num(number(*ss.end, "ssthresh", 0)));
}

Answer after_it(const Timeline& t) {
    const auto k = sender_samples(t);
    const SlowStart ss = slow_start_of(k);
    const Avoidance a = avoidance_after(k, ss.end);
    if (!a.start || !a.end)
        return cannot({"no congestion avoidance after slow start in it", "其中慢启动之后没有拥塞避免阶段"});
    return answer({{"from", num(number(*a.start, "cwnd", 0))},
                   {"to", num(number(*a.end, "cwnd", 0))},
                   {"s", num(real(*a.end, "t", 0) - real(*a.start, "t", 0), 2)},
                   {"rtts", num(a.rtts, 0)}});
}

Verdict check(const Timeline& t) {
    const auto k = sender_samples(t);
    const SlowStart ss = slow_start_of(k);
    bool doubled = false;
    for (std::size_t i = 1; i < ss.steps.size(); ++i) {
        doubled = doubled || number(*ss.steps[i], "cwnd", 0) >= 1.6 * number(*ss.steps[i - 1], "cwnd", 0);
    }
    const Avoidance a = avoidance_after(k, ss.end);
    const double per_rtt = a.rtts > 0 ? (number(*a.end, "cwnd", 0) - number(*a.start, "cwnd", 0)) / a.rtts : 0;
    if (doubled && ss.end && per_rtt > 0.3 && per_rtt < 3) {
        return {true,
                {"cwnd grew from {first} to {peak} doubling per round trip; after ssthresh = {ssthresh}, about {slope} "
                 "segment per round trip.",
                 "cwnd 每个往返时间翻倍，从 {first} 增长到 {peak}；ssthresh = {ssthresh} 之后，每个往返时间约增加 "
                 "{slope} 个报文段。"},
                {{"first", num(number(*k[0], "cwnd", 0))},
                 {"peak", num(ss.peak)},
                 {"ssthresh", num(number(*ss.end, "ssthresh", 0))},
                 {"slope", num(per_rtt, 1)}}};
    }
    return {false,
            {"the kernel's cwnd did not double per round trip and then grow about one segment per round trip.",
             "内核的 cwnd 没有先每个往返时间翻倍、再每个往返时间增加约一个报文段。"},
            {}};
}

}  // namespace

extern const Scenario slow_start_scenario{
    "slow-start",
    {"Slow start: the congestion window doubles every round trip", "慢启动：拥塞窗口每个往返时间翻倍"},
    {"congestion control: slow start", "拥塞控制：慢启动"},
    true,
    {"The client sends 3 MB to the server through a router whose way to the server is a 10 Mbit/s bottleneck\n"
     "with a queue. One segment at 150 KB is dropped once, in the middle of slow start. The capture samples the\n"
     "sender's TCP_INFO every 10 ms: its congestion window (cwnd, in segments), ssthresh and ca_state.",
     "客户端经过一个路由器向服务器发送 3 MB，路由器通往服务器的一侧是带队列的 10 兆比特每秒瓶颈。\n"
     "150 KB 处的一个报文段被丢弃一次，正好在慢启动途中。抓包时每 10 毫秒采样一次发送方的 TCP_INFO：\n"
     "拥塞窗口（cwnd，单位是报文段）、ssthresh 和 ca_state。"},
    {"The kernel's cwnd starts at 10 and about doubles each round trip: every ACK lets one more segment out.\n"
     "The loss ends slow start: ssthresh becomes half the window, and from there cwnd grows by about one\n"
     "segment per round trip. Open the timeline in the web page to see the cwnd curve beside the segments.",
     "内核的 cwnd 从 10 开始，大约每个往返时间翻一倍：每收到一个 ACK 就可以多发一个报文段。\n"
     "丢包结束了慢启动：ssthresh 变为窗口的一半，之后 cwnd 每个往返时间只增加约一个报文段。\n"
     "在网页中打开时间线，可以看到 cwnd 曲线和报文段并排显示。"},
    run,
    [](const Timeline&) -> std::pair<long long, long long> {
        return {1, 40};
    },
    {
        {{"How big is the sender's congestion window when the transfer starts?",
          "传输开始时，发送方的拥塞窗口有多大？"},
         {"{cwnd} segments of {mss} bytes (sample at {t} s): Linux's initial window (RFC 6928).",
          "{cwnd} 个报文段，每个 {mss} 字节（{t} 秒的采样）：这是系统的初始窗口（RFC 6928）。"},
         initial},
        {{"What is cwnd about one round trip after another, until slow start ends?",
          "在慢启动结束之前，每隔大约一个往返时间，cwnd 是多少？"},
         {"{list}: about twice as big each round trip, up to {peak}.",
          "{list_zh}：每个往返时间大约翻一倍，最高到 {peak}。"},
         doubling},
        {{"When does slow start end, and what is ssthresh then?", "慢启动什么时候结束？那时 ssthresh 是多少？"},
         {"At {t} s: the segment dropped on purpose was missed (first resent in frame {frame}), ca_state became "
          "{state}, "
          "and ssthresh = {ssthresh}, about half the peak window of {peak}.",
          "在 {t} 秒：故意丢弃的报文段被发现丢失（第 {frame} 帧第一次重传），ca_state 变为{state_zh}，"
          "ssthresh = {ssthresh}，大约是最大窗口 {peak} 的一半。"},
         end_of_it},
        {{"How does cwnd grow after that?", "之后 cwnd 怎样增长？"},
         {"From {from} to {to} in {s} s, about {rtts} round trips: about one segment per round trip (congestion "
          "avoidance), not doubling.",
          "在 {s} 秒内从 {from} 增长到 {to}，大约 {rtts} "
          "个往返时间：每个往返时间约加一个报文段（拥塞避免），不再翻倍。"},
         after_it},
    },
    check,
};

}  // namespace tcpviz::lab
