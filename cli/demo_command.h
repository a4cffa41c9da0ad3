// `tcpviz demo`: the classroom demo in one command. A capture on loopback, a
// chat server and three scripted clients that show the whole life of TCP
// connections (handshakes, data both ways including Chinese text, a bulk
// transfer for slow start, a half-close, a reset), then the analysis: pcap,
// timeline JSON with the kernel's cwnd, text ladder and HTML report.
#pragma once

#include <cstdio>
#include <string>

namespace CLI {
class App;
}

namespace tcpviz {

struct DemoRequest {
    std::string out_dir = "out/demo";
    int port = 6666;  // 0 or busy: an ephemeral port is used
    // Enough for slow start and two seconds of congestion avoidance on the
    // demo's 4 Mbit/s path (demo_path.cpp).
    std::size_t bulk_bytes = 1024 * 1024;
    std::string fallback;  // a capture to analyze when live capture is not allowed
    std::string lang = "en";
    bool private_network = true;  // run in a network namespace of its own (needs root)
    // --serve: no files; the page served live (tcpviz classroom's machinery)
    // on `page_port` while the students chat, until Ctrl-C.
    bool serve = false;
    int page_port = 8080;
};

int run_demo(const DemoRequest& request, std::FILE* out, std::FILE* err);
void add_demo_command(CLI::App& app);

}  // namespace tcpviz
