// `tcpviz analyze`: a capture file in, a timeline out.
#pragma once

#include <cstdio>
#include <string>

#include "tcpviz/timeline_writer.h"

namespace CLI {
class App;
}

namespace tcpviz {

struct AnalyzeRequest {
    std::string capture;          // file or "-"
    std::string output;           // file, "-" for stdout; empty: stdout unless html is set
    std::string html;             // also write a self-contained HTML report here
    std::string format = "json";  // json | ndjson | text | layers | stream
    std::string frames;           // --format layers: which frames ("4", "4-6"); empty: a sensible default
    std::string filter;           // BPF, compiled by libpcap
    std::size_t payload_bytes = 64;
    bool no_payload = false;
    std::string lang = "en";
    bool notes = false;
    bool quiet = false;
};

// Runs the analysis. Returns the process exit code: 0 on success (warnings
// go to `err`), 2 on an error, after printing one line
// "tcpviz: error: FILE: reason" to `err`.
int run_analyze(const AnalyzeRequest& request, std::FILE* err);

// Registers the subcommand on the application.
void add_analyze_command(CLI::App& app);

}  // namespace tcpviz
