// A capture file as a session: indexed on a thread of its own at start-up,
// answering "not ready" (409) with its progress until the index is built.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "tcpviz/serve/capture_index.h"
#include "tcpviz/serve/session.h"

namespace tcpviz::serve {

class CaptureSession : public Session {
public:
    CaptureSession(std::string path, std::string name, std::uint64_t checkpoint_every)
        : path_(std::move(path)), name_(std::move(name)), checkpoint_every_(checkpoint_every) {}

    // Builds the index (call once, from any thread). Returns the error, or empty.
    std::string index();
    const CaptureIndex* ready_index() const { return ready_.load(std::memory_order_acquire) ? index_.get() : nullptr; }
    const IndexProgress& progress() const { return progress_; }
    void cancel() { progress_.cancel = true; }
    const std::string& path() const { return path_; }

    SessionSummary summary() const override;
    Answer meta() const override;
    Answer events(std::uint64_t from, std::uint64_t count) const override;
    Answer frame(std::uint64_t frame) const override;
    Answer series(const SeriesQuery& query) const override;

private:
    Answer not_ready() const;

    std::string path_;
    std::string name_;
    std::uint64_t checkpoint_every_;
    IndexProgress progress_;
    std::unique_ptr<CaptureIndex> index_;  // written once, before ready_ is set
    std::atomic<bool> ready_{false};
    mutable std::mutex error_mutex_;
    std::string error_;
};

}  // namespace tcpviz::serve
