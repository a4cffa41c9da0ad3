#include "demo_outputs.h"
#include "command_error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "html_report.h"
#include "tcpviz/capture_file_reader.h"
#include "tcpviz/output_file.h"
#include "tcpviz/timeline_session.h"

namespace tcpviz {
namespace {

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
        if (c.contains("analysis_counts")) retrans = c["analysis_counts"].value("retransmission", 0ULL);
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
