#include "command_error.h"
#include "analyze_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>
#include <stdexcept>

#include "html_report.h"
#include "layers_command.h"
#include "tcpviz/analyzer.h"
#include "tcpviz/kernel_timeline.h"
#include "tcpviz/output_file.h"
#include "tcpviz/pcap_file.h"
#include "tcpviz/stream_text.h"

namespace tcpviz {
namespace {

// Progress on a terminal: packets, percent of the file, packets per second.
class Progress {
public:
    Progress(std::FILE* err, bool enabled) : err_(err), enabled_(enabled) {}

    void update(std::uint64_t packets, const PcapFile& file) {
        if (!enabled_ || (packets & 0x3FF) != 0) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(250)) return;
        last_ = now;
        shown_ = true;
        const double seconds = std::chrono::duration<double>(now - start_).count();
        const double rate = seconds > 0 ? static_cast<double>(packets) / seconds : 0;
        if (file.size() > 0) {
            const double percent = 100.0 * static_cast<double>(file.position()) / static_cast<double>(file.size());
            std::fprintf(err_, "\r  %llu packets, %.0f%%, %.0f packets/s   ", static_cast<unsigned long long>(packets),
                         percent, rate);
        } else {
            std::fprintf(err_, "\r  %llu packets, %.0f packets/s   ", static_cast<unsigned long long>(packets), rate);
        }
        std::fflush(err_);
    }
    void done() {
        if (shown_) std::fprintf(err_, "\r%60s\r", "");
    }

private:
    std::FILE* err_;
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace

int run_analyze(const AnalyzeRequest& request, std::FILE* err) {
    if (request.format == "layers") return run_layers(request, err);
    std::string error;
    if (const auto clash = find_output_clash({request.capture}, {{"-o", request.output.empty() && request.html.empty() ? "-" : request.output}, {"--html", request.html}})) {
        return fail(err, clash->path, clash->reason);
    }
    std::unique_ptr<PcapFile> file = PcapFile::open(request.capture, error);
    if (!file) return fail(err, request.capture, error);
    if (!request.filter.empty() && !file->set_filter(request.filter, error)) {
        return fail(err, request.capture, error);
    }
    if (!is_supported_link_type(file->link_type())) {
        return fail(err, request.capture,
                    "link type " + std::to_string(file->link_type()) + " is not supported (Ethernet, Linux cooked, "
                    "BSD loopback and raw IP are)");
    }

    WriterOptions options;
    options.payload_bytes = request.no_payload ? 0 : request.payload_bytes;
    options.lang = request.lang == "zh" ? Lang::zh : Lang::en;
    options.notes = request.notes;

    // Kernel samples are matched to connections once the analysis is done
    // (the writers' end() asks for them connection by connection).
    const Analyzer* finished = nullptr;
    std::unique_ptr<KernelTimeline> kernel;
    if (!request.kernel_samples.empty()) {
        options.connection_extra = [&](std::string& out, const Connection& c) {
            if (!kernel && finished) kernel = std::make_unique<KernelTimeline>(request.kernel_samples, *finished);
            if (kernel) kernel->append_json(out, c);
        };
    }

    // The main output: the chosen format to a file or standard output.
    const std::string output = request.output.empty() ? (request.html.empty() ? "-" : "") : request.output;
    std::vector<std::unique_ptr<TimelineWriter>> writers;
    std::unique_ptr<OutputFile> main_file;
    if (!output.empty()) {
        main_file = OutputFile::open(output, error);
        if (!main_file) return fail(err, output, error);
        std::FILE* out = main_file->file();
        if (request.format == "json") writers.push_back(make_json_writer(out, options));
        else if (request.format == "ndjson") writers.push_back(make_ndjson_writer(out, options));
        else if (request.format == "text") writers.push_back(make_text_ladder_writer(out, options));
        else if (request.format == "stream") writers.push_back(make_stream_text_writer(out, options));
        else return fail(err, request.capture, "unknown format \"" + request.format + "\" (json, ndjson or text)");
    }

    // The HTML report: the page around a JSON timeline streamed into it.
    std::unique_ptr<OutputFile> html_file;
    std::optional<ReportTemplate> report_template;
    std::optional<HtmlReport> report;
    if (!request.html.empty()) {
        report_template = load_report_template(error);
        if (!report_template) return fail(err, request.html, error);
        html_file = OutputFile::open(request.html, error);
        if (!html_file) return fail(err, request.html, error);
        report.emplace(html_file->file(), *report_template);
        if (!report->begin()) return fail(err, request.html, std::strerror(errno));
        writers.push_back(make_json_writer(html_file->file(), options));
    }

    Analyzer analyzer(file->link_type());
    Progress progress(err, !request.quiet && isatty(fileno(err)));
    std::vector<std::string> warnings;
    std::string damage;
    try {
        for (auto& w : writers) w->begin(TimelineSource{request.capture, file->link_type(), file->time_decimals()});
        PacketRecord record;
        std::uint64_t frame = 0;
        std::string message;
        while (true) {
            const PcapFile::Status status = file->next(record, message);
            if (status == PcapFile::Status::end) break;
            if (status == PcapFile::Status::cut_off) {
                warnings.push_back("the file ends in the middle of a packet; the timeline shows the " +
                                   std::to_string(frame) + " packets before it (" + message + ")");
                break;
            }
            if (status == PcapFile::Status::damaged) {
                damage = "damaged after packet " + std::to_string(frame) + ": " + message;
                warnings.push_back(damage);
                break;
            }
            ++frame;
            progress.update(frame, *file);
            if (!file->matches(record)) continue;
            if (const Event* e = analyzer.add(record, frame)) {
                for (auto& w : writers) w->event(*e, analyzer);
            }
        }
        if (const std::uint64_t cut = analyzer.stats().tcp_without_ports; cut > 0) {
            warnings.push_back(std::to_string(cut) + " TCP packet" + (cut == 1 ? "" : "s") +
                               " kept too little of the TCP header to show even the ports (snaplen too small?); "
                               "counted as undecodable, as Wireshark shows no TCP for them");
        }
        if (const std::string clamped = file->timestamp_warning(); !clamped.empty()) warnings.push_back(clamped);
        finished = &analyzer;
        for (auto& w : writers) w->end(analyzer, warnings);
        if (report && !report->end()) throw std::runtime_error(std::string("cannot write report: ") + std::strerror(errno));
    } catch (const std::exception& ex) {
        progress.done();
        return fail(err, output == "-" || output.empty() ? request.html : output, ex.what());
    }
    progress.done();
    // A damaged file is an error: what was at the outputs stays.
    if (!damage.empty()) return fail(err, request.capture, damage);
    if (main_file && !main_file->commit(error)) return fail(err, output, error);
    if (html_file && !html_file->commit(error)) return fail(err, request.html, error);
    for (const std::string& w : warnings) std::fprintf(err, "tcpviz: warning: %s: %s\n", request.capture.c_str(), w.c_str());
    return 0;
}

void add_analyze_command(CLI::App& app) {
    auto request = std::make_shared<AnalyzeRequest>();
    CLI::App* cmd = app.add_subcommand("analyze", "Decode a capture file into a timeline (JSON, NDJSON or a text ladder)");
    cmd->add_option("capture", request->capture, "pcap or pcapng file, or - for standard input")->required();
    cmd->add_option("-o,--output", request->output, "where to write the timeline (default: standard output)");
    cmd->add_option("--html", request->html, "also write a self-contained HTML report (page + timeline, opens offline)");
    cmd->add_option("-f,--format", request->format,
                    "json, ndjson, text, layers (one frame's headers, field by field) or stream (the bytes as the "
                    "application reads them)")
        ->check(CLI::IsMember({"json", "ndjson", "text", "layers", "stream"}));
    cmd->add_option("--frame", request->frames, "--format layers: the frames to show, e.g. 4, 4-6 or 1,4-6 "
                    "(default: the first frame with TCP payload)");
    cmd->add_option("--filter", request->filter, "BPF filter expression, e.g. \"tcp port 6666\"");
    cmd->add_option("--payload-bytes", request->payload_bytes, "bytes of payload to preview per segment")
        ->check(CLI::Range(0, 65535));
    cmd->add_flag("--no-payload", request->no_payload, "leave payload previews out");
    cmd->add_option("--lang", request->lang, "language of the text ladder, layers and stream: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));
    cmd->add_flag("--notes", request->notes, "text ladder: explain each segment in one sentence");
    cmd->add_flag("-q,--quiet", request->quiet, "no progress line");
    cmd->callback([request]() {
        const int code = run_analyze(*request, stderr);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
