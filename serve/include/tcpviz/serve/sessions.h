// The sessions a server shows, numbered 0, 1, 2 ... in the order given:
// captures (and directories of them) from the command line, then the live
// capture. An id is all a request can name: never a path.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tcpviz/serve/capture_session.h"
#include "tcpviz/serve/session.h"

namespace tcpviz::serve {

class Sessions {
public:
    Sessions() = default;
    ~Sessions();
    Sessions(const Sessions&) = delete;
    Sessions& operator=(const Sessions&) = delete;

    // Adds the inputs: capture files, or directories whose captures (*.pcap,
    // *.pcapng, *.cap, sorted by name; symlinks skipped) each become a
    // session. False with `error` ("PATH: reason") for an input that is
    // neither, or a directory with no capture in it.
    bool add_inputs(const std::vector<std::string>& inputs, std::string& error,
                    std::uint64_t checkpoint_every = CaptureIndex::checkpoint_packets);
    // Adds a session made elsewhere (the live one); returns its id.
    std::size_t add(std::unique_ptr<Session> session);

    // Indexes the captures one after another on a thread of its own (two
    // cores are shared with the capture and the clients). `on_progress` is
    // called from that thread about every 250 ms and once at each end.
    void start_indexing(std::function<void(const CaptureSession&, bool done)> on_progress);
    // Waits for the indexing thread (tests, and the end of a run).
    void wait_indexed();
    // Asks the indexing thread to stop after the capture at hand.
    void stop();

    std::size_t size() const { return sessions_.size(); }
    const Session* find(std::uint64_t id) const {
        return id < sessions_.size() ? sessions_[static_cast<std::size_t>(id)].get() : nullptr;
    }
    // The /api/sessions answer.
    std::string list_json() const;

private:
    std::vector<std::unique_ptr<Session>> sessions_;
    std::vector<CaptureSession*> captures_;
    std::thread indexer_;
    std::atomic<bool> stopping_{false};
};

}  // namespace tcpviz::serve
