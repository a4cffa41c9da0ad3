#include "demo_command.h"
#include "command_error.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "html_report.h"
#include "tcpviz/capture_file_reader.h"
#include "tcpviz/chat/chat_client.h"
#include "tcpviz/chat/chat_error.h"
#include "tcpviz/chat/chat_server.h"
#include "tcpviz/chat/file_descriptor.h"
#include "tcpviz/live_capture.h"
#include "tcpviz/output_file.h"
#include "tcpviz/serve/serve_run.h"
#include "tcpviz/tcp_info_sampler.h"
#include "tcpviz/timeline_session.h"

namespace tcpviz {
namespace {

using namespace std::chrono_literals;

bool make_dirs(const std::string& path) {
    std::string partial;
    for (std::size_t i = 0; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') {
            if (!partial.empty() && ::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) return false;
        }
        if (i < path.size()) partial += path[i];
    }
    return true;
}

// The three students of the demo, each showing something else.
std::vector<chat::ClientConfig> demo_clients(std::uint16_t port, std::size_t bulk_bytes, int null_fd) {
    auto client = [&](const std::string& nick) {
        chat::ClientConfig c;
        c.host = "127.0.0.1";
        c.port = port;
        c.nick = nick;
        c.interval = 150ms;
        c.input_fd = null_fd;
        c.output_fd = null_fd;
        return c;
    };
    // alice says hello in two languages, then ends her input: shutdown(SHUT_WR)
    // sends her FIN while she still reads the server's goodbye (a half-close).
    chat::ClientConfig alice = client("alice");
    alice.say = {"hello everyone", "你好，同学们！"};
    // bob chats, then sends a bulk block: slow start and window growth.
    chat::ClientConfig bob = client("bob");
    bob.say = {"hi alice", "here comes a big file"};
    bob.bulk_bytes = bulk_bytes;
    // Loopback's MTU is 64 KiB, so a bulk block would fit in a handful of
    // segments; a classic Ethernet-sized MSS makes the growth of the
    // congestion window visible segment by segment.
    bob.socket.max_segment = 1400;
    // Slow start is the sender's algorithm at work: pinned to the textbook's
    // Reno on bob's own socket, whatever the machine's default (often bbr).
    bob.socket.congestion = "reno";
    // carol leaves with SO_LINGER 0: close() sends a RST instead of a FIN.
    chat::ClientConfig carol = client("carol");
    carol.say = {"bye, I have to run"};
    carol.linger_reset = true;
    return {alice, bob, carol};
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

// Where the demo writes.
struct DemoFiles {
    std::string pcap, timeline, ladder, report;
};

DemoFiles demo_files(const std::string& dir) {
    return {dir + "/session.pcap", dir + "/timeline.json", dir + "/ladder.txt", dir + "/report.html"};
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

std::unique_ptr<chat::ChatServer> start_server(int port, std::string& error) {
    chat::ServerConfig config;
    config.bind_address = "127.0.0.1";
    config.port = static_cast<std::uint16_t>(port);
    config.drain_time = 500ms;
    try {
        return std::make_unique<chat::ChatServer>(config);
    } catch (const chat::ChatError&) {
        config.port = 0;  // the demo port is busy: let the kernel choose
    }
    try {
        return std::make_unique<chat::ChatServer>(config);
    } catch (const chat::ChatError& e) {
        error = e.what();
        return nullptr;
    }
}

std::unique_ptr<LiveCapture> open_demo_capture(std::uint16_t port, CaptureError& error) {
    LiveCaptureOptions options;
    options.interface = "lo";
    options.filter = "tcp port " + std::to_string(port);
    // Immediate mode makes libpcap use a ring of fixed slots, each as large
    // as the snaplen: 262144 bytes would leave 64 slots in 16 MiB, and a busy
    // machine that delays the capture thread drops packets. The demo's
    // segments are at most a chat line or 1400 bytes of bulk data, so 16 KiB
    // keeps every byte and leaves thousands of slots.
    options.snaplen = 16 * 1024;
    options.buffer_bytes = 32 * 1024 * 1024;
    return LiveCapture::open(options, error);
}

// The students, a moment apart so the ladder reads like a story. What each
// client that failed said.
std::vector<std::string> run_students(std::uint16_t port, std::size_t bulk_bytes) {
    const chat::FileDescriptor null_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
    const std::vector<chat::ClientConfig> configs = demo_clients(port, bulk_bytes, null_fd.get());
    std::vector<std::string> errors(configs.size());
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        clients.emplace_back([&, i] {
            try {
                chat::ChatClient client(configs[i]);
                client.run();
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
        std::this_thread::sleep_for(300ms);
    }
    for (auto& t : clients) t.join();
    return errors;
}

// `--serve`: the classroom (the chat server, its live capture on loopback,
// the page) with the demo's students in it, served until Ctrl-C. The
// machine's loopback, so that a browser on this machine reaches the page.
int serve_demo(const DemoRequest& r, std::FILE* out, std::FILE* err) {
    serve::ServeRequest request;
    request.chat_port = r.port;
    request.interface = "lo";
    request.port = r.page_port;
    request.quiet = true;
    request.while_serving = [&r, out, err](std::uint16_t port) {
        std::fprintf(out, "demo: three students join the chat on port %u; open the page to watch\n", port);
        std::fflush(out);
        for (const std::string& e : run_students(port, r.bulk_bytes)) {
            if (!e.empty()) std::fprintf(err, "tcpviz demo: a client failed: %s\n", e.c_str());
        }
        std::fprintf(out, "demo: the students are done; the page is served until Ctrl-C\n");
        std::fflush(out);
    };
    return serve::run_serve(request, out, err);
}

}  // namespace

// Moves this process into a network namespace of its own, with its own
// loopback, so the demo never meets a busy port or another program's traffic
// and leaves the machine's loopback untouched. There, loopback is told to
// hand over one packet per segment (gso_max_segs 1): on the machine's own
// loopback, with its 64 KiB MTU and segmentation offload, a bulk transfer
// shows up as a few 64 KiB "super-packets" instead of the MSS-sized segments
// a real network carries. Returns false (and changes nothing) when it cannot.
bool enter_private_network(std::string& why) {
    if (::unshare(CLONE_NEWNET) != 0) {
        why = std::strerror(errno);
        return false;
    }
    // `ip` runs in our new namespace (a child inherits it).
    if (std::system("ip link set dev lo up gso_max_segs 1 >/dev/null 2>&1 || ip link set dev lo up >/dev/null 2>&1") !=
        0) {
        why = "could not bring the namespace's loopback up (is iproute2 installed?)";
        return false;
    }
    return true;
}

// Slows the namespace's loopback down so that slow start takes long enough
// to watch (on a bare loopback the bulk block is over in a few
// milliseconds, between two kernel samples). An Ethernet-sized MTU, then a
// rate with a delay: netem when this kernel has it, else a token bucket
// whose queue makes the delay. Returns the commands as a student would type
// them, or "" when neither could be set up.
std::string slow_down_loopback() {
    const char* mtu = "ip link set dev lo mtu 1500";
    const char* netem = "tc qdisc add dev lo root netem delay 10ms rate 4mbit";
    const char* tbf = "tc qdisc add dev lo root tbf rate 4mbit burst 4kb latency 200ms";
    if (std::system((std::string(mtu) + " >/dev/null 2>&1").c_str()) != 0) return "";
    if (std::system((std::string(netem) + " >/dev/null 2>&1").c_str()) == 0) {
        return std::string(mtu) + "; " + netem + "   (netem: 10 ms each way, 4 Mbit/s)";
    }
    if (std::system((std::string(tbf) + " >/dev/null 2>&1").c_str()) == 0) {
        return std::string(mtu) + "; " + tbf + "   (no netem on this kernel: 4 Mbit/s, its queue makes the delay)";
    }
    return "";
}

int run_demo(const DemoRequest& r, std::FILE* out, std::FILE* err) {
    if (r.serve) return serve_demo(r, out, err);
    if (!make_dirs(r.out_dir)) return fail(err, r.out_dir, std::strerror(errno));
    const DemoFiles files = demo_files(r.out_dir);
    if (const auto clash = find_output_clash({r.fallback}, {{"session", files.pcap},
                                                            {"timeline", files.timeline},
                                                            {"ladder", files.ladder},
                                                            {"report", files.report}})) {
        return fail(err, clash->path, clash->reason);
    }
    std::string why, error;
    const bool isolated = r.private_network && enter_private_network(why);
    if (r.private_network && !isolated && ::geteuid() == 0) {
        std::fprintf(err, "tcpviz demo: using the machine's loopback (%s)\n", why.c_str());
    }
    const std::string slowed = isolated ? slow_down_loopback() : "";
    if (!slowed.empty()) std::fprintf(out, "demo: a slower path, so slow start shows: %s\n", slowed.c_str());
    else
        std::fprintf(out, "demo: the loopback is not slowed down (%s): the bulk block is over in milliseconds\n",
                     isolated ? "tc failed" : "only in a namespace of its own, as root");
    // 1. The chat server, on the demo port (or any free one).
    std::unique_ptr<chat::ChatServer> server = start_server(r.port, error);
    if (!server) return fail(err, "chat server", error);
    const std::uint16_t port = server->port();

    // 2. The capture, before any client connects, so every handshake is in it.
    CaptureError capture_error;
    std::unique_ptr<LiveCapture> capture = open_demo_capture(port, capture_error);
    if (!capture && r.fallback.empty()) {
        return fail(err, "lo", capture_error.message + " (run as root, or give tcpviz cap_net_raw,cap_net_admin)");
    }
    if (!capture) {
        std::fprintf(err, "tcpviz demo: cannot capture on lo (%s); showing the shipped capture %s instead\n",
                     capture_error.message.c_str(), r.fallback.c_str());
        if (!copy_capture(r.fallback, files.pcap, error)) return fail(err, r.fallback, error);
        return write_outputs(r, files, {}, out, err);
    }
    std::unique_ptr<OutputFile> pcap_file = OutputFile::open(files.pcap, error);
    if (!pcap_file || !capture->write_to(pcap_file->writing_path(), error)) return fail(err, files.pcap, error);
    SamplerOptions sampler_options;
    sampler_options.ports = {port};
    std::unique_ptr<TcpInfoSampler> sampler = TcpInfoSampler::start(sampler_options, error);
    if (!sampler) std::fprintf(err, "tcpviz demo: no kernel samples (%s)\n", error.c_str());

    std::thread capture_thread([&capture] { capture->run({}, [](const PacketRecord&, std::uint64_t) {}); });
    std::thread server_thread([&server] { server->run(); });
    std::fprintf(out, "demo: chat server on 127.0.0.1:%u, capturing on lo (tcp port %u)%s\n", port, port,
                 isolated ? ", in a network namespace of its own" : "");
    // 3. The students.
    const std::vector<std::string> client_errors = run_students(port, r.bulk_bytes);
    server->stop();
    server_thread.join();
    std::this_thread::sleep_for(300ms);  // the last ACKs of the teardown
    capture->request_stop();
    capture_thread.join();
    if (sampler) sampler->stop();
    if (!capture->close_file(error) || !pcap_file->commit(error)) return fail(err, files.pcap, error);
    const CaptureCounts counts = capture->counts();
    std::fprintf(out, "demo: captured %llu packets (%llu dropped by the kernel)\n",
                 static_cast<unsigned long long>(counts.captured), static_cast<unsigned long long>(counts.dropped));
    for (const std::string& e : client_errors) {
        if (!e.empty()) std::fprintf(err, "tcpviz demo: a client failed: %s\n", e.c_str());
    }
    return write_outputs(r, files, sampler ? sampler->take_samples() : std::vector<TcpInfoSample>{}, out, err);
}

void add_demo_command(CLI::App& app) {
    auto request = std::make_shared<DemoRequest>();
    CLI::App* cmd = app.add_subcommand("demo", "The classroom demo: chat, capture and analysis in one command");
    cmd->add_option("--out", request->out_dir,
                    "directory for the pcap, timeline, ladder and report (default out/demo)");
    cmd->add_option("--port", request->port, "chat port (default 6666; a free one if busy)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--bulk", request->bulk_bytes, "bytes of bob's bulk transfer (default 256 KiB)");
    cmd->add_option("--fallback", request->fallback, "capture to analyze when live capture is not permitted");
    cmd->add_flag("!--host-loopback", request->private_network,
                  "use the machine's loopback instead of a private network namespace (students can join on port 6666)");
    cmd->add_option("--lang", request->lang, "language of the ladder's sentences: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));
    cmd->add_flag("--serve", request->serve,
                  "serve the page live while the students chat (machine's loopback; no files), until Ctrl-C");
    cmd->add_option("--page-port", request->page_port, "--serve: the page's port (0: any free one)")
        ->check(CLI::Range(0, 65535));
    cmd->callback([request]() {
        const int code = run_demo(*request, stdout, stderr);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
