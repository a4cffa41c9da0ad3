// Buffered output to a FILE*, written in large blocks: what every timeline
// writer writes through.
#pragma once

#include <cstdio>
#include <memory>
#include <string_view>

namespace tcpviz {

// Throws std::runtime_error when writing fails (disk full, closed pipe), so
// that no output is silently lost.
//
//   | written to the file | used_: text not yet written | free |
//   0 <= used_ <= capacity_
class OutputSink {
public:
    explicit OutputSink(std::FILE* file);
    // Room for `n` more bytes at the end: write through the pointer, then
    // commit() the end of what was written (at most `n` bytes further).
    char* reserve(std::size_t n);
    void commit(const char* end) { used_ = static_cast<std::size_t>(end - data_.get()); }
    void append(std::string_view text);
    void maybe_flush() {
        if (used_ >= flush_threshold) flush();
    }
    void flush();

private:
    static constexpr std::size_t flush_threshold = 1 << 16;
    std::FILE* file_;
    std::unique_ptr<char[]> data_;
    std::size_t used_ = 0;
    std::size_t capacity_;
};

}  // namespace tcpviz
