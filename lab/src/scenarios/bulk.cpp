#include "bulk.h"

#include <sys/socket.h>

namespace tcpviz::lab {
namespace {

constexpr int port = 5001;

std::vector<std::string> drop_once(const std::string& marker) {
    // The nth match counts only segments that carried the marker; --packet 0 fires on the first.
    return {"iptables",  "-A",     "INPUT",    "-p",      "tcp",     "--dport",  std::to_string(port),
            "-m",        "string", "--string", marker,    "--algo",  "bm",       "-m",
            "statistic", "--mode", "nth",      "--every", "1000000", "--packet", "0",
            "-j",        "DROP"};
}

}  // namespace

void run_bulk(Session& s, const BulkPlan& plan) {
    Bottleneck bottleneck;
    const Path path = s.net().routed(bottleneck);
    if (path.netem) {
        s.note({"Delay: netem, {ms} ms on the way back. Bottleneck: tbf, {rate} kbit/s, a {queue}-byte queue.",
                "时延：netem，回程 {ms} 毫秒。瓶颈：tbf，{rate} 千比特每秒，队列 {queue} 字节。"},
               {{"ms", num(bottleneck.delay_ms)},
                {"rate", num(bottleneck.rate_kbit)},
                {"queue", num(bottleneck.queue_bytes)}});
    } else {
        s.note({"Delay: this kernel has no netem (the tc command above failed), so the only delay is the bottleneck's\n"
                "  queue: tbf, {rate} kbit/s, a {queue}-byte queue. The round trip grows as the queue fills.",
                "时延：这个内核没有 netem（上面的 tc 命令失败了），所以唯一的时延来自瓶颈的队列：\n"
                "  tbf，{rate} 千比特每秒，队列 {queue} 字节。队列越满，往返时间越长。"},
               {{"rate", num(bottleneck.rate_kbit)}, {"queue", num(bottleneck.queue_bytes)}});
    }
    if (!plan.marker.empty()) s.net().run(path.server.netns, drop_once(plan.marker));
    // Classic loss detection, as the course teaches it: three duplicate ACKs
    // (RACK, Linux's time-based detection, off).
    s.net().sysctl(path.client.netns, "net.ipv4.tcp_recovery", "0");
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    s.start_capture(path, port);
    const std::string cc = s.cc();
    Child client = spawn_in(path.client.netns, [&](const ReadyFn& ready) {
        SocketKnobs knobs;
        knobs.cc = cc;  // TCP_CONGESTION on this socket only
        const int fd = connect_to(path.server.address, port, knobs);
        ready(congestion_of(fd));
        const bool ok = send_pattern(fd, plan.bytes, plan.marker, plan.marker_at);
        ::shutdown(fd, SHUT_WR);
        read_to_end(fd);
        close_fd(fd);
        return ok ? 0 : 1;
    });
    const std::string pinned = client.wait_ready(10);
    s.note({"Congestion control: {cc}, pinned on the sender's socket with setsockopt(TCP_CONGESTION); the kernel "
            "confirms {pinned}.",
            "拥塞控制算法：{cc}，用 setsockopt(TCP_CONGESTION) 固定在发送方的套接字上；内核确认为 {pinned}。"},
           {{"cc", cc}, {"pinned", pinned}});
    if (plan.blackout_at >= 0) {
        pause_for(plan.blackout_at);
        const std::vector<std::string> rule{"INPUT", "-p", "tcp", "--dport", std::to_string(port), "-j", "DROP"};
        std::vector<std::string> add{"iptables", "-I"}, del{"iptables", "-D"};
        add.insert(add.end(), rule.begin(), rule.end());
        del.insert(del.end(), rule.begin(), rule.end());
        s.net().run(path.server.netns, add);
        pause_for(plan.blackout_s);
        s.net().run(path.server.netns, del);
    }
    if (client.wait(60) != 0) throw std::runtime_error("the bulk sender failed");
    server.wait(10);
    s.stop_capture();
}

std::vector<const Json*> sender_samples(const Timeline& t) {
    return t.connection_count() ? t.kernel(0, "client") : std::vector<const Json*>{};
}

const Json* first_in_state(const std::vector<const Json*>& samples, const std::string& state) {
    for (const Json* s : samples) {
        if (str(*s, "ca_state") == state) return s;
    }
    return nullptr;
}

long long peak_cwnd(const std::vector<const Json*>& samples, const Json* until) {
    long long peak = 0;
    for (const Json* s : samples) {
        if (s == until) break;
        peak = std::max(peak, number(*s, "cwnd", 0));
    }
    return peak;
}

}  // namespace tcpviz::lab

namespace tcpviz::lab {

BulkPlan one_loss_plan() {
    BulkPlan plan;
    plan.marker = "LABDROPONCEINSLOWSTART";
    plan.marker_at = 150000;
    return plan;
}

BulkPlan blackout_plan() {
    BulkPlan plan;
    // Slow start ends early (one marked segment dropped), so that the queue never
    // overflows and the only timeout is the blackout's.
    plan.marker = "LABDROPONCEBEFOREBLACKOUT";
    plan.marker_at = 150000;
    plan.blackout_at = 1.0;
    plan.blackout_s = 1.5;
    plan.bytes = 2500000;
    return plan;
}

SlowStart slow_start_of(const std::vector<const Json*>& samples) {
    SlowStart s;
    for (const Json* x : samples) {
        if (!(*x)["ssthresh"].is_null()) {
            s.end = x;
            break;
        }
        s.peak = std::max(s.peak, number(*x, "cwnd", 0));
        const double rtt = std::max(0.001, real(*x, "rtt_us", 1000) / 1e6);
        if (s.steps.empty() || real(*x, "t", 0) >= real(*s.steps.back(), "t", 0) + rtt) s.steps.push_back(x);
    }
    return s;
}

Avoidance avoidance_after(const std::vector<const Json*>& samples, const Json* from) {
    Avoidance a;
    bool after = false;
    double rtt_sum = 0;
    int rtt_n = 0;
    for (const Json* x : samples) {
        if (x == from) after = true;
        if (!after) continue;
        const std::string state = str(*x, "ca_state");
        if (!a.start) {
            if (state == "open") a.start = x;
            continue;
        }
        if (state != "open") break;
        a.end = x;
        rtt_sum += real(*x, "rtt_us", 0);
        ++rtt_n;
    }
    if (a.start && a.end && rtt_n > 0)
        a.rtts = (real(*a.end, "t", 0) - real(*a.start, "t", 0)) / (rtt_sum / rtt_n / 1e6);
    return a;
}

std::string ca_state_in(const std::string& state, Lang lang) {
    if (lang == Lang::en) return state;
    static const std::pair<const char*, const char*> names[] = {{"open", "正常状态"},
                                                                {"disorder", "乱序状态"},
                                                                {"cwr", "拥塞窗口缩减状态"},
                                                                {"recovery", "恢复状态"},
                                                                {"loss", "丢失状态"}};
    for (const auto& [en, zh] : names) {
        if (state == en) return zh;
    }
    return "未知状态";
}

std::string cwnd_list(const std::vector<const Json*>& samples, Lang lang) {
    std::string text;
    for (const Json* x : samples) {
        if (!text.empty()) text += lang == Lang::zh ? "，" : ", ";
        text += num(real(*x, "t", 0), 3) + (lang == Lang::zh ? " 秒：" : " s: ") + num(number(*x, "cwnd", 0));
    }
    return text;
}

}  // namespace tcpviz::lab
