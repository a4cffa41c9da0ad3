// Where retired connections go: a temporary file holding each one whole
// (summary and analysis state), so that memory stays flat however many
// connections a capture has, and a connection seen again comes back exactly
// as it was. The file is created on the first retirement and deleted by the
// system when tcpviz exits (tmpfile), even after a crash.
//
// Records are never changed once stored, so copies of an Analyzer (the
// checkpoints of `tcpviz serve`) share one archive: each store gets a place
// of its own, and any copy reads back the places it knows. A mutex keeps
// copies used from several threads apart.
#pragma once

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

#include "tcpviz/tracked_connection.h"

namespace tcpviz {

class ConnectionArchive {
public:
    ConnectionArchive() = default;
    ~ConnectionArchive();
    ConnectionArchive(const ConnectionArchive&) = delete;
    ConnectionArchive& operator=(const ConnectionArchive&) = delete;

    // Stores a connection and returns where it is. Throws std::runtime_error
    // when the temporary file cannot be written.
    std::uint64_t store(const TrackedConnection& c);
    // Reads back the connection stored at `where`.
    void load(std::uint64_t where, TrackedConnection& c) const;

private:
    void flush();

    mutable std::mutex mutex_;
    std::FILE* file_ = nullptr;
    std::uint64_t flushed_ = 0;  // bytes in the file; later records are in pending_
    std::string pending_;
    mutable std::string record_;  // scratch for one record
};

}  // namespace tcpviz
