// Reading capture files (pcap and pcapng) through libpcap, one record at a
// time, into the plain PacketRecord the analyzer takes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "tcpviz/packet.h"

struct pcap;
struct bpf_program;

namespace tcpviz {

class PcapFile {
public:
    // Opens a file ("-" is standard input). On failure returns a null
    // pointer and sets `error` to a one-line reason.
    static std::unique_ptr<PcapFile> open(const std::string& path, std::string& error);
    // The same from an open stream (the fuzzer's fmemopen), which the
    // PcapFile then owns and closes.
    static std::unique_ptr<PcapFile> open_stream(std::FILE* stream, std::string& error);
    ~PcapFile();
    PcapFile(const PcapFile&) = delete;
    PcapFile& operator=(const PcapFile&) = delete;

    int link_type() const { return link_type_; }
    int time_decimals() const { return 9; }  // opened with nanosecond precision

    // Compiles a BPF filter; false with `error` set when it does not compile.
    bool set_filter(const std::string& expression, std::string& error);

    enum class Status { packet, end, cut_off, damaged };
    // Reads the next record. `record` stays valid until the next call.
    // `cut_off`: the file ends in the middle of a record (a warning, not an
    // error); `damaged`: a record header makes no sense. `message` says why.
    Status next(PacketRecord& record, std::string& message);

    // Whether the current record passes the filter (true when none is set).
    bool matches(const PacketRecord& record) const;

    // The warning about records whose time was before 1970 or after 2262 (a
    // damaged pcapng timestamp or resolution), clamped to that range by
    // next(); empty when there were none.
    std::string timestamp_warning() const;

    // Bytes read so far and the file size, for progress; size 0 when unknown (stdin).
    std::uint64_t position() const;
    std::uint64_t size() const { return size_; }

    // Moves to a byte offset that position() returned before a next(), so that
    // next() reads that record again (`tcpviz serve` re-reads windows of a
    // capture from its checkpoints). False on standard input or a failed seek.
    bool seek(std::uint64_t offset);

private:
    PcapFile() = default;
    pcap* handle_ = nullptr;
    int link_type_ = 0;
    std::uint64_t size_ = 0;
    std::uint64_t clamped_timestamps_ = 0;
    std::unique_ptr<bpf_program> filter_;
};

}  // namespace tcpviz
