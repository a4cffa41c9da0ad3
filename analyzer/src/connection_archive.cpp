// A record is its length (4 bytes) and then every field of the connection,
// listed once in visit_fields() for both writing and reading. Plain values
// are copied as bytes: the file lives as long as this process, on this
// machine, so no portable encoding is needed. The test that analyzes every
// capture with retirement forced after each segment compares the results
// with and without it: a field missing here shows there.
#include "tcpviz/connection_archive.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace tcpviz {
namespace {

struct Writer {
    std::string& out;
    template <class T>
    void operator()(const T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        out.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    template <class T>
    void list(const T* items, std::size_t n) {
        const auto count = static_cast<std::uint32_t>(n);
        (*this)(count);
        if (n > 0) out.append(reinterpret_cast<const char*>(items), sizeof(T) * n);
    }
};

struct Reader {
    const std::string& in;
    std::size_t at = 0;
    void bytes(void* to, std::size_t n) {
        if (in.size() - at < n) throw std::runtime_error("a temporary file of retired connections is damaged");
        if (n == 0) return;  // an empty list has no storage: memcpy must not see its null pointer
        std::memcpy(to, in.data() + at, n);
        at += n;
    }
    template <class T>
    void operator()(T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes(&v, sizeof v);
    }
    template <class T>
    std::vector<T> list() {
        std::uint32_t count = 0;
        (*this)(count);
        std::vector<T> items(count);
        bytes(items.data(), sizeof(T) * count);
        return items;
    }
};

// Every field but the lists, in one order for both directions.
template <class Io, class C>
void visit_fields(Io& io, C& c) {
    auto& s = c.summary;
    io(s.id), io(s.client), io(s.server), io(s.roles_from_syn);
    io(s.first_frame), io(s.last_frame), io(s.first_ts), io(s.last_ts);
    io(s.side), io(s.state), io(s.handshake), io(s.finding_counts);
    io(s.saw_rst), io(s.saw_fin), io(s.simultaneous_close);
    for (auto& f : c.flow) {
        io(f.base_seq_set), io(f.base_seq), io(f.win_scale), io(f.window), io(f.is_first_ack), io(f.valid_bif);
        io(f.nextseq), io(f.nextseq_frame), io(f.nextseq_time), io(f.maxseqtobeacked);
        io(f.lastack), io(f.lastack_time), io(f.last_non_dup_ack), io(f.dupacknum), io(f.last_segment_findings);
        io(f.sack_count), io(f.sack);
    }
    io(c.analysis);
    io(c.note_history);
}

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("cannot ") + what +
                             " the temporary file of retired connections: " + std::strerror(errno));
}

constexpr std::size_t flush_at = 1 << 20;

}  // namespace

ConnectionArchive::~ConnectionArchive() {
    if (file_) std::fclose(file_);
}

std::uint64_t ConnectionArchive::store(const TrackedConnection& c) {
    const std::lock_guard<std::mutex> lock(mutex_);
    record_.clear();
    Writer w{record_};
    visit_fields(w, c);
    w.list(c.summary.states.data(), c.summary.states.size());
    for (const FlowAnalysis& f : c.flow) {
        const auto pending = f.segments.pending();
        w.list(pending.data(), pending.size());
        w(f.segments.in_order());
    }
    const std::uint64_t where = flushed_ + pending_.size();
    const auto length = static_cast<std::uint32_t>(record_.size());
    pending_.append(reinterpret_cast<const char*>(&length), sizeof length);
    pending_ += record_;
    if (pending_.size() >= flush_at) flush();
    return where;
}

void ConnectionArchive::flush() {
    if (pending_.empty()) return;
    if (!file_ && !(file_ = std::tmpfile())) fail("create");
    const int fd = fileno(file_);
    std::size_t done = 0;
    while (done < pending_.size()) {
        const ssize_t n =
            ::pwrite(fd, pending_.data() + done, pending_.size() - done, static_cast<off_t>(flushed_ + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("write");
        done += static_cast<std::size_t>(n);
    }
    flushed_ += pending_.size();
    pending_.clear();
}

void ConnectionArchive::load(std::uint64_t where, TrackedConnection& c) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::uint32_t length = 0;
    if (where >= flushed_) {
        const std::size_t at = static_cast<std::size_t>(where - flushed_);
        std::memcpy(&length, pending_.data() + at, sizeof length);
        record_.assign(pending_, at + sizeof length, length);
    } else {
        auto read_at = [this](void* to, std::size_t n, std::uint64_t offset) {
            std::size_t done = 0;
            while (done < n) {
                const ssize_t got =
                    ::pread(fileno(file_), static_cast<char*>(to) + done, n - done, static_cast<off_t>(offset + done));
                if (got < 0 && errno == EINTR) continue;
                if (got <= 0) fail("read");
                done += static_cast<std::size_t>(got);
            }
        };
        read_at(&length, sizeof length, where);
        record_.resize(length);
        read_at(record_.data(), length, where + sizeof length);
    }
    Reader r{record_};
    visit_fields(r, c);
    c.summary.states = r.list<StateChange>();
    for (FlowAnalysis& f : c.flow) {
        const std::vector<UnackedSegment> segments = r.list<UnackedSegment>();
        bool in_order = true;
        r(in_order);
        f.segments.restore(segments, in_order);
    }
}

}  // namespace tcpviz
