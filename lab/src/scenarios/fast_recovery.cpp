// fast-recovery: after three duplicate ACKs Reno halves its window instead
// of starting again from one segment: ssthresh = cwnd / 2, and cwnd =
// ssthresh (ca_state Recovery), then congestion avoidance.
#include "bulk.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) { run_bulk(s, one_loss_plan()); }

// ACKs from the server asking for byte `seq` again (the same ack, no data),
// before frame `before`: duplicate ACKs, whether or not Wireshark names them
// so (it does not when the window changed too, as it does while the
// receiver's buffer grows).
std::vector<const Json*> asking_for(const Timeline& t, long long seq, long long before) {
    auto acks = find_events(t, 0, [&](const Json& e) {
        return !is_c2s(e) && flag(e, "ACK") && number(e, "ack") == seq && number(e, "len", 0) == 0 &&
               number(e, "frame") < before;
    });
    if (!acks.empty()) acks.erase(acks.begin());  // the first is the ordinary ACK, the rest repeat it
    return acks;
}

// The fast retransmission: a resent segment that duplicate ACKs had asked for.
const Json* fast(const Timeline& t) {
    return find_event(t, 0, [&](const Json& e) {
        return is_c2s(e) && number(e, "len", 0) > 0 && (has(e, "fast_retransmission") || has(e, "retransmission")) &&
               asking_for(t, number(e, "seq"), number(e, "frame")).size() >= 1;
    });
}

constexpr Text no_recovery{"its kernel samples never show ca_state recovery", "其中内核采样从未出现恢复状态"};

Answer which(const Timeline& t) {
    const Json* f = fast(t);
    if (!f) return cannot({"it holds no fast retransmission", "其中没有快速重传"});
    const auto dups = asking_for(t, number(*f, "seq"), number(*f, "frame"));
    return answer({{"frame", frame(f)},
                   {"seq", num(number(*f, "seq"))},
                   {"dups", num(static_cast<long long>(dups.size()))},
                   {"t", num(real(*f, "t", 0), 3)}},
                  frame(f));
}

Answer in_recovery(const Timeline& t) {
    const auto k = sender_samples(t);
    const Json* r = first_in_state(k, "recovery");
    if (!r) return cannot(k.empty() ? why::no_kernel : no_recovery);
    return answer({{"t", num(real(*r, "t", 0), 3)},
                   {"cwnd", num(number(*r, "cwnd", 0))},
                   {"ssthresh", num(number(*r, "ssthresh", 0))},
                   {"peak", num(peak_cwnd(k, r))}},
                  num(number(*r, "ssthresh", 0)));
}

Answer after(const Timeline& t) {
    const auto k = sender_samples(t);
    const Json* r = first_in_state(k, "recovery");
    if (!r) return cannot(k.empty() ? why::no_kernel : no_recovery);
    const Avoidance a = avoidance_after(k, r);
    if (!a.start || !a.end)
        return cannot({"the transfer ends in it before recovery does", "其中传输在恢复结束之前就结束了"});
    return answer({{"t", num(real(*a.start, "t", 0), 3)},
                   {"cwnd", num(number(*a.start, "cwnd", 0))},
                   {"ssthresh", num(number(*a.start, "ssthresh", 0))},
                   {"to", num(number(*a.end, "cwnd", 0))},
                   {"rtts", num(a.rtts, 0)}},
                  num(number(*a.start, "cwnd", 0)));
}

Verdict check(const Timeline& t) {
    const auto k = sender_samples(t);
    const Json* r = first_in_state(k, "recovery");
    const Json* f = fast(t);
    if (r && f) {
        const long long peak = peak_cwnd(k, r), cwnd = number(*r, "cwnd", 0);
        if (cwnd * 2 >= peak - 2 && cwnd > 2) {
            return {
                true,
                {"after the fast retransmission in frame {frame}, ca_state recovery with cwnd {cwnd}, not below half "
                 "the peak {peak}.",
                 "第 {frame} 帧快速重传之后，ca_state 为恢复状态，cwnd 为 {cwnd}，不低于峰值 {peak} 的一半。"},
                {{"frame", frame(f)}, {"cwnd", num(cwnd)}, {"peak", num(peak)}}};
        }
    }
    return {false,
            {"no fast retransmission with a kernel sample in recovery whose cwnd is at least half its peak.",
             "没有出现快速重传，或者没有 cwnd 不低于峰值一半的恢复状态采样。"},
            {}};
}

}  // namespace

extern const Scenario fast_recovery_scenario{
    "fast-recovery",
    {"Fast recovery: halve the window, do not start over", "快速恢复：窗口减半，而不是从头开始"},
    {"congestion control: fast retransmit and fast recovery", "拥塞控制：快速重传与快速恢复"},
    true,
    {"The client sends 3 MB through a 10 Mbit/s bottleneck; one segment at 150 KB is dropped once. The capture\n"
     "samples the sender's TCP_INFO every 10 ms: cwnd, ssthresh and ca_state (open, disorder, recovery, loss).",
     "客户端经过 10 兆比特每秒的瓶颈发送 3 MB；150 KB 处的一个报文段被丢弃一次。抓包时每 10 毫秒采样一次\n"
     "发送方的 TCP_INFO：cwnd、ssthresh 和 ca_state（正常、乱序、恢复、丢失）。"},
    {"Duplicate ACKs, then the fast retransmission (three is Reno's rule; with SACK blocks saying exactly what\n"
     "is missing, Linux may resend after fewer). The kernel goes into recovery: ssthresh = half the window,\n"
     "cwnd = ssthresh, not 1 -- the ACKs still arriving prove the path works. After the retransmission is\n"
     "acknowledged, cwnd grows again by about one segment per round trip.",
     "先是重复确认，然后是快速重传（经典规则是三个重复确认；SACK 块准确说明缺了什么时，系统可能更早重传）。\n"
     "内核进入恢复状态：ssthresh 设为窗口的一半，cwnd 等于 ssthresh，而不是 1：\n"
     "仍在到达的 ACK 说明路径是通的。重传的报文段被确认之后，cwnd 又开始每个往返时间增加约一个报文段。"},
    run,
    [](const Timeline& t) -> std::pair<long long, long long> {
        const Json* f = fast(t);
        const long long at = f ? number(*f, "frame") : 1;
        return {std::max(1LL, at - 12), at + 4};
    },
    {
        {{"Which frame is the fast retransmission, and how many duplicate ACKs came before it?",
          "哪一帧是快速重传？它之前有几个重复确认？"},
         {"Frame {frame} at {t} s, resending seq={seq}, after {dups} duplicate ACKs.",
          "第 {frame} 帧，时间 {t} 秒，重发序号 {seq}，在它之前有 {dups} 个重复确认。"},
         which},
        {{"What is ssthresh once the kernel is in recovery?", "内核进入恢复状态后，ssthresh 是多少？"},
         {"At {t} s, ca_state recovery: ssthresh = {ssthresh}, about half the peak cwnd {peak}; cwnd is {cwnd}, "
          "not 1.",
          "在 {t} 秒，ca_state 为恢复状态：ssthresh = {ssthresh}，大约是 cwnd 峰值 {peak} 的一半；cwnd 是 {cwnd}，不是 "
          "1。"},
         in_recovery},
        {{"What is cwnd when recovery ends?", "恢复结束时 cwnd 是多少？"},
         {"{cwnd} at {t} s, equal to ssthresh ({ssthresh}); then it grows linearly, to {to} about {rtts} round trips "
          "later.",
          "{t} 秒时为 {cwnd}，等于 ssthresh（{ssthresh}）；之后线性增长，大约 {rtts} 个往返时间后达到 {to}。"},
         after},
    },
    check,
};

}  // namespace tcpviz::lab
