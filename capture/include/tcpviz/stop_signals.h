// Ctrl-C ends a capture cleanly instead of killing the process: the pcap file
// is flushed, the timeline written and the drop counts printed.
#pragma once

namespace tcpviz {

class LiveCapture;

// While alive, SIGINT and SIGTERM call capture.request_stop(). A second
// Ctrl-C kills as usual (the handler resets itself), for a capture that
// will not stop. One at a time per process.
class StopOnSignals {
public:
    explicit StopOnSignals(LiveCapture& capture);
    ~StopOnSignals();
    StopOnSignals(const StopOnSignals&) = delete;
    StopOnSignals& operator=(const StopOnSignals&) = delete;
};

}  // namespace tcpviz
