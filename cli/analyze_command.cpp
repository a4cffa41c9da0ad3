#include "analyze_command.h"
#include "command_error.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "html_report.h"
#include "layers_command.h"
#include "tcpviz/capture_file_reader.h"
#include "tcpviz/output_file.h"
#include "tcpviz/pcap_file.h"
#include "tcpviz/stream_text.h"
#include "tcpviz/timeline_session.h"

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

// The formats of --format, each with the writer that makes it: a new format is one line here.
struct Format {
    const char* name;
    WriterFactory make;
};
const std::vector<Format>& formats() {
    static const std::vector<Format> table = {
        {"json", make_json_writer},
        {"ndjson", make_ndjson_writer},
        {"text", make_text_ladder_writer},
        {"stream", make_stream_text_writer},  // the bytes as the application reads them
    };
    return table;
}

// One frame's headers, field by field (layers_command.cpp): no timeline writer.
const std::vector<std::string> layer_formats = {"layers", "layers-json"};

std::vector<std::string> format_names() {
    std::vector<std::string> names;
    for (const Format& f : formats()) names.emplace_back(f.name);
    names.insert(names.end(), layer_formats.begin(), layer_formats.end());
    return names;
}

// "json, ndjson or text"
std::string format_list() {
    const std::vector<std::string> names = format_names();
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    }
    return text;
}

// The main output (the chosen format; standard output unless only --html is
// wanted) and the HTML report. A failure as "WHAT: reason".
std::optional<OutputError> add_outputs(const AnalyzeRequest& request, TimelineSession& session,
                                       std::optional<ReportTemplate>& report_template) {
    WriterOptions options;
    options.payload_bytes = request.no_payload ? 0 : request.payload_bytes;
    options.lang = request.lang == "zh" ? Lang::zh : Lang::en;
    options.notes = request.notes;
    std::string error;
    const std::string output = request.output.empty() ? (request.html.empty() ? "-" : "") : request.output;
    if (!output.empty()) {
        const auto format =
            std::find_if(formats().begin(), formats().end(), [&](const Format& f) { return request.format == f.name; });
        if (format == formats().end()) {
            return OutputError{request.capture, "unknown format \"" + request.format + "\" (" + format_list() + ")"};
        }
        if (!session.add_output(output, format->make, options, error)) return OutputError{output, error};
    }
    if (!request.html.empty()) {
        if (!(report_template = load_report_template(error))) return OutputError{request.html, error};
        const ReportTemplate& tmpl = *report_template;
        const auto make_report = [&tmpl](std::FILE* f, const WriterOptions& o) {
            return make_html_report_writer(f, tmpl, o);
        };
        if (!session.add_output(request.html, make_report, options, error)) return OutputError{request.html, error};
    }
    return std::nullopt;
}

}  // namespace

int run_analyze(const AnalyzeRequest& request, std::FILE* err) {
    if (std::find(layer_formats.begin(), layer_formats.end(), request.format) != layer_formats.end()) {
        return run_layers(request, err);
    }
    const std::string output = request.output.empty() && request.html.empty() ? "-" : request.output;
    if (const auto clash = find_output_clash({request.capture}, {{"-o", output}, {"--html", request.html}})) {
        return fail(err, clash->path, clash->reason);
    }
    std::string error;
    std::unique_ptr<PcapFile> file = open_capture_file(request.capture, request.filter, error);
    if (!file) return fail(err, request.capture, error);

    TimelineSession session({request.capture, file->link_type(), file->time_decimals()});
    std::optional<ReportTemplate> report_template;  // outlives the session's report writer
    if (const auto failed = add_outputs(request, session, report_template)) {
        return fail(err, failed->output, failed->reason);
    }
    Progress progress(err, !request.quiet && isatty(fileno(err)));
    std::optional<std::string> damage;
    try {
        session.begin();
        damage = read_capture_file(*file, session, [&](std::uint64_t packets) {
            progress.update(packets, *file);
            return true;
        });
    } catch (const OutputFailure& ex) {
        progress.done();
        return fail(err, ex.error.output, ex.error.reason);
    }
    progress.done();
    std::optional<OutputError> failed = session.end();
    // A damaged file is an error: what was at the outputs stays.
    if (damage) return fail(err, request.capture, *damage);
    if (!failed) failed = session.commit();
    if (failed) return fail(err, failed->output, failed->reason);
    session.print_warnings(err, request.capture);
    return 0;
}

void add_analyze_command(CLI::App& app) {
    auto request = std::make_shared<AnalyzeRequest>();
    CLI::App* cmd =
        app.add_subcommand("analyze", "Decode a capture file into a timeline (JSON, NDJSON or a text ladder)");
    cmd->add_option("capture", request->capture, "pcap or pcapng file, or - for standard input")->required();
    cmd->add_option("-o,--output", request->output, "where to write the timeline (default: standard output)");
    cmd->add_option("--html", request->html,
                    "also write a self-contained HTML report (page + timeline, opens offline)");
    cmd->add_option("-f,--format", request->format,
                    format_list() +
                        ": stream is the bytes as the application reads them, layers one frame's "
                        "headers field by field (layers-json the same as JSON)")
        ->check(CLI::IsMember(format_names()));
    cmd->add_option("--frame", request->frames,
                    "--format layers(-json): the frames to show, e.g. 4, 4-6 or 1,4-6 "
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
