#include "demo_outputs.h"
#include "command_error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "html_report.h"
#include "tcpviz/analysis_flags.h"
#include "tcpviz/capture_file_reader.h"
#include "tcpviz/output_file.h"
#include "tcpviz/timeline_session.h"

namespace tcpviz {
namespace {

using Json = nlohmann::json;

std::string fixed(double v, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

// Bob's congestion window as the kernel sampled it, in the course's words:
// when cwnd reached twice, four times ... its first full flight, against the
// round trip; the loss that ended slow start; the slope after it.
void summarize_slow_start(const Json& bulk, std::FILE* out) {
    if (!bulk.contains("kernel") || !bulk["kernel"].is_array()) return;
    std::vector<const Json*> k;
    for (const Json& s : bulk["kernel"]) {
        if (s.value("side", "") == "client" && s["cwnd"].is_number() && s["rtt_us"].is_number()) k.push_back(&s);
    }
    std::size_t i = 0;  // the first full flight of the bulk block
    while (i < k.size() && (*k[i]).value("unacked", 0) < (*k[i]).value("cwnd", 0)) ++i;
    std::string doubling;
    const Json* end = nullptr;
    long long peak = 0, next = 0;
    for (; i < k.size(); ++i) {
        const Json& s = *k[i];
        if (!s["ssthresh"].is_null()) {
            end = &s;
            break;
        }
        const long long cwnd = s["cwnd"].get<long long>();
        peak = std::max(peak, cwnd);
        if (cwnd < next) continue;
        doubling += std::string(doubling.empty() ? "" : ", ") + std::to_string(cwnd) + " at " +
                    fixed(s["t"].get<double>(), 3) + " s (round trip " + fixed(s["rtt_us"].get<double>() / 1000, 0) +
                    " ms)";
        next = 2 * cwnd;
    }
    if (doubling.empty()) return;
    std::fprintf(out, "\nbob's congestion window, from the kernel's samples of his socket (in segments):\n");
    std::fprintf(out, "  slow start: %s\n", doubling.c_str());
    if (!end) {
        std::fprintf(out, "  slow start did not end (no ssthresh in the samples)\n");
        return;
    }
    std::fprintf(out, "  a loss found at %s s (%s): ssthresh %lld, about half the peak of %lld\n",
                 fixed((*end)["t"].get<double>(), 3).c_str(), end->value("ca_state", "").c_str(),
                 (*end)["ssthresh"].get<long long>(), peak);
    const Json *from = nullptr, *to = nullptr;
    for (; i < k.size(); ++i) {
        if (k[i]->value("ca_state", "") != "open") {
            if (from) break;
            continue;
        }
        if (!from) from = k[i];
        to = k[i];
    }
    if (!from || from == to) return;
    std::fprintf(out,
                 "  then congestion avoidance: %lld at %s s to %lld at %s s, about one segment more per round trip\n",
                 (*from)["cwnd"].get<long long>(), fixed((*from)["t"].get<double>(), 3).c_str(),
                 (*to)["cwnd"].get<long long>(), fixed((*to)["t"].get<double>(), 3).c_str());
}

bool flagged(const Json& e, std::string_view name) {
    const Json& a = e.value("analysis", Json::array());
    return std::any_of(a.begin(), a.end(),
                       [name](const Json& n) { return n.is_string() && n.get_ref<const std::string&>() == name; });
}

// The planned drop's resend, found by its bytes (the first data segment of
// the bulk block that repeats a seq), and why the summary's count of
// retransmissions may not include it: Wireshark's rules (which tcpviz
// follows) count an ACK that also moves the window as a window update, not
// as a duplicate ACK, and a resend after fewer than two duplicates is
// called out_of_order. During slow start the receiver's window grows with
// nearly every ACK.
void summarize_resend(const Json& events, long long conn, std::FILE* out) {
    std::set<long long> sent;
    const Json* resend = nullptr;
    for (const Json& e : events) {
        if (e.value("conn", -1LL) != conn || e.value("dir", "") != "c2s" || e.value("len", 0LL) == 0) continue;
        if (!sent.insert(e.value("seq", 0LL)).second) {
            resend = &e;
            break;
        }
    }
    if (!resend) return;
    const long long seq = resend->value("seq", 0LL), frame = resend->value("frame", 0LL);
    long long acks = 0, window_updates = 0;
    for (const Json& e : events) {
        if (e.value("frame", 0LL) >= frame) break;
        if (e.value("conn", -1LL) != conn || e.value("dir", "") != "s2c" || e.value("len", 0LL) != 0 ||
            e.value("ack", -1LL) != seq)
            continue;
        ++acks;
        window_updates += flagged(e, name_of(Finding::window_update)) ? 1 : 0;
    }
    std::string flag = "no flag";
    for (const Finding finding : {Finding::fast_retransmission, Finding::retransmission, Finding::out_of_order})
        if (flagged(*resend, name_of(finding))) {
            flag = name_of(finding);
            break;
        }
    std::fprintf(out,
                 "  the dropped segment (seq %lld) went again in frame %lld, after %lld ACKs that asked for it; "
                 "tcpviz flags it %s\n",
                 seq, frame, acks, flag.c_str());
    if (flag != name_of(Finding::fast_retransmission) && window_updates > 0) {
        std::fprintf(out,
                     "  (%lld of those ACKs also raised the window: by Wireshark's rules, which tcpviz follows, "
                     "they are window updates, not duplicate ACKs)\n",
                     window_updates);
    }
}

void summarize(const std::string& timeline_path, std::FILE* out) {
    std::ifstream in(timeline_path);
    nlohmann::json t;
    try {
        t = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        return;
    }
    const auto& conns = t.value("connections", nlohmann::json::array());
    std::fprintf(out, "\n%zu segments in %zu connections:\n", t.value("events", nlohmann::json::array()).size(),
                 conns.size());
    for (const auto& c : conns) {
        const auto& hs = c["handshake"];
        const auto& td = c["teardown"];
        std::uint64_t retrans = 0;
        if (c.contains("analysis_counts")) {
            const Json& counts = c["analysis_counts"];
            retrans = counts.value(std::string(name_of(Finding::retransmission)), 0ULL) +
                      counts.value(std::string(name_of(Finding::fast_retransmission)), 0ULL);
        }
        std::fprintf(
            out,
            "  conn %llu  %s:%d -> %s:%d  handshake %s%s, teardown %s%s%s, %llu retransmissions, %zu kernel samples\n",
            c.value("id", 0ULL), c["client"].value("ip", std::string()).c_str(), c["client"].value("port", 0),
            c["server"].value("ip", std::string()).c_str(), c["server"].value("port", 0),
            hs.value("complete", false) ? "complete" : "incomplete",
            hs["rtt_ms"].is_number() ? (" (" + std::to_string(hs["rtt_ms"].get<double>()).substr(0, 5) + " ms)").c_str()
                                     : "",
            td.value("kind", std::string("none")).c_str(), td.contains("by") ? " by " : "",
            td.value("by", std::string()).c_str(), static_cast<unsigned long long>(retrans),
            c.value("kernel", nlohmann::json::array()).size());
    }
    const auto bulk = std::max_element(conns.begin(), conns.end(), [](const Json& a, const Json& b) {
        return a["counts"]["c2s"].value("bytes", 0ULL) < b["counts"]["c2s"].value("bytes", 0ULL);
    });
    if (bulk != conns.end()) {
        summarize_slow_start(*bulk, out);
        summarize_resend(t.value("events", Json::array()), bulk->value("id", 0LL), out);
    }
}

void print_written(const DemoFiles& files, const std::string& no_page, std::FILE* out) {
    std::fprintf(out,
                 "demo: wrote\n  %s   the capture (open it in Wireshark too)\n  %s   the timeline\n  %s   the ladder, "
                 "a sentence per segment\n",
                 files.pcap.c_str(), files.timeline.c_str(), files.ladder.c_str());
    if (no_page.empty()) {
        std::fprintf(out, "  %s   the report: open it in a browser, it works offline\n", files.report.c_str());
    } else {
        std::fprintf(out, "  (no HTML report: %s)\n", no_page.c_str());
    }
}

}  // namespace

DemoFiles demo_files(const std::string& dir) {
    return {dir + "/session.pcap", dir + "/timeline.json", dir + "/ladder.txt", dir + "/report.html"};
}

// The timeline, the ladder and (when the page is built) the report, from
// one reading of the demo's capture; each renamed into place when complete.
int write_outputs(const DemoRequest& r, const DemoFiles& files, std::vector<TcpInfoSample> samples, std::FILE* out,
                  std::FILE* err) {
    std::string error, no_page;
    std::unique_ptr<PcapFile> file = open_capture_file(files.pcap, "", error);
    if (!file) return fail(err, files.pcap, error);
    TimelineSession session({files.pcap, file->link_type(), file->time_decimals()});
    if (!samples.empty()) session.set_kernel_samples(std::move(samples));
    WriterOptions ladder;
    ladder.notes = true;
    ladder.lang = r.lang == "zh" ? Lang::zh : Lang::en;
    const std::optional<ReportTemplate> page = load_report_template(no_page);
    const auto make_report = [&page](std::FILE* f, const WriterOptions& o) {
        return make_html_report_writer(f, *page, o);
    };
    if (!session.add_output(files.timeline, make_json_writer, {}, error)) return fail(err, files.timeline, error);
    if (!session.add_output(files.ladder, make_text_ladder_writer, ladder, error))
        return fail(err, files.ladder, error);
    if (page && !session.add_output(files.report, make_report, {}, error)) return fail(err, files.report, error);
    std::optional<std::string> damage;
    try {
        session.begin();
        damage = read_capture_file(*file, session);
    } catch (const OutputFailure& ex) {
        return fail(err, ex.error.output, ex.error.reason);
    }
    std::optional<OutputError> failed = session.end();
    if (damage) return fail(err, files.pcap, *damage);
    if (!failed) failed = session.commit();
    if (failed) return fail(err, failed->output, failed->reason);
    session.print_warnings(err, files.pcap);
    print_written(files, page ? "" : no_page, out);
    summarize(files.timeline, out);
    return 0;
}

// Copies the shipped capture to the demo's, renamed into place when complete.
bool copy_capture(const std::string& from, const std::string& to, std::string& error) {
    std::ifstream src(from, std::ios::binary);
    if (!src) {
        error = std::strerror(errno);
        return false;
    }
    std::unique_ptr<OutputFile> dst = OutputFile::open(to, error);
    if (!dst) return false;
    char block[1 << 16];
    while (src.read(block, sizeof block) || src.gcount() > 0) {
        const auto n = static_cast<std::size_t>(src.gcount());
        if (std::fwrite(block, 1, n, dst->file()) != n) break;
    }
    if (src.bad()) {
        error = "cannot read it";
        return false;
    }
    return dst->commit(error);
}

}  // namespace tcpviz
