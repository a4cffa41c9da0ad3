// The whole analyze path from a capture file's bytes: libpcap reads them
// (pcap or pcapng) from memory through fmemopen, the analyzer decodes and
// tracks every record, and every writer formats the result.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "tcpviz/analyzer.h"
#include "tcpviz/pcap_file.h"
#include "writers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;  // fmemopen refuses an empty buffer
    std::FILE* stream = fmemopen(const_cast<std::uint8_t*>(data), size, "rb");
    if (stream == nullptr) return 0;
    std::string error;
    auto file = tcpviz::PcapFile::open_stream(stream, error);
    if (!file) return 0;
    tcpviz::Analyzer analyzer(file->link_type());
    tcpviz::fuzz::AllWriters writers;
    writers.begin(file->link_type());
    tcpviz::PacketRecord record;
    std::string message;
    std::uint64_t frame = 0;
    while (file->next(record, message) == tcpviz::PcapFile::Status::packet) {
        if (const tcpviz::Event* e = analyzer.add(record, ++frame)) writers.event(*e, analyzer);
    }
    writers.end(analyzer);
    return 0;
}
