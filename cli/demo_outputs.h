// What `tcpviz demo` writes: the capture it made (or the shipped one),
// analyzed once into the timeline, the ladder and the report, and a summary
// of each connection on the terminal.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "demo_command.h"
#include "tcpviz/tcp_info_sampler.h"

namespace tcpviz {

struct DemoFiles {
    std::string pcap, timeline, ladder, report;
};
DemoFiles demo_files(const std::string& dir);

// The timeline, the ladder and (when the page is built) the report, from
// one reading of the demo's capture with the kernel's samples beside it;
// each renamed into place when complete. 0, or the status of a one-line error.
int write_outputs(const DemoRequest& r, const DemoFiles& files, std::vector<TcpInfoSample> samples, std::FILE* out,
                  std::FILE* err);

// Copies the shipped capture to the demo's, renamed into place when complete.
bool copy_capture(const std::string& from, const std::string& to, std::string& error);

}  // namespace tcpviz
