// congestion-avoidance: above ssthresh the window grows by about one segment
// per round trip (each ACK adds 1/cwnd), read from the kernel's samples.
#include "bulk.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) { run_bulk(s, one_loss_plan()); }

constexpr Text no_avoidance{"its kernel samples show no congestion avoidance after a loss",
                            "其中内核采样没有显示丢包之后的拥塞避免阶段"};

Avoidance avoidance(const Timeline& t) {
    const auto k = sender_samples(t);
    return avoidance_after(k, slow_start_of(k).end);
}

Answer threshold(const Timeline& t) {
    const SlowStart ss = slow_start_of(sender_samples(t));
    if (!ss.end) return cannot(why::no_kernel);
    return answer({{"ssthresh", num(number(*ss.end, "ssthresh", 0))},
                   {"t", num(real(*ss.end, "t", 0), 3)},
                   {"peak", num(ss.peak)}},
                  num(number(*ss.end, "ssthresh", 0)));
}

Answer growth(const Timeline& t) {
    const Avoidance a = avoidance(t);
    if (!a.start || !a.end || a.rtts <= 0) return cannot(no_avoidance);
    const long long from = number(*a.start, "cwnd", 0), to = number(*a.end, "cwnd", 0);
    return answer({{"from", num(from)},
                   {"to", num(to)},
                   {"s", num(real(*a.end, "t", 0) - real(*a.start, "t", 0), 2)},
                   {"rtts", num(a.rtts, 0)},
                   {"per", num((to - from) / a.rtts, 2)}},
                  num(to - from));
}

Answer per_ack(const Timeline& t) {
    const Avoidance a = avoidance(t);
    if (!a.start || !a.end) return cannot(no_avoidance);
    const double t0 = real(*a.start, "t", 0), t1 = real(*a.end, "t", 0);
    const long long acks = static_cast<long long>(find_events(t, 0, [&](const Json& e) {
                                                      return !is_c2s(e) && flag(e, "ACK") && real(e, "t", 0) >= t0 &&
                                                             real(e, "t", 0) <= t1;
                                                  }).size());
    const long long grew = number(*a.end, "cwnd", 0) - number(*a.start, "cwnd", 0);
    if (grew <= 0) return cannot(no_avoidance);
    return answer({{"acks", num(acks)},
                   {"grew", num(grew)},
                   {"per", num(acks / grew)},
                   {"cwnd", num(number(*a.start, "cwnd", 0))}});
}

Verdict check(const Timeline& t) {
    const Avoidance a = avoidance(t);
    const double per = a.rtts > 0 ? (number(*a.end, "cwnd", 0) - number(*a.start, "cwnd", 0)) / a.rtts : 0;
    if (a.start && a.end && a.rtts >= 5 && per > 0.3 && per < 3) {
        return {true,
                {"for {rtts} round trips in ca_state open above ssthresh, cwnd grew {per} segments per round trip.",
                 "在 ssthresh 之上、正常状态的 {rtts} 个往返时间里，cwnd 每个往返时间增加 {per} 个报文段。"},
                {{"rtts", num(a.rtts, 0)}, {"per", num(per, 2)}}};
    }
    return {false,
            {"no stretch of five or more round trips where cwnd grew about one segment per round trip.",
             "没有出现连续五个以上往返时间、cwnd 每个往返时间约增加一个报文段的阶段。"},
            {}};
}

}  // namespace

extern const Scenario congestion_avoidance_scenario{
    "congestion-avoidance",
    {"Congestion avoidance: one more segment per round trip", "拥塞避免：每个往返时间多一个报文段"},
    {"congestion control: congestion avoidance", "拥塞控制：拥塞避免"},
    true,
    {"The same path as slow-start: 3 MB through a 10 Mbit/s bottleneck, one segment dropped once at 150 KB, so\n"
     "that slow start ends early and most of the transfer is spent above ssthresh.",
     "与慢启动实验相同的路径：经过 10 兆比特每秒的瓶颈发送 3 MB，150 KB 处的一个报文段被丢弃一次，\n"
     "这样慢启动很早结束，传输的大部分时间都在 ssthresh 之上。"},
    {"In the kernel's samples after the loss: ca_state open, cwnd above ssthresh, rising by one about every\n"
     "round trip. Each ACK adds only 1/cwnd of a segment, so a whole window of ACKs adds one.",
     "丢包之后的内核采样中：ca_state 为正常状态，cwnd 高于 ssthresh，大约每个往返时间加一。\n"
     "每个 ACK 只增加 1/cwnd 个报文段，所以一整个窗口的 ACK 才增加一个。"},
    run,
    [](const Timeline&) -> std::pair<long long, long long> {
        return {1, 20};
    },
    {
        {{"What ssthresh did the loss leave?", "丢包之后 ssthresh 是多少？"},
         {"{ssthresh} segments from {t} s on, about half the window of {peak} before the loss.",
          "从 {t} 秒起为 {ssthresh} 个报文段，大约是丢包前窗口 {peak} 的一半。"},
         threshold},
        {{"By how many segments does cwnd grow during congestion avoidance, and over how many round trips?",
          "拥塞避免阶段 cwnd 一共增加了多少个报文段？用了多少个往返时间？"},
         {"From {from} to {to} in {s} s, about {rtts} round trips: {per} segments per round trip.",
          "在 {s} 秒内从 {from} 增加到 {to}，大约 {rtts} 个往返时间：每个往返时间 {per} 个报文段。"},
         growth},
        {{"How many ACKs does it take to add one segment?", "需要多少个 ACK 才能让 cwnd 增加一个报文段？"},
         {"{acks} ACKs came back while cwnd grew by {grew}: about {per} ACKs per segment, about one window's worth "
          "(cwnd was {cwnd} at the start).",
          "cwnd 增加 {grew} 期间回来了 {acks} 个 ACK：每增加一个报文段大约需要 {per} 个 ACK，差不多一整个窗口"
          "（开始时 cwnd 为 {cwnd}）。"},
         per_ack},
    },
    check,
};

}  // namespace tcpviz::lab
