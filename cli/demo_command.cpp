#include "demo_command.h"
#include "command_error.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <thread>

#include "demo_interrupt.h"
#include "demo_outputs.h"
#include "demo_path.h"
#include "demo_samplers.h"
#include "tcpviz/chat/chat_client.h"
#include "tcpviz/chat/chat_error.h"
#include "tcpviz/chat/chat_server.h"
#include "tcpviz/chat/file_descriptor.h"
#include "tcpviz/live_capture.h"
#include "tcpviz/output_file.h"
#include "tcpviz/serve/serve_run.h"
#include "tcpviz/tcp_info_sampler.h"

namespace tcpviz {
namespace {

using namespace std::chrono_literals;

// What a teacher must know when the demo runs on a loopback.
constexpr const char* loopback_note =
    "on a loopback the round trip is some 30 microseconds and nothing slows the sender: bob's bulk block is over in "
    "a few milliseconds, between two of the kernel's samples (10 ms apart), so slow start does not show; `tcpviz "
    "demo` as root, without --host-loopback or --serve, builds a path with a 4 Mbit/s bottleneck where it does";

// capture_students' status when live capture was not permitted and the
// shipped capture was copied in its place.
constexpr int shipped_capture = -1;

// A failure to report as `tcpviz: error: WHAT: REASON`.
struct Failure {
    std::string what, reason;
};

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

// Where the demo's programs run: the namespaces (empty: where the demo
// runs), the server's address and the interface the capture listens on.
struct Place {
    std::string client_netns, server_netns;
    std::string server_address = "127.0.0.1";
    std::string capture_interface = "lo";
    DemoPath* path = nullptr;  // the routed path, when there is one
};

// The three students of the demo, each showing something else.
std::vector<chat::ClientConfig> demo_clients(const Place& place, std::uint16_t port, std::size_t bulk_bytes,
                                             int null_fd) {
    auto client = [&](const std::string& nick) {
        chat::ClientConfig c;
        c.host = place.server_address;
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
    // On the machine's loopback (MTU 64 KiB) a bulk block would fit in a
    // handful of segments; an Ethernet-sized MSS shows the growth of the
    // congestion window segment by segment.
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

std::unique_ptr<chat::ChatServer> start_server(const Place& place, int port, Failure& failure) {
    const InNamespace in(place.server_netns);  // the listening socket is made there
    if (!in.ok()) {
        failure = {place.server_netns, in.error()};
        return nullptr;
    }
    chat::ServerConfig config;
    config.bind_address = place.server_address;
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
        failure = {"chat server", e.what()};
        return nullptr;
    }
}

// nullptr with `failure` set when the namespace could not be entered, with
// only `error` set when the capture could not be opened.
std::unique_ptr<LiveCapture> open_demo_capture(const Place& place, std::uint16_t port, CaptureError& error,
                                               Failure& failure) {
    const InNamespace in(place.client_netns);  // the students' side, before the bottleneck
    if (!in.ok()) {
        failure = {place.client_netns, in.error()};
        return nullptr;
    }
    LiveCaptureOptions options;
    options.interface = place.capture_interface;
    options.filter = "tcp port " + std::to_string(port);
    // Immediate mode makes libpcap use a ring of fixed slots, each as large
    // as the snaplen: 262144 bytes would leave 64 slots in 16 MiB, and a busy
    // machine that delays the capture thread drops packets. The demo's
    // segments are at most a chat line or 1388 bytes of bulk data, so 16 KiB
    // keeps every byte and leaves thousands of slots.
    options.snaplen = 16 * 1024;
    options.buffer_bytes = 32 * 1024 * 1024;
    return LiveCapture::open(options, error);
}

// What the students' run left: what each client that failed said, and
// whether one could not even enter the students' namespace.
struct StudentsRun {
    std::vector<std::string> errors;
    std::vector<std::string> netns_errors;  // InNamespace::error(), per client
};

// The students, a moment apart so the ladder reads like a story. A second
// Ctrl-C (DemoInterruptGuard) starts no more of them and shuts the sockets
// of those talking.
StudentsRun run_students(const Place& place, std::uint16_t port, std::size_t bulk_bytes) {
    const chat::FileDescriptor null_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
    const std::vector<chat::ClientConfig> configs = demo_clients(place, port, bulk_bytes, null_fd.get());
    StudentsRun result{std::vector<std::string>(configs.size()), std::vector<std::string>(configs.size())};
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < configs.size() && !DemoInterruptGuard::stopping(); ++i) {
        clients.emplace_back([&, i] {
            try {
                const InNamespace in(place.client_netns);
                if (!in.ok()) {
                    result.netns_errors[i] = in.error();
                    return;
                }
                chat::ChatClient client(configs[i]);
                const StudentSocket listed(client.fd());
                client.run();
                // Stopped by a second Ctrl-C: close() with an RST, so that
                // no unsent bulk data keeps the socket (and its namespace) alive.
                if (DemoInterruptGuard::stopping() && client.fd() >= 0) chat::set_linger_reset(client.fd());
            } catch (const std::exception& e) {
                result.errors[i] = e.what();
            }
        });
        std::this_thread::sleep_for(300ms);
    }
    for (auto& t : clients) t.join();
    return result;
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
        std::fprintf(out, "demo: %s\n", loopback_note);
        std::fflush(out);
        for (const std::string& e : run_students(Place{}, port, r.bulk_bytes).errors) {
            if (!e.empty()) std::fprintf(err, "tcpviz demo: a client failed: %s\n", e.c_str());
        }
        std::fprintf(out, "demo: the students are done; the page is served until Ctrl-C\n");
        std::fflush(out);
    };
    return serve::run_serve(request, out, err);
}

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

// Where the students run, said on `out`: the routed path when it can be
// built (root), else a loopback; `path` keeps the namespaces alive.
Place choose_place(const DemoRequest& r, std::unique_ptr<DemoPath>& path, std::FILE* out, std::FILE* err) {
    std::string why = "--host-loopback";
    if (r.private_network) path = build_demo_path(why);
    if (path) {
        return {path->path.client.netns, path->path.server.netns, path->path.server.address,
                path->path.capture_interface, path.get()};
    }
    if (r.private_network && ::geteuid() == 0) std::fprintf(err, "tcpviz demo: no slowed path (%s)\n", why.c_str());
    std::string own;
    if (r.private_network && !enter_private_network(own) && ::geteuid() == 0) {
        std::fprintf(err, "tcpviz demo: using the machine's loopback (%s)\n", own.c_str());
    }
    std::fprintf(out, "demo: %s (no slowed path: %s)\n", loopback_note, why.c_str());
    return {};
}

// The planned drop on the routed path, and the path as commands and words.
void announce_path(DemoPath& path, std::uint16_t port, std::FILE* out, std::FILE* err) {
    std::string error;
    if (!add_demo_drop(path, port, error)) std::fprintf(err, "tcpviz demo: no planned loss (%s)\n", error.c_str());
    std::fprintf(out, "demo: a path where slow start shows, built as you could type it:\n");
    for (const std::string& c : path.net.commands()) std::fprintf(out, "  %s\n", c.c_str());
    for (const std::string& line : describe_demo_path(path)) std::fprintf(out, "demo: %s\n", line.c_str());
}

// The chat server's and the capture's threads around the students' run;
// what the students' run left.
StudentsRun run_captured(const DemoRequest& r, const Place& place, chat::ChatServer& server, LiveCapture& capture,
                         std::FILE* out) {
    const std::uint16_t port = server.port();
    std::thread capture_thread([&capture] { capture.run({}, [](const PacketRecord&, std::uint64_t) {}); });
    std::thread server_thread([&server] { server.run(); });
    std::fprintf(out, "demo: chat server on %s:%u, capturing on %s (tcp port %u)\n", place.server_address.c_str(), port,
                 place.capture_interface.c_str(), port);
    std::fflush(out);
    StudentsRun students = run_students(place, port, r.bulk_bytes);
    server.stop();
    server_thread.join();
    std::this_thread::sleep_for(300ms);  // the last ACKs of the teardown
    capture.request_stop();
    capture_thread.join();
    return students;
}

// Runs the students under capture; the kernel's samples, or a status to exit with.
int capture_students(const DemoRequest& r, const Place& place, const DemoFiles& files, std::FILE* out, std::FILE* err,
                     std::vector<TcpInfoSample>& samples) {
    Failure failure;
    // 1. The chat server, on the demo port (or any free one).
    std::unique_ptr<chat::ChatServer> server = start_server(place, r.port, failure);
    if (!server) return fail(err, failure.what, failure.reason);
    const std::uint16_t port = server->port();
    if (place.path) announce_path(*place.path, port, out, err);
    // 2. The capture, before any client connects, so every handshake is in it.
    CaptureError capture_error;
    std::unique_ptr<LiveCapture> capture = open_demo_capture(place, port, capture_error, failure);
    if (!capture && !failure.what.empty()) return fail(err, failure.what, failure.reason);
    if (!capture && r.fallback.empty()) {
        return fail(err, place.capture_interface,
                    capture_error.message + " (run as root, or give tcpviz cap_net_raw,cap_net_admin)");
    }
    std::string error;
    if (!capture) {
        std::fprintf(err, "tcpviz demo: cannot capture on %s (%s); showing the shipped capture %s instead\n",
                     place.capture_interface.c_str(), capture_error.message.c_str(), r.fallback.c_str());
        if (!copy_capture(r.fallback, files.pcap, error)) return fail(err, r.fallback, error);
        return shipped_capture;
    }
    std::unique_ptr<OutputFile> pcap_file = OutputFile::open(files.pcap, error);
    if (!pcap_file || !capture->write_to(pcap_file->writing_path(), error)) return fail(err, files.pcap, error);
    DemoSamplers samplers;
    std::string netns_error;
    if (!samplers.start(place.client_netns, port, err, netns_error)) return fail(err, place.client_netns, netns_error);
    if (place.server_netns != place.client_netns && !samplers.start(place.server_netns, port, err, netns_error)) {
        return fail(err, place.server_netns, netns_error);
    }
    // 3. The students.
    const StudentsRun students = run_captured(r, place, *server, *capture, out);
    samples = samplers.take();
    for (const std::string& e : students.netns_errors) {
        if (!e.empty()) return fail(err, place.client_netns, e);
    }
    if (!capture->close_file(error) || !pcap_file->commit(error)) return fail(err, files.pcap, error);
    const CaptureCounts counts = capture->counts();
    std::fprintf(out, "demo: captured %llu packets (%llu dropped by the kernel)\n",
                 static_cast<unsigned long long>(counts.captured), static_cast<unsigned long long>(counts.dropped));
    for (const std::string& e : students.errors) {
        if (!e.empty()) std::fprintf(err, "tcpviz demo: a client failed: %s\n", e.c_str());
    }
    return 0;
}

}  // namespace

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
    std::vector<TcpInfoSample> samples;
    int status;
    bool interrupted, made_namespaces;
    {
        // A first Ctrl-C lets the students finish (a few seconds), a second
        // stops them; then the namespaces go (with `path`), and the files
        // are written from what was captured.
        const DemoInterruptGuard guard;
        std::unique_ptr<DemoPath> path;
        const Place place = choose_place(r, path, out, err);
        made_namespaces = path != nullptr;
        status = capture_students(r, place, files, out, err, samples);
        interrupted = DemoInterruptGuard::interrupted();
    }
    if (interrupted) {
        std::fprintf(out, "demo: interrupted%s\n", made_namespaces ? "; the namespaces it made are removed" : "");
    }
    if (status != 0 && status != shipped_capture) return status;
    status = write_outputs(r, files, std::move(samples), out, err);
    return interrupted && status == 0 ? 130 : status;
}

void add_demo_command(CLI::App& app) {
    auto request = std::make_shared<DemoRequest>();
    CLI::App* cmd = app.add_subcommand("demo", "The classroom demo: chat, capture and analysis in one command");
    cmd->add_option("--out", request->out_dir,
                    "directory for the pcap, timeline, ladder and report (default out/demo)");
    cmd->add_option("--port", request->port, "chat port (default 6666; a free one if busy)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--bulk", request->bulk_bytes, "bytes of bob's bulk transfer (default 1 MiB)");
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
