// `tcpviz capture`: live packets in; a pcap file, a live ladder and a
// timeline with the kernel's TCP_INFO samples out.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tcpviz {

struct CaptureRequest {
    std::string interface = "lo";
    std::string filter = "tcp port 6666";
    std::string pcap;     // -w: the pcap file to write; empty: none
    double duration = 0;  // seconds; 0: until Ctrl-C (or --count)
    std::uint64_t count = 0;
    int snaplen = 262144;
    int buffer_mib = 16;
    std::string timeline;  // JSON timeline written when the capture stops; empty: none
    bool ladder = false;   // print the text ladder as segments arrive
    std::string lang = "en";
    bool notes = false;
    bool list_interfaces = false;
    bool quiet = false;
    std::vector<int> sample_ports;  // empty: the ports of the filter, else 6666
    int sample_ms = 10;             // 0: no kernel sampling
};

// Runs the capture. Returns the exit code: 0, or 2 after one line
// "tcpviz: error: WHAT: reason" on `err`. The ladder and the interface list
// go to `out`; the packet and drop counts to `err`.
int run_capture(const CaptureRequest& request, std::FILE* out, std::FILE* err);

void add_capture_command(CLI::App& app);

}  // namespace tcpviz
