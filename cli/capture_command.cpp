#include "capture_command.h"
#include "command_error.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>

#include "tcpviz/analyzer.h"
#include "tcpviz/filter_ports.h"
#include "tcpviz/interfaces.h"
#include "tcpviz/kernel_timeline.h"
#include "tcpviz/live_capture.h"
#include "tcpviz/live_ladder.h"
#include "tcpviz/output_file.h"
#include "tcpviz/stop_signals.h"
#include "tcpviz/tcp_info_sampler.h"
#include "tcpviz/timeline_session.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

constexpr std::uint16_t default_sample_port = 6666;

// This executable as the user would type it, for the setcap advice:
// "build/tcpviz" when run from the checkout.
std::string self_path() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return "tcpviz";
    const std::filesystem::path here = std::filesystem::current_path(ec);
    if (!ec) {
        const std::filesystem::path relative = exe.lexically_relative(here);
        if (!relative.empty() && *relative.begin() != "..") return relative.string();
    }
    return exe.string();
}

int list(std::FILE* out, std::FILE* err) {
    std::vector<InterfaceInfo> interfaces;
    std::string error;
    if (!list_interfaces(interfaces, error)) return fail(err, "interfaces", error);
    int width = 0;
    for (const InterfaceInfo& i : interfaces) width = std::max(width, static_cast<int>(i.name.size()));
    for (const InterfaceInfo& i : interfaces) {
        std::string flags;
        if (i.loopback) flags += "loopback ";
        flags += i.up ? "up" : "down";
        if (i.running) flags += " running";
        std::fprintf(out, "%-*s  %-21s", width, i.name.c_str(), flags.c_str());
        for (const std::string& a : i.addresses) std::fprintf(out, " %s", a.c_str());
        if (!i.description.empty()) std::fprintf(out, "  (%s)", i.description.c_str());
        std::fprintf(out, "\n");
    }
    return 0;
}

std::vector<std::uint16_t> ports_to_sample(const CaptureRequest& request) {
    std::vector<std::uint16_t> ports;
    for (const int p : request.sample_ports) ports.push_back(static_cast<std::uint16_t>(p));
    if (ports.empty()) ports = ports_in_filter(request.filter);
    if (ports.empty()) ports.push_back(default_sample_port);
    return ports;
}

std::string join(const std::vector<std::uint16_t>& ports) {
    std::string text;
    for (const std::uint16_t p : ports) text += (text.empty() ? "" : ",") + std::to_string(p);
    return text;
}

// The interface opened with the filter set; nullptr and `error` set when it
// cannot be, or when its link type is not one tcpviz decodes.
std::unique_ptr<LiveCapture> open_interface(const CaptureRequest& request, std::string& error) {
    LiveCaptureOptions options;
    options.interface = request.interface;
    options.filter = request.filter;
    options.snaplen = request.snaplen;
    options.buffer_bytes = request.buffer_mib * 1024 * 1024;
    CaptureError open_error;
    std::unique_ptr<LiveCapture> capture = LiveCapture::open(options, open_error);
    if (!capture) {
        error = open_error.message;
        if (open_error.kind == CaptureError::Kind::permission) {
            error += " (run as root, or: sudo setcap cap_net_raw,cap_net_admin+eip " + self_path() + ")";
        }
        return nullptr;
    }
    if (!is_supported_link_type(capture->link_type())) {
        error = "link type " + std::to_string(capture->link_type()) + " is not one tcpviz decodes";
        return nullptr;
    }
    return capture;
}

// The kernel samples are only written into the timeline, so they are only
// taken when there is one. Without sock_diag the capture goes on.
std::unique_ptr<TcpInfoSampler> start_sampler(const CaptureRequest& request, const std::vector<std::uint16_t>& ports,
                                              std::FILE* err) {
    if (request.timeline.empty() || request.sample_ms <= 0) return nullptr;
    SamplerOptions sampling;
    sampling.ports = ports;
    sampling.interval = std::chrono::milliseconds(request.sample_ms);
    std::string error;
    std::unique_ptr<TcpInfoSampler> sampler = TcpInfoSampler::start(sampling, error);
    if (!sampler) std::fprintf(err, "tcpviz: warning: no kernel TCP_INFO samples: %s\n", error.c_str());
    return sampler;
}

// The timeline file (renamed into place when the capture ends) and the ladder.
std::optional<OutputError> add_writers(const CaptureRequest& request, TimelineSession& session, std::FILE* out) {
    std::string error;
    if (!request.timeline.empty() && !session.add_output(request.timeline, make_json_writer, {}, error)) {
        return OutputError{request.timeline, error};
    }
    if (request.ladder) {
        WriterOptions ladder_options;
        ladder_options.lang = request.lang == "zh" ? Lang::zh : Lang::en;
        ladder_options.notes = request.notes;
        session.add_writer("standard output", std::make_unique<LiveLadder>(out, ladder_options));
    }
    return std::nullopt;
}

void print_start(const CaptureRequest& request, const LiveCapture& capture, const std::vector<std::uint16_t>& ports,
                 bool sampling, std::FILE* err) {
    if (request.quiet) return;
    std::fprintf(err, "tcpviz: capturing on %s, filter \"%s\"%s%s; Ctrl-C stops\n", request.interface.c_str(),
                 request.filter.c_str(), request.pcap.empty() ? "" : ", writing ", request.pcap.c_str());
    if (sampling) {
        std::fprintf(err, "tcpviz: sampling the kernel's TCP_INFO of port %s every %d ms\n", join(ports).c_str(),
                     request.sample_ms);
    }
    if (!capture.warning().empty()) std::fprintf(err, "tcpviz: warning: %s\n", capture.warning().c_str());
    std::fflush(err);
}

// Captures until the limits or a signal, each packet through the session.
// The failure that stopped it early, if any.
std::optional<OutputError> capture_until_stopped(LiveCapture& capture, TimelineSession& session,
                                                 const CaptureRequest& request) {
    LiveCapture::Limits limits;
    if (request.duration > 0)
        limits.duration = std::chrono::milliseconds(static_cast<long long>(request.duration * 1000));
    limits.count = request.count;
    // A closed pipe under the ladder (`| head`) must end the capture with
    // its files complete, not kill it: the write then fails with EPIPE.
    struct sigaction ignore {
    }, old_pipe{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_pipe);
    StopOnSignals stop_on_signals(capture);
    std::optional<OutputError> failure;
    try {
        session.begin();
        capture.run(limits, [&](const PacketRecord& record, std::uint64_t frame) {
            if (session.has_writers()) session.add(record, frame);  // the ladder is printed and flushed at once
        });
    } catch (const OutputFailure& ex) {
        failure = ex.error;
    } catch (const std::exception& ex) {
        failure = OutputError{"capture", ex.what()};
    }
    sigaction(SIGPIPE, &old_pipe, nullptr);
    return failure;
}

void print_counts(const CaptureCounts& counts, std::FILE* err) {
    if (counts.kernel_stats) {
        std::fprintf(err, "tcpviz: %llu packets captured, %llu dropped by the kernel, %llu by the interface\n",
                     static_cast<unsigned long long>(counts.captured), static_cast<unsigned long long>(counts.dropped),
                     static_cast<unsigned long long>(counts.interface_dropped));
    } else {
        std::fprintf(err, "tcpviz: %llu packets captured (drop counts unavailable)\n",
                     static_cast<unsigned long long>(counts.captured));
    }
}

}  // namespace

int run_capture(const CaptureRequest& request, std::FILE* out, std::FILE* err) {
    if (request.list_interfaces) return list(out, err);
    if (const auto clash = find_output_clash({}, {{"-w", request.pcap}, {"--timeline", request.timeline}})) {
        return fail(err, clash->path, clash->reason);
    }
    std::string error;
    std::unique_ptr<LiveCapture> capture = open_interface(request, error);
    if (!capture) return fail(err, request.interface, error);
    // Both files are written beside their targets and renamed into place when the capture ends.
    std::unique_ptr<OutputFile> pcap_file;
    if (!request.pcap.empty()) {
        if (!(pcap_file = OutputFile::open(request.pcap, error))) return fail(err, request.pcap, error);
        if (!capture->write_to(pcap_file->writing_path(), error)) return fail(err, request.pcap, error);
    }
    const std::string source = request.pcap.empty() ? "live:" + request.interface : request.pcap;
    TimelineSession session({source, capture->link_type(), capture->time_decimals()});
    if (const auto failed = add_writers(request, session, out)) return fail(err, failed->output, failed->reason);
    const std::vector<std::uint16_t> ports = ports_to_sample(request);
    std::unique_ptr<TcpInfoSampler> sampler = start_sampler(request, ports, err);
    print_start(request, *capture, ports, sampler != nullptr, err);

    std::optional<OutputError> failure = capture_until_stopped(*capture, session, request);
    // Everything captured is on disk before anything else can fail.
    std::string file_error;
    const bool file_ok = capture->close_file(file_error) && (!pcap_file || pcap_file->commit(file_error));
    if (sampler) {
        session.set_kernel_samples(sampler->take_samples());
        if (!sampler->warning().empty()) session.warn(sampler->warning());
    }
    const CaptureCounts counts = capture->counts();
    if (counts.kernel_stats && counts.dropped + counts.interface_dropped > 0) {
        session.warn(std::to_string(counts.dropped + counts.interface_dropped) +
                     " packets were dropped before tcpviz could read them; the timeline has gaps");
    }
    // The timeline is complete and kept even when the ladder's terminal went away.
    const std::optional<OutputError> ended = session.end(), committed = session.commit();
    if (!failure) failure = ended ? ended : committed;
    print_counts(counts, err);
    if (sampler && !request.quiet) {
        std::fprintf(err, "tcpviz: %zu kernel TCP_INFO samples in the timeline\n", session.kernel_samples_matched());
    }
    session.print_warnings(err, "");
    if (!file_ok) return fail(err, request.pcap, file_error);
    if (failure) return fail(err, failure->output, failure->reason);
    return 0;
}

void add_capture_command(CLI::App& app) {
    auto request = std::make_shared<CaptureRequest>();
    CLI::App* cmd = app.add_subcommand(
        "capture", "Capture live TCP traffic: a pcap file, a live ladder, a timeline with the kernel's TCP_INFO");
    cmd->add_option("-i,--interface", request->interface, "interface to capture on (default: lo)");
    cmd->add_option("--filter", request->filter, "BPF filter (default: \"tcp port 6666\")");
    cmd->add_option("-w,--write", request->pcap, "write the packets to this pcap file");
    cmd->add_option("--duration", request->duration, "stop after this many seconds")->check(CLI::PositiveNumber);
    cmd->add_option("--count", request->count, "stop after this many packets")->check(CLI::PositiveNumber);
    cmd->add_option("--snaplen", request->snaplen, "bytes kept of each packet (default: 262144)")
        ->check(CLI::Range(64, 262144));
    cmd->add_option("--buffer-mib", request->buffer_mib, "kernel capture buffer in MiB (default: 16)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--timeline", request->timeline, "write the JSON timeline here when the capture stops");
    cmd->add_flag("--ladder", request->ladder, "print the text ladder live as segments arrive");
    cmd->add_option("--lang", request->lang, "language of the ladder: en or zh")->check(CLI::IsMember({"en", "zh"}));
    cmd->add_flag("--notes", request->notes, "ladder: explain each segment in one sentence");
    cmd->add_option("--sample-port", request->sample_ports,
                    "port whose sockets' TCP_INFO is sampled (repeatable; default: the filter's ports, else 6666)")
        ->check(CLI::Range(1, 65535));
    cmd->add_option("--sample-ms", request->sample_ms, "TCP_INFO sampling interval in ms; 0 turns it off (default: 10)")
        ->check(CLI::Range(0, 10000));
    cmd->add_flag("--list-interfaces", request->list_interfaces, "list the interfaces and their addresses, then exit");
    cmd->add_flag("-q,--quiet", request->quiet, "only the counts and errors on standard error");
    cmd->callback([request]() {
        const int code = run_capture(*request, stdout, stderr);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
