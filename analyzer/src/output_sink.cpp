#include "tcpviz/output_sink.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace tcpviz {

OutputSink::OutputSink(std::FILE* file)
    : file_(file), data_(std::make_unique<char[]>(4 * flush_threshold)), capacity_(4 * flush_threshold) {}

char* OutputSink::reserve(std::size_t n) {
    if (capacity_ - used_ < n) {
        flush();
        if (capacity_ < n) {
            data_ = std::make_unique<char[]>(n);
            capacity_ = n;
        }
    }
    return data_.get() + used_;
}

void OutputSink::append(std::string_view text) {
    if (text.empty()) return;
    char* at = reserve(text.size());
    std::memcpy(at, text.data(), text.size());
    used_ += text.size();
}

void OutputSink::flush() {
    if (used_ == 0) return;
    const std::size_t written = std::fwrite(data_.get(), 1, used_, file_);
    if (written != used_ || std::fflush(file_) != 0) {
        throw std::runtime_error(std::string("cannot write output: ") + std::strerror(errno));
    }
    used_ = 0;
}

}  // namespace tcpviz
